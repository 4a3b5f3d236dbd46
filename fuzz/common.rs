//! What the fuzz targets share: the Salesforce client configuration they check against, built
//! once (not per input).

use std::sync::LazyLock;

use salesforce_pkce::{ClientConfig, ClientOptions};

pub static CONFIG: LazyLock<ClientConfig> = LazyLock::new(|| {
    ClientConfig::salesforce(&ClientOptions {
        client_id: Some("3MVG9fuzz".into()),
        redirect_uri: Some("https://app.example.com/callback".into()),
        login_host: Some("https://acme.my.salesforce.com".into()),
        ..Default::default()
    })
    .unwrap()
});

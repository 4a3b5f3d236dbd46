//! The README's Rust examples, compiled with the suite (not run: `login` navigates away).

use super::*;

/// The README's Rust example, compiled with the suite (not run: `login` navigates away).
#[allow(dead_code)]
async fn readme_rust_example(origin: String) -> Result<(), AuthError> {
    use salesforce_pkce::{ClientOptions, LoginOptions, browser::AuthClient};

    let auth = AuthClient::salesforce(&ClientOptions {
        client_id: Some("3MVG9...".into()),
        redirect_uri: Some(format!("{origin}/callback")),
        login_host: Some("https://acme.my.salesforce.com".into()),
        ..Default::default()
    })?;
    if let Some(r) = auth.handle_redirect().await? {
        let _ = r.return_to(); /* route there */
    }
    auth.login(&LoginOptions {
        return_to: Some("/accounts".into()),
        ..Default::default()
    })?;
    let _res: web_sys::Response = auth.fetch(&"/services/data/v66.0/".into(), None).await?;
    auth.logout().await?;
    Ok(())
}

/// The README's gloo-net lines, compiled with the suite (cargo feature `gloo`).
#[cfg(feature = "gloo")]
#[allow(dead_code)]
async fn readme_gloo_example(auth: AuthClient) -> Result<(), AuthError> {
    let url = auth.api_url("/services/data/v66.0/query?q=SELECT+Name+FROM+Account")?;
    let _res: gloo_net::http::Response = auth.send(gloo_net::http::Request::get(&url)).await?;
    Ok(())
}

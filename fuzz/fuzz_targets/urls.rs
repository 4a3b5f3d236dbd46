//! URLs, origins, returnTo and the instance_url trust rule.
#![no_main]
use libfuzzer_sys::fuzz_target;
use salesforce_pkce::internals::authorize::same_origin_path;
use salesforce_pkce::internals::profile::salesforce::check_instance_url;
use salesforce_pkce::internals::url::{HttpUrl, Origin};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(u) = HttpUrl::parse(s, "f") {
        assert!(u.path().starts_with('/'));
        let o = u.origin().serialize();
        assert_eq!(&Origin::parse(&o, "f").unwrap(), u.origin());
    }
    let login = HttpUrl::parse("https://acme.my.salesforce.com", "h").unwrap();
    if let Ok(u) = check_instance_url(s, Some(&login), &["*.acme.example".to_owned()]) {
        assert!(u.origin().is_https() || u.origin().is_loopback());
    }
    let app = Origin::parse("https://app.example.com", "f").unwrap();
    if let Ok(p) = same_origin_path(s, &app) {
        assert!(p.starts_with('/') && !p.starts_with("//"));
    }
});

//! Every finding of the config doctor, pinned whole: for each option set (built in Rust, so
//! values the JS options reader refuses — NaN, infinities, odd scopes — are here too), laid over
//! the Salesforce and the generic fixture, under both profiles and four page origins, each
//! finding's severity, code, field and message in order (the explanation `js/prose.js` adds
//! outside the npm build as `+prose`). The expected lines
//! (`tests/golden/doctor.txt`) were generated on the code before the size-first rewrite of the
//! doctor; a rewrite must keep every line (`DOCTOR_GOLDEN_WRITE=1` rewrites the file).

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::*;
use crate::core::dpop::DpopMode;
use crate::core::testing::{generic_options, salesforce_options};

type Case = (&'static str, fn(&mut ClientOptions));

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

fn list(v: &[&str]) -> Option<Vec<String>> {
    Some(v.iter().map(|x| (*x).to_owned()).collect())
}

const CASES: &[Case] = &[
    ("as is", |_| {}),
    ("everything unset", |o| *o = ClientOptions::default()),
    ("secret", |o| o.client_secret = s("")),
    ("client id empty", |o| o.client_id = s("")),
    ("client id tab", |o| o.client_id = s("a\tb")),
    ("client id nbsp", |o| o.client_id = s("\u{a0}a")),
    ("client id del", |o| o.client_id = s("a\u{7f}")),
    ("client id unicode", |o| o.client_id = s("kl\u{e9}")),
    ("redirect none", |o| o.redirect_uri = None),
    ("redirect empty", |o| o.redirect_uri = s("")),
    ("redirect http", |o| {
        o.redirect_uri = s("http://app.example.com/cb")
    }),
    ("redirect http+frag", |o| {
        o.redirect_uri = s("http://app.example.com/cb#")
    }),
    ("redirect loopback", |o| {
        o.redirect_uri = s("http://127.0.0.1:3000/cb")
    }),
    ("redirect port", |o| {
        o.redirect_uri = s("https://app.example.com:8443/cb")
    }),
    ("redirect other", |o| {
        o.redirect_uri = s("https://evil.example/cb?x")
    }),
    ("redirect relative", |o| o.redirect_uri = s("/callback")),
    ("redirect userinfo", |o| {
        o.redirect_uri = s("https://u@app.example.com/cb")
    }),
    ("logout same", |o| {
        o.post_logout_redirect_uri = s("https://app.example.com/bye")
    }),
    ("logout other", |o| {
        o.post_logout_redirect_uri = s("https://x.example.com/")
    }),
    ("logout frag", |o| {
        o.post_logout_redirect_uri = s("https://app.example.com/#a")
    }),
    ("logout relative", |o| {
        o.post_logout_redirect_uri = s("/bye")
    }),
    ("logout http", |o| {
        o.post_logout_redirect_uri = s("http://localhost/bye")
    }),
    ("popup same", |o| {
        o.popup_redirect_uri = s("https://app.example.com/p")
    }),
    ("popup other", |o| {
        o.popup_redirect_uri = s("https://x.example.com/p")
    }),
    ("popup bad", |o| o.popup_redirect_uri = s("popup.html")),
    ("popup, redirect bad", |o| {
        o.popup_redirect_uri = s("https://x.example.com/p");
        o.redirect_uri = s("nope");
    }),
    ("popup, redirect none", |o| {
        o.popup_redirect_uri = s("https://x.example.com/p");
        o.redirect_uri = None;
    }),
    ("scopes empty", |o| o.scopes = list(&[])),
    ("scopes one empty", |o| o.scopes = list(&[""])),
    ("scopes tab", |o| o.scopes = list(&["api", "a\tb", "c d"])),
    ("scopes nbsp", |o| o.scopes = list(&["a\u{a0}b"])),
    ("scopes quote", |o| {
        o.scopes = list(&["api", "openid", "refresh_token", "\""])
    }),
    ("scopes backslash", |o| o.scopes = list(&["\\"])),
    ("scopes control", |o| o.scopes = list(&["a\u{1b}"])),
    ("scopes unicode", |o| {
        o.scopes = list(&["\u{e9}t\u{e9}", "openid"])
    }),
    ("scopes full", |o| {
        o.scopes = list(&["full", "full", "refresh_token"])
    }),
    ("scopes offline", |o| {
        o.scopes = list(&["offline_access", "openid", "api"])
    }),
    ("scopes refresh", |o| o.scopes = list(&["refresh_token"])),
    ("scopes API", |o| {
        o.scopes = list(&["API", "OPENID", "Refresh_Token"])
    }),
    ("origins", |o| {
        o.allowed_origins = list(&["", "https://a.example", "http://b.example", "ftp://c"])
    }),
    ("origins empty", |o| o.allowed_origins = list(&[])),
    ("api base", |o| o.api_base = s("http://localhost:3000/api")),
    ("api base http", |o| {
        o.api_base = s("http://api.example.com")
    }),
    ("api base bad", |o| o.api_base = s("api")),
    ("hosts", |o| {
        o.trusted_instance_hosts = list(&[
            "*.example.com",
            "a.b",
            "*.a",
            "a",
            "*.*.a.b",
            "a-b.c",
            "a b.c",
            "\u{e9}.c",
            ".",
            "*.",
        ])
    }),
    ("timeout nan", |o| o.timeout_ms = Some(f64::NAN)),
    ("timeout inf", |o| o.timeout_ms = Some(f64::INFINITY)),
    ("timeout -inf", |o| o.timeout_ms = Some(f64::NEG_INFINITY)),
    ("timeout 0.5", |o| o.timeout_ms = Some(0.5)),
    ("timeout 1", |o| o.timeout_ms = Some(1.0)),
    ("timeout max", |o| o.timeout_ms = Some(600_000.0)),
    ("timeout over", |o| o.timeout_ms = Some(600_000.5)),
    ("session nan", |o| {
        o.session_timeout_seconds = Some(f64::NAN)
    }),
    ("session 60", |o| o.session_timeout_seconds = Some(60.0)),
    ("session 59.9", |o| o.session_timeout_seconds = Some(59.9)),
    ("session 86400", |o| {
        o.session_timeout_seconds = Some(86_400.0)
    }),
    ("session over", |o| {
        o.session_timeout_seconds = Some(86_400.1)
    }),
    ("pending empty", |o| o.pending_storage = s("")),
    ("pending Local", |o| o.pending_storage = s("Local")),
    ("pending local", |o| o.pending_storage = s("local")),
    ("pending session", |o| o.pending_storage = s("session")),
    ("sharing empty", |o| o.session_sharing = s("")),
    ("sharing tabs", |o| o.session_sharing = s("tabs")),
    ("sharing tabs-locks", |o| {
        o.session_sharing = s("tabs-locks")
    }),
    ("sharing TABS", |o| o.session_sharing = s("TABS")),
    ("restore empty", |o| o.restore = s("")),
    ("restore auto", |o| o.restore = s("auto")),
    ("restore off", |o| o.restore = s("off")),
    ("restore yes", |o| o.restore = s("yes")),
    ("worker path", |o| o.worker_url = s("w.js")),
    ("worker empty", |o| o.worker_url = s("")),
    ("worker //", |o| o.worker_url = s("//x/w.js")),
    ("worker blob", |o| {
        o.worker_url = s("blob:https://app.example.com/1")
    }),
    ("worker http", |o| {
        o.worker_url = s("http://app.example.com/w.js")
    }),
    ("worker HTTPS", |o| {
        o.worker_url = s("HTTPS://app.example.com/w.js")
    }),
    ("worker colon in path", |o| o.worker_url = s("/a:b.js")),
    ("login host none", |o| o.login_host = None),
    ("login host prod", |o| {
        o.login_host = s("https://login.salesforce.com")
    }),
    ("login host sandbox", |o| {
        o.login_host = s("https://test.salesforce.com")
    }),
    ("login host http", |o| {
        o.login_host = s("http://acme.my.salesforce.com")
    }),
    ("login host http+query", |o| {
        o.login_host = s("http://login.salesforce.com/?x#y")
    }),
    ("login host site", |o| {
        o.login_host = s("https://acme.my.site.com/s")
    }),
    ("login host sandbox md", |o| {
        o.login_host = s("https://acme--uat.sandbox.my.salesforce.com")
    }),
    ("login host loopback", |o| {
        o.login_host = s("http://localhost:8787")
    }),
    ("login host other", |o| {
        o.login_host = s("https://sso.acme.com")
    }),
    ("login host bad", |o| o.login_host = s("acme")),
    ("issuer", |o| o.issuer = s("https://id.example.com/")),
    ("issuer none", |o| o.issuer = None),
    ("issuer http", |o| o.issuer = s("http://id.example.com")),
    ("endpoints none", |o| {
        o.authorization_endpoint = None;
        o.token_endpoint = None;
        o.revocation_endpoint = None;
    }),
    ("endpoints bad", |o| {
        o.authorization_endpoint = s("auth");
        o.token_endpoint = s("http://t.example.com/t");
        o.revocation_endpoint = s("https://");
        o.userinfo_endpoint = s("http://localhost/me");
        o.end_session_endpoint = s("ftp://x/logout");
    }),
    ("dpop off", |o| o.dpop = Some(DpopMode::Off)),
    ("dpop if-supported", |o| {
        o.dpop = Some(DpopMode::IfSupported)
    }),
    ("dpop if-supported es256", |o| {
        o.dpop = Some(DpopMode::IfSupported);
        o.dpop_signing_alg_values_supported = list(&["RS256", "ES256"]);
    }),
    ("dpop required", |o| o.dpop = Some(DpopMode::Required)),
    ("dpop required rs256", |o| {
        o.dpop = Some(DpopMode::Required);
        o.dpop_signing_alg_values_supported = list(&["RS256"]);
    }),
    ("dpop required empty", |o| {
        o.dpop = Some(DpopMode::Required);
        o.dpop_signing_alg_values_supported = list(&[]);
    }),
    ("verify", |o| o.verify_id_token_signature = Some(true)),
    ("jwks", |o| o.jwks_uri = s("http://id.example.com/jwks")),
    ("audiences", |o| o.trusted_audiences = list(&["", "x"])),
    ("everything wrong", |o| {
        o.client_secret = s("s");
        o.client_id = s(" ");
        o.redirect_uri = s("http://x.example.com/cb#f");
        o.post_logout_redirect_uri = s("http://y.example.com/");
        o.popup_redirect_uri = s("https://z.example.com/p");
        o.scopes = list(&["full", "a b", ""]);
        o.allowed_origins = list(&["http://o.example.com", "bad"]);
        o.api_base = s("http://api.example.com");
        o.trusted_instance_hosts = list(&["bad host", "*.ok.com"]);
        o.timeout_ms = Some(-1.0);
        o.session_timeout_seconds = Some(0.0);
        o.pending_storage = s("cookie");
        o.session_sharing = s("all");
        o.restore = s("on");
        o.worker_url = s("javascript:x");
        o.login_host = s("https://login.salesforce.com?x");
        o.issuer = s("x");
        o.token_endpoint = None;
        o.dpop = Some(DpopMode::IfSupported);
    }),
];

/// The page origins (the first only when the options are the other profile's fixture).
const PAGES: &[Option<&str>] = &[
    Some("https://app.example.com"),
    None,
    Some("not an origin"),
    Some("http://localhost:5173/path"),
];

fn outcomes() -> String {
    let mut out = String::new();
    for (name, change) in CASES {
        for (fixture, mut o) in [
            ("salesforce", salesforce_options("3MVG9demo")),
            ("generic", generic_options()),
        ] {
            change(&mut o);
            for (profile, run) in [
                (
                    "salesforce",
                    salesforce as fn(&ClientOptions, Option<&str>) -> _,
                ),
                ("generic", generic),
            ] {
                let pages = if fixture == profile {
                    PAGES
                } else {
                    &PAGES[..1]
                };
                for page in pages {
                    out += &format!("{name} | {fixture} options | {profile} | page {page:?}\n");
                    for f in run(&o, *page) {
                        // The explanation appended outside the npm build, by its code only.
                        let short = crate::core::finding::prose(f.code)
                            .and_then(|more| f.message.strip_suffix(more))
                            .and_then(|m| m.strip_suffix(". "));
                        out += &format!(
                            "  {:?} {} {} [{}]{}\n",
                            f.severity,
                            f.code,
                            f.field,
                            short.unwrap_or(&f.message),
                            if short.is_some() { " +prose" } else { "" }
                        );
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_finding_is_as_before() {
    let got = outcomes();
    let want = include_str!("../../tests/golden/doctor.txt");
    crate::core::testing::golden_file("doctor.txt", "DOCTOR_GOLDEN_WRITE", &got, want);
}

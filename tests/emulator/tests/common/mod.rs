//! Shared helpers: a real emulator on 127.0.0.1:0 and a real HTTP client.
#![allow(dead_code)]

pub mod proof;

use std::time::Duration;

use base64::Engine as _;
use reqwest::{Client, Response, redirect::Policy};
use sf_emulator::{App, Config, Shared};
use sha2::{Digest, Sha256};

pub const CALLBACK: &str = "http://localhost:8080/callback";
pub const ORIGIN: &str = "http://localhost:8080";

pub struct Emu {
    pub base: String,
    pub app: Shared,
    pub http: Client,
}

pub async fn start(tune: impl FnOnce(&mut Config)) -> Emu {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut cfg = Config::demo(&base);
    cfg.test_control = true;
    tune(&mut cfg);
    let app = App::new(cfg);
    tokio::spawn(sf_emulator::serve(
        listener,
        app.clone(),
        std::future::pending(),
    ));
    let http = Client::builder()
        .redirect(Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    Emu { base, app, http }
}

pub fn pkce() -> (String, String) {
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".to_owned();
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

pub fn form_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    Some(html[start..].split('"').next()?.to_owned())
}

pub fn location(r: &Response) -> String {
    r.headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

pub fn query_of(url: &str) -> Vec<(String, String)> {
    let q = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    form_urlencoded::parse(q.as_bytes()).into_owned().collect()
}

pub fn param(url: &str, name: &str) -> Option<String> {
    query_of(url)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

pub fn cookie(r: &Response) -> Option<String> {
    r.headers()
        .get("set-cookie")
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_owned())
}

impl Emu {
    pub fn authorize_url(&self, extra: &[(&str, &str)]) -> String {
        let (_, challenge) = pkce();
        let mut s = form_urlencoded::Serializer::new(String::new());
        let cid = self.app.config.client_id.clone();
        let mut pairs: Vec<(&str, &str)> = vec![
            ("response_type", "code"),
            ("client_id", &cid),
            ("redirect_uri", CALLBACK),
            ("scope", "api refresh_token openid"),
            ("state", "st-1"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("nonce", "n-1"),
        ];
        for (k, v) in extra {
            pairs.retain(|(a, _)| a != k);
            if !v.is_empty() {
                pairs.push((k, v));
            }
        }
        for (k, v) in pairs {
            s.append_pair(k, v);
        }
        format!("{}/services/oauth2/authorize?{}", self.base, s.finish())
    }

    pub async fn get(&self, url: &str, cookie: Option<&str>) -> Response {
        let mut r = self.http.get(url);
        if let Some(c) = cookie {
            r = r.header("cookie", c);
        }
        r.send().await.unwrap()
    }

    pub async fn post_form(
        &self,
        path: &str,
        pairs: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> Response {
        let cookie = cookie.map(|c| ("cookie", c));
        self.post_with(path, pairs, cookie.as_slice()).await
    }

    /// POST a form to `path` with `headers`.
    pub async fn post_with(
        &self,
        path: &str,
        pairs: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Response {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            s.append_pair(k, v);
        }
        let mut r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(s.finish());
        for (name, value) in headers {
            r = r.header(*name, *value);
        }
        r.send().await.unwrap()
    }

    /// GET `path` on the emulator with an `Origin` header (a browser's cross-origin call).
    pub async fn get_from(&self, path: &str, origin: &str) -> Response {
        let url = format!("{}{path}", self.base);
        self.http
            .get(url)
            .header("origin", origin)
            .send()
            .await
            .unwrap()
    }

    /// Login form → consent → the redirect with a code. Returns (Location, session cookie).
    pub async fn login(&self, extra: &[(&str, &str)], user: usize) -> (String, String) {
        let page = self
            .get(&self.authorize_url(extra), None)
            .await
            .text()
            .await
            .unwrap();
        let req = form_value(&page, "req").expect("login form");
        let u = &self.app.config.users[user];
        let r = self
            .post_form(
                "/services/oauth2/authorize/login",
                &[
                    ("req", &req),
                    ("username", &u.username),
                    ("password", &u.password),
                ],
                None,
            )
            .await;
        let cookie = cookie(&r).expect("session cookie");
        if r.status() == 302 {
            return (location(&r), cookie); // consent was given before: straight to the code
        }
        let page = r.text().await.unwrap();
        let req = form_value(&page, "req").expect("consent page");
        let r = self
            .post_form(
                "/services/oauth2/authorize/consent",
                &[("req", &req), ("decision", "allow")],
                Some(&cookie),
            )
            .await;
        assert_eq!(r.status(), 302, "consent redirects");
        (location(&r), cookie)
    }

    /// GET `path` on the emulator and parse the JSON answer.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        json_of(self.http.get(format!("{}{path}", self.base))).await
    }

    /// POST (no body) to `path` on the emulator and parse the JSON answer.
    pub async fn post_json(&self, path: &str) -> serde_json::Value {
        json_of(self.http.post(format!("{}{path}", self.base))).await
    }

    /// Logs in (login form, consent) and returns the authorization code of the redirect.
    pub async fn code(&self, extra: &[(&str, &str)]) -> String {
        let (loc, _) = self.login(extra, 0).await;
        param(&loc, "code").expect("a code in the redirect")
    }

    pub async fn exchange(&self, code: &str, verifier: &str) -> Response {
        let cid = self.app.config.client_id.clone();
        self.post_form(
            "/services/oauth2/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("client_id", &cid),
                ("redirect_uri", CALLBACK),
                ("code_verifier", verifier),
            ],
            None,
        )
        .await
    }

    /// A full login; returns the token response JSON.
    pub async fn tokens(&self) -> serde_json::Value {
        let code = self.code(&[]).await;
        let r = self.exchange(&code, &pkce().0).await;
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    /// A full login; returns its access token.
    pub async fn access_token(&self) -> String {
        let t = self.tokens().await;
        t["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn refresh(&self, token: &str) -> Response {
        let cid = self.app.config.client_id.clone();
        self.post_form(
            "/services/oauth2/token",
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", token),
                ("client_id", &cid),
            ],
            None,
        )
        .await
    }

    pub async fn rest(&self, path: &str, token: &str) -> Response {
        self.http
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn log(&self) -> Vec<serde_json::Value> {
        self.http
            .get(format!("{}/__emulator/log", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

/// Sends a request and parses its JSON answer.
async fn json_of(request: reqwest::RequestBuilder) -> serde_json::Value {
    request.send().await.unwrap().json().await.unwrap()
}

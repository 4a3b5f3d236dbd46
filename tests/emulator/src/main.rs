//! `sf-emulator [options]` — see `--help`.

use std::time::Duration;

use sf_emulator::{App, Config, Dpop, EndSession, IdTokenAlg};

const HELP: &str = "sf-emulator: a local Salesforce (OAuth 2.0 + PKCE, userinfo, REST) on 127.0.0.1

Options:
  --port N                    listen port (default 8787)
  --host ADDR                 listen address (default 127.0.0.1; loopback only)
  --public-url URL            the URL it advertises (default http://127.0.0.1:PORT)
  --client-id ID              the connected app's consumer key
  --callback URL              a registered callback URL (repeat for more; exact match)
  --cors-origin ORIGIN        an origin on the CORS allowlist (repeat for more)
  --no-oauth-cors             no CORS on token/revoke (behave like login.salesforce.com)
  --no-pkce-required          do not require code_challenge
  --access-token-ttl SECS     access-token lifetime (default 7200)
  --code-ttl SECS             authorization-code lifetime (default 900)
  --rotate-refresh-tokens     refresh-token rotation on
  --max-refresh-grants N      refresh grants kept per user per app; one more revokes the
                              oldest with its access tokens (default 5, as Salesforce; 0 = unlimited)
  --app-not-installed         the app is not installed in the org: after sign-in, authorize
                              redirects with error=invalid_client (Salesforce since Sept 2025)
  --jwt-access-tokens         JWT-based access tokens: token responses add token_format: jwt
                              (and api_instance_url for grants with the sfap_api scope)
  --api-instance-url URL      api_instance_url for --jwt-access-tokens (default: the public URL,
                              which the emulator serves; Salesforce: https://api.salesforce.com)
  --batch-size N              REST query batch size (default 2000)
  --end-session MODE          what /services/auth/idp/oidc/logout does after ending the browser
                              session: salesforce (default; as Salesforce documents it: ignores
                              post_logout_redirect_uri, state and id_token_hint, redirects to
                              --logout-url or shows a \"You have logged out\" page) or oidc
                              (OpenID Connect RP-Initiated Logout 1.0: redirects only to a
                              --post-logout-uri, with state; checks client_id, id_token_hint)
  --logout-url URL            salesforce mode: the app's Single Logout URL / the org's Logout URL
                              (exact redirect target, nothing appended)
  --post-logout-uri URL       oidc mode: a registered post_logout_redirect_uri (repeat for more;
                              exact match)
  --coop                      send Cross-Origin-Opener-Policy: same-origin on the authorize
                              flow's HTML pages (login, consent), as real providers do
  --dpop MODE                 DPoP (RFC 9449) for the app: off (default; the DPoP header is
                              ignored), allowed (a token request with a valid proof gets
                              DPoP-bound tokens, token_type DPoP; without one, Bearer) or
                              required (Salesforce's \"Require DPoP\": no proof, no token)
  --dpop-nonce                demand a server nonce in proofs (use_dpop_nonce + DPoP-Nonce)
  --cors-no-dpop-header       CORS preflights do not allow the DPoP request header (so a
                              browser cannot send proofs)
  --cors-allow-method NAME    CORS preflights also allow the method NAME, byte for byte
                              (e.g. patch: a browser compares methods case-sensitively)
  --id-token-alg ALG          rs256 (default; the key at /id/keys, as Salesforce) or hs256
                              (the app's secret; for testing a client that refuses it)
  --test-control              expose /__emulator/ (log, faults, expiry, reset, state)
  --help                      this text";

fn main() {
    if let Err(e) = run() {
        eprintln!("sf-emulator: {e}");
        std::process::exit(2);
    }
}

/// `url` when it is an absolute http(s) URL (Salesforce wants https; loopback tests use http).
fn absolute_url(url: String, option: &str) -> Result<String, String> {
    if url.starts_with("https://") || url.starts_with("http://") {
        Ok(url)
    } else {
        Err(format!(
            "{option} takes an absolute http(s) URL, got {url:?}"
        ))
    }
}

/// The value of `option` named by `given`, one of `values`.
fn choice<T: Copy>(given: String, option: &str, values: &[(&str, T)]) -> Result<T, String> {
    values
        .iter()
        .find(|(name, _)| *name == given)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let names: Vec<&str> = values.iter().map(|(n, _)| *n).collect();
            let (last, rest) = names.split_last().unwrap_or((&"", &[]));
            let list = if rest.is_empty() {
                last.to_string()
            } else {
                format!("{} or {last}", rest.join(", "))
            };
            format!("{option} takes {list}, got {given:?}")
        })
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut port: u16 = 8787;
    let mut host = "127.0.0.1".to_owned();
    let mut public_url = None;
    let mut callbacks = Vec::new();
    let mut origins = Vec::new();
    let mut cfg = Config::demo("http://127.0.0.1:8787");
    let mut i = 0;
    let value = |i: &mut usize| -> Result<String, String> {
        *i += 1;
        args.get(*i)
            .cloned()
            .ok_or_else(|| format!("{} needs a value", args[*i - 1]))
    };
    let number = |s: String, what: &str| -> Result<u64, String> {
        s.parse::<u64>()
            .map_err(|_| format!("{what} takes a number, got {s:?}"))
    };
    while i < args.len() {
        match args[i].as_str() {
            "--help" | "-h" => {
                println!("{HELP}");
                return Ok(());
            }
            "--port" => {
                port = number(value(&mut i)?, "--port")?
                    .try_into()
                    .map_err(|_| "--port must be 0..65535".to_owned())?
            }
            "--host" => host = value(&mut i)?,
            "--public-url" => public_url = Some(value(&mut i)?),
            "--client-id" => cfg.client_id = value(&mut i)?,
            "--callback" => callbacks.push(value(&mut i)?),
            "--cors-origin" => origins.push(value(&mut i)?),
            "--no-oauth-cors" => cfg.oauth_cors = false,
            "--no-pkce-required" => cfg.require_pkce = false,
            "--access-token-ttl" => {
                cfg.access_token_ttl =
                    Duration::from_secs(number(value(&mut i)?, "--access-token-ttl")?)
            }
            "--code-ttl" => {
                cfg.code_ttl = Duration::from_secs(number(value(&mut i)?, "--code-ttl")?)
            }
            "--rotate-refresh-tokens" => cfg.rotate_refresh_tokens = true,
            "--app-not-installed" => cfg.app_installed = false,
            "--jwt-access-tokens" => cfg.jwt_access_tokens = true,
            "--api-instance-url" => {
                cfg.api_instance_url = Some(value(&mut i)?.trim_end_matches('/').to_owned())
            }
            "--max-refresh-grants" => {
                cfg.max_refresh_grants = number(value(&mut i)?, "--max-refresh-grants")? as usize
            }
            "--batch-size" => {
                cfg.batch_size = number(value(&mut i)?, "--batch-size")?.max(1) as usize
            }
            "--end-session" => {
                let modes = [
                    ("salesforce", EndSession::Salesforce),
                    ("oidc", EndSession::Oidc),
                ];
                cfg.end_session = choice(value(&mut i)?, "--end-session", &modes)?
            }
            "--logout-url" => cfg.logout_url = Some(absolute_url(value(&mut i)?, "--logout-url")?),
            "--post-logout-uri" => cfg
                .post_logout_uris
                .push(absolute_url(value(&mut i)?, "--post-logout-uri")?),
            "--coop" => cfg.coop = true,
            "--dpop" => {
                let modes = [
                    ("off", Dpop::Off),
                    ("allowed", Dpop::Allowed),
                    ("required", Dpop::Required),
                ];
                cfg.dpop = choice(value(&mut i)?, "--dpop", &modes)?
            }
            "--dpop-nonce" => cfg.dpop_nonce = true,
            "--cors-no-dpop-header" => cfg.cors_dpop_header = false,
            "--cors-allow-method" => {
                // An HTTP method is a token (RFC 9110): anything else would drop the whole
                // Access-Control-Allow-Methods header and fail every preflight without a word.
                let name = value(&mut i)?;
                let tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
                if name.is_empty() || !name.bytes().all(tchar) {
                    return Err(format!(
                        "--cors-allow-method: {name:?} is not an HTTP method"
                    ));
                }
                cfg.cors_extra_methods.push(name)
            }
            "--id-token-alg" => {
                let algs = [("rs256", IdTokenAlg::Rs256), ("hs256", IdTokenAlg::Hs256)];
                cfg.id_token_alg = choice(value(&mut i)?, "--id-token-alg", &algs)?
            }
            "--test-control" => cfg.test_control = true,
            other => return Err(format!("unknown option {other:?} (see --help)")),
        }
        i += 1;
    }
    let ip: std::net::IpAddr = host
        .parse()
        .map_err(|_| format!("--host {host:?} is not an IP address"))?;
    if !ip.is_loopback() {
        return Err("the emulator listens on loopback addresses only".into());
    }
    if !callbacks.is_empty() {
        cfg.callbacks = callbacks;
    }
    if !origins.is_empty() {
        cfg.cors_origins = origins;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind((ip, port))
            .await
            .map_err(|e| format!("cannot listen on {ip}:{port}: {e}"))?;
        let bound = listener.local_addr().map_err(|e| e.to_string())?;
        cfg.public_url = public_url
            .unwrap_or_else(|| format!("http://{}:{}", host, bound.port()))
            .trim_end_matches('/')
            .to_owned();
        println!(
            "sf-emulator listening on {} (My Domain: {})",
            bound, cfg.public_url
        );
        println!("  client id:  {}", cfg.client_id);
        println!("  callbacks:  {}", cfg.callbacks.join(", "));
        println!(
            "  CORS:       {}{}",
            cfg.cors_origins.join(", "),
            if cfg.oauth_cors {
                ""
            } else {
                " (not on token/revoke)"
            }
        );
        println!(
            "  end session: {}{}",
            match cfg.end_session {
                EndSession::Salesforce => "salesforce",
                EndSession::Oidc => "oidc",
            },
            match (&cfg.end_session, &cfg.logout_url) {
                (EndSession::Salesforce, Some(u)) => format!(" (logout URL {u})"),
                (EndSession::Oidc, _) =>
                    format!(" (post-logout URIs: {})", cfg.post_logout_uris.join(", ")),
                _ => String::new(),
            }
        );
        println!(
            "  DPoP:       {}{}",
            match cfg.dpop {
                Dpop::Off => "off",
                Dpop::Allowed => "allowed",
                Dpop::Required => "required",
            },
            if cfg.dpop_nonce {
                " (nonce required)"
            } else {
                ""
            }
        );
        for u in &cfg.users {
            println!("  user:       {}  password: {}", u.username, u.password);
        }
        let app = App::new(cfg);
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        sf_emulator::serve(listener, app, shutdown)
            .await
            .map_err(|e| e.to_string())
    })
}

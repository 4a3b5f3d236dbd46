//! sf-emulator: a faithful local Salesforce (OAuth 2.0 + PKCE, identity, a small REST API) for
//! salesforce-pkce's demo and tests. It shares no code with the client.
#![forbid(unsafe_code)]
// axum handlers return `Response` as their error: boxing it would only add noise.
#![allow(clippy::result_large_err)]

pub mod authorize;
pub mod config;
pub mod control;
pub mod data;
pub mod dpop;
pub mod html;
pub mod identity;
pub mod introspect;
pub mod jwks;
pub mod jwt;
pub mod layers;
pub mod logout;
pub mod rest;
pub mod revoke;
pub mod sender;
pub mod soql;
pub mod state;
pub mod token;
pub mod util;

use axum::Router;
use axum::routing::{any, get, post};

pub use config::{Config, Dpop, EndSession, IdTokenAlg};
pub use state::{App, Shared};

/// The emulator's routes.
pub fn router(app: Shared) -> Router {
    let mut r = Router::new()
        .route("/services/oauth2/authorize", get(authorize::authorize))
        .route("/services/oauth2/authorize/login", post(authorize::login))
        .route(
            "/services/oauth2/authorize/consent",
            post(authorize::consent),
        )
        .route(
            "/services/oauth2/token",
            post(token::token).get(token::token),
        )
        .route(
            "/services/oauth2/revoke",
            post(revoke::revoke).get(revoke::revoke),
        )
        .route(
            "/services/oauth2/introspect",
            post(introspect::introspect).get(introspect::introspect),
        )
        .route("/id/keys", get(jwks::keys))
        .route("/services/oauth2/id/keys", get(jwks::keys))
        .route(
            "/services/oauth2/userinfo",
            get(identity::userinfo).post(identity::userinfo),
        )
        .route(
            logout::END_SESSION_PATH,
            get(logout::end_session).post(logout::end_session),
        )
        .route("/id/{org}/{user}", get(identity::identity))
        .route(
            "/.well-known/openid-configuration",
            get(identity::discovery),
        )
        .route("/services/data", get(rest::versions))
        .route("/services/data/", get(rest::versions))
        .route("/services/data/{v}", get(rest::resources))
        .route("/services/data/{v}/", get(rest::resources))
        .route(
            "/services/data/{v}/query",
            get(rest::query).post(rest::query),
        )
        .route("/services/data/{v}/query/", get(rest::query))
        .route("/services/data/{v}/query/{locator}", get(rest::query_more))
        .route(
            "/services/data/{v}/sobjects/{kind}/{id}",
            get(rest::sobject),
        )
        .route("/services/data/{v}/{*rest}", any(rest::other));
    if app.config.test_control {
        r = r
            .route("/__emulator/log", get(control::log))
            .route(
                "/__emulator/faults",
                post(control::faults).delete(control::clear_faults),
            )
            .route("/__emulator/expire-access-tokens", post(control::expire))
            .route("/__emulator/reset", post(control::reset))
            .route("/__emulator/state", get(control::state))
            .route("/__emulator/tokens", get(control::tokens))
            .route("/__emulator/dpop-nonce/rotate", post(sender::rotate));
    }
    r.layer(axum::middleware::from_fn_with_state(
        app.clone(),
        layers::layer,
    ))
    .layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
    .with_state(app)
}

/// Serves on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Shared,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown)
        .await
}

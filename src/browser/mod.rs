//! The browser runtime (wasm32 only): the one place that touches the browser — crypto
//! randomness, location/history, sessionStorage (the short-lived pending login only), fetch,
//! timers and events. It executes the session machine's actions (`driver.rs`); tokens live in
//! this module's memory (inside the machine) and nowhere else.

#[allow(unused_imports)]
use crate::core::prelude::*;

mod client;
#[cfg(feature = "dpop")]
mod dpop;
#[cfg(not(feature = "dpop"))]
#[path = "no_dpop.rs"]
mod dpop;
#[cfg(feature = "dpop")]
mod dpop_fetch;
mod driver;
mod end_session;
mod env;
mod events;
mod exec;
#[cfg(not(feature = "npm"))]
mod facade;
mod fetch;
#[cfg(feature = "gloo")]
mod gloo;
#[cfg(feature = "sharing")]
mod host;
mod json;
mod login;
mod net;
mod pending;
mod popup;
mod redirect;
#[cfg(feature = "sharing")]
mod remote;
mod restore;
mod resume;
mod router;
#[cfg(feature = "sharing")]
mod share;
#[cfg(feature = "sharing")]
mod sharing;
#[cfg(not(feature = "sharing"))]
#[path = "no_sharing.rs"]
mod sharing;
pub(crate) mod sys;
#[cfg(not(feature = "sharing"))]
use sharing as remote;
#[cfg(feature = "sharing")]
mod tabs;
mod userinfo;

pub use client::AuthClient;
#[cfg(not(feature = "npm"))]
pub use client::Subscription;
pub(crate) use env::location_origin as page_origin;
pub use events::{AuthEvent, EVENT_NAMES, ErrorCounts, Session, Stats};
pub(crate) use exec::{settled, to_js};
#[cfg(feature = "gloo")]
pub use gloo::IntoRequest;
#[cfg(feature = "sharing")]
pub use host::SessionHost;
pub use json::BrowserJson;
pub(crate) use json::{
    from_js, parsed as json_parsed, value_of as json_value, with_error as json_with_error,
};
pub use redirect::Redirect;

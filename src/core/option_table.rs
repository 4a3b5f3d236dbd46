//! The options tables (`ClientOptions`' own; the methods' `LoginOptions`, `LogoutOptions` and
//! `PopupOptions` share one): for every option, its JS name and how its value is read from the
//! object the app gave (as a [`Json`] tree) and carried in the session worker's form.
//!
//! The structs keep their fields and docs; each table is built with [`option!`] (the methods'
//! one is `core::method_options::TABLE`, each method reading its own entries: one reader for the
//! four option-taking methods), and a host test (`core/config.rs`) ties every table to its
//! struct's fields and to `js/types.d.ts`.
//! So an option cannot be accepted and silently dropped: the JS API, the worker form and the
//! typings check all read the same table.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::dpop::DpopMode;
use crate::core::error::AuthError;
use crate::core::json::Json;
#[cfg(feature = "sharing")]
use crate::core::text::decimal;

/// Where an option's value lives in its struct, by type: each table entry is one small
/// accessor, and reading, writing and checking are written once here for all of them (a
/// function per option and per operation cost 2.5 KB of wasm).
pub(crate) enum Slot<'a> {
    Str(&'a mut Option<String>),
    Strs(&'a mut Option<Vec<String>>),
    Num(&'a mut Option<f64>),
    Bool(&'a mut Option<bool>),
    Dpop(&'a mut Option<DpopMode>),
}

/// The [`Slot`] of a field of type `Option<Self>`.
pub(crate) trait OptionType: Sized {
    fn slot(field: &mut Option<Self>) -> Slot<'_>;
}

impl OptionType for String {
    fn slot(field: &mut Option<Self>) -> Slot<'_> {
        Slot::Str(field)
    }
}
impl OptionType for Vec<String> {
    fn slot(field: &mut Option<Self>) -> Slot<'_> {
        Slot::Strs(field)
    }
}
impl OptionType for f64 {
    fn slot(field: &mut Option<Self>) -> Slot<'_> {
        Slot::Num(field)
    }
}
impl OptionType for bool {
    fn slot(field: &mut Option<Self>) -> Slot<'_> {
        Slot::Bool(field)
    }
}
impl OptionType for DpopMode {
    fn slot(field: &mut Option<Self>) -> Slot<'_> {
        Slot::Dpop(field)
    }
}

impl Slot<'_> {
    /// Sets the value from the app's object; a value of another type is `invalid_config`
    /// naming `name`.
    fn read(self, name: &str, v: &Json) -> Result<(), AuthError> {
        let reason = self.expected();
        let fits = match (self, v) {
            (Slot::Str(f), Json::String(s)) => {
                *f = Some(s.clone());
                true
            }
            (Slot::Strs(f), Json::Array(items)) => 'strs: {
                let mut list = Vec::with_capacity(items.len());
                for item in items {
                    let Json::String(s) = item else {
                        break 'strs false;
                    };
                    list.push(s.clone());
                }
                *f = Some(list);
                true
            }
            (Slot::Num(f), Json::Number(n)) => {
                *f = Some(*n);
                true
            }
            (Slot::Bool(f), Json::Bool(b)) => {
                *f = Some(*b);
                true
            }
            (Slot::Dpop(f), v) => {
                *f = DpopMode::read(v);
                f.is_some()
            }
            _ => false,
        };
        match fits {
            true => Ok(()),
            false => Err(AuthError::config(name, reason)),
        }
    }

    fn expected(&self) -> &'static str {
        match self {
            Slot::Str(_) => "must be a string",
            Slot::Strs(_) => "must be an array of strings",
            Slot::Num(_) => "must be a number",
            Slot::Bool(_) => "must be true or false",
            Slot::Dpop(_) => "must be false, true or \"if-supported\"",
        }
    }

    /// The value in the worker form (`None`: unset, or a number that is not whole and
    /// non-negative, which config validation refuses before a form is written).
    #[cfg(feature = "sharing")]
    fn wire_text(self) -> Option<String> {
        match self {
            Slot::Str(f) => f.clone(),
            Slot::Strs(f) => f.as_ref().map(|l| crate::core::text::joined(l, "\n")),
            Slot::Num(f) => f
                .filter(|n| n.is_finite() && *n >= 0.0)
                .map(|n| decimal(n as u64)),
            Slot::Bool(f) => f.map(|b| if b { "1" } else { "0" }.to_owned()),
            Slot::Dpop(f) => f.map(|m| m.wire_name().to_owned()),
        }
    }

    /// Reads [`wire_text`](Self::wire_text)'s form; `false` when it does not fit.
    #[cfg(feature = "sharing")]
    fn set_from_wire(self, s: &str) -> bool {
        match self {
            Slot::Str(f) => *f = Some(s.to_owned()),
            Slot::Strs(f) => *f = Some(crate::core::bytes::words(s, b'\n')),
            Slot::Num(f) => {
                *f = crate::core::text::parse_u64(s)
                    .filter(|n| *n < 1 << 53)
                    .map(|n| n as f64);
                return f.is_some();
            }
            Slot::Bool(f) => {
                *f = match s {
                    "1" => Some(true),
                    "0" => Some(false),
                    _ => return false,
                }
            }
            Slot::Dpop(f) => {
                *f = DpopMode::from_wire(s);
                return f.is_some();
            }
        }
        true
    }
}

/// One option of an options struct `T`: its JS name and where its value lives.
pub struct OptionEntry<T> {
    /// The JS name (`clientId`).
    pub name: &'static str,
    /// Whether the session worker's form carries it (not the page-only options).
    #[cfg(feature = "sharing")]
    pub(crate) to_worker: bool,
    pub(crate) slot: fn(&mut T) -> Slot<'_>,
}

impl<T> OptionEntry<T> {
    /// Its value in the worker form, if set.
    #[cfg(feature = "sharing")]
    pub(crate) fn wire_text(&self, options: &mut T) -> Option<String> {
        (self.slot)(options).wire_text()
    }

    /// Sets it from the worker form; `false` when the text does not fit its type.
    #[cfg(feature = "sharing")]
    pub(crate) fn read_wire(&self, options: &mut T, text: &str) -> bool {
        (self.slot)(options).set_from_wire(text)
    }
}

/// An [`OptionEntry`] for `field` of type `Option<$ty>`, named `$js` in JS. `page_only`: the
/// session worker's form leaves it out. `part.field`: a field of one of the struct's parts (the
/// worker's form never carries those).
macro_rules! option {
    ($field:ident, $js:literal, $ty:ty) => {
        $crate::core::option_table::option!($field, $js, $ty, true)
    };
    ($field:ident, $js:literal, $ty:ty, page_only) => {
        $crate::core::option_table::option!($field, $js, $ty, false)
    };
    ($part:ident . $field:ident, $js:literal, $ty:ty) => {
        $crate::core::option_table::OptionEntry {
            name: $js,
            #[cfg(feature = "sharing")]
            to_worker: false,
            slot: |o| <$ty as $crate::core::option_table::OptionType>::slot(&mut o.$part.$field),
        }
    };
    ($field:ident, $js:literal, $ty:ty, $to_worker:literal) => {
        $crate::core::option_table::OptionEntry {
            name: $js,
            #[cfg(feature = "sharing")]
            to_worker: $to_worker,
            slot: |o| <$ty as $crate::core::option_table::OptionType>::slot(&mut o.$field),
        }
    };
}
pub(crate) use option;

/// The entries of an options object: absent (`undefined`/`null`, read as `Null`) or an object
/// whose every key is one of `known`; anything else is `invalid_config`.
pub(crate) fn entries<'a>(
    value: &'a Json,
    known: &[&str],
) -> Result<&'a [(String, Json)], AuthError> {
    let entries = match value {
        Json::Null => return Ok(&[]),
        Json::Object(entries) => entries,
        _ => return Err(AuthError::config("options", "must be an object")),
    };
    if let Some((key, _)) = entries.iter().find(|(k, _)| !known.contains(&k.as_str())) {
        let reason = ["unknown option; the options are: ", &known.join_with(", ")].cat();
        return Err(AuthError::config(key, reason));
    }
    Ok(entries)
}

/// Fills a `T` from `entries` by `table` (a `null` value is absent; keys not in the table are
/// left to the caller, which checked them with [`entries`]).
pub(crate) fn fill<T: Default>(
    entries: &[(String, Json)],
    table: &[OptionEntry<T>],
) -> Result<T, AuthError> {
    let mut out = T::default();
    for (key, value) in entries {
        if matches!(value, Json::Null) {
            continue;
        }
        // (The refusal returned as it is, not moved by `?`.)
        if let Some(entry) = table.iter().find(|e| e.name == key)
            && let Err(e) = (entry.slot)(&mut out).read(key, value)
        {
            return Err(e);
        }
    }
    Ok(out)
}

/// A `T` from an options object read by one table.
pub(crate) fn read<T: Default>(value: &Json, table: &[OptionEntry<T>]) -> Result<T, AuthError> {
    let mut known = Vec::new();
    for e in table {
        known.push(e.name);
    }
    match entries(value, &known) {
        Ok(entries) => fill(entries, table),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::ClientOptions;
    use crate::core::method_options;

    fn tree(v: serde_json::Value) -> Json {
        crate::core::json::from_serde(&v, 0)
    }

    fn refused(e: AuthError) -> (String, String) {
        match e {
            AuthError::InvalidConfig { field, reason } => (field, reason),
            other => panic!("not invalid_config: {other:?}"),
        }
    }

    #[test]
    fn every_kind_is_read_and_null_is_absent() {
        let o = ClientOptions::from_json(&tree(serde_json::json!({
            "clientId": "3MVG9x", "scopes": ["api", "openid"], "timeoutMs": 2500,
            "verifyIdTokenSignature": true, "dpop": "if-supported", "loginHost": null,
        })))
        .unwrap();
        assert_eq!(o.client_id.as_deref(), Some("3MVG9x"));
        assert_eq!(o.scopes, Some(vec!["api".to_owned(), "openid".to_owned()]));
        assert_eq!(o.timeout_ms, Some(2500.0));
        assert_eq!(o.verify_id_token_signature, Some(true));
        assert_eq!(o.dpop, Some(DpopMode::IfSupported));
        assert_eq!(o.login_host, None);
        // `dpop`'s other two forms (and its refusals in the next test).
        for (v, mode) in [(false, DpopMode::Off), (true, DpopMode::Required)] {
            let o = ClientOptions::from_json(&tree(serde_json::json!({ "dpop": v }))).unwrap();
            assert_eq!(o.dpop, Some(mode));
        }
        let empty = ClientOptions::from_json(&Json::Null).unwrap();
        assert_eq!(
            format!("{empty:?}"),
            format!("{:?}", ClientOptions::default())
        );
    }

    #[test]
    fn a_value_of_another_type_names_its_option() {
        for (json, field, reason) in [
            (
                serde_json::json!({ "clientId": 7 }),
                "clientId",
                "must be a string",
            ),
            (
                serde_json::json!({ "scopes": "api" }),
                "scopes",
                "must be an array of strings",
            ),
            (
                serde_json::json!({ "scopes": ["api", 1] }),
                "scopes",
                "must be an array of strings",
            ),
            (
                serde_json::json!({ "timeoutMs": "9" }),
                "timeoutMs",
                "must be a number",
            ),
            (
                serde_json::json!({ "restore": true }),
                "restore",
                "must be a string",
            ),
            (
                serde_json::json!({ "verifyIdTokenSignature": "yes" }),
                "verifyIdTokenSignature",
                "must be true or false",
            ),
            (
                serde_json::json!({ "dpop": "always" }),
                "dpop",
                "must be false, true or \"if-supported\"",
            ),
            (
                serde_json::json!({ "dpop": "If-Supported" }),
                "dpop",
                "must be false, true or \"if-supported\"",
            ),
            (
                serde_json::json!({ "dpop": 1 }),
                "dpop",
                "must be false, true or \"if-supported\"",
            ),
        ] {
            let (f, r) = refused(ClientOptions::from_json(&tree(json)).unwrap_err());
            assert_eq!((f.as_str(), r.as_str()), (field, reason));
        }
    }

    #[test]
    fn an_unknown_key_is_refused_with_the_list_of_options() {
        let (field, reason) = refused(
            ClientOptions::from_json(&tree(serde_json::json!({ "clientID": "x" }))).unwrap_err(),
        );
        assert_eq!(field, "clientID");
        assert!(reason.starts_with("unknown option; the options are: clientId, redirectUri"));
        let (field, reason) = refused(
            method_options::read(
                &tree(serde_json::json!({ "returnTo": "/", "prompt": "login" })),
                method_options::LOGOUT,
            )
            .unwrap_err(),
        );
        assert_eq!(field, "prompt");
        assert_eq!(
            reason,
            "unknown option; the options are: endSession, postLogoutRedirectUri, state, returnTo"
        );
        let (field, reason) =
            refused(ClientOptions::from_json(&tree(serde_json::json!(["x"]))).unwrap_err());
        assert_eq!(
            (field.as_str(), reason.as_str()),
            ("options", "must be an object")
        );
    }

    #[test]
    fn each_method_reads_its_own_options_of_the_one_table() {
        let read = |v, entries| method_options::read(&tree(v), entries);
        let o = read(
            serde_json::json!({
                "returnTo": "/a", "immediate": false, "popupTimeoutMs": 5000, "popupFeatures": "popup",
            }),
            method_options::POPUP,
        )
        .unwrap();
        assert_eq!(o.login.return_to.as_deref(), Some("/a"));
        assert_eq!(o.login.immediate, Some(false));
        assert_eq!(o.popup.popup_timeout_ms, Some(5000.0));
        assert_eq!(o.popup.popup_features.as_deref(), Some("popup"));
        let e = read(
            serde_json::json!({ "endSession": true }),
            method_options::POPUP,
        );
        assert_eq!(refused(e.unwrap_err()).0, "endSession");
        // login() and authorizationUrl() read a login's options only: a popup's is unknown.
        let e = read(
            serde_json::json!({ "popupTimeoutMs": 5000 }),
            method_options::LOGIN,
        );
        let (field, reason) = refused(e.unwrap_err());
        assert_eq!(field, "popupTimeoutMs");
        assert_eq!(
            reason,
            "unknown option; the options are: returnTo, prompt, loginHint, immediate"
        );
        let o = read(
            serde_json::json!({ "loginHint": "ada" }),
            method_options::LOGIN,
        );
        assert_eq!(o.unwrap().login.login_hint.as_deref(), Some("ada"));
        // logout()'s returnTo is the logout's, not a login's.
        let o = read(
            serde_json::json!({ "endSession": true, "returnTo": "/b", "state": "s" }),
            method_options::LOGOUT,
        )
        .unwrap();
        assert_eq!(o.logout.end_session, Some(true));
        assert_eq!(o.logout.return_to.as_deref(), Some("/b"));
        assert_eq!(o.logout.state.as_deref(), Some("s"));
        assert_eq!(o.login.return_to, None);
        let e = read(
            serde_json::json!({ "loginHint": "ada" }),
            method_options::LOGOUT,
        );
        assert_eq!(refused(e.unwrap_err()).0, "loginHint");
    }
}

//! The one table of each options object (`ClientOptions`, `LoginOptions`, `LogoutOptions`,
//! `PopupOptions`): for every option, its JS name and how its value is read from the object the
//! app gave (as a [`Json`] tree) and carried in the session worker's form.
//!
//! The structs keep their fields and docs; each has one table built with [`option!`], and a
//! host test (`core/config.rs`) ties every table to its struct's fields and to `js/types.d.ts`.
//! So an option cannot be accepted and silently dropped: the JS API, the worker form and the
//! typings check all read the same table.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::dpop::DpopMode;
use crate::core::error::AuthError;
use crate::core::json::Json;
use crate::core::text::decimal;

/// A value type an option may have.
pub(crate) trait OptionType: Sized {
    /// The `invalid_config` reason for a value of another type.
    const EXPECTED: &'static str;
    /// The value from the app's object (`None`: another type).
    fn from_json(v: &Json) -> Option<Self>;
    /// The value in the worker form (`None`: not carried, e.g. a negative number).
    fn to_wire(&self) -> Option<String>;
    /// Reads [`to_wire`](Self::to_wire)'s form.
    fn from_wire(s: &str) -> Option<Self>;
}

impl OptionType for String {
    const EXPECTED: &'static str = "must be a string";
    fn from_json(v: &Json) -> Option<Self> {
        match v {
            Json::String(s) => Some(s.clone()),
            _ => None,
        }
    }
    fn to_wire(&self) -> Option<String> {
        Some(self.clone())
    }
    fn from_wire(s: &str) -> Option<Self> {
        Some(s.to_owned())
    }
}

impl OptionType for Vec<String> {
    const EXPECTED: &'static str = "must be an array of strings";
    fn from_json(v: &Json) -> Option<Self> {
        match v {
            Json::Array(items) => items.iter().map(String::from_json).collect(),
            _ => None,
        }
    }
    fn to_wire(&self) -> Option<String> {
        Some(self.join("\n"))
    }
    fn from_wire(s: &str) -> Option<Self> {
        Some(
            s.split('\n')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        )
    }
}

impl OptionType for f64 {
    const EXPECTED: &'static str = "must be a number";
    fn from_json(v: &Json) -> Option<Self> {
        match v {
            Json::Number(n) => Some(*n),
            _ => None,
        }
    }
    /// Whole non-negative numbers (milliseconds, seconds); config validation refuses others
    /// before a worker form is written.
    fn to_wire(&self) -> Option<String> {
        (self.is_finite() && *self >= 0.0).then(|| decimal(*self as u64))
    }
    fn from_wire(s: &str) -> Option<Self> {
        s.parse::<u64>()
            .ok()
            .filter(|n| *n < 1 << 53)
            .map(|n| n as f64)
    }
}

impl OptionType for bool {
    const EXPECTED: &'static str = "must be true or false";
    fn from_json(v: &Json) -> Option<Self> {
        match v {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }
    fn to_wire(&self) -> Option<String> {
        Some(if *self { "1" } else { "0" }.to_owned())
    }
    fn from_wire(s: &str) -> Option<Self> {
        match s {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        }
    }
}

impl OptionType for DpopMode {
    const EXPECTED: &'static str = "must be false, true or \"if-supported\"";
    fn from_json(v: &Json) -> Option<Self> {
        match v {
            Json::Bool(b) => DpopMode::parse(Some(*b), None).ok(),
            Json::String(s) => DpopMode::parse(None, Some(s)).ok(),
            _ => None,
        }
    }
    fn to_wire(&self) -> Option<String> {
        Some(self.wire_name().to_owned())
    }
    fn from_wire(s: &str) -> Option<Self> {
        DpopMode::from_wire(s)
    }
}

/// One option of an options struct `T`: its JS name and how its value is read and carried.
pub struct OptionEntry<T> {
    /// The JS name (`clientId`).
    pub name: &'static str,
    /// Whether the session worker's form carries it (not the page-only options).
    pub(crate) to_worker: bool,
    pub(crate) read: fn(&mut T, &Json) -> Result<(), AuthError>,
    pub(crate) to_wire: fn(&T) -> Option<String>,
    pub(crate) from_wire: fn(&mut T, &str) -> bool,
}

/// An [`OptionEntry`] for `field` of type `Option<$ty>`, named `$js` in JS. `page_only`: the
/// session worker's form leaves it out.
macro_rules! option {
    ($field:ident, $js:literal, $ty:ty) => {
        $crate::core::option_table::option!($field, $js, $ty, true)
    };
    ($field:ident, $js:literal, $ty:ty, page_only) => {
        $crate::core::option_table::option!($field, $js, $ty, false)
    };
    ($field:ident, $js:literal, $ty:ty, $to_worker:literal) => {
        $crate::core::option_table::OptionEntry {
            name: $js,
            to_worker: $to_worker,
            read: |o, v| {
                type T = $ty;
                o.$field = Some(
                    <T as $crate::core::option_table::OptionType>::from_json(v).ok_or_else(
                        || {
                            $crate::core::error::AuthError::config(
                                $js,
                                <T as $crate::core::option_table::OptionType>::EXPECTED,
                            )
                        },
                    )?,
                );
                Ok(())
            },
            to_wire: |o| {
                o.$field
                    .as_ref()
                    .and_then(<$ty as $crate::core::option_table::OptionType>::to_wire)
            },
            from_wire: |o, s| {
                o.$field = <$ty as $crate::core::option_table::OptionType>::from_wire(s);
                o.$field.is_some()
            },
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
        let reason = ["unknown option; the options are: ", &known.join(", ")].concat();
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
        if let Some(entry) = table.iter().find(|e| e.name == key) {
            (entry.read)(&mut out, value)?;
        }
    }
    Ok(out)
}

/// A `T` from an options object read by one table.
pub(crate) fn read<T: Default>(value: &Json, table: &[OptionEntry<T>]) -> Result<T, AuthError> {
    let known: Vec<&str> = table.iter().map(|e| e.name).collect();
    fill(entries(value, &known)?, table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::authorize::LoginOptions;
    use crate::core::config::ClientOptions;
    use crate::core::end_session::LogoutOptions;
    use crate::core::popup::PopupOptions;

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
                DpopMode::EXPECTED,
            ),
            (serde_json::json!({ "dpop": 1 }), "dpop", DpopMode::EXPECTED),
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
        let (field, _) = refused(
            LogoutOptions::from_json(&tree(
                serde_json::json!({ "returnTo": "/", "prompt": "login" }),
            ))
            .unwrap_err(),
        );
        assert_eq!(field, "prompt");
        let (field, reason) =
            refused(ClientOptions::from_json(&tree(serde_json::json!(["x"]))).unwrap_err());
        assert_eq!(
            (field.as_str(), reason.as_str()),
            ("options", "must be an object")
        );
    }

    #[test]
    fn a_popup_login_reads_a_logins_options_and_the_popups_from_one_object() {
        let (login, popup) = PopupOptions::from_json(&tree(serde_json::json!({
            "returnTo": "/a", "immediate": false, "popupTimeoutMs": 5000, "popupFeatures": "popup",
        })))
        .unwrap();
        assert_eq!(login.return_to.as_deref(), Some("/a"));
        assert_eq!(login.immediate, Some(false));
        assert_eq!(popup.popup_timeout_ms, Some(5000.0));
        assert_eq!(popup.popup_features.as_deref(), Some("popup"));
        let e =
            PopupOptions::from_json(&tree(serde_json::json!({ "endSession": true }))).unwrap_err();
        assert_eq!(refused(e).0, "endSession");
        let l = LoginOptions::from_json(&tree(serde_json::json!({ "loginHint": "ada" }))).unwrap();
        assert_eq!(l.login_hint.as_deref(), Some("ada"));
    }
}

//! A provider's own values in a token set ([`TokenExtras`]) and the table a profile declares them
//! in ([`TokenField`]): the token response fields beyond RFC 6749's (Salesforce's
//! `instance_url`, `id`, `token_format` …) and what the profile derives from them.

#[allow(unused_imports)]
use crate::core::prelude::*;

/// The session view's `instanceUrl`: the base `auth.fetch` resolves relative URLs against.
pub const INSTANCE_URL: &str = "instance_url";
/// The session view's `apiInstanceUrl`.
pub const API_INSTANCE_URL: &str = "api_instance_url";
/// The session view's `userId`.
pub const USER_ID: &str = "user_id";
/// The session view's `orgId`.
pub const ORG_ID: &str = "org_id";

/// One value a profile keeps in the token set: read from the token response field of its name,
/// or derived by the profile (`Profile::derive_extras`). Its name is also its key in
/// [`TokenExtras`] and in the tabs' message form. The names [`INSTANCE_URL`],
/// [`API_INSTANCE_URL`], [`USER_ID`] and [`ORG_ID`] fill the session view's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenField {
    /// Its name.
    pub name: &'static str,
    /// A URL the token may be sent to: it passes the trust rule (`check_bearer_url`) wherever it
    /// comes from (a token response, another tab), or the whole answer is refused.
    pub bearer: bool,
    /// Read from the token response (else set by `Profile::derive_extras`).
    pub from_response: bool,
    /// A token response without it (and no earlier value on a refresh) is refused.
    pub required: bool,
    /// Text is kept when it is 1 to `max` visible ASCII characters, else dropped.
    pub max: usize,
}

impl TokenField {
    /// A response field naming a URL the token may be sent to (`instance_url`).
    pub const fn bearer_url(name: &'static str) -> Self {
        TokenField {
            name,
            bearer: true,
            from_response: true,
            required: false,
            max: 2048,
        }
    }

    /// A text response field, kept when it is 1 to `max` visible ASCII characters.
    pub const fn text(name: &'static str, max: usize) -> Self {
        TokenField {
            name,
            bearer: false,
            from_response: true,
            required: false,
            max,
        }
    }

    /// A value the profile derives (`Profile::derive_extras`), of at most `max` characters.
    pub const fn derived(name: &'static str, max: usize) -> Self {
        TokenField {
            from_response: false,
            ..TokenField::text(name, max)
        }
    }

    /// The same field, required in a token response.
    pub const fn required(self) -> Self {
        TokenField {
            required: true,
            ..self
        }
    }

    /// Whether `value` fits the field's text rule: 1 to `max` visible ASCII characters.
    pub fn fits(&self, value: &str) -> bool {
        !value.is_empty() && value.len() <= self.max && value.all_bytes(|b| b.is_ascii_graphic())
    }
}

/// The provider profile's own values of a token set, by name (Salesforce: `instance_url`,
/// `api_instance_url`, `token_format`, `id`, `user_id`, `org_id`): never a token. Kept across
/// refreshes that leave them out; carried to other tabs with the set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenExtras(Vec<(String, String)>);

impl TokenExtras {
    /// The value of `name` (`"instance_url"`, Salesforce's `"org_id"` …), if the set has one.
    pub fn get(&self, name: &str) -> Option<&str> {
        for (k, v) in &self.0 {
            if k == name {
                return Some(v);
            }
        }
        None
    }

    /// Every (name, value), in the order they were first set.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Sets `name` (replacing its value).
    pub(crate) fn set(&mut self, name: &str, value: String) {
        for (k, v) in &mut self.0 {
            if k == name {
                *v = value;
                return;
            }
        }
        self.0.push((name.to_owned(), value));
    }

    /// Sets the value a profile derives for `field` (`Profile::derive_extras`). A value out of
    /// the field's bounds is set empty (no field keeps an empty value), where a later value
    /// replaces it in place, and dropped by [`Self::drop_marked`] once every value is derived:
    /// the field is then left out, whatever the set held before.
    pub(crate) fn derive(&mut self, field: &TokenField, mut value: String) {
        if !field.fits(&value) {
            value.clear();
        }
        self.set(field.name, value);
    }

    /// Drops the values [`Self::derive`] marked out of bounds.
    pub(crate) fn drop_marked(&mut self) {
        self.0.retain(|(_, v)| !v.is_empty());
    }

    /// Keeps the values `keep` accepts.
    #[cfg(test)]
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&str, &str) -> bool) {
        self.0.retain(|(k, v)| keep(k, v));
    }
}

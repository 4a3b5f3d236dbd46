//! A configuration finding ([`Finding`]) and the list the doctor's checks add to
//! ([`Findings`]): the shared checks in `core::doctor`, each provider's own in its profile
//! (`Profile::doctor`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use serde::Serialize;

use crate::core::error::AuthError;
use crate::core::url::HttpUrl;

/// How bad a finding is. `Error` findings make the constructor refuse the options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The flow cannot work (or would be unsafe) as configured.
    Error,
    /// Likely a mistake.
    Warning,
    /// Worth knowing.
    Info,
}

/// One doctor finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code, e.g. `login_host_no_cors`.
    pub code: &'static str,
    /// Severity.
    pub severity: Severity,
    /// What is wrong, in one line; outside the npm build followed by how to fix it (the
    /// explanation of `js/prose.js` for this code, which the npm package's development entry
    /// adds in JS). A message's last clause written `explained!` is left out of the npm build
    /// too, and put back by the development entry (`js/development.js`).
    pub message: String,
    /// The option concerned (`loginHost`, `scopes`, …).
    pub field: &'static str,
}

/// The explanation of a finding `code` in `js/prose.js` (one `code: \`text\`,` line each).
#[cfg(any(test, not(feature = "npm")))]
pub(crate) fn prose(code: &str) -> Option<&'static str> {
    include_str!("../../js/prose.js").lines().find_map(|line| {
        line.trim_start()
            .strip_prefix(code)?
            .strip_prefix(": `")?
            .strip_suffix("`,")
    })
}

/// The findings of one doctor run, in the order the checks found them.
pub struct Findings(pub(crate) Vec<Finding>);

impl Findings {
    /// Adds a finding whose message is `message`'s parts, concatenated.
    pub fn add(
        &mut self,
        severity: Severity,
        code: &'static str,
        field: &'static str,
        message: &[&str],
    ) {
        #[cfg(test)]
        assert!(
            code.starts_with("example_") || prose(code).is_some(),
            "{code} has no explanation in js/prose.js"
        );
        let message = message.cat();
        // The npm build ships the short message; its development entry adds the explanation.
        #[cfg(not(feature = "npm"))]
        let message = match prose(code) {
            Some(more) => [&message, ". ", more].cat(),
            None => message,
        };
        self.0.push(Finding {
            code,
            severity,
            message,
            field,
        });
    }

    /// A finding whose code, field and message are one text, `"code field message"` (one
    /// argument at each call site instead of three).
    pub fn say(&mut self, severity: Severity, text: &'static str) {
        let (code, rest) = text.cut(b' ').unwrap_or_default();
        let (field, message) = rest.cut(b' ').unwrap_or_default();
        self.add(severity, code, field, &[message]);
    }

    /// An `Error` finding whose message is why `e` refused the value (a URL option that does not
    /// parse): one copy of the reason's making and dropping for every such check.
    #[inline(never)]
    pub fn refused(&mut self, code: &'static str, field: &'static str, e: AuthError) {
        self.add(Severity::Error, code, field, &[&e.config_reason()]);
    }

    /// A URL option: `invalid` when it does not parse, `not_https` when it is plain http off
    /// loopback.
    pub fn secure_url(
        &mut self,
        field: &'static str,
        value: &str,
        invalid: &'static str,
        not_https: &'static str,
    ) {
        match HttpUrl::parse(value, field) {
            Err(e) => self.refused(invalid, field, e),
            Ok(u) if !u.origin().is_secure_or_loopback() => self.add(
                Severity::Error,
                not_https,
                field,
                &[
                    field,
                    explained!(
                        " must use https",
                        " (plain http only for localhost / 127.0.0.1)"
                    ),
                ],
            ),
            Ok(_) => {}
        }
    }
}

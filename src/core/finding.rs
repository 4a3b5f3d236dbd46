//! A configuration finding ([`Finding`]) and the list the doctor's checks add to
//! ([`Findings`]): the shared checks in `core::doctor`, each provider's own in its profile
//! (`Profile::doctor`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use serde::Serialize;

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
    /// What is wrong and how to fix it.
    pub message: String,
    /// The option concerned (`loginHost`, `scopes`, …).
    pub field: &'static str,
}

/// The findings of one doctor run, in the order the checks found them.
pub struct Findings(pub(crate) Vec<Finding>);

impl Findings {
    /// Adds a finding.
    pub fn add(
        &mut self,
        severity: Severity,
        code: &'static str,
        field: &'static str,
        message: impl Into<String>,
    ) {
        self.0.push(Finding {
            code,
            severity,
            message: message.into(),
            field,
        });
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
            Err(e) => self.add(Severity::Error, invalid, field, e.config_reason()),
            Ok(u) if !u.origin().is_secure_or_loopback() => self.add(
                Severity::Error,
                not_https,
                field,
                [
                    field,
                    " must use https (plain http only for localhost / 127.0.0.1)",
                ]
                .concat(),
            ),
            Ok(_) => {}
        }
    }
}

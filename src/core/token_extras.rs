//! The profile's fields of a token response over the previous set's ([`read_extras`]), and
//! the shape refusal the token answer's reader shares.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::config::ClientConfig;
use crate::core::error::AuthError;
use crate::core::json::Json;
use crate::core::profile::{TokenExtras, check_bearer_url};

/// The shape refusal (a JSON object whose field has the wrong type, or no object at all).
pub(crate) const WRONG_SHAPE: &str = brief!(
    "the body has the wrong shape",
    "the body is not a JSON object of the expected shape"
);

/// The profile's fields of a token response ([`TokenField`](crate::core::profile::TokenField)),
/// over the previous set's on a refresh: a URL that may receive the token must pass the trust
/// rule (else the answer is refused), text out of its field's bounds is dropped, and a required
/// field with no value refuses the answer.
pub(crate) fn read_extras(
    config: &ClientConfig,
    value: &Json,
    previous: Option<&TokenExtras>,
) -> Result<TokenExtras, AuthError> {
    let mut extras = match previous {
        Some(p) => p.clone(),
        None => TokenExtras::default(),
    };
    for field in config.profile().token_fields() {
        let read = match field.from_response {
            true => match value.str_ref(field.name) {
                Ok(read) => read,
                Err(_) => return Err(AuthError::token_response(WRONG_SHAPE)),
            },
            false => None,
        };
        match read {
            Some(url) if field.bearer => {
                let checked = check_bearer_url(
                    field.name,
                    url,
                    config.login_host(),
                    &config.trusted_instance_hosts,
                    config.profile().instance_hosts(),
                );
                match checked {
                    Ok(base) => extras.set(field.name, base),
                    Err(e) => return Err(e),
                }
            }
            Some(text) if field.fits(text) => extras.set(field.name, text.to_owned()),
            _ => {}
        }
        if field.required && extras.get(field.name).is_none() {
            return Err(AuthError::token_response([field.name, " is missing"].cat()));
        }
    }
    Ok(extras)
}

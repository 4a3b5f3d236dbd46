//! What the fuzz targets share: the Salesforce client configuration they check against (the
//! tests' fixture), built once (not per input), and the shaping of a message's text.

use std::borrow::Cow;
use std::sync::LazyLock;

use salesforce_pkce::ClientConfig;
use salesforce_pkce::internals::testing;

#[allow(dead_code)]
pub static CONFIG: LazyLock<ClientConfig> = LazyLock::new(|| testing::salesforce("3MVG9fuzz"));

/// A tab or worker message's text: with the first byte's low bit, of this build's version
/// (`v=1&` in front), which most messages are, so that the fuzzer reaches it cheaply.
#[allow(dead_code)]
pub fn versioned(first: u8, body: &str) -> Cow<'_, str> {
    if first & 1 == 1 {
        Cow::Owned(["v=1&", body].concat())
    } else {
        Cow::Borrowed(body)
    }
}

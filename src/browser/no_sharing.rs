//! The default build (cargo feature `sharing` off, the `salesforce-pkce` entry): no session
//! sharing is compiled in. A configuration that asks for it is refused when the client is made
//! (`invalid_config`: use the `salesforce-pkce/tabs` entry), so these stand-ins are never
//! reached; `Remote` cannot even be made (it has no value), so every branch on it is dead code
//! the compiler removes.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use crate::browser::driver::Inner;
use crate::browser::events::Session;
use crate::core::config::Sharing;
use crate::core::event::Counts;

/// Nothing to start: the constructor refused any `sessionSharing`.
pub(crate) fn start(_: &Rc<Inner>, _: Sharing) {}

/// Never shared.
pub(crate) fn mode(_: &Inner) -> &'static str {
    "off"
}

/// The session worker link of the `sharing` build; here it has no value.
pub(crate) enum Remote {}

impl Remote {
    pub(crate) fn view(&self) -> Option<Session> {
        match *self {}
    }

    pub(crate) fn counters(&self) -> Counts {
        match *self {}
    }
}

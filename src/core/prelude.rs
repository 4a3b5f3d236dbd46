//! What `std`'s prelude gave: the crate is `#![no_std]` (the npm build links no `std`, so no
//! panic or formatting machinery comes with it), and every file takes these from `alloc`.

pub(crate) use alloc::borrow::ToOwned;
pub(crate) use alloc::boxed::Box;
#[cfg(test)]
pub(crate) use alloc::format;
pub(crate) use alloc::string::String;
#[cfg(test)]
pub(crate) use alloc::string::ToString;
#[cfg(any(test, feature = "internals"))]
pub(crate) use alloc::vec;
pub(crate) use alloc::vec::Vec;
// Not std's: one-byte searches and concat/join as small loops (`core::bytes`).
pub(crate) use crate::core::bytes::{ByteSearch, Cat};

//! Event listeners (the events and the counters live in `core::event`, the session view in
//! `core::wire`).

#[allow(unused_imports)]
use crate::core::prelude::*;

#[cfg(not(feature = "npm"))]
use alloc::rc::Rc;
use core::cell::RefCell;

pub use crate::core::event::{AuthEvent, EVENT_NAMES, ErrorCounts, Stats};
/// What the app may know about the session (never a token): the core's session view under its
/// public name.
pub use crate::core::wire::SessionView as Session;

#[cfg(not(feature = "npm"))]
type Listener = Rc<dyn Fn(&AuthEvent)>;

/// Registered Rust listeners: the Rust API's `on`'s. The JS API's listeners are kept by the
/// executor (`listen` and `deliver` in js/executor.js), and so is the session worker's relay
/// of its client's events to the tabs (`relayEvent` in js/tabs.js).
#[derive(Default)]
pub(crate) struct Listeners {
    #[cfg(not(feature = "npm"))]
    next: u32,
    #[cfg(not(feature = "npm"))]
    list: Vec<(u32, &'static str, Listener)>,
}

#[cfg(not(feature = "npm"))]
impl Listeners {
    pub(crate) fn add(&mut self, name: &'static str, f: Listener) -> u32 {
        self.next += 1;
        self.list.push((self.next, name, f));
        self.next
    }
    pub(crate) fn remove(&mut self, id: u32) {
        // Ids are unique: at most one to take out, the others kept in order.
        let mut at = 0;
        while at < self.list.len() {
            if self.list[at].0 == id {
                self.list.remove(at);
                return;
            }
            at += 1;
        }
    }
}

/// Calls the listeners of `event` (the borrow is released before any listener runs).
pub(crate) fn emit(listeners: &RefCell<Listeners>, event: &AuthEvent) {
    #[cfg(not(feature = "npm"))]
    {
        let name = event.name();
        // Copied out first: a listener may add or remove listeners.
        let mut targets: Vec<Listener> = Vec::new();
        for (_, n, f) in &listeners.borrow().list {
            if *n == name {
                targets.push(f.clone());
            }
        }
        for f in targets {
            f(event);
        }
    }
    #[cfg(feature = "npm")]
    let _ = (listeners, event);
}

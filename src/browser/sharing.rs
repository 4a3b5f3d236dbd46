//! Session sharing (cargo feature `sharing`, the `salesforce-pkce/tabs` entry): how a client
//! joins its session group, and the fallbacks — the session worker (`"tabs"`), else a Web
//! Locks leader (`"tabs-locks"`), else not shared. A page built without the feature never
//! loads any of it (`no_sharing.rs` stands in).

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use wasm_bindgen::JsCast;

use crate::browser::driver::{self, Inner, Share};
use crate::browser::sys::awaitable;
use crate::browser::{env, remote, share, tabs};
use crate::core::config::Sharing;
use crate::core::error::AuthError;
use crate::core::session::{Role, TabMessage};

/// Starts sharing as the configuration asks (the session worker where SharedWorker exists).
pub(crate) fn start(inner: &Rc<Inner>, sharing: Sharing) {
    let worker = (sharing == Sharing::Tabs && share::can_use_worker())
        .then(|| remote::start(&inner.config, &inner.options, hooks(inner)))
        .flatten();
    if let Some((r, joined)) = worker {
        *inner.share.borrow_mut() = Share::Worker(r);
        *inner.joined.borrow_mut() = Some(joined.unchecked_into());
    } else if sharing != Sharing::Off {
        share_through_tabs(inner);
    }
}

/// What the tabs link tells this client: messages go to the session machine.
fn tab_hooks(inner: &Rc<Inner>) -> tabs::Hooks {
    let (a, b, c, d) = (
        Rc::downgrade(inner),
        Rc::downgrade(inner),
        Rc::downgrade(inner),
        Rc::downgrade(inner),
    );
    let e = Rc::downgrade(inner);
    tabs::Hooks {
        message: Box::new(move |m, key| {
            if let Some(inner) = a.upgrade() {
                // A DPoP-bound set comes with the key it is bound to, or not at all.
                let bound = matches!(&m, TabMessage::Tokens { tokens, .. } if tokens.dpop);
                if bound && !crate::browser::dpop::State::takes_key(&key) {
                    inner.session.borrow_mut().note_bad_tab_message();
                    return;
                }
                let adopted = inner
                    .session
                    .borrow_mut()
                    .handle_tab_message(env::now_ms(), m);
                // Adopted another tab's token set: its DPoP key comes with it.
                if adopted {
                    inner.dpop.adopt(&key);
                }
                driver::pump(&inner);
            }
        }),
        bad: Box::new(move || {
            if let Some(inner) = b.upgrade() {
                inner.session.borrow_mut().note_bad_tab_message();
            }
        }),
        leader: Box::new(move || {
            if let Some(inner) = c.upgrade() {
                inner
                    .session
                    .borrow_mut()
                    .handle_became_leader(env::now_ms());
                driver::pump(&inner);
            }
        }),
        lost: Box::new(move || {
            if let Some(inner) = d.upgrade() {
                inner.session.borrow_mut().handle_lost_lead();
                driver::pump(&inner);
            }
        }),
        wants_lead: Box::new(move || {
            e.upgrade()
                .is_some_and(|inner| inner.session.borrow().wants_lead())
        }),
    }
}

/// What the worker link tells this client.
fn hooks(inner: &Rc<Inner>) -> remote::Hooks {
    let (a, b, c) = (
        Rc::downgrade(inner),
        Rc::downgrade(inner),
        Rc::downgrade(inner),
    );
    remote::Hooks {
        on_fail: Box::new(move |why| {
            if let Some(inner) = a.upgrade() {
                fall_back(&inner, &why);
            }
        }),
        emit: Box::new(move |event| {
            if let Some(inner) = b.upgrade() {
                inner.emit(event);
            }
        }),
        note_bad: Box::new(move || {
            if let Some(inner) = c.upgrade() {
                inner.session.borrow_mut().note_bad_tab_message();
            }
        }),
    }
}

/// `"off"`, `"tabs"` (session worker) or `"tabs-locks"` (leader tab), after the fallbacks.
pub(crate) fn mode(inner: &Inner) -> &'static str {
    match &*inner.share.borrow() {
        Share::Off => "off",
        Share::Worker(_) => "tabs",
        Share::Locks(_) => "tabs-locks",
    }
}

/// Waits until this tab knows the shared session (no wait when not shared). The wait is
/// bounded by `timeoutMs`: a session worker that does not answer in time is given up (the
/// client falls back to `"tabs-locks"`, then `"off"`), and the new mode's join is awaited.
pub(crate) async fn join(inner: &Rc<Inner>) {
    let timeout = f64::from(inner.config.timeout_ms);
    for _ in 0..3 {
        let Some(p) = inner.joined.borrow().clone() else {
            return;
        };
        let settled =
            wasm_bindgen_futures::JsFuture::from(share::within(&awaitable(p.clone()), timeout))
                .await
                .ok()
                .and_then(|a| a.as_bool())
                == Some(true);
        if !settled && let Some(r) = inner.remote() {
            r.fail(remote::worker_failed("did not answer within timeoutMs"));
        }
        let replaced = inner
            .joined
            .borrow()
            .as_ref()
            .is_some_and(|now| !js_sys::Object::is(now, &p));
        if !replaced {
            return;
        }
    }
}

/// Shares through the other tabs (a Web Locks leader), or not at all where the browser lacks
/// Web Locks or BroadcastChannel; the session machine's role follows.
fn share_through_tabs(inner: &Rc<Inner>) {
    let tabs = share::can_use_locks()
        .then(|| tabs::start(&inner.config, &inner.options, tab_hooks(inner)))
        .flatten();
    let role = match tabs {
        Some((t, joined)) => {
            *inner.share.borrow_mut() = Share::Locks(t);
            *inner.joined.borrow_mut() = Some(joined.unchecked_into());
            Role::Follower
        }
        None => {
            *inner.share.borrow_mut() = Share::Off;
            *inner.joined.borrow_mut() = None;
            Role::Alone
        }
    };
    inner.session.borrow_mut().set_role(role);
}

/// The session worker failed (it did not start, or did not answer in time): this tab shares through the tabs instead
/// (or not at all), and one `error` event (`network_error`) says why and what it fell back to.
fn fall_back(inner: &Rc<Inner>, why: &AuthError) {
    share_through_tabs(inner);
    let mode = match &*inner.share.borrow() {
        Share::Locks(_) => "tabs-locks",
        _ => "off",
    };
    let e = AuthError::Network {
        reason: [
            match why {
                AuthError::Network { reason } => reason.as_str(),
                _ => "the session worker failed",
            },
            "; this tab shares its session as \"",
            mode,
            "\" instead",
        ]
        .concat(),
    };
    inner.report(&e);
}

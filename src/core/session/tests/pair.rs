//! [`Tabs`]: the tabs of one session group on one virtual clock, as quinn-proto's test `Pair`
//! drives a client and a server. Each tab is an [`H`]; what one broadcasts reaches every other
//! tab (the BroadcastChannel), its token requests a scripted token endpoint and its revocations
//! an endpoint that accepts them, and the leader lock (Web Locks) passes when its holder closes
//! or another tab takes it over. A tab can be held (its messages wait, so a test delivers them
//! late, repeated or in another order) or frozen (held, and it runs nothing: no timer, no
//! action), as a background tab or a busy one is.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::collections::VecDeque;
use core::ops::{Index, IndexMut};

use super::*;

/// One tab and what the harness knows of it.
struct Tab {
    h: H,
    /// Its messages wait in `held` instead of being read.
    holding: bool,
    /// Held, and it runs nothing.
    frozen: bool,
    closed: bool,
    held: Vec<TabMessage>,
    /// Took the lock from it while it was frozen: it hears so when it thaws.
    lost_lead: bool,
    /// How many of its broadcasts, requests and takeovers the harness has handled.
    posted: usize,
    sent: usize,
    took_lead: usize,
}

pub(super) struct Tabs {
    /// The clock every tab reads.
    pub(super) now: Millis,
    tabs: Vec<Tab>,
    /// The tab that holds the leader lock.
    lock: Option<usize>,
    /// Tabs that asked to take the lock over, in order, until the lock is granted to them.
    steals: Vec<usize>,
    /// The token endpoint's next answers, in order. A token request with none left waits.
    answers: VecDeque<Result<HttpAnswer, AuthError>>,
    /// Token requests still waiting for an answer: (tab, id).
    pub(super) waiting: Vec<(usize, RequestId)>,
}

impl Index<usize> for Tabs {
    type Output = H;
    fn index(&self, i: usize) -> &H {
        &self.tabs[i].h
    }
}

impl IndexMut<usize> for Tabs {
    fn index_mut(&mut self, i: usize) -> &mut H {
        &mut self.tabs[i].h
    }
}

impl Tabs {
    /// Tabs with these roles (at most one `Leader`: it holds the lock), at [`T0`].
    pub(super) fn new(roles: &[Role]) -> Self {
        let mut t = Tabs {
            now: T0,
            tabs: vec![],
            lock: roles.iter().position(|r| *r == Role::Leader),
            steals: vec![],
            answers: VecDeque::new(),
            waiting: vec![],
        };
        for role in roles {
            t.add(*role);
        }
        t
    }

    fn add(&mut self, role: Role) -> usize {
        self.tabs.push(Tab {
            h: H::new(role),
            holding: false,
            frozen: false,
            closed: false,
            held: vec![],
            lost_lead: false,
            posted: 0,
            sent: 0,
            took_lead: 0,
        });
        self.tabs.len() - 1
    }

    /// A new tab joins (a follower) and says hello, as the runtime does; its index.
    pub(super) fn open(&mut self) -> usize {
        let i = self.add(Role::Follower);
        self.post(i, &TabMessage::Hello);
        self.drive();
        i
    }

    /// The token endpoint answers the next token request with `answer`.
    pub(super) fn script(&mut self, answer: Result<HttpAnswer, AuthError>) {
        self.answers.push_back(answer);
    }

    /// Tab `i` signs in interactively; the code exchange answered with `answer`.
    pub(super) fn sign_in_with(&mut self, i: usize, answer: String) {
        self.answers.push_front(ok(answer));
        let cb = callback(self[i].s.config());
        let op = self[i].s.start_login(&cb);
        self.drive();
        assert_eq!(self[i].settled(op), Some(&Ok(())), "tab {i} signed in");
    }

    /// Tab `i` signs in interactively as `access` (refresh token `rt`, no expiry).
    pub(super) fn sign_in(&mut self, i: usize, access: &str) {
        self.sign_in_with(i, body(access, Some("rt"), None));
    }

    /// Tab `i` refreshes now; the token endpoint (if asked) answers `answer`.
    pub(super) fn refresh_with(&mut self, i: usize, answer: Result<HttpAnswer, AuthError>) -> OpId {
        self.script(answer);
        let now = self.now;
        let op = self[i].s.refresh(now);
        self.drive();
        op
    }

    /// Tab `i` refreshes now; the token endpoint (if asked) answers with `access`.
    pub(super) fn refresh(&mut self, i: usize, access: &str) -> OpId {
        self.refresh_with(i, ok(body(access, None, None)))
    }

    /// Tab `i` asks for a refresh now (the token endpoint's answer, if it is asked, is what
    /// was scripted).
    pub(super) fn ask(&mut self, i: usize) -> OpId {
        let now = self.now;
        let op = self[i].s.refresh(now);
        self.drive();
        op
    }

    /// Tab `i` signs out now.
    pub(super) fn logout(&mut self, i: usize) -> OpId {
        let now = self.now;
        let op = self[i].s.logout(now);
        self.drive();
        op
    }

    /// An API request tab `i` sent with the set of generation `g` got a dead-token answer now
    /// (the tabs are not driven: call [`drive`](Self::drive)).
    pub(super) fn dead_token(&mut self, i: usize, g: u64) -> Result<ApiStep, AuthError> {
        let now = self.now;
        self[i].s.handle_api_answer(now, g, &api(), true)
    }

    /// Tab `i`'s messages wait until [`take_held`](Self::take_held) or
    /// [`release`](Self::release).
    pub(super) fn hold(&mut self, i: usize) {
        self.tabs[i].holding = true;
    }

    /// The messages waiting for tab `i`, oldest first (it stays held).
    pub(super) fn take_held(&mut self, i: usize) -> Vec<TabMessage> {
        core::mem::take(&mut self.tabs[i].held)
    }

    /// Tab `i` reads its waiting messages, and reads the next ones as they come.
    pub(super) fn release(&mut self, i: usize) {
        self.tabs[i].holding = false;
        for m in self.take_held(i) {
            self.tabs[i].h.s.handle_tab_message(self.now, m);
        }
        self.drive();
    }

    /// Tab `i` stops: held, no timer fires, nothing it asks is done.
    pub(super) fn freeze(&mut self, i: usize) {
        self.tabs[i].frozen = true;
    }

    /// Tab `i` runs again: it hears that it lost the lock (if it did), then its messages.
    pub(super) fn thaw(&mut self, i: usize) {
        self.tabs[i].frozen = false;
        if core::mem::take(&mut self.tabs[i].lost_lead) {
            self.tabs[i].h.s.handle_lost_lead();
        }
        self.release(i);
    }

    /// Tab `i` closes: the lock, if it held it, goes to the first open tab in line.
    pub(super) fn close(&mut self, i: usize) {
        self.tabs[i].closed = true;
        if self.lock == Some(i) {
            self.lock = (0..self.tabs.len()).find(|&j| !self.tabs[j].closed);
            if let Some(j) = self.lock {
                let now = self.now;
                self.tabs[j].h.s.handle_became_leader(now);
            }
        }
        self.drive();
    }

    /// Hands tab `i` one message now, whoever wrote it; whether it adopted a set.
    pub(super) fn deliver(&mut self, i: usize, message: TabMessage) -> bool {
        let adopted = self.tabs[i].h.s.handle_tab_message(self.now, message);
        self.drive();
        adopted
    }

    /// Tab `i`'s takeover lands (`steal()`), if it still wants the lead then: the holder hears
    /// it lost it, tab `i` leads. Whether it took the lock.
    pub(super) fn grant_lock(&mut self, i: usize) -> bool {
        let Some(k) = self.steals.iter().position(|&j| j == i) else {
            return false;
        };
        self.steals.remove(k);
        if self.tabs[i].closed || !self.tabs[i].h.s.wants_lead() {
            return false;
        }
        if let Some(old) = self.lock.filter(|&old| old != i) {
            if self.tabs[old].frozen {
                self.tabs[old].lost_lead = true;
            } else {
                self.tabs[old].h.s.handle_lost_lead();
            }
        }
        self.lock = Some(i);
        let now = self.now;
        self.tabs[i].h.s.handle_became_leader(now);
        self.drive();
        true
    }

    /// Time passes to `to`: every running tab's timer that falls due fires, in time order.
    pub(super) fn advance(&mut self, to: Millis) {
        for _ in 0..1_000 {
            let due = (0..self.tabs.len())
                .filter(|&i| !self.tabs[i].closed && !self.tabs[i].frozen)
                .filter_map(|i| self.tabs[i].h.s.poll_timeout().map(|at| (at, i)))
                .filter(|(at, _)| *at <= to)
                .min_by(|a, b| a.0.0.total_cmp(&b.0.0));
            let Some((at, i)) = due else {
                self.now = self.now.max(to);
                return;
            };
            self.now = self.now.max(at);
            let now = self.now;
            self.tabs[i].h.s.handle_timeout(now);
            self.drive();
        }
        panic!("timers keep falling due before {to:?}");
    }

    /// Runs every tab's actions until none is left: broadcasts delivered, requests answered,
    /// takeovers queued.
    pub(super) fn drive(&mut self) {
        loop {
            let mut busy = false;
            for i in 0..self.tabs.len() {
                if self.tabs[i].closed || self.tabs[i].frozen {
                    continue;
                }
                self.tabs[i].h.drain();
                busy |= self.handle_outputs(i);
            }
            if !busy {
                return;
            }
        }
    }

    /// Handles what tab `i` asked for since the last time; whether there was anything.
    fn handle_outputs(&mut self, i: usize) -> bool {
        let tab = &mut self.tabs[i];
        let posted: Vec<TabMessage> = tab.h.broadcasts[tab.posted..].to_vec();
        let sent: Vec<(RequestId, RequestKind)> =
            tab.h.sent[tab.sent..].iter().map(|r| (r.0, r.1)).collect();
        let steals = tab.h.took_lead - tab.took_lead;
        (tab.posted, tab.sent, tab.took_lead) =
            (tab.h.broadcasts.len(), tab.h.sent.len(), tab.h.took_lead);
        for m in &posted {
            self.post(i, m);
        }
        for (id, kind) in &sent {
            let answer = match kind {
                RequestKind::Revocation => Some(ok(String::new())),
                RequestKind::Token => self.answers.pop_front(),
            };
            match answer {
                Some(a) => self.tabs[i].h.answer(self.now, *id, a),
                None => self.waiting.push((i, *id)),
            }
        }
        self.steals.extend((0..steals).map(|_| i));
        !(posted.is_empty() && sent.is_empty() && steals == 0)
    }

    /// Tab `from`'s message reaches every other open tab (held ones keep it for later).
    fn post(&mut self, from: usize, message: &TabMessage) {
        let now = self.now;
        for (j, tab) in self.tabs.iter_mut().enumerate() {
            if j == from || tab.closed {
                continue;
            }
            if tab.holding || tab.frozen {
                tab.held.push(message.clone());
            } else {
                tab.h.s.handle_tab_message(now, message.clone());
            }
        }
    }
}

/// The login, version and access token of a token set message.
pub(super) fn set_of(message: &TabMessage) -> Option<(u64, u64, &str)> {
    match message {
        TabMessage::Tokens {
            login,
            version,
            tokens,
        } => Some((*login, *version, tokens.access_token.secret())),
        _ => None,
    }
}

/// The token set message carrying `access` among `messages`.
pub(super) fn set_with(messages: &[TabMessage], access: &str) -> TabMessage {
    messages
        .iter()
        .find(|m| set_of(m).is_some_and(|(_, _, a)| a == access))
        .unwrap_or_else(|| panic!("no set {access} among {} messages", messages.len()))
        .clone()
}

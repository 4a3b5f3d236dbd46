//! Whether the session worker (`sessionSharing: "tabs"`) is alive. A relayed call is never cut
//! by its duration: an API call, or a code exchange with its nonce retries and JWKS fetch, may
//! take longer than `timeoutMs` and still be answered. What tells a live worker from a dead one
//! is its answer to a ping: while a call is in flight the tab pings the worker every quarter of
//! the bound, a live worker answers at once whatever its calls are doing, and a worker silent
//! for the whole bound is given up (the calls in flight then fail with `network_error`).
//!
//! The bound is `timeoutMs`, at most [`PING_BOUND_MAX_MS`]. A tick that comes late (the tab was
//! frozen or its timers throttled) judges nothing: the answer to the last ping may still be
//! queued behind it, so the window starts again.

use crate::core::time::Millis;

/// The largest ping bound, whatever `timeoutMs` is.
pub const PING_BOUND_MAX_MS: Millis = Millis(5_000.0);

/// What the tab does at a tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tick {
    /// Ping the worker and tick again after [`WorkerLiveness::interval`].
    Ping,
    /// The worker said nothing for the whole bound: give it up.
    Dead,
}

/// The tab's view of its session worker's liveness.
#[derive(Debug, Clone)]
pub struct WorkerLiveness {
    bound: Millis,
    last_heard: Millis,
    last_tick: Millis,
}

impl WorkerLiveness {
    /// For a client whose `timeoutMs` is `timeout_ms`.
    pub fn new(timeout_ms: u32) -> Self {
        WorkerLiveness {
            bound: Millis(f64::from(timeout_ms).clamp(1.0, PING_BOUND_MAX_MS.0)),
            last_heard: Millis(0.0),
            last_tick: Millis(0.0),
        }
    }

    /// How long the worker may stay silent while a call is in flight.
    pub fn bound(&self) -> Millis {
        self.bound
    }

    /// How often the tab pings while a call is in flight.
    pub fn interval(&self) -> Millis {
        Millis(self.bound.0 / 4.0)
    }

    /// Calls are in flight from `now` on (the first of them, after none): a new window.
    pub fn start(&mut self, now: Millis) {
        self.last_heard = now;
        self.last_tick = now;
    }

    /// A message from the worker arrived (any message: an answer, an event, a pong).
    pub fn heard(&mut self, now: Millis) {
        self.last_heard = self.last_heard.max(now);
    }

    /// A tick, while calls are in flight.
    pub fn tick(&mut self, now: Millis) -> Tick {
        let late = now - self.last_tick > self.interval() + self.interval();
        self.last_tick = now;
        if late {
            self.last_heard = now;
            return Tick::Ping;
        }
        if now - self.last_heard >= self.bound {
            Tick::Dead
        } else {
            Tick::Ping
        }
    }
}

/// A tab's ping to the session worker (`core::wire`'s form of `op=ping`, written once).
pub(crate) const PING: &str = concat!("v=", protocol!(), "&op=ping");
/// The session worker's answer to a ping.
pub(crate) const PONG: &str = concat!("v=", protocol!(), "&op=pong");
/// A tab's goodbye to the session worker (`js/tabs.js` posts it on `pagehide`): its port is
/// no longer served (`serve` there knows it; the text is tied to the wire form by the test
/// below).
#[cfg(test)]
pub(crate) const BYE: &str = concat!("v=", protocol!(), "&op=bye");

#[cfg(test)]
mod tests {
    #[test]
    fn ping_and_pong_are_the_message_forms() {
        use crate::core::wire::Writer;
        assert_eq!(Writer::new().put("op", "ping").finish(), super::PING);
        assert_eq!(Writer::new().put("op", "pong").finish(), super::PONG);
        assert_eq!(Writer::new().put("op", "bye").finish(), super::BYE);
        // The goodbye is written in js/tabs.js, where the worker knows it, and the ping and
        // its pong, by these texts alone (`serve`).
        let tabs_js = include_str!("../../js/tabs.js");
        for text in [super::BYE, super::PING, super::PONG] {
            assert!(tabs_js.contains(&["\"", text, "\""].concat()), "{text}");
        }
    }

    use super::*;

    /// Ticks every interval from `from` until `until`; the time of the first `Dead`.
    fn run(l: &mut WorkerLiveness, from: f64, until: f64, pongs: bool) -> Option<f64> {
        let mut now = from;
        while now <= until {
            now += l.interval().0;
            if l.tick(Millis(now)) == Tick::Dead {
                return Some(now);
            }
            if pongs {
                l.heard(Millis(now + 1.0));
            }
        }
        None
    }

    #[test]
    fn a_worker_that_answers_its_pings_is_alive_however_long_its_call_takes() {
        let mut l = WorkerLiveness::new(1_000);
        l.start(Millis(0.0));
        // A relayed call of ten times timeoutMs: the worker answers every ping meanwhile.
        assert_eq!(run(&mut l, 0.0, 10_000.0, true), None);
    }

    #[test]
    fn a_silent_worker_is_given_up_within_the_bound_and_a_quarter() {
        for (timeout, bound) in [
            (1_000, 1_000.0),
            (15_000, PING_BOUND_MAX_MS.0),
            (200, 200.0),
        ] {
            let mut l = WorkerLiveness::new(timeout);
            assert_eq!(l.bound(), Millis(bound));
            l.start(Millis(50.0));
            let dead = run(&mut l, 50.0, 100_000.0, false).unwrap();
            assert!(
                dead - 50.0 >= bound && dead - 50.0 <= bound * 1.25,
                "{dead}"
            );
        }
    }

    #[test]
    fn the_worker_falling_silent_mid_call_is_measured_from_its_last_message() {
        let mut l = WorkerLiveness::new(1_000);
        l.start(Millis(0.0));
        let mut now = 0.0;
        while now < 3_000.0 {
            now += l.interval().0;
            assert_eq!(l.tick(Millis(now)), Tick::Ping);
            l.heard(Millis(now + 1.0));
        }
        let last = now + 1.0;
        let dead = run(&mut l, now, 100_000.0, false).unwrap();
        assert!(
            dead - last >= 1_000.0 && dead - last <= 1_250.0,
            "{dead} {last}"
        );
    }

    #[test]
    fn a_late_tick_after_a_frozen_tab_judges_nothing_and_starts_a_new_window() {
        let mut l = WorkerLiveness::new(1_000);
        l.start(Millis(0.0));
        // The tab slept 60 s: the pong to its last ping may be queued behind this tick.
        assert_eq!(l.tick(Millis(60_000.0)), Tick::Ping);
        l.heard(Millis(60_001.0));
        assert_eq!(run(&mut l, 60_001.0, 70_000.0, true), None);
        // Still silent after the new window: dead.
        let mut l = WorkerLiveness::new(1_000);
        l.start(Millis(0.0));
        assert_eq!(l.tick(Millis(60_000.0)), Tick::Ping);
        assert!(run(&mut l, 60_000.0, 70_000.0, false).is_some());
    }

    #[test]
    fn a_zero_timeout_still_gives_a_positive_bound() {
        let l = WorkerLiveness::new(0);
        assert!(l.bound() > Millis(0.0) && l.interval() > Millis(0.0));
    }
}

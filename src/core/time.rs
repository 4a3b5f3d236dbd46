//! Time in the core: `Millis`, milliseconds (an instant since the Unix epoch, or a duration).
//! The core reads no clock: the runtime passes `now` in (`Date.now()` in the browser).

use core::ops::{Add, Sub};

/// Milliseconds: an instant (since the Unix epoch, as `Date.now()` gives it) or a duration.
/// Serialized as the number (`serde(transparent)`).
#[derive(Clone, Copy, PartialEq, PartialOrd, Debug, serde::Serialize)]
#[serde(transparent)]
pub struct Millis(pub f64);

impl Millis {
    /// Milliseconds in `s` seconds.
    pub const fn secs(s: f64) -> Millis {
        Millis(s * 1000.0)
    }

    /// The later of two times.
    pub fn max(self, other: Millis) -> Millis {
        Millis(self.0.max(other.0))
    }

    /// The earlier of two times.
    pub fn min(self, other: Millis) -> Millis {
        Millis(self.0.min(other.0))
    }

    /// Whole milliseconds (saturating; `NaN` and negatives are 0).
    pub fn as_u64(self) -> u64 {
        self.0 as u64
    }
}

impl Add for Millis {
    type Output = Millis;
    fn add(self, d: Millis) -> Millis {
        Millis(self.0 + d.0)
    }
}

impl Sub for Millis {
    type Output = Millis;
    fn sub(self, d: Millis) -> Millis {
        Millis(self.0 - d.0)
    }
}

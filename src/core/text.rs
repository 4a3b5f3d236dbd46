//! Text without `core::fmt`: in the wasm, one `format!` keeps the whole formatting machinery
//! (and, through serde-style `Display` paths, float formatting) alive. Messages are joined with
//! `[..].concat()` and numbers printed with [`decimal`].

/// A number in decimal.
pub(crate) fn decimal(mut n: u64) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits[at..].iter().map(|&d| char::from(d)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_prints_like_display() {
        for n in [0, 7, 10, 401, 65535, 1_764_000_000_000, u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }
}

//! `f64` in messages and the trail, written as `core::fmt` writes it (`{}`
//! and `{:?}`), from the shortest digits serde_json already computes for the
//! answers (zmij).
//!
//! Why: `core::fmt`'s float code (Grisu with a Dragon fallback, the exact
//! mode that `{:.N}` needs, their tables) was about 17 KB of the WASM
//! package, for a few messages. Both give the shortest digits that read back
//! as the same number, the closest of them to it; they differ only when two
//! are equally close (the number lies exactly half-way between them, as 2^-25
//! does): serde_json's takes the even one, `core::fmt` the upper one, and so
//! does [`Num`]. A test compares [`Num`] with `core::fmt` on every power of
//! two, every such tie it can build, and millions of other numbers.

use std::fmt;

/// An `f64` that formats as `core::fmt` formats an `f64`, with `{}` and `{:?}`
/// (no width or precision: none of the messages uses them).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Num(pub f64);

/// A list of `f64` that formats with `{:?}` as a slice of `f64` does.
pub(crate) struct Nums<'a>(pub &'a [f64]);

/// The shortest decimal digits of a finite, non-negative `x`, as `core::fmt`
/// chooses them: `x` is `0.d₁d₂…dₙ × 10^exp` (no digits for zero).
fn shortest(x: f64) -> ([u8; 20], usize, i32) {
    let mut buf = [0u8; 40];
    let mut cur = std::io::Cursor::new(&mut buf[..]);
    let n = match serde_json::to_writer(&mut cur, &x) {
        Ok(()) => usize::try_from(cur.position()).unwrap_or(0),
        Err(_) => 0,
    };
    let text = buf.get(..n).unwrap_or(&[]);
    // serde_json writes `123.45`, `1e21`, `1.5e-7`: the digits, where the
    // point is, and the exponent.
    let mut digits = [0u8; 20];
    let mut len = 0usize;
    let mut point: Option<usize> = None;
    let mut exp: i32 = 0;
    let mut it = text.iter().copied();
    while let Some(c) = it.next() {
        match c {
            b'0'..=b'9' => {
                // Leading zeros do not count; each moves the point.
                if len == 0 && c == b'0' {
                    if point.is_some() {
                        exp -= 1;
                    }
                    continue;
                }
                if let Some(d) = digits.get_mut(len) {
                    *d = c;
                    len += 1;
                }
                if point.is_none() {
                    exp += 1;
                }
            }
            b'.' => point = Some(len),
            b'e' | b'E' => {
                let mut sign = 1;
                let mut e: i32 = 0;
                for c in it.by_ref() {
                    match c {
                        b'-' => sign = -1,
                        b'0'..=b'9' => e = e * 10 + i32::from(c - b'0'),
                        _ => {}
                    }
                }
                exp += sign * e;
            }
            _ => {}
        }
    }
    while len > 0 && digits.get(len - 1) == Some(&b'0') {
        len -= 1;
    }
    if len > 0 && is_midpoint(x, &digits, len, exp) {
        round_up(&mut digits, &mut len, &mut exp);
    }
    (digits, len, exp)
}

/// Whether `x` is exactly `0.d₁…dₙ5 × 10^exp`: half-way between the digits
/// and the next number of as many digits.
fn is_midpoint(x: f64, digits: &[u8; 20], len: usize, exp: i32) -> bool {
    // 0.d₁…dₙ5 × 10^exp = k × 10^q
    let mut k: u64 = 0;
    for d in digits.iter().take(len) {
        k = k * 10 + u64::from(d - b'0');
    }
    let k = u128::from(k) * 10 + 5;
    let q = exp - i32::try_from(len).unwrap_or(0) - 1;
    // x = m × 2^e with m odd
    let bits = x.to_bits();
    let biased = i32::try_from((bits >> 52) & 0x7ff).unwrap_or(0);
    let frac = bits & ((1 << 52) - 1);
    let (mut m, mut e) = if biased == 0 { (frac, -1074) } else { (frac | (1 << 52), biased - 1075) };
    if m == 0 {
        return false;
    }
    while m & 1 == 0 {
        m >>= 1;
        e += 1;
    }
    // k is odd (it ends in 5), so m × 2^e = k × 2^q × 5^q needs e = q, and
    // then m = k × 5^q (q ≥ 0) or k = m × 5^-q (q < 0).
    if e != q {
        return false;
    }
    let Some(p) = pow5(q.unsigned_abs()) else { return false };
    if q >= 0 {
        k.checked_mul(p) == Some(u128::from(m))
    } else {
        u128::from(m).checked_mul(p) == Some(k)
    }
}

fn pow5(n: u32) -> Option<u128> {
    (0..n).try_fold(1u128, |acc, _| acc.checked_mul(5))
}

/// Adds one in the last place of the digits.
fn round_up(digits: &mut [u8; 20], len: &mut usize, exp: &mut i32) {
    let mut i = *len;
    while i > 0 {
        i -= 1;
        if let Some(d) = digits.get_mut(i) {
            if *d == b'9' {
                *d = b'0';
            } else {
                *d += 1;
                break;
            }
        }
        if i == 0 {
            // 99…9 + 1 = 100…0: one digit, one place up.
            if let Some(d) = digits.get_mut(0) {
                *d = b'1';
            }
            *len = 1;
            *exp += 1;
            return;
        }
    }
    while *len > 0 && digits.get(*len - 1) == Some(&b'0') {
        *len -= 1;
    }
}

fn digit_str(digits: &[u8; 20], len: usize) -> &str {
    std::str::from_utf8(digits.get(..len).unwrap_or(&[])).unwrap_or("")
}

fn zeros(f: &mut fmt::Formatter<'_>, n: i32) -> fmt::Result {
    for _ in 0..n {
        f.write_str("0")?;
    }
    Ok(())
}

/// Writes `x` without an exponent, with at least `min_frac` digits after the point.
fn decimal(f: &mut fmt::Formatter<'_>, x: f64, min_frac: i32) -> fmt::Result {
    let (digits, len, exp) = shortest(x);
    let n = i32::try_from(len).unwrap_or(0);
    let d = digit_str(&digits, len);
    if len == 0 {
        f.write_str("0")?;
        if min_frac > 0 {
            f.write_str(".")?;
            zeros(f, min_frac)?;
        }
    } else if exp <= 0 {
        f.write_str("0.")?;
        zeros(f, -exp)?;
        f.write_str(d)?;
        zeros(f, min_frac + exp - n)?;
    } else if exp < n {
        let (int, frac) = d.split_at(usize::try_from(exp).unwrap_or(0));
        f.write_str(int)?;
        f.write_str(".")?;
        f.write_str(frac)?;
        zeros(f, min_frac - (n - exp))?;
    } else {
        f.write_str(d)?;
        zeros(f, exp - n)?;
        if min_frac > 0 {
            f.write_str(".")?;
            zeros(f, min_frac)?;
        }
    }
    Ok(())
}

/// Writes `x` as `d.ddde±x` (`{:?}` of very large and very small numbers).
fn exponential(f: &mut fmt::Formatter<'_>, x: f64) -> fmt::Result {
    let (digits, len, exp) = shortest(x);
    let d = digit_str(&digits, len);
    let (first, rest) = d.split_at(len.min(1));
    f.write_str(first)?;
    if !rest.is_empty() {
        f.write_str(".")?;
        f.write_str(rest)?;
    }
    f.write_str("e")?;
    fmt::Display::fmt(&(exp - 1), f)
}

/// The sign and the special values; `None` when a finite magnitude follows.
fn special(f: &mut fmt::Formatter<'_>, x: f64) -> Result<bool, fmt::Error> {
    if x.is_nan() {
        f.write_str("NaN")?;
        return Ok(true);
    }
    if x.is_sign_negative() {
        f.write_str("-")?;
    }
    if x.is_infinite() {
        f.write_str("inf")?;
        return Ok(true);
    }
    Ok(false)
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if special(f, self.0)? {
            return Ok(());
        }
        decimal(f, self.0.abs(), 0)
    }
}

impl Num {
    /// As `{:?}` of the `f64`.
    fn debug(self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if special(f, self.0)? {
            return Ok(());
        }
        let a = self.0.abs();
        if a == 0.0 || (1e-4..1e16).contains(&a) {
            decimal(f, a, 1)
        } else {
            exponential(f, a)
        }
    }
}

impl fmt::Debug for Nums<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, x) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            Num(*x).debug(f)?;
        }
        f.write_str("]")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    struct D(f64);
    impl fmt::Display for D {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            Num(self.0).debug(f)
        }
    }

    fn same(x: f64) {
        assert_eq!(Num(x).to_string(), format!("{x}"), "{{}} of {:?} ({:#x})", x, x.to_bits());
        assert_eq!(D(x).to_string(), format!("{x:?}"), "{{:?}} of {:?} ({:#x})", x, x.to_bits());
    }

    #[test]
    fn special_values() {
        for x in [
            0.0,
            -0.0,
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            1e16,
            1e-4,
            f64::from_bits(1e16_f64.to_bits() - 1),
        ] {
            same(x);
        }
        assert_eq!(format!("{:?}", Nums(&[1.0, -2.5, 1e20])), format!("{:?}", [1.0, -2.5, 1e20]));
        assert_eq!(format!("{:?}", Nums(&[])), format!("{:?}", Vec::<f64>::new()));
    }

    #[test]
    fn powers_of_two_and_ten() {
        for e in -1074..=1023 {
            let x = if e >= -1022 {
                f64::from_bits(((e + 1023) as u64) << 52)
            } else {
                f64::from_bits(1 << (e + 1074))
            };
            same(x);
            same(-x);
            same(f64::from_bits(x.to_bits().saturating_sub(1)));
            same(f64::from_bits(x.to_bits() + 1));
        }
        for e in -330..=310 {
            let x: f64 = format!("1e{e}").parse().unwrap();
            same(x);
            same(f64::from_bits(x.to_bits().saturating_sub(1)));
            same(f64::from_bits(x.to_bits() + 1));
        }
    }

    /// Numbers exactly half-way between two shortest candidates: m × 2^-k
    /// with m odd and few digits in m × 5^k, and integers k × 10^q.
    #[test]
    fn midpoints() {
        // serde_json writes …312e-8 here (the even one).
        assert_eq!(Num(2f64.powi(-25)).to_string(), "0.000000029802322387695313");
        for k in 1..=60i32 {
            for m in (1..20_000u64).step_by(2) {
                same(m as f64 / 2f64.powi(k));
            }
        }
        for q in 0..=22 {
            for m in (1..2000u64).step_by(2) {
                let x = (m as f64) * 2f64.powi(q) * 5f64.powi(q) * 5.0;
                same(x);
            }
        }
    }

    #[test]
    fn random_numbers() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for i in 0..2_000_000u64 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let x = match i % 4 {
                0 => f64::from_bits(seed),
                // short decimals, as requests carry them
                1 => (seed % 100_000_000) as f64 / 10f64.powi((seed >> 40) as i32 % 12),
                2 => (seed >> 11) as f64 * 2f64.powi(-((seed >> 58) as i32) - 20),
                _ => f64::from_bits(seed & 0x7fff_ffff_ffff_ffff) % 1e20,
            };
            same(x);
        }
    }
}

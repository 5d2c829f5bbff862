//! Decimal to `f64`, correctly rounded (ties to even), without tables.
//!
//! The common case is Clinger's exact fast path: at most 19 significant
//! digits making an integer `w ≤ 2^53`, times or divided by `10^e` with
//! `e ≤ 22` (both exact in `f64`, so the one operation rounds correctly).
//! Everything else takes a slow but exact path: an estimate within a few
//! units in the last place from the first 19 digits, then moved one unit at a
//! time until the number lies between the half-way points below and above it,
//! each half-way point compared exactly with `digits × 10^e` in big integers
//! that only ever multiply by small numbers and shift. Core's `str::parse`
//! (Eisel-Lemire with its table of 128-bit powers of five, ~10 KB) and
//! serde_json's `float_roundtrip` (lexical's tables, ~7 KB) both give the
//! same numbers with larger code; the tests hold this one to `str::parse`.

use std::cmp::Ordering;

/// The powers of ten that `f64` holds exactly.
const EXACT: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `10^(2^i)`, for the estimate of the slow path.
const SQUARES: [f64; 9] = [1e1, 1e2, 1e4, 1e8, 1e16, 1e32, 1e64, 1e128, 1e256];

/// Significant digits kept for the exact comparison. A half-way point between
/// two `f64` has at most 767 significant digits, so digits after the 800th
/// only matter as "some digit here is not zero", which one extra `1` digit
/// stands for (the number stays strictly between the same half-way points).
const MAX_DIGITS: usize = 800;

/// The value of the decimal number whose digits are `int` then `frac`
/// (ASCII digits), times `10^exp`, rounded to the nearest `f64` (ties to even);
/// infinity where it is too large for `f64`.
pub(crate) fn decimal(int: &[u8], frac: &[u8], exp: i64) -> f64 {
    // the common case first: few digits, a small exponent
    if int.len() + frac.len() <= 19 {
        let w = int.iter().chain(frac).fold(0u64, |w, &d| w * 10 + u64::from(d - b'0'));
        if w <= 1 << 53 {
            if w == 0 {
                return 0.0;
            }
            if let Some(&p) = usize::try_from(exp).ok().and_then(|e| EXACT.get(e)) {
                return w as f64 * p;
            }
            if let Some(&p) = usize::try_from(-exp).ok().and_then(|e| EXACT.get(e)) {
                return w as f64 / p;
            }
        }
    }
    let all = || int.iter().chain(frac).copied();
    let total = int.len() + frac.len();
    let lead = all().take_while(|&d| d == b'0').count();
    if lead == total {
        return 0.0;
    }
    let trail = all().rev().take_while(|&d| d == b'0').count();
    // the significant digits: the first and the last are not zero
    let nd = total - lead - trail;
    let digits = || all().skip(lead).take(nd).map(|d| u32::from(d - b'0'));
    let nd_i = i64::try_from(nd).unwrap_or(i64::MAX);
    let e10 = exp.saturating_add(i64::try_from(trail).unwrap_or(i64::MAX));
    // value in [10^(nd-1+e10), 10^(nd+e10))
    if nd_i.saturating_add(e10) > 309 {
        return f64::INFINITY;
    }
    if nd_i.saturating_add(e10) <= -324 {
        return 0.0;
    }
    // the first 19 digits (all of them when there are no more)
    let head = nd.min(19);
    let w = digits().take(head).fold(0u64, |w, d| w * 10 + u64::from(d));
    if nd == head && w <= 1 << 53 {
        if let Ok(e) = usize::try_from(e10) {
            if let Some(&p) = EXACT.get(e) {
                return w as f64 * p;
            }
            // `1e30`: an integer below 2^53 times 10^22 (here e > 22)
            if let Some(&p) = EXACT.get(e - 22).filter(|&&p| p < 1e16) {
                if let Some(v) = (p as u64).checked_mul(w).filter(|&v| v <= 1 << 53) {
                    return v as f64 * 1e22;
                }
            }
        } else if let Some(&p) = usize::try_from(-e10).ok().and_then(|e| EXACT.get(e)) {
            return w as f64 / p;
        }
    }
    if nd == head && (-21..=19).contains(&e10) {
        // at most 19 digits and a small exponent: compared in 128 bits
        return refine(estimate(w, e10), &mut small(w, e10));
    }
    slow(digits, nd, e10, w, head)
}

/// For `refine`: `w × 10^e` (`-21 ≤ e ≤ 19`) against `n × 2^(k-1)`, in 128
/// bits: `w × 10^e` (below 10^38) or `w` on one side, `n` or `n × 10^-e`
/// (below 2^125) on the other; the side with the larger power of two is
/// shifted, unless that reaches 2^127, which decides.
fn small(w: u64, e: i64) -> impl FnMut(u64, i32) -> Ordering {
    let p = 10u128.pow(u32::try_from(e.unsigned_abs()).unwrap_or(0));
    let (l, m) = if e >= 0 { (u128::from(w) * p, 1) } else { (u128::from(w), p) };
    move |n, k| {
        let r = u128::from(n) * m;
        // l against r × 2^(k-1): a against b × 2^s, the other way round if k < 1
        let s = (k - 1).unsigned_abs();
        let (a, b) = if k >= 1 { (l, r) } else { (r, l) };
        let c = if s >= b.leading_zeros() { Ordering::Less } else { a.cmp(&(b << s)) };
        if k >= 1 {
            c
        } else {
            c.reverse()
        }
    }
}

/// The exact path for many digits or a large exponent (see the module's comment).
#[cold]
#[inline(never)]
fn slow<I: Iterator<Item = u32>>(digits: impl Fn() -> I, nd: usize, e10: i64, w: u64, head: usize) -> f64 {
    // `nd` is at least 1 here and `e10` within a few thousand (checked above)
    let z = estimate(w, e10 + (nd - head) as i64);
    // the exact side: digits × 10^e, as d × 2^e (d = digits × 5^e when e ≥ 0)
    let keep = nd.min(MAX_DIGITS);
    let mut d = Big::default();
    let mut chunk = 0u32;
    let mut len = 0;
    for x in digits().take(keep) {
        chunk = chunk * 10 + x;
        len += 1;
        if len == 9 {
            d.mul_add(1_000_000_000, chunk);
            (chunk, len) = (0, 0);
        }
    }
    d.mul_add(10u32.pow(len), chunk);
    let mut e = e10 + (nd - keep) as i64;
    if keep < nd {
        // the digits dropped are not all zero (the last digit is not)
        d.mul_add(10, 1);
        e -= 1;
    }
    if e > 0 {
        d.mul_pow5(e as u64);
    }
    let neg5 = if e < 0 { -e as u64 } else { 0 };
    // d × 2^e against n × 5^neg5 × 2^(k-1), in two buffers used again
    let (mut l, mut r) = (Big::default(), Big::default());
    refine(z, &mut |n, k| {
        r.0.clear();
        r.0.extend([n as u32, (n >> 32) as u32]);
        r.trim();
        r.mul_pow5(neg5);
        l.0.clear();
        l.0.extend_from_slice(&d.0);
        let pr = i64::from(k) - 1;
        if e > pr {
            l.shl((e - pr) as u64);
        } else {
            r.shl((pr - e) as u64);
        }
        l.cmp(&r)
    })
}

/// The nearest `f64` (ties to even) to a number, from an estimate `z` within
/// a few units in the last place: moved up or down one unit at a time while
/// the number is beyond the half-way point to the next one. `against(n, k)`
/// compares the number with `n × 2^(k-1)`, the half-way point.
fn refine(mut z: f64, against: &mut dyn FnMut(u64, i32) -> Ordering) -> f64 {
    // the half-way point between the floats of bits `lo` and `lo + 1`, as (n, k)
    let half = |lo: u64| {
        let ((mlo, klo), (mhi, khi)) = (parts(lo), parts(lo + 1));
        let k = klo.min(khi);
        ((mlo << (klo - k)) + (mhi << (khi - k)), k)
    };
    loop {
        let bits = z.to_bits();
        let (n, k) = half(bits);
        let above = against(n, k);
        if above == Ordering::Greater || (above == Ordering::Equal && bits & 1 == 1) {
            z = f64::from_bits(bits + 1);
            if z.is_infinite() {
                return z;
            }
            continue;
        }
        if bits == 0 {
            return z;
        }
        let (n, k) = half(bits - 1);
        let below = against(n, k);
        if below == Ordering::Less || (below == Ordering::Equal && bits & 1 == 1) {
            z = f64::from_bits(bits - 1);
            continue;
        }
        return z;
    }
}

/// `w × 10^e`, within a few units in the last place, finite and not negative.
#[inline(never)]
fn estimate(w: u64, e: i64) -> f64 {
    // 10^|e| (less 300 below 10^-300, which the first division takes)
    let tiny = e < -300;
    let n = if tiny { -e - 300 } else { e.abs() };
    let mut p = 1.0;
    for (i, s) in SQUARES.iter().enumerate() {
        if (n >> i) & 1 == 1 {
            p *= s;
        }
    }
    let w = w as f64;
    let z = if e >= 0 {
        w * p
    } else if tiny {
        w / 1e300 / p
    } else {
        w / p
    };
    if z.is_finite() {
        z
    } else {
        f64::MAX
    }
}

/// The bits of a finite `f64` that is not negative (or of infinity, as
/// 2^1024) as `m × 2^k`.
fn parts(bits: u64) -> (u64, i32) {
    let frac = bits & ((1 << 52) - 1);
    let biased = (bits >> 52) as i32;
    if biased == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, biased - 1075)
    }
}

/// An unsigned big integer, 32-bit limbs, least significant first, no zero
/// limb at the top.
#[derive(Clone, Default, Debug)]
struct Big(Vec<u32>);

impl Big {
    /// `self × m + a`
    #[inline(never)]
    fn mul_add(&mut self, m: u32, a: u32) {
        let mut carry = u64::from(a);
        for x in &mut self.0 {
            let t = u64::from(*x) * u64::from(m) + carry;
            *x = t as u32;
            carry = t >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
        self.trim();
    }

    /// `self × 5^n`
    fn mul_pow5(&mut self, mut n: u64) {
        // 5^13 is the largest power of five below 2^32
        while n >= 13 {
            self.mul_add(1_220_703_125, 0);
            n -= 13;
        }
        self.mul_add(5u32.pow(n as u32), 0);
    }

    /// `self × 2^n`
    fn shl(&mut self, n: u64) {
        self.mul_add(1 << (n % 32), 0);
        let limbs = usize::try_from(n / 32).unwrap_or(usize::MAX);
        if limbs > 0 && !self.0.is_empty() {
            let mut v = vec![0; limbs];
            v.append(&mut self.0);
            self.0 = v;
        }
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn cmp(&self, other: &Big) -> Ordering {
        self.0.len().cmp(&other.0.len()).then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;
    use proptest::prelude::*;

    /// `decimal` on the parts of a JSON number's text (no sign) against
    /// `str::parse` (infinity where it is out of range).
    fn same(text: &str) {
        let (mantissa, exp) = match text.find(['e', 'E']) {
            Some(i) => (&text[..i], text[i + 1..].parse::<i64>().unwrap()),
            None => (text, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let got = decimal(int.as_bytes(), frac.as_bytes(), exp - frac.len() as i64);
        let want: f64 = text.parse().unwrap();
        assert_eq!(got.to_bits(), want.to_bits(), "{text}: {got:e} against {want:e}");
    }

    /// The exact decimal text of `m × 2^k`.
    fn exact(m: u64, k: i32) -> String {
        // decimal digits, least significant first
        let mut d: Vec<u32> = m.to_string().bytes().rev().map(|b| u32::from(b - b'0')).collect();
        let times = |d: &mut Vec<u32>, f: u32| {
            let mut carry = 0;
            for x in d.iter_mut() {
                let t = *x * f + carry;
                *x = t % 10;
                carry = t / 10;
            }
            while carry > 0 {
                d.push(carry % 10);
                carry /= 10;
            }
        };
        let e = if k >= 0 {
            (0..k).for_each(|_| times(&mut d, 2));
            0
        } else {
            (0..-k).for_each(|_| times(&mut d, 5));
            k
        };
        let s: String = d.iter().rev().map(|x| char::from(b'0' + *x as u8)).collect();
        format!("{s}e{e}")
    }

    /// The half-way point above `bits` (exact), and numbers just below and above it.
    fn halfway(bits: u64) -> [String; 3] {
        let (m, k) = parts(bits);
        let h = exact(2 * m + 1, k - 1);
        let (digits, e) = h.split_once('e').unwrap();
        let e: i64 = e.parse().unwrap();
        // just below: the last digit one less (it is 5), then nines; just above: a 1 far out
        let below = format!("{}4{}e{}", &digits[..digits.len() - 1], "9".repeat(30), e - 30);
        let above = format!("{digits}{}1e{}", "0".repeat(40), e - 41);
        [h, below, above]
    }

    #[test]
    fn hard_cases() {
        let mut cases: Vec<String> = [
            "0", "0.0", "1", "1.0", "0.1", "0.2", "0.3", "3.14159", "1e22", "1e23", "1e30", "1e37", "1e38", "9007199254740992", "9007199254740993", "9007199254740994",
            "9007199254740995", "18014398509481985", "1e308", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "2e308", "1e309",
            "1e400", "1e999999999", "1e-400", "1e-999999999", "2.2250738585072011e-308", "2.2250738585072014e-308", "2.225073858507201e-308",
            "4.9406564584124654e-324", "4.9e-324", "5e-324", "3e-324", "2.4703282292062328e-324", "2.4703282292062327e-324", "2.47032822920623272e-324",
            "1e-323", "1e-324", "1e-325", "0.30000000000000004", "123456789012345678901234567890", "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124", "1.00000000000000011102230246251565404236316680908203126", "7.2057594037927933e16",
            "8.988465674311579e307", "0.000000000000000000000000000000000000000000001", "1797693134862315708145274237317043567981e269",
            "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        // 800 and more digits
        for n in [17, 18, 19, 20, 21, 40, 100, 767, 768, 769, 799, 800, 801, 802, 1500] {
            cases.push("1".repeat(n));
            cases.push(format!("0.{}1", "0".repeat(n)));
            cases.push(format!("9.{}e-{}", "9".repeat(n), 300));
            cases.push(format!("1.{}1e-320", "0".repeat(n)));
            cases.push(format!("2.{}e307", "7".repeat(n)));
        }
        // half-way points: of the smallest numbers, around 1, 2^53, the largest, powers of two
        let mut bits: Vec<u64> = (0..40).chain(0x000f_ffff_ffff_fff0..0x0010_0000_0000_0010).collect();
        bits.extend([1.0f64, 2.0, 0.1, 9007199254740992.0, 1e22, 1e23, f64::MAX / 2.0, f64::MIN_POSITIVE].map(f64::to_bits));
        bits.extend((0..2046u64).step_by(7).map(|e| e << 52));
        bits.extend((1..2047u64).step_by(13).map(|e| (e << 52) - 1));
        bits.push(f64::MAX.to_bits());
        for b in bits {
            cases.extend(halfway(b));
        }
        for c in &cases {
            same(c);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 20000, .. ProptestConfig::default() })]

        #[test]
        fn shortest_and_fixed(bits in 0u64..0x7ff0_0000_0000_0000, prec in 0usize..40) {
            let f = f64::from_bits(bits);
            same(&format!("{f:e}"));
            same(&format!("{f:.prec$e}"));
        }


        #[test]
        fn random_decimals(int in "[0-9]{1,30}", frac in "[0-9]{0,30}", exp in -400i64..400) {
            same(&format!("{int}.{frac}e{exp}").replace(".e", "e"));
        }

    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

        #[test]
        fn halfway_points(bits in 0u64..0x7ff0_0000_0000_0000) {
            for c in halfway(bits) {
                same(&c);
            }
        }

        #[test]
        fn long_decimals(int in "[1-9][0-9]{0,5}", frac in "[0-9]{700,900}", exp in prop_oneof![-340i64..-280, -20i64..20, 280i64..320]) {
            same(&format!("{int}.{frac}e{exp}"));
        }

        #[test]
        fn up_to_19_digits(w in 0u64..10_000_000_000_000_000_000, e in -30i64..30) {
            same(&format!("{w}e{e}"));
        }

        #[test]
        fn integer_ties(m in (1u64 << 52)..(1 << 53), s in 1u32..11, e in 0i64..3) {
            // half-way between two floats, and a unit either side
            let w = (m << s) | (1 << (s - 1));
            for w in [w - 1, w, w + 1] {
                if w < 10_000_000_000_000_000_000 {
                    same(&format!("{w}"));
                    // the same value with a fraction: w × 10^-e written with e zeros more
                    same(&format!("{w}{}e-{e}", "0".repeat(e as usize)));
                }
            }
        }

        #[test]
        fn near_the_ends(d in "[1-9][0-9]{0,20}", exp in prop_oneof![-345i64..-300, 280i64..310]) {
            same(&format!("{d}e{exp}"));
        }
    }
}

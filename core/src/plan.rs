//! A compiled assessment plan: the fast path of `assess` for batches.
//!
//! [`AssessPlan::compile`] reads a rulebook's assessment section once and
//! turns every key into a column number, every threshold into a number or a
//! column, every veto and outcome into indices. [`AssessPlan::eval`] then
//! judges one record of numbers with no allocation, no string work and no
//! lookups by name: the hot loop of a what-if run over every township of a
//! province.
//!
//! The answer ([`Quick`]) is a set of bit sets (which indicators are met,
//! unmet, missing; which vetoes apply; which outcomes follow) with the
//! verdict, the score and the points. It carries no citations: the plan
//! does ([`AssessPlan::indicator_rule`] and friends), and the full answer
//! with its trail is one [`crate::assess::assess`] call away for the records
//! a person will read. A test (`core/tests/plan.rs`) holds the two paths to
//! the same verdict, statuses, outcomes and missing keys on random records
//! of every built-in rulebook.
//!
//! Records are rows of numbers. A value not supplied is `NaN` (as in a
//! pandas or Arrow column with nulls); every supplied value is checked as
//! the JSON path checks it (finite, not negative, a percentage at most 100,
//! a count whole), and a bad value is an error naming its column, never
//! clipped or skipped.

use crate::assess::{number_ok, AssessRequest, Direction, Op, Status, Threshold, TrendMeasure, Unit, Verdict, When};
use crate::error::{ErrorCode, FieldError, InputErrors};
use crate::ops::{status_of, MeasureStatus};
use crate::rulebook::Rulebook;

mod block;
pub use block::Block;

/// The most items of one kind (columns, indicators, trends, vetoes,
/// outcomes, brackets) a plan holds: the width of a [`Bits`].
pub const CAPACITY: usize = 128;

/// A set of item numbers below [`CAPACITY`].
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug, Hash)]
pub struct Bits(pub u128);

impl Bits {
    /// Whether item `i` is in the set.
    #[must_use]
    #[inline]
    pub fn has(self, i: usize) -> bool {
        i < CAPACITY && (self.0 >> i) & 1 == 1
    }
    #[inline]
    fn set(&mut self, i: usize) {
        if i < CAPACITY {
            self.0 |= 1u128 << i;
        }
    }
    /// `{i}` as a mask (empty from [`CAPACITY`] up).
    #[inline]
    fn bit(i: usize) -> u128 {
        if i < CAPACITY {
            1u128 << i
        } else {
            0
        }
    }
    /// How many items.
    #[must_use]
    pub fn count(self) -> u32 {
        self.0.count_ones()
    }
    /// Whether the set is empty.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The items, smallest first.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        (0..CAPACITY).filter(move |i| self.has(*i))
    }
}

/// One record: the numbers of one area.
#[derive(Clone, Copy, Debug, Default)]
pub struct Record<'a> {
    /// One value per column of [`AssessPlan::columns`]; `NaN` is "not supplied".
    pub values: &'a [f64],
    /// Three values per trend of [`AssessPlan::trends`], oldest first
    /// (the year before last, last year, this year); `NaN` is "not
    /// supplied". Empty: no series at all.
    pub series: &'a [f64],
    /// One per judgement of [`AssessPlan::judgements`]; `None` is "not
    /// supplied" (never false). Empty: no judgement at all.
    pub judgements: &'a [Option<bool>],
    /// The area's score, where it has one.
    pub score: Option<f64>,
}

/// A record that owns its numbers (see [`AssessPlan::record_of`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OwnedRecord {
    /// See [`Record::values`].
    pub values: Vec<f64>,
    /// See [`Record::series`].
    pub series: Vec<f64>,
    /// See [`Record::judgements`].
    pub judgements: Vec<Option<bool>>,
    /// See [`Record::score`].
    pub score: Option<f64>,
}

impl OwnedRecord {
    /// Borrows it as a [`Record`].
    #[must_use]
    pub fn as_record(&self) -> Record<'_> {
        Record {
            values: &self.values,
            series: &self.series,
            judgements: &self.judgements,
            score: self.score,
        }
    }
}

/// What is wrong with a record (turn it into a bilingual message naming the
/// field with [`AssessPlan::describe`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RowError {
    /// `values` has the wrong length.
    Values {
        /// Columns of the plan.
        expected: usize,
        /// Values in the record.
        got: usize,
    },
    /// `series` is neither empty nor three per trend.
    Series {
        /// Three per trend.
        expected: usize,
        /// Values in the record.
        got: usize,
    },
    /// `judgements` is neither empty nor one per judgement.
    Judgements {
        /// Judgements of the plan.
        expected: usize,
        /// Judgements in the record.
        got: usize,
    },
    /// A value out of range for its unit (infinite, negative, a percentage
    /// above 100, a fractional count).
    Value {
        /// Its column.
        column: usize,
    },
    /// A series value infinite or negative.
    SeriesValue {
        /// Its slot (three per trend).
        slot: usize,
    },
    /// The score is not a finite non-negative number.
    Score,
}

/// The judgement of one record.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Quick {
    /// The verdict, as [`crate::assess::assess`] gives it.
    pub verdict: Verdict,
    /// Indicators met (by indicator number).
    pub met: Bits,
    /// Indicators not met.
    pub unmet: Bits,
    /// Indicators with a threshold whose value (or threshold input) is missing.
    pub indicators_missing: Bits,
    /// Trends met.
    pub trends_met: Bits,
    /// Trends not met.
    pub trends_unmet: Bits,
    /// Trends unchanged (neither a rise nor a fall; counts as not met).
    pub trends_unchanged: Bits,
    /// Vetoes that apply.
    pub vetoes: Bits,
    /// Vetoes whose facts hold but a judgement is not supplied.
    pub vetoes_pending: Bits,
    /// Vetoes whose facts are not supplied.
    pub vetoes_missing: Bits,
    /// Outcomes that follow (status from their modality).
    pub outcomes: Bits,
    /// Outcomes that would follow if the caller found a judgement.
    pub outcomes_pending: Bits,
    /// Count brackets the record falls in.
    pub brackets: Bits,
    /// Columns not supplied that the verdict, a veto or a bracket needed.
    pub missing_columns: Bits,
    /// The score after vetoes.
    pub score: Option<f64>,
    /// Points from graded indicators, summed.
    pub points: Option<f64>,
}

impl Default for Quick {
    fn default() -> Self {
        Quick {
            verdict: Verdict::NotProvided,
            met: Bits::default(),
            unmet: Bits::default(),
            indicators_missing: Bits::default(),
            trends_met: Bits::default(),
            trends_unmet: Bits::default(),
            trends_unchanged: Bits::default(),
            vetoes: Bits::default(),
            vetoes_pending: Bits::default(),
            vetoes_missing: Bits::default(),
            outcomes: Bits::default(),
            outcomes_pending: Bits::default(),
            brackets: Bits::default(),
            missing_columns: Bits::default(),
            score: None,
            points: None,
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Thr {
    Value(f64),
    Column(usize),
    Per(f64, usize),
}

impl Thr {
    /// The threshold for a record whose values by column `value` reads
    /// (NaN where its input is not supplied).
    #[inline]
    fn at(self, value: impl Fn(usize) -> f64) -> f64 {
        match self {
            Thr::Value(x) => x,
            Thr::Column(c) => value(c),
            Thr::Per(per, c) => (value(c) / per).ceil(),
        }
    }
}

/// The points of a value on a graded indicator's bands (0 outside them).
#[inline]
fn band_points(bands: &[Band], v: f64) -> f64 {
    bands.iter().find(|(from, below, _)| v >= *from && v < *below).map_or(0.0, |b| b.2)
}

/// An indicator the fused column pass cannot judge alone: a threshold read
/// from another column (or per N of one), or no threshold it can turn into
/// an interval.
#[derive(Clone, Copy, Debug)]
struct SlowInd {
    col: usize,
    mask: u128,
    op: Op,
    thr: Thr,
}

/// Per column, what the fused pass checks: `[max, whole_from, lo, hi]`, the
/// largest value allowed (100 for a percentage), the value from which on a
/// value counts as whole (2^52 for a count, 0 otherwise), and for an indicator
/// with a fixed threshold the interval `lo ..= hi` where it is met (empty
/// for a column not judged that way).
type Col = [f64; 4];

/// A band of a graded indicator: from, below (or +inf), points.
type Band = (f64, f64, f64);

/// `2^52`: from here up every f64 is whole, and below it `(v + 2^52) - 2^52`
/// rounds `v` to the nearest whole number (the cheap test of a count).
const TWO_52: f64 = 4_503_599_627_370_496.0;

/// The least f64 above `x` (`f64::next_up`, which is newer than this
/// crate's minimum Rust).
fn next_up(x: f64) -> f64 {
    if x.is_nan() || x == f64::INFINITY {
        x
    } else if x == 0.0 {
        f64::from_bits(1)
    } else if x > 0.0 {
        f64::from_bits(x.to_bits() + 1)
    } else {
        f64::from_bits(x.to_bits() - 1)
    }
}

/// The greatest f64 below `x`.
fn next_down(x: f64) -> f64 {
    -next_up(-x)
}

/// The interval of values `v` with `op.holds(v, t)`, for a fixed finite
/// threshold: `None` where the comparison is not such an interval (found by
/// the predicate itself, so the two can never disagree).
fn interval(op: Op, t: f64) -> Option<(f64, f64)> {
    if !t.is_finite() {
        return None;
    }
    let (mut lo, mut hi) = match op {
        Op::Gte => (t, f64::INFINITY),
        Op::Gt => (next_up(t), f64::INFINITY),
        Op::Lte => (f64::NEG_INFINITY, t),
        Op::Lt => (f64::NEG_INFINITY, next_down(t)),
        Op::Eq => (t - 1e-9, t + 1e-9),
    };
    if op == Op::Eq {
        // Settle both ends on the predicate: the first and last f64 that hold.
        for _ in 0..64 {
            if op.holds(lo, t) && !op.holds(next_down(lo), t) {
                break;
            }
            lo = if op.holds(lo, t) { next_down(lo) } else { next_up(lo) };
        }
        for _ in 0..64 {
            if op.holds(hi, t) && !op.holds(next_up(hi), t) {
                break;
            }
            hi = if op.holds(hi, t) { next_up(hi) } else { next_down(hi) };
        }
        if !op.holds(lo, t) || op.holds(next_down(lo), t) || !op.holds(hi, t) || op.holds(next_up(hi), t) {
            return None;
        }
    }
    Some((lo, hi))
}

#[derive(Clone, Copy, Debug)]
struct Trend {
    measure: TrendMeasure,
    direction: Direction,
    by_percent: Option<f64>,
}

impl Trend {
    /// The status of a trend from its three values (NaN where not
    /// supplied): the supplied values at the end, as `assess` reads a series.
    #[inline]
    fn status(&self, s3: [f64; 3]) -> Option<Status> {
        match self.flags(s3) {
            (false, _, _) => None,
            (true, _, true) => Some(Status::Unchanged),
            (true, true, false) => Some(Status::Met),
            (true, false, false) => Some(Status::Unmet),
        }
    }

    /// [`Trend::status`] as flags, (judged, met, unchanged), without a
    /// branch on the values: the same arithmetic as `trend_pair` and
    /// `trend_judge` (a test holds the plan to `assess` on every built-in
    /// rulebook), on one record (`f64`, flags `bool`) or on four at once
    /// (`f64x4` of the plan by block, flags as lane masks): one formula for
    /// every path.
    #[inline(always)]
    fn flags<L: Lanes>(&self, [a, b, c]: [L; 3]) -> (L::Mask, L::Mask, L::Mask) {
        let hundred = L::splat(100.0);
        // Level: the last two values, both supplied. Growth rate: all three
        // supplied, the first two positive (NaN fails `> 0`).
        let (earlier, later, judged) = match self.measure {
            TrendMeasure::Level => (b, c, b.supplied() & c.supplied()),
            TrendMeasure::GrowthRate => (
                (b - a) / a * hundred,
                (c - b) / b * hundred,
                a.gt(L::splat(0.0)) & b.gt(L::splat(0.0)) & c.supplied(),
            ),
        };
        let unchanged = (later - earlier).abs().lt(L::splat(1e-9));
        let way = match self.direction {
            Direction::Rise => later.gt(earlier),
            Direction::Fall => later.lt(earlier),
        };
        let enough = match self.by_percent {
            None => judged, // no rate required: "true" where it matters (`judged &` below)
            Some(p) => earlier.ne(L::splat(0.0)) & ((later - earlier).abs() / earlier * hundred + L::splat(1e-9)).ge(L::splat(p)),
        };
        (judged, judged & !unchanged & way & enough, judged & unchanged)
    }
}

/// Numbers the trend arithmetic runs on: one `f64` (its tests `bool`) or
/// four in a vector (its tests lane masks). The operations are IEEE's on
/// either, so the two give the same flags for the same values.
trait Lanes: Copy + std::ops::Add<Output = Self> + std::ops::Sub<Output = Self> + std::ops::Mul<Output = Self> + std::ops::Div<Output = Self> {
    type Mask: Copy + std::ops::BitAnd<Output = Self::Mask> + std::ops::Not<Output = Self::Mask>;
    fn splat(x: f64) -> Self;
    fn abs(self) -> Self;
    /// Not NaN.
    fn supplied(self) -> Self::Mask;
    fn gt(self, o: Self) -> Self::Mask;
    fn lt(self, o: Self) -> Self::Mask;
    fn ge(self, o: Self) -> Self::Mask;
    /// `!=`: true for NaN.
    fn ne(self, o: Self) -> Self::Mask;
}

impl Lanes for f64 {
    type Mask = bool;
    #[inline(always)]
    fn splat(x: f64) -> f64 {
        x
    }
    #[inline(always)]
    fn abs(self) -> f64 {
        f64::abs(self)
    }
    #[inline(always)]
    fn supplied(self) -> bool {
        !self.is_nan()
    }
    #[inline(always)]
    fn gt(self, o: f64) -> bool {
        self > o
    }
    #[inline(always)]
    fn lt(self, o: f64) -> bool {
        self < o
    }
    #[inline(always)]
    fn ge(self, o: f64) -> bool {
        self >= o
    }
    #[inline(always)]
    fn ne(self, o: f64) -> bool {
        self != o
    }
}

impl Lanes for wide::f64x4 {
    type Mask = wide::f64x4;
    #[inline(always)]
    fn splat(x: f64) -> Self {
        wide::f64x4::splat(x)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        wide::f64x4::abs(self)
    }
    #[inline(always)]
    fn supplied(self) -> Self {
        wide::CmpEq::cmp_eq(self, self)
    }
    #[inline(always)]
    fn gt(self, o: Self) -> Self {
        wide::CmpGt::cmp_gt(self, o)
    }
    #[inline(always)]
    fn lt(self, o: Self) -> Self {
        wide::CmpLt::cmp_lt(self, o)
    }
    #[inline(always)]
    fn ge(self, o: Self) -> Self {
        wide::CmpGe::cmp_ge(self, o)
    }
    #[inline(always)]
    fn ne(self, o: Self) -> Self {
        wide::CmpNe::cmp_ne(self, o)
    }
}

/// What the row or the column path gathers of one record before
/// [`AssessPlan::finish`]: the fused pass's bit sets (not supplied, within
/// the interval), the trends' statuses, the judgements supplied and found.
#[derive(Clone, Copy, Debug, Default)]
struct Gathered {
    nan: u128,
    pass: u128,
    trends_met: u128,
    trends_unmet: u128,
    trends_unchanged: u128,
    found: u128,
    judged: u128,
}

impl Gathered {
    /// Trend `b` (its bit) has `status`.
    #[inline]
    fn trend(&mut self, b: u128, status: Option<Status>) {
        match status {
            Some(Status::Met) => self.trends_met |= b,
            Some(Status::Unchanged) => self.trends_unchanged |= b,
            Some(_) => self.trends_unmet |= b,
            None => {}
        }
    }
}

#[derive(Clone, Debug)]
struct Veto {
    /// Its judgements, as a mask of judgement numbers.
    judgements: u128,
    /// Whether it names a judgement the plan does not know (never supplied).
    unknown_judgement: bool,
    any_of: Vec<(usize, Op, f64)>,
    inds: Vec<usize>,
    score_zero: bool,
}

#[derive(Clone, Copy, Debug)]
struct Bracket {
    col: usize,
    from: f64,
    to: f64,
}

/// A rulebook's assessment section, compiled for batches.
///
/// `eval_into` makes one fused pass over the values (range check, missing,
/// and the interval test of every indicator with a fixed threshold, into
/// bit sets held in registers), then works on whole bit sets: the slow
/// indicators (a threshold from a column), trends, vetoes, and outcomes as
/// precomputed masks. DESIGN.md, "The compiled plan", says why.
#[derive(Clone, Debug)]
pub struct AssessPlan<'r> {
    rb: &'r Rulebook,
    columns: Vec<&'r str>,
    units: Vec<Unit>,
    cols: Vec<Col>,
    /// The indicator columns (the first `n_ind`).
    ind_cols: u128,
    /// Indicators judged by their interval in the fused pass.
    simple: u128,
    /// Indicators with a threshold from another column.
    slow: Vec<SlowInd>,
    /// Indicators graded by bands: (column, bands of (from, below or +inf, points)).
    banded: Vec<(usize, Vec<Band>)>,
    /// Whether an indicator has a comparison or there is a trend: then
    /// every record is judged on something.
    always_judged: bool,
    trend_keys: Vec<&'r str>,
    judgement_keys: Vec<&'r str>,
    trends: Vec<Trend>,
    /// Every trend's bit.
    all_trends: u128,
    vetoes: Vec<Veto>,
    /// Each outcome's status by modality.
    outcome_status: Vec<MeasureStatus>,
    /// Outcomes that follow an unmet (or vetoed) verdict.
    out_verdict: u128,
    /// (veto number, the outcomes that follow it).
    out_veto: Vec<(usize, u128)>,
    /// (indicator mask, the outcomes that follow its being unmet).
    out_ind: Vec<(u128, u128)>,
    /// (judgement mask, the outcomes that follow its being found).
    out_judgement: Vec<(u128, u128)>,
    /// (column, the outcomes that follow a positive value).
    out_input: Vec<(usize, u128)>,
    brackets: Vec<Bracket>,
}

fn too_many(rb: &Rulebook, what: &str, n: usize) -> InputErrors {
    InputErrors {
        errors: vec![FieldError::at(
            ErrorCode::OutOfRange,
            "rulebook",
            format!("规则集 {} 的{what}有 {n} 项，快速计划最多支持 {CAPACITY} 项", rb.id()),
            format!("rulebook {} has {n} {what}; a compiled plan holds at most {CAPACITY}", rb.id()),
        )],
    }
}

impl<'r> AssessPlan<'r> {
    /// Compiles the assessment section of a rulebook.
    ///
    /// # Errors
    /// `not_in_rulebook` when the rulebook has no assessment rules;
    /// `out_of_range` when it has more than [`CAPACITY`] items of one kind.
    ///
    /// # Example
    /// ```
    /// use jindu::{Registry, plan::{AssessPlan, Record}, assess::Verdict};
    /// let rb = Registry::builtin().unwrap().get("hengyang-county-2018-work-plan").unwrap();
    /// let plan = AssessPlan::compile(rb).unwrap();
    /// let mut values = vec![f64::NAN; plan.columns().len()];
    /// values[plan.column("compulsory_rehab_rate").unwrap()] = 84.0; // 达到85%以上
    /// let q = plan.eval(&Record { values: &values, ..Record::default() }).unwrap();
    /// assert_eq!(q.verdict, Verdict::Unmet);
    /// ```
    pub fn compile(rb: &'r Rulebook) -> Result<AssessPlan<'r>, InputErrors> {
        let Some(a) = rb.file().assessment.as_ref() else {
            return Err(crate::assess::not_in_rulebook(rb, "考评 (assessment)"));
        };
        let columns: Vec<&'r str> = a
            .indicators
            .iter()
            .map(|i| i.key.as_str())
            .chain(a.inputs.iter().map(|i| i.key.as_str()))
            .collect();
        let units: Vec<Unit> = a.indicators.iter().map(|i| i.unit).chain(a.inputs.iter().map(|i| i.unit)).collect();
        for (what, n) in [
            ("数值列 (columns)", columns.len()),
            ("趋势 (trends)", a.trends.len()),
            ("一票否决 (vetoes)", a.vetoes.len()),
            ("后果 (outcomes)", a.outcomes.len()),
            ("档次 (brackets)", a.brackets.len()),
            ("认定 (judgements)", a.judgements.len()),
        ] {
            if n > CAPACITY {
                return Err(too_many(rb, what, n));
            }
        }
        let col = |k: &str| columns.iter().position(|c| *c == k);
        let ind_no = |k: &str| a.indicators.iter().position(|i| i.key == k);
        let judgement_keys: Vec<&'r str> = a.judgements.iter().map(|j| j.key.as_str()).collect();
        let judge_no = |k: &str| judgement_keys.iter().position(|j| *j == k);
        let units: Vec<Unit> = units;
        let bit = |n: usize| 1u128.checked_shl(u32::try_from(n).unwrap_or(u32::MAX)).unwrap_or(0);
        let mut cols: Vec<Col> = units
            .iter()
            .map(|u| {
                let max = if *u == Unit::Percent { 100.0 } else { f64::MAX };
                let whole_from = if *u == Unit::Count { TWO_52 } else { 0.0 };
                [max, whole_from, f64::INFINITY, f64::NEG_INFINITY]
            })
            .collect();
        let mut simple = 0u128;
        let mut slow = Vec::new();
        let mut banded = Vec::new();
        for (n, i) in a.indicators.iter().enumerate() {
            if !i.bands.is_empty() {
                banded.push((n, i.bands.iter().map(|b| (b.from, b.below.unwrap_or(f64::INFINITY), b.points)).collect()));
            }
            let Some(c) = &i.comparison else { continue };
            let thr = match &c.threshold {
                Threshold::Value(x) => match (interval(c.op, *x), cols.get_mut(n)) {
                    (Some((lo, hi)), Some([_, _, l, h])) => {
                        *l = lo;
                        *h = hi;
                        simple |= bit(n);
                        continue;
                    }
                    _ => Thr::Value(*x),
                },
                Threshold::Input(k) => col(k).map_or(Thr::Value(f64::NAN), Thr::Column),
                Threshold::Per { per, of } => col(of).map_or(Thr::Value(f64::NAN), |c| Thr::Per(f64::from(*per), c)),
            };
            slow.push(SlowInd {
                col: n,
                mask: bit(n),
                op: c.op,
                thr,
            });
        }
        let always_judged = !a.trends.is_empty() || a.indicators.iter().any(|i| i.comparison.is_some());
        let trends = a
            .trends
            .iter()
            .map(|t| Trend {
                measure: t.measure,
                direction: t.direction,
                by_percent: t.by_percent,
            })
            .collect();
        let vetoes = a
            .vetoes
            .iter()
            .map(|v| Veto {
                // A judgement the plan does not know can never be supplied: usize::MAX reads as "not supplied".
                judgements: v.judgements.iter().filter_map(|j| judge_no(j)).fold(0, |m, j| m | bit(j)),
                unknown_judgement: v.judgements.iter().any(|j| judge_no(j).is_none()),
                any_of: v.any_of.iter().map(|c| (col(&c.input).unwrap_or(usize::MAX), c.op, c.value)).collect(),
                inds: v.indicators_unmet.iter().map(|k| ind_no(k).unwrap_or(usize::MAX)).collect(),
                score_zero: v.score_zero,
            })
            .collect();
        // Outcomes grouped by what they follow, as masks: no match per outcome in the hot loop.
        fn group(list: &mut Vec<(usize, u128)>, key: usize, mask: u128) {
            match list.iter_mut().find(|(k, _)| *k == key) {
                Some((_, m)) => *m |= mask,
                None => list.push((key, mask)),
            }
        }
        let (mut out_verdict, mut out_veto, mut out_ind, mut out_judgement, mut out_input) = (0u128, Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (k, o) in a.outcomes.iter().enumerate() {
            let m = bit(k);
            match &o.when {
                When::VerdictUnmet => out_verdict |= m,
                When::Veto(key) => {
                    if let Some(v) = a.vetoes.iter().position(|v| &v.key == key) {
                        group(&mut out_veto, v, m);
                    }
                }
                When::IndicatorUnmet(key) => {
                    if let Some(i) = ind_no(key) {
                        group(&mut out_ind, i, m);
                    }
                }
                When::Judgement(key) => {
                    if let Some(j) = judge_no(key) {
                        group(&mut out_judgement, j, m);
                    }
                }
                When::InputPositive(key) => {
                    if let Some(c) = col(key) {
                        group(&mut out_input, c, m);
                    }
                }
            }
        }
        let out_ind = out_ind.into_iter().map(|(i, m)| (bit(i), m)).collect();
        let out_judgement = out_judgement.into_iter().map(|(j, m)| (bit(j), m)).collect();
        let brackets = a
            .brackets
            .iter()
            .map(|b| Bracket {
                col: col(&b.input).unwrap_or(usize::MAX),
                from: b.from,
                to: b.to.unwrap_or(f64::INFINITY),
            })
            .collect();
        let ind_cols = (0..a.indicators.len()).fold(0u128, |m, n| m | bit(n));
        Ok(AssessPlan {
            rb,
            columns,
            units,
            cols,
            ind_cols,
            simple,
            slow,
            banded,
            always_judged,
            trend_keys: a.trends.iter().map(|t| t.key.as_str()).collect(),
            judgement_keys,
            trends,
            all_trends: (0..a.trends.len()).fold(0u128, |m, n| m | bit(n)),
            vetoes,
            outcome_status: a.outcomes.iter().map(|o| status_of(o.modality)).collect(),
            out_verdict,
            out_veto,
            out_ind,
            out_judgement,
            out_input,
            brackets,
        })
    }

    /// The rulebook.
    #[must_use]
    pub fn rulebook(&self) -> &'r Rulebook {
        self.rb
    }
    /// The value columns: the indicators in the rulebook's order, then the inputs.
    /// Indicator number `i` is column `i`.
    #[must_use]
    pub fn columns(&self) -> &[&'r str] {
        &self.columns
    }
    /// The column of a key.
    #[must_use]
    pub fn column(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| *c == key)
    }
    /// The unit of each column.
    #[must_use]
    pub fn units(&self) -> &[Unit] {
        &self.units
    }
    /// The trends (three series slots each).
    #[must_use]
    pub fn trends(&self) -> &[&'r str] {
        &self.trend_keys
    }
    /// The judgements.
    #[must_use]
    pub fn judgements(&self) -> &[&'r str] {
        &self.judgement_keys
    }
    /// How many indicators (the first columns).
    #[must_use]
    pub fn indicator_count(&self) -> usize {
        self.ind_cols.count_ones() as usize
    }

    fn section(&self) -> Option<&'r crate::assess::AssessmentDef> {
        self.rb.file().assessment.as_ref()
    }
    /// The rule id of indicator `i`.
    #[must_use]
    pub fn indicator_rule(&self, i: usize) -> Option<&'r str> {
        self.section()?.indicators.get(i).map(|d| d.rule.as_str())
    }
    /// The key of veto `i`.
    #[must_use]
    pub fn veto_key(&self, i: usize) -> Option<&'r str> {
        self.section()?.vetoes.get(i).map(|d| d.key.as_str())
    }
    /// The key and rule id of outcome `i`.
    #[must_use]
    pub fn outcome(&self, i: usize) -> Option<(&'r str, &'r str)> {
        self.section()?.outcomes.get(i).map(|d| (d.key.as_str(), d.rule.as_str()))
    }
    /// The key of bracket `i`.
    #[must_use]
    pub fn bracket_key(&self, i: usize) -> Option<&'r str> {
        self.section()?.brackets.get(i).map(|d| d.key.as_str())
    }
    /// The status of outcome `i` in an answer, as the full path gives it.
    #[must_use]
    pub fn outcome_status(&self, q: &Quick, i: usize) -> Option<MeasureStatus> {
        if q.outcomes_pending.has(i) {
            Some(MeasureStatus::RequiresJudgement)
        } else if q.outcomes.has(i) {
            self.outcome_status.get(i).copied()
        } else {
            None
        }
    }
    /// The status of indicator `i` in an answer.
    #[must_use]
    pub fn indicator_status(&self, q: &Quick, i: usize) -> Status {
        if q.met.has(i) {
            Status::Met
        } else if q.unmet.has(i) {
            Status::Unmet
        } else if q.indicators_missing.has(i) {
            Status::Missing
        } else {
            Status::NoThreshold
        }
    }
    /// The keys not supplied that the answer needed: indicators and inputs
    /// (by column), then trends.
    pub fn missing_keys<'q>(&'q self, q: &'q Quick) -> impl Iterator<Item = &'r str> + 'q {
        let cols = q.missing_columns.iter().filter_map(|c| self.columns.get(c).copied());
        let trends = (0..self.trend_keys.len())
            .filter(|t| !(q.trends_met.has(*t) || q.trends_unmet.has(*t) || q.trends_unchanged.has(*t)))
            .filter_map(|t| self.trend_keys.get(t).copied());
        cols.chain(trends)
    }

    /// The record of an `assess` request: its values by column (NaN where
    /// not supplied), the last three values of each series, its judgements
    /// and score. `only` is not a record's business: a plan judges every
    /// indicator.
    ///
    /// # Errors
    /// `unknown_field` for a value, series or judgement key the rulebook does not have.
    ///
    /// # Example
    /// ```
    /// use jindu::{Registry, plan::AssessPlan, assess::AssessRequest};
    /// let rb = Registry::builtin().unwrap().get("qianxinan-2018-dispatch").unwrap();
    /// let plan = AssessPlan::compile(rb).unwrap();
    /// let req: AssessRequest = serde_json::from_value(serde_json::json!({
    ///     "area": {"name": "兴义市", "level": "county"}, "on": "2018-12-01",
    ///     "values": {"school_registration_rate": 92.5}})).unwrap();
    /// let rec = plan.record_of(&req).unwrap();
    /// assert_eq!(rec.values[plan.column("school_registration_rate").unwrap()], 92.5);
    /// ```
    pub fn record_of(&self, req: &AssessRequest) -> Result<OwnedRecord, InputErrors> {
        let mut errors = Vec::new();
        let mut values = vec![f64::NAN; self.columns.len()];
        for (k, v) in &req.values {
            match self.column(k).and_then(|c| values.get_mut(c)) {
                Some(slot) => *slot = *v,
                None => errors.push(unknown(&format!("values.{k}"), k)),
            }
        }
        let mut series = Vec::new();
        if !req.series.is_empty() {
            series = vec![f64::NAN; self.trend_keys.len() * 3];
            for (k, s) in &req.series {
                match self.trend_keys.iter().position(|t| t == k) {
                    Some(t) => {
                        for (slot, v) in (t * 3..t * 3 + 3).rev().zip(s.iter().rev()) {
                            if let Some(x) = series.get_mut(slot) {
                                *x = *v;
                            }
                        }
                    }
                    None => errors.push(unknown(&format!("series.{k}"), k)),
                }
            }
        }
        let mut judgements = Vec::new();
        if !req.judgements.is_empty() {
            judgements = vec![None; self.judgement_keys.len()];
            for (k, b) in &req.judgements {
                match self.judgement_keys.iter().position(|j| j == k).and_then(|j| judgements.get_mut(j)) {
                    Some(x) => *x = Some(*b),
                    None => errors.push(unknown(&format!("judgements.{k}"), k)),
                }
            }
        }
        if !errors.is_empty() {
            return Err(InputErrors { errors });
        }
        Ok(OwnedRecord {
            values,
            series,
            judgements,
            score: req.score,
        })
    }

    /// A bilingual error naming the field of a [`RowError`].
    #[must_use]
    pub fn describe(&self, r: &Record<'_>, e: RowError) -> FieldError {
        let shape = |path: &str, expected: usize, got: usize| {
            FieldError::at(
                ErrorCode::Inconsistent,
                path,
                format!("{path} 应有 {expected} 个数值，收到 {got} 个"),
                format!("{path} must hold {expected} values, got {got}"),
            )
        };
        match e {
            RowError::Values { expected, got } => shape("values", expected, got),
            RowError::Series { expected, got } => shape("series", expected, got),
            RowError::Judgements { expected, got } => shape("judgements", expected, got),
            RowError::Value { column } => {
                let key = self.columns.get(column).copied().unwrap_or("?");
                let unit = self.units.get(column).copied().unwrap_or(Unit::Number);
                let v = r.values.get(column).copied().unwrap_or(f64::NAN);
                let (zh, en) = number_ok(unit, v).err().unwrap_or_default();
                let path = format!("values.{key}");
                FieldError::at(ErrorCode::OutOfRange, &path, format!("{path} {zh}"), format!("{path} {en}"))
            }
            RowError::SeriesValue { slot } => {
                let key = self.trend_keys.get(slot / 3).copied().unwrap_or("?");
                let v = r.series.get(slot).copied().unwrap_or(f64::NAN);
                let path = format!("series.{key}.{}", slot % 3);
                FieldError::at(
                    ErrorCode::OutOfRange,
                    &path,
                    format!("{path} 应为非负有限数值，收到 {v}"),
                    format!("{path} must be a finite non-negative number, got {v}"),
                )
            }
            RowError::Score => FieldError::at(
                ErrorCode::OutOfRange,
                "score",
                format!("score 应为非负数值，收到 {}", r.score.unwrap_or(f64::NAN)),
                format!("score must be a non-negative number, got {}", r.score.unwrap_or(f64::NAN)),
            ),
        }
    }

    /// Judges one record. No allocation, no string work.
    ///
    /// # Errors
    /// A [`RowError`] for a record of the wrong shape or a value out of range
    /// for its unit ([`AssessPlan::describe`] words it).
    ///
    /// # Example
    /// ```
    /// use jindu::{Registry, plan::{AssessPlan, Record}, assess::Verdict};
    /// let rb = Registry::builtin().unwrap().get("sinan-county-20xx-assessment").unwrap();
    /// let plan = AssessPlan::compile(rb).unwrap();
    /// let mut values = vec![f64::NAN; plan.columns().len()];
    /// values[plan.column("cadres_involved").unwrap()] = 2.0; // 2名
    /// let judgements = [Some(true)]; // not_seriously_performing, the caller's finding
    /// let q = plan.eval(&Record { values: &values, judgements: &judgements, score: Some(91.0), ..Record::default() }).unwrap();
    /// assert_eq!(q.verdict, Verdict::Vetoed);
    /// assert_eq!(q.score, Some(0.0));
    /// ```
    pub fn eval(&self, r: &Record<'_>) -> Result<Quick, RowError> {
        self.judge(r)
    }

    /// [`AssessPlan::eval`] into a [`Quick`] the caller owns (a batch reuses
    /// one, or writes straight into its output slice). On an error `q` is
    /// left as it was.
    ///
    /// # Errors
    /// As [`AssessPlan::eval`].
    ///
    /// # Example
    /// ```
    /// use jindu::{Registry, plan::{AssessPlan, Quick, Record}, assess::Verdict};
    /// let rb = Registry::builtin().unwrap().get("qianxinan-2018-dispatch").unwrap();
    /// let plan = AssessPlan::compile(rb).unwrap();
    /// let rows = vec![f64::NAN; plan.columns().len() * 2];
    /// let mut out = vec![Quick::default(); 2];
    /// for (row, q) in rows.chunks(plan.columns().len()).zip(out.iter_mut()) {
    ///     plan.eval_into(&Record { values: row, ..Record::default() }, q).unwrap();
    /// }
    /// assert!(out.iter().all(|q| q.verdict == Verdict::Incomplete));
    /// ```
    pub fn eval_into(&self, r: &Record<'_>, out: &mut Quick) -> Result<(), RowError> {
        *out = self.judge(r)?;
        Ok(())
    }

    /// The row path, its answer returned in place (no default answer made
    /// and copied over, which was half the time of `eval`).
    #[inline]
    fn judge(&self, r: &Record<'_>) -> Result<Quick, RowError> {
        if r.values.len() != self.columns.len() {
            return Err(RowError::Values {
                expected: self.columns.len(),
                got: r.values.len(),
            });
        }
        if !r.series.is_empty() && r.series.len() != self.trend_keys.len() * 3 {
            return Err(RowError::Series {
                expected: self.trend_keys.len() * 3,
                got: r.series.len(),
            });
        }
        if !r.judgements.is_empty() && r.judgements.len() != self.judgement_keys.len() {
            return Err(RowError::Judgements {
                expected: self.judgement_keys.len(),
                got: r.judgements.len(),
            });
        }
        // The fused pass, 64 columns at a time so that the bit sets stay in
        // one register: every value checked for its unit (NaN fails every
        // comparison and is "not supplied"; ±inf and negatives fail them and
        // are errors), its missing and interval bits gathered. No branch per
        // value: a bad one is looked for again only when there is one.
        let (mut nan, mut pass) = (0u128, 0u128);
        for (chunk, (vals, cols)) in r.values.chunks(64).zip(self.cols.chunks(64)).enumerate() {
            let (mut n, mut p, mut bad) = (0u64, 0u64, false);
            // Last column first, each shifting the sets up by one: no variable shift.
            for (v, [max, whole_from, lo, hi]) in vals.iter().zip(cols).rev() {
                let v = *v;
                let is_nan = v.is_nan();
                let whole = (v >= *whole_from) | ((v + TWO_52) - TWO_52 == v);
                bad |= !((v >= 0.0) & (v <= *max) & whole) & !is_nan;
                n = (n << 1) | u64::from(is_nan);
                p = (p << 1) | u64::from((*lo <= v) & (v <= *hi));
            }
            if bad {
                return Err(self.first_bad(r.values));
            }
            let shift = if chunk == 0 { 0 } else { 64 };
            nan |= u128::from(n) << shift;
            pass |= u128::from(p) << shift;
        }
        let mut bad = false;
        for v in r.series {
            bad |= !((*v >= 0.0) & (*v <= f64::MAX)) & !v.is_nan();
        }
        if bad {
            let slot = r.series.iter().position(|v| v.is_infinite() || *v < 0.0).unwrap_or(0);
            return Err(RowError::SeriesValue { slot });
        }
        if r.score.is_some_and(|s| !(0.0..=f64::MAX).contains(&s)) {
            return Err(RowError::Score);
        }
        let mut g = Gathered {
            nan,
            pass,
            ..Gathered::default()
        };
        // Bits by shifting one along, not by a variable shift of 128 bits.
        let mut b = 1u128;
        for (t, tr) in self.trends.iter().enumerate() {
            let s3 = match r.series.get(t * 3..t * 3 + 3) {
                Some([a, b, c]) => [*a, *b, *c],
                _ => [f64::NAN; 3],
            };
            g.trend(b, tr.status(s3));
            b <<= 1;
        }
        // Judgements 64 at a time, as the fused pass gathers its bits.
        for (chunk, js) in r.judgements.chunks(64).enumerate() {
            let (mut found, mut judged) = (0u64, 0u64);
            for x in js.iter().rev() {
                found = (found << 1) | u64::from(*x == Some(true));
                judged = (judged << 1) | u64::from(x.is_some());
            }
            let shift = if chunk == 0 { 0 } else { 64 };
            g.found |= u128::from(found) << shift;
            g.judged |= u128::from(judged) << shift;
        }
        Ok(self.finish(&g, |c| r.values.get(c).copied().unwrap_or(f64::NAN), r.score))
    }
}

impl AssessPlan<'_> {
    /// Everything after the fused pass, shared by the row and the column
    /// paths: `nan` and `pass` are the pass's bit sets, the closures read
    /// one record's values by column, series by trend (three values, NaN
    /// where not supplied), judgements by number.
    #[inline]
    fn finish(&self, g: &Gathered, value: impl Fn(usize) -> f64, score: Option<f64>) -> Quick {
        let (nan, pass) = (g.nan, g.pass);
        let mut missing_columns = nan & self.ind_cols;
        let mut met = pass & self.simple;
        let mut unmet = self.simple & !pass & !nan;
        let mut indicators_missing = self.simple & nan;
        for ind in &self.slow {
            let v = value(ind.col);
            let th = ind.thr.at(&value);
            if v.is_nan() || th.is_nan() {
                indicators_missing |= ind.mask;
            } else if ind.op.holds(v, th) {
                met |= ind.mask;
            } else {
                unmet |= ind.mask;
            }
        }
        let mut points: Option<f64> = None;
        for (c, bands) in &self.banded {
            let v = value(*c);
            if !v.is_nan() {
                let p = band_points(bands, v);
                points = Some(points.unwrap_or(0.0) + p);
            }
        }
        let (trends_met, trends_unmet, trends_unchanged) = (Bits(g.trends_met), Bits(g.trends_unmet), Bits(g.trends_unchanged));
        let mut judged_anything = self.always_judged;
        let (mut vetoes, mut vetoes_pending, mut vetoes_missing) = (Bits::default(), Bits::default(), Bits::default());
        let mut score_zero = false;
        let (met_b, unmet_b) = (Bits(met), Bits(unmet));
        for (k, v) in self.vetoes.iter().enumerate() {
            // As `judged_all`: one not found settles it; else all found, or not all supplied.
            let judged = if v.judgements & g.judged & !g.found != 0 {
                Some(false)
            } else if v.unknown_judgement || v.judgements & g.judged != v.judgements {
                None
            } else {
                Some(true)
            };
            let any = if v.any_of.is_empty() || v.any_of.iter().any(|(c, op, x)| !value(*c).is_nan() && op.holds(value(*c), *x)) {
                Some(true)
            } else if v.any_of.iter().any(|(c, _, _)| value(*c).is_nan()) {
                None
            } else {
                Some(false)
            };
            let ind = if v.inds.is_empty() || v.inds.iter().any(|i| unmet_b.has(*i)) {
                Some(true)
            } else if v.inds.iter().any(|i| !met_b.has(*i)) {
                None
            } else {
                Some(false)
            };
            let facts = match (any, ind) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            };
            match (facts, judged) {
                (Some(false), _) | (_, Some(false)) => {}
                (Some(true), Some(true)) => {
                    vetoes.set(k);
                    score_zero |= v.score_zero;
                    judged_anything = true;
                }
                (Some(true), None) => {
                    vetoes_pending.set(k);
                    judged_anything = true;
                }
                (None, _) => {
                    vetoes_missing.set(k);
                    judged_anything = true;
                    for (c, _, _) in &v.any_of {
                        if value(*c).is_nan() {
                            missing_columns |= Bits::bit(*c);
                        }
                    }
                }
            }
        }
        let any_unmet = unmet != 0 || !trends_unmet.is_empty() || !trends_unchanged.is_empty();
        let trends_missing = (trends_met.0 | trends_unmet.0 | trends_unchanged.0) != self.all_trends;
        let any_missing = indicators_missing != 0 || trends_missing || !vetoes_pending.is_empty() || !vetoes_missing.is_empty();
        let verdict = if !judged_anything {
            Verdict::NotProvided
        } else if !vetoes.is_empty() {
            Verdict::Vetoed
        } else if any_unmet {
            Verdict::Unmet
        } else if any_missing {
            Verdict::Incomplete
        } else {
            Verdict::Met
        };
        let mut outcomes = 0u128;
        let mut outcomes_pending = 0u128;
        if matches!(verdict, Verdict::Unmet | Verdict::Vetoed) {
            outcomes |= self.out_verdict;
        }
        for (v, m) in &self.out_veto {
            if vetoes.has(*v) {
                outcomes |= m;
            }
            if vetoes_pending.has(*v) {
                outcomes_pending |= m;
            }
        }
        for (i, m) in &self.out_ind {
            if unmet & i != 0 {
                outcomes |= m;
            }
        }
        for (j, m) in &self.out_judgement {
            if g.found & j != 0 {
                outcomes |= m;
            }
        }
        for (c, m) in &self.out_input {
            if value(*c) > 0.0 {
                outcomes |= m;
            }
        }
        let mut brackets = Bits::default();
        for (k, b) in self.brackets.iter().enumerate() {
            let v = value(b.col);
            if v.is_nan() {
                missing_columns |= Bits::bit(b.col);
            } else if v >= b.from && v <= b.to {
                brackets.set(k);
            }
        }
        Quick {
            verdict,
            met: Bits(met),
            unmet: Bits(unmet),
            indicators_missing: Bits(indicators_missing),
            trends_met,
            trends_unmet,
            trends_unchanged,
            vetoes,
            vetoes_pending,
            vetoes_missing,
            outcomes: Bits(outcomes),
            outcomes_pending: Bits(outcomes_pending),
            brackets,
            missing_columns: Bits(missing_columns),
            score: score.map(|s| if score_zero { 0.0 } else { s }),
            points,
        }
    }

    /// The first value out of range for its column (the slow path of an error).
    fn first_bad(&self, values: &[f64]) -> RowError {
        let column = values
            .iter()
            .zip(&self.units)
            .position(|(v, u)| !v.is_nan() && number_ok(*u, *v).is_err())
            .unwrap_or(0);
        RowError::Value { column }
    }
}

/// Records in one block of the column path: the bit sets of a block stay in
/// the first-level cache (64 records of three sets of 16 bytes).
const BLOCK: usize = 64;

/// A batch of records by column: the layout of a pandas frame or an Arrow
/// record batch, judged by [`AssessPlan::eval_columns`] without making rows.
/// Every column holds one value a record.
#[derive(Clone, Copy, Debug, Default)]
pub struct Columns<'a> {
    /// One column per column of [`AssessPlan::columns`]; `NaN` is "not supplied".
    pub values: &'a [&'a [f64]],
    /// Empty (no series at all), or three columns per trend of
    /// [`AssessPlan::trends`]: the year before last, last year, this year.
    /// `NaN` is "not supplied".
    pub series: &'a [&'a [f64]],
    /// Empty (no judgement at all), or one column per judgement of
    /// [`AssessPlan::judgements`]; `None` is "not supplied" (never false).
    pub judgements: &'a [&'a [Option<bool>]],
    /// The areas' scores, where the batch has them; `NaN` is "no score"
    /// (as a null in a pandas or Arrow column).
    pub scores: Option<&'a [f64]>,
}

impl Columns<'_> {
    /// Record `i` as a row (for [`AssessPlan::describe`] of its error, or
    /// for [`AssessPlan::eval`]): `NaN` where a column is short.
    #[must_use]
    pub fn record(&self, i: usize) -> OwnedRecord {
        let at = |c: &&[f64]| c.get(i).copied().unwrap_or(f64::NAN);
        OwnedRecord {
            values: self.values.iter().map(at).collect(),
            series: self.series.iter().map(at).collect(),
            judgements: self.judgements.iter().map(|c| c.get(i).copied().flatten()).collect(),
            score: self.scores.map(|s| s.get(i).copied().unwrap_or(f64::NAN)).filter(|s| !s.is_nan()),
        }
    }
}

/// A batch whose columns do not fit the plan: how many, or how long.
fn shape_error(path: &str, what_zh: &str, what_en: &str, expected: usize, got: usize) -> InputErrors {
    InputErrors {
        errors: vec![FieldError::at(
            ErrorCode::Inconsistent,
            path,
            format!("{path} 应有 {expected} {what_zh}，收到 {got} {what_zh}"),
            format!("{path} must hold {expected} {what_en}, got {got}"),
        )],
    }
}

impl AssessPlan<'_> {
    /// Judges a batch given by column, one answer per record in `out`, in
    /// order: a record with a value out of range for its unit gets its
    /// [`RowError`] in its place (as [`AssessPlan::eval`] would give it) and
    /// every other record is still judged. Each answer equals what
    /// [`AssessPlan::eval`] gives for the same record as a row (a test holds
    /// the two together); this path reads each column in a tight loop over
    /// the records, which the compiler vectorises, and makes no rows.
    ///
    /// # Errors
    /// `inconsistent` when the batch does not fit the plan: not one value
    /// column per plan column, series neither empty nor three per trend,
    /// judgements neither empty nor one per judgement, or a column (or the
    /// scores) not holding exactly `out.len()` values. Nothing is judged then.
    ///
    /// # Example
    /// ```
    /// use jindu::{Registry, plan::{AssessPlan, Columns, Quick, RowError}, assess::Verdict};
    /// let rb = Registry::builtin().unwrap().get("hengyang-county-2018-work-plan").unwrap();
    /// let plan = AssessPlan::compile(rb).unwrap();
    /// let rate = plan.column("compulsory_rehab_rate").unwrap(); // 达到85%以上
    /// // Three areas: 84 (unmet), 120 (not a percentage), nothing supplied.
    /// let mut cols = vec![vec![f64::NAN; 3]; plan.columns().len()];
    /// cols[rate] = vec![84.0, 120.0, f64::NAN];
    /// let values: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
    /// let mut out = vec![Ok(Quick::default()); 3];
    /// plan.eval_columns(&Columns { values: &values, ..Columns::default() }, &mut out).unwrap();
    /// assert_eq!(out[0].as_ref().unwrap().verdict, Verdict::Unmet);
    /// assert_eq!(out[1], Err(RowError::Value { column: rate }));
    /// assert_eq!(out[2].as_ref().unwrap().verdict, Verdict::Incomplete);
    /// ```
    pub fn eval_columns(&self, c: &Columns<'_>, out: &mut [Result<Quick, RowError>]) -> Result<(), InputErrors> {
        self.eval_columns_each(c, out.len(), |i, q| {
            if let Some(slot) = out.get_mut(i) {
                *slot = q.copied();
            }
        })
    }

    /// [`AssessPlan::eval_columns`] handing each record's answer to `f`
    /// (record number, answer) in order, instead of storing it: the caller
    /// keeps what it needs (a verdict column, the unmet indicators) and a
    /// batch of any size is judged in memory of one block.
    ///
    /// # Errors
    /// As [`AssessPlan::eval_columns`], with `records` the number of records.
    ///
    /// # Example
    /// ```
    /// use jindu::{Registry, plan::{AssessPlan, Columns}, assess::Verdict};
    /// let rb = Registry::builtin().unwrap().get("hengyang-county-2018-work-plan").unwrap();
    /// let plan = AssessPlan::compile(rb).unwrap();
    /// let all_met: Vec<Vec<f64>> = rb.file().assessment.as_ref().unwrap().indicators.iter()
    ///     .map(|i| vec![if i.unit == jindu::assess::Unit::Count { 0.0 } else { 100.0 }; 1000])
    ///     .collect();
    /// let values: Vec<&[f64]> = all_met.iter().map(Vec::as_slice).collect();
    /// let trend = [&[40.0; 1000][..], &[20.0; 1000][..], &[10.0; 1000][..]]; // halved each year
    /// let mut met = 0;
    /// plan.eval_columns_each(&Columns { values: &values, series: &trend, ..Columns::default() }, 1000, |_, q| {
    ///     met += usize::from(q.is_ok_and(|q| q.verdict == Verdict::Met));
    /// }).unwrap();
    /// assert_eq!(met, 1000);
    /// ```
    pub fn eval_columns_each(&self, c: &Columns<'_>, records: usize, mut f: impl FnMut(usize, Result<&Quick, RowError>)) -> Result<(), InputErrors> {
        self.check_shape(c, records)?;
        let n = records;
        let mut from = 0;
        while from < n {
            let len = (n - from).min(BLOCK);
            self.eval_block(c, from, len, &mut f);
            from += len;
        }
        Ok(())
    }

    /// Whether a batch by column fits the plan: one value column per plan
    /// column, series empty or three per trend, judgements empty or one per
    /// judgement, every column (and the scores) `records` long.
    fn check_shape(&self, c: &Columns<'_>, records: usize) -> Result<(), InputErrors> {
        let n = records;
        if c.values.len() != self.columns.len() {
            return Err(shape_error("values", "列", "columns", self.columns.len(), c.values.len()));
        }
        if !c.series.is_empty() && c.series.len() != self.trend_keys.len() * 3 {
            return Err(shape_error(
                "series",
                "列",
                "columns (three per trend)",
                self.trend_keys.len() * 3,
                c.series.len(),
            ));
        }
        if !c.judgements.is_empty() && c.judgements.len() != self.judgement_keys.len() {
            return Err(shape_error("judgements", "列", "columns", self.judgement_keys.len(), c.judgements.len()));
        }
        let lengths = c
            .values
            .iter()
            .map(|v| v.len())
            .enumerate()
            .map(|(i, l)| (format!("values.{}", self.columns.get(i).copied().unwrap_or("?")), l));
        let lengths = lengths
            .chain(
                c.series
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (format!("series.{}.{}", self.trend_keys.get(i / 3).copied().unwrap_or("?"), i % 3), s.len())),
            )
            .chain(
                c.judgements
                    .iter()
                    .enumerate()
                    .map(|(i, j)| (format!("judgements.{}", self.judgement_keys.get(i).copied().unwrap_or("?")), j.len())),
            )
            .chain(c.scores.map(|s| ("score".to_owned(), s.len())));
        for (path, len) in lengths {
            if len != n {
                return Err(InputErrors {
                    errors: vec![FieldError::at(
                        ErrorCode::Inconsistent,
                        &path,
                        format!("{path} 应有 {n} 个值（每个记录一个），收到 {len} 个"),
                        format!("{path} must hold {n} values (one a record), got {len}"),
                    )],
                });
            }
        }
        Ok(())
    }

    /// One block of at most [`BLOCK`] records from record `from` on (not
    /// inlined: one call per block, and a profiler can count it alone).
    #[inline(never)]
    fn eval_block(&self, c: &Columns<'_>, from: usize, len: usize, f: &mut impl FnMut(usize, Result<&Quick, RowError>)) {
        let len = len.min(BLOCK);
        let to = from + len;
        let mut g = [Gathered::default(); BLOCK];
        let mut bad = [0u64; BLOCK];
        // The fused pass by column, 64 columns at a time: for each column a
        // loop over the block's records with the column's bit fixed, the
        // same tests as the row path's, in lanes.
        for (chunk, (cols, specs)) in c.values.chunks(64).zip(self.cols.chunks(64)).enumerate() {
            let (mut n, mut p) = ([0u64; BLOCK], [0u64; BLOCK]);
            for (k, (col, [max, whole_from, lo, hi])) in cols.iter().zip(specs).enumerate() {
                let Some(col) = col.get(from..to) else { continue };
                let (max, whole_from, lo, hi) = (*max, *whole_from, *lo, *hi);
                let lanes = col.iter().zip(n.iter_mut().zip(p.iter_mut()).zip(bad.iter_mut()));
                if whole_from > 0.0 {
                    for (v, ((n, p), bad)) in lanes {
                        let v = *v;
                        let is_nan = v.is_nan();
                        let whole = (v >= whole_from) | ((v + TWO_52) - TWO_52 == v);
                        *bad |= u64::from(!((v >= 0.0) & (v <= max) & whole) & !is_nan);
                        *n |= u64::from(is_nan) << k;
                        *p |= u64::from((lo <= v) & (v <= hi)) << k;
                    }
                } else {
                    for (v, ((n, p), bad)) in lanes {
                        let v = *v;
                        let is_nan = v.is_nan();
                        *bad |= u64::from(!((v >= 0.0) & (v <= max)) & !is_nan);
                        *n |= u64::from(is_nan) << k;
                        *p |= u64::from((lo <= v) & (v <= hi)) << k;
                    }
                }
            }
            let shift = if chunk == 0 { 0 } else { 64 };
            for (g, (n, p)) in g.iter_mut().zip(n.iter().zip(&p)) {
                g.nan |= u128::from(*n) << shift;
                g.pass |= u128::from(*p) << shift;
            }
        }
        // Series values and scores: finite and not negative, or not supplied.
        for col in c.series.iter().chain(c.scores.iter()) {
            let Some(col) = col.get(from..to) else { continue };
            for (v, bad) in col.iter().zip(bad.iter_mut()) {
                *bad |= u64::from(!((*v >= 0.0) & (*v <= f64::MAX)) & !v.is_nan());
            }
        }
        // Trends, a loop over the records per trend.
        for (t, (tr, s)) in self.trends.iter().zip(c.series.chunks_exact(3)).enumerate() {
            let (Some(a), Some(b), Some(l)) = (
                s.first().and_then(|a| a.get(from..to)),
                s.get(1).and_then(|b| b.get(from..to)),
                s.get(2).and_then(|l| l.get(from..to)),
            ) else {
                continue;
            };
            let bit = Bits::bit(t);
            for (g, ((a, b), l)) in g.iter_mut().zip(a.iter().zip(b).zip(l)) {
                g.trend(bit, tr.status([*a, *b, *l]));
            }
        }
        // Judgements, 64 at a time as the values: a loop over the records per judgement.
        for (chunk, cols) in c.judgements.chunks(64).enumerate() {
            let (mut found, mut judged) = ([0u64; BLOCK], [0u64; BLOCK]);
            for (k, col) in cols.iter().enumerate() {
                let Some(col) = col.get(from..to) else { continue };
                for (x, (f, j)) in col.iter().zip(found.iter_mut().zip(judged.iter_mut())) {
                    *f |= u64::from(*x == Some(true)) << k;
                    *j |= u64::from(x.is_some()) << k;
                }
            }
            let shift = if chunk == 0 { 0 } else { 64 };
            for (g, (f, j)) in g.iter_mut().zip(found.iter().zip(&judged)) {
                g.found |= u128::from(*f) << shift;
                g.judged |= u128::from(*j) << shift;
            }
        }
        let scores = c.scores.and_then(|s| s.get(from..to));
        for (i, (bad, g)) in bad.iter().zip(&g).take(len).enumerate() {
            let r = from + i;
            if *bad != 0 {
                // The slow path of a bad record: its row, judged by the row path for its error.
                let row = c.record(r);
                f(r, self.eval(&row.as_record()).as_ref().map_err(|e| *e));
                continue;
            }
            let value = |col: usize| c.values.get(col).and_then(|v| v.get(r)).copied().unwrap_or(f64::NAN);
            let score = scores.and_then(|s| s.get(i)).copied().filter(|s| !s.is_nan());
            f(r, Ok(&self.finish(g, value, score)));
        }
    }
}

fn unknown(path: &str, key: &str) -> FieldError {
    FieldError::at(ErrorCode::UnknownField, path, format!("未知字段 {key}"), format!("unknown field {key}"))
}

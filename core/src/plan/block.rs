//! The plan by block: a batch by column judged 64 records at a time into
//! answers by item.
//!
//! [`AssessPlan::eval_columns`] gives one [`Quick`] a record: thirteen bit
//! sets over the items (indicators, trends, vetoes, outcomes ...) of that
//! record. [`AssessPlan::eval_blocks`] gives the same answers transposed: for
//! each item, a 64-bit mask over the records of a [`Block`]. Every step after
//! the fused pass (indicator statuses, vetoes, the verdict, outcomes) is then
//! a handful of word operations for 64 records at once instead of a loop
//! over items for each record, and a consumer that writes columns (a verdict
//! column, an outcome column for a pandas frame or an Arrow batch) reads
//! them straight from the masks. [`Block::quick`] turns a record back into
//! the row path's [`Quick`]; a test (`core/tests/plan.rs`) holds the two to
//! the same answer on random batches of every built-in rulebook, bad records
//! included. DESIGN.md, "By block", says why.

use super::{band_points, AssessPlan, Bits, Col, Columns, Quick, RowError, BLOCK, TWO_52};
use crate::assess::Verdict;
use crate::error::InputErrors;
use wide::{f64x4, u8x16, CmpEq, CmpGe, CmpGt, CmpLe, CmpNe};

/// The verdicts in the order of [`Block`]'s verdict masks: their order of
/// declaration, so that a verdict's mask is at `v as usize`.
const VERDICTS: [Verdict; 5] = [Verdict::Met, Verdict::Unmet, Verdict::Vetoed, Verdict::Incomplete, Verdict::NotProvided];

/// The item numbers of a 128-bit set, smallest first (one step a member,
/// not one a possible member).
fn members(mut m: u128) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if m == 0 {
            return None;
        }
        let k = m.trailing_zeros() as usize;
        m &= m - 1;
        Some(k)
    })
}

/// The answers of up to 64 consecutive records of a batch, item by item:
/// for every indicator, trend, veto, outcome, bracket and column a mask with
/// bit `i` for record `i` of the block (record [`Block::start`] `+ i` of the
/// batch). Made once by [`AssessPlan::block`] and filled again for every
/// block by [`AssessPlan::eval_blocks`]: no allocation per block.
///
/// A record with an error (a value out of range for its unit, a bad series
/// value or score) is in [`Block::errors`], with its [`RowError`] from
/// [`Block::error`]; it is in no other mask.
#[derive(Clone, Debug)]
pub struct Block {
    start: usize,
    len: usize,
    /// Records judged (not errors).
    ok: u64,
    errors: [RowError; BLOCK],
    verdicts: [u64; 5],
    met: Vec<u64>,
    unmet: Vec<u64>,
    indicators_missing: Vec<u64>,
    trends_met: Vec<u64>,
    trends_unmet: Vec<u64>,
    trends_unchanged: Vec<u64>,
    vetoes: Vec<u64>,
    vetoes_pending: Vec<u64>,
    vetoes_missing: Vec<u64>,
    outcomes: Vec<u64>,
    outcomes_pending: Vec<u64>,
    brackets: Vec<u64>,
    missing_columns: Vec<u64>,
    /// Scratch of the pass, per column: not supplied; within the interval.
    nan: Vec<u64>,
    pass: Vec<u64>,
    /// Scratch per judgement: supplied; found (true).
    judged: Vec<u64>,
    found: Vec<u64>,
    scores: [f64; BLOCK],
    has_score: u64,
    points: [f64; BLOCK],
    has_points: u64,
}

/// Record `i`'s bits of `masks` as a [`Bits`] over the items.
fn gather(masks: &[u64], i: usize) -> Bits {
    let mut b = 0u128;
    if i < BLOCK {
        for (k, m) in masks.iter().enumerate().take(super::CAPACITY) {
            b |= u128::from((m >> i) & 1) << k;
        }
    }
    Bits(b)
}

/// Sets record `i`'s bits of `masks` from `b`.
fn scatter(masks: &mut [u64], i: usize, b: Bits) {
    if i >= BLOCK {
        return;
    }
    for (k, m) in masks.iter_mut().enumerate() {
        *m = (*m & !(1u64 << i)) | (u64::from(b.has(k)) << i);
    }
}

impl Block {
    fn sized(columns: usize, indicators: usize, trends: usize, vetoes: usize, outcomes: usize, brackets: usize, judgements: usize) -> Block {
        Block {
            start: 0,
            len: 0,
            ok: 0,
            errors: [RowError::Score; BLOCK],
            verdicts: [0; 5],
            met: vec![0; indicators],
            unmet: vec![0; indicators],
            indicators_missing: vec![0; indicators],
            trends_met: vec![0; trends],
            trends_unmet: vec![0; trends],
            trends_unchanged: vec![0; trends],
            vetoes: vec![0; vetoes],
            vetoes_pending: vec![0; vetoes],
            vetoes_missing: vec![0; vetoes],
            outcomes: vec![0; outcomes],
            outcomes_pending: vec![0; outcomes],
            brackets: vec![0; brackets],
            missing_columns: vec![0; columns],
            nan: vec![0; columns],
            pass: vec![0; columns],
            judged: vec![0; judgements],
            found: vec![0; judgements],
            scores: [0.0; BLOCK],
            has_score: 0,
            points: [0.0; BLOCK],
            has_points: 0,
        }
    }

    /// The answer masks, every one (not the scratch of the pass).
    fn answer_masks(&mut self) -> [&mut Vec<u64>; 13] {
        [
            &mut self.met,
            &mut self.unmet,
            &mut self.indicators_missing,
            &mut self.trends_met,
            &mut self.trends_unmet,
            &mut self.trends_unchanged,
            &mut self.vetoes,
            &mut self.vetoes_pending,
            &mut self.vetoes_missing,
            &mut self.outcomes,
            &mut self.outcomes_pending,
            &mut self.brackets,
            &mut self.missing_columns,
        ]
    }

    /// The number in the batch of the block's first record.
    #[must_use]
    pub fn start(&self) -> usize {
        self.start
    }
    /// How many records the block holds (64, fewer in the last block).
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }
    /// Whether the block holds no record.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// The records judged: every record of the block but those with an error.
    #[must_use]
    pub fn judged(&self) -> u64 {
        self.ok
    }
    /// The records with an error (see [`Block::error`]).
    #[must_use]
    pub fn errors(&self) -> u64 {
        all_of(self.len) & !self.ok
    }
    /// The error of record `i` of the block, if it has one.
    #[must_use]
    pub fn error(&self, i: usize) -> Option<RowError> {
        if i < self.len && (self.ok >> i) & 1 == 0 {
            self.errors.get(i).copied()
        } else {
            None
        }
    }
    /// The records with verdict `v`.
    #[must_use]
    pub fn with_verdict(&self, v: Verdict) -> u64 {
        self.verdicts.get(v as usize).copied().unwrap_or(0)
    }
    /// The verdict of record `i` of the block, or its [`RowError`] where it
    /// has one; `None` past the block.
    #[must_use]
    pub fn verdict(&self, i: usize) -> Option<Result<Verdict, RowError>> {
        if i >= self.len {
            return None;
        }
        if let Some(e) = self.error(i) {
            return Some(Err(e));
        }
        VERDICTS
            .iter()
            .zip(&self.verdicts)
            .find(|(_, m)| i < BLOCK && (*m >> i) & 1 == 1)
            .map(|(v, _)| Ok(*v))
    }
    /// The records where indicator `k` is met (0 for an indicator the plan does not have).
    #[must_use]
    pub fn met(&self, k: usize) -> u64 {
        self.met.get(k).copied().unwrap_or(0)
    }
    /// The records where indicator `k` is not met.
    #[must_use]
    pub fn unmet(&self, k: usize) -> u64 {
        self.unmet.get(k).copied().unwrap_or(0)
    }
    /// The records where indicator `k` has a threshold but its value (or the threshold's input) is missing.
    #[must_use]
    pub fn indicator_missing(&self, k: usize) -> u64 {
        self.indicators_missing.get(k).copied().unwrap_or(0)
    }
    /// The records where trend `k` is met.
    #[must_use]
    pub fn trend_met(&self, k: usize) -> u64 {
        self.trends_met.get(k).copied().unwrap_or(0)
    }
    /// The records where trend `k` is not met (a change the wrong way or too small).
    #[must_use]
    pub fn trend_unmet(&self, k: usize) -> u64 {
        self.trends_unmet.get(k).copied().unwrap_or(0)
    }
    /// The records where trend `k` is unchanged (counts as not met).
    #[must_use]
    pub fn trend_unchanged(&self, k: usize) -> u64 {
        self.trends_unchanged.get(k).copied().unwrap_or(0)
    }
    /// The records where veto `k` applies.
    #[must_use]
    pub fn veto(&self, k: usize) -> u64 {
        self.vetoes.get(k).copied().unwrap_or(0)
    }
    /// The records where veto `k`'s facts hold but a judgement is not supplied.
    #[must_use]
    pub fn veto_pending(&self, k: usize) -> u64 {
        self.vetoes_pending.get(k).copied().unwrap_or(0)
    }
    /// The records where veto `k`'s facts are not supplied.
    #[must_use]
    pub fn veto_missing(&self, k: usize) -> u64 {
        self.vetoes_missing.get(k).copied().unwrap_or(0)
    }
    /// The records where outcome `k` follows (its status from its modality:
    /// [`AssessPlan::outcome_status`]).
    #[must_use]
    pub fn outcome(&self, k: usize) -> u64 {
        self.outcomes.get(k).copied().unwrap_or(0)
    }
    /// The records where outcome `k` would follow if the caller found a judgement.
    #[must_use]
    pub fn outcome_pending(&self, k: usize) -> u64 {
        self.outcomes_pending.get(k).copied().unwrap_or(0)
    }
    /// The records in count bracket `k`.
    #[must_use]
    pub fn bracket(&self, k: usize) -> u64 {
        self.brackets.get(k).copied().unwrap_or(0)
    }
    /// The records where column `c` was not supplied and the verdict, a veto or a bracket needed it.
    #[must_use]
    pub fn missing_column(&self, c: usize) -> u64 {
        self.missing_columns.get(c).copied().unwrap_or(0)
    }
    /// The score of record `i` after vetoes, where it has one.
    #[must_use]
    pub fn score(&self, i: usize) -> Option<f64> {
        self.scores.get(i).copied().filter(|_| i < BLOCK && (self.has_score >> i) & 1 == 1)
    }
    /// The points of record `i` from graded indicators, where it has any.
    #[must_use]
    pub fn points(&self, i: usize) -> Option<f64> {
        self.points.get(i).copied().filter(|_| i < BLOCK && (self.has_points >> i) & 1 == 1)
    }
    /// The scores of the block's records after vetoes, one a record, for a
    /// consumer that writes whole columns: record `i`'s is there where bit
    /// `i` of [`Block::score_mask`] is set (the number of a record without
    /// one is unspecified). [`Block::score`] reads one record.
    ///
    /// # Example
    /// ```
    /// use jindu::{Registry, plan::{AssessPlan, Columns}};
    /// let plan = AssessPlan::compile(Registry::builtin().unwrap().get("hengyang-county-2018-work-plan").unwrap()).unwrap();
    /// let values: Vec<&[f64]> = vec![&[50.0, 50.0]; plan.columns().len()];
    /// let scores = [90.0, f64::NAN];
    /// let mut block = plan.block();
    /// plan.eval_blocks(&Columns { values: &values, scores: Some(&scores), ..Columns::default() }, 2, &mut block, |b| {
    ///     assert_eq!(b.score_values().len(), 2);
    ///     for i in 0..b.len() {
    ///         let has = (b.score_mask() >> i) & 1 == 1;
    ///         assert_eq!(b.score(i), has.then(|| b.score_values()[i]));
    ///     }
    ///     assert_eq!(b.score(1), None); // NaN is "not supplied"
    /// }).unwrap();
    /// ```
    #[must_use]
    pub fn score_values(&self) -> &[f64] {
        self.scores.get(..self.len).unwrap_or(&[])
    }
    /// The records of the block that have a score (see [`Block::score_values`]).
    #[must_use]
    pub fn score_mask(&self) -> u64 {
        self.has_score & all_of(self.len)
    }
    /// The points of the block's records from graded indicators, one a
    /// record: record `i`'s are there where bit `i` of
    /// [`Block::points_mask`] is set (the number of a record without any is
    /// unspecified). [`Block::points`] reads one record.
    ///
    /// # Example
    /// ```
    /// use jindu::{Registry, plan::{AssessPlan, Columns}};
    /// let plan = AssessPlan::compile(Registry::builtin().unwrap().get("hengyang-county-2018-work-plan").unwrap()).unwrap();
    /// let values: Vec<&[f64]> = vec![&[50.0, 50.0]; plan.columns().len()];
    /// let mut block = plan.block();
    /// plan.eval_blocks(&Columns { values: &values, ..Columns::default() }, 2, &mut block, |b| {
    ///     for i in 0..b.len() {
    ///         let has = (b.points_mask() >> i) & 1 == 1;
    ///         assert_eq!(b.points(i), has.then(|| b.points_values()[i]));
    ///     }
    /// }).unwrap();
    /// ```
    #[must_use]
    pub fn points_values(&self) -> &[f64] {
        self.points.get(..self.len).unwrap_or(&[])
    }
    /// The records of the block that have points (see [`Block::points_values`]).
    #[must_use]
    pub fn points_mask(&self) -> u64 {
        self.has_points & all_of(self.len)
    }
    /// Record `i` of the block as the row path answers it: exactly what
    /// [`AssessPlan::eval`] gives for the record as a row, its answer or its
    /// [`RowError`]; `None` past the block.
    #[must_use]
    pub fn quick(&self, i: usize) -> Option<Result<Quick, RowError>> {
        let verdict = match self.verdict(i)? {
            Ok(v) => v,
            Err(e) => return Some(Err(e)),
        };
        Some(Ok(Quick {
            verdict,
            met: gather(&self.met, i),
            unmet: gather(&self.unmet, i),
            indicators_missing: gather(&self.indicators_missing, i),
            trends_met: gather(&self.trends_met, i),
            trends_unmet: gather(&self.trends_unmet, i),
            trends_unchanged: gather(&self.trends_unchanged, i),
            vetoes: gather(&self.vetoes, i),
            vetoes_pending: gather(&self.vetoes_pending, i),
            vetoes_missing: gather(&self.vetoes_missing, i),
            outcomes: gather(&self.outcomes, i),
            outcomes_pending: gather(&self.outcomes_pending, i),
            brackets: gather(&self.brackets, i),
            missing_columns: gather(&self.missing_columns, i),
            score: self.score(i),
            points: self.points(i),
        }))
    }

    /// Every record of the block as [`Block::quick`] gives it, into `out`
    /// (slot `i` for record `i`; slots past the block, or past `out`, are
    /// left as they are): the whole block transposed at once, each mask's set
    /// bits spread to their records, which costs a small part of calling
    /// `quick` for each record (that gathers every mask for every record).
    /// For a consumer that wants the block's answers as rows.
    ///
    /// # Example
    /// ```
    /// use jindu::{Registry, plan::{AssessPlan, Columns, Quick, RowError}};
    /// let plan = AssessPlan::compile(Registry::builtin().unwrap().get("hengyang-county-2018-work-plan").unwrap()).unwrap();
    /// let cols = vec![vec![50.0, f64::NAN, -1.0]; plan.columns().len()];
    /// let values: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
    /// let mut block = plan.block();
    /// let mut rows = [Err(RowError::Score); 64];
    /// plan.eval_blocks(&Columns { values: &values, ..Columns::default() }, 3, &mut block, |b| {
    ///     b.quicks(&mut rows);
    ///     for i in 0..b.len() {
    ///         assert_eq!(Some(rows[i]), b.quick(i));
    ///     }
    /// }).unwrap();
    /// assert!(rows[2].is_err()); // -1 is not a value of any unit
    /// ```
    pub fn quicks(&self, out: &mut [Result<Quick, RowError>]) {
        let n = self.len.min(out.len()).min(BLOCK);
        for (i, (slot, e)) in out.iter_mut().zip(&self.errors).enumerate().take(n) {
            *slot = if (self.ok >> i) & 1 == 1 {
                Ok(Quick {
                    score: self.score(i),
                    points: self.points(i),
                    ..Quick::default()
                })
            } else {
                Err(*e)
            };
        }
        let live = self.ok & all_of(n);
        for (v, m) in VERDICTS.iter().zip(&self.verdicts) {
            spread_bits(*m & live, out, |q| q.verdict = *v);
        }
        // Each item set by name (a macro rather than a table of accessors, so
        // that the spreading is inlined, not a call a bit).
        macro_rules! spread {
            ($($f:ident),*) => {$(
                for (k, m) in self.$f.iter().enumerate().take(super::CAPACITY) {
                    let bit = 1u128 << k;
                    spread_bits(*m & live, out, |q| q.$f.0 |= bit);
                }
            )*};
        }
        spread!(
            met,
            unmet,
            indicators_missing,
            trends_met,
            trends_unmet,
            trends_unchanged,
            vetoes,
            vetoes_pending,
            vetoes_missing,
            outcomes,
            outcomes_pending,
            brackets,
            missing_columns
        );
    }

    /// Writes a row answer into record `i`'s bits (the rare record the pass
    /// flagged that the row path judged).
    fn put(&mut self, i: usize, q: &Quick) {
        if i >= BLOCK {
            return;
        }
        let b = 1u64 << i;
        self.ok |= b;
        for (v, m) in VERDICTS.iter().zip(self.verdicts.iter_mut()) {
            *m = (*m & !b) | if *v == q.verdict { b } else { 0 };
        }
        let sets = [
            q.met,
            q.unmet,
            q.indicators_missing,
            q.trends_met,
            q.trends_unmet,
            q.trends_unchanged,
            q.vetoes,
            q.vetoes_pending,
            q.vetoes_missing,
            q.outcomes,
            q.outcomes_pending,
            q.brackets,
            q.missing_columns,
        ];
        for (masks, set) in self.answer_masks().into_iter().zip(sets) {
            scatter(masks, i, set);
        }
        let (s, p) = (q.score, q.points);
        if let (Some(slot), Some(x)) = (self.scores.get_mut(i), s) {
            *slot = x;
        }
        if let (Some(slot), Some(x)) = (self.points.get_mut(i), p) {
            *slot = x;
        }
        self.has_score = (self.has_score & !b) | if s.is_some() { b } else { 0 };
        self.has_points = (self.has_points & !b) | if p.is_some() { b } else { 0 };
    }
}

/// Applies `f` to the answer of every record set in `m` (each an `Ok` slot of `out`).
#[inline(always)]
fn spread_bits(mut m: u64, out: &mut [Result<Quick, RowError>], f: impl Fn(&mut Quick)) {
    while m != 0 {
        if let Some(Ok(q)) = out.get_mut(m.trailing_zeros() as usize) {
            f(q);
        }
        m &= m - 1;
    }
}

/// Packs 64 flags (each 0 or 1) into a mask, bit `i` for flag `i`: eight
/// flags at a time by one multiplication (the flags of eight bytes meet in
/// the top byte of the product, no two terms on the same bit).
#[inline(always)]
fn pack(flags: &[u8; BLOCK]) -> u64 {
    let mut m = 0u64;
    for (k, c) in flags.chunks_exact(8).enumerate() {
        let mut x = [0u8; 8];
        x.copy_from_slice(c);
        m |= (u64::from_le_bytes(x).wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k);
    }
    m
}

/// A mask from a test of each record of a column (at most [`BLOCK`]): the
/// tests into a lane of bytes, which the compiler vectorises, then packed.
#[inline(always)]
fn mask_of<T: Copy>(col: &[T], f: impl Fn(T) -> bool) -> u64 {
    let mut flags = [0u8; BLOCK];
    if let Ok(col) = <&[T; BLOCK]>::try_from(col) {
        for (x, v) in flags.iter_mut().zip(col) {
            *x = u8::from(f(*v));
        }
    } else {
        for (x, v) in flags.iter_mut().zip(col) {
            *x = u8::from(f(*v));
        }
    }
    pack(&flags)
}

/// The records of a judgement column (at most [`BLOCK`]) that give one, and
/// that find: each answer as a byte (`None` 2, `Some(false)` 0, `Some(true)`
/// 1), compared sixteen at a time and moved into bits by one byte-sign-mask
/// move (`pmovmskb` on x86-64).
#[inline(always)]
fn judgement_masks(col: &[Option<bool>]) -> (u64, u64) {
    let (none, yes) = (u8x16::splat(2), u8x16::splat(1));
    let (mut given, mut found) = (0u64, 0u64);
    for (k, c) in col.chunks(16).take(BLOCK / 16).enumerate() {
        // Sixteen at a time, so that the copy is one load, not a call of `memcpy`.
        let mut bytes = [2u8; 16];
        for (b, x) in bytes.iter_mut().zip(c) {
            *b = match x {
                None => 2,
                Some(f) => u8::from(*f),
            };
        }
        let v = u8x16::from(bytes);
        given |= u64::from(!(v.cmp_eq(none).move_mask() as u16)) << (16 * k);
        found |= u64::from(v.cmp_eq(yes).move_mask() as u16) << (16 * k);
    }
    let all = all_of(col.len());
    (given & all, found & all)
}

/// Up to four values as a vector (NaN past the end).
#[inline(always)]
fn lanes(c: &[f64]) -> f64x4 {
    let v = <[f64; 4]>::try_from(c).unwrap_or_else(|_| {
        let mut v = [f64::NAN; 4];
        for (x, y) in v.iter_mut().zip(c) {
            *x = *y;
        }
        v
    });
    f64x4::from(v)
}

/// The records of a block of `len` records (bits `0 .. len`).
#[inline(always)]
fn all_of(len: usize) -> u64 {
    if len >= BLOCK {
        u64::MAX
    } else {
        (1u64 << len) - 1
    }
}

/// A mask from a test of each record of a column of numbers (at most
/// [`BLOCK`]), four records a vector: the test's lanes to bits by one
/// sign-mask move (`movmskpd` on x86-64). The lanes past a short column's
/// end read NaN and their bits are dropped.
#[inline(always)]
fn fmask(col: &[f64], f: impl Fn(f64x4) -> f64x4) -> u64 {
    let bits = |k: usize, v: [f64; 4]| ((f(f64x4::from(v)).move_mask() & 0xF) as u64) << (4 * k);
    if let Ok(full) = <&[f64; BLOCK]>::try_from(col) {
        full.chunks_exact(4)
            .enumerate()
            .fold(0, |m, (k, c)| m | bits(k, <[f64; 4]>::try_from(c).unwrap_or([f64::NAN; 4])))
    } else {
        let m = col.chunks(4).take(BLOCK / 4).enumerate().fold(0, |m, (k, c)| {
            let mut v = [f64::NAN; 4];
            for (x, y) in v.iter_mut().zip(c) {
                *x = *y;
            }
            m | bits(k, v)
        });
        m & all_of(col.len())
    }
}

/// The fused pass over one column of a block: the records not supplied, the
/// records within `lo ..= hi`, the records out of range for the unit. The
/// same tests as the row path's (IEEE comparisons, NaN failing every one
/// but `!=`), as masks, four records a vector and the three tests on one
/// load; the test of a whole number only for a count.
///
/// Built for each kind of column (`COUNT`: whole numbers; `SIDES`: which
/// bounds of `lo ..= hi` can fail, bit 0 `lo`, bit 1 `hi`), chosen once a
/// column by [`pass`]: a threshold is one-sided, and the bound at infinity
/// would fail only for NaN, which the other bound fails too.
#[inline(always)]
fn pass_column<const COUNT: bool, const SIDES: u8>(col: &[f64], [max, whole_from, lo, hi]: Col) -> (u64, u64, u64) {
    let (zero, max, lo, hi) = (f64x4::splat(0.0), f64x4::splat(max), f64x4::splat(lo), f64x4::splat(hi));
    let (from, two52) = (f64x4::splat(whole_from), f64x4::splat(TWO_52));
    let (mut n, mut p, mut ok) = (0u64, 0u64, 0u64);
    let mut test = |k: usize, v: [f64; 4]| {
        let v = f64x4::from(v);
        let in_range = v.cmp_ge(zero) & v.cmp_le(max);
        let in_range = if COUNT {
            in_range & (v.cmp_ge(from) | ((v + two52) - two52).cmp_eq(v))
        } else {
            in_range
        };
        let bits = |m: f64x4| ((m.move_mask() & 0xF) as u64) << (4 * k);
        n |= bits(v.cmp_ne(v));
        p |= bits(match SIDES {
            1 => lo.cmp_le(v),
            2 => v.cmp_le(hi),
            _ => lo.cmp_le(v) & v.cmp_le(hi),
        });
        ok |= bits(in_range);
    };
    if let Ok(full) = <&[f64; BLOCK]>::try_from(col) {
        for (k, c) in full.chunks_exact(4).enumerate() {
            test(k, <[f64; 4]>::try_from(c).unwrap_or([f64::NAN; 4]));
        }
    } else {
        for (k, c) in col.chunks(4).take(BLOCK / 4).enumerate() {
            let mut v = [f64::NAN; 4];
            for (x, y) in v.iter_mut().zip(c) {
                *x = *y;
            }
            test(k, v);
        }
    }
    let all = all_of(col.len());
    (n & all, p & all, all & !ok & !n)
}

/// [`pass_column`] built for the kind of column `spec` is.
#[inline(always)]
fn pass(col: &[f64], spec: Col) -> (u64, u64, u64) {
    let [_, whole_from, lo, hi] = spec;
    let sides = u8::from(lo != f64::NEG_INFINITY) | (u8::from(hi != f64::INFINITY) << 1);
    match (whole_from > 0.0, sides) {
        (true, 1) => pass_column::<true, 1>(col, spec),
        (true, 2) => pass_column::<true, 2>(col, spec),
        (true, _) => pass_column::<true, 3>(col, spec),
        (false, 1) => pass_column::<false, 1>(col, spec),
        (false, 2) => pass_column::<false, 2>(col, spec),
        (false, _) => pass_column::<false, 3>(col, spec),
    }
}

/// The lanes not finite and non-negative (NaN is not supplied, not bad).
#[inline(always)]
fn bad_lanes(v: f64x4) -> f64x4 {
    !((v.cmp_ge(f64x4::splat(0.0)) & v.cmp_le(f64x4::splat(f64::MAX))) | v.cmp_ne(v))
}

/// The records of a column not finite and non-negative.
#[inline(always)]
fn bad_number(col: &[f64]) -> u64 {
    fmask(col, bad_lanes)
}

impl AssessPlan<'_> {
    /// An empty [`Block`] sized for this plan, to be filled by
    /// [`AssessPlan::eval_blocks`] (make one a batch, or one a thread).
    ///
    /// # Example
    /// ```
    /// use jindu::{Registry, plan::AssessPlan};
    /// let plan = AssessPlan::compile(Registry::builtin().unwrap().get("hengyang-county-2018-work-plan").unwrap()).unwrap();
    /// let block = plan.block();
    /// assert!(block.is_empty());
    /// ```
    #[must_use]
    pub fn block(&self) -> Block {
        Block::sized(
            self.columns.len(),
            self.indicator_count(),
            self.trends.len(),
            self.vetoes.len(),
            self.outcome_status.len(),
            self.brackets.len(),
            self.judgement_keys.len(),
        )
    }

    /// Judges a batch given by column, 64 records at a time, handing each
    /// filled [`Block`] to `f` in order: the answers of
    /// [`AssessPlan::eval_columns`] transposed, a mask over the block's
    /// records for every item. Nothing is allocated per block or record
    /// (but for the row of a record with an error, read again by the row
    /// path for its [`RowError`]), and memory does not grow with the batch.
    ///
    /// `block` is any block (one from [`AssessPlan::block`] is already the
    /// right size; another is resized once).
    ///
    /// # Errors
    /// As [`AssessPlan::eval_columns`], with `records` the number of
    /// records: `inconsistent` naming the field when the batch does not fit
    /// the plan. Nothing is judged then.
    ///
    /// # Example
    /// ```
    /// use jindu::{Registry, plan::{AssessPlan, Columns, RowError}, assess::Verdict};
    /// let rb = Registry::builtin().unwrap().get("hengyang-county-2018-work-plan").unwrap();
    /// let plan = AssessPlan::compile(rb).unwrap();
    /// let rate = plan.column("compulsory_rehab_rate").unwrap(); // 达到85%以上
    /// // Three areas: 84 (unmet), 120 (not a percentage), nothing supplied.
    /// let mut cols = vec![vec![f64::NAN; 3]; plan.columns().len()];
    /// cols[rate] = vec![84.0, 120.0, f64::NAN];
    /// let values: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
    /// let mut block = plan.block();
    /// let mut verdicts = Vec::new();
    /// plan.eval_blocks(&Columns { values: &values, ..Columns::default() }, 3, &mut block, |b| {
    ///     verdicts.extend((0..b.len()).filter_map(|i| b.verdict(i)));
    ///     assert_eq!(b.unmet(rate), 0b001); // record 0
    ///     assert_eq!(b.errors(), 0b010); // record 1
    /// }).unwrap();
    /// assert_eq!(verdicts, [Ok(Verdict::Unmet), Err(RowError::Value { column: rate }), Ok(Verdict::Incomplete)]);
    /// assert_eq!(block.verdict(3), None); // past the last block's three records
    /// ```
    pub fn eval_blocks(&self, c: &Columns<'_>, records: usize, block: &mut Block, mut f: impl FnMut(&Block)) -> Result<(), InputErrors> {
        self.check_shape(c, records)?;
        let fits = block.met.len() == self.indicator_count()
            && block.nan.len() == self.columns.len()
            && block.trends_met.len() == self.trends.len()
            && block.vetoes.len() == self.vetoes.len()
            && block.outcomes.len() == self.outcome_status.len()
            && block.brackets.len() == self.brackets.len()
            && block.judged.len() == self.judgement_keys.len();
        if !fits {
            *block = self.block();
        }
        let mut from = 0;
        while from < records {
            let len = (records - from).min(BLOCK);
            self.fill_block(c, from, len, block);
            f(block);
            from += len;
        }
        Ok(())
    }

    /// Fills `b` with the answers of records `from .. from + len` (at most
    /// [`BLOCK`]); the shape of `c` was checked.
    #[inline(never)]
    fn fill_block(&self, c: &Columns<'_>, from: usize, len: usize, b: &mut Block) {
        let len = len.min(BLOCK);
        let to = from + len;
        let all = all_of(len);
        b.start = from;
        b.len = len;
        b.verdicts = [0; 5];
        // Every answer mask is written below; these three are gathered into
        // (a call of `memset` a mask was a quarter of the time of a block).
        b.outcomes.fill(0);
        b.outcomes_pending.fill(0);
        if let Some(rest) = b.missing_columns.get_mut(self.indicator_count()..) {
            rest.fill(0);
        }
        b.has_points = 0;

        // The fused pass, a column at a time.
        let mut bad = 0u64;
        for ((col, spec), (n, p)) in c.values.iter().zip(&self.cols).zip(b.nan.iter_mut().zip(b.pass.iter_mut())) {
            (*n, *p) = match col.get(from..to) {
                Some(col) => {
                    let (cn, cp, cb) = pass(col, *spec);
                    bad |= cb;
                    (cn & all, cp & all)
                }
                None => (all, 0),
            };
        }
        // The scores here, the series values in the trends' loop below.
        if let Some(col) = c.scores.and_then(|s| s.get(from..to)) {
            bad |= bad_number(col);
        }
        // Value of column `col`, record `i` of the block (NaN where there is none).
        let value = |col: usize, i: usize| c.values.get(col).and_then(|v| v.get(from + i)).copied().unwrap_or(f64::NAN);
        let column = |col: usize| c.values.get(col).and_then(|v| v.get(from..to)).unwrap_or(&[]);

        // Indicators: fixed thresholds from the pass, the slow ones record by record.
        let n_ind = self.indicator_count();
        for (k, (((met, unmet), missing), (n, p))) in b
            .met
            .iter_mut()
            .zip(b.unmet.iter_mut())
            .zip(b.indicators_missing.iter_mut())
            .zip(b.nan.iter().zip(&b.pass))
            .enumerate()
        {
            (*met, *unmet, *missing) = if (self.simple >> k) & 1 == 1 { (*p, all & !*p & !*n, *n) } else { (0, 0, 0) };
        }
        for ind in &self.slow {
            let (mut m, mut u, mut x) = (0u64, 0u64, 0u64);
            for i in 0..len {
                let v = value(ind.col, i);
                let th = ind.thr.at(|c| value(c, i));
                let bit = 1u64 << i;
                if v.is_nan() || th.is_nan() {
                    x |= bit;
                } else if ind.op.holds(v, th) {
                    m |= bit;
                } else {
                    u |= bit;
                }
            }
            if let (Some(met), Some(unmet), Some(missing)) = (b.met.get_mut(ind.col), b.unmet.get_mut(ind.col), b.indicators_missing.get_mut(ind.col)) {
                *met |= m;
                *unmet |= u;
                *missing |= x;
            }
        }
        for (mc, n) in b.missing_columns.iter_mut().zip(&b.nan).take(n_ind) {
            *mc = *n;
        }
        // Points from bands, added in the row path's order.
        for (col, bands) in &self.banded {
            for (i, (v, slot)) in column(*col).iter().zip(b.points.iter_mut()).enumerate() {
                if !v.is_nan() {
                    let p = band_points(bands, *v);
                    let had = (b.has_points >> i) & 1 == 1;
                    *slot = if had { *slot } else { 0.0 } + p;
                    b.has_points |= 1u64 << i;
                }
            }
        }

        // Trends, record by record (three values each).
        let mut trends_missing = 0u64;
        for (t, ((tr, (tm, tu)), tc)) in self
            .trends
            .iter()
            .zip(b.trends_met.iter_mut().zip(b.trends_unmet.iter_mut()))
            .zip(b.trends_unchanged.iter_mut())
            .enumerate()
        {
            let slot = |k: usize| c.series.get(t * 3 + k).and_then(|s| s.get(from..to));
            if let (Some(s0), Some(s1), Some(s2)) = (slot(0), slot(1), slot(2)) {
                // Four records a vector, the flags' lanes to bits: no branch on the values.
                let (mut j, mut m, mut u, mut out) = (0u64, 0u64, 0u64, 0u64);
                for (k, ((a, y), l)) in s0.chunks(4).zip(s1.chunks(4)).zip(s2.chunks(4)).take(BLOCK / 4).enumerate() {
                    let (a, y, l) = (lanes(a), lanes(y), lanes(l));
                    let (fj, fm, fu) = tr.flags([a, y, l]);
                    let bits = |x: f64x4| ((x.move_mask() & 0xF) as u64) << (4 * k);
                    (j, m, u) = (j | bits(fj), m | bits(fm), u | bits(fu));
                    out |= bits(bad_lanes(a) | bad_lanes(y) | bad_lanes(l));
                }
                bad |= out;
                let all = all_of(len);
                let (j, m, u) = (j & all, m & all, u & all);
                (*tm, *tu, *tc) = (m, j & !m & !u, u);
            } else {
                (*tm, *tu, *tc) = (0, 0, 0);
            }
            trends_missing |= all & !(*tm | *tu | *tc);
        }

        // Every series column is one of a trend's three (the shape was
        // checked), so the trends' loop has checked them all.
        let bad = bad & all;
        let ok = all & !bad;
        b.ok = ok;

        // Judgements: supplied, found.
        for (k, (jd, fd)) in b.judged.iter_mut().zip(b.found.iter_mut()).enumerate() {
            (*jd, *fd) = (0, 0);
            if let Some(col) = c.judgements.get(k).and_then(|j| j.get(from..to)) {
                (*jd, *fd) = judgement_masks(col);
            }
        }

        // Vetoes, as masks: the row path's three-valued facts and judgement.
        let mut judged_anything = if self.always_judged { all } else { 0 };
        let mut score_zero = 0u64;
        for (k, v) in self.vetoes.iter().enumerate() {
            let (mut no, mut supplied) = (0u64, all);
            for j in members(v.judgements) {
                let (jd, fd) = (b.judged.get(j).copied().unwrap_or(0), b.found.get(j).copied().unwrap_or(0));
                no |= jd & !fd;
                supplied &= jd;
            }
            let yes = if v.unknown_judgement { 0 } else { all & !no & supplied };
            let pending_judgement = all & !no & !yes;
            let (any_true, any_none) = if v.any_of.is_empty() {
                (all, 0)
            } else {
                let (mut t, mut nn) = (0u64, 0u64);
                for (col, op, x) in &v.any_of {
                    let n = b.nan.get(*col).copied().unwrap_or(all);
                    nn |= n;
                    let cv = column(*col);
                    t |= !n & mask_of(cv, |v| op.holds(v, *x));
                }
                (t, !t & nn)
            };
            let (ind_true, ind_none) = if v.inds.is_empty() {
                (all, 0)
            } else {
                let (mut t, mut not_met) = (0u64, 0u64);
                for i in &v.inds {
                    t |= b.unmet.get(*i).copied().unwrap_or(0);
                    not_met |= !b.met.get(*i).copied().unwrap_or(0);
                }
                (t, !t & not_met)
            };
            let facts_false = (all & !any_true & !any_none) | (all & !ind_true & !ind_none);
            let facts_true = any_true & ind_true & !facts_false;
            let facts_none = all & !facts_false & !facts_true;
            let vetoed = facts_true & yes;
            let pending = facts_true & pending_judgement;
            let missing = facts_none & !no;
            if let (Some(a), Some(p), Some(m)) = (b.vetoes.get_mut(k), b.vetoes_pending.get_mut(k), b.vetoes_missing.get_mut(k)) {
                (*a, *p, *m) = (vetoed, pending, missing);
            }
            judged_anything |= vetoed | pending | missing;
            if v.score_zero {
                score_zero |= vetoed;
            }
            for (col, _, _) in &v.any_of {
                if let (Some(mc), Some(n)) = (b.missing_columns.get_mut(*col), b.nan.get(*col)) {
                    *mc |= missing & n;
                }
            }
        }

        // The verdict.
        let or = |ms: &[u64]| ms.iter().fold(0u64, |a, m| a | m);
        let any_vetoed = or(&b.vetoes);
        let any_unmet = or(&b.unmet) | or(&b.trends_unmet) | or(&b.trends_unchanged);
        let any_missing = or(&b.indicators_missing) | trends_missing | or(&b.vetoes_pending) | or(&b.vetoes_missing);
        let judged = judged_anything & ok;
        let vetoed = judged & any_vetoed;
        let unmet = judged & !any_vetoed & any_unmet;
        let incomplete = judged & !any_vetoed & !any_unmet & any_missing;
        let met = judged & !any_vetoed & !any_unmet & !any_missing;
        b.verdicts = [met, unmet, vetoed, incomplete, ok & !judged];

        // Outcomes: what each follows, as masks.
        for k in members(self.out_verdict) {
            if let Some(o) = b.outcomes.get_mut(k) {
                *o |= unmet | vetoed;
            }
        }
        for (v, m) in &self.out_veto {
            let (a, p) = (b.vetoes.get(*v).copied().unwrap_or(0), b.vetoes_pending.get(*v).copied().unwrap_or(0));
            for k in members(*m) {
                if let (Some(o), Some(op)) = (b.outcomes.get_mut(k), b.outcomes_pending.get_mut(k)) {
                    *o |= a;
                    *op |= p;
                }
            }
        }
        for (inds, m) in &self.out_ind {
            let u = members(*inds).fold(0u64, |a, i| a | b.unmet.get(i).copied().unwrap_or(0));
            for k in members(*m) {
                if let Some(o) = b.outcomes.get_mut(k) {
                    *o |= u;
                }
            }
        }
        for (js, m) in &self.out_judgement {
            let f = members(*js).fold(0u64, |a, j| a | b.found.get(j).copied().unwrap_or(0));
            for k in members(*m) {
                if let Some(o) = b.outcomes.get_mut(k) {
                    *o |= f;
                }
            }
        }
        for (col, m) in &self.out_input {
            let pos = fmask(column(*col), |v| v.cmp_gt(f64x4::splat(0.0)));
            for k in members(*m) {
                if let Some(o) = b.outcomes.get_mut(k) {
                    *o |= pos;
                }
            }
        }
        // Brackets.
        for (k, br) in self.brackets.iter().enumerate() {
            let cv = column(br.col);
            let n = b.nan.get(br.col).copied().unwrap_or(all);
            if let Some(mc) = b.missing_columns.get_mut(br.col) {
                *mc |= n;
            }
            if let Some(bm) = b.brackets.get_mut(k) {
                let (lo, hi) = (f64x4::splat(br.from), f64x4::splat(br.to));
                *bm = !n & fmask(cv, |v| v.cmp_ge(lo) & v.cmp_le(hi));
            }
        }
        // Scores after vetoes.
        b.has_score = 0;
        if let Some(s) = c.scores.and_then(|s| s.get(from..to)) {
            b.has_score = fmask(s, |v| v.cmp_eq(v)) & all;
            if let Some(slots) = b.scores.get_mut(..s.len()) {
                slots.copy_from_slice(s);
            }
            // A score-zeroing veto is rare: its records only.
            let mut zero = score_zero & all;
            while zero != 0 {
                if let Some(slot) = b.scores.get_mut(zero.trailing_zeros() as usize) {
                    *slot = 0.0;
                }
                zero &= zero - 1;
            }
        }
        b.has_points &= ok;
        b.has_score &= ok;
        // Only judged records in the answers; the flagged ones by the row path.
        if ok != all {
            for m in b.answer_masks() {
                for x in m.iter_mut() {
                    *x &= ok;
                }
            }
        }
        let mut flagged = bad;
        while flagged != 0 {
            let i = flagged.trailing_zeros() as usize;
            flagged &= flagged - 1;
            let row = c.record(from + i);
            match self.eval(&row.as_record()) {
                Err(e) => {
                    if let Some(slot) = b.errors.get_mut(i) {
                        *slot = e;
                    }
                }
                // The pass and the row path test the same; were they ever to differ, the row path answers.
                Ok(q) => b.put(i, &q),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn pack_puts_flag_i_on_bit_i() {
        let mut flags = [0u8; BLOCK];
        assert_eq!(pack(&flags), 0);
        for i in [0, 1, 7, 8, 9, 31, 56, 63] {
            flags[i] = 1;
        }
        assert_eq!(
            pack(&flags),
            (1 << 0) | (1 << 1) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 31) | (1 << 56) | (1 << 63)
        );
        assert_eq!(pack(&[1; BLOCK]), u64::MAX);
        let col: Vec<f64> = (0..10).map(f64::from).collect();
        assert_eq!(mask_of(&col, |v| v >= 8.0), 0b11_0000_0000);
        let ge8 = |v: f64x4| v.cmp_ge(f64x4::splat(8.0));
        assert_eq!(fmask(&col, ge8), 0b11_0000_0000);
        let col: Vec<f64> = (0..64).map(f64::from).collect();
        assert_eq!(fmask(&col, ge8), u64::MAX << 8);
        assert_eq!(fmask(&col[..9], |v| v.cmp_ne(v)), 0, "no bit past a short column");
    }

    /// The branch-free trend flags of both plan paths against `assess`'s
    /// reading of a series (the supplied values at the end) and its judge,
    /// on a grid of values near the edges of "unchanged" and of a rate.
    #[test]
    fn trend_flags_agree_with_assess() {
        use crate::assess::{trend_judge, trend_pair, Direction, Status, TrendMeasure};
        let xs = [f64::NAN, 0.0, 1e-10, 5e-10, 0.5, 1.0, 1.0 + 1e-10, 2.0, 3.0, 4.0, 6.0, 10.0, 100.0];
        for measure in [TrendMeasure::Level, TrendMeasure::GrowthRate] {
            for direction in [Direction::Rise, Direction::Fall] {
                for by_percent in [None, Some(0.0), Some(50.0), Some(100.0)] {
                    let tr = super::super::Trend {
                        measure,
                        direction,
                        by_percent,
                    };
                    for a in xs {
                        for b in xs {
                            for c in xs {
                                let s3 = [a, b, c];
                                let supplied = s3.iter().rev().take_while(|x| !x.is_nan()).count();
                                let s = &s3[3 - supplied..];
                                let want = trend_pair(measure, s).map(|(e, l)| trend_judge(direction, by_percent, e, l));
                                assert_eq!(tr.status(s3), want, "{measure:?} {direction:?} {by_percent:?} {s3:?}");
                                let (judged, met, same) = tr.flags(s3);
                                // The same four times in a vector, each lane as the scalar.
                                let v = |x: f64| f64x4::splat(x);
                                let (vj, vm, vs) = tr.flags([v(a), v(b), v(c)]);
                                let lane = |m: f64x4| m.move_mask() & 0xF;
                                let all = |f: bool| if f { 0xF } else { 0 };
                                assert_eq!((lane(vj), lane(vm), lane(vs)), (all(judged), all(met), all(same)), "{s3:?}");
                                assert!(!(met && same), "met and unchanged at once: {s3:?}");
                                assert_eq!(judged, want.is_some());
                                assert_eq!(met, want == Some(Status::Met));
                                assert_eq!(same, want == Some(Status::Unchanged));
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn verdict_masks_are_in_the_order_of_declaration() {
        for (k, v) in VERDICTS.iter().enumerate() {
            assert_eq!(*v as usize, k);
        }
    }

    #[test]
    fn members_lists_the_set_bits() {
        assert_eq!(members(0).count(), 0);
        assert_eq!(members(0b1011).collect::<Vec<_>>(), [0, 1, 3]);
        assert_eq!(members(1u128 << 127).collect::<Vec<_>>(), [127]);
    }

    #[test]
    fn judgement_masks_read_each_answer() {
        assert_eq!(judgement_masks(&[Some(true), None, Some(false), Some(true)]), (0b1101, 0b1001));
        assert_eq!(judgement_masks(&[]), (0, 0));
        for len in [1, 15, 16, 17, 63, 64] {
            let col: Vec<Option<bool>> = (0..len).map(|i| [None, Some(true), Some(false)][(i * 7 + len) % 3]).collect();
            let (given, found) = judgement_masks(&col);
            for (i, x) in col.iter().enumerate() {
                assert_eq!((given >> i) & 1 == 1, x.is_some(), "{len} {i}");
                assert_eq!((found >> i) & 1 == 1, *x == Some(true), "{len} {i}");
            }
            assert_eq!((given | found) & !all_of(len), 0, "nothing past the column");
        }
    }

    #[test]
    fn gather_and_scatter_are_inverse() {
        let mut masks = vec![0u64; 5];
        scatter(&mut masks, 63, Bits(0b10110));
        assert_eq!(masks, [0, 1 << 63, 1 << 63, 0, 1 << 63]);
        assert_eq!(gather(&masks, 63), Bits(0b10110));
        assert_eq!(gather(&masks, 62), Bits(0));
        scatter(&mut masks, 63, Bits(0));
        assert_eq!(masks, [0; 5]);
    }
}

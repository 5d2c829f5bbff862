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

use crate::assess::{judged_all, number_ok, trend_judge, trend_pair, AssessRequest, Direction, Op, Status, Threshold, TrendMeasure, Unit, Verdict, When};
use crate::error::{ErrorCode, FieldError, InputErrors};
use crate::ops::{status_of, MeasureStatus};
use crate::rulebook::Rulebook;

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
    #[inline]
    fn add(&mut self, mask: u128) {
        self.0 |= mask;
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

#[derive(Clone, Debug)]
struct Ind {
    col: usize,
    /// 1 << its number (its column too): set without a variable shift.
    mask: u128,
    cmp: Option<(Op, Thr)>,
    /// (from, below or +inf, points)
    bands: Vec<(f64, f64, f64)>,
}

#[derive(Clone, Copy, Debug)]
struct Trend {
    measure: TrendMeasure,
    direction: Direction,
    by_percent: Option<f64>,
}

#[derive(Clone, Debug)]
struct Veto {
    judgements: Vec<usize>,
    any_of: Vec<(usize, Op, f64)>,
    inds: Vec<usize>,
    score_zero: bool,
}

#[derive(Clone, Copy, Debug)]
enum Cond {
    VerdictUnmet,
    Veto(usize),
    IndicatorUnmet(usize),
    Judgement(usize),
    InputPositive(usize),
    Never,
}

#[derive(Clone, Copy, Debug)]
struct Outcome {
    when: Cond,
    status: MeasureStatus,
}

#[derive(Clone, Copy, Debug)]
struct Bracket {
    col: usize,
    from: f64,
    to: f64,
}

/// A rulebook's assessment section, compiled for batches.
#[derive(Clone, Debug)]
pub struct AssessPlan<'r> {
    rb: &'r Rulebook,
    columns: Vec<&'r str>,
    units: Vec<Unit>,
    /// Per column: the largest value allowed (100 for a percentage) and
    /// whether it must be whole; the check of the hot loop, without a match.
    limits: Vec<(f64, bool)>,
    trend_keys: Vec<&'r str>,
    judgement_keys: Vec<&'r str>,
    inds: Vec<Ind>,
    trends: Vec<Trend>,
    vetoes: Vec<Veto>,
    outcomes: Vec<Outcome>,
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
        let mut inds = Vec::with_capacity(a.indicators.len());
        for (n, i) in a.indicators.iter().enumerate() {
            let cmp = match &i.comparison {
                None => None,
                Some(c) => {
                    let thr = match &c.threshold {
                        Threshold::Value(x) => Thr::Value(*x),
                        Threshold::Input(k) => col(k).map_or(Thr::Value(f64::NAN), Thr::Column),
                        Threshold::Per { per, of } => col(of).map_or(Thr::Value(f64::NAN), |c| Thr::Per(f64::from(*per), c)),
                    };
                    Some((c.op, thr))
                }
            };
            inds.push(Ind {
                col: n,
                mask: 1u128.checked_shl(u32::try_from(n).unwrap_or(u32::MAX)).unwrap_or(0),
                cmp,
                bands: i.bands.iter().map(|b| (b.from, b.below.unwrap_or(f64::INFINITY), b.points)).collect(),
            });
        }
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
                judgements: v.judgements.iter().map(|j| judge_no(j).unwrap_or(usize::MAX)).collect(),
                any_of: v.any_of.iter().map(|c| (col(&c.input).unwrap_or(usize::MAX), c.op, c.value)).collect(),
                inds: v.indicators_unmet.iter().map(|k| ind_no(k).unwrap_or(usize::MAX)).collect(),
                score_zero: v.score_zero,
            })
            .collect();
        let outcomes = a
            .outcomes
            .iter()
            .map(|o| Outcome {
                when: match &o.when {
                    When::VerdictUnmet => Cond::VerdictUnmet,
                    When::Veto(k) => a.vetoes.iter().position(|v| &v.key == k).map_or(Cond::Never, Cond::Veto),
                    When::IndicatorUnmet(k) => ind_no(k).map_or(Cond::Never, Cond::IndicatorUnmet),
                    When::Judgement(k) => judge_no(k).map_or(Cond::Never, Cond::Judgement),
                    When::InputPositive(k) => col(k).map_or(Cond::Never, Cond::InputPositive),
                },
                status: status_of(o.modality),
            })
            .collect();
        let brackets = a
            .brackets
            .iter()
            .map(|b| Bracket {
                col: col(&b.input).unwrap_or(usize::MAX),
                from: b.from,
                to: b.to.unwrap_or(f64::INFINITY),
            })
            .collect();
        let limits = units
            .iter()
            .map(|u| match u {
                Unit::Percent => (100.0, false),
                Unit::Count => (f64::MAX, true),
                _ => (f64::MAX, false),
            })
            .collect();
        Ok(AssessPlan {
            rb,
            columns,
            units,
            limits,
            trend_keys: a.trends.iter().map(|t| t.key.as_str()).collect(),
            judgement_keys,
            inds,
            trends,
            vetoes,
            outcomes,
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
        self.inds.len()
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
            self.outcomes.get(i).map(|o| o.status)
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
        let mut q = Quick::default();
        self.eval_into(r, &mut q)?;
        Ok(q)
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
        for (column, (v, (max, whole))) in r.values.iter().zip(&self.limits).enumerate() {
            let v = *v;
            // NaN fails both comparisons and is "not supplied"; ±inf and
            // negatives fail them and are errors. Every f64 from 2^53 up is whole.
            let in_range = v >= 0.0 && v <= *max && (!*whole || v >= 9_007_199_254_740_992.0 || (v as u64) as f64 == v);
            if !in_range && !v.is_nan() {
                return Err(RowError::Value { column });
            }
        }
        for (slot, v) in r.series.iter().enumerate() {
            if v.is_infinite() || *v < 0.0 {
                return Err(RowError::SeriesValue { slot });
            }
        }
        if r.score.is_some_and(|s| !(s.is_finite() && s >= 0.0)) {
            return Err(RowError::Score);
        }
        let value = |c: usize| r.values.get(c).copied().unwrap_or(f64::NAN);
        let q = out;
        *q = Quick::default();
        let mut judged_anything = !self.trends.is_empty();
        let mut points: Option<f64> = None;
        for ind in &self.inds {
            let v = value(ind.col);
            if v.is_nan() {
                q.missing_columns.add(ind.mask);
            } else if !ind.bands.is_empty() {
                let p = ind.bands.iter().find(|(from, below, _)| v >= *from && v < *below).map_or(0.0, |b| b.2);
                points = Some(points.unwrap_or(0.0) + p);
            }
            let Some((op, thr)) = ind.cmp else { continue };
            judged_anything = true;
            let th = match thr {
                Thr::Value(x) => x,
                Thr::Column(c) => value(c),
                Thr::Per(per, c) => (value(c) / per).ceil(),
            };
            if v.is_nan() || th.is_nan() {
                q.indicators_missing.add(ind.mask);
            } else if op.holds(v, th) {
                q.met.add(ind.mask);
            } else {
                q.unmet.add(ind.mask);
            }
        }
        for (t, tr) in self.trends.iter().enumerate() {
            let s = r.series.get(t * 3..t * 3 + 3).unwrap_or(&[]);
            let supplied = s.iter().rev().take_while(|x| !x.is_nan()).count();
            let s = s.get(s.len() - supplied..).unwrap_or(&[]);
            match trend_pair(tr.measure, s).map(|(e, l)| trend_judge(tr.direction, tr.by_percent, e, l)) {
                Some(Status::Met) => q.trends_met.set(t),
                Some(Status::Unchanged) => q.trends_unchanged.set(t),
                Some(_) => q.trends_unmet.set(t),
                None => {}
            }
        }
        let mut score_zero = false;
        for (k, v) in self.vetoes.iter().enumerate() {
            let judged = judged_all(v.judgements.iter().map(|j| r.judgements.get(*j).copied().flatten()));
            let any = if v.any_of.is_empty() || v.any_of.iter().any(|(c, op, x)| !value(*c).is_nan() && op.holds(value(*c), *x)) {
                Some(true)
            } else if v.any_of.iter().any(|(c, _, _)| value(*c).is_nan()) {
                None
            } else {
                Some(false)
            };
            let ind = if v.inds.is_empty() || v.inds.iter().any(|i| q.unmet.has(*i)) {
                Some(true)
            } else if v.inds.iter().any(|i| !q.met.has(*i)) {
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
                    q.vetoes.set(k);
                    score_zero |= v.score_zero;
                    judged_anything = true;
                }
                (Some(true), None) => {
                    q.vetoes_pending.set(k);
                    judged_anything = true;
                }
                (None, _) => {
                    q.vetoes_missing.set(k);
                    judged_anything = true;
                    for (c, _, _) in &v.any_of {
                        if value(*c).is_nan() {
                            q.missing_columns.set(*c);
                        }
                    }
                }
            }
        }
        q.score = r.score.map(|s| if score_zero { 0.0 } else { s });
        q.points = points;
        let any_unmet = !q.unmet.is_empty() || !q.trends_unmet.is_empty() || !q.trends_unchanged.is_empty();
        let trends_missing = self.trends.len() as u32 != q.trends_met.count() + q.trends_unmet.count() + q.trends_unchanged.count();
        let any_missing = !q.indicators_missing.is_empty() || trends_missing || !q.vetoes_pending.is_empty() || !q.vetoes_missing.is_empty();
        q.verdict = if !judged_anything {
            Verdict::NotProvided
        } else if !q.vetoes.is_empty() {
            Verdict::Vetoed
        } else if any_unmet {
            Verdict::Unmet
        } else if any_missing {
            Verdict::Incomplete
        } else {
            Verdict::Met
        };
        for (k, o) in self.outcomes.iter().enumerate() {
            let follows = match o.when {
                Cond::VerdictUnmet => matches!(q.verdict, Verdict::Unmet | Verdict::Vetoed),
                Cond::Veto(v) => {
                    if q.vetoes_pending.has(v) {
                        q.outcomes_pending.set(k);
                    }
                    q.vetoes.has(v)
                }
                Cond::IndicatorUnmet(i) => q.unmet.has(i),
                Cond::Judgement(j) => r.judgements.get(j).copied().flatten() == Some(true),
                Cond::InputPositive(c) => value(c) > 0.0,
                Cond::Never => false,
            };
            if follows {
                q.outcomes.set(k);
            }
        }
        for (k, b) in self.brackets.iter().enumerate() {
            let v = value(b.col);
            if v.is_nan() {
                q.missing_columns.set(b.col);
            } else if v >= b.from && v <= b.to {
                q.brackets.set(k);
            }
        }
        Ok(())
    }
}

fn unknown(path: &str, key: &str) -> FieldError {
    FieldError::at(ErrorCode::UnknownField, path, format!("未知字段 {key}"), format!("unknown field {key}"))
}

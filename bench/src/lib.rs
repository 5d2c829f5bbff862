//! Shared pieces of the jindu benchmarks: the generated records, the same
//! decision written four ways (jindu's compiled plan, hand-written Rust, a
//! zen-engine JDM graph of decision tables, a json-logic rule evaluated by
//! datalogic-rs), and the same ranking written three ways (jindu's `rank`,
//! hand-written sort and cut, a zen-engine expression node).
//!
//! The decision is the assessment of the built-in rulebook
//! `hengyang-county-2018-work-plan` (衡阳县禁毒重点整治工作方案): ten
//! indicators (two counts that must be zero, five percentages at least 100,
//! 85, 90, 90 and 100, two more at 100, class hours at least 4), one trend
//! (yearly arrests of outflow traffickers down 50%, the last two of three
//! yearly values) and four judgements, each of which brings an outcome
//! (accountability under 四、（五）). Verdict: `unmet` if an indicator is
//! unmet or the trend is not met (unchanged counts as not met), else
//! `incomplete` if a value or the trend is missing, else `met`.
//!
//! Nothing here times anything: the benches in `benches/` do. The tests at
//! the bottom hold the four decision paths, and the three ranking paths, to
//! the same answer on every generated record.

use jindu::assess::{CohortMember, LastYear, RankRequest, Verdict};
use jindu::plan::{AssessPlan, Block, Quick, Record};
use serde_json::{json, Map, Value};

/// The rulebook of the decision.
pub const RULEBOOK: &str = "hengyang-county-2018-work-plan";
/// The rulebook of the ranking.
pub const RANK_RULEBOOK: &str = "sinan-county-20xx-assessment";
/// The ranking.
pub const RANKING: &str = "county_target";

/// Value columns of a record, in the plan's column order (the rulebook's
/// indicator order; the rulebook has no other inputs).
pub const COLUMNS: [&str; 10] = [
    "cultivation_cases",
    "production_cases",
    "medium_risk_control_rate",
    "rehab_execution_rate",
    "compulsory_rehab_rate",
    "sick_disabled_admission_rate",
    "non_executed_control_rate",
    "publicity_coverage",
    "mobilisation_rate",
    "class_hours",
];
/// Thresholds of the columns (`eq` for the first two, `gte` for the rest).
pub const THRESHOLDS: [f64; 10] = [0.0, 0.0, 100.0, 100.0, 85.0, 90.0, 90.0, 100.0, 100.0, 4.0];
/// The judgements, in the plan's order; outcome `k` follows judgement `k`.
pub const JUDGEMENTS: [&str; 4] = ["failed_annual_assessment", "listed_by_city", "listed_by_county", "missed_rectification_goal"];
/// The outcomes, in the rulebook's order.
pub const OUTCOMES: [&str; 4] = [
    "accountability_failed_annual_assessment",
    "accountability_listed_by_city",
    "accountability_listed_by_county",
    "accountability_missed_rectification_goal",
];
/// The trend's three yearly values (year before last, last year, this year).
pub const SERIES: [&str; 3] = ["arrests_y1", "arrests_y2", "arrests_y3"];
/// Numbers per record row: ten values, then the three series slots.
pub const STRIDE: usize = 13;

/// The verdict and outcome bits every path is reduced to for the agreement check.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct Decision {
    /// 0 met, 1 unmet, 2 incomplete.
    pub verdict: u8,
    /// Bit `k`: outcome `k` follows.
    pub outcomes: u8,
}

/// A verdict as a code.
#[must_use]
pub fn verdict_code(v: Verdict) -> u8 {
    match v {
        Verdict::Met => 0,
        Verdict::Unmet => 1,
        Verdict::Incomplete => 2,
        Verdict::Vetoed => 3,
        Verdict::NotProvided => 4,
    }
}

/// A verdict word as a code.
#[must_use]
pub fn verdict_word_code(w: &str) -> u8 {
    match w {
        "met" => 0,
        "unmet" => 1,
        "incomplete" => 2,
        "vetoed" => 3,
        _ => 4,
    }
}

// ------------------------------------------------------------ records

/// SplitMix64: a small deterministic generator (no dependency, same stream everywhere).
#[derive(Clone, Debug)]
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in 0..n.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    /// One of the items.
    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
}

/// Generated records: numbers row-major in one `Vec<f64>` (`STRIDE` a row,
/// `NaN` for a value not supplied) and the judgements in one
/// `Vec<Option<bool>>` (four a row, `None` not supplied).
#[derive(Clone, Debug)]
pub struct Records {
    /// `STRIDE` numbers a record.
    pub rows: Vec<f64>,
    /// Four judgements a record.
    pub judgements: Vec<Option<bool>>,
}

impl Records {
    /// How many records.
    #[must_use]
    pub fn len(&self) -> usize {
        self.rows.len() / STRIDE
    }
    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
    /// Record `i`: its numbers and its judgements.
    #[must_use]
    pub fn get(&self, i: usize) -> (&[f64], &[Option<bool>]) {
        (&self.rows[i * STRIDE..(i + 1) * STRIDE], &self.judgements[i * 4..(i + 1) * 4])
    }
}

/// `n` records from `seed`: every value near its threshold (just below,
/// on, just above), about 2% of values missing, the trend's last two years
/// missing in about 3% each, judgements true 10%, false 60%, missing 30%.
/// About a fifth of the records are met, most of the rest unmet, a few
/// incomplete (the shares are printed by the bench).
#[must_use]
pub fn generate(n: usize, seed: u64) -> Records {
    let mut r = Rng(seed);
    let mut rows = Vec::with_capacity(n * STRIDE);
    let mut judgements = Vec::with_capacity(n * 4);
    for _ in 0..n {
        for (c, t) in THRESHOLDS.iter().enumerate() {
            if r.unit() < 0.02 {
                rows.push(f64::NAN);
                continue;
            }
            let pass = r.unit() < 0.93;
            let v = match c {
                0 | 1 => {
                    if pass {
                        0.0
                    } else {
                        (1 + r.below(3)) as f64
                    }
                }
                9 => {
                    if pass {
                        r.pick(&[4.0, 4.0, 4.5, 6.0])
                    } else {
                        r.pick(&[3.0, 3.5, 3.9])
                    }
                }
                _ => {
                    if pass {
                        if *t >= 100.0 {
                            100.0
                        } else {
                            r.pick(&[*t, *t + 0.1, *t + 5.0, 100.0])
                        }
                    } else {
                        r.pick(&[*t - 0.1, *t - 0.5, *t - 5.0])
                    }
                }
            };
            rows.push(v);
        }
        let y1 = r.below(40) as f64;
        let y2 = r.below(40) as f64;
        let f = r.pick(&[0.0, 0.3, 0.5, 0.5, 0.51, 0.6, 1.0, 1.2]);
        let y3 = (y2 * f).floor();
        rows.push(y1);
        rows.push(if r.unit() < 0.03 { f64::NAN } else { y2 });
        rows.push(if r.unit() < 0.03 { f64::NAN } else { y3 });
        for _ in 0..4 {
            let u = r.unit();
            judgements.push(if u < 0.1 {
                Some(true)
            } else if u < 0.7 {
                Some(false)
            } else {
                None
            });
        }
    }
    Records { rows, judgements }
}

// ------------------------------------------------------------ a. the plan

/// A record as the plan reads it.
#[inline]
#[must_use]
pub fn plan_record<'a>(row: &'a [f64], judgements: &'a [Option<bool>]) -> Record<'a> {
    Record {
        values: &row[..10],
        series: &row[10..13],
        judgements,
        score: None,
    }
}

/// The plan's answer reduced to a [`Decision`].
#[must_use]
pub fn plan_decision(q: &Quick) -> Decision {
    Decision {
        verdict: verdict_code(q.verdict),
        outcomes: (q.outcomes.0 & 0xF) as u8,
    }
}

/// Record `i` of a block of the plan by block reduced to a [`Decision`]
/// (`None` for a record with an error): the verdict from the block's verdict
/// masks, the outcome bits from its outcome masks.
#[inline]
#[must_use]
pub fn block_decision(b: &Block, i: usize) -> Option<Decision> {
    let bit = |m: u64| u8::from((m >> i) & 1 == 1);
    if bit(b.judged()) == 0 {
        return None;
    }
    let verdict = bit(b.with_verdict(Verdict::Unmet)) | bit(b.with_verdict(Verdict::Incomplete)) << 1 | bit(b.with_verdict(Verdict::Vetoed)) * 3;
    let verdict = if bit(b.with_verdict(Verdict::NotProvided)) == 1 { 4 } else { verdict };
    let outcomes = bit(b.outcome(0)) | bit(b.outcome(1)) << 1 | bit(b.outcome(2)) << 2 | bit(b.outcome(3)) << 3;
    Some(Decision { verdict, outcomes })
}

/// Checks that the plan's columns, trend and judgements are in the order this file assumes.
///
/// # Panics
/// When the rulebook changed under the benchmark.
pub fn check_layout(plan: &AssessPlan<'_>) {
    assert_eq!(plan.columns(), &COLUMNS[..], "plan columns");
    assert_eq!(plan.trends(), &["outflow_trafficker_arrests"][..], "plan trends");
    assert_eq!(plan.judgements(), &JUDGEMENTS[..], "plan judgements");
    for (k, o) in OUTCOMES.iter().enumerate() {
        assert_eq!(plan.outcome(k).map(|x| x.0), Some(*o), "plan outcome {k}");
    }
}

// ------------------------------------------------------------ b. hand-written

/// The same decision hand-written: straight-line code over one row, with the
/// same checks of the values the plan makes (finite, not negative, a
/// percentage at most 100, a count whole). `None` for a bad row.
#[inline]
#[must_use]
pub fn hand(row: &[f64], judgements: &[Option<bool>]) -> Option<Decision> {
    let r: &[f64; STRIDE] = row.try_into().ok()?;
    let j: &[Option<bool>; 4] = judgements.try_into().ok()?;
    // the checks
    let mut ok = true;
    for v in &r[0..2] {
        ok &= v.is_nan() || (v.is_finite() && *v >= 0.0 && v.fract() == 0.0);
    }
    for v in &r[2..9] {
        ok &= v.is_nan() || (v.is_finite() && *v >= 0.0 && *v <= 100.0);
    }
    ok &= r[9].is_nan() || (r[9].is_finite() && r[9] >= 0.0);
    for v in &r[10..13] {
        ok &= !(v.is_infinite() || *v < 0.0);
    }
    if !ok {
        return None;
    }
    // the indicators
    let mut unmet = false;
    let mut missing = false;
    for v in &r[0..2] {
        missing |= v.is_nan();
        unmet |= !v.is_nan() && v.abs() >= 1e-9;
    }
    for (v, t) in r[2..10].iter().zip(&THRESHOLDS[2..10]) {
        missing |= v.is_nan();
        unmet |= !v.is_nan() && !(*v >= *t); // NaN < t is false: explicit
    }
    // the trend: the last two years, down 50%; unchanged is not met
    let (earlier, later) = (r[11], r[12]);
    if earlier.is_nan() || later.is_nan() {
        missing = true;
    } else {
        let met = (later - earlier).abs() >= 1e-9 && later < earlier && earlier != 0.0 && (earlier - later) / earlier * 100.0 + 1e-9 >= 50.0;
        unmet |= !met;
    }
    let verdict = if unmet {
        1
    } else if missing {
        2
    } else {
        0
    };
    let outcomes = u8::from(j[0] == Some(true)) | u8::from(j[1] == Some(true)) << 1 | u8::from(j[2] == Some(true)) << 2 | u8::from(j[3] == Some(true)) << 3;
    Some(Decision { verdict, outcomes })
}

/// The same decision hand-written, but answering with the plan's full
/// [`Quick`] (every bit set the plan sets): how much of the plan's time is
/// its answer (a 13 × u128 struct returned by value) rather than its
/// interpretation of the rulebook. `None` for a bad row.
#[inline]
#[must_use]
pub fn hand_quick(row: &[f64], judgements: &[Option<bool>]) -> Option<Quick> {
    use jindu::plan::Bits;
    let r: &[f64; STRIDE] = row.try_into().ok()?;
    let j: &[Option<bool>; 4] = judgements.try_into().ok()?;
    let mut ok = true;
    for v in &r[0..2] {
        ok &= v.is_nan() || (v.is_finite() && *v >= 0.0 && v.fract() == 0.0);
    }
    for v in &r[2..9] {
        ok &= v.is_nan() || (v.is_finite() && *v >= 0.0 && *v <= 100.0);
    }
    ok &= r[9].is_nan() || (r[9].is_finite() && r[9] >= 0.0);
    for v in &r[10..13] {
        ok &= !(v.is_infinite() || *v < 0.0);
    }
    if !ok {
        return None;
    }
    let (mut met, mut unmet, mut missing) = (0u128, 0u128, 0u128);
    for (i, (v, t)) in r[0..10].iter().zip(&THRESHOLDS).enumerate() {
        let pass = if i < 2 { (v - t).abs() < 1e-9 } else { *v >= *t };
        let nan = v.is_nan();
        missing |= u128::from(nan) << i;
        met |= u128::from(!nan && pass) << i;
        unmet |= u128::from(!nan && !pass) << i;
    }
    let (earlier, later) = (r[11], r[12]);
    let (mut tm, mut tu, mut tc) = (0u128, 0u128, 0u128);
    if !(earlier.is_nan() || later.is_nan()) {
        if (later - earlier).abs() < 1e-9 {
            tc = 1;
        } else if later < earlier && earlier != 0.0 && (earlier - later) / earlier * 100.0 + 1e-9 >= 50.0 {
            tm = 1;
        } else {
            tu = 1;
        }
    }
    let verdict = if unmet != 0 || tu != 0 || tc != 0 {
        Verdict::Unmet
    } else if missing != 0 || tm == 0 {
        Verdict::Incomplete
    } else {
        Verdict::Met
    };
    let outcomes =
        u128::from(j[0] == Some(true)) | u128::from(j[1] == Some(true)) << 1 | u128::from(j[2] == Some(true)) << 2 | u128::from(j[3] == Some(true)) << 3;
    Some(Quick {
        verdict,
        met: Bits(met),
        unmet: Bits(unmet),
        indicators_missing: Bits(missing),
        trends_met: Bits(tm),
        trends_unmet: Bits(tu),
        trends_unchanged: Bits(tc),
        outcomes: Bits(outcomes),
        missing_columns: Bits(missing),
        ..Quick::default()
    })
}

/// The verdicts and outcomes of up to 64 records, hand-written by column:
/// bit `i` of each mask is record `i` of the block.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct HandBlock {
    /// Records with a bad value.
    pub bad: u64,
    /// Verdict unmet.
    pub unmet: u64,
    /// Verdict incomplete.
    pub incomplete: u64,
    /// Verdict met.
    pub met: u64,
    /// Outcome `k` follows.
    pub outcomes: [u64; 4],
}

impl HandBlock {
    /// Record `i` as a [`Decision`] (`None` for a bad record).
    #[must_use]
    pub fn decision(&self, i: usize) -> Option<Decision> {
        let bit = |m: u64| u8::from((m >> i) & 1 == 1);
        if bit(self.bad) == 1 {
            return None;
        }
        let verdict = if bit(self.unmet) == 1 { 1 } else { 2 * bit(self.incomplete) };
        let o = &self.outcomes;
        Some(Decision { verdict, outcomes: bit(o[0]) | bit(o[1]) << 1 | bit(o[2]) << 2 | bit(o[3]) << 3 })
    }
}

/// The same decision hand-written by column, as someone would write it for
/// a frame of columns: a loop over the block's records per column, each
/// test setting the record's bit in a mask, then the verdict and outcomes as
/// bit operations on the masks. `values` are the ten value columns,
/// `series` the three years, `judgements` the four judgement columns;
/// records `from .. from + len` (`len` at most 64).
#[must_use]
pub fn hand_block(values: &[&[f64]], series: &[&[f64]], judgements: &[&[Option<bool>]], from: usize, len: usize) -> HandBlock {
    let len = len.min(64);
    let (mut bad, mut unmet, mut missing) = (0u64, 0u64, 0u64);
    for (c, col) in values.iter().enumerate().take(10) {
        let t = THRESHOLDS[c];
        for (i, v) in col[from..from + len].iter().enumerate() {
            let v = *v;
            let nan = v.is_nan();
            let ok = match c {
                0 | 1 => v.is_finite() && v >= 0.0 && v.fract() == 0.0,
                9 => v.is_finite() && v >= 0.0,
                _ => v.is_finite() && v >= 0.0 && v <= 100.0,
            };
            let pass = if c < 2 { (v - t).abs() < 1e-9 } else { v >= t };
            bad |= u64::from(!nan && !ok) << i;
            missing |= u64::from(nan) << i;
            unmet |= u64::from(!nan && !pass) << i;
        }
    }
    for col in series.iter().take(3) {
        for (i, v) in col[from..from + len].iter().enumerate() {
            bad |= u64::from(v.is_infinite() || *v < 0.0) << i;
        }
    }
    // the trend: the last two years, down 50%; unchanged is not met
    for (i, (earlier, later)) in series[1][from..from + len].iter().zip(&series[2][from..from + len]).enumerate() {
        let (earlier, later) = (*earlier, *later);
        if earlier.is_nan() || later.is_nan() {
            missing |= 1 << i;
        } else {
            let met = (later - earlier).abs() >= 1e-9 && later < earlier && earlier != 0.0 && (earlier - later) / earlier * 100.0 + 1e-9 >= 50.0;
            unmet |= u64::from(!met) << i;
        }
    }
    let mut outcomes = [0u64; 4];
    for (o, col) in outcomes.iter_mut().zip(judgements) {
        for (i, j) in col[from..from + len].iter().enumerate() {
            *o |= u64::from(*j == Some(true)) << i;
        }
    }
    let all = if len == 64 { u64::MAX } else { (1u64 << len) - 1 };
    let good = all & !bad;
    HandBlock {
        bad,
        unmet: unmet & good,
        incomplete: missing & !unmet & good,
        met: !missing & !unmet & good,
        outcomes: outcomes.map(|o| o & good),
    }
}

// ------------------------------------------------------------ c, d: one record as JSON

/// A record as a JSON object for the peers: a key per supplied value
/// (absent when not supplied, never null or zero), the three years of the
/// trend as `arrests_y1..3`, the judgements as booleans.
#[must_use]
pub fn record_json(row: &[f64], judgements: &[Option<bool>]) -> Value {
    let mut m = Map::new();
    for (k, v) in COLUMNS.iter().chain(SERIES.iter()).zip(row) {
        if !v.is_nan() {
            m.insert((*k).to_owned(), json!(*v));
        }
    }
    for (k, j) in JUDGEMENTS.iter().zip(judgements) {
        if let Some(b) = j {
            m.insert((*k).to_owned(), json!(*b));
        }
    }
    Value::Object(m)
}

// ------------------------------------------------------------ c. zen-engine

/// The decision as a GoRules JDM graph: the input feeds two decision
/// tables, `verdict` (hit policy first: ten rows for an unmet indicator, one
/// for a trend not met, ten for a missing value, one for a missing trend,
/// then `met`) and `outcomes` (hit policy collect: a row per judgement),
/// which feed the output. The trend's status is the expression of the
/// `verdict` table's trend column.
#[must_use]
pub fn zen_graph() -> Value {
    let mut inputs: Vec<Value> = COLUMNS
        .iter()
        .enumerate()
        .map(|(i, k)| json!({"id": format!("i{i}"), "name": k, "field": k}))
        .collect();
    let trend = "arrests_y3 == null or arrests_y2 == null ? 'missing' : (abs(arrests_y3 - arrests_y2) < 0.000000001 ? 'unchanged' : (arrests_y3 >= arrests_y2 ? 'unmet' : ((arrests_y2 - arrests_y3) / arrests_y2 * 100 + 0.000000001 >= 50 ? 'met' : 'unmet')))";
    inputs.push(json!({"id": "trend", "name": "outflow_trafficker_arrests", "field": trend}));
    let mut rules = Vec::new();
    for (i, t) in THRESHOLDS.iter().enumerate() {
        let cell = if i < 2 {
            "$ != null and $ != 0".to_owned()
        } else {
            format!("$ != null and $ < {t}")
        };
        rules.push(json!({"_id": format!("unmet{i}"), format!("i{i}"): cell, "verdict": "'unmet'"}));
    }
    rules.push(json!({"_id": "trend_unmet", "trend": "$ == 'unmet' or $ == 'unchanged'", "verdict": "'unmet'"}));
    for i in 0..THRESHOLDS.len() {
        rules.push(json!({"_id": format!("missing{i}"), format!("i{i}"): "$ == null", "verdict": "'incomplete'"}));
    }
    rules.push(json!({"_id": "trend_missing", "trend": "$ == 'missing'", "verdict": "'incomplete'"}));
    rules.push(json!({"_id": "met", "verdict": "'met'"}));
    let verdict = json!({
        "id": "verdict", "name": "verdict", "type": "decisionTableNode",
        "content": {"hitPolicy": "first", "inputs": inputs, "outputs": [{"id": "verdict", "name": "verdict", "field": "verdict"}], "rules": rules}
    });
    let o_inputs: Vec<Value> = JUDGEMENTS
        .iter()
        .enumerate()
        .map(|(i, k)| json!({"id": format!("j{i}"), "name": k, "field": k}))
        .collect();
    let o_rules: Vec<Value> = OUTCOMES
        .iter()
        .enumerate()
        .map(|(i, o)| json!({"_id": o, format!("j{i}"): "true", "outcome": format!("'{o}'")}))
        .collect();
    let outcomes = json!({
        "id": "outcomes", "name": "outcomes", "type": "decisionTableNode",
        "content": {"hitPolicy": "collect", "inputs": o_inputs, "outputs": [{"id": "outcome", "name": "outcome", "field": "outcome"}],
                    "rules": o_rules, "outputPath": "outcomes"}
    });
    json!({
        "nodes": [
            {"id": "in", "name": "request", "type": "inputNode", "content": {}},
            verdict,
            outcomes,
            {"id": "out", "name": "response", "type": "outputNode", "content": {}}
        ],
        "edges": [
            {"id": "e1", "sourceId": "in", "targetId": "verdict"},
            {"id": "e2", "sourceId": "in", "targetId": "outcomes"},
            {"id": "e3", "sourceId": "verdict", "targetId": "out"},
            {"id": "e4", "sourceId": "outcomes", "targetId": "out"}
        ]
    })
}

/// zen-engine's result (`{"verdict": "...", "outcomes": [{"outcome": "..."}, ...]}`) as a [`Decision`].
#[must_use]
pub fn zen_decision(v: &Value) -> Decision {
    let verdict = verdict_word_code(v["verdict"].as_str().unwrap_or("?"));
    let mut outcomes = 0u8;
    if let Some(a) = v["outcomes"].as_array() {
        for o in a {
            if let Some(k) = OUTCOMES.iter().position(|x| Some(*x) == o["outcome"].as_str()) {
                outcomes |= 1 << k;
            }
        }
    }
    Decision { verdict, outcomes }
}

// ------------------------------------------------------------ d. json-logic

/// The decision as one json-logic rule: an array of five rules, the
/// verdict (an `if` chain: any unmet, any missing, else met) and the four
/// outcomes (judgement `=== true`).
#[must_use]
pub fn jsonlogic_rule() -> Value {
    let var = |k: &str| json!({"var": k});
    let present = |k: &str| json!({"!==": [{"var": k}, null]});
    let mut unmet = Vec::new();
    let mut missing = Vec::new();
    for (i, (k, t)) in COLUMNS.iter().zip(THRESHOLDS).enumerate() {
        let fails = if i < 2 { json!({"!==": [var(k), 0]}) } else { json!({"<": [var(k), t]}) };
        unmet.push(json!({"and": [present(k), fails]}));
        missing.push(json!({"===": [var(k), null]}));
    }
    let (e, l) = ("arrests_y2", "arrests_y3");
    let trend_met = json!({"and": [
        {"!": {"<=": [-1e-9, {"-": [var(l), var(e)]}, 1e-9]}},
        {"<": [var(l), var(e)]},
        {">=": [{"+": [{"*": [{"/": [{"-": [var(e), var(l)]}, var(e)]}, 100]}, 1e-9]}, 50]}
    ]});
    unmet.push(json!({"and": [present(e), present(l), {"!": trend_met}]}));
    missing.push(json!({"or": [{"===": [var(e), null]}, {"===": [var(l), null]}]}));
    let verdict = json!({"if": [{"or": unmet}, "unmet", {"or": missing}, "incomplete", "met"]});
    let mut all = vec![verdict];
    for k in JUDGEMENTS {
        all.push(json!({"===": [var(k), true]}));
    }
    Value::Array(all)
}

// ------------------------------------------------------------ e. ranking

/// A cohort of `n` members (scores 60–100 in steps of 0.5, so ties;
/// every 50th vetoed; every third with last year's place and score).
#[must_use]
pub fn cohort(n: usize, seed: u64) -> Vec<CohortMember> {
    let mut r = Rng(seed);
    (0..n)
        .map(|i| CohortMember {
            name: format!("乡镇{i:04}"),
            score: 60.0 + r.below(81) as f64 * 0.5,
            vetoed: i % 50 == 7,
            last_year: (i % 3 == 0).then(|| LastYear {
                from_bottom: 1 + r.below(5) as u32,
                score: 70.0 + r.below(21) as f64,
            }),
        })
        .collect()
}

/// The rank request of a cohort.
#[must_use]
pub fn rank_request(cohort: Vec<CohortMember>) -> RankRequest {
    RankRequest {
        ranking: RANKING.to_owned(),
        on: jindu::Date::parse("2019-12-31").expect("a date"),
        cohort,
    }
}

/// One member's ranked result, as every ranking path is reduced to.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Ranked {
    /// Rank from the top.
    pub rank: u32,
    /// Place from the bottom.
    pub from_bottom: u32,
    /// Bit 0: `bottom3_80`; bit 1: `bottom3_80_twice`.
    pub cutoffs: u8,
    /// The score after the cut-offs (zero after `bottom3_80_twice`).
    pub score: f64,
}

/// The ranking hand-written: scores sorted once, each member's places by
/// binary search (1 + strictly lower, 1 + strictly higher), then the two
/// cut-offs of 三（三）: bottom 3 and 80 or less; the same two years running.
pub fn hand_rank(cohort: &[CohortMember], sorted: &mut Vec<f64>, out: &mut Vec<Ranked>) {
    sorted.clear();
    sorted.extend(cohort.iter().map(|m| if m.vetoed { 0.0 } else { m.score }));
    sorted.sort_unstable_by(f64::total_cmp);
    out.clear();
    for m in cohort {
        let s = if m.vetoed { 0.0 } else { m.score };
        let lower = sorted.partition_point(|x| *x < s);
        let higher = sorted.len() - sorted.partition_point(|x| *x <= s);
        let from_bottom = lower as u32 + 1;
        let inside = |fb: u32, sc: f64| fb <= 3 && sc <= 80.0;
        let c1 = inside(from_bottom, s);
        let c2 = c1 && m.last_year.as_ref().is_some_and(|ly| inside(ly.from_bottom, ly.score));
        out.push(Ranked {
            rank: higher as u32 + 1,
            from_bottom,
            cutoffs: u8::from(c1) | u8::from(c2) << 1,
            score: if c2 { 0.0 } else { s },
        });
    }
}

/// jindu's rank answer reduced to [`Ranked`] rows.
#[must_use]
pub fn jindu_ranked(a: &jindu::assess::RankAnswer<'_>) -> Vec<Ranked> {
    a.members
        .iter()
        .map(|m| Ranked {
            rank: m.rank,
            from_bottom: m.from_bottom,
            cutoffs: u8::from(m.cutoffs.contains(&"bottom3_80")) | u8::from(m.cutoffs.contains(&"bottom3_80_twice")) << 1,
            score: m.score,
        })
        .collect()
}

/// The ranking as a zen-engine graph. Decision tables judge one row at a
/// time and cannot count over a cohort, so the ranking is an expression
/// node (zen's expression language, closures with aliases): effective
/// scores, places by counting, then the cut-offs.
#[must_use]
pub fn zen_rank_graph() -> Value {
    json!({
        "nodes": [
            {"id": "in", "name": "request", "type": "inputNode", "content": {}},
            {"id": "rank", "name": "rank", "type": "expressionNode", "content": {"expressions": [
                {"id": "x1", "key": "members", "value": "map(cohort as m, {s: m.vetoed ? 0 : m.score, ly: m.last_year})"},
                {"id": "x2", "key": "placed", "value": "map($.members as x, {s: x.s, ly: x.ly, fb: count($.members as o, o.s < x.s) + 1, rk: count($.members as o, o.s > x.s) + 1})"},
                {"id": "x3", "key": "ranked", "value": "map($.placed as p, {rank: p.rk, from_bottom: p.fb, c1: p.fb <= 3 and p.s <= 80, c2: p.fb <= 3 and p.s <= 80 and p.ly != null and p.ly.from_bottom <= 3 and p.ly.score <= 80, s: p.s})"}
            ]}},
            {"id": "out", "name": "response", "type": "outputNode", "content": {}}
        ],
        "edges": [
            {"id": "e1", "sourceId": "in", "targetId": "rank"},
            {"id": "e2", "sourceId": "rank", "targetId": "out"}
        ]
    })
}

/// A cohort as the zen input.
#[must_use]
pub fn cohort_json(cohort: &[CohortMember]) -> Value {
    let members: Vec<Value> = cohort
        .iter()
        .map(|m| {
            let mut o = json!({"name": m.name, "score": m.score, "vetoed": m.vetoed});
            if let Some(ly) = &m.last_year {
                o["last_year"] = json!({"from_bottom": ly.from_bottom, "score": ly.score});
            }
            o
        })
        .collect();
    json!({ "cohort": members })
}

/// zen's ranking result reduced to [`Ranked`] rows.
#[must_use]
pub fn zen_ranked(v: &Value) -> Vec<Ranked> {
    v["ranked"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|m| {
                    let c1 = m["c1"].as_bool() == Some(true);
                    let c2 = m["c2"].as_bool() == Some(true);
                    Ranked {
                        rank: m["rank"].as_f64().unwrap_or(-1.0) as u32,
                        from_bottom: m["from_bottom"].as_f64().unwrap_or(-1.0) as u32,
                        cutoffs: u8::from(c1) | u8::from(c2) << 1,
                        score: if c2 { 0.0 } else { m["s"].as_f64().unwrap_or(-1.0) },
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The ranking as one json-logic rule, in standard operators only: a
/// `map` over the cohort giving each member `[score, last year's place,
/// last year's score, lower, higher]`, where `lower` and `higher` are
/// `reduce`s over the cohort whose accumulator carries the member's own
/// score (`[score, count]`: json-logic has no other way to see the outer
/// member from inside the inner iteration), then a `map` giving
/// `[rank, from_bottom, bottom3_80, bottom3_80_twice, score]`.
#[must_use]
pub fn jsonlogic_rank_rule() -> Value {
    let eff_m = json!({"if": [{"var": "vetoed"}, 0, {"var": "score"}]});
    let eff_c = json!({"if": [{"var": "current.vetoed"}, 0, {"var": "current.score"}]});
    let count = |op: &str| {
        json!({"reduce": [
            {"val": [[2], "cohort"]},
            [{"var": "accumulator.0"}, {"+": [{"var": "accumulator.1"}, {"if": [{op: [eff_c, {"var": "accumulator.0"}]}, 1, 0]}]}],
            [eff_m, 0]
        ]})
    };
    let placed = json!({"map": [{"var": "cohort"}, [eff_m, {"var": "last_year.from_bottom"}, {"var": "last_year.score"}, count("<"), count(">")]]});
    let fb = json!({"+": [{"var": "3.1"}, 1]});
    let c1 = json!({"and": [{"<=": [fb, 3]}, {"<=": [{"var": "0"}, 80]}]});
    let c2 = json!({"and": [c1, {"!==": [{"var": "1"}, null]}, {"<=": [{"var": "1"}, 3]}, {"<=": [{"var": "2"}, 80]}]});
    json!({"map": [placed, [{"+": [{"var": "4.1"}, 1]}, fb, c1, c2, {"if": [c2, 0, {"var": "0"}]}]]})
}

/// json-logic's ranking result reduced to [`Ranked`] rows.
#[must_use]
pub fn jsonlogic_ranked(v: &datalogic_rs::DataValue<'_>) -> Vec<Ranked> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|m| {
                    let x = m.as_array().unwrap_or(&[]);
                    let num = |i: usize| x.get(i).and_then(|y| y.as_f64()).unwrap_or(-1.0);
                    let flag = |i: usize| x.get(i).and_then(|y| y.as_bool()) == Some(true);
                    Ranked {
                        rank: num(0) as u32,
                        from_bottom: num(1) as u32,
                        cutoffs: u8::from(flag(2)) | u8::from(flag(3)) << 1,
                        score: num(4),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The json-logic decision result (`[verdict, o1, o2, o3, o4]`) as a [`Decision`].
#[must_use]
pub fn jsonlogic_decision(v: &datalogic_rs::DataValue<'_>) -> Decision {
    let a = v.as_array().unwrap_or(&[]);
    let mut outcomes = 0u8;
    for k in 0..4 {
        if a.get(k + 1).and_then(|x| x.as_bool()) == Some(true) {
            outcomes |= 1 << k;
        }
    }
    Decision {
        verdict: verdict_word_code(a.first().and_then(|x| x.as_str()).unwrap_or("?")),
        outcomes,
    }
}

//! The compiled plan and the full `assess` agree on every built-in rulebook
//! with assessment rules, on random records; and invariants of assessment
//! across the rule families (a strictly worse indicator never gives a milder
//! verdict nor drops an outcome) hold on both.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use jindu::assess::{assess, AssessRequest, Op, Status, Unit, Verdict};
use jindu::plan::{AssessPlan, Record, RowError};
use jindu::{Options, Registry, Rulebook};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Every rulebook with assessment rules: the built-in ones, and the user
/// rulebook of `spec/samples/` that extends one with bands (points) and
/// count brackets, which no built-in rulebook has.
fn assessment_rulebooks() -> Vec<&'static Rulebook> {
    static REGISTRY: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    let reg = REGISTRY.get_or_init(|| {
        let mut reg = Registry::builtin().unwrap().clone();
        let sample = std::fs::read_to_string(format!("{}/../spec/samples/lianhua-county-extends-pingxiang.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
        reg.load_json(&sample).unwrap();
        reg
    });
    jindu::builtin_rulebook_ids()
        .iter()
        .copied()
        .chain(["lianhua-county-2019-demonstration"])
        .filter_map(|id| reg.get(id))
        .filter(|rb| rb.file().assessment.is_some())
        .collect()
}

/// A value for a unit from a random word: often on a threshold, or just off it.
fn value_for(unit: Unit, thresholds: &[f64], w: u32) -> Option<f64> {
    if w % 7 == 0 {
        return None;
    }
    let pick = (w / 7) as usize;
    let near = thresholds.get(pick % thresholds.len().max(1)).copied().unwrap_or(1.0);
    let v = match (w / 11) % 4 {
        0 => near,
        1 => near + 1.0,
        2 => (near - 1.0).max(0.0),
        _ => f64::from((w / 13) % 120),
    };
    Some(match unit {
        Unit::Percent => v.min(100.0),
        Unit::Count => v.round(),
        _ => v,
    })
}

fn request(rb: &Rulebook, words: &[u32]) -> AssessRequest {
    let a = rb.file().assessment.as_ref().unwrap();
    let mut w = words.iter().copied().cycle();
    let mut next = || w.next().unwrap_or(0);
    let mut thresholds: Vec<f64> = a
        .indicators
        .iter()
        .filter_map(|i| match &i.comparison.as_ref()?.threshold {
            jindu::assess::Threshold::Value(x) => Some(*x),
            _ => None,
        })
        .collect();
    thresholds.extend(a.vetoes.iter().flat_map(|v| v.any_of.iter().map(|c| c.value)));
    thresholds.extend(a.brackets.iter().map(|b| b.from));
    thresholds.extend([0.0, 1.0, 2.0, 150.0, 300.0]);
    // One record in three is a good one: every value meets its standard,
    // every trend goes the right way, no judgement is found: the path to "met".
    let good = next() % 3 == 0;
    let mut values = BTreeMap::new();
    for (key, unit) in a.indicators.iter().map(|i| (&i.key, i.unit)).chain(a.inputs.iter().map(|i| (&i.key, i.unit))) {
        let fine = a.indicators.iter().find(|i| &i.key == key).and_then(|i| {
            let c = i.comparison.as_ref()?;
            Some(match (&c.threshold, c.op) {
                (jindu::assess::Threshold::Value(t), Op::Gte | Op::Eq) => *t,
                (jindu::assess::Threshold::Value(t), Op::Gt) => (t + 1.0).min(100.0),
                (_, Op::Gte | Op::Gt) => 100.0,
                (_, Op::Lte | Op::Lt | Op::Eq) => 0.0,
            })
        });
        let v = match fine {
            Some(f) if good => Some(f),
            _ if good => Some(if unit == Unit::Percent { 50.0 } else { 150.0 }),
            _ => value_for(unit, &thresholds, next()),
        };
        if let Some(v) = v {
            values.insert(key.clone(), v);
        }
    }
    let mut series: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for t in &a.trends {
        if good {
            use jindu::assess::{Direction, TrendMeasure};
            let s = match (t.measure, t.direction) {
                (TrendMeasure::Level, Direction::Rise) => vec![1.0, 10.0],
                (TrendMeasure::Level, Direction::Fall) => vec![10.0, 1.0],
                (TrendMeasure::GrowthRate, Direction::Rise) => vec![1.0, 2.0, 6.0],
                (TrendMeasure::GrowthRate, Direction::Fall) => vec![1.0, 4.0, 5.0],
            };
            series.insert(t.key.clone(), s);
            continue;
        }
        let n = next() % 5;
        if n > 0 {
            series.insert(t.key.clone(), (0..n).map(|_| f64::from(next() % 6)).collect());
        }
    }
    let mut judgements = BTreeMap::new();
    for j in &a.judgements {
        if good {
            judgements.insert(j.key.clone(), false);
            continue;
        }
        match next() % 3 {
            0 => {}
            1 => {
                judgements.insert(j.key.clone(), true);
            }
            _ => {
                judgements.insert(j.key.clone(), false);
            }
        }
    }
    let score = (next() % 3 != 0).then(|| f64::from(next() % 101));
    serde_json::from_value(serde_json::json!({
        "area": {"name": "某区", "level": "county"}, "on": "2019-06-30",
        "values": values, "series": series, "judgements": judgements, "score": score
    }))
    .unwrap()
}

fn check_agreement(rb: &Rulebook, req: &AssessRequest) -> Result<(), TestCaseError> {
    let plan = AssessPlan::compile(rb).unwrap();
    let full = assess(rb, req, Options { explain: false }).unwrap();
    let rec = plan.record_of(req).unwrap();
    let q = plan.eval(&rec.as_record()).unwrap();
    prop_assert_eq!(q.verdict, full.verdict, "{} {:?}", rb.id(), req);
    for (i, out) in full.indicators.iter().enumerate() {
        prop_assert_eq!(plan.indicator_status(&q, i), out.status, "indicator {}", out.indicator);
        prop_assert_eq!(plan.columns()[i], out.indicator);
    }
    for (t, out) in full.trends.iter().enumerate() {
        let s = if q.trends_met.has(t) {
            Status::Met
        } else if q.trends_unmet.has(t) {
            Status::Unmet
        } else if q.trends_unchanged.has(t) {
            Status::Unchanged
        } else {
            Status::Missing
        };
        prop_assert_eq!(s, out.status, "trend {}", out.trend);
    }
    for (k, out) in full.vetoes.iter().enumerate() {
        let s = if q.vetoes.has(k) {
            Status::Applies
        } else if q.vetoes_pending.has(k) {
            Status::RequiresJudgement
        } else if q.vetoes_missing.has(k) {
            Status::Missing
        } else {
            Status::DoesNotApply
        };
        prop_assert_eq!(s, out.status, "veto {}", out.veto);
    }
    let full_outcomes: BTreeSet<(String, String)> = full.outcomes.iter().map(|o| (o.outcome.to_owned(), format!("{:?}", o.status))).collect();
    let plan_outcomes: BTreeSet<(String, String)> = (0..jindu::plan::CAPACITY)
        .filter_map(|k| Some((plan.outcome(k)?.0.to_owned(), format!("{:?}", plan.outcome_status(&q, k)?))))
        .collect();
    prop_assert_eq!(plan_outcomes, full_outcomes);
    let full_brackets: BTreeSet<&str> = full.brackets.iter().map(|b| b.bracket).collect();
    let plan_brackets: BTreeSet<&str> = q.brackets.iter().filter_map(|k| plan.bracket_key(k)).collect();
    prop_assert_eq!(plan_brackets, full_brackets);
    prop_assert_eq!(q.score, full.score);
    prop_assert_eq!(q.points, full.points);
    let full_missing: BTreeSet<&str> = full.missing.iter().copied().collect();
    let plan_missing: BTreeSet<&str> = plan.missing_keys(&q).collect();
    prop_assert_eq!(plan_missing, full_missing);
    Ok(())
}

fn verdict_rank(v: Verdict) -> u8 {
    match v {
        Verdict::NotProvided | Verdict::Met => 0,
        Verdict::Incomplete => 1,
        Verdict::Unmet => 2,
        Verdict::Vetoed => 3,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn the_plan_and_assess_agree(book in 0usize..16, words in prop::collection::vec(any::<u32>(), 1..96)) {
        let books = assessment_rulebooks();
        let rb = books[book % books.len()];
        check_agreement(rb, &request(rb, &words))?;
    }

    /// For every rule family: making one indicator strictly worse (lower for
    /// 以上/达到/不少于, higher for 以下/低于/不发生) never gives a milder
    /// verdict and never takes away an outcome (a listing, an accountability).
    #[test]
    fn a_strictly_worse_indicator_never_helps(book in 0usize..16, words in prop::collection::vec(any::<u32>(), 1..96), which in 0usize..64, by in 1u32..60) {
        let books = assessment_rulebooks();
        let rb = books[book % books.len()];
        let plan = AssessPlan::compile(rb).unwrap();
        let a = rb.file().assessment.as_ref().unwrap();
        let req = request(rb, &words);
        let Some(ind) = a.indicators.get(which % a.indicators.len().max(1)) else { return Ok(()) };
        let (Some(c), Some(v)) = (&ind.comparison, req.values.get(&ind.key).copied()) else { return Ok(()) };
        let by = f64::from(by);
        let worse = match c.op {
            Op::Gte | Op::Gt => (v - by).max(0.0),
            Op::Lte | Op::Lt | Op::Eq => if ind.unit == Unit::Percent { (v + by).min(100.0) } else { v + by },
        };
        // 不发生 (= 0) is the one Eq the texts use: anything above it is worse.
        if c.op == Op::Eq && !matches!(c.threshold, jindu::assess::Threshold::Value(t) if t == 0.0) { return Ok(()) }
        let mut w = req.clone();
        w.values.insert(ind.key.clone(), worse);
        let before = plan.eval(&plan.record_of(&req).unwrap().as_record()).unwrap();
        let after = plan.eval(&plan.record_of(&w).unwrap().as_record()).unwrap();
        prop_assert!(verdict_rank(after.verdict) >= verdict_rank(before.verdict), "{} {}: {v} -> {worse}: {:?} -> {:?}", rb.id(), ind.key, before.verdict, after.verdict);
        prop_assert_eq!(before.outcomes.0 & !after.outcomes.0, 0, "{} {}: an outcome went away", rb.id(), ind.key);
        check_agreement(rb, &w)?;
    }
}

#[test]
fn every_assessment_rulebook_compiles() {
    let books = assessment_rulebooks();
    assert!(books.len() >= 5);
    for rb in books {
        let plan = AssessPlan::compile(rb).unwrap();
        assert_eq!(plan.columns().len(), plan.units().len());
        assert!(plan.indicator_count() <= plan.columns().len());
    }
    let reg = Registry::builtin().unwrap();
    let err = AssessPlan::compile(reg.get("hengyang-county-2018-rectification").unwrap()).unwrap_err();
    assert_eq!(err.errors[0].code, jindu::ErrorCode::NotInRulebook);
}

#[test]
fn bad_records_are_named_never_judged() {
    let reg = Registry::builtin().unwrap();
    let plan = AssessPlan::compile(reg.get("hengyang-county-2018-work-plan").unwrap()).unwrap();
    let n = plan.columns().len();
    let rate = plan.column("compulsory_rehab_rate").unwrap();
    let cases = plan.column("cultivation_cases").unwrap();
    let mut values = vec![f64::NAN; n];
    for (col, bad, what) in [
        (rate, 100.5, "0 到 100"),
        (rate, -1.0, "负数"),
        (rate, f64::INFINITY, "有限"),
        (cases, 1.5, "整数"),
    ] {
        values.fill(f64::NAN);
        values[col] = bad;
        let r = Record {
            values: &values,
            ..Record::default()
        };
        let e = plan.eval(&r).unwrap_err();
        assert_eq!(e, RowError::Value { column: col });
        let fe = plan.describe(&r, e);
        assert_eq!(fe.code, jindu::ErrorCode::OutOfRange);
        assert!(fe.msg_zh.contains(what), "{}", fe.msg_zh);
        assert!(fe.msg_en.contains(plan.columns()[col]), "{}", fe.msg_en);
    }
    let short = vec![1.0; n - 1];
    let r = Record {
        values: &short,
        ..Record::default()
    };
    assert_eq!(plan.eval(&r).unwrap_err(), RowError::Values { expected: n, got: n - 1 });
    values.fill(f64::NAN);
    let r = Record {
        values: &values,
        score: Some(f64::NAN),
        ..Record::default()
    };
    assert_eq!(plan.eval(&r).unwrap_err(), RowError::Score);
    let series = [1.0, -2.0, 3.0];
    let r = Record {
        values: &values,
        series: &series,
        ..Record::default()
    };
    assert_eq!(plan.eval(&r).unwrap_err(), RowError::SeriesValue { slot: 1 });
    assert!(plan
        .describe(&r, RowError::SeriesValue { slot: 1 })
        .msg_en
        .contains("series.outflow_trafficker_arrests.1"));
}

#[test]
fn a_false_judgement_settles_a_veto_even_with_another_unsupplied() {
    // Sinan: the veto needs 2名 cadres or students AND the caller's finding;
    // Qianxinan's veto is a school failing 6.27. A judgement found false
    // settles "all must be true" whatever the others are.
    for rb in assessment_rulebooks() {
        let a = rb.file().assessment.as_ref().unwrap();
        for v in a.vetoes.iter().filter(|v| !v.judgements.is_empty()) {
            let mut judgements = serde_json::Map::new();
            judgements.insert(v.judgements[0].clone(), serde_json::json!(false));
            let req: AssessRequest = serde_json::from_value(serde_json::json!({
                "area": {"name": "某区", "level": "county"}, "on": "2019-06-30", "judgements": judgements
            }))
            .unwrap();
            let full = assess(rb, &req, Options { explain: false }).unwrap();
            let out = full.vetoes.iter().find(|o| o.veto == v.key).unwrap();
            assert_eq!(out.status, Status::DoesNotApply, "{} {}", rb.id(), v.key);
        }
    }
}

/// The random records reach every verdict, so the agreement above is not
/// agreement on one easy case.
#[test]
fn the_generator_reaches_every_verdict() {
    let mut seen = BTreeSet::new();
    for (b, rb) in assessment_rulebooks().into_iter().enumerate() {
        for n in 0..3000u32 {
            let words: Vec<u32> = (0..96u32)
                .map(|k| n.wrapping_mul(2654435761).wrapping_add(k.wrapping_mul(40503)).rotate_left(k % 17) ^ (b as u32))
                .collect();
            let req = request(rb, &words);
            let full = assess(rb, &req, Options { explain: false }).unwrap();
            seen.insert(format!("{:?}", full.verdict));
        }
    }
    assert_eq!(seen.len(), 5, "{seen:?}");
}

/// Values on the edges of a threshold and of every unit: the f64 just below
/// and above it, ±1e-9 (the tolerance of 零/全部), halves, −0.0, 2^52 and
/// 2^53 with their neighbours, huge and infinite values.
fn edge_values(t: f64) -> Vec<f64> {
    // f64::next_up / next_down are newer than the crate's minimum Rust.
    let up = |x: f64| {
        if x == 0.0 {
            f64::from_bits(1)
        } else if x > 0.0 {
            f64::from_bits(x.to_bits() + 1)
        } else {
            f64::from_bits(x.to_bits() - 1)
        }
    };
    let down = |x: f64| -up(-x);
    let two52 = 4_503_599_627_370_496.0_f64;
    let mut v = vec![
        t,
        up(t),
        down(t),
        t + 1e-9,
        t - 1e-9,
        t + 0.999e-9,
        t - 0.999e-9,
        t + 0.5,
        t - 0.5,
        -0.0,
        0.0,
        f64::from_bits(1),
        100.0,
        up(100.0),
        two52,
        two52 - 0.5,
        two52 + 1.0,
        2.0 * two52 + 2.0,
        1e300,
        f64::MAX,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -1.0,
    ];
    v.retain(|x| !x.is_nan());
    v
}

/// The fused range check and the interval form of each threshold answer
/// exactly as `assess` does (which checks each value with its unit and
/// compares with the text's operator) on values at the edges.
#[test]
fn the_plan_and_assess_agree_on_edge_values() {
    for rb in assessment_rulebooks() {
        let plan = AssessPlan::compile(rb).unwrap();
        let a = rb.file().assessment.as_ref().unwrap();
        let base: AssessRequest = serde_json::from_value(serde_json::json!({
            "area": {"name": "某区", "level": "county"}, "on": "2019-06-30"
        }))
        .unwrap();
        for (c, key) in plan.columns().iter().enumerate() {
            let mut thresholds = vec![0.0, 1.0, 100.0];
            if let Some(jindu::assess::Threshold::Value(t)) = a.indicators.get(c).and_then(|i| i.comparison.as_ref()).map(|k| &k.threshold) {
                thresholds.push(*t);
            }
            for v in thresholds.into_iter().flat_map(edge_values) {
                let mut req = base.clone();
                req.values.insert((*key).to_owned(), v);
                let full = assess(rb, &req, Options { explain: false });
                let mut values = vec![f64::NAN; plan.columns().len()];
                values[c] = v;
                let q = plan.eval(&Record {
                    values: &values,
                    ..Record::default()
                });
                match (full, q) {
                    (Ok(_), Ok(_)) => check_agreement(rb, &req).unwrap_or_else(|e| panic!("{} {key} = {v:e}: {e}", rb.id())),
                    (Err(e), Err(RowError::Value { column })) => {
                        assert_eq!(column, c, "{} {key} = {v:e}", rb.id());
                        assert_eq!(e.errors[0].code, jindu::ErrorCode::OutOfRange);
                    }
                    (full, q) => panic!(
                        "{} {key} = {v:e}: assess {:?}, plan {:?}",
                        rb.id(),
                        full.map(|f| f.verdict),
                        q.map(|q| q.verdict)
                    ),
                }
            }
        }
    }
}

/// The typed `assess` checks what the JSON path checks: inputs by their
/// unit (not only indicators), series values, the score; every error at once.
#[test]
fn typed_assess_checks_inputs_series_and_score() {
    for rb in assessment_rulebooks() {
        let a = rb.file().assessment.as_ref().unwrap();
        let Some(input) = a.inputs.first() else { continue };
        let mut req: AssessRequest = serde_json::from_value(serde_json::json!({
            "area": {"name": "某区", "level": "county"}, "on": "2019-06-30"
        }))
        .unwrap();
        req.values.insert(input.key.clone(), -1.0);
        let trend = a.trends.first().map(|t| t.key.clone());
        if let Some(t) = &trend {
            req.series.insert(t.clone(), vec![1.0, f64::INFINITY]);
        }
        req.score = Some(f64::NAN);
        let e = assess(rb, &req, Options { explain: false }).unwrap_err();
        let paths: Vec<&str> = e.errors.iter().map(|e| e.path.as_str()).collect();
        assert!(paths.contains(&format!("values.{}", input.key).as_str()), "{}: {paths:?}", rb.id());
        assert!(paths.contains(&"score"), "{}: {paths:?}", rb.id());
        if let Some(t) = trend {
            assert!(paths.contains(&format!("series.{t}[1]").as_str()), "{}: {paths:?}", rb.id());
        }
        assert!(e.errors.iter().all(|e| e.code == jindu::ErrorCode::OutOfRange));
        assert!(e.errors.iter().all(|e| !e.msg_zh.is_empty() && !e.msg_en.is_empty()));
    }
}

/// The typed `rank` checks its cohort as the JSON path does, and places by
/// sorting give the counts the tie rule defines.
#[test]
fn typed_rank_checks_the_cohort_and_places_follow_the_tie_rule() {
    let reg = Registry::builtin().unwrap();
    let rb = reg.get("sinan-county-20xx-assessment").unwrap();
    let key = rb.file().assessment.as_ref().unwrap().rankings[0].key.clone();
    let member = |name: &str, score: f64| jindu::assess::CohortMember {
        name: name.into(),
        score,
        vetoed: false,
        last_year: None,
    };
    let mut req = jindu::assess::RankRequest {
        ranking: key.clone(),
        on: jindu::Date::parse("2019-01-10").unwrap(),
        cohort: vec![member("甲", f64::NAN), member("乙", 80.0), member("乙", -3.0)],
    };
    let e = jindu::assess::rank(rb, &req, Options { explain: false }).unwrap_err();
    let paths: Vec<&str> = e.errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["cohort[0].score", "cohort[2].score", "cohort[2].name"]);
    req.cohort.clear();
    assert_eq!(
        jindu::assess::rank(rb, &req, Options { explain: false }).unwrap_err().errors[0].code,
        jindu::ErrorCode::Empty
    );
    // Places: 1 + strictly lower (from the bottom), 1 + strictly higher (rank).
    let scores = [70.0, 80.0, 80.0, 60.0, 90.0, 80.0, 60.0];
    req.cohort = scores.iter().enumerate().map(|(i, s)| member(&format!("m{i}"), *s)).collect();
    let a = jindu::assess::rank(rb, &req, Options { explain: false }).unwrap();
    for (m, s) in a.members.iter().zip(scores) {
        let lower = scores.iter().filter(|x| **x < s).count() as u32;
        let higher = scores.iter().filter(|x| **x > s).count() as u32;
        assert_eq!((m.from_bottom, m.rank), (lower + 1, higher + 1), "{}", m.name);
    }
}

/// Value, series and judgement columns, and scores.
type Batch = (Vec<Vec<f64>>, Vec<Vec<f64>>, Vec<Vec<Option<bool>>>, Vec<f64>);

/// The rows of `records` as columns (NaN where a record has no series or
/// score; `None` where it has no judgements).
fn columns_of(plan: &AssessPlan<'_>, records: &[jindu::plan::OwnedRecord]) -> Batch {
    let values = (0..plan.columns().len()).map(|c| records.iter().map(|r| r.values[c]).collect()).collect();
    let series = (0..plan.trends().len() * 3)
        .map(|s| records.iter().map(|r| r.series.get(s).copied().unwrap_or(f64::NAN)).collect())
        .collect();
    let judgements = (0..plan.judgements().len())
        .map(|j| records.iter().map(|r| r.judgements.get(j).copied().flatten()).collect())
        .collect();
    let scores = records.iter().map(|r| r.score.unwrap_or(f64::NAN)).collect();
    (values, series, judgements, scores)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    /// The column path gives every record of a batch exactly what the row
    /// path gives it, bad records included (their error in their place),
    /// across blocks (up to 150 records: three blocks of 64).
    #[test]
    fn the_column_path_and_the_row_path_agree(
        book in 0usize..16,
        words in prop::collection::vec(any::<u32>(), 1..96),
        n in 0usize..150,
        spoil in prop::collection::vec((any::<u16>(), any::<u16>(), any::<u8>()), 0..12),
    ) {
        let books = assessment_rulebooks();
        let rb = books[book % books.len()];
        let plan = AssessPlan::compile(rb).unwrap();
        let mut records: Vec<_> = (0..n)
            .map(|i| {
                let ws: Vec<u32> = words.iter().map(|w| w.wrapping_mul(2_654_435_761).wrapping_add(i as u32 * 40_503)).collect();
                let mut r = plan.record_of(&request(rb, &ws)).unwrap();
                // Every record has series and judgement slots in a batch (NaN / None where not supplied).
                r.series.resize(plan.trends().len() * 3, f64::NAN);
                r.judgements.resize(plan.judgements().len(), None);
                r
            })
            .collect();
        // Edge and bad values in random places: values, series, scores.
        for (at, slot, e) in spoil {
            let Some(r) = records.get_mut(at as usize % n.max(1)) else { continue };
            let mut edges = edge_values(f64::from(slot % 101));
            // Not supplied, anywhere: a series with a gap or its last year
            // missing (not a score: NaN is "no score" in a column, an error in a row).
            edges.push(f64::NAN);
            let v = edges[e as usize % edges.len()];
            match slot % 3 {
                0 if !r.values.is_empty() => { let k = slot as usize % r.values.len(); r.values[k] = v; }
                1 if !r.series.is_empty() => { let k = slot as usize % r.series.len(); r.series[k] = v; }
                _ if !v.is_nan() => r.score = Some(v),
                _ => {}
            }
        }
        let (values, series, judgements, scores) = columns_of(&plan, &records);
        let values: Vec<&[f64]> = values.iter().map(Vec::as_slice).collect();
        let series: Vec<&[f64]> = series.iter().map(Vec::as_slice).collect();
        let judgements: Vec<&[Option<bool>]> = judgements.iter().map(Vec::as_slice).collect();
        let cols = jindu::plan::Columns { values: &values, series: &series, judgements: &judgements, scores: Some(&scores) };
        let mut out = vec![Err(RowError::Score); n];
        plan.eval_columns(&cols, &mut out).unwrap();
        // By block: every record's answer transposed back equals the row
        // path's, and the masks read by item say the same as the answers.
        let mut by_block = Vec::with_capacity(n);
        let mut block = plan.block();
        let mut starts = Vec::new();
        plan.eval_blocks(&cols, n, &mut block, |b| {
            starts.push((b.start(), b.len()));
            let all = if b.len() == 64 { u64::MAX } else { (1u64 << b.len()) - 1 };
            assert_eq!(b.judged() | b.errors(), all);
            assert_eq!(b.judged() & b.errors(), 0);
            let verdicts = [Verdict::Met, Verdict::Unmet, Verdict::Incomplete, Verdict::Vetoed, Verdict::NotProvided];
            assert_eq!(verdicts.iter().fold(0, |m, v| m | b.with_verdict(*v)), b.judged());
            assert_eq!((b.quick(b.len()), b.verdict(b.len()), b.quick(64)), (None, None, None));
            // The whole block transposed at once says the same as record by record,
            // and leaves the slots past the block alone.
            let mut rows = [Err(RowError::Values { expected: 7, got: 7 }); 66];
            b.quicks(&mut rows);
            assert!(rows[b.len()..].iter().all(|r| *r == Err(RowError::Values { expected: 7, got: 7 })));
            for (i, row) in rows.iter().enumerate().take(b.len()) {
                let q = b.quick(i).unwrap();
                assert_eq!(*row, q);
                assert_eq!(b.verdict(i).unwrap(), q.map(|q| q.verdict));
                assert_eq!(b.error(i), q.err());
                if let Ok(q) = q {
                    for k in 0..plan.indicator_count() {
                        assert_eq!((b.met(k) >> i) & 1 == 1, q.met.has(k));
                        assert_eq!((b.unmet(k) >> i) & 1 == 1, q.unmet.has(k));
                        assert_eq!((b.indicator_missing(k) >> i) & 1 == 1, q.indicators_missing.has(k));
                    }
                    for k in 0..plan.rulebook().file().assessment.as_ref().unwrap().outcomes.len() {
                        assert_eq!((b.outcome(k) >> i) & 1 == 1, q.outcomes.has(k));
                        assert_eq!((b.outcome_pending(k) >> i) & 1 == 1, q.outcomes_pending.has(k));
                    }
                    assert_eq!((b.with_verdict(q.verdict) >> i) & 1, 1);
                    // the whole-block scores and points say the same
                    assert_eq!(q.score, ((b.score_mask() >> i) & 1 == 1).then(|| b.score_values()[i]));
                    assert_eq!(q.points, ((b.points_mask() >> i) & 1 == 1).then(|| b.points_values()[i]));
                }
                by_block.push(q);
            }
        }).unwrap();
        prop_assert_eq!(starts.iter().map(|s| s.1).sum::<usize>(), n);
        prop_assert!(starts.iter().enumerate().all(|(k, s)| s.0 == k * 64));
        prop_assert_eq!(&by_block, &out);
        for (i, (r, got)) in records.iter().zip(&out).enumerate() {
            prop_assert_eq!(got, &plan.eval(&r.as_record()), "{} record {}: {:?}", rb.id(), i, r);
            let back = cols.record(i);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            prop_assert_eq!(bits(&back.values), bits(&r.values));
            prop_assert_eq!(bits(&back.series), bits(&r.series));
            prop_assert_eq!(&back.judgements, &r.judgements);
            // A NaN score is no score in a column.
            prop_assert_eq!(back.score.map(f64::to_bits), r.score.filter(|s| !s.is_nan()).map(f64::to_bits));
        }
    }
}

/// A batch that does not fit the plan is refused whole, naming the field.
#[test]
fn a_batch_of_the_wrong_shape_is_refused_naming_the_field() {
    let reg = Registry::builtin().unwrap();
    let plan = AssessPlan::compile(reg.get("hengyang-county-2018-work-plan").unwrap()).unwrap();
    let full = vec![f64::NAN; 3];
    let short = vec![f64::NAN; 2];
    let mut values: Vec<&[f64]> = vec![&full; plan.columns().len()];
    let mut out = vec![Err(RowError::Score); 3];
    let refused =
        |cols: jindu::plan::Columns<'_>, out: &mut [Result<jindu::plan::Quick, RowError>]| plan.eval_columns(&cols, out).unwrap_err().errors[0].clone();

    let e = refused(
        jindu::plan::Columns {
            values: &values[1..],
            ..Default::default()
        },
        &mut out,
    );
    assert_eq!((e.code, e.path.as_str()), (jindu::ErrorCode::Inconsistent, "values"));
    assert!(
        e.msg_zh.contains("values") && e.msg_en.contains(&format!("{} columns", plan.columns().len())),
        "{e:?}"
    );

    values[1] = &short;
    let e = refused(
        jindu::plan::Columns {
            values: &values,
            ..Default::default()
        },
        &mut out,
    );
    assert_eq!(e.path, format!("values.{}", plan.columns()[1]));
    assert!(e.msg_en.contains("must hold 3 values (one a record), got 2"), "{e:?}");
    values[1] = &full;

    let e = refused(
        jindu::plan::Columns {
            values: &values,
            series: &[&full],
            ..Default::default()
        },
        &mut out,
    );
    assert_eq!(e.path, "series");
    let e = refused(
        jindu::plan::Columns {
            values: &values,
            scores: Some(&short),
            ..Default::default()
        },
        &mut out,
    );
    assert_eq!(e.path, "score");
    // Nothing was judged.
    assert!(out.iter().all(|o| *o == Err(RowError::Score)));
    // The right shape: every record judged (nothing supplied: incomplete).
    plan.eval_columns(
        &jindu::plan::Columns {
            values: &values,
            scores: Some(&full),
            ..Default::default()
        },
        &mut out,
    )
    .unwrap();
    assert!(out.iter().all(|o| o.as_ref().is_ok_and(|q| q.verdict == Verdict::Incomplete)), "{out:?}");
}

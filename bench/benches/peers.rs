//! The peer comparison (issue 7, part 4): the same threshold decision, and
//! the same ranking, evaluated on the same generated records in the same
//! run by
//!   a. jindu's compiled plan (`AssessPlan::compile` of the built-in
//!      rulebook `hengyang-county-2018-work-plan`, `plan.eval` per record,
//!      and `plan.eval_into` into one reused `Quick`; and by column,
//!      `plan.eval_columns_each` over the same records as columns, each
//!      answer consumed as it comes, whole or reduced to what the
//!      hand-written rule answers; and by block, `plan.eval_blocks`, the
//!      answers of 64 records at a time as masks by item, consumed whole or
//!      read record by record as the hand-written rule answers),
//!   b. the same rule hand-written in Rust (by row, and by column into
//!      masks of 64 records, as the plan by block does),
//!   c. zen-engine (a JDM graph of two decision tables, hit policies first
//!      and collect), and
//!   d. json-logic (datalogic-rs),
//! and the ranking (`county_target` of `sinan-county-20xx-assessment`,
//! a cohort of 1000) by jindu's `rank`, a hand-written sort and cut, zen
//! (an expression node) and json-logic (nested `map`/`reduce`).
//!
//! Before timing, every path's answer is checked against the others on
//! every record (an assertion at setup, not a timing assertion).
//!
//! Throughput is in records (decision) or cohort members (ranking) per
//! second. Peers get their inputs already converted to their own value
//! types (zen `Variable`, datalogic `DataValue`): the conversion from our
//! rows is not timed, which favours them. One more json-logic figure,
//! `json_logic_datalogic_from_rows`, times the conversion too (each record's
//! object built straight in datalogic's value type from the row), which is
//! what a caller holding rows of numbers, as jindu's plan takes them, pays.
//!
//! `BENCH_N` sets the number of records (default 100000), `BENCH_COHORT`
//! the cohort size (default 1000).

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput};
use datalogic_rs::bumpalo::Bump;
use datalogic_rs::{DataValue, Engine};
use futures_executor::block_on;
use jindu::plan::{AssessPlan, Columns, Quick};
use jindu::{Options, Registry};
use jindu_bench::*;
use zen_engine::model::DecisionContent;
use zen_engine::Decision as ZenDecision;
use zen_engine::DecisionEngine;
use zen_engine::Variable;

fn env_usize(k: &str, d: usize) -> usize {
    std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d)
}

fn zen_decision_of(graph: serde_json::Value) -> ZenDecision {
    let content: DecisionContent = serde_json::from_value(graph).expect("a JDM graph");
    let engine = DecisionEngine::default();
    let mut d = engine.create_decision(Arc::new(content)).expect("a graph decision");
    d.compile(); // precompiled expressions and table indexes, as zen's own benches do
    d
}

fn zen_eval(d: &ZenDecision, input: &Variable) -> serde_json::Value {
    let r = block_on(d.evaluate(input.clone())).expect("zen evaluates");
    serde_json::to_value(&r.result).expect("zen result as JSON")
}

fn decision(c: &mut Criterion) {
    let n = env_usize("BENCH_N", 100_000);
    let recs = generate(n, 0x6a69_6e64_7500_0001);
    let rb = Registry::builtin().expect("built-in rulebooks").get(RULEBOOK).expect("the rulebook");
    let plan = AssessPlan::compile(rb).expect("a plan");
    check_layout(&plan);

    // c. zen
    let zen = zen_decision_of(zen_graph());
    let zen_inputs: Vec<Variable> = (0..n)
        .map(|i| {
            let (r, j) = recs.get(i);
            Variable::from(record_json(r, j))
        })
        .collect();
    // d. json-logic
    let engine = Engine::new();
    let rule = serde_json::to_string(&jsonlogic_rule()).expect("rule text");
    let logic = engine.compile(rule.as_str()).expect("json-logic compiles");
    let input_arena = Bump::new();
    let jl_inputs: Vec<&DataValue<'_>> = (0..n)
        .map(|i| {
            let (r, j) = recs.get(i);
            let text: &str = input_arena.alloc_str(&serde_json::to_string(&record_json(r, j)).expect("json"));
            &*input_arena.alloc(DataValue::from_str(text, &input_arena).expect("datalogic parses"))
        })
        .collect();

    // agreement on every record, and the mix of verdicts
    let mut mix = [0usize; 5];
    let mut session = engine.session();
    for i in 0..n {
        let (r, j) = recs.get(i);
        let a = plan_decision(&plan.eval(&plan_record(r, j)).expect("a valid record"));
        let b = hand(r, j).expect("a valid record");
        let q = plan.eval(&plan_record(r, j)).expect("a valid record");
        assert_eq!(Some(q), hand_quick(r, j), "plan vs hand-written full answer, record {i}: {r:?} {j:?}");
        let cz = zen_decision(&zen_eval(&zen, &zen_inputs[i]));
        let d = jsonlogic_decision(session.eval_borrowed(&logic, jl_inputs[i]).expect("json-logic evaluates"));
        session.reset();
        let mut pairs = Vec::new();
        datalogic_pairs(r, j, &mut pairs);
        let v = DataValue::Object(&pairs);
        let e = jsonlogic_decision(session.eval_borrowed(&logic, &v).expect("json-logic evaluates"));
        session.reset();
        assert_eq!(d, e, "json-logic from parsed text vs built from the row, record {i}");
        assert_eq!(a, b, "plan vs hand-written, record {i}: {r:?} {j:?}");
        assert_eq!(a, cz, "plan vs zen, record {i}: {r:?} {j:?}");
        assert_eq!(a, d, "plan vs json-logic, record {i}: {r:?} {j:?}");
        mix[a.verdict as usize] += 1;
    }
    // The same records as columns (as a pandas frame holds them; not timed,
    // as the peers' conversions are not), and the column path's answers
    // equal to the row path's on every record.
    let col_of = |k: usize| -> Vec<f64> { (0..n).map(|i| recs.get(i).0[k]).collect() };
    let value_cols: Vec<Vec<f64>> = (0..10).map(col_of).collect();
    let series_cols: Vec<Vec<f64>> = (10..13).map(col_of).collect();
    let judgement_cols: Vec<Vec<Option<bool>>> = (0..4).map(|k| (0..n).map(|i| recs.get(i).1[k]).collect()).collect();
    let values: Vec<&[f64]> = value_cols.iter().map(Vec::as_slice).collect();
    let series: Vec<&[f64]> = series_cols.iter().map(Vec::as_slice).collect();
    let judgements: Vec<&[Option<bool>]> = judgement_cols.iter().map(Vec::as_slice).collect();
    let columns = Columns {
        values: &values,
        series: &series,
        judgements: &judgements,
        scores: None,
    };
    plan.eval_columns_each(&columns, n, |i, q| {
        let (r, j) = recs.get(i);
        assert_eq!(q.copied(), plan.eval(&plan_record(r, j)), "plan by column vs by row, record {i}");
    })
    .expect("columns of the plan's shape");
    // And the plan by block: every record's answer transposed back equal to
    // the row path's, and its decision read from the masks equal too.
    let mut block = plan.block();
    plan.eval_blocks(&columns, n, &mut block, |b| {
        for k in 0..b.len() {
            let i = b.start() + k;
            let (r, j) = recs.get(i);
            let q = plan.eval(&plan_record(r, j));
            assert_eq!(b.quick(k), Some(q), "plan by block vs by row, record {i}");
            assert_eq!(block_decision(b, k), q.ok().as_ref().map(plan_decision), "block decision, record {i}");
        }
    })
    .expect("columns of the plan's shape");
    // And the rule hand-written by column, block by block.
    for from in (0..n).step_by(64) {
        let len = (n - from).min(64);
        let h = hand_block(&values, &series, &judgements, from, len);
        for k in 0..len {
            let (r, j) = recs.get(from + k);
            assert_eq!(h.decision(k), hand(r, j), "hand-written by column vs by row, record {}", from + k);
        }
    }
    eprintln!(
        "peers: {n} records agree on all four paths (and the plan by column); met {} unmet {} incomplete {}",
        mix[0], mix[1], mix[2]
    );

    let mut g = c.benchmark_group("decision");
    g.throughput(Throughput::Elements(n as u64));
    g.sample_size(20);
    g.warm_up_time(Duration::from_secs(2));
    g.measurement_time(Duration::from_secs(8));
    g.bench_function("jindu_plan", |b| {
        b.iter(|| {
            for i in 0..n {
                let (r, j) = recs.get(i);
                black_box(plan.eval(black_box(&plan_record(r, j))).ok());
            }
        });
    });
    g.bench_function("jindu_plan_eval_into", |b| {
        let mut q = Quick::default();
        b.iter(|| {
            for i in 0..n {
                let (r, j) = recs.get(i);
                black_box(plan.eval_into(black_box(&plan_record(r, j)), &mut q).ok());
                black_box(&q);
            }
        });
    });
    g.bench_function("jindu_plan_columns", |b| {
        b.iter(|| {
            plan.eval_columns_each(black_box(&columns), n, |_, q| {
                black_box(q.ok());
            })
            .ok();
        });
    });
    // The same, the consumer keeping what `hand_written` answers (verdict and
    // outcome bits): what the plan does not need for that is not computed.
    g.bench_function("jindu_plan_columns_decision", |b| {
        b.iter(|| {
            plan.eval_columns_each(black_box(&columns), n, |_, q| {
                black_box(q.ok().map(plan_decision));
            })
            .ok();
        });
    });
    // By block: the answers as masks by item, 64 records a block, the
    // whole block handed to the consumer (`black_box` of the block: every
    // mask of it is written).
    g.bench_function("jindu_plan_blocks", |b| {
        let mut block = plan.block();
        b.iter(|| {
            plan.eval_blocks(black_box(&columns), n, &mut block, |blk| {
                black_box(blk);
            })
            .ok();
        });
    });
    // The same, the consumer reading what `hand_written` answers (verdict
    // and outcome bits) record by record from the masks.
    g.bench_function("jindu_plan_blocks_decision", |b| {
        let mut block = plan.block();
        b.iter(|| {
            plan.eval_blocks(black_box(&columns), n, &mut block, |blk| {
                for k in 0..blk.len() {
                    black_box(block_decision(blk, k));
                }
            })
            .ok();
        });
    });
    g.bench_function("hand_written", |b| {
        b.iter(|| {
            for i in 0..n {
                let (r, j) = recs.get(i);
                black_box(hand(black_box(r), black_box(j)));
            }
        });
    });
    // Hand-written by column, 64 records a block into masks: the layout
    // of the plan by block, written for this rule alone.
    g.bench_function("hand_written_blocks", |b| {
        b.iter(|| {
            for from in (0..n).step_by(64) {
                black_box(hand_block(black_box(&values), black_box(&series), black_box(&judgements), from, (n - from).min(64)));
            }
        });
    });
    g.bench_function("hand_written_full_answer", |b| {
        b.iter(|| {
            for i in 0..n {
                let (r, j) = recs.get(i);
                black_box(hand_quick(black_box(r), black_box(j)));
            }
        });
    });
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.bench_function("zen_engine", |b| {
        b.iter(|| {
            for v in &zen_inputs {
                black_box(block_on(zen.evaluate(v.clone())).ok());
            }
        });
    });
    g.bench_function("json_logic_datalogic", |b| {
        let mut s = engine.session();
        b.iter(|| {
            for v in &jl_inputs {
                black_box(s.eval_borrowed(&logic, *v).ok().map(|x| x.as_array().map(<[_]>::len)));
                s.reset();
            }
        });
    });
    // The same json-logic rule fed from our rows as a json-logic user would
    // have to: an object of the supplied values built per record (directly in
    // datalogic's value type, no JSON text), timed with the evaluation.
    g.bench_function("json_logic_datalogic_from_rows", |b| {
        let mut s = engine.session();
        let mut pairs: Vec<(&str, DataValue<'_>)> = Vec::with_capacity(STRIDE + JUDGEMENTS.len());
        b.iter(|| {
            for i in 0..n {
                let (r, j) = recs.get(i);
                datalogic_pairs(r, j, &mut pairs);
                let v = DataValue::Object(&pairs);
                black_box(s.eval_borrowed(&logic, &v).ok().map(|x| x.as_array().map(<[_]>::len)));
                s.reset();
            }
        });
    });
    g.finish();
}

/// A record as datalogic's object of (key, value): the supplied values and
/// the judgements, in the order of `record_json`.
fn datalogic_pairs(row: &[f64], judgements: &[Option<bool>], pairs: &mut Vec<(&'static str, DataValue<'static>)>) {
    pairs.clear();
    for (k, v) in COLUMNS.iter().chain(SERIES.iter()).zip(row) {
        if !v.is_nan() {
            pairs.push((k, DataValue::Number(datalogic_rs::datavalue::NumberValue::from_f64(*v))));
        }
    }
    for (k, j) in JUDGEMENTS.iter().zip(judgements) {
        if let Some(b) = j {
            pairs.push((k, DataValue::Bool(*b)));
        }
    }
}

fn ranking(c: &mut Criterion) {
    let size = env_usize("BENCH_COHORT", 1000);
    let rb = Registry::builtin().expect("built-in rulebooks").get(RANK_RULEBOOK).expect("the rulebook");
    let members = cohort(size, 0x6a69_6e64_7500_0002);
    let req = rank_request(members.clone());

    let a = jindu_ranked(&jindu::assess::rank(rb, &req, Options { explain: false }).expect("jindu ranks"));
    let mut sorted = Vec::new();
    let mut out = Vec::new();
    hand_rank(&members, &mut sorted, &mut out);
    assert_eq!(a, out, "jindu rank vs hand-written");
    let zen = zen_decision_of(zen_rank_graph());
    let zen_input = Variable::from(cohort_json(&members));
    let z = zen_ranked(&zen_eval(&zen, &zen_input));
    assert_eq!(a, z, "jindu rank vs zen");
    let engine = Engine::new();
    let logic = engine
        .compile(serde_json::to_string(&jsonlogic_rank_rule()).expect("rule").as_str())
        .expect("json-logic compiles");
    let arena = Bump::new();
    let text = serde_json::to_string(&cohort_json(&members)).expect("json");
    let jl_input: &DataValue<'_> = arena.alloc(DataValue::from_str(&text, &arena).expect("parses"));
    {
        let mut s = engine.session();
        let v = s.eval_borrowed(&logic, jl_input).expect("json-logic ranks");
        let d = jsonlogic_ranked(v);
        assert_eq!(a, d, "jindu rank vs json-logic");
    }
    let hits = a.iter().filter(|m| m.cutoffs != 0).count();
    eprintln!("ranking: cohort of {size} agrees on all four paths; {hits} inside a cut-off");

    let mut g = c.benchmark_group("ranking");
    g.throughput(Throughput::Elements(size as u64));
    g.sample_size(20);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(5));
    g.bench_function(BenchmarkId::new("jindu_rank", size), |b| {
        b.iter(|| black_box(jindu::assess::rank(rb, black_box(&req), Options { explain: false }).ok()));
    });
    g.bench_function(BenchmarkId::new("hand_written", size), |b| {
        b.iter(|| {
            hand_rank(black_box(&members), &mut sorted, &mut out);
            black_box(&out);
        });
    });
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    g.bench_function(BenchmarkId::new("zen_engine", size), |b| {
        b.iter(|| black_box(block_on(zen.evaluate(zen_input.clone())).ok()));
    });
    g.bench_function(BenchmarkId::new("json_logic_datalogic", size), |b| {
        let mut s = engine.session();
        b.iter(|| {
            black_box(s.eval_borrowed(&logic, jl_input).ok().map(|x| x.as_array().map(<[_]>::len)));
            s.reset();
        });
    });
    g.finish();
}

criterion_group!(benches, decision, ranking);
criterion_main!(benches);

//! Time per call of each operation (issue 7, part 4), on realistic calls
//! taken from the spec cases (`spec/cases/*.json`): for each operation, the
//! successful case with the largest request.
//!
//! - `call_json/<op>` and `call_json_explain/<op>`: the JSON call layer
//!   every front end uses (`jindu::call_json`: parse the text, read and
//!   check the request, evaluate, build the receipt, write the answer),
//!   without and with `"explain": true`.
//! - `typed/<op>` and `typed_explain/<op>`: the typed entry points
//!   (`jindu::list`, `review`, `consequences`, `timeline`,
//!   `assess::assess`, `assess::rank`, `duties::duties`) on a request read
//!   once before timing.
//! - `plan/assess_one`: the compiled plan on the same `assess` request's record.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use jindu::plan::AssessPlan;
use jindu::{Options, Registry, Request};
use serde_json::{json, Value};

const OPS: [&str; 8] = ["list", "review", "consequences", "timeline", "validate", "assess", "rank", "duties"];

/// For each operation, the successful spec case with the largest request.
fn cases() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/cases");
    let mut all = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("spec/cases").map(|e| e.expect("entry").path()).collect();
    files.sort();
    for f in files {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&f).expect("read")).expect("json");
        for c in v.as_array().expect("an array of cases") {
            all.push(c.clone());
        }
    }
    OPS.iter()
        .map(|op| {
            let best = all
                .iter()
                .filter(|c| c["operation"] == *op && c["expected"]["ok"] == true && c.get("rulebook").is_some())
                .max_by_key(|c| serde_json::to_string(&c["request"]).map(|s| s.len()).unwrap_or(0))
                .unwrap_or_else(|| panic!("a case for {op}"));
            ((*op).to_owned(), best.clone())
        })
        .collect()
}

fn call_of(case: &Value, explain: bool) -> String {
    let mut call = json!({"operation": case["operation"], "rulebook": case["rulebook"], "request": case["request"]});
    for k in ["target", "as_of"] {
        if let Some(v) = case.get(k) {
            call[k] = v.clone();
        }
    }
    if explain {
        call["explain"] = json!(true);
    }
    serde_json::to_string(&call).expect("call text")
}

fn typed(rb: &jindu::Rulebook, req: &Request, opts: Options) -> bool {
    match req {
        Request::List(r) => jindu::list(rb, r, opts).map(|a| black_box(a).explained.cited.len()).is_ok(),
        Request::Review(r) => jindu::review(rb, r, opts).map(|a| black_box(a).explained.cited.len()).is_ok(),
        Request::Consequences(r) => jindu::consequences(rb, r, opts).map(|a| black_box(a).explained.cited.len()).is_ok(),
        Request::Timeline(r) => jindu::timeline(rb, r, opts).map(|a| black_box(a).explained.cited.len()).is_ok(),
        Request::Assess(r) => jindu::assess::assess(rb, r, opts).map(|a| black_box(a).explained.cited.len()).is_ok(),
        Request::Rank(r) => jindu::assess::rank(rb, r, opts).map(|a| black_box(a).explained.cited.len()).is_ok(),
        Request::Duties(r) => jindu::duties::duties(rb, r, opts).map(|a| black_box(a).explained.cited.len()).is_ok(),
    }
}

fn ops(c: &mut Criterion) {
    let reg = Registry::builtin().expect("built-in rulebooks");
    let cases = cases();
    for (op, case) in &cases {
        eprintln!(
            "ops: {op:<13} case {} ({} bytes of request)",
            case["id"],
            serde_json::to_string(&case["request"]).map(|s| s.len()).unwrap_or(0)
        );
    }

    let mut g = c.benchmark_group("call_json");
    g.throughput(Throughput::Elements(1));
    g.sample_size(50);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
    for explain in [false, true] {
        for (op, case) in &cases {
            let text = call_of(case, explain);
            let out: Value = serde_json::from_str(&jindu::call_json(&text)).expect("json out");
            assert_eq!(out["ok"], true, "{op}: {out}");
            let name = if explain { format!("{op}+explain") } else { op.clone() };
            g.bench_function(name, |b| b.iter(|| black_box(jindu::call_json(black_box(&text)))));
        }
    }
    g.finish();

    let mut g = c.benchmark_group("typed");
    g.throughput(Throughput::Elements(1));
    g.sample_size(50);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
    for explain in [false, true] {
        for (op, case) in cases.iter().filter(|(op, _)| op != "validate") {
            let rb = reg.get(case["rulebook"].as_str().expect("rulebook id")).expect("rulebook");
            let req = jindu::parse_request(rb, op, &case["request"]).expect("a valid request");
            let opts = Options { explain };
            assert!(typed(rb, &req, opts), "{op} evaluates");
            let name = if explain { format!("{op}+explain") } else { op.clone() };
            g.bench_function(name, |b| b.iter(|| black_box(typed(rb, black_box(&req), opts))));
        }
    }
    g.finish();

    // the compiled plan on the assess case's one record
    let (_, case) = cases.iter().find(|(op, _)| op == "assess").expect("assess case");
    let rb = reg.get(case["rulebook"].as_str().expect("id")).expect("rulebook");
    let Request::Assess(req) = jindu::parse_request(rb, "assess", &case["request"]).expect("valid") else {
        unreachable!("an assess request")
    };
    let plan = AssessPlan::compile(rb).expect("plan");
    let rec = plan.record_of(&req).expect("record");
    let mut g = c.benchmark_group("plan");
    g.throughput(Throughput::Elements(1));
    g.sample_size(50);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
    g.bench_function("assess_one", |b| b.iter(|| black_box(plan.eval(black_box(&rec.as_record())).ok())));
    g.bench_function("compile", |b| {
        b.iter(|| black_box(AssessPlan::compile(black_box(rb)).ok().map(|p| p.columns().len())))
    });
    g.finish();
}

criterion_group!(benches, ops);
criterion_main!(benches);

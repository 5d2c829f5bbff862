//! A plain loop over one `call_json` for a profiler (callgrind): the same
//! calls as `bench/benches/ops.rs` (for each operation, the successful spec
//! case with the largest request).
//! Run: `OP=review N=1000 cargo run --release -p jindu-core --example ops_loop`
//! (`EXPLAIN=true|false` adds that key to the call; unset, the call has none,
//! as in the bench, so the default applies).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use serde_json::{json, Value};
use std::path::Path;

fn main() {
    let op = std::env::var("OP").unwrap_or_else(|_| "review".to_owned());
    let n: usize = std::env::var("N").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let explain = std::env::var("EXPLAIN").ok();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut all = Vec::new();
    for f in files {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        all.extend(v.as_array().unwrap().iter().cloned());
    }
    let case = all
        .iter()
        .filter(|c| c["operation"] == *op && c["expected"]["ok"] == true && c.get("rulebook").is_some())
        .max_by_key(|c| serde_json::to_string(&c["request"]).map(|s| s.len()).unwrap_or(0))
        .unwrap_or_else(|| panic!("a case for {op}"));
    let mut call = json!({"operation": case["operation"], "rulebook": case["rulebook"], "request": case["request"]});
    for k in ["target", "as_of"] {
        if let Some(v) = case.get(k) {
            call[k] = v.clone();
        }
    }
    if let Some(e) = explain {
        call["explain"] = json!(e == "true");
    }
    let text = serde_json::to_string(&call).unwrap();
    // warm the registry outside the loop
    let first = jindu::call_json(&text);
    assert!(first.starts_with("{\"ok\":true"), "{first}");
    if std::env::var("PRINT").is_ok() {
        println!("{text}\n{first}");
    }
    if std::env::var("TYPED").is_ok() {
        // the typed evaluation alone (as `typed/<op>` in the bench), on a request read once
        let reg = jindu::Registry::builtin().unwrap();
        let rb = reg.get(case["rulebook"].as_str().unwrap()).unwrap();
        let req = jindu::parse_request(rb, &op, &case["request"]).unwrap();
        let opts = jindu::Options {
            explain: call.get("explain") != Some(&json!(false)),
        };
        let start = std::time::Instant::now();
        for _ in 0..n {
            let ok = jindu::evaluate(rb, std::hint::black_box(&req), None, opts).is_ok();
            assert!(std::hint::black_box(ok));
        }
        let us = start.elapsed().as_secs_f64() * 1e6 / n.max(1) as f64;
        eprintln!("{op} typed (evaluate, with receipt): {us:.2} µs per call");
        return;
    }
    let mut bytes = 0;
    let start = std::time::Instant::now();
    for _ in 0..n {
        bytes += std::hint::black_box(jindu::call_json(std::hint::black_box(&text))).len();
    }
    let us = start.elapsed().as_secs_f64() * 1e6 / n.max(1) as f64;
    eprintln!("{op}: {} bytes of call, {} bytes of answer, {us:.2} µs per call", text.len(), bytes / n.max(1));
}

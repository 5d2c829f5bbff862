//! Native helpers for the WASM package's build and tests (not shipped):
//!
//! - `native golden <cases-dir> <out.json>`: runs every spec case through the
//!   *native* `jindu::call_json` and writes `{case id: {call, response}}`, so
//!   that the Node tests can check that the WASM build gives exactly the same
//!   answers, byte for byte;
//! - `native schemas <out-dir>`: writes the JSON Schemas of the types that
//!   `spec/schema/` does not export (the error catalogue), generated from the
//!   Rust types, for the TypeScript types;
//! - `native call <call.json>`: the native response to one call;
//! - `native bench <call.json> <n>`: the median time in µs of the native
//!   `call_json` on one call;
//! - `native bench-many <calls.json> <n>`: the same for each call text of a
//!   JSON array, printed as a JSON array (bench.mjs compares the WASM build
//!   with these).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

fn call_of(case: &Map<String, Value>) -> Value {
    let mut call = Map::new();
    for k in jindu::CALL_FIELDS {
        if let Some(v) = case.get(k) {
            if !v.is_null() {
                call.insert(k.to_owned(), v.clone());
            }
        }
    }
    Value::Object(call)
}

fn golden(dir: &Path, out: &Path) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut all = Map::new();
    for f in files {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for c in v.as_array().into_iter().flatten() {
            let Some(m) = c.as_object() else { continue };
            let id = m.get("id").and_then(Value::as_str).unwrap_or("?").to_owned();
            let call = call_of(m).to_string();
            let response = jindu::call_json(&call);
            let mut entry = Map::new();
            entry.insert("call".into(), Value::String(call));
            entry.insert("response".into(), Value::String(response));
            all.insert(id, Value::Object(entry));
        }
    }
    std::fs::write(out, serde_json::to_string(&Value::Object(all)).unwrap()).unwrap();
}

fn schemas(out: &Path) {
    std::fs::create_dir_all(out).unwrap();
    let write = |name: &str, v: schemars::Schema| {
        std::fs::write(out.join(name), serde_json::to_string_pretty(&v).unwrap()).unwrap();
    };
    write("error-catalogue.schema.json", schemars::schema_for!(Vec<jindu::CatalogueEntry>));
}

/// Median time of the native `call_json` on one call, for comparison with the WASM build.
fn bench(file: &Path, n: usize) {
    let text = std::fs::read_to_string(file).unwrap();
    for _ in 0..n.min(2000) {
        std::hint::black_box(jindu::call_json(&text));
    }
    let mut t: Vec<f64> = (0..n)
        .map(|_| {
            let a = std::time::Instant::now();
            std::hint::black_box(jindu::call_json(std::hint::black_box(&text)));
            a.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    t.sort_by(f64::total_cmp);
    println!("{:.1}", t[n / 2]);
}

/// The median time in µs of the native `call_json` on each call of a JSON
/// array of call texts, printed as a JSON array (bench.mjs, per operation).
fn bench_many(file: &Path, n: usize) {
    let texts: Vec<String> = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let medians: Vec<f64> = texts
        .iter()
        .map(|text| {
            for _ in 0..n.min(200) {
                std::hint::black_box(jindu::call_json(text));
            }
            let mut t: Vec<f64> = (0..n)
                .map(|_| {
                    let a = std::time::Instant::now();
                    std::hint::black_box(jindu::call_json(std::hint::black_box(text)));
                    a.elapsed().as_secs_f64() * 1e6
                })
                .collect();
            t.sort_by(f64::total_cmp);
            t[n / 2]
        })
        .collect();
    println!("{}", serde_json::to_string(&medians).unwrap());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [_, "golden", dir, out] => golden(Path::new(dir), Path::new(out)),
        [_, "schemas", out] => schemas(Path::new(out)),
        [_, "bench", file, n] => bench(Path::new(file), n.parse().unwrap()),
        [_, "bench-many", file, n] => bench_many(Path::new(file), n.parse().unwrap()),
        [_, "call", file] => println!("{}", jindu::call_json(&std::fs::read_to_string(file).unwrap())),
        _ => {
            eprintln!("usage: native golden <cases-dir> <out.json> | native schemas <out-dir> | native call <call.json> | native bench <call.json> <n> | native bench-many <calls.json> <n>");
            std::process::exit(2);
        }
    }
}

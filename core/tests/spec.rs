//! Runs every conformance case under spec/cases/ through the JSON call layer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::{json, Map, Value};
use std::path::PathBuf;

/// Matches an expected pattern against an actual value (see spec/README.md).
fn matches(expected: &Value, actual: Option<&Value>, path: &str, why: &mut Vec<String>) -> bool {
    match expected {
        Value::Null => {
            let ok = matches!(actual, None | Some(Value::Null));
            if !ok {
                why.push(format!(
                    "{path}: expected absent or null, got {}",
                    actual.map_or("nothing".into(), Value::to_string)
                ));
            }
            ok
        }
        Value::Object(e) if e.contains_key("$includes") || e.contains_key("$excludes") || e.contains_key("$len") => {
            let Some(Value::Array(a)) = actual else {
                why.push(format!("{path}: expected an array, got {}", actual.map_or("nothing".into(), Value::to_string)));
                return false;
            };
            let mut ok = true;
            if let Some(Value::Array(inc)) = e.get("$includes") {
                for item in inc {
                    if !a.iter().any(|x| matches(item, Some(x), path, &mut Vec::new())) {
                        why.push(format!("{path}: no element matches {item}"));
                        ok = false;
                    }
                }
            }
            if let Some(Value::Array(exc)) = e.get("$excludes") {
                for item in exc {
                    if a.iter().any(|x| matches(item, Some(x), path, &mut Vec::new())) {
                        why.push(format!("{path}: an element matches excluded {item}"));
                        ok = false;
                    }
                }
            }
            if let Some(n) = e.get("$len").and_then(Value::as_u64) {
                if a.len() as u64 != n {
                    why.push(format!("{path}: expected {n} elements, got {}", a.len()));
                    ok = false;
                }
            }
            ok
        }
        Value::Object(e) => {
            let Some(Value::Object(a)) = actual else {
                why.push(format!("{path}: expected an object, got {}", actual.map_or("nothing".into(), Value::to_string)));
                return false;
            };
            let mut ok = true;
            for (k, v) in e {
                ok &= matches(v, a.get(k), &format!("{path}.{k}"), why);
            }
            ok
        }
        Value::Array(e) => {
            let Some(Value::Array(a)) = actual else {
                why.push(format!("{path}: expected an array, got {}", actual.map_or("nothing".into(), Value::to_string)));
                return false;
            };
            if a.len() != e.len() {
                why.push(format!("{path}: expected {} elements, got {}: {}", e.len(), a.len(), Value::Array(a.clone())));
                return false;
            }
            let mut ok = true;
            for (i, (x, y)) in e.iter().zip(a).enumerate() {
                ok &= matches(x, Some(y), &format!("{path}[{i}]"), why);
            }
            ok
        }
        Value::Number(n) => {
            let ok = actual.and_then(Value::as_f64) == n.as_f64();
            if !ok {
                why.push(format!("{path}: expected {n}, got {}", actual.map_or("nothing".into(), Value::to_string)));
            }
            ok
        }
        other => {
            let ok = actual == Some(other);
            if !ok {
                why.push(format!("{path}: expected {other}, got {}", actual.map_or("nothing".into(), Value::to_string)));
            }
            ok
        }
    }
}

/// The call a case makes.
pub fn call_of(case: &Map<String, Value>) -> Value {
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

fn cases() -> Vec<(String, Map<String, Value>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for c in v.as_array().unwrap_or_else(|| panic!("{} must hold a JSON array of cases", f.display())) {
            let m = c.as_object().unwrap().clone();
            out.push((f.file_name().unwrap().to_string_lossy().into_owned(), m));
        }
    }
    out
}

#[test]
fn spec_cases() {
    let all = cases();
    let mut ids = std::collections::HashSet::new();
    let mut failures = Vec::new();
    for (file, case) in &all {
        let id = case.get("id").and_then(Value::as_str).unwrap_or("?").to_owned();
        assert!(ids.insert(id.clone()), "duplicate case id {id}");
        for k in ["id", "description", "operation", "request", "expected"] {
            assert!(case.contains_key(k), "{file} {id}: missing {k}");
        }
        let response = jindu::call_value(&call_of(case));
        let mut why = Vec::new();
        if !matches(&case["expected"], Some(&response), "$", &mut why) {
            failures.push(format!("{file} {id}:\n    {}\n    response: {}", why.join("\n    "), response));
        }
        // The text entry point gives the same response.
        let text = jindu::call_json(&call_of(case).to_string());
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            response,
            "{id}: call_json differs from call_value"
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
    eprintln!("{} spec cases passed", all.len());
}

/// `"receipt": false` leaves out the receipt and nothing else: over every
/// case, the response without it is the response with it, less its receipt
/// (and an error the same error).
#[test]
fn receipt_false_changes_nothing_but_the_receipt() {
    let mut answered = 0;
    for (_, case) in &cases() {
        let Value::Object(mut call) = call_of(case) else { continue };
        if call.contains_key("receipt") {
            continue;
        }
        let mut with = jindu::call_value(&Value::Object(call.clone()));
        call.insert("receipt".into(), Value::Bool(false));
        let without = jindu::call_value(&Value::Object(call));
        if let Some(answer) = with.get_mut("answer").and_then(Value::as_object_mut) {
            if case["operation"] != "validate" {
                assert!(answer.remove("receipt").is_some(), "{:?}: an answer without a receipt", case["id"]);
                answered += 1;
            }
        }
        assert_eq!(without, with, "{:?}", case["id"]);
    }
    assert!(answered > 100, "only {answered} answers compared");
}

#[test]
fn matcher_semantics() {
    let mut w = Vec::new();
    assert!(matches(&json!({"a": 1}), Some(&json!({"a": 1.0, "b": 2})), "$", &mut w));
    assert!(matches(&json!({"a": null}), Some(&json!({"b": 2})), "$", &mut w));
    assert!(!matches(&json!([1]), Some(&json!([1, 2])), "$", &mut w));
    assert!(matches(&json!({"$includes": [2]}), Some(&json!([1, 2])), "$", &mut w));
    assert!(!matches(&json!({"$excludes": [{"x": 1}]}), Some(&json!([{"x": 1, "y": 2}])), "$", &mut w));
    assert!(matches(&json!({"$len": 2}), Some(&json!([1, 2])), "$", &mut w));
}

//! Prints the response to every spec case's call, and to variants of it
//! (explain on and off, `validate` of it, and mutations of each field of its
//! request: removed, null, of another type, an impossible date…), one line
//! each, so that a refactoring of the JSON layer can be checked byte for byte:
//! `cargo run --release -p jindu-core --example golden > before.txt`, change,
//! run again, `cmp before.txt after.txt`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use serde_json::{json, Map, Value};
use std::io::Write;
use std::path::Path;

fn call_of(case: &Map<String, Value>) -> Map<String, Value> {
    let mut call = Map::new();
    for k in jindu::CALL_FIELDS {
        if let Some(v) = case.get(k) {
            if !v.is_null() {
                call.insert(k.to_owned(), v.clone());
            }
        }
    }
    call
}

/// Every path into a value (object keys and array indices), depth first.
fn paths(v: &Value, here: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                here.push(json!(k));
                out.push(here.clone());
                paths(x, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                here.push(json!(i));
                out.push(here.clone());
                paths(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at<'v>(v: &'v mut Value, path: &[Value]) -> Option<&'v mut Value> {
    let mut cur = v;
    for p in path {
        cur = match p {
            Value::String(k) => cur.as_object_mut()?.get_mut(k)?,
            Value::Number(i) => cur.as_array_mut()?.get_mut(usize::try_from(i.as_u64()?).ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn remove(v: &mut Value, path: &[Value]) {
    let Some((last, parent)) = path.split_last() else { return };
    if let Some(p) = at(v, parent) {
        match (p, last) {
            (Value::Object(m), Value::String(k)) => {
                m.shift_remove(k);
            }
            (Value::Array(a), Value::Number(i)) => {
                let i = usize::try_from(i.as_u64().unwrap()).unwrap();
                if i < a.len() {
                    a.remove(i);
                }
            }
            _ => {}
        }
    }
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let reg = jindu::Registry::builtin().unwrap();
    let mut n = 0usize;
    let mut emit = |call: &Value, full: bool| {
        let text = call.to_string();
        let r = jindu::call_json(&text);
        writeln!(out, "{text}\n=> {r}").unwrap();
        if full {
            // the value entry points give the same response
            writeln!(out, "=v {}", jindu::call_value(call)).unwrap();
            match jindu::call(reg, call) {
                Ok(a) => writeln!(out, "=c {a}").unwrap(),
                Err(e) => writeln!(out, "=e {}", jindu::respond(Err(e))).unwrap(),
            }
        }
        n += 1;
    };
    let replacements = [
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1e300),
        json!(99_999_999_999_u64),
        json!(""),
        json!("  "),
        json!("x\"y\\z\n\u{1}é中"),
        json!("2019-02-29"),
        json!("2018-13-01"),
        json!([]),
        json!({}),
        json!({"zz": 1}),
    ];
    for f in files {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        for case in v.as_array().unwrap() {
            let call = call_of(case.as_object().unwrap());
            let base = Value::Object(call.clone());
            emit(&base, true);
            for explain in [true, false] {
                let mut c = call.clone();
                c.insert("explain".into(), json!(explain));
                emit(&Value::Object(c), true);
            }
            let op = call.get("operation").and_then(Value::as_str).unwrap_or("").to_owned();
            if op != "validate" {
                let mut c = call.clone();
                c.insert("operation".into(), json!("validate"));
                c.insert("target".into(), json!(op));
                emit(&Value::Object(c), true);
            }
            // mutations of the envelope and of each field of the request
            let mut ps = Vec::new();
            paths(&base, &mut Vec::new(), &mut ps);
            for p in &ps {
                let mut c = base.clone();
                remove(&mut c, p);
                emit(&c, false);
                for r in &replacements {
                    let mut c = base.clone();
                    if let Some(x) = at(&mut c, p) {
                        *x = r.clone();
                    }
                    emit(&c, false);
                }
            }
        }
    }
    // texts that are not calls
    for t in ["", "{", "[]", "null", "{\"operation\": 1}", "{\"a\":1,\"a\":2}", "\"\\ud800\""] {
        writeln!(out, "{t}\n=> {}", jindu::call_json(t)).unwrap();
    }
    eprintln!("{n} calls");
}

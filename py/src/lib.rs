//! `jindu._jindu`: the compiled part of the Python package `jindu`.
//!
//! Marshalling only: Python objects become the core's JSON calls (or, on the
//! batch path, Arrow columns become the core's typed requests), the core
//! evaluates, and the answers come back as Python objects or Arrow columns.
//! No rule is decided here. Every entry point catches a Rust panic and turns
//! it into an `internal_error`, so that none reaches Python.

// The workspace's clippy rules, minus `unsafe_code = "forbid"` (pyo3's macros
// expand to unsafe code; this crate writes none itself).
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::todo,
    clippy::dbg_macro
)]

mod assess_table;
mod batch;
mod convert;

use convert::{to_py, ToJson};
use jindu::{ErrorCode, FieldError, InputErrors, Registry};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::PyTable;
use serde_json::{json, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The code of an error that is the library's fault, not the caller's: a
/// caught panic (the core's catalogue lists it as `internal_error`).
pub(crate) const INTERNAL_ERROR: &str = "internal_error";

/// The text of a panic's payload.
pub(crate) fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_owned()
    }
}

fn internal_error_value(msg: &str) -> Value {
    json!({
        "code": INTERNAL_ERROR, "loc": [], "path": "",
        "msg_zh": format!("内部错误（已拦截，请报告）：{msg}"),
        "msg_en": format!("internal error (caught; please report it): {msg}"),
    })
}

fn guard<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| panic_message(p.as_ref()))
}

fn registry() -> Result<&'static Registry, InputErrors> {
    Registry::builtin().map_err(|e| InputErrors {
        errors: vec![FieldError::at(
            ErrorCode::UnknownRulebook,
            "rulebook",
            format!("内置规则集无法加载：{e}"),
            format!("the built-in rulebooks failed to load: {e}"),
        )],
    })
}

fn under(path: &str, prefix: &str) -> bool {
    prefix.is_empty() || path == prefix || path.strip_prefix(prefix).is_some_and(|r| r.starts_with('.') || r.starts_with('['))
}

/// Merges the marshalling errors (Python values with no JSON form) with the
/// core's answer: the core's errors at or under a marshalled path are the
/// echo of the `null` put there, so the marshalling error replaces them.
fn merge(marshal: Vec<FieldError>, core: Result<Value, InputErrors>, validate: bool) -> Value {
    let keep = |errors: Vec<FieldError>| -> Vec<FieldError> {
        let mut out = marshal.clone();
        out.extend(errors.into_iter().filter(|e| !marshal.iter().any(|m| under(&e.path, &m.path))));
        out
    };
    match core {
        Ok(mut answer) if validate && !marshal.is_empty() => {
            let core_errors: Vec<FieldError> = answer.get("errors").and_then(|e| serde_json::from_value(e.clone()).ok()).unwrap_or_default();
            if let Value::Object(m) = &mut answer {
                m.insert("valid".into(), Value::Bool(false));
                m.insert("errors".into(), serde_json::to_value(keep(core_errors)).unwrap_or(Value::Null));
            }
            json!({"ok": true, "answer": answer})
        }
        Ok(answer) if marshal.is_empty() => json!({"ok": true, "answer": answer}),
        Ok(_) => json!({"ok": false, "errors": marshal}),
        Err(e) => json!({"ok": false, "errors": keep(e.errors)}),
    }
}

/// Runs one call given as a JSON value (with the errors found converting it).
fn run_call(v: &Value, marshal: Vec<FieldError>) -> Value {
    let validate = v.get("operation").and_then(Value::as_str) == Some("validate");
    match guard(|| registry().and_then(|reg| jindu::call(reg, v))) {
        Ok(r) => merge(marshal, r, validate),
        Err(msg) => json!({"ok": false, "errors": [internal_error_value(&msg)]}),
    }
}

/// Runs one call (a dict: operation, request, rulebook, …) and returns the
/// response dict: `{"ok": True, "answer": …}` or `{"ok": False, "errors": […]}`.
#[pyfunction]
fn call<'py>(py: Python<'py>, call: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let mut tj = ToJson::new(py);
    let v = tj.call(call);
    let marshal = tj.errors;
    let resp = py.detach(|| run_call(&v, marshal));
    to_py(py, &resp)
}

/// Runs one call given as JSON text; returns the response as JSON text.
#[pyfunction]
fn call_json(py: Python<'_>, text: &str) -> String {
    let text = text.to_owned();
    py.detach(|| match guard(|| jindu::call_json(&text)) {
        Ok(s) => s,
        Err(msg) => json!({"ok": false, "errors": [internal_error_value(&msg)]}).to_string(),
    })
}

fn threads_for(threads: Option<usize>) -> usize {
    threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)).max(1)
}

/// Runs many calls with the GIL released; the responses come back in order.
#[pyfunction]
#[pyo3(signature = (calls, *, threads=None))]
fn evaluate_many<'py>(py: Python<'py>, calls: &Bound<'py, PyAny>, threads: Option<usize>) -> PyResult<Bound<'py, PyList>> {
    let mut input: Vec<(Value, Vec<FieldError>)> = Vec::new();
    for c in calls.try_iter()? {
        let c = c?;
        let mut tj = ToJson::new(py);
        let v = tj.call(&c);
        input.push((v, tj.errors));
    }
    let threads = threads_for(threads).min(input.len().div_ceil(256).max(1));
    let responses: Vec<Value> = py.detach(move || {
        if threads <= 1 {
            return input.into_iter().map(|(v, m)| run_call(&v, m)).collect();
        }
        let chunk = input.len().div_ceil(threads);
        let mut parts: Vec<Vec<(Value, Vec<FieldError>)>> = Vec::new();
        let mut it = input.into_iter();
        loop {
            let part: Vec<_> = it.by_ref().take(chunk).collect();
            if part.is_empty() {
                break;
            }
            parts.push(part);
        }
        std::thread::scope(|s| {
            let hs: Vec<_> = parts
                .into_iter()
                .map(|p| s.spawn(move || p.into_iter().map(|(v, m)| run_call(&v, m)).collect::<Vec<Value>>()))
                .collect();
            hs.into_iter()
                .flat_map(|h| {
                    h.join()
                        .unwrap_or_else(|_| vec![json!({"ok": false, "errors": [internal_error_value("a batch thread panicked")]})])
                })
                .collect()
        })
    });
    let out = PyList::empty(py);
    for r in &responses {
        out.append(to_py(py, r)?)?;
    }
    Ok(out)
}

/// The built-in rulebooks: id, title, document (with its source), issuer,
/// jurisdiction, dates in force, hash, tiers.
#[pyfunction]
fn rulebooks(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let v = guard(jindu::rulebooks_json).unwrap_or_else(|_| json!([]));
    to_py(py, &v)
}

/// The text (JSON) of a built-in rulebook, or None.
#[pyfunction]
fn rulebook_text(id: &str) -> Option<&'static str> {
    jindu::builtin_rulebook_text(id)
}

/// Every error code the library can return, with its meaning in Chinese and English.
#[pyfunction]
fn error_catalogue(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let v = serde_json::to_value(jindu::error_catalogue()).unwrap_or_else(|_| json!([]));
    to_py(py, &v)
}

/// The built-in sample report document.
#[pyfunction]
fn sample(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let v: Value = serde_json::from_str(jindu::report::SAMPLE).unwrap_or(Value::Null);
    to_py(py, &v)
}

/// Evaluates a report document; returns the response dict.
#[pyfunction]
fn report<'py>(py: Python<'py>, doc: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let mut tj = ToJson::new(py);
    let v = tj.value(doc, &mut Vec::new());
    let marshal = tj.errors;
    let resp = py.detach(|| match guard(|| registry().and_then(|reg| jindu::report::report(reg, &v))) {
        Ok(r) => merge(marshal, r, false),
        Err(msg) => json!({"ok": false, "errors": [internal_error_value(&msg)]}),
    });
    to_py(py, &resp)
}

fn frame_error<'py>(py: Python<'py>, errors: &[FieldError]) -> PyResult<Bound<'py, PyAny>> {
    to_py(py, &serde_json::to_value(errors).unwrap_or(Value::Null))
}

/// The batch path: Arrow data (anything with `__arrow_c_stream__` or
/// `__arrow_c_array__`) in, one review per row, an Arrow table out.
/// Returns `(table, None)`, or `(None, errors)` when the frame itself is unusable.
#[pyfunction]
#[pyo3(signature = (data, *, rulebook, as_of=None, consequences=true, extra="error", json_columns=Vec::new(), threads=None))]
#[allow(clippy::too_many_arguments)]
fn evaluate_arrow<'py>(
    py: Python<'py>,
    data: AnyRecordBatch,
    rulebook: &str,
    as_of: Option<&str>,
    consequences: bool,
    extra: &str,
    json_columns: Vec<String>,
    threads: Option<usize>,
) -> PyResult<(Option<PyTable>, Option<Bound<'py, PyAny>>)> {
    let reg = match registry() {
        Ok(r) => r,
        Err(e) => return Ok((None, Some(frame_error(py, &e.errors)?))),
    };
    let Some(rb) = reg.get(rulebook) else {
        let ids: Vec<&str> = reg.all().iter().map(jindu::Rulebook::id).collect();
        let e = FieldError::at(
            ErrorCode::UnknownRulebook,
            "rulebook",
            format!("没有 id 为 {rulebook:?} 的规则集；可用：{}", ids.join("、")),
            format!("no rulebook has id {rulebook:?}; available: {}", ids.join(", ")),
        );
        return Ok((None, Some(frame_error(py, &[e])?)));
    };
    if !rb.supports("review") {
        let e = FieldError::at(
            ErrorCode::NotInRulebook,
            "rulebook",
            format!("规则集 {} 没有重点整治规则，不能执行 review", rb.id()),
            format!("rulebook {} has no rectification rules for review", rb.id()),
        );
        return Ok((None, Some(frame_error(py, &[e])?)));
    }
    let as_of = match as_of.map(jindu::Date::parse) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(_)) => {
            let e = FieldError::at(
                ErrorCode::InvalidDate,
                "as_of",
                format!("as_of 的值 {as_of:?} 不是 YYYY-MM-DD 格式的日期"),
                format!("as_of: {as_of:?} is not a date written YYYY-MM-DD"),
            );
            return Ok((None, Some(frame_error(py, &[e])?)));
        }
    };
    let extra = match extra {
        "error" => batch::Extra::Error,
        "ignore" => batch::Extra::Ignore,
        other => {
            let e = FieldError::at(
                ErrorCode::UnknownValue,
                "extra",
                format!("extra 的值 {other:?} 应为 \"error\" 或 \"ignore\""),
                format!("extra: {other:?} must be \"error\" or \"ignore\""),
            );
            return Ok((None, Some(frame_error(py, &[e])?)));
        }
    };
    let reader = data.into_reader()?;
    let schema = reader.schema();
    let mut batches = Vec::new();
    for b in reader {
        batches.push(b.map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?);
    }
    let roles = match batch::resolve(rb, &schema, extra, &json_columns) {
        Ok(r) => r,
        Err(problems) => return Ok((None, Some(frame_error(py, &problems)?))),
    };
    let mut frames = Vec::with_capacity(batches.len());
    for b in &batches {
        match batch::Frame::new(rb, b, &roles, &json_columns) {
            Ok(f) => frames.push(f),
            Err(problems) => return Ok((None, Some(frame_error(py, &problems)?))),
        }
    }
    let threads = threads_for(threads);
    let settings = batch::Settings { rb, as_of, consequences };
    let result = py.detach(move || -> Result<Vec<arrow_array::RecordBatch>, String> {
        let mut out = Vec::new();
        for f in &frames {
            let got = guard(|| batch::evaluate_frame(f, settings, threads)).map_err(|m| format!("internal error (caught): {m}"))?;
            out.extend(got.map_err(|e| e.to_string())?);
        }
        Ok(out)
    });
    let out = result.map_err(pyo3::exceptions::PyRuntimeError::new_err)?;
    Ok((Some(PyTable::try_new(out, batch::output_schema())?), None))
}

/// The input columns of the batch path under a rulebook: name, kind, required, request path, meaning.
#[pyfunction]
#[pyo3(signature = (rulebook))]
fn batch_columns<'py>(py: Python<'py>, rulebook: &str) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    let Some(rb) = Registry::builtin().ok().and_then(|r| r.get(rulebook)) else {
        return Ok(out);
    };
    for c in batch::contract(rb) {
        let d = PyDict::new(py);
        d.set_item("column", c.name)?;
        d.set_item("kind", c.kind)?;
        d.set_item("required", c.required)?;
        d.set_item("path", c.path)?;
        d.set_item("doc", c.doc)?;
        out.append(d)?;
    }
    Ok(out)
}

/// The names of the output columns of the batch path, in order.
#[pyfunction]
fn batch_output_columns() -> Vec<String> {
    batch::output_schema().fields().iter().map(|f| f.name().clone()).collect()
}

/// Test hook: panics inside the guard and returns what the guard made of it.
#[pyfunction]
fn _panic_for_test(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    #[allow(clippy::panic)] // the point of the hook: a panic the guard must catch
    let r = guard(|| -> Value { std::panic::panic_any("deliberate panic for the test suite") });
    std::panic::set_hook(hook);
    let v = match r {
        Ok(v) => v,
        Err(msg) => json!({"ok": false, "errors": [internal_error_value(&msg)]}),
    };
    to_py(py, &v)
}

#[pymodule]
fn _jindu(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", jindu::VERSION)?;
    m.add("OPERATIONS", jindu::OPERATIONS.to_vec())?;
    m.add("INTERNAL_ERROR", INTERNAL_ERROR)?;
    m.add_function(wrap_pyfunction!(call, m)?)?;
    m.add_function(wrap_pyfunction!(call_json, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_many, m)?)?;
    m.add_function(wrap_pyfunction!(rulebooks, m)?)?;
    m.add_function(wrap_pyfunction!(rulebook_text, m)?)?;
    m.add_function(wrap_pyfunction!(error_catalogue, m)?)?;
    m.add_function(wrap_pyfunction!(sample, m)?)?;
    m.add_function(wrap_pyfunction!(report, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(assess_table::assess_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(assess_table::assess_table_columns, m)?)?;
    m.add_function(wrap_pyfunction!(batch_columns, m)?)?;
    m.add_function(wrap_pyfunction!(batch_output_columns, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_test, m)?)?;
    Ok(())
}

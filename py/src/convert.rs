//! Python objects to JSON values and back, with every Python value that has
//! no JSON form reported as a structured input error at its path.
//!
//! The rules are those of the spec's JSON: `None` is `null` (absent), `bool`
//! is a boolean (never a number), `int` and `float` are numbers, `str` is a
//! string, `dict` (any mapping) is an object, `list`/`tuple` is an array. Beyond
//! that: a `datetime.date` is written `YYYY-MM-DD`; numpy scalars count as
//! their Python kind. What has no JSON form (NaN, infinities, integers past
//! 64 bits, non-string keys, sets, arbitrary objects) is an error at its path,
//! with the codes of the core's catalogue.

use jindu::{ErrorCode, FieldError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde_json::{Map, Number, Value};

static DATE_TYPE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME_TYPE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static MAPPING_TYPE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

fn cached_type<'py>(py: Python<'py>, cell: &'static PyOnceLock<Py<PyType>>, module: &str, name: &str) -> PyResult<Bound<'py, PyType>> {
    cell.import(py, module, name).cloned()
}

/// A path segment, rendered like the core's paths (`listing.listed_on`, `officials[1].name`).
#[derive(Clone, Debug)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Renders a path the way the core does.
pub fn render(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => {
                s.push('[');
                s.push_str(&i.to_string());
                s.push(']');
            }
        }
    }
    s
}

/// Converts Python values to JSON, collecting an error for each value that has no JSON form.
pub struct ToJson<'py> {
    py: Python<'py>,
    /// The errors found so far.
    pub errors: Vec<FieldError>,
    /// The depth of nesting, to stop self-referencing containers.
    depth: usize,
}

const MAX_DEPTH: usize = 64;

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "object".to_owned())
}

impl<'py> ToJson<'py> {
    /// A new converter.
    pub fn new(py: Python<'py>) -> ToJson<'py> {
        ToJson {
            py,
            errors: Vec::new(),
            depth: 0,
        }
    }

    fn err(&mut self, code: ErrorCode, path: &[Seg], zh: String, en: String) {
        let p = render(path);
        self.errors.push(FieldError::at(code, &p, zh, en));
    }

    /// Converts a whole call: the `request` member's paths are relative to the
    /// request, as the core's are.
    pub fn call(&mut self, obj: &Bound<'py, PyAny>) -> Value {
        if let Ok(d) = obj.cast::<PyDict>() {
            let mut m = Map::new();
            for (k, v) in d.iter() {
                let Ok(key) = k.cast::<PyString>() else {
                    self.bad_key(&k, &[]);
                    continue;
                };
                let key = key.to_string_lossy().into_owned();
                let value = if key == "request" {
                    self.value(&v, &mut Vec::new())
                } else {
                    self.value(&v, &mut vec![Seg::Key(key.clone())])
                };
                m.insert(key, value);
            }
            return Value::Object(m);
        }
        self.value(obj, &mut Vec::new())
    }

    fn bad_key(&mut self, k: &Bound<'py, PyAny>, path: &[Seg]) {
        let shown = k.repr().map(|r| r.to_string()).unwrap_or_default();
        let at = if path.is_empty() { "请求".to_owned() } else { render(path) };
        let at_en = if path.is_empty() { "the request".to_owned() } else { render(path) };
        self.err(
            ErrorCode::WrongType,
            path,
            format!("{at} 的键 {shown} 应为字符串"),
            format!("{at_en}: the key {shown} must be a string"),
        );
    }

    /// Converts one value at a path.
    pub fn value(&mut self, obj: &Bound<'py, PyAny>, path: &mut Vec<Seg>) -> Value {
        if obj.is_none() {
            return Value::Null;
        }
        if let Ok(b) = obj.cast::<PyBool>() {
            return Value::Bool(b.is_true());
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return match s.extract::<String>() {
                Ok(s) => Value::String(s),
                Err(_) => {
                    self.err(
                        ErrorCode::WrongType,
                        path,
                        format!("{} 的字符串含有无法编码为 UTF-8 的字符", render(path)),
                        format!("{}: the string has characters that cannot be encoded as UTF-8", render(path)),
                    );
                    Value::Null
                }
            };
        }
        if let Ok(i) = obj.cast::<PyInt>() {
            return self.int(i.as_any(), path);
        }
        if let Ok(f) = obj.cast::<PyFloat>() {
            return self.float(f.value(), path);
        }
        if self.depth >= MAX_DEPTH {
            self.err(
                ErrorCode::WrongType,
                path,
                format!("{} 嵌套超过 {MAX_DEPTH} 层", render(path)),
                format!("{}: nested more than {MAX_DEPTH} levels deep", render(path)),
            );
            return Value::Null;
        }
        if let Ok(d) = obj.cast::<PyDict>() {
            self.depth += 1;
            let mut m = Map::new();
            for (k, v) in d.iter() {
                self.entry(&mut m, &k, &v, path);
            }
            self.depth -= 1;
            return Value::Object(m);
        }
        if let Ok(l) = obj.cast::<PyList>() {
            return self.seq(l.iter(), path);
        }
        if let Ok(t) = obj.cast::<PyTuple>() {
            return self.seq(t.iter(), path);
        }
        let py = self.py;
        // datetime.datetime is a datetime.date: refuse it before accepting dates.
        if let Ok(dt) = cached_type(py, &DATETIME_TYPE, "datetime", "datetime") {
            if obj.is_instance(&dt).unwrap_or(false) {
                let shown = obj.str().map(|s| s.to_string()).unwrap_or_default();
                self.err(
                    ErrorCode::InvalidDate,
                    path,
                    format!("{} 的值 {shown} 是日期时间而非日期：请传 YYYY-MM-DD 或 datetime.date", render(path)),
                    format!("{}: {shown} is a datetime, not a date: pass YYYY-MM-DD or a datetime.date", render(path)),
                );
                return Value::Null;
            }
        }
        if let Ok(date) = cached_type(py, &DATE_TYPE, "datetime", "date") {
            if obj.is_instance(&date).unwrap_or(false) {
                if let Ok(s) = obj.call_method0("isoformat").and_then(|s| s.extract::<String>()) {
                    return Value::String(s);
                }
            }
        }
        // numpy scalars: numpy.bool_ and integer kinds (floats are PyFloat already).
        let tname = type_name(obj);
        if tname == "bool" || tname == "bool_" {
            if let Ok(b) = obj.is_truthy() {
                return Value::Bool(b);
            }
        }
        if obj.hasattr("__index__").unwrap_or(false) {
            if let Ok(i) = obj.call_method0("__index__") {
                return self.int(&i, path);
            }
        }
        if let Ok(mapping) = cached_type(py, &MAPPING_TYPE, "collections.abc", "Mapping") {
            if obj.is_instance(&mapping).unwrap_or(false) {
                if let Ok(items) = obj.call_method0("items").and_then(|i| i.try_iter()) {
                    self.depth += 1;
                    let mut m = Map::new();
                    for item in items.flatten() {
                        if let Ok((k, v)) = item.extract::<(Bound<'py, PyAny>, Bound<'py, PyAny>)>() {
                            self.entry(&mut m, &k, &v, path);
                        }
                    }
                    self.depth -= 1;
                    return Value::Object(m);
                }
            }
        }
        self.err(
            ErrorCode::WrongType,
            path,
            format!("{} 的值类型 {tname} 没有对应的 JSON 形式", render(path)),
            format!("{}: a value of Python type {tname} has no JSON form", render(path)),
        );
        Value::Null
    }

    fn entry(&mut self, m: &mut Map<String, Value>, k: &Bound<'py, PyAny>, v: &Bound<'py, PyAny>, path: &mut Vec<Seg>) {
        let Ok(key) = k.cast::<PyString>() else {
            self.bad_key(k, path);
            return;
        };
        let key = key.to_string_lossy().into_owned();
        path.push(Seg::Key(key.clone()));
        let value = self.value(v, path);
        path.pop();
        m.insert(key, value);
    }

    fn seq<I: Iterator<Item = Bound<'py, PyAny>>>(&mut self, items: I, path: &mut Vec<Seg>) -> Value {
        self.depth += 1;
        let mut out = Vec::new();
        for (i, x) in items.enumerate() {
            path.push(Seg::Index(i));
            out.push(self.value(&x, path));
            path.pop();
        }
        self.depth -= 1;
        Value::Array(out)
    }

    fn int(&mut self, i: &Bound<'py, PyAny>, path: &[Seg]) -> Value {
        if let Ok(n) = i.extract::<i64>() {
            return Value::Number(n.into());
        }
        if let Ok(n) = i.extract::<u64>() {
            return Value::Number(n.into());
        }
        // Past 64 bits: a number all the same (the core says it is out of range
        // where a whole number is expected, or of the wrong type elsewhere).
        match i.extract::<f64>() {
            Ok(f) if f.is_finite() => self.float(f, path),
            _ => {
                let shown = i.str().map(|s| s.to_string()).unwrap_or_default();
                let shown = if shown.chars().count() > 40 {
                    format!("{}...", shown.chars().take(37).collect::<String>())
                } else {
                    shown
                };
                self.err(
                    ErrorCode::OutOfRange,
                    path,
                    format!("{} 的值 {shown} 超出范围：数字过大", render(path)),
                    format!("{}: {shown} is out of range: the number is too large", render(path)),
                );
                Value::Null
            }
        }
    }

    fn float(&mut self, f: f64, path: &[Seg]) -> Value {
        match Number::from_f64(f) {
            Some(n) => Value::Number(n),
            None => {
                self.err(
                    ErrorCode::OutOfRange,
                    path,
                    format!("{} 的值 {f} 不是有限数（NaN 或无穷大没有 JSON 形式；缺失值请用 None）", render(path)),
                    format!(
                        "{}: {f} is not a finite number (NaN and infinities have no JSON form; use None for a missing value)",
                        render(path)
                    ),
                );
                Value::Null
            }
        }
    }
}

/// Converts a JSON value to Python objects.
pub fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(a) => {
            let l = PyList::empty(py);
            for x in a {
                l.append(to_py(py, x)?)?;
            }
            l.into_any()
        }
        Value::Object(m) => {
            let d = PyDict::new(py);
            for (k, x) in m {
                d.set_item(k, to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

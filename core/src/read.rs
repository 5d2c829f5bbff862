//! Reading requests from JSON values while collecting every error at once.
//!
//! serde stops at the first error; a form needs all of them, each with the
//! path to its field. This reader walks a `serde_json::Value`, records an
//! error for each bad field and carries on.

use crate::date::{Date, DateError};
use crate::error::{ErrorCode, FieldError};
use crate::model::Named;
use crate::tree::{Json, Obj};

/// A path to a field, built on the stack; rendered to text only on error.
#[derive(Clone, Copy)]
pub(crate) enum Loc<'a> {
    Root,
    Key(&'a Loc<'a>, &'a str),
    Index(&'a Loc<'a>, usize),
}

impl<'a> Loc<'a> {
    pub(crate) fn key(&'a self, k: &'a str) -> Loc<'a> {
        Loc::Key(self, k)
    }
    pub(crate) fn index(&'a self, i: usize) -> Loc<'a> {
        Loc::Index(self, i)
    }
    pub(crate) fn render(&self) -> String {
        let mut s = String::new();
        self.render_into(&mut s);
        s
    }
    fn render_into(&self, s: &mut String) {
        match self {
            Loc::Root => {}
            Loc::Key(p, k) => {
                p.render_into(s);
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Loc::Index(p, i) => {
                p.render_into(s);
                s.push_str(&format!("[{i}]"));
            }
        }
    }
}

/// A short rendering of a value for messages.
pub(crate) fn show(v: &Json<'_>) -> String {
    let mut s = String::new();
    if crate::json::write(&mut s, v).is_err() {
        s.clear();
    }
    if s.chars().count() > 40 {
        let cut: String = s.chars().take(37).collect();
        format!("{cut}...")
    } else {
        s
    }
}

fn type_words(v: &Json<'_>) -> (&'static str, &'static str) {
    match v {
        Json::Null => ("空值", "null"),
        Json::Bool(_) => ("布尔值", "a boolean"),
        Json::Number(_) => ("数字", "a number"),
        Json::String(_) => ("字符串", "a string"),
        Json::Array(_) => ("列表", "a list"),
        Json::Object(_) => ("对象", "an object"),
    }
}

/// Collects errors while reading.
#[derive(Default)]
pub(crate) struct Ctx {
    pub(crate) errors: Vec<FieldError>,
}

impl Ctx {
    pub(crate) fn err(&mut self, code: ErrorCode, loc: &Loc<'_>, zh: String, en: String) {
        let path = loc.render();
        self.errors.push(FieldError::at(code, &path, zh, en));
    }

    fn wrong_type(&mut self, loc: &Loc<'_>, v: &Json<'_>, want_zh: &str, want_en: &str) {
        let (gz, ge) = type_words(v);
        self.err(
            ErrorCode::WrongType,
            loc,
            format!("{} 应为{want_zh}，收到{gz} {}", loc.render(), show(v)),
            format!("{} must be {want_en}, got {ge} {}", loc.render(), show(v)),
        );
    }

    /// An object, with unknown keys reported.
    pub(crate) fn obj<'v>(&mut self, v: &'v Json<'v>, loc: &Loc<'_>, fields: &[&str]) -> Option<&'v Obj<'v>> {
        let Json::Object(m) = v else {
            self.wrong_type(loc, v, "对象", "an object");
            return None;
        };
        for k in m.keys() {
            if !fields.contains(&k) {
                let l = loc.key(k);
                self.err(
                    ErrorCode::UnknownField,
                    &l,
                    format!("未知字段 {}；允许的字段：{}", l.render(), fields.join("、")),
                    format!("unknown field {}; expected one of: {}", l.render(), fields.join(", ")),
                );
            }
        }
        Some(m)
    }

    /// A required field: missing or null is an error.
    pub(crate) fn req<'v>(&mut self, m: &'v Obj<'v>, loc: &Loc<'_>, key: &str) -> Option<&'v Json<'v>> {
        match m.get(key) {
            Some(Json::Null) | None => {
                let l = loc.key(key);
                self.err(
                    ErrorCode::MissingField,
                    &l,
                    format!("缺少必填字段 {}", l.render()),
                    format!("missing required field {}", l.render()),
                );
                None
            }
            Some(v) => Some(v),
        }
    }

    /// An optional field: null counts as absent.
    pub(crate) fn opt<'v>(m: &'v Obj<'v>, key: &str) -> Option<&'v Json<'v>> {
        match m.get(key) {
            Some(Json::Null) | None => None,
            Some(v) => Some(v),
        }
    }

    pub(crate) fn date(&mut self, v: &Json<'_>, loc: &Loc<'_>) -> Option<Date> {
        let Json::String(s) = v else {
            self.wrong_type(loc, v, "日期字符串（YYYY-MM-DD）", "a date string (YYYY-MM-DD)");
            return None;
        };
        match Date::parse(s) {
            Ok(d) => Some(d),
            Err(DateError::NoSuchDay) => {
                self.err(
                    ErrorCode::NoSuchDay,
                    loc,
                    format!("{} 的日期 {s} 在日历上不存在（如非闰年无2月29日）", loc.render()),
                    format!("{}: {s} is not a day of the calendar (e.g. 29 February outside a leap year)", loc.render()),
                );
                None
            }
            Err(_) => {
                self.err(
                    ErrorCode::InvalidDate,
                    loc,
                    format!("{} 的值 {} 不是 YYYY-MM-DD 格式的日期", loc.render(), show(v)),
                    format!("{}: {} is not a date written YYYY-MM-DD", loc.render(), show(v)),
                );
                None
            }
        }
    }

    pub(crate) fn bool(&mut self, v: &Json<'_>, loc: &Loc<'_>) -> Option<bool> {
        match v {
            Json::Bool(b) => Some(*b),
            _ => {
                self.wrong_type(loc, v, "布尔值（true 或 false）", "a boolean (true or false)");
                None
            }
        }
    }

    /// A whole number from 0 to `max`.
    pub(crate) fn uint(&mut self, v: &Json<'_>, loc: &Loc<'_>, max: u64) -> Option<u64> {
        let Json::Number(n) = v else {
            self.wrong_type(loc, v, &format!("0 到 {max} 的整数"), &format!("a whole number from 0 to {max}"));
            return None;
        };
        match n.as_u64() {
            Some(x) if x <= max => Some(x),
            _ => {
                self.err(
                    ErrorCode::OutOfRange,
                    loc,
                    format!("{} 的值 {n} 超出范围：应为 0 到 {max} 的整数", loc.render()),
                    format!("{}: {n} is out of range: expected a whole number from 0 to {max}", loc.render()),
                );
                None
            }
        }
    }

    /// A non-blank string.
    pub(crate) fn string<'v>(&mut self, v: &'v Json<'v>, loc: &Loc<'_>) -> Option<&'v str> {
        let Json::String(s) = v else {
            self.wrong_type(loc, v, "字符串", "a string");
            return None;
        };
        if s.trim().is_empty() {
            self.err(
                ErrorCode::Empty,
                loc,
                format!("{} 不得为空", loc.render()),
                format!("{} must not be blank", loc.render()),
            );
            return None;
        }
        Some(s)
    }

    /// One of a fixed list of names.
    pub(crate) fn named<T: Named>(&mut self, v: &Json<'_>, loc: &Loc<'_>) -> Option<T> {
        let Json::String(s) = v else {
            self.wrong_type(loc, v, &format!("{}名称", T::WHAT.0), &format!("the name of a {}", T::WHAT.1));
            return None;
        };
        match T::from_name(s) {
            Some(x) => Some(x),
            None => {
                self.err(
                    ErrorCode::UnknownValue,
                    loc,
                    format!("{} 的值 {} 不是有效的{}；应为：{}", loc.render(), show(v), T::WHAT.0, T::names()),
                    format!("{}: {} is not a {}; expected one of: {}", loc.render(), show(v), T::WHAT.1, T::names()),
                );
                None
            }
        }
    }

    /// One of a list of keys given at run time (a rulebook's categories).
    pub(crate) fn key_of<'k>(&mut self, v: &Json<'_>, loc: &Loc<'_>, what: (&str, &str), keys: &[&'k str]) -> Option<&'k str> {
        let Json::String(s) = v else {
            self.wrong_type(loc, v, what.0, what.1);
            return None;
        };
        if let Some(k) = keys.iter().find(|k| **k == s.as_ref()) {
            return Some(k);
        }
        self.err(
            ErrorCode::UnknownValue,
            loc,
            format!("{} 的值 {} 不是有效的{}；应为：{}", loc.render(), show(v), what.0, keys.join("、")),
            format!("{}: {} is not a {}; expected one of: {}", loc.render(), show(v), what.1, keys.join(", ")),
        );
        None
    }

    pub(crate) fn array<'v>(&mut self, v: &'v Json<'v>, loc: &Loc<'_>) -> Option<&'v Vec<Json<'v>>> {
        match v {
            Json::Array(a) => Some(a),
            _ => {
                self.wrong_type(loc, v, "列表", "a list");
                None
            }
        }
    }
}

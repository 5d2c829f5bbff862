//! The columnar batch path: Arrow columns in, one typed `review` request per
//! row built in Rust (no Python object per row), evaluated with
//! `explain: false`, Arrow columns out. A bad row gives its errors in the
//! `errors` column; every other row is evaluated; order is kept.
//!
//! This module only marshals. The one piece that repeats the core is the
//! reading of fields (types, names, dates, the cross-field checks of
//! `core/src/requests.rs` such as a review before its listing date): the core
//! does those checks while reading JSON and has no entry point for a typed
//! request, so they are repeated here, and `py/tests/test_batch.py` checks
//! row by row that this path and the JSON call layer agree.

use arrow_array::builder::{ArrayBuilder, BooleanBuilder, Date32Builder, StringBuilder, UInt8Builder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Date64Type, Float64Type, Int64Type, UInt64Type};
use arrow_array::{Array, ArrayRef, BooleanArray, LargeStringArray, ListArray, PrimitiveArray, RecordBatch, StructArray};
use arrow_buffer::{NullBufferBuilder, OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef, TimeUnit};
use jindu::{
    Application, Area, ConditionInput, ConsequenceFacts, ConsequencesRequest, Date, DateError, ErrorCode, FieldError, Issuer, Level, Listing, ListingStatus,
    Named, Official, Options, ReviewFacts, ReviewRequest, Role, Rulebook, Tier,
};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The rulebook's delisting conditions (第十四条). The one place that reaches
/// into the rulebook's structure for them.
/// (A macro: the core does not re-export the condition type by name.)
macro_rules! condition_defs {
    ($rb:expr) => {
        &$rb.delisting().conditions
    };
}

// ---------------------------------------------------------------- the column contract

/// What a column holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// A non-blank string.
    Text,
    /// One of a fixed list of names (a tier, a level…).
    Name,
    /// A date: Arrow date32/date64, a timestamp at midnight without time zone, or `YYYY-MM-DD` text.
    Date,
    /// A boolean; null means not supplied.
    Bool,
    /// A whole number from 0 to 255 (integers, or floats with no fraction: pandas' NaN makes int columns float).
    Count,
    /// Problem categories: a list of strings, or one string of keys separated by commas.
    Categories,
    /// Officials: a list of structs {name, role, in_post_since, neglect_led_to_severity}.
    Officials,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Text => "string",
            Kind::Name => "name",
            Kind::Date => "date",
            Kind::Bool => "bool",
            Kind::Count => "count",
            Kind::Categories => "list[string]",
            Kind::Officials => "list[struct]",
        }
    }
}

/// Which field a column fills.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Role2 {
    Area,
    AreaId,
    Level,
    IssuerLevel,
    IssuerName,
    ListingId,
    Tier,
    Categories,
    ListedOn,
    Deadline,
    Extensions,
    Status,
    ReviewOn,
    GoalMet,
    Special,
    Negligence,
    Application,
    Officials,
    FailedAnnual,
    Cond(usize),
    Sub(usize, usize),
}

struct Fixed {
    name: &'static str,
    role: Role2,
    kind: Kind,
    required: bool,
    path: &'static str,
    doc: &'static str,
}

const FIXED: &[Fixed] = &[
    Fixed {
        name: "area",
        role: Role2::Area,
        kind: Kind::Text,
        required: true,
        path: "listing.area.name",
        doc: "the area's name (三湖镇)",
    },
    Fixed {
        name: "level",
        role: Role2::Level,
        kind: Kind::Name,
        required: true,
        path: "listing.area.level",
        doc: "its administrative level: township, village, ...",
    },
    Fixed {
        name: "issuer_level",
        role: Role2::IssuerLevel,
        kind: Kind::Name,
        required: true,
        path: "listing.issuer.level",
        doc: "the listing committee's level (county lists townships)",
    },
    Fixed {
        name: "tier",
        role: Role2::Tier,
        kind: Kind::Name,
        required: true,
        path: "listing.tier",
        doc: "the tier before the review: supervise, rectify (watch where a rulebook has it)",
    },
    Fixed {
        name: "listed_on",
        role: Role2::ListedOn,
        kind: Kind::Date,
        required: true,
        path: "listing.listed_on",
        doc: "the day of the listing decision",
    },
    Fixed {
        name: "review_on",
        role: Role2::ReviewOn,
        kind: Kind::Date,
        required: true,
        path: "on",
        doc: "the day of the review",
    },
    Fixed {
        name: "area_id",
        role: Role2::AreaId,
        kind: Kind::Text,
        required: false,
        path: "listing.area.id",
        doc: "the caller's id of the area (an administrative code)",
    },
    Fixed {
        name: "issuer_name",
        role: Role2::IssuerName,
        kind: Kind::Text,
        required: false,
        path: "listing.issuer.name",
        doc: "the listing committee's name",
    },
    Fixed {
        name: "listing_id",
        role: Role2::ListingId,
        kind: Kind::Text,
        required: false,
        path: "listing.id",
        doc: "the caller's id of the listing",
    },
    Fixed {
        name: "categories",
        role: Role2::Categories,
        kind: Kind::Categories,
        required: false,
        path: "listing.categories",
        doc: "problem categories (第十条), rulebook keys",
    },
    Fixed {
        name: "deadline",
        role: Role2::Deadline,
        kind: Kind::Date,
        required: false,
        path: "listing.deadline",
        doc: "the current last day of the term; computed when null",
    },
    Fixed {
        name: "extensions_used",
        role: Role2::Extensions,
        kind: Kind::Count,
        required: false,
        path: "listing.extensions_used",
        doc: "extensions already granted; 0 when null",
    },
    Fixed {
        name: "status",
        role: Role2::Status,
        kind: Kind::Name,
        required: false,
        path: "listing.status",
        doc: "active, extended, continued; active when null",
    },
    Fixed {
        name: "goal_met",
        role: Role2::GoalMet,
        kind: Kind::Bool,
        required: false,
        path: "facts.goal_met",
        doc: "whether the rectification goal is met (null: not supplied)",
    },
    Fixed {
        name: "special_circumstances",
        role: Role2::Special,
        kind: Kind::Bool,
        required: false,
        path: "facts.special_circumstances",
        doc: "special circumstances (第十三条)",
    },
    Fixed {
        name: "negligence",
        role: Role2::Negligence,
        kind: Kind::Bool,
        required: false,
        path: "facts.negligence",
        doc: "missed through negligence (第三十一条)",
    },
    Fixed {
        name: "application",
        role: Role2::Application,
        kind: Kind::Name,
        required: false,
        path: "application",
        doc: "what the area applies for: extend, lower, cancel",
    },
    Fixed {
        name: "officials",
        role: Role2::Officials,
        kind: Kind::Officials,
        required: false,
        path: "officials",
        doc: "the officials: list of {name, role, in_post_since, neglect_led_to_severity}",
    },
    Fixed {
        name: "failed_annual_assessment",
        role: Role2::FailedAnnual,
        kind: Kind::Bool,
        required: false,
        path: "consequences.facts.failed_annual_assessment",
        doc: "failed the annual assessment (第三十二条); used with consequences=True",
    },
];

/// One column of the contract, for documentation and `jindu.batch_columns()`.
pub struct ColumnDoc {
    pub name: String,
    pub kind: &'static str,
    pub required: bool,
    pub path: String,
    pub doc: String,
}

/// The input column contract under a rulebook.
pub fn contract(rb: &Rulebook) -> Vec<ColumnDoc> {
    let mut out: Vec<ColumnDoc> = FIXED
        .iter()
        .map(|f| ColumnDoc {
            name: f.name.to_owned(),
            kind: f.kind.word(),
            required: f.required,
            path: f.path.to_owned(),
            doc: f.doc.to_owned(),
        })
        .collect();
    for c in condition_defs!(rb) {
        out.push(ColumnDoc {
            name: format!("conditions.{}", c.key),
            kind: "bool",
            required: false,
            path: format!("facts.conditions.{}", c.key),
            doc: format!("delisting condition {} ({}) as a whole", c.key, c.rule),
        });
        for s in &c.sub_points {
            out.push(ColumnDoc {
                name: format!("conditions.{}.{}", c.key, s.key),
                kind: "bool",
                required: false,
                path: format!("facts.conditions.{}.{}", c.key, s.key),
                doc: format!("sub-point {}: {}", s.key, s.text.en),
            });
        }
    }
    out
}

// ---------------------------------------------------------------- reading cells

/// A cell, whatever its column type.
enum Cell<'a> {
    Null,
    Str(Cow<'a, str>),
    Bool(bool),
    Int(i128),
    Float(f64),
    Date(Date),
    /// A date column value that is no date (out of range, or a time of day).
    BadDate(ErrorCode, String, String),
    /// A list or an object (from a JSON-encoded cell).
    Json(Value),
    /// A value of an Arrow type the field cannot hold.
    Other(String),
}

fn show_json(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        let cut: String = s.chars().take(37).collect();
        format!("{cut}...")
    } else {
        s
    }
}

impl Cell<'_> {
    /// The type words and shown value, as the core's messages write them.
    fn describe(&self) -> (&'static str, &'static str, String) {
        match self {
            Cell::Null => ("空值", "null", "null".to_owned()),
            Cell::Str(s) => ("字符串", "a string", show_json(&Value::String(s.to_string()))),
            Cell::Bool(b) => ("布尔值", "a boolean", b.to_string()),
            Cell::Int(i) => ("数字", "a number", i.to_string()),
            Cell::Float(f) => ("数字", "a number", f.to_string()),
            Cell::Date(d) => ("日期", "a date", d.to_string()),
            Cell::BadDate(..) => ("日期", "a date", String::new()),
            Cell::Json(v) => match v {
                Value::Array(_) => ("列表", "a list", show_json(v)),
                Value::Object(_) => ("对象", "an object", show_json(v)),
                _ => ("值", "a value", show_json(v)),
            },
            Cell::Other(t) => ("其他类型的值", "a value of Arrow type", t.clone()),
        }
    }
}

fn json_cell(v: Value) -> Cell<'static> {
    match v {
        Value::Null => Cell::Null,
        Value::Bool(b) => Cell::Bool(b),
        Value::String(s) => Cell::Str(Cow::Owned(s)),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Cell::Int(i128::from(i))
            } else if let Some(u) = n.as_u64() {
                Cell::Int(i128::from(u))
            } else {
                Cell::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        v => Cell::Json(v),
    }
}

/// A column, normalised once per batch.
enum Col {
    Absent,
    Str(LargeStringArray),
    Bool(BooleanArray),
    Date32(PrimitiveArray<Date32Type>),
    Date64(PrimitiveArray<Date64Type>),
    Timestamp(PrimitiveArray<arrow_array::types::TimestampNanosecondType>, i64, bool),
    Int(PrimitiveArray<Int64Type>),
    UInt(PrimitiveArray<UInt64Type>),
    Float(PrimitiveArray<Float64Type>),
    /// JSON text per cell (pandas object columns of mixed Python types).
    Json(LargeStringArray),
    /// Categories as a list of strings.
    StrList(Vec<i64>, LargeStringArray, Option<arrow_buffer::NullBuffer>),
    Officials(Box<OfficialsCol>),
    Other(ArrayRef),
}

struct OfficialsCol {
    offsets: Vec<i64>,
    nulls: Option<arrow_buffer::NullBuffer>,
    name: Col,
    role: Col,
    since: Col,
    neglect: Col,
}

fn cast(a: &ArrayRef, to: &DataType) -> Option<ArrayRef> {
    arrow_cast::cast(a, to).ok()
}

fn is_stringish(t: &DataType) -> bool {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, v) => is_stringish(v),
        _ => false,
    }
}

fn norm_scalar(a: &ArrayRef, json: bool) -> Col {
    let t = a.data_type();
    if json && is_stringish(t) {
        if let Some(c) = cast(a, &DataType::LargeUtf8) {
            return Col::Json(c.as_string::<i64>().clone());
        }
    }
    match t {
        t if is_stringish(t) => match cast(a, &DataType::LargeUtf8) {
            Some(c) => Col::Str(c.as_string::<i64>().clone()),
            None => Col::Other(a.clone()),
        },
        DataType::Boolean => Col::Bool(a.as_boolean().clone()),
        DataType::Date32 => Col::Date32(a.as_primitive::<Date32Type>().clone()),
        DataType::Date64 => Col::Date64(a.as_primitive::<Date64Type>().clone()),
        DataType::Timestamp(unit, tz) => {
            let per_day: i64 = match unit {
                TimeUnit::Second => 86_400,
                TimeUnit::Millisecond => 86_400_000,
                TimeUnit::Microsecond => 86_400_000_000,
                TimeUnit::Nanosecond => 86_400_000_000_000,
            };
            match cast(a, &DataType::Int64) {
                Some(c) => Col::Timestamp(
                    c.as_primitive::<Int64Type>().reinterpret_cast::<arrow_array::types::TimestampNanosecondType>(),
                    per_day,
                    tz.is_some(),
                ),
                None => Col::Other(a.clone()),
            }
        }
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 | DataType::UInt8 | DataType::UInt16 | DataType::UInt32 => {
            match cast(a, &DataType::Int64) {
                Some(c) => Col::Int(c.as_primitive::<Int64Type>().clone()),
                None => Col::Other(a.clone()),
            }
        }
        DataType::UInt64 => Col::UInt(a.as_primitive::<UInt64Type>().clone()),
        DataType::Float16 | DataType::Float32 | DataType::Float64 => match cast(a, &DataType::Float64) {
            Some(c) => Col::Float(c.as_primitive::<Float64Type>().clone()),
            None => Col::Other(a.clone()),
        },
        DataType::Null => Col::Absent,
        _ => Col::Other(a.clone()),
    }
}

fn list_parts(a: &ArrayRef) -> Option<(Vec<i64>, ArrayRef, Option<arrow_buffer::NullBuffer>)> {
    match a.data_type() {
        DataType::List(_) => {
            let l = a.as_list::<i32>();
            Some((l.offsets().iter().map(|&o| i64::from(o)).collect(), l.values().clone(), l.nulls().cloned()))
        }
        DataType::LargeList(_) => {
            let l = a.as_list::<i64>();
            Some((l.offsets().iter().copied().collect(), l.values().clone(), l.nulls().cloned()))
        }
        DataType::ListView(_) | DataType::LargeListView(_) | DataType::FixedSizeList(..) => {
            let c = cast(a, &DataType::LargeList(Arc::new(Field::new("item", list_item_type(a), true))))?;
            list_parts(&c)
        }
        _ => None,
    }
}

fn list_item_type(a: &ArrayRef) -> DataType {
    match a.data_type() {
        DataType::ListView(f) | DataType::LargeListView(f) | DataType::FixedSizeList(f, _) => f.data_type().clone(),
        _ => DataType::Null,
    }
}

fn norm_categories(a: &ArrayRef, json: bool) -> Col {
    if let Some((offsets, values, nulls)) = list_parts(a) {
        if is_stringish(values.data_type()) || values.data_type() == &DataType::Null {
            if let Some(v) = cast(&values, &DataType::LargeUtf8) {
                return Col::StrList(offsets, v.as_string::<i64>().clone(), nulls);
            }
        }
        return Col::Other(a.clone());
    }
    norm_scalar(a, json)
}

/// Frame-level problems with the struct fields of `officials`.
fn norm_officials(a: &ArrayRef, json: bool, problems: &mut Vec<FieldError>) -> Col {
    let Some((offsets, values, nulls)) = list_parts(a) else {
        return norm_scalar(a, json);
    };
    let DataType::Struct(fields) = values.data_type() else {
        return Col::Other(a.clone());
    };
    let s: &StructArray = values.as_struct();
    const KNOWN: [&str; 4] = ["name", "role", "in_post_since", "neglect_led_to_severity"];
    for f in fields {
        if !KNOWN.contains(&f.name().as_str()) {
            problems.push(FieldError::at(
                ErrorCode::UnknownField,
                &format!("officials.{}", f.name()),
                format!("列 officials 的结构含未知字段 {}；允许：{}", f.name(), KNOWN.join("、")),
                format!("column officials has an unknown struct field {}; expected: {}", f.name(), KNOWN.join(", ")),
            ));
        }
    }
    let child = |n: &str| s.column_by_name(n).map_or(Col::Absent, |c| norm_scalar(c, false));
    Col::Officials(Box::new(OfficialsCol {
        offsets,
        nulls,
        name: child("name"),
        role: child("role"),
        since: child("in_post_since"),
        neglect: child("neglect_led_to_severity"),
    }))
}

fn date_from_days(days: i64) -> Cell<'static> {
    match Date::from_days(days) {
        Ok(d) => Cell::Date(d),
        Err(_) => Cell::BadDate(
            ErrorCode::OutOfRange,
            "日期超出支持范围（公元1年至9999年）".to_owned(),
            "the date falls outside years 1 to 9999".to_owned(),
        ),
    }
}

impl Col {
    fn cell(&self, i: usize) -> Cell<'_> {
        match self {
            Col::Absent => Cell::Null,
            Col::Str(a) => {
                if a.is_null(i) {
                    Cell::Null
                } else {
                    Cell::Str(Cow::Borrowed(a.value(i)))
                }
            }
            Col::Json(a) => {
                if a.is_null(i) {
                    Cell::Null
                } else {
                    match serde_json::from_str::<Value>(a.value(i)) {
                        Ok(v) => json_cell(v),
                        Err(_) => Cell::Str(Cow::Borrowed(a.value(i))),
                    }
                }
            }
            Col::Bool(a) => {
                if a.is_null(i) {
                    Cell::Null
                } else {
                    Cell::Bool(a.value(i))
                }
            }
            Col::Date32(a) => {
                if a.is_null(i) {
                    Cell::Null
                } else {
                    date_from_days(i64::from(a.value(i)))
                }
            }
            Col::Date64(a) => {
                if a.is_null(i) {
                    Cell::Null
                } else {
                    let ms = a.value(i);
                    if ms.rem_euclid(86_400_000) != 0 {
                        Cell::BadDate(
                            ErrorCode::InvalidDate,
                            "带有时刻，不是日期".to_owned(),
                            "has a time of day: not a date".to_owned(),
                        )
                    } else {
                        date_from_days(ms.div_euclid(86_400_000))
                    }
                }
            }
            Col::Timestamp(a, per_day, tz) => {
                if a.is_null(i) {
                    Cell::Null
                } else if *tz {
                    Cell::BadDate(
                        ErrorCode::InvalidDate,
                        "带时区的时间戳不是日期".to_owned(),
                        "a timestamp with a time zone is not a date".to_owned(),
                    )
                } else {
                    let v = a.value(i);
                    if v.rem_euclid(*per_day) != 0 {
                        Cell::BadDate(
                            ErrorCode::InvalidDate,
                            "带有时刻，不是日期".to_owned(),
                            "has a time of day: not a date".to_owned(),
                        )
                    } else {
                        date_from_days(v.div_euclid(*per_day))
                    }
                }
            }
            Col::Int(a) => {
                if a.is_null(i) {
                    Cell::Null
                } else {
                    Cell::Int(i128::from(a.value(i)))
                }
            }
            Col::UInt(a) => {
                if a.is_null(i) {
                    Cell::Null
                } else {
                    Cell::Int(i128::from(a.value(i)))
                }
            }
            Col::Float(a) => {
                if a.is_null(i) || a.value(i).is_nan() {
                    Cell::Null
                } else {
                    Cell::Float(a.value(i))
                }
            }
            Col::StrList(_, _, nulls) => {
                if nulls.as_ref().is_some_and(|n| n.is_null(i)) {
                    Cell::Null
                } else {
                    Cell::Other("list".to_owned())
                }
            }
            Col::Officials(o) => {
                if o.nulls.as_ref().is_some_and(|n| n.is_null(i)) {
                    Cell::Null
                } else {
                    Cell::Other("list".to_owned())
                }
            }
            Col::Other(a) => {
                if a.is_null(i) {
                    Cell::Null
                } else {
                    Cell::Other(a.data_type().to_string())
                }
            }
        }
    }
}

// ---------------------------------------------------------------- reading a row

/// One error of one row.
#[derive(Clone, Debug)]
pub struct RowError {
    pub code: &'static str,
    pub path: String,
    pub column: Option<String>,
    pub zh: String,
    pub en: String,
}

impl RowError {
    fn from_field(e: &FieldError, prefix: &str) -> RowError {
        let path = if prefix.is_empty() { e.path.clone() } else { format!("{prefix}{}", e.path) };
        RowError {
            code: e.code.as_str(),
            column: column_of_path(&e.path),
            path,
            zh: e.msg_zh.clone(),
            en: e.msg_en.clone(),
        }
    }
}

/// The column a request path comes from, where one does.
fn column_of_path(path: &str) -> Option<String> {
    if let Some(rest) = path.strip_prefix("facts.conditions.") {
        return Some(format!("conditions.{rest}"));
    }
    let base = path.split('[').next().unwrap_or(path);
    FIXED
        .iter()
        .find(|f| f.path == base || (f.role == Role2::Officials && base.starts_with("officials")))
        .map(|f| f.name.to_owned())
}

struct Rd<'c> {
    errors: Vec<RowError>,
    column: &'c str,
}

type Got<T> = Result<Option<T>, ()>;

impl<'c> Rd<'c> {
    fn at(&mut self, column: &'c str) -> &mut Self {
        self.column = column;
        self
    }

    fn err(&mut self, code: ErrorCode, path: &str, zh: String, en: String) {
        self.errors.push(RowError {
            code: code.as_str(),
            path: path.to_owned(),
            column: if self.column.is_empty() { None } else { Some(self.column.to_owned()) },
            zh,
            en,
        });
    }

    fn wrong(&mut self, c: &Cell<'_>, path: &str, want_zh: &str, want_en: &str) {
        let (gz, ge, shown) = c.describe();
        self.err(
            ErrorCode::WrongType,
            path,
            format!("{path} 应为{want_zh}，收到{gz} {shown}"),
            format!("{path} must be {want_en}, got {ge} {shown}"),
        );
    }

    fn missing(&mut self, path: &str) {
        self.err(
            ErrorCode::MissingField,
            path,
            format!("缺少必填字段 {path}"),
            format!("missing required field {path}"),
        );
    }

    fn required<T>(&mut self, got: Got<T>, path: &str) -> Option<T> {
        match got {
            Ok(Some(v)) => Some(v),
            Ok(None) => {
                self.missing(path);
                None
            }
            Err(()) => None,
        }
    }

    fn text(&mut self, c: &Cell<'_>, path: &str) -> Got<String> {
        match c {
            Cell::Null => Ok(None),
            Cell::Str(s) => {
                if s.trim().is_empty() {
                    self.err(ErrorCode::Empty, path, format!("{path} 不得为空"), format!("{path} must not be blank"));
                    Err(())
                } else {
                    Ok(Some(s.to_string()))
                }
            }
            _ => {
                self.wrong(c, path, "字符串", "a string");
                Err(())
            }
        }
    }

    fn name<T: Named>(&mut self, c: &Cell<'_>, path: &str) -> Got<T> {
        match c {
            Cell::Null => Ok(None),
            Cell::Str(s) => match T::from_name(s) {
                Some(v) => Ok(Some(v)),
                None => {
                    let shown = show_json(&Value::String(s.to_string()));
                    self.err(
                        ErrorCode::UnknownValue,
                        path,
                        format!("{path} 的值 {shown} 不是有效的{}；应为：{}", T::WHAT.0, T::names()),
                        format!("{path}: {shown} is not a {}; expected one of: {}", T::WHAT.1, T::names()),
                    );
                    Err(())
                }
            },
            _ => {
                self.wrong(c, path, &format!("{}名称", T::WHAT.0), &format!("the name of a {}", T::WHAT.1));
                Err(())
            }
        }
    }

    fn date(&mut self, c: &Cell<'_>, path: &str) -> Got<Date> {
        match c {
            Cell::Null => Ok(None),
            Cell::Date(d) => Ok(Some(*d)),
            Cell::BadDate(code, zh, en) => {
                self.err(*code, path, format!("{path}：{zh}"), format!("{path}: {en}"));
                Err(())
            }
            Cell::Str(s) => match Date::parse(s) {
                Ok(d) => Ok(Some(d)),
                Err(DateError::NoSuchDay) => {
                    self.err(
                        ErrorCode::NoSuchDay,
                        path,
                        format!("{path} 的日期 {s} 在日历上不存在（如非闰年无2月29日）"),
                        format!("{path}: {s} is not a day of the calendar (e.g. 29 February outside a leap year)"),
                    );
                    Err(())
                }
                Err(_) => {
                    let shown = show_json(&Value::String(s.to_string()));
                    self.err(
                        ErrorCode::InvalidDate,
                        path,
                        format!("{path} 的值 {shown} 不是 YYYY-MM-DD 格式的日期"),
                        format!("{path}: {shown} is not a date written YYYY-MM-DD"),
                    );
                    Err(())
                }
            },
            _ => {
                self.wrong(c, path, "日期字符串（YYYY-MM-DD）", "a date string (YYYY-MM-DD)");
                Err(())
            }
        }
    }

    fn bool(&mut self, c: &Cell<'_>, path: &str) -> Got<bool> {
        match c {
            Cell::Null => Ok(None),
            Cell::Bool(b) => Ok(Some(*b)),
            _ => {
                self.wrong(c, path, "布尔值（true 或 false）", "a boolean (true or false)");
                Err(())
            }
        }
    }

    fn count(&mut self, c: &Cell<'_>, path: &str) -> Got<u8> {
        const MAX: u64 = 255;
        let out_of_range = |rd: &mut Self, shown: String| {
            rd.err(
                ErrorCode::OutOfRange,
                path,
                format!("{path} 的值 {shown} 超出范围：应为 0 到 {MAX} 的整数"),
                format!("{path}: {shown} is out of range: expected a whole number from 0 to {MAX}"),
            );
            Err(())
        };
        match c {
            Cell::Null => Ok(None),
            Cell::Int(i) => match u8::try_from(*i) {
                Ok(v) => Ok(Some(v)),
                Err(_) => out_of_range(self, i.to_string()),
            },
            Cell::Float(f) => {
                if f.is_finite() && f.fract() == 0.0 && *f >= 0.0 && *f <= 255.0 {
                    Ok(Some(*f as u8))
                } else {
                    out_of_range(self, f.to_string())
                }
            }
            _ => {
                self.wrong(c, path, &format!("0 到 {MAX} 的整数"), &format!("a whole number from 0 to {MAX}"));
                Err(())
            }
        }
    }
}

// ---------------------------------------------------------------- the frame

/// The columns of one condition: the whole column, and the (sub-point, column) pairs.
type CondCols = (Option<usize>, Vec<(usize, usize)>);

/// A batch's columns, resolved against the contract.
pub struct Frame {
    n: usize,
    cols: Vec<(String, Role2, Col)>,
    /// Per condition of the rulebook: the whole column, and the sub-point columns.
    conds: Vec<CondCols>,
    fixed: [Option<usize>; 19],
    /// The request path of each condition column (by column index), made once.
    paths: Vec<String>,
    /// The rulebook's category keys.
    category_keys: Vec<String>,
}

/// A slot per fixed role (the order of `Role2`), for direct lookup.
fn fixed_index(role: Role2) -> Option<usize> {
    Some(match role {
        Role2::Area => 0,
        Role2::AreaId => 1,
        Role2::Level => 2,
        Role2::IssuerLevel => 3,
        Role2::IssuerName => 4,
        Role2::ListingId => 5,
        Role2::Tier => 6,
        Role2::Categories => 7,
        Role2::ListedOn => 8,
        Role2::Deadline => 9,
        Role2::Extensions => 10,
        Role2::Status => 11,
        Role2::ReviewOn => 12,
        Role2::GoalMet => 13,
        Role2::Special => 14,
        Role2::Negligence => 15,
        Role2::Application => 16,
        Role2::Officials => 17,
        Role2::FailedAnnual => 18,
        Role2::Cond(_) | Role2::Sub(..) => return None,
    })
}

/// How to treat columns outside the contract.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Extra {
    Error,
    Ignore,
}

/// Resolves a batch's columns. Frame-level problems (an unknown or missing
/// column, a condition given both whole and by sub-point) come back as errors
/// for the whole call.
pub fn resolve(rb: &Rulebook, schema: &Schema, extra: Extra, json_columns: &[String]) -> Result<Vec<(String, Role2)>, Vec<FieldError>> {
    let mut problems = Vec::new();
    let defs = condition_defs!(rb);
    let mut out = Vec::new();
    let mut whole = vec![false; defs.len()];
    let mut subs = vec![false; defs.len()];
    for f in schema.fields() {
        let name = f.name().as_str();
        let role = if let Some(fx) = FIXED.iter().find(|x| x.name == name) {
            Some(fx.role)
        } else if let Some(rest) = name.strip_prefix("conditions.") {
            let mut parts = rest.splitn(2, '.');
            let key = parts.next().unwrap_or("");
            let sub = parts.next();
            defs.iter().position(|d| d.key == key).and_then(|ci| match sub {
                None => {
                    if let Some(w) = whole.get_mut(ci) {
                        *w = true;
                    }
                    Some(Role2::Cond(ci))
                }
                Some(s) => defs.get(ci).and_then(|d| d.sub_points.iter().position(|p| p.key == s)).map(|si| {
                    if let Some(x) = subs.get_mut(ci) {
                        *x = true;
                    }
                    Role2::Sub(ci, si)
                }),
            })
        } else {
            None
        };
        match role {
            Some(r) => {
                if out.iter().any(|(n, _): &(String, Role2)| n == name) {
                    problems.push(FieldError::at(
                        ErrorCode::Duplicate,
                        name,
                        format!("列 {name} 出现了两次"),
                        format!("column {name} appears twice"),
                    ));
                }
                out.push((name.to_owned(), r));
            }
            None if extra == Extra::Ignore => {}
            None => {
                let cond_keys: Vec<String> = defs.iter().map(|d| format!("conditions.{}", d.key)).collect();
                problems.push(FieldError::at(
                    ErrorCode::UnknownField,
                    name,
                    format!(
                        "未知列 {name}；允许的列：{}、{}（及各分项 conditions.<条件>.<分项>）；要忽略其他列请传 extra=\"ignore\"",
                        FIXED.iter().map(|f| f.name).collect::<Vec<_>>().join("、"),
                        cond_keys.join("、")
                    ),
                    format!(
                        "unknown column {name}; expected: {}, {} (and sub-points conditions.<condition>.<sub_point>); pass extra=\"ignore\" to skip other columns",
                        FIXED.iter().map(|f| f.name).collect::<Vec<_>>().join(", "),
                        cond_keys.join(", ")
                    ),
                ));
            }
        }
    }
    for f in FIXED.iter().filter(|f| f.required) {
        if !out.iter().any(|(n, _)| n == f.name) {
            problems.push(FieldError::at(
                ErrorCode::MissingField,
                f.name,
                format!("缺少必需的列 {}（{}）", f.name, f.path),
                format!("missing required column {} ({})", f.name, f.path),
            ));
        }
    }
    for (ci, d) in defs.iter().enumerate() {
        if whole.get(ci).copied().unwrap_or(false) && subs.get(ci).copied().unwrap_or(false) {
            problems.push(FieldError::at(
                ErrorCode::Inconsistent,
                &format!("conditions.{}", d.key),
                format!("条件 {} 同时以整列与分项列给出：只能选其一", d.key),
                format!("condition {} is given both as a whole column and by sub-point columns: choose one", d.key),
            ));
        }
    }
    for j in json_columns {
        if !out.iter().any(|(n, _)| n == j) && extra == Extra::Error {
            problems.push(FieldError::at(
                ErrorCode::UnknownField,
                j,
                format!("json_columns 中的列 {j} 不在数据中"),
                format!("json_columns names {j}, which is not a column of the data"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

impl Frame {
    /// Normalises one record batch's columns.
    pub fn new(rb: &Rulebook, batch: &RecordBatch, roles: &[(String, Role2)], json_columns: &[String]) -> Result<Frame, Vec<FieldError>> {
        let defs = condition_defs!(rb);
        let mut problems = Vec::new();
        let mut cols = Vec::with_capacity(roles.len());
        let mut fixed = [None; 19];
        let mut conds: Vec<CondCols> = defs.iter().map(|_| (None, Vec::new())).collect();
        for (name, role) in roles {
            let Some(a) = batch.column_by_name(name) else { continue };
            let json = json_columns.iter().any(|j| j == name);
            let col = match role {
                Role2::Categories => norm_categories(a, json),
                Role2::Officials => norm_officials(a, json, &mut problems),
                _ => norm_scalar(a, json),
            };
            let ix = cols.len();
            match role {
                Role2::Cond(ci) => {
                    if let Some(c) = conds.get_mut(*ci) {
                        c.0 = Some(ix);
                    }
                }
                Role2::Sub(ci, si) => {
                    if let Some(c) = conds.get_mut(*ci) {
                        c.1.push((*si, ix));
                    }
                }
                r => {
                    if let Some(fi) = fixed_index(*r) {
                        if let Some(slot) = fixed.get_mut(fi) {
                            *slot = Some(ix);
                        }
                    }
                }
            }
            cols.push((name.clone(), *role, col));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let paths = cols
            .iter()
            .map(|(name, role, _)| match role {
                Role2::Cond(_) | Role2::Sub(..) => format!("facts.{name}"),
                _ => String::new(),
            })
            .collect();
        Ok(Frame {
            n: batch.num_rows(),
            cols,
            conds,
            fixed,
            paths,
            category_keys: rb.file().categories.iter().map(|c| c.key.clone()).collect(),
        })
    }

    /// Rows in the batch.
    pub fn len(&self) -> usize {
        self.n
    }

    fn col(&self, role: Role2) -> (&str, &Col) {
        const ABSENT: Col = Col::Absent;
        match fixed_index(role)
            .and_then(|fi| self.fixed.get(fi).copied().flatten())
            .and_then(|ix| self.cols.get(ix))
        {
            Some((n, _, c)) => (n.as_str(), c),
            None => ("", &ABSENT),
        }
    }

    fn cell(&self, role: Role2, i: usize) -> (&str, Cell<'_>) {
        let (n, c) = self.col(role);
        (n, c.cell(i))
    }
}

/// A row read: the request, and the consequences facts.
struct RowIn {
    req: ReviewRequest,
    failed_annual: Option<bool>,
}

fn read_categories<'c, 'a>(rd: &mut Rd<'c>, category_keys: &[String], col: &'a Col, i: usize, path: &str) -> Result<Vec<String>, ()> {
    if matches!(col, Col::Absent) {
        return Ok(Vec::new());
    }
    let keys: Vec<&str> = category_keys.iter().map(String::as_str).collect();
    let mut cells: Vec<Cell<'a>> = Vec::new();
    match col {
        Col::Absent => return Ok(Vec::new()),
        Col::StrList(offsets, values, nulls) => {
            if nulls.as_ref().is_some_and(|n| n.is_null(i)) {
                return Ok(Vec::new());
            }
            let (Some(&a), Some(&b)) = (offsets.get(i), offsets.get(i + 1)) else {
                return Ok(Vec::new());
            };
            for j in a..b {
                let j = usize::try_from(j).unwrap_or(0);
                cells.push(if values.is_null(j) {
                    Cell::Null
                } else {
                    Cell::Str(Cow::Borrowed(values.value(j)))
                });
            }
        }
        Col::Str(a) => {
            if a.is_null(i) {
                return Ok(Vec::new());
            }
            for part in a.value(i).split([',', '，', '、']) {
                let p = part.trim();
                if !p.is_empty() {
                    cells.push(Cell::Str(Cow::Borrowed(p)));
                }
            }
        }
        other => match other.cell(i) {
            Cell::Null => return Ok(Vec::new()),
            Cell::Json(Value::Array(items)) => cells.extend(items.into_iter().map(|v| -> Cell<'a> { json_cell(v) })),
            c => {
                rd.wrong(&c, path, "列表", "a list");
                return Err(());
            }
        },
    }
    let before = rd.errors.len();
    let mut out: Vec<String> = Vec::with_capacity(cells.len());
    for (j, c) in cells.iter().enumerate() {
        let l = format!("{path}[{j}]");
        match c {
            Cell::Str(s) if keys.contains(&s.as_ref()) => {
                if out.iter().any(|o| o == s.as_ref()) {
                    rd.err(
                        ErrorCode::Duplicate,
                        &l,
                        format!("{l} 重复列出类别 {s}"),
                        format!("{l}: category {s} is listed twice"),
                    );
                } else {
                    out.push(s.to_string());
                }
            }
            Cell::Str(s) => {
                let shown = show_json(&Value::String(s.to_string()));
                rd.err(
                    ErrorCode::UnknownValue,
                    &l,
                    format!("{l} 的值 {shown} 不是有效的问题类别；应为：{}", keys.join("、")),
                    format!("{l}: {shown} is not a problem category; expected one of: {}", keys.join(", ")),
                );
            }
            c => rd.wrong(c, &l, "问题类别", "problem category"),
        }
    }
    if rd.errors.len() == before {
        Ok(out)
    } else {
        Err(())
    }
}

/// The cells of one official, whatever the column's form.
struct OfficialCells<'a> {
    name: Cell<'a>,
    role: Cell<'a>,
    since: Cell<'a>,
    neglect: Cell<'a>,
}

fn read_officials<'c>(rd: &mut Rd<'c>, col: &Col, i: usize) -> Result<Vec<Official>, ()> {
    let mut items: Vec<OfficialCells<'_>> = Vec::new();
    match col {
        Col::Absent => return Ok(Vec::new()),
        Col::Officials(o) => {
            if o.nulls.as_ref().is_some_and(|n| n.is_null(i)) {
                return Ok(Vec::new());
            }
            let (Some(&a), Some(&b)) = (o.offsets.get(i), o.offsets.get(i + 1)) else {
                return Ok(Vec::new());
            };
            for j in a..b {
                let j = usize::try_from(j).unwrap_or(0);
                items.push(OfficialCells {
                    name: o.name.cell(j),
                    role: o.role.cell(j),
                    since: o.since.cell(j),
                    neglect: o.neglect.cell(j),
                });
            }
        }
        other => match other.cell(i) {
            Cell::Null => return Ok(Vec::new()),
            Cell::Json(Value::Array(xs)) => {
                let before = rd.errors.len();
                for (k, x) in xs.into_iter().enumerate() {
                    let l = format!("officials[{k}]");
                    match x {
                        Value::Object(mut m) => {
                            const KNOWN: [&str; 4] = ["name", "role", "in_post_since", "neglect_led_to_severity"];
                            for key in m.keys() {
                                if !KNOWN.contains(&key.as_str()) {
                                    let lk = format!("{l}.{key}");
                                    rd.err(
                                        ErrorCode::UnknownField,
                                        &lk,
                                        format!("未知字段 {lk}；允许的字段：{}", KNOWN.join("、")),
                                        format!("unknown field {lk}; expected one of: {}", KNOWN.join(", ")),
                                    );
                                }
                            }
                            let mut take = |k: &str| m.remove(k).map_or(Cell::Null, json_cell);
                            items.push(OfficialCells {
                                name: take("name"),
                                role: take("role"),
                                since: take("in_post_since"),
                                neglect: take("neglect_led_to_severity"),
                            });
                        }
                        v => {
                            rd.wrong(&json_cell(v), &l, "对象", "an object");
                            items.push(OfficialCells {
                                name: Cell::Null,
                                role: Cell::Null,
                                since: Cell::Null,
                                neglect: Cell::Null,
                            });
                        }
                    }
                }
                if rd.errors.len() != before {
                    return Err(());
                }
            }
            c => {
                rd.wrong(&c, "officials", "列表", "a list");
                return Err(());
            }
        },
    }
    let before = rd.errors.len();
    let mut out = Vec::with_capacity(items.len());
    for (k, o) in items.iter().enumerate() {
        let l = format!("officials[{k}]");
        let name = rd.text(&o.name, &format!("{l}.name"));
        let name = rd.required(name, &format!("{l}.name"));
        let role = rd.name::<Role>(&o.role, &format!("{l}.role"));
        let role = rd.required(role, &format!("{l}.role"));
        let since = rd.date(&o.since, &format!("{l}.in_post_since"));
        let since = rd.required(since, &format!("{l}.in_post_since"));
        let neglect = rd.bool(&o.neglect, &format!("{l}.neglect_led_to_severity")).unwrap_or(None);
        if let (Some(name), Some(role), Some(in_post_since)) = (name, role, since) {
            out.push(Official {
                name,
                role,
                in_post_since,
                neglect_led_to_severity: neglect,
            });
        }
    }
    if rd.errors.len() == before {
        Ok(out)
    } else {
        Err(())
    }
}

fn read_row(f: &Frame, rb: &Rulebook, i: usize, as_of: Option<Date>) -> Result<RowIn, Vec<RowError>> {
    let mut rd = Rd {
        errors: Vec::new(),
        column: "",
    };
    // The rulebook must be in force on the day that selects it (as in the call layer).
    let (_, on_cell) = f.cell(Role2::ReviewOn, i);
    let peek = match &on_cell {
        Cell::Date(d) => Some(*d),
        Cell::Str(s) => Date::parse(s).ok(),
        _ => None,
    };
    if let Some(day) = as_of.or(peek) {
        if !rb.in_force_on(day) {
            let fi = &rb.file().in_force;
            let until = fi.until.map_or("—".to_owned(), |u| u.to_string());
            let from = fi.from.map_or("—".to_owned(), |u| u.to_string());
            let field = if as_of.is_some() { "as_of" } else { "on" };
            rd.at(if as_of.is_some() { "" } else { f.col(Role2::ReviewOn).0 }).err(
                ErrorCode::RulebookNotInForce,
                field,
                format!("规则集 {} 在 {day} 未生效（有效期 {from} 至 {until}）", rb.id()),
                format!("rulebook {} is not in force on {day} (in force {from} to {until})", rb.id()),
            );
        }
    }
    // listing
    let before_listing = rd.errors.len();
    let (c, cell) = f.cell(Role2::AreaId, i);
    let area_id = rd.at(c).text(&cell, "listing.area.id");
    let (c, cell) = f.cell(Role2::Area, i);
    let name = rd.at(c).text(&cell, "listing.area.name");
    let name = rd.required(name, "listing.area.name");
    let (c, cell) = f.cell(Role2::Level, i);
    let level = rd.at(c).name::<Level>(&cell, "listing.area.level");
    let level = rd.required(level, "listing.area.level");
    let (c, cell) = f.cell(Role2::IssuerLevel, i);
    let issuer_level = rd.at(c).name::<Level>(&cell, "listing.issuer.level");
    let issuer_level = rd.required(issuer_level, "listing.issuer.level");
    let (c, cell) = f.cell(Role2::IssuerName, i);
    let issuer_name = rd.at(c).text(&cell, "listing.issuer.name");
    let (c, cell) = f.cell(Role2::ListingId, i);
    let listing_id = rd.at(c).text(&cell, "listing.id");
    let (c, cell) = f.cell(Role2::Tier, i);
    let tier = rd.at(c).name::<Tier>(&cell, "listing.tier");
    let tier = rd.required(tier, "listing.tier");
    let (c, col) = f.col(Role2::Categories);
    let categories = read_categories(rd.at(c), &f.category_keys, col, i, "listing.categories");
    let (c, cell) = f.cell(Role2::ListedOn, i);
    let listed_on = rd.at(c).date(&cell, "listing.listed_on");
    let listed_on = rd.required(listed_on, "listing.listed_on");
    let (c, cell) = f.cell(Role2::Deadline, i);
    let deadline = rd.at(c).date(&cell, "listing.deadline");
    let (c, cell) = f.cell(Role2::Extensions, i);
    let extensions = rd.at(c).count(&cell, "listing.extensions_used").map(|x| x.unwrap_or(0));
    let (c, cell) = f.cell(Role2::Status, i);
    let status = rd
        .at(c)
        .name::<ListingStatus>(&cell, "listing.status")
        .map(|x| x.unwrap_or(ListingStatus::Active));
    if tier == Some(Tier::None) {
        let (c, _) = f.col(Role2::Tier);
        rd.at(c).err(
            ErrorCode::UnknownValue,
            "listing.tier",
            "listing.tier 不能为 none：挂牌必须有整治级别".to_owned(),
            "listing.tier: a listing cannot have tier none".to_owned(),
        );
    }
    if let (Some(lo), Ok(Some(dl))) = (listed_on, deadline) {
        if dl < lo {
            let (c, _) = f.col(Role2::Deadline);
            rd.at(c).err(
                ErrorCode::DateOutOfOrder,
                "listing.deadline",
                format!("listing.deadline 的截止日 {dl} 早于挂牌日 {lo}"),
                format!("listing.deadline: deadline {dl} is before the listing date {lo}"),
            );
        }
    }
    if let (Ok(st), Ok(n)) = (status, extensions) {
        if st == ListingStatus::Extended && n == 0 {
            let (c, _) = f.col(Role2::Extensions);
            rd.at(if c.is_empty() { f.col(Role2::Status).0 } else { c }).err(
                ErrorCode::Inconsistent,
                "listing.extensions_used",
                "listing.extensions_used：状态为 extended（已延期）但已用延期次数为 0".to_owned(),
                "listing.extensions_used: status is extended but no extension is counted".to_owned(),
            );
        }
    }
    let listing_clean = rd.errors.len() == before_listing;
    // on
    let (c, cell) = f.cell(Role2::ReviewOn, i);
    let on = rd.at(c).date(&cell, "on");
    let on = rd.required(on, "on");
    // facts
    let (c, cell) = f.cell(Role2::GoalMet, i);
    let goal_met = rd.at(c).bool(&cell, "facts.goal_met");
    let (c, cell) = f.cell(Role2::Special, i);
    let special = rd.at(c).bool(&cell, "facts.special_circumstances");
    let (c, cell) = f.cell(Role2::Negligence, i);
    let negligence = rd.at(c).bool(&cell, "facts.negligence");
    let mut conditions = BTreeMap::new();
    for (ci, d) in condition_defs!(rb).iter().enumerate() {
        let Some((whole, subs)) = f.conds.get(ci) else { continue };
        if let Some(ix) = whole {
            if let (Some((n, _, col)), Some(p)) = (f.cols.get(*ix), f.paths.get(*ix)) {
                if let Ok(Some(b)) = rd.at(n).bool(&col.cell(i), p) {
                    conditions.insert(d.key.clone(), ConditionInput::Whole(b));
                }
            }
        } else if !subs.is_empty() {
            let mut points = BTreeMap::new();
            for (si, ix) in subs {
                if let (Some((n, _, col)), Some(sp), Some(p)) = (f.cols.get(*ix), d.sub_points.get(*si), f.paths.get(*ix)) {
                    if let Ok(Some(b)) = rd.at(n).bool(&col.cell(i), p) {
                        points.insert(sp.key.clone(), b);
                    }
                }
            }
            if !points.is_empty() {
                conditions.insert(d.key.clone(), ConditionInput::SubPoints(points));
            }
        }
    }
    let (c, cell) = f.cell(Role2::Application, i);
    let application = rd.at(c).name::<Application>(&cell, "application");
    let (c, col) = f.col(Role2::Officials);
    let officials = read_officials(rd.at(c), col, i);
    let (c, cell) = f.cell(Role2::FailedAnnual, i);
    let failed_annual = rd.at(c).bool(&cell, "consequences.facts.failed_annual_assessment");
    // cross-field checks, as the call layer makes them
    if let (Some(on), Some(lo), true) = (on, listed_on, listing_clean) {
        if on < lo {
            let (c, _) = f.col(Role2::ReviewOn);
            rd.at(c).err(
                ErrorCode::DateOutOfOrder,
                "on",
                format!("on 的日期 {on} 早于挂牌日 {lo}"),
                format!("on: {on} is before the listing date {lo}"),
            );
        }
    }
    if let (Ok(os), Some(on)) = (&officials, on) {
        let (c, _) = f.col(Role2::Officials);
        for (k, o) in os.iter().enumerate() {
            if o.in_post_since > on {
                let lf = format!("officials[{k}].in_post_since");
                rd.at(c).err(
                    ErrorCode::DateOutOfOrder,
                    &lf,
                    format!("{lf} 的任职日期 {} 晚于评估日 {on}", o.in_post_since),
                    format!("{lf}: in post since {}, after the date of evaluation {on}", o.in_post_since),
                );
            }
            if os.iter().take(k).any(|p| p.name == o.name && p.role == o.role) {
                let li = format!("officials[{k}]");
                rd.at(c).err(
                    ErrorCode::Duplicate,
                    &li,
                    format!("{li} 重复列出责任人 {}", o.name),
                    format!("{li}: official {} is listed twice", o.name),
                );
            }
        }
    }
    if !rd.errors.is_empty() {
        return Err(rd.errors);
    }
    let (
        Some(name),
        Some(level),
        Some(issuer_level),
        Some(tier),
        Ok(categories),
        Some(listed_on),
        Ok(deadline),
        Ok(extensions_used),
        Ok(status),
        Some(on),
        Ok(goal_met),
        Ok(special_circumstances),
        Ok(negligence),
        Ok(application),
        Ok(officials),
        Ok(area_id),
        Ok(issuer_name),
        Ok(listing_id),
        Ok(failed_annual),
    ) = (
        name,
        level,
        issuer_level,
        tier,
        categories,
        listed_on,
        deadline,
        extensions,
        status,
        on,
        goal_met,
        special,
        negligence,
        application,
        officials,
        area_id,
        issuer_name,
        listing_id,
        failed_annual,
    )
    else {
        return Err(vec![RowError {
            code: ErrorCode::MissingField.as_str(),
            path: String::new(),
            column: None,
            zh: "该行无法读取".to_owned(),
            en: "the row could not be read".to_owned(),
        }]);
    };
    Ok(RowIn {
        req: ReviewRequest {
            listing: Listing {
                id: listing_id,
                area: Area { id: area_id, name, level },
                issuer: Issuer {
                    level: issuer_level,
                    name: issuer_name,
                },
                tier,
                categories,
                listed_on,
                deadline,
                extensions_used,
                status,
            },
            on,
            facts: ReviewFacts {
                goal_met,
                special_circumstances,
                negligence,
                conditions,
            },
            application,
            officials,
        },
        failed_annual,
    })
}

// ---------------------------------------------------------------- evaluating and writing

const fn measure_status(s: jindu::MeasureStatus) -> &'static str {
    match s {
        jindu::MeasureStatus::Applies => "applies",
        jindu::MeasureStatus::AppliesInPrinciple => "applies_in_principle",
        jindu::MeasureStatus::Available => "available",
        jindu::MeasureStatus::RequiresJudgement => "requires_judgement",
    }
}

/// The wire name of a unit enum the core does not export by name (a
/// measure's target), written into a reused buffer: no allocation per row.
fn wire_name<'b, T: serde::Serialize>(x: &T, buf: &'b mut Vec<u8>) -> Option<&'b str> {
    buf.clear();
    serde_json::to_writer(&mut *buf, x).ok()?;
    std::str::from_utf8(buf).ok().map(|s| s.trim_matches('"'))
}

/// A list of strings, built by hand (offsets, values, validity).
struct StrList {
    offsets: Vec<i32>,
    values: StringBuilder,
    nulls: NullBufferBuilder,
}

impl StrList {
    fn new(rows: usize) -> StrList {
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        StrList {
            offsets,
            values: StringBuilder::with_capacity(rows * 2, rows * 16),
            nulls: NullBufferBuilder::new(rows),
        }
    }
    fn push<'a>(&mut self, items: impl IntoIterator<Item = &'a str>) {
        for s in items {
            self.values.append_value(s);
        }
        self.offsets.push(i32::try_from(self.values.len()).unwrap_or(i32::MAX));
        self.nulls.append_non_null();
    }
    fn push_null(&mut self) {
        self.offsets.push(i32::try_from(self.values.len()).unwrap_or(i32::MAX));
        self.nulls.append_null();
    }
    fn field(name: &str) -> Field {
        Field::new(name, DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))), true)
    }
    fn finish(mut self) -> ArrayRef {
        let item = Arc::new(Field::new("item", DataType::Utf8, true));
        Arc::new(ListArray::new(
            item,
            OffsetBuffer::new(ScalarBuffer::from(self.offsets)),
            Arc::new(self.values.finish()),
            self.nulls.finish(),
        ))
    }
}

/// A list of structs of strings (and one optional list of strings per struct).
struct StructList {
    names: &'static [&'static str],
    list_child: Option<&'static str>,
    offsets: Vec<i32>,
    children: Vec<StringBuilder>,
    lists: Option<StrList>,
    count: usize,
    nulls: NullBufferBuilder,
}

impl StructList {
    fn new(names: &'static [&'static str], list_child: Option<&'static str>, rows: usize) -> StructList {
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        StructList {
            names,
            list_child,
            offsets,
            children: names.iter().map(|_| StringBuilder::new()).collect(),
            lists: list_child.map(|_| StrList::new(rows)),
            count: 0,
            nulls: NullBufferBuilder::new(rows),
        }
    }
    fn item<'a>(&mut self, values: &[Option<&str>], list: impl IntoIterator<Item = &'a str>) {
        for (b, v) in self.children.iter_mut().zip(values) {
            b.append_option(*v);
        }
        if let Some(l) = &mut self.lists {
            l.push(list);
        }
        self.count += 1;
    }
    fn end_row(&mut self) {
        self.offsets.push(i32::try_from(self.count).unwrap_or(i32::MAX));
        self.nulls.append_non_null();
    }
    fn null_row(&mut self) {
        self.offsets.push(i32::try_from(self.count).unwrap_or(i32::MAX));
        self.nulls.append_null();
    }
    fn fields(names: &[&str], list_child: Option<&str>) -> Fields {
        let mut fs: Vec<Field> = names.iter().map(|n| Field::new(*n, DataType::Utf8, true)).collect();
        if let Some(l) = list_child {
            fs.push(StrList::field(l));
        }
        Fields::from(fs)
    }
    fn field(name: &str, names: &[&str], list_child: Option<&str>) -> Field {
        let item = Field::new("item", DataType::Struct(StructList::fields(names, list_child)), true);
        Field::new(name, DataType::List(Arc::new(item)), true)
    }
    fn finish(mut self) -> ArrayRef {
        let fields = StructList::fields(self.names, self.list_child);
        let mut arrays: Vec<ArrayRef> = self.children.into_iter().map(|mut b| Arc::new(b.finish()) as ArrayRef).collect();
        if let Some(l) = self.lists {
            arrays.push(l.finish());
        }
        let s = StructArray::new(fields.clone(), arrays, None);
        let item = Arc::new(Field::new("item", DataType::Struct(fields), true));
        Arc::new(ListArray::new(
            item,
            OffsetBuffer::new(ScalarBuffer::from(self.offsets)),
            Arc::new(s),
            self.nulls.finish(),
        ))
    }
}

const MEASURE_FIELDS: &[&str] = &["measure", "rule", "modality", "status", "target"];
const NOTE_FIELDS: &[&str] = &["code", "rule"];
const ERROR_FIELDS: &[&str] = &["code", "path", "column", "msg_zh", "msg_en"];

/// The output schema.
pub fn output_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("ok", DataType::Boolean, false),
        Field::new("outcome", DataType::Utf8, true),
        Field::new("modality", DataType::Utf8, true),
        Field::new("rule", DataType::Utf8, true),
        Field::new("expired", DataType::Boolean, true),
        Field::new("previous_deadline", DataType::Date32, true),
        Field::new("deadline", DataType::Date32, true),
        Field::new("deadline_nominal", DataType::Date32, true),
        Field::new("tier", DataType::Utf8, true),
        Field::new("tier_name", DataType::Utf8, true),
        Field::new("status", DataType::Utf8, true),
        Field::new("extensions_used", DataType::UInt8, true),
        Field::new("conditions_met", DataType::Boolean, true),
        StrList::field("unmet_conditions"),
        StrList::field("refused"),
        StrList::field("missing_facts"),
        StructList::field("consequences", MEASURE_FIELDS, Some("officials")),
        StrList::field("cited"),
        StructList::field("notes", NOTE_FIELDS, None),
        StructList::field("errors", ERROR_FIELDS, None),
    ]))
}

struct Out {
    ok: BooleanBuilder,
    outcome: StringBuilder,
    modality: StringBuilder,
    rule: StringBuilder,
    expired: BooleanBuilder,
    previous_deadline: Date32Builder,
    deadline: Date32Builder,
    deadline_nominal: Date32Builder,
    tier: StringBuilder,
    tier_name: StringBuilder,
    status: StringBuilder,
    extensions_used: UInt8Builder,
    conditions_met: BooleanBuilder,
    unmet: StrList,
    refused: StrList,
    missing: StrList,
    measures: StructList,
    cited: StrList,
    notes: StructList,
    errors: StructList,
    buf: Vec<u8>,
}

fn days(d: Date) -> i32 {
    i32::try_from(d.to_days()).unwrap_or(0)
}

impl Out {
    fn new(rows: usize) -> Out {
        Out {
            ok: BooleanBuilder::with_capacity(rows),
            outcome: StringBuilder::with_capacity(rows, rows * 10),
            modality: StringBuilder::with_capacity(rows, rows * 6),
            rule: StringBuilder::with_capacity(rows, rows * 20),
            expired: BooleanBuilder::with_capacity(rows),
            previous_deadline: Date32Builder::with_capacity(rows),
            deadline: Date32Builder::with_capacity(rows),
            deadline_nominal: Date32Builder::with_capacity(rows),
            tier: StringBuilder::with_capacity(rows, rows * 9),
            tier_name: StringBuilder::with_capacity(rows, rows * 12),
            status: StringBuilder::with_capacity(rows, rows * 8),
            extensions_used: UInt8Builder::with_capacity(rows),
            conditions_met: BooleanBuilder::with_capacity(rows),
            unmet: StrList::new(rows),
            refused: StrList::new(rows),
            missing: StrList::new(rows),
            measures: StructList::new(MEASURE_FIELDS, Some("officials"), rows),
            cited: StrList::new(rows),
            notes: StructList::new(NOTE_FIELDS, None, rows),
            errors: StructList::new(ERROR_FIELDS, None, rows),
            buf: Vec::with_capacity(32),
        }
    }

    fn fail(&mut self, errors: &[RowError]) {
        self.ok.append_value(false);
        self.outcome.append_null();
        self.modality.append_null();
        self.rule.append_null();
        self.expired.append_null();
        self.previous_deadline.append_null();
        self.deadline.append_null();
        self.deadline_nominal.append_null();
        self.tier.append_null();
        self.tier_name.append_null();
        self.status.append_null();
        self.extensions_used.append_null();
        self.conditions_met.append_null();
        self.unmet.push_null();
        self.refused.push_null();
        self.missing.push_null();
        self.measures.null_row();
        self.cited.push_null();
        self.notes.null_row();
        for e in errors {
            self.errors.item(
                &[
                    Some(e.code),
                    Some(e.path.as_str()),
                    e.column.as_deref(),
                    Some(e.zh.as_str()),
                    Some(e.en.as_str()),
                ],
                std::iter::empty(),
            );
        }
        self.errors.end_row();
    }

    fn answer(&mut self, a: &jindu::ReviewAnswer<'_>, c: Option<&jindu::ConsequencesAnswer<'_>>) {
        self.ok.append_value(true);
        self.outcome.append_value(a.outcome.name());
        self.modality.append_option(a.modality.map(Named::name));
        self.rule.append_value(a.rule);
        self.expired.append_value(a.expired);
        self.previous_deadline.append_option(a.previous_deadline.map(days));
        self.deadline.append_option(a.deadline.map(|d| days(d.effective)));
        self.deadline_nominal.append_option(a.deadline.map(|d| days(d.nominal)));
        self.tier.append_value(a.tier.name());
        self.tier_name.append_option(a.tier_name.map(|t| t.zh.as_str()));
        self.status.append_value(a.status.name());
        self.extensions_used.append_value(a.extensions_used);
        self.conditions_met.append_value(a.conditions_met);
        self.unmet.push(a.unmet_conditions.iter().copied());
        self.refused.push(a.refused.iter().map(|r| r.action.name()));
        self.missing.push(a.missing_facts.iter().map(String::as_str));
        let (measures, buf) = (&mut self.measures, &mut self.buf);
        let mut write_measure = |m: &jindu::MeasureOut<'_>| {
            let target = wire_name(&m.target, buf);
            measures.item(
                &[Some(m.measure), Some(m.rule), Some(m.modality.name()), Some(measure_status(m.status)), target],
                m.officials.iter().map(String::as_str),
            );
        };
        for m in &a.measures {
            write_measure(m);
        }
        if let Some(c) = c {
            for m in &c.measures {
                if !a.measures.iter().any(|x| x.rule == m.rule && x.measure == m.measure) {
                    write_measure(m);
                }
            }
        }
        self.measures.end_row();
        match c {
            None => self.cited.push(a.explained.cited.iter().copied()),
            Some(c) => {
                let extra = c.explained.cited.iter().copied().filter(|x| !a.explained.cited.contains(x));
                self.cited.push(a.explained.cited.iter().copied().chain(extra));
            }
        }
        for n in a.explained.notes.iter().chain(c.map(|c| c.explained.notes.iter()).into_iter().flatten()) {
            self.notes.item(&[Some(n.code), n.rule], std::iter::empty());
        }
        self.notes.end_row();
        self.errors.null_row();
    }

    fn finish(mut self) -> Result<RecordBatch, arrow_schema::ArrowError> {
        let cols: Vec<ArrayRef> = vec![
            Arc::new(self.ok.finish()),
            Arc::new(self.outcome.finish()),
            Arc::new(self.modality.finish()),
            Arc::new(self.rule.finish()),
            Arc::new(self.expired.finish()),
            Arc::new(self.previous_deadline.finish()),
            Arc::new(self.deadline.finish()),
            Arc::new(self.deadline_nominal.finish()),
            Arc::new(self.tier.finish()),
            Arc::new(self.tier_name.finish()),
            Arc::new(self.status.finish()),
            Arc::new(self.extensions_used.finish()),
            Arc::new(self.conditions_met.finish()),
            self.unmet.finish(),
            self.refused.finish(),
            self.missing.finish(),
            self.measures.finish(),
            self.cited.finish(),
            self.notes.finish(),
            self.errors.finish(),
        ];
        RecordBatch::try_new(output_schema(), cols)
    }
}

/// How to evaluate a batch.
#[derive(Clone, Copy)]
pub struct Settings<'r> {
    pub rb: &'r Rulebook,
    pub as_of: Option<Date>,
    pub consequences: bool,
}

fn panic_error(p: &(dyn std::any::Any + Send)) -> RowError {
    let msg = crate::panic_message(p);
    RowError {
        code: crate::INTERNAL_ERROR,
        path: String::new(),
        column: None,
        zh: format!("内部错误（已拦截）：{msg}"),
        en: format!("internal error (caught): {msg}"),
    }
}

fn eval_one(f: &Frame, s: Settings<'_>, i: usize, out: &mut Out) {
    let opts = Options { explain: false };
    let got = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut row = read_row(f, s.rb, i, s.as_of)?;
        let mut a = jindu::review(s.rb, &row.req, opts).map_err(|e| e.errors.iter().map(|x| RowError::from_field(x, "")).collect::<Vec<_>>())?;
        let c = if s.consequences {
            // The listing after the review, moved out of the answer (the output does not need it).
            let after = std::mem::replace(&mut a.listing, row.req.listing);
            let req = ConsequencesRequest {
                listing: after,
                on: row.req.on,
                officials: std::mem::take(&mut row.req.officials),
                facts: ConsequenceFacts {
                    goal_met: row.req.facts.goal_met,
                    negligence: row.req.facts.negligence,
                    failed_annual_assessment: row.failed_annual,
                },
            };
            Some(jindu::consequences(s.rb, &req, opts).map_err(|e| e.errors.iter().map(|x| RowError::from_field(x, "consequences.")).collect::<Vec<_>>())?)
        } else {
            None
        };
        Ok::<_, Vec<RowError>>((a, c))
    }));
    match got {
        Ok(Ok((a, c))) => out.answer(&a, c.as_ref()),
        Ok(Err(errors)) => out.fail(&errors),
        Err(p) => out.fail(&[panic_error(p.as_ref())]),
    }
}

/// Evaluates rows `range` of a frame into one record batch.
pub fn evaluate_range(f: &Frame, s: Settings<'_>, range: std::ops::Range<usize>) -> Result<RecordBatch, arrow_schema::ArrowError> {
    let mut out = Out::new(range.len());
    for i in range {
        eval_one(f, s, i, &mut out);
    }
    out.finish()
}

/// Evaluates a whole frame on up to `threads` threads; batches come back in row order.
pub fn evaluate_frame(f: &Frame, s: Settings<'_>, threads: usize) -> Result<Vec<RecordBatch>, arrow_schema::ArrowError> {
    const MIN_CHUNK: usize = 16_384;
    let n = f.len();
    let threads = threads.max(1).min(n.div_ceil(MIN_CHUNK).max(1));
    if threads == 1 {
        return evaluate_range(f, s, 0..n).map(|b| vec![b]);
    }
    let chunk = n.div_ceil(threads);
    let ranges: Vec<std::ops::Range<usize>> = (0..threads).map(|t| (t * chunk).min(n)..((t + 1) * chunk).min(n)).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = ranges.into_iter().map(|r| scope.spawn(move || evaluate_range(f, s, r))).collect();
        let mut out = Vec::with_capacity(handles.len());
        for h in handles {
            match h.join() {
                Ok(b) => out.push(b?),
                Err(_) => return Err(arrow_schema::ArrowError::ComputeError("a batch thread panicked".to_owned())),
            }
        }
        Ok(out)
    })
}

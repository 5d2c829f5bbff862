//! `assess_table`: the numbers of many areas judged at once by the compiled
//! assessment plan (`jindu::plan::AssessPlan`), Arrow columns in, Arrow
//! columns out.
//!
//! The input columns are named by the plan: one numeric column per indicator
//! or input key (any numeric Arrow type, read as `f64`; a `Float64` column is
//! read in place), `<trend>@-2`, `<trend>@-1`, `<trend>@0` for the periods of
//! a trend (oldest first, `@0` the period assessed), one boolean column per
//! judgement key, and a score column. Null (and NaN) is "not supplied". Other
//! columns are an error naming them, unless the caller keeps them (copied to
//! the output as they are, without a copy of their buffers) or ignores them.
//!
//! The rows are judged by the plan by block (`AssessPlan::eval_blocks`, 64
//! records a block): a `Float64` column without nulls (or with NaN under
//! every null, as from pandas) is read in place, another with nulls copied
//! once with NaN at them; each block's answers are written straight from its
//! masks into the output's columns (`Out::block`: a record's keys are the
//! set bits of its column of the block; a bad record's row is null but for
//! its errors). The key lists of the output are
//! dictionary-encoded over the plan's keys, so a row writes small integers,
//! never strings. A bad row keeps its place: `ok` false, every bad value
//! named in `errors` with its column (the plan's own messages).

use arrow_array::builder::StringBuilder;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int16Type, Int8Type};
use arrow_array::{Array, ArrayRef, BooleanArray, DictionaryArray, Float64Array, Int16Array, Int8Array, ListArray, RecordBatch, StringArray, StructArray};
use arrow_buffer::{BooleanBufferBuilder, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef};
use jindu::assess::{Unit, Verdict};
use jindu::plan::{AssessPlan, Block, Columns, Quick, Record, RowError as PlanError};
use jindu::{ErrorCode, FieldError, MeasureStatus, Rulebook};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::PyTable;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The rows a piece is judged by at a time (what is copied of them stays in cache).
const CHUNK: usize = 2048;

/// The fewest rows a thread is given.
const MIN_PIECE: usize = 16_384;

/// The periods of a trend, oldest first: the suffix of each series column.
const PERIODS: [&str; 3] = ["@-2", "@-1", "@0"];

const VERDICTS: [&str; 5] = ["met", "unmet", "vetoed", "incomplete", "not_provided"];
const VETO_STATUSES: [&str; 3] = ["applies", "requires_judgement", "missing"];
const OUTCOME_STATUSES: [&str; 4] = ["applies", "applies_in_principle", "available", "requires_judgement"];
const ERROR_FIELDS: [&str; 5] = ["code", "path", "column", "msg_zh", "msg_en"];
/// The result columns, after the kept ones.
pub const OUTPUT: [&str; 10] = [
    "ok", "verdict", "unmet", "missing", "vetoes", "outcomes", "brackets", "score", "points", "errors",
];

const fn verdict_ix(v: Verdict) -> i8 {
    match v {
        Verdict::Met => 0,
        Verdict::Unmet => 1,
        Verdict::Vetoed => 2,
        Verdict::Incomplete => 3,
        Verdict::NotProvided => 4,
    }
}

const fn outcome_status_ix(s: MeasureStatus) -> i8 {
    match s {
        MeasureStatus::Applies => 0,
        MeasureStatus::AppliesInPrinciple => 1,
        MeasureStatus::Available => 2,
        MeasureStatus::RequiresJudgement => 3,
    }
}

const fn unit_name(u: Unit) -> &'static str {
    match u {
        Unit::Percent => "percent",
        Unit::Count => "count",
        Unit::Hours => "hours",
        Unit::Points => "points",
        Unit::Number => "number",
    }
}

// ---------------------------------------------------------------- the column contract

/// What an input column fills.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    /// A value column of the plan (an indicator or an input).
    Value(usize),
    /// A series slot of the plan (three per trend, oldest first).
    Series(usize),
    /// A judgement of the plan.
    Judgement(usize),
    /// The area's score.
    Score,
}

/// One input column of the contract.
pub struct ColumnDoc {
    pub column: String,
    pub kind: &'static str,
    pub key: String,
    pub unit: Option<&'static str>,
}

/// The input columns under a plan, in order: values, series, judgements, score.
fn contract(plan: &AssessPlan<'_>, score: &str) -> Vec<(String, Role, ColumnDoc)> {
    let mut out = Vec::new();
    for (c, (key, unit)) in plan.columns().iter().zip(plan.units()).enumerate() {
        out.push((
            (*key).to_owned(),
            Role::Value(c),
            ColumnDoc {
                column: (*key).to_owned(),
                kind: if c < plan.indicator_count() { "indicator" } else { "input" },
                key: (*key).to_owned(),
                unit: Some(unit_name(*unit)),
            },
        ));
    }
    for (t, key) in plan.trends().iter().enumerate() {
        for (s, suffix) in PERIODS.iter().enumerate() {
            let name = format!("{key}{suffix}");
            out.push((
                name.clone(),
                Role::Series(t * 3 + s),
                ColumnDoc {
                    column: name,
                    kind: "series",
                    key: (*key).to_owned(),
                    unit: None,
                },
            ));
        }
    }
    for (j, key) in plan.judgements().iter().enumerate() {
        out.push((
            (*key).to_owned(),
            Role::Judgement(j),
            ColumnDoc {
                column: (*key).to_owned(),
                kind: "judgement",
                key: (*key).to_owned(),
                unit: None,
            },
        ));
    }
    out.push((
        score.to_owned(),
        Role::Score,
        ColumnDoc {
            column: score.to_owned(),
            kind: "score",
            key: "score".to_owned(),
            unit: None,
        },
    ));
    out
}

fn frame(code: ErrorCode, path: &str, zh: String, en: String) -> FieldError {
    FieldError::at(code, path, zh, en)
}

fn numeric(t: &DataType) -> bool {
    match t {
        DataType::Null => true,
        DataType::Dictionary(_, v) => numeric(v),
        t => t.is_numeric(),
    }
}

/// The columns of a table, resolved against the contract.
pub struct Resolved {
    /// (field, plan column)
    values: Vec<(usize, usize)>,
    /// (field, series slot)
    series: Vec<(usize, usize)>,
    /// (field, judgement)
    judgements: Vec<(usize, usize)>,
    score: Option<usize>,
    /// Fields carried through, in the order asked for.
    keep: Vec<usize>,
    /// The name of each input field.
    names: Vec<String>,
}

/// How to treat columns outside the contract and not kept.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Extra {
    Error,
    Ignore,
}

/// Resolves a table's columns; the problems of the table itself come back all at once.
fn resolve(plan: &AssessPlan<'_>, schema: &Schema, keep: &[String], extra: Extra, score: &str) -> Result<Resolved, Vec<FieldError>> {
    let rb = plan.rulebook().id();
    let mut problems = Vec::new();
    let contract = contract(plan, score);
    let mut by_name: HashMap<&str, Role> = HashMap::with_capacity(contract.len());
    for (name, role, _) in &contract {
        if by_name.insert(name.as_str(), *role).is_some() {
            problems.push(frame(
                ErrorCode::Duplicate,
                name,
                format!("规则集 {rb} 中列名 {name} 有两种含义（如指标与认定同名，或 score 与指标同名）；请用 score= 另取分数列名"),
                format!("in rulebook {rb} the column name {name} has two meanings (an indicator and a judgement, or the score and a key); choose another score column with score="),
            ));
        }
    }
    let mut r = Resolved {
        values: Vec::new(),
        series: Vec::new(),
        judgements: Vec::new(),
        score: None,
        keep: Vec::new(),
        names: schema.fields().iter().map(|f| f.name().clone()).collect(),
    };
    for (ix, f) in schema.fields().iter().enumerate() {
        let name = f.name().as_str();
        if schema.fields().iter().take(ix).any(|g| g.name() == name) {
            problems.push(frame(
                ErrorCode::Duplicate,
                name,
                format!("列 {name} 出现了两次"),
                format!("column {name} appears twice"),
            ));
            continue;
        }
        let kept = keep.iter().any(|k| k == name);
        let t = f.data_type();
        match by_name.get(name) {
            Some(role @ (Role::Value(_) | Role::Series(_) | Role::Score)) => {
                if numeric(t) {
                    match *role {
                        Role::Value(c) => r.values.push((ix, c)),
                        Role::Series(s) => r.series.push((ix, s)),
                        _ => r.score = Some(ix),
                    }
                } else {
                    problems.push(frame(
                        ErrorCode::WrongType,
                        name,
                        format!("列 {name} 应为数值类型（整数、浮点或小数），收到 Arrow 类型 {t}"),
                        format!("column {name} must be numeric (integer, float or decimal), got Arrow type {t}"),
                    ));
                }
            }
            Some(Role::Judgement(j)) => {
                if matches!(t, DataType::Boolean | DataType::Null) {
                    r.judgements.push((ix, *j));
                } else {
                    problems.push(frame(
                        ErrorCode::WrongType,
                        name,
                        format!("认定列 {name} 应为布尔类型（空值为未提供），收到 Arrow 类型 {t}"),
                        format!("judgement column {name} must be boolean (null: not supplied), got Arrow type {t}"),
                    ));
                }
            }
            None if kept || extra == Extra::Ignore => {}
            None => problems.push(frame(
                ErrorCode::UnknownField,
                name,
                format!(
                    "未知列 {name}：不是规则集 {rb} 的指标、输入、序列（<趋势>@-2、@-1、@0）、认定或分数列（{score}）；jindu.assess_table_columns(\"{rb}\") 列出全部列；要带入结果请传 keep=[\"{name}\"]，要忽略请传 extra=\"ignore\""
                ),
                format!(
                    "unknown column {name}: not an indicator, input, series (<trend>@-2, @-1, @0), judgement or score ({score}) column of rulebook {rb}; jindu.assess_table_columns(\"{rb}\") lists them; pass keep=[\"{name}\"] to carry it into the result or extra=\"ignore\" to skip it"
                ),
            )),
        }
    }
    for (k, name) in keep.iter().enumerate() {
        if keep.iter().take(k).any(|x| x == name) {
            problems.push(frame(
                ErrorCode::Duplicate,
                &format!("keep[{k}]"),
                format!("keep 重复列出列 {name}"),
                format!("keep names column {name} twice"),
            ));
        } else if OUTPUT.contains(&name.as_str()) {
            problems.push(frame(
                ErrorCode::Inconsistent,
                &format!("keep[{k}]"),
                format!("keep 中的列 {name} 与结果列同名；请先改名"),
                format!("keep: column {name} has the name of a result column; rename it first"),
            ));
        } else {
            match schema.fields().iter().position(|f| f.name() == name) {
                Some(ix) => r.keep.push(ix),
                None => problems.push(frame(
                    ErrorCode::UnknownField,
                    &format!("keep[{k}]"),
                    format!("keep 中的列 {name} 不在数据中"),
                    format!("keep names {name}, which is not a column of the data"),
                )),
            }
        }
    }
    if problems.is_empty() {
        Ok(r)
    } else {
        Err(problems)
    }
}

// ---------------------------------------------------------------- output

fn str_array(items: &[&str]) -> ArrayRef {
    Arc::new(StringArray::from(items.to_vec()))
}

fn dict_type(key: DataType) -> DataType {
    DataType::Dictionary(Box::new(key), Box::new(DataType::Utf8))
}

fn item_field(t: DataType) -> Arc<Field> {
    Arc::new(Field::new("item", t, true))
}

fn keys_list_type() -> DataType {
    DataType::List(item_field(dict_type(DataType::Int16)))
}

fn status_fields(name: &str) -> Fields {
    Fields::from(vec![
        Field::new(name, dict_type(DataType::Int16), true),
        Field::new("status", dict_type(DataType::Int8), true),
    ])
}

fn error_fields() -> Fields {
    Fields::from(ERROR_FIELDS.iter().map(|n| Field::new(*n, DataType::Utf8, true)).collect::<Vec<_>>())
}

/// The keys `f` gives for 0, 1, 2, … until it gives none.
fn names<'a>(f: impl Fn(usize) -> Option<&'a str>) -> ArrayRef {
    let v: Vec<&str> = (0..jindu::plan::CAPACITY).map_while(f).collect();
    str_array(&v)
}

/// The shared dictionaries of a plan's output.
struct Dicts {
    verdicts: ArrayRef,
    /// Value columns, then trends (the keys of `unmet` and `missing`).
    keys: ArrayRef,
    vetoes: ArrayRef,
    veto_statuses: ArrayRef,
    outcomes: ArrayRef,
    outcome_statuses: ArrayRef,
    brackets: ArrayRef,
}

impl Dicts {
    fn new(plan: &AssessPlan<'_>) -> Dicts {
        let keys: Vec<&str> = plan.columns().iter().chain(plan.trends()).copied().collect();
        Dicts {
            verdicts: str_array(&VERDICTS),
            keys: str_array(&keys),
            vetoes: names(|i| plan.veto_key(i)),
            veto_statuses: str_array(&VETO_STATUSES),
            outcomes: names(|i| plan.outcome(i).map(|o| o.0)),
            outcome_statuses: str_array(&OUTCOME_STATUSES),
            brackets: names(|i| plan.bracket_key(i)),
        }
    }
}

/// The output schema: the kept fields, then the result.
fn output_schema(input: &Schema, keep: &[usize]) -> SchemaRef {
    let mut fields: Vec<Field> = keep.iter().filter_map(|ix| input.fields().get(*ix)).map(|f| f.as_ref().clone()).collect();
    fields.extend([
        Field::new("ok", DataType::Boolean, false),
        Field::new("verdict", dict_type(DataType::Int8), true),
        Field::new("unmet", keys_list_type(), true),
        Field::new("missing", keys_list_type(), true),
        Field::new("vetoes", DataType::List(item_field(DataType::Struct(status_fields("veto")))), true),
        Field::new("outcomes", DataType::List(item_field(DataType::Struct(status_fields("outcome")))), true),
        Field::new("brackets", keys_list_type(), true),
        Field::new("score", DataType::Float64, true),
        Field::new("points", DataType::Float64, true),
        Field::new("errors", DataType::List(item_field(DataType::Struct(error_fields()))), true),
    ]);
    Arc::new(Schema::new(fields))
}

fn offset(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A list of dictionary keys, built by hand. Its validity is the row's
/// (`ok`), given at the end.
struct KeyList {
    offsets: Vec<i32>,
    keys: Vec<i16>,
}

impl KeyList {
    /// At most `per_row` keys a row: the room is reserved once (only the
    /// pages written are ever touched), so the keys are never moved.
    fn new(rows: usize, per_row: usize) -> KeyList {
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        KeyList {
            offsets,
            keys: Vec::with_capacity(rows * per_row),
        }
    }
    /// A block's lists at once, one a record for the `n` records of the
    /// block: record `i`'s list holds the key of each item whose mask has bit
    /// `i`, in the items' order (each item's status, when there are
    /// `statuses`, beside it). The items are counted a record, the lists
    /// laid out, then each item's key written to its records: no answer is
    /// built a record.
    #[inline]
    fn block(&mut self, statuses: Option<&mut Vec<i8>>, n: usize, items: &[Item]) {
        let mut at = [0usize; 64];
        for item in items {
            each_bit64(item.mask, |i| {
                if let Some(c) = at.get_mut(i) {
                    *c += 1;
                }
            });
        }
        let base = self.keys.len();
        let mut run = base;
        let mut ends = [0i32; 64];
        for (c, end) in at.iter_mut().zip(ends.iter_mut()).take(n) {
            let k = *c;
            *c = run - base;
            run += k;
            *end = offset(run);
        }
        self.offsets.extend_from_slice(ends.get(..n).unwrap_or(&[]));
        self.keys.resize(run, 0);
        let keys = self.keys.get_mut(base..).unwrap_or(&mut []);
        let mut st = statuses.map(|s| {
            s.resize(run, 0);
            s.get_mut(base..).unwrap_or(&mut [])
        });
        for item in items {
            each_bit64(item.mask, |i| {
                if let Some(p) = at.get_mut(i) {
                    if let Some(k) = keys.get_mut(*p) {
                        *k = item.key;
                    }
                    if let Some(s) = st.as_deref_mut().and_then(|s| s.get_mut(*p)) {
                        *s = item.status;
                    }
                    *p += 1;
                }
            });
        }
    }
    fn finish(self, dict: &ArrayRef, nulls: Option<NullBuffer>) -> Result<ArrayRef, arrow_schema::ArrowError> {
        let keys = DictionaryArray::<Int16Type>::try_new(Int16Array::from(self.keys), dict.clone())?;
        Ok(Arc::new(ListArray::try_new(
            item_field(dict_type(DataType::Int16)),
            OffsetBuffer::new(ScalarBuffer::from(self.offsets)),
            Arc::new(keys),
            nulls,
        )?))
    }
}

/// A list of `{key, status}`, both dictionary-encoded.
struct StatusList {
    list: KeyList,
    statuses: Vec<i8>,
}

impl StatusList {
    fn new(rows: usize, per_row: usize) -> StatusList {
        StatusList {
            list: KeyList::new(rows, per_row),
            statuses: Vec::with_capacity(rows * per_row),
        }
    }
    fn finish(mut self, name: &str, dict: &ArrayRef, statuses: &ArrayRef, nulls: Option<NullBuffer>) -> Result<ArrayRef, arrow_schema::ArrowError> {
        let keys = DictionaryArray::<Int16Type>::try_new(Int16Array::from(std::mem::take(&mut self.list.keys)), dict.clone())?;
        let st = DictionaryArray::<Int8Type>::try_new(Int8Array::from(self.statuses), statuses.clone())?;
        let fields = status_fields(name);
        let s = StructArray::try_new(fields.clone(), vec![Arc::new(keys), Arc::new(st)], None)?;
        Ok(Arc::new(ListArray::try_new(
            item_field(DataType::Struct(fields)),
            OffsetBuffer::new(ScalarBuffer::from(self.list.offsets)),
            Arc::new(s),
            nulls,
        )?))
    }
}

/// A column of optional numbers.
struct Numbers {
    values: Vec<f64>,
    valid: BooleanBufferBuilder,
}

impl Numbers {
    fn new(rows: usize) -> Numbers {
        Numbers {
            values: Vec::with_capacity(rows),
            valid: BooleanBufferBuilder::new(rows),
        }
    }
    /// A block's numbers at once: `vals[i]` where bit `i` of `has` is set,
    /// else null (written as 0).
    #[inline]
    fn block(&mut self, vals: &[f64], has: u64) {
        let n = vals.len().min(64);
        self.values
            .extend(vals.iter().enumerate().map(|(i, v)| if (has >> i) & 1 == 1 { *v } else { 0.0 }));
        self.valid.append_packed_range(0..n, &has.to_le_bytes());
    }
    fn finish(mut self) -> ArrayRef {
        Arc::new(Float64Array::new(ScalarBuffer::from(self.values), Some(NullBuffer::new(self.valid.finish()))))
    }
}

/// One error of a row, as the output writes it.
struct RowErr {
    error: FieldError,
    column: String,
}

/// The errors column (its validity is the opposite of `ok`, given at the end).
struct Errors {
    offsets: Vec<i32>,
    count: usize,
    children: [StringBuilder; 5],
}

impl Errors {
    fn new(rows: usize) -> Errors {
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        Errors {
            offsets,
            count: 0,
            children: std::array::from_fn(|_| StringBuilder::new()),
        }
    }
    fn push(&mut self, errors: &[RowErr]) {
        for e in errors {
            let [code, path, column, zh, en] = &mut self.children;
            code.append_value(e.error.code.as_str());
            path.append_value(&e.error.path);
            column.append_value(&e.column);
            zh.append_value(&e.error.msg_zh);
            en.append_value(&e.error.msg_en);
        }
        self.count += errors.len();
        self.offsets.push(offset(self.count));
    }
    #[inline]
    fn none(&mut self) {
        self.offsets.push(offset(self.count));
    }
    fn finish(mut self, nulls: NullBuffer) -> Result<ArrayRef, arrow_schema::ArrowError> {
        let fields = error_fields();
        let arrays: Vec<ArrayRef> = self.children.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef).collect();
        let s = StructArray::try_new(fields.clone(), arrays, None)?;
        Ok(Arc::new(ListArray::try_new(
            item_field(DataType::Struct(fields)),
            OffsetBuffer::new(ScalarBuffer::from(self.offsets)),
            Arc::new(s),
            Some(nulls),
        )?))
    }
}

/// The result columns of one piece of a table.
struct Out {
    /// The `ok` column, also the validity of every result column.
    ok: BooleanBufferBuilder,
    failed: bool,
    verdict: Vec<i8>,
    unmet: KeyList,
    missing: KeyList,
    vetoes: StatusList,
    outcomes: StatusList,
    brackets: KeyList,
    score: Numbers,
    points: Numbers,
    errors: Errors,
}

/// An item of a block's lists: the records that list it, its key, its status.
#[derive(Clone, Copy)]
struct Item {
    mask: u64,
    key: i16,
    status: i8,
}

/// Calls `f` with each record of a block's mask, first first.
#[inline]
fn each_bit64(mut x: u64, mut f: impl FnMut(usize)) {
    while x != 0 {
        f(x.trailing_zeros() as usize);
        x &= x - 1;
    }
}

/// What a block's answers are written with: the plan's item counts, each
/// outcome's status, and the room the lists' items are gathered in.
struct Shape {
    ncols: usize,
    ntrends: usize,
    nvetoes: usize,
    /// Each outcome's status where it follows (its modality).
    outcome_status: Vec<i8>,
    nbrackets: usize,
    items: Vec<Item>,
}

impl Shape {
    fn new(plan: &AssessPlan<'_>) -> Shape {
        let count = |f: &dyn Fn(usize) -> bool| (0..jindu::plan::CAPACITY).take_while(|i| f(*i)).count();
        let nout = count(&|i| plan.outcome(i).is_some());
        let all = Quick {
            outcomes: jindu::plan::Bits(u128::MAX),
            ..Quick::default()
        };
        Shape {
            ncols: plan.columns().len(),
            ntrends: plan.trends().len(),
            nvetoes: count(&|i| plan.veto_key(i).is_some()),
            outcome_status: (0..nout).map(|k| plan.outcome_status(&all, k).map_or(-1, outcome_status_ix)).collect(),
            nbrackets: count(&|i| plan.bracket_key(i).is_some()),
            items: Vec::with_capacity(2 * jindu::plan::CAPACITY),
        }
    }
}

#[inline]
fn key16(i: usize) -> i16 {
    i16::try_from(i).unwrap_or(i16::MAX)
}

impl Out {
    fn new(rows: usize, plan: &AssessPlan<'_>) -> Out {
        let keys = plan.columns().len() + plan.trends().len();
        let count = |f: &dyn Fn(usize) -> bool| (0..jindu::plan::CAPACITY).take_while(|i| f(*i)).count();
        Out {
            ok: BooleanBufferBuilder::new(rows),
            failed: false,
            verdict: Vec::with_capacity(rows),
            unmet: KeyList::new(rows, keys),
            missing: KeyList::new(rows, keys),
            vetoes: StatusList::new(rows, count(&|i| plan.veto_key(i).is_some())),
            outcomes: StatusList::new(rows, count(&|i| plan.outcome(i).is_some())),
            brackets: KeyList::new(rows, count(&|i| plan.bracket_key(i).is_some())),
            score: Numbers::new(rows),
            points: Numbers::new(rows),
            errors: Errors::new(rows),
        }
    }

    /// A block's rows, written from its masks without building an answer a
    /// record (held to `assess` by the tests' random rows). A record with an
    /// error is in no mask: its lists come out empty, its numbers and
    /// verdict null (every result column is null on a bad row), and
    /// `errors_of(i, error)` gives its errors, each naming its column.
    fn block(&mut self, b: &Block, s: &mut Shape, mut errors_of: impl FnMut(usize, PlanError) -> Vec<RowErr>) {
        let n = b.len();
        let live = b.judged();
        self.ok.append_packed_range(0..n, &live.to_le_bytes());
        self.failed |= b.errors() != 0;
        let mut v = [0i8; 64];
        for verdict in [Verdict::Met, Verdict::Unmet, Verdict::Vetoed, Verdict::Incomplete, Verdict::NotProvided] {
            each_bit64(b.with_verdict(verdict) & live, |i| {
                if let Some(x) = v.get_mut(i) {
                    *x = verdict_ix(verdict);
                }
            });
        }
        self.verdict.extend_from_slice(v.get(..n).unwrap_or(&[]));
        let item = |mask: u64, key: usize, status: i8| Item {
            mask: mask & live,
            key: key16(key),
            status,
        };
        let items = &mut s.items;
        // unmet: indicators unmet, then trends unmet or unchanged (neither counts as met)
        items.clear();
        items.extend((0..s.ncols).map(|k| item(b.unmet(k), k, 0)));
        items.extend((0..s.ntrends).map(|t| item(b.trend_unmet(t) | b.trend_unchanged(t), s.ncols + t, 0)));
        self.unmet.block(None, n, items);
        // missing: columns, then trends not judged
        items.clear();
        items.extend((0..s.ncols).map(|c| item(b.missing_column(c), c, 0)));
        items.extend((0..s.ntrends).map(|t| item(!(b.trend_met(t) | b.trend_unmet(t) | b.trend_unchanged(t)), s.ncols + t, 0)));
        self.missing.block(None, n, items);
        // vetoes: applies, else requires judgement, else missing
        items.clear();
        items.extend((0..s.nvetoes).flat_map(|k| {
            let (a, p, m) = (b.veto(k), b.veto_pending(k), b.veto_missing(k));
            [item(a, k, 0), item(p & !a, k, 1), item(m & !a & !p, k, 2)]
        }));
        self.vetoes.list.block(Some(&mut self.vetoes.statuses), n, items);
        // outcomes: requires judgement where pending, else the outcome's own status
        items.clear();
        for (k, st) in s.outcome_status.iter().enumerate() {
            let pending = b.outcome_pending(k);
            items.push(item(pending, k, outcome_status_ix(MeasureStatus::RequiresJudgement)));
            if *st >= 0 {
                items.push(item(b.outcome(k) & !pending, k, *st));
            }
        }
        self.outcomes.list.block(Some(&mut self.outcomes.statuses), n, items);
        items.clear();
        items.extend((0..s.nbrackets).map(|k| item(b.bracket(k), k, 0)));
        self.brackets.block(None, n, items);
        self.score.block(b.score_values(), b.score_mask() & live);
        self.points.block(b.points_values(), b.points_mask() & live);
        if b.errors() == 0 {
            let count = offset(self.errors.count);
            self.errors.offsets.extend(std::iter::repeat_n(count, n));
        } else {
            for i in 0..n {
                match b.error(i) {
                    Some(e) => self.errors.push(&errors_of(i, e)),
                    None => self.errors.none(),
                }
            }
        }
    }

    fn finish(mut self, d: &Dicts) -> Result<Vec<ArrayRef>, arrow_schema::ArrowError> {
        let ok = self.ok.finish();
        // Every result column is null on a bad row, and only there; errors the other way round.
        let valid = self.failed.then(|| NullBuffer::new(ok.clone()));
        let errors_valid = NullBuffer::new(!&ok);
        let verdict = DictionaryArray::<Int8Type>::try_new(Int8Array::new(ScalarBuffer::from(self.verdict), valid.clone()), d.verdicts.clone())?;
        Ok(vec![
            Arc::new(BooleanArray::new(ok, None)),
            Arc::new(verdict),
            self.unmet.finish(&d.keys, valid.clone())?,
            self.missing.finish(&d.keys, valid.clone())?,
            self.vetoes.finish("veto", &d.vetoes, &d.veto_statuses, valid.clone())?,
            self.outcomes.finish("outcome", &d.outcomes, &d.outcome_statuses, valid.clone())?,
            self.brackets.finish(&d.brackets, valid)?,
            self.score.finish(),
            self.points.finish(),
            self.errors.finish(errors_valid)?,
        ])
    }
}

// ---------------------------------------------------------------- evaluating

/// A numeric column of a piece, as `f64` (in place for `Float64`).
fn as_f64(a: &ArrayRef) -> Result<Option<Float64Array>, arrow_schema::ArrowError> {
    match a.data_type() {
        DataType::Null => Ok(None),
        DataType::Float64 => Ok(Some(a.as_primitive::<Float64Type>().clone())),
        _ => Ok(Some(arrow_cast::cast(a, &DataType::Float64)?.as_primitive::<Float64Type>().clone())),
    }
}

/// Rows `start .. start + len` of a column, NaN where it is null: in place
/// when there is no null among them or every null already holds NaN (as a
/// column from pandas does), else copied into `buf` and the nulls set a
/// 64-bit word of the validity bitmap at a time.
fn numbers<'a>(a: &'a Float64Array, start: usize, len: usize, buf: &'a mut Vec<f64>) -> &'a [f64] {
    let vals = a.values().get(start..start + len).unwrap_or(&[]);
    let Some(n) = a.nulls().map(|n| n.slice(start, vals.len())).filter(|n| n.null_count() > 0) else {
        return vals;
    };
    // A column from pandas (or any that writes NaN under its nulls) is read
    // in place too: only its nulls are looked at.
    let mut nan_under = true;
    'words: for (w, valid) in n.inner().bit_chunks().iter_padded().enumerate() {
        let mut null = !valid;
        while null != 0 {
            if vals.get(w * 64 + null.trailing_zeros() as usize).is_some_and(|x| !x.is_nan()) {
                nan_under = false;
                break 'words;
            }
            null &= null - 1;
        }
    }
    if nan_under {
        return vals;
    }
    buf.clear();
    buf.extend_from_slice(vals);
    for (w, valid) in n.inner().bit_chunks().iter_padded().enumerate() {
        let mut null = !valid;
        while null != 0 {
            if let Some(x) = buf.get_mut(w * 64 + null.trailing_zeros() as usize) {
                *x = f64::NAN;
            }
            null &= null - 1;
        }
    }
    buf
}

/// A judgement column's answers from row `start` (null is "not supplied")
/// into `out`, a 64-bit word of the column's bits (and validity) at a time.
fn answers_of(a: &BooleanArray, start: usize, out: &mut [Option<bool>]) {
    let len = out.len();
    let bits = a.values().slice(start, len);
    let fill = |chunk: &mut [Option<bool>], v: u64, ok: u64| {
        for (j, x) in chunk.iter_mut().enumerate() {
            *x = ((ok >> j) & 1 == 1).then_some((v >> j) & 1 == 1);
        }
    };
    let words = bits.bit_chunks().iter_padded();
    match a.nulls().map(|n| n.inner().slice(start, len)).filter(|n| n.count_set_bits() < len) {
        None => {
            for (chunk, v) in out.chunks_mut(64).zip(words) {
                fill(chunk, v, u64::MAX);
            }
        }
        Some(n) => {
            for ((chunk, v), ok) in out.chunks_mut(64).zip(words).zip(n.bit_chunks().iter_padded()) {
                fill(chunk, v, ok);
            }
        }
    }
}

/// The shared state of one call.
struct Job<'p, 'r> {
    plan: &'p AssessPlan<'r>,
    res: &'p Resolved,
    dicts: Dicts,
    schema: SchemaRef,
}

/// Every bad value of a record, each named with its column: the plan stops
/// at the first, so the value it named is set aside and the record judged
/// again. Only for a bad row; never in the good path.
fn row_errors(job: &Job<'_, '_>, rec: &Record<'_>, first: PlanError) -> Vec<RowErr> {
    let mut values = rec.values.to_vec();
    let mut series = rec.series.to_vec();
    let mut score = rec.score;
    let mut out = Vec::new();
    let mut e = first;
    for _ in 0..=values.len() + series.len() + 1 {
        let r = Record {
            values: &values,
            series: &series,
            judgements: rec.judgements,
            score,
        };
        let error = job.plan.describe(&r, e);
        let column = match e {
            PlanError::Value { column } => {
                if let Some(v) = values.get_mut(column) {
                    *v = f64::NAN;
                }
                job.plan.columns().get(column).map(|s| (*s).to_owned())
            }
            PlanError::SeriesValue { slot } => {
                if let Some(v) = series.get_mut(slot) {
                    *v = f64::NAN;
                }
                job.plan.trends().get(slot / 3).zip(PERIODS.get(slot % 3)).map(|(t, p)| format!("{t}{p}"))
            }
            PlanError::Score => {
                score = None;
                job.res.score.and_then(|ix| job.res.names.get(ix).cloned())
            }
            // The shapes are the table's own: they cannot be wrong here.
            PlanError::Values { .. } | PlanError::Series { .. } | PlanError::Judgements { .. } => None,
        };
        let shape = column.is_none();
        out.push(RowErr {
            error,
            column: column.unwrap_or_default(),
        });
        if shape {
            break;
        }
        match job.plan.eval(&Record {
            values: &values,
            series: &series,
            judgements: rec.judgements,
            score,
        }) {
            Ok(_) => break,
            Err(next) => e = next,
        }
    }
    out
}

/// Judges rows `from..from + rows` of a batch into one output batch.
fn eval_piece(job: &Job<'_, '_>, batch: &RecordBatch, from: usize, rows: usize) -> Result<RecordBatch, arrow_schema::ArrowError> {
    let plan = job.plan;
    let res = job.res;
    let ncols = plan.columns().len();
    let nslots = plan.trends().len() * 3;
    let njudge = plan.judgements().len();
    let column = |ix: usize| batch.columns().get(ix).map(|a| a.slice(from, rows));
    // The columns of the piece, as f64 (cast once; Float64 read in place).
    let mut values: Vec<(usize, Float64Array)> = Vec::with_capacity(res.values.len());
    for (ix, c) in &res.values {
        if let Some(a) = column(*ix).as_ref().map(as_f64).transpose()?.flatten() {
            values.push((*c, a));
        }
    }
    let mut series: Vec<(usize, Float64Array)> = Vec::with_capacity(res.series.len());
    for (ix, s) in &res.series {
        if let Some(a) = column(*ix).as_ref().map(as_f64).transpose()?.flatten() {
            series.push((*s, a));
        }
    }
    let judgements: Vec<(usize, BooleanArray)> = res
        .judgements
        .iter()
        .filter_map(|(ix, j)| {
            let a = column(*ix)?;
            (a.data_type() == &DataType::Boolean).then(|| (*j, a.as_boolean().clone()))
        })
        .collect();
    let score = match res.score.and_then(column) {
        Some(a) => as_f64(&a)?,
        None => None,
    };
    let mut out = Out::new(rows, plan);
    // The piece by column, a chunk of rows at a time (so that what is copied
    // stays in cache), as the plan by block reads it: a `Float64` column
    // without nulls read in place, one with nulls copied with NaN at them, a
    // column not given NaN throughout ("not supplied").
    let nan = vec![f64::NAN; CHUNK];
    let mut vbuf: Vec<Vec<f64>> = vec![Vec::with_capacity(CHUNK); ncols];
    let mut sbuf: Vec<Vec<f64>> = vec![Vec::with_capacity(CHUNK); nslots];
    let mut jbuf: Vec<Vec<Option<bool>>> = vec![Vec::with_capacity(CHUNK); if judgements.is_empty() { 0 } else { njudge }];
    let mut sc_buf: Vec<f64> = Vec::with_capacity(CHUNK);
    let mut block = plan.block();
    let mut shape = Shape::new(plan);
    let mut start = 0;
    while start < rows {
        let len = CHUNK.min(rows - start);
        let nan = nan.get(..len).unwrap_or(&[]);
        let mut v: Vec<&[f64]> = vec![nan; ncols];
        for ((c, a), buf) in values.iter().zip(vbuf.iter_mut()) {
            if let Some(slot) = v.get_mut(*c) {
                *slot = numbers(a, start, len, buf);
            }
        }
        let mut sr: Vec<&[f64]> = if series.is_empty() { Vec::new() } else { vec![nan; nslots] };
        for ((k, a), buf) in series.iter().zip(sbuf.iter_mut()) {
            if let Some(slot) = sr.get_mut(*k) {
                *slot = numbers(a, start, len, buf);
            }
        }
        for buf in &mut jbuf {
            buf.clear();
            buf.resize(len, None);
        }
        for (k, a) in &judgements {
            if let Some(buf) = jbuf.get_mut(*k) {
                answers_of(a, start, buf);
            }
        }
        let jr: Vec<&[Option<bool>]> = jbuf.iter().map(Vec::as_slice).collect();
        let sc = score.as_ref().map(|a| numbers(a, start, len, &mut sc_buf));
        let cols = Columns {
            values: &v,
            series: &sr,
            judgements: &jr,
            scores: sc,
        };
        plan.eval_blocks(&cols, len, &mut block, |b| {
            out.block(b, &mut shape, |i, e| row_errors(job, &cols.record(b.start() + i).as_record(), e));
        })
        .map_err(|e| arrow_schema::ArrowError::InvalidArgumentError(e.to_string()))?;
        start += len;
    }
    let mut cols: Vec<ArrayRef> = res.keep.iter().filter_map(|ix| column(*ix)).collect();
    cols.extend(out.finish(&job.dicts)?);
    RecordBatch::try_new(job.schema.clone(), cols)
}

/// Judges every batch on up to `threads` threads; the output batches come back in row order.
fn eval_all(job: &Job<'_, '_>, batches: &[RecordBatch], threads: usize) -> Result<Vec<RecordBatch>, String> {
    let total: usize = batches.iter().map(RecordBatch::num_rows).sum();
    let threads = threads.max(1).min(total.div_ceil(MIN_PIECE).max(1));
    let piece = total.div_ceil(threads).max(MIN_PIECE);
    let mut work: Vec<(usize, usize, usize)> = Vec::new();
    for (b, batch) in batches.iter().enumerate() {
        let n = batch.num_rows();
        let mut from = 0;
        while from < n {
            let len = piece.min(n - from);
            work.push((b, from, len));
            from += len;
        }
    }
    let run = |&(b, from, len): &(usize, usize, usize)| -> Result<RecordBatch, String> {
        let batch = batches.get(b).ok_or_else(|| "no such batch".to_owned())?;
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| eval_piece(job, batch, from, len))) {
            Ok(r) => r.map_err(|e| e.to_string()),
            Err(p) => Err(format!("internal error (caught): {}", crate::panic_message(p.as_ref()))),
        }
    };
    if threads <= 1 || work.len() <= 1 {
        return work.iter().map(run).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Result<RecordBatch, String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.min(work.len()))
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(w) = work.get(k) else { break };
                        mine.push((k, run(w)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|_| vec![(0, Err("a thread panicked".to_owned()))]))
            .collect()
    });
    done.sort_by_key(|(k, _)| *k);
    done.into_iter().map(|(_, r)| r).collect()
}

// ---------------------------------------------------------------- the Python entry points

fn rulebook_of(rulebook: &str) -> Result<&'static Rulebook, Vec<FieldError>> {
    let reg = crate::registry().map_err(|e| e.errors)?;
    reg.get(rulebook).ok_or_else(|| {
        let ids: Vec<&str> = reg.all().iter().filter(|r| r.file().assessment.is_some()).map(Rulebook::id).collect();
        vec![frame(
            ErrorCode::UnknownRulebook,
            "rulebook",
            format!("没有 id 为 {rulebook:?} 的规则集；有考评规则的：{}", ids.join("、")),
            format!("no rulebook has id {rulebook:?}; those with assessment rules: {}", ids.join(", ")),
        )]
    })
}

type Answer<'py> = (Option<PyTable>, Option<Bound<'py, PyAny>>);

/// `assess` for every row of a table, by the compiled plan: Arrow data in
/// (anything with `__arrow_c_stream__` or `__arrow_c_array__`), an Arrow
/// table out, row for row. Returns `(table, None)`, or `(None, errors)` when
/// the table itself is unusable.
#[pyfunction]
#[pyo3(signature = (data, *, rulebook, keep=Vec::new(), extra="error", score="score", on=None, threads=None))]
#[allow(clippy::too_many_arguments)]
pub fn assess_arrow<'py>(
    py: Python<'py>,
    data: AnyRecordBatch,
    rulebook: &str,
    keep: Vec<String>,
    extra: &str,
    score: &str,
    on: Option<&str>,
    threads: Option<usize>,
) -> PyResult<Answer<'py>> {
    let fail = |errors: &[FieldError]| -> PyResult<Answer<'py>> { Ok((None, Some(crate::frame_error(py, errors)?))) };
    let rb = match rulebook_of(rulebook) {
        Ok(rb) => rb,
        Err(e) => return fail(&e),
    };
    let plan = match AssessPlan::compile(rb) {
        Ok(p) => p,
        Err(e) => return fail(&e.errors),
    };
    if let Some(on) = on {
        match jindu::Date::parse(on) {
            Err(_) => {
                return fail(&[frame(
                    ErrorCode::InvalidDate,
                    "on",
                    format!("on 的值 {on:?} 不是 YYYY-MM-DD 格式的日期"),
                    format!("on: {on:?} is not a date written YYYY-MM-DD"),
                )])
            }
            Ok(day) if !rb.in_force_on(day) => {
                let fi = &rb.file().in_force;
                let from = fi.from.map_or("—".to_owned(), |d| d.to_string());
                let until = fi.until.map_or("—".to_owned(), |d| d.to_string());
                return fail(&[frame(
                    ErrorCode::RulebookNotInForce,
                    "on",
                    format!("规则集 {} 在 {day} 未生效（有效期 {from} 至 {until}）", rb.id()),
                    format!("rulebook {} is not in force on {day} (in force {from} to {until})", rb.id()),
                )]);
            }
            Ok(_) => {}
        }
    }
    let extra = match extra {
        "error" => Extra::Error,
        "ignore" => Extra::Ignore,
        other => {
            return fail(&[frame(
                ErrorCode::UnknownValue,
                "extra",
                format!("extra 的值 {other:?} 应为 \"error\" 或 \"ignore\""),
                format!("extra: {other:?} must be \"error\" or \"ignore\""),
            )])
        }
    };
    let reader = data.into_reader()?;
    let schema = reader.schema();
    let res = match resolve(&plan, &schema, &keep, extra, score) {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let mut batches = Vec::new();
    for b in reader {
        batches.push(b.map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?);
    }
    let out_schema = output_schema(&schema, &res.keep);
    let job = Job {
        plan: &plan,
        res: &res,
        dicts: Dicts::new(&plan),
        schema: out_schema.clone(),
    };
    let threads = crate::threads_for(threads);
    let got = py.detach(|| eval_all(&job, &batches, threads));
    let out = got.map_err(pyo3::exceptions::PyRuntimeError::new_err)?;
    Ok((Some(PyTable::try_new(out, out_schema)?), None))
}

/// The input columns of `assess_table` under a rulebook: `{column, kind, key, unit}`
/// with kind `indicator`, `input`, `series`, `judgement` or `score`.
#[pyfunction]
#[pyo3(signature = (rulebook, *, score="score"))]
pub fn assess_table_columns<'py>(py: Python<'py>, rulebook: &str, score: &str) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    let Ok(rb) = rulebook_of(rulebook) else { return Ok(out) };
    let Ok(plan) = AssessPlan::compile(rb) else { return Ok(out) };
    for (_, _, c) in contract(&plan, score) {
        let d = PyDict::new(py);
        d.set_item("column", c.column)?;
        d.set_item("kind", c.kind)?;
        d.set_item("key", c.key)?;
        d.set_item("unit", c.unit)?;
        out.append(d)?;
    }
    Ok(out)
}

//! The JSON call/answer layer: one entry point that every front end (the CLI,
//! Python, WASM) uses, so that they all give the same answer to the same call.
//!
//! A call is `{"operation", "rulebook"?, "jurisdiction"?, "as_of"?, "explain"?,
//! "receipt"?, "target"?, "request"}`; the response is `{"ok": true, "answer": {...}}` or
//! `{"ok": false, "errors": [{code, loc, path, msg_zh, msg_en}, ...]}`.

use crate::date::Date;
use crate::error::{ErrorCode, FieldError, InputErrors};
use crate::ops::{self, ConsequencesAnswer, ListAnswer, Options, ReviewAnswer, TimelineAnswer};
use crate::read::{Ctx, Loc};
use crate::requests::{peek_decision_date, read_request, Request};
use crate::rulebook::{sha256_hex, Registry, Rulebook, Text};
use crate::trail::Receipt;
use crate::tree::Json;
use serde::Serialize;
use serde_json::{json, Value};

/// The operations a call may name.
pub const OPERATIONS: [&str; 8] = ["list", "review", "consequences", "timeline", "assess", "rank", "duties", "validate"];

/// The fields of a call, as [`call`] reads them (any other is an
/// `unknown_field` error): what a runner copies from a `spec/` case.
pub const CALL_FIELDS: [&str; 8] = ["operation", "target", "rulebook", "jurisdiction", "as_of", "explain", "receipt", "request"];

/// The library version, as written in receipts.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The rulebook an answer was decided under.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RulebookInfo<'r> {
    /// Its id.
    pub id: &'r str,
    /// Its title.
    pub title: &'r Text,
}

/// The body of an answer, by operation.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Body<'r> {
    /// `list`
    List(ListAnswer<'r>),
    /// `review`
    Review(ReviewAnswer<'r>),
    /// `consequences`
    Consequences(ConsequencesAnswer<'r>),
    /// `timeline`
    Timeline(TimelineAnswer<'r>),
    /// `assess`
    Assess(crate::assess::AssessAnswer<'r>),
    /// `rank`
    Rank(crate::assess::RankAnswer<'r>),
    /// `duties`
    Duties(crate::duties::DutiesAnswer<'r>),
}

/// A full answer: operation, rulebook, body and receipt.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Answer<'r> {
    /// The operation.
    pub operation: &'static str,
    /// The rulebook.
    pub rulebook: RulebookInfo<'r>,
    /// The body.
    #[serde(flatten)]
    pub body: Body<'r>,
    /// The receipt: absent only when the call asked for none
    /// (`"receipt": false`; [`evaluate`] always gives it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt: Option<Receipt<'r>>,
}

/// The receipt of a request under a rulebook: equal requests give equal receipts.
///
/// # Example
/// ```
/// use jindu::{Registry, Request, receipt};
/// let rb = Registry::builtin().unwrap().get("hengyang-county-2018-rectification").unwrap();
/// let req: Request = serde_json::from_value(serde_json::json!({"operation": "consequences", "request": {
///     "listing": {"area": {"name": "三湖镇", "level": "township"}, "issuer": {"level": "county"},
///                 "tier": "rectify", "listed_on": "2018-06-01"}, "on": "2018-07-01"}})).unwrap();
/// assert_eq!(receipt(rb, &req, None).request_hash, receipt(rb, &req.clone(), None).request_hash);
/// ```
#[must_use]
pub fn receipt<'r>(rb: &'r Rulebook, req: &Request, as_of: Option<Date>) -> Receipt<'r> {
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Serialize)]
    struct Normalised<'a> {
        rulebook: &'a str,
        as_of: Option<Date>,
        #[serde(flatten)]
        request: &'a Request,
    }
    // The request's JSON text is streamed into the hasher, never built.
    let digest = crate::json::sha256(&Normalised {
        rulebook: rb.id(),
        as_of,
        request: req,
    });
    Receipt {
        rulebook: rb.id(),
        rulebook_hash: rb.hash(),
        library_version: VERSION,
        request_hash: digest.map_or_else(|_| sha256_hex(&[]), |d| crate::rulebook::hex(&d)),
    }
}

/// Evaluates a typed request under a rulebook.
///
/// # Errors
/// [`InputErrors`] for a request the rules cannot evaluate (an area outside
/// the rulebook's scope, dates in an impossible order, …).
///
/// # Example
/// ```
/// use jindu::{Registry, Request, evaluate, Options};
/// let rb = Registry::builtin().unwrap().get("hengyang-county-2018-rectification").unwrap();
/// let req: Request = serde_json::from_value(serde_json::json!({"operation": "consequences", "request": {
///     "listing": {"area": {"name": "三湖镇", "level": "township"}, "issuer": {"level": "county"},
///                 "tier": "supervise", "listed_on": "2018-06-01"}, "on": "2018-07-01"}})).unwrap();
/// let a = evaluate(rb, &req, None, Options::default()).unwrap();
/// assert_eq!(a.operation, "consequences");
/// ```
pub fn evaluate<'r>(rb: &'r Rulebook, req: &Request, as_of: Option<Date>, opts: Options) -> Result<Answer<'r>, InputErrors> {
    let body = evaluate_body(rb, req, opts)?;
    Ok(answer_of(rb, req, body, Some(receipt(rb, req, as_of))))
}

/// An answer from its body and receipt.
fn answer_of<'r>(rb: &'r Rulebook, req: &Request, body: Body<'r>, receipt: Option<Receipt<'r>>) -> Answer<'r> {
    Answer {
        operation: req.operation(),
        rulebook: RulebookInfo {
            id: rb.id(),
            title: &rb.file().title,
        },
        body,
        receipt,
    }
}

/// The body of an answer, without its receipt (what `validate` needs).
fn evaluate_body<'r>(rb: &'r Rulebook, req: &Request, opts: Options) -> Result<Body<'r>, InputErrors> {
    crate::requests::check_request(req)?;
    Ok(match req {
        Request::List(r) => Body::List(ops::list(rb, r, opts)?),
        Request::Review(r) => Body::Review(ops::review(rb, r, opts)?),
        Request::Consequences(r) => Body::Consequences(ops::consequences(rb, r, opts)?),
        Request::Timeline(r) => Body::Timeline(ops::timeline(rb, r, opts)?),
        Request::Assess(r) => Body::Assess(crate::assess::assess(rb, r, opts)?),
        Request::Rank(r) => Body::Rank(crate::assess::rank(rb, r, opts)?),
        Request::Duties(r) => Body::Duties(crate::duties::duties(rb, r, opts)?),
    })
}

/// Reads a request body of an operation (`list`, `review`, `consequences`,
/// `timeline`) against a rulebook, with every error collected; the same
/// reading the JSON layer does.
///
/// # Errors
/// [`InputErrors`] with every field error, or `unknown_operation`.
///
/// # Example
/// ```
/// let rb = jindu::Registry::builtin().unwrap().get("hengyang-county-2018-rectification").unwrap();
/// let e = jindu::parse_request(rb, "review", &serde_json::json!({"on": "2019-02-29"})).unwrap_err();
/// assert_eq!(e.errors.len(), 2); // listing missing, no such day
/// ```
pub fn parse_request(rb: &Rulebook, operation: &str, v: &Value) -> Result<Request, InputErrors> {
    let mut ctx = Ctx::default();
    if !["list", "review", "consequences", "timeline", "assess", "rank", "duties"].contains(&operation) {
        ctx.err(
            ErrorCode::UnknownOperation,
            &Loc::Key(&Loc::Root, "operation"),
            format!("{operation:?} 不是已知操作；应为：list、review、consequences、timeline"),
            format!("{operation:?} is not an operation; expected one of: list, review, consequences, timeline"),
        );
        return Err(InputErrors { errors: ctx.errors });
    }
    match read_request(&mut ctx, rb, operation, &Json::from_value(v)) {
        Some(r) if ctx.errors.is_empty() => Ok(r),
        _ => Err(InputErrors { errors: ctx.errors }),
    }
}

/// The envelope of a call, read.
struct Envelope<'v> {
    operation: Option<&'v str>,
    target: Option<&'v str>,
    rulebook: Option<&'v str>,
    jurisdiction: Option<&'v str>,
    as_of: Option<Date>,
    explain: bool,
    receipt: bool,
    request: Option<&'v Json<'v>>,
}

fn read_envelope<'v>(ctx: &mut Ctx, v: &'v Json<'v>) -> Option<Envelope<'v>> {
    let root = Loc::Root;
    let m = ctx.obj(v, &root, &CALL_FIELDS)?;
    let op_name = |ctx: &mut Ctx, key: &'static str, allowed: &[&'static str]| -> Option<&'v str> {
        let x = ctx.req(m, &root, key)?;
        let l = root.key(key);
        let s = ctx.string(x, &l)?;
        if allowed.contains(&s) {
            Some(s)
        } else {
            ctx.err(
                ErrorCode::UnknownOperation,
                &l,
                format!("{key} 的值 {s:?} 不是已知操作；应为：{}", allowed.join("、")),
                format!("{key}: {s:?} is not an operation; expected one of: {}", allowed.join(", ")),
            );
            None
        }
    };
    let operation = op_name(ctx, "operation", &OPERATIONS);
    let target = if operation == Some("validate") {
        op_name(ctx, "target", &["list", "review", "consequences", "timeline", "assess", "rank", "duties"])
    } else {
        if Ctx::opt(m, "target").is_some() {
            let l = root.key("target");
            ctx.err(
                ErrorCode::UnknownField,
                &l,
                "target 只用于 validate 操作".to_owned(),
                "target is only for the validate operation".to_owned(),
            );
        }
        operation
    };
    let rulebook = Ctx::opt(m, "rulebook").and_then(|x| ctx.string(x, &root.key("rulebook")));
    let jurisdiction = Ctx::opt(m, "jurisdiction").and_then(|x| ctx.string(x, &root.key("jurisdiction")));
    let as_of = Ctx::opt(m, "as_of").and_then(|x| ctx.date(x, &root.key("as_of")));
    let explain = Ctx::opt(m, "explain").and_then(|x| ctx.bool(x, &root.key("explain"))).unwrap_or(true);
    let receipt = Ctx::opt(m, "receipt").and_then(|x| ctx.bool(x, &root.key("receipt"))).unwrap_or(true);
    let request = ctx.req(m, &root, "request");
    Some(Envelope {
        operation,
        target,
        rulebook,
        jurisdiction,
        as_of,
        explain,
        receipt,
        request,
    })
}

fn select<'g>(ctx: &mut Ctx, reg: &'g Registry, env: &Envelope<'_>, on: Option<Date>) -> Option<&'g Rulebook> {
    let root = Loc::Root;
    let date_field = match (env.as_of, env.target) {
        (Some(_), _) => "as_of",
        (None, Some("timeline")) => "listing.listed_on",
        (None, _) => "on",
    };
    if let Some(id) = env.rulebook {
        let Some(rb) = reg.get(id) else {
            let ids: Vec<&str> = reg.all().iter().map(Rulebook::id).collect();
            ctx.err(
                ErrorCode::UnknownRulebook,
                &root.key("rulebook"),
                format!("没有 id 为 {id:?} 的规则集；可用：{}", ids.join("、")),
                format!("no rulebook has id {id:?}; available: {}", ids.join(", ")),
            );
            return None;
        };
        if let Some(on) = on {
            if !rb.in_force_on(on) {
                let f = &rb.file().in_force;
                let until = f.until.map_or("—".to_owned(), |u| u.to_string());
                let from = f.from.map_or("—".to_owned(), |u| u.to_string());
                ctx.err(
                    ErrorCode::RulebookNotInForce,
                    &Loc::Key(&root, date_field),
                    format!("规则集 {id} 在 {on} 未生效（有效期 {from} 至 {until}）"),
                    format!("rulebook {id} is not in force on {on} (in force {from} to {until})"),
                );
            }
        }
        return Some(rb);
    }
    let Some(j) = env.jurisdiction else {
        ctx.err(
            ErrorCode::MissingField,
            &root.key("rulebook"),
            "须提供 rulebook（规则集 id）或 jurisdiction（辖区）".to_owned(),
            "give either rulebook (a rulebook id) or jurisdiction".to_owned(),
        );
        return None;
    };
    let op = env.target.unwrap_or("");
    let of_j: Vec<&Rulebook> = reg.all().iter().filter(|b| b.file().jurisdiction.key == j && b.supports(op)).collect();
    let Some(on) = on else {
        if of_j.is_empty() {
            ctx.err(
                ErrorCode::NoRulebookInForce,
                &root.key("jurisdiction"),
                format!("辖区 {j} 没有可执行 {op} 的规则集"),
                format!("jurisdiction {j} has no rulebook for {op}"),
            );
        }
        return of_j.first().copied();
    };
    let found: Vec<&Rulebook> = reg.in_force(j, on).into_iter().filter(|b| b.supports(op)).collect();
    match found.as_slice() {
        [one] => Some(one),
        [] => {
            ctx.err(
                ErrorCode::NoRulebookInForce,
                &Loc::Key(&root, date_field),
                format!("辖区 {j} 在 {on} 没有生效的规则集"),
                format!("no rulebook in force for jurisdiction {j} on {on}"),
            );
            None
        }
        [first, ..] => {
            let ids: Vec<&str> = found.iter().map(|b| b.id()).collect();
            ctx.err(
                ErrorCode::Inconsistent,
                &root.key("jurisdiction"),
                format!("辖区 {j} 在 {on} 有多个生效的规则集（{}）：请用 rulebook 指定", ids.join("、")),
                format!("several rulebooks are in force for {j} on {on} ({}): name one with rulebook", ids.join(", ")),
            );
            Some(first)
        }
    }
}

/// What `validate` answers.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Validation {
    /// Whether evaluation would accept the request.
    pub valid: bool,
    /// Every error.
    pub errors: Vec<FieldError>,
    /// Paths of fields still needed: missing required fields, and facts an
    /// answer depends on that were not supplied.
    pub missing: Vec<String>,
}

/// Runs one call given as a JSON value, against a registry.
///
/// # Errors
/// [`InputErrors`] with every error of the call at once.
///
/// # Example
/// ```
/// let reg = jindu::Registry::builtin().unwrap();
/// let call = serde_json::json!({"operation": "list", "rulebook": "hengyang-county-2018-rectification",
///     "request": {"area": {"name": "三湖镇", "level": "township"}, "issuer": {"level": "county"}, "on": "2018-06-01",
///                 "basis": "office_proposal", "categories": ["drug_abuse"],
///                 "facts": {"problem_developing": true, "not_yet_responding": true,
///                           "problem_prominent_and_severe": false, "hard_to_make_progress": false,
///                           "strengthening_but_unimproved": false}}});
/// let answer = jindu::call(reg, &call).unwrap();
/// assert_eq!(answer["tier"], "supervise");
/// ```
pub fn call(reg: &Registry, v: &Value) -> Result<Value, InputErrors> {
    call_inner(reg, &Json::from_value(v)).and_then(|o| serde_json::to_value(&o).map_err(|e| internal(&e.to_string())))
}

/// What a call produces: an answer, or (for `validate`) a validation.
#[derive(Serialize)]
#[serde(untagged)]
enum Outcome<'r> {
    Answer(Box<Answer<'r>>),
    Validation(Validation),
}

/// The facts an answer says it still needs, as paths.
fn needed(body: &Body<'_>) -> Vec<String> {
    match body {
        Body::List(l) => l.missing_facts.clone(),
        Body::Review(r) => r.missing_facts.clone(),
        Body::Timeline(t) => t.steps.iter().flat_map(|s| s.review.missing_facts.clone()).collect(),
        Body::Assess(x) => x
            .missing
            .iter()
            .map(|k| {
                if x.trends.iter().any(|t| t.trend == *k) {
                    format!("series.{k}")
                } else {
                    format!("values.{k}")
                }
            })
            .collect(),
        Body::Consequences(_) | Body::Rank(_) | Body::Duties(_) => Vec::new(),
    }
}

fn call_inner<'g>(reg: &'g Registry, v: &Json<'_>) -> Result<Outcome<'g>, InputErrors> {
    let mut ctx = Ctx::default();
    let env = read_envelope(&mut ctx, v);
    let Some(env) = env else { return Err(InputErrors { errors: ctx.errors }) };
    let target = env.target;
    let on = env.as_of.or_else(|| match (target, env.request) {
        (Some(t), Some(r)) => peek_decision_date(t, r),
        _ => None,
    });
    let rb = select(&mut ctx, reg, &env, on);
    let request = match (rb, target, env.request) {
        (Some(rb), Some(t), Some(r)) => read_request(&mut ctx, rb, t, r),
        _ => None,
    };
    let validate = env.operation == Some("validate");
    let opts = Options {
        explain: env.explain && !validate,
    };
    if validate {
        // No receipt: a validation is not a decision.
        let body = match (ctx.errors.is_empty(), rb, &request) {
            (true, Some(rb), Some(req)) => Some(evaluate_body(rb, req, opts)),
            _ => None,
        };
        let (errors, mut missing) = match body {
            Some(Ok(body)) => (Vec::new(), needed(&body)),
            Some(Err(e)) => (e.errors, Vec::new()),
            None => (no_answer(&mut ctx).errors, Vec::new()),
        };
        for e in &errors {
            if e.code == ErrorCode::MissingField {
                missing.push(e.path.clone());
            }
        }
        return Ok(Outcome::Validation(Validation {
            valid: errors.is_empty(),
            errors,
            missing,
        }));
    }
    let outcome: Result<Answer<'g>, InputErrors> = match (ctx.errors.is_empty(), rb, request) {
        // Asked for no receipt (`"receipt": false`), the request is not hashed.
        (true, Some(rb), Some(req)) => evaluate_body(rb, &req, opts).map(|body| answer_of(rb, &req, body, env.receipt.then(|| receipt(rb, &req, env.as_of)))),
        _ => Err(no_answer(&mut ctx)),
    };
    outcome.map(|a| Outcome::Answer(Box::new(a)))
}

/// The errors of a call that could not be evaluated.
fn no_answer(ctx: &mut Ctx) -> InputErrors {
    if ctx.errors.is_empty() {
        // Defensive: a call that produced neither an answer nor an error.
        ctx.err(
            ErrorCode::NoRulebookInForce,
            &Loc::Key(&Loc::Root, "rulebook"),
            "无法为该请求选定规则集".to_owned(),
            "no rulebook could be selected for this call".to_owned(),
        );
    }
    InputErrors {
        errors: std::mem::take(&mut ctx.errors),
    }
}

fn internal(msg: &str) -> InputErrors {
    InputErrors {
        errors: vec![FieldError::at(
            ErrorCode::InvalidJson,
            "",
            format!("无法序列化答复：{msg}"),
            format!("the answer could not be serialised: {msg}"),
        )],
    }
}

/// Runs one call given as JSON text against the built-in rulebooks, and
/// returns the response as JSON text: `{"ok": true, "answer": ...}` or
/// `{"ok": false, "errors": [...]}`. Never panics, whatever the input.
///
/// # Example
/// ```
/// let out = jindu::call_json(r#"{"operation": "review", "request": {}}"#);
/// let v: serde_json::Value = serde_json::from_str(&out).unwrap();
/// assert_eq!(v["ok"], false);
/// ```
#[must_use]
pub fn call_json(text: &str) -> String {
    match Registry::builtin() {
        Ok(reg) => call_json_with(reg, text),
        Err(e) => respond_errors(&InputErrors {
            errors: vec![FieldError::at(
                ErrorCode::UnknownRulebook,
                "rulebook",
                format!("内置规则集无法加载：{e}"),
                format!("the built-in rulebooks failed to load: {e}"),
            )],
        }),
    }
}

/// The length of the last answer written, to size the next one's buffer.
static LAST_ANSWER_LEN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(4096);

/// [`call_json`] against a given registry.
#[must_use]
pub fn call_json_with(reg: &Registry, text: &str) -> String {
    // The call is read into a tree that borrows its strings from the text.
    let v: Json<'_> = match crate::tree::parse(text) {
        Ok(v) => v,
        Err(e) => {
            return respond_errors(&InputErrors {
                errors: vec![FieldError::at(
                    ErrorCode::InvalidJson,
                    "",
                    format!("请求不是有效的 JSON（第 {} 行第 {} 列）：{e}", e.line(), e.column()),
                    format!("the request is not valid JSON (line {}, column {}): {e}", e.line(), e.column()),
                )],
            })
        }
    };
    // The response is written straight to text, without an intermediate value.
    match call_inner(reg, &v) {
        Ok(o) => {
            // Room for an answer as long as the last one, so that it is not copied as it grows.
            let hint = LAST_ANSWER_LEN.load(std::sync::atomic::Ordering::Relaxed).clamp(1024, 64 << 10);
            let mut out = String::with_capacity(hint);
            out.push_str("{\"ok\":true,\"answer\":");
            match crate::json::write(&mut out, &o) {
                Ok(()) => {
                    out.push('}');
                    LAST_ANSWER_LEN.store(out.len(), std::sync::atomic::Ordering::Relaxed);
                    out
                }
                Err(e) => respond_errors(&internal(&e.to_string())),
            }
        }
        Err(e) => respond_errors(&e),
    }
}

/// The response of a call that has errors, written straight to text: what
/// [`respond`] writes, without a `serde_json::Value` (which the WASM package
/// then need not contain).
fn respond_errors(e: &InputErrors) -> String {
    let mut out = String::with_capacity(512);
    out.push_str("{\"ok\":false,\"errors\":");
    match crate::json::write(&mut out, &e.errors) {
        Ok(()) => {
            out.push('}');
            out
        }
        // Unreachable (errors are plain strings and numbers), but total.
        Err(_) => UNWRITABLE_ERRORS.to_owned(),
    }
}

/// The response when the errors themselves could not be written.
const UNWRITABLE_ERRORS: &str =
    r#"{"ok":false,"errors":[{"code":"internal_error","loc":[],"path":"","msg_zh":"无法序列化错误","msg_en":"the errors could not be serialised"}]}"#;

/// Wraps a result in the response shape.
#[must_use]
pub fn respond(result: Result<Value, InputErrors>) -> String {
    let v = match result {
        Ok(a) => json!({"ok": true, "answer": a}),
        Err(e) => json!({"ok": false, "errors": e.errors}),
    };
    v.to_string()
}

/// Runs one call given as a JSON value against the built-in rulebooks and
/// returns the response value (the shape of [`call_json`]).
#[must_use]
pub fn call_value(v: &Value) -> Value {
    let result = Registry::builtin().map_err(|e| InputErrors {
        errors: vec![FieldError::at(
            ErrorCode::UnknownRulebook,
            "rulebook",
            format!("内置规则集无法加载：{e}"),
            format!("the built-in rulebooks failed to load: {e}"),
        )],
    });
    match result.and_then(|reg| call(reg, v)) {
        Ok(a) => json!({"ok": true, "answer": a}),
        Err(e) => json!({"ok": false, "errors": e.errors}),
    }
}

/// A built-in rulebook as [`rulebooks_json`] describes it.
#[derive(Serialize)]
struct BuiltinInfo<'a> {
    id: &'a str,
    title: &'a Text,
    document: &'a crate::rulebook::DocumentDef,
    issuer: &'a crate::rulebook::IssuerDef,
    jurisdiction: &'a crate::rulebook::Jurisdiction,
    in_force: &'a crate::rulebook::InForce,
    hash: &'a str,
    tiers: &'a [crate::rulebook::TierDef],
}

/// [`rulebooks_json`] as JSON text, written without a `serde_json::Value`
/// (the WASM package's export; a test holds the two equal).
#[must_use]
pub fn rulebooks_json_text() -> String {
    let Ok(reg) = Registry::builtin() else { return "[]".to_owned() };
    let infos: Vec<BuiltinInfo<'_>> = reg
        .all()
        .iter()
        .map(|b| {
            let f = b.file();
            BuiltinInfo {
                id: &f.id,
                title: &f.title,
                document: &f.document,
                issuer: &f.issuer,
                jurisdiction: &f.jurisdiction,
                in_force: &f.in_force,
                hash: b.hash(),
                tiers: &f.tiers,
            }
        })
        .collect();
    crate::json::to_string(&infos).unwrap_or_else(|_| "[]".to_owned())
}

/// The citation in words of every rule of a built-in rulebook, as JSON text
/// of an object `{rule id: citation}` in the rules' order, or `None` for an
/// unknown id.
#[must_use]
pub fn citations_json_text(id: &str) -> Option<String> {
    struct Citations<'a>(&'a Rulebook);
    impl Serialize for Citations<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_map(self.0.file().rules.iter().map(|r| (r.id.as_str(), self.0.citation_text(&r.id))))
        }
    }
    let reg = Registry::builtin().ok()?;
    crate::json::to_string(&Citations(reg.get(id)?)).ok()
}

/// The catalogue of every error code ([`crate::error_catalogue`]) as JSON text.
#[must_use]
pub fn error_catalogue_json() -> String {
    crate::json::to_string(&crate::error::error_catalogue()).unwrap_or_else(|_| "[]".to_owned())
}

/// The built-in rulebooks, described: id, title, document, issuer, jurisdiction, in force.
#[must_use]
pub fn rulebooks_json() -> Value {
    let Ok(reg) = Registry::builtin() else { return json!([]) };
    Value::Array(
        reg.all()
            .iter()
            .map(|b| {
                let f = b.file();
                json!({
                    "id": f.id, "title": f.title, "document": f.document, "issuer": f.issuer,
                    "jurisdiction": f.jurisdiction, "in_force": f.in_force, "hash": b.hash(),
                    "tiers": f.tiers,
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text exports the WASM package uses write what the `Value` ones do.
    #[test]
    fn text_exports_are_the_value_ones() {
        assert_eq!(rulebooks_json_text(), rulebooks_json().to_string());
        assert_eq!(
            error_catalogue_json(),
            serde_json::to_string(&crate::error::error_catalogue()).unwrap_or_default()
        );
        let reg = Registry::builtin();
        assert!(reg.is_ok());
        for rb in reg.map(Registry::all).unwrap_or_default() {
            let id = &rb.file().id;
            let map: serde_json::Map<String, Value> = rb.file().rules.iter().map(|r| (r.id.clone(), Value::from(rb.citation_text(&r.id)))).collect();
            assert_eq!(citations_json_text(id), Some(Value::Object(map).to_string()), "{id}");
        }
        assert_eq!(citations_json_text("no-such-rulebook"), None);
    }

    /// Error responses are written as [`respond`] writes them.
    #[test]
    fn error_responses_are_respond() {
        for text in ["{", "", "[1,", r#"{"operation": "review", "request": {}}"#, r#"{"operation": "nope"}"#] {
            let out = call_json(text);
            let v: Value = serde_json::from_str(&out).unwrap_or_default();
            assert_eq!(v.get("ok"), Some(&Value::Bool(false)), "{text}");
            let errors: Vec<FieldError> = v.get("errors").and_then(|e| serde_json::from_value(e.clone()).ok()).unwrap_or_default();
            assert!(!errors.is_empty(), "{text}");
            assert_eq!(out, respond(Err(InputErrors { errors })), "{text}");
        }
    }
}

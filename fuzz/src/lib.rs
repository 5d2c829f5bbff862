//! Shared drivers and invariants of the fuzz targets (see README.md).
//!
//! Every target ends in [`check_response`], which fails (panics, so that
//! libFuzzer records a crash) when an answer breaks the contract of the JSON
//! call layer: the text is JSON, an object with a boolean `ok`; an `ok: true`
//! has an `answer`; an `ok: false` has a non-empty `errors` array of known codes,
//! none of them `internal_error`, and none the "could not be serialised"
//! fallback (a library bug reported as an input error).
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use jindu::{error_catalogue, Registry};
use serde_json::Value;
use std::sync::OnceLock;

/// The operations that take a request (the `target`s of `validate`).
pub const TARGETS: [&str; 7] = ["list", "review", "consequences", "timeline", "assess", "rank", "duties"];

/// Dates an input can pick for `as_of` (none, a plain day, a leap day, the work plan's last day).
pub const AS_OF: [Option<&str>; 4] = [None, Some("2018-06-01"), Some("2020-02-29"), Some("2019-12-31")];

/// The built-in registry.
pub fn builtin() -> &'static Registry {
    Registry::builtin().expect("the built-in rulebooks load")
}

/// The ids of the built-in rulebooks, sorted (the seed script sorts the same way).
pub fn builtin_ids() -> &'static [String] {
    static IDS: OnceLock<Vec<String>> = OnceLock::new();
    IDS.get_or_init(|| {
        let mut ids: Vec<String> = builtin().all().iter().map(|b| b.id().to_owned()).collect();
        ids.sort();
        ids
    })
}

fn known_codes() -> &'static [String] {
    static CODES: OnceLock<Vec<String>> = OnceLock::new();
    CODES.get_or_init(|| error_catalogue().iter().map(|e| e.code.to_owned()).collect())
}

/// Checks the invariants every response must hold, and returns it parsed.
pub fn check_response(call: &str, response: &str) -> Value {
    let valid_json = serde_json::from_str::<Value>(call).is_ok();
    let v: Value = serde_json::from_str(response).unwrap_or_else(|e| panic!("response is not JSON ({e}): {response}\ncall: {call}"));
    let Some(ok) = v.get("ok").and_then(Value::as_bool) else {
        panic!("response has no boolean ok: {response}\ncall: {call}");
    };
    if ok {
        assert!(v.get("answer").is_some(), "ok:true without an answer: {response}\ncall: {call}");
        assert!(v.get("errors").is_none(), "ok:true with errors: {response}\ncall: {call}");
    } else {
        let errors = v.get("errors").and_then(Value::as_array);
        let Some(errors) = errors.filter(|e| !e.is_empty()) else {
            panic!("ok:false without errors: {response}\ncall: {call}");
        };
        for e in errors {
            let code = e.get("code").and_then(Value::as_str).unwrap_or("");
            assert!(known_codes().iter().any(|c| c == code), "unknown error code {code:?}: {response}\ncall: {call}");
            assert_ne!(code, "internal_error", "internal_error: {response}\ncall: {call}");
            let en = e.get("msg_en").and_then(Value::as_str).unwrap_or("");
            // The layer's fallback when an answer fails to serialise (api.rs `internal`).
            let unserialisable = code == "invalid_json" && en.starts_with("the answer could not be serialised");
            assert!(!unserialisable, "serialisation failure: {response}\ncall: {call}");
            // Every call a driver writes is JSON, so `invalid_json` there is a library failure.
            assert!(code != "invalid_json" || !valid_json, "invalid_json for a JSON call: {response}\ncall: {call}");
            assert!(
                e.get("path").and_then(Value::as_str).is_some(),
                "error without a path: {response}\ncall: {call}"
            );
        }
    }
    v
}

/// The selector byte of the per-operation targets, decoded.
///
/// - bits 0–2: the rulebook, by index (modulo) into the built-ins that support
///   the operation (bit 6 set: into all built-ins, sorted by id);
/// - bit 3: `explain`;
/// - bits 4–5: `as_of` from [`AS_OF`];
/// - bit 7: select by the rulebook's `jurisdiction` instead of its id.
pub struct Selector {
    /// The chosen built-in rulebook's id.
    pub rulebook: String,
    /// Its jurisdiction key, when the call selects by jurisdiction.
    pub jurisdiction: Option<String>,
    /// `explain`.
    pub explain: bool,
    /// `as_of`.
    pub as_of: Option<&'static str>,
}

impl Selector {
    /// Decodes the selector byte for an operation.
    pub fn decode(b: u8, op: &str) -> Selector {
        let reg = builtin();
        let all = builtin_ids();
        let supporting: Vec<&String> = all.iter().filter(|id| reg.get(id).is_some_and(|r| r.supports(op))).collect();
        let ix = usize::from(b & 7);
        let rulebook = if b & 0x40 != 0 || supporting.is_empty() {
            all[ix % all.len()].clone()
        } else {
            supporting[ix % supporting.len()].clone()
        };
        let jurisdiction = (b & 0x80 != 0).then(|| reg.get(&rulebook).map(|r| r.file().jurisdiction.key.clone()).unwrap_or_default());
        Selector {
            rulebook,
            jurisdiction,
            explain: b & 8 != 0,
            as_of: AS_OF[usize::from((b >> 4) & 3)],
        }
    }
}

/// Writes a call envelope around a request given as JSON text (kept verbatim).
pub fn envelope(op: &str, target: Option<&str>, sel: &Selector, request: &str) -> String {
    let q = |s: &str| serde_json::to_string(s).expect("string");
    let mut call = format!("{{\"operation\":{}", q(op));
    if let Some(t) = target {
        call.push_str(&format!(",\"target\":{}", q(t)));
    }
    match &sel.jurisdiction {
        Some(j) => call.push_str(&format!(",\"jurisdiction\":{}", q(j))),
        None => call.push_str(&format!(",\"rulebook\":{}", q(&sel.rulebook))),
    }
    if let Some(d) = sel.as_of {
        call.push_str(&format!(",\"as_of\":{}", q(d)));
    }
    call.push_str(&format!(",\"explain\":{},\"request\":{request}}}", sel.explain));
    call
}

/// The request text of an input: everything after the selector byte(s), when
/// it is one JSON value (other texts only exercise the JSON parser, which
/// `fuzz_call` covers).
pub fn request_text(data: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(data).ok()?;
    serde_json::from_str::<Value>(text).ok()?;
    Some(text)
}

/// Runs one call and checks the response; returns it parsed.
pub fn run(reg: &Registry, call: &str) -> Value {
    let response = jindu::call_json_with(reg, call);
    check_response(call, &response)
}

/// The driver of the per-operation targets: `[selector] request-json`.
///
/// Beyond [`check_response`], it checks that `validate` accepts exactly what
/// evaluation accepts (DESIGN.md: "validate accepts exactly what evaluation
/// accepts" holds by construction).
pub fn fuzz_operation(op: &str, data: &[u8]) {
    let Some((&b, rest)) = data.split_first() else { return };
    let Some(request) = request_text(rest) else { return };
    let sel = Selector::decode(b, op);
    let reg = builtin();
    let call = envelope(op, None, &sel, request);
    let answer = run(reg, &call);
    let vcall = envelope("validate", Some(op), &sel, request);
    let validation = run(reg, &vcall);
    let ok = answer["ok"].as_bool();
    if validation["ok"] == Value::Bool(true) {
        let valid = validation["answer"]["valid"].as_bool();
        assert_eq!(
            valid, ok,
            "validate says valid={valid:?} but evaluation ok={ok:?}\ncall: {call}\nanswer: {answer}\nvalidation: {validation}"
        );
        if ok == Some(false) {
            // The same errors, in the same order.
            assert_eq!(
                validation["answer"]["errors"], answer["errors"],
                "validate and evaluation report different errors\ncall: {call}"
            );
        }
    } else {
        // validate fails only where the envelope fails, and so does evaluation.
        assert_eq!(
            ok,
            Some(false),
            "validate failed but evaluation succeeded\ncall: {vcall}\nvalidation: {validation}"
        );
    }
}

/// The driver of `fuzz_validate`: `[selector] [target] request-json`.
pub fn fuzz_validate(data: &[u8]) {
    let [b, t, rest @ ..] = data else { return };
    let Some(request) = request_text(rest) else { return };
    let target = TARGETS[usize::from(*t) % TARGETS.len()];
    let sel = Selector::decode(*b, target);
    let call = envelope("validate", Some(target), &sel, request);
    let v = run(builtin(), &call);
    if v["ok"] == Value::Bool(true) {
        let a = &v["answer"];
        let valid = a["valid"].as_bool().expect("validation.valid is a boolean");
        let errors = a["errors"].as_array().expect("validation.errors is an array");
        assert_eq!(valid, errors.is_empty(), "valid disagrees with errors: {v}\ncall: {call}");
        assert!(a["missing"].is_array(), "validation.missing is not an array: {v}\ncall: {call}");
    }
}

/// The driver of `fuzz_call`: a whole call as raw text, against the built-ins;
/// the text and value entry points must agree.
pub fn fuzz_call(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let response = jindu::call_json(&text);
    let v = check_response(&text, &response);
    if let Ok(call) = serde_json::from_str::<Value>(&text) {
        let by_value = jindu::call_value(&call);
        assert_eq!(by_value, v, "call_value differs from call_json\ncall: {text}");
    }
}

/// The driver of `fuzz_tree`: `jindu_tree::parse`, the reader of a call's
/// text, against `serde_json::from_str` into a `Value` on any text (the
/// bytes, or where they are not UTF-8 the text before the first bad byte):
/// both read it, to the same tree (the same text written back, numbers of the
/// same kind), or both refuse it with the same message, line and column.
pub fn fuzz_tree(data: &[u8]) {
    let text = match std::str::from_utf8(data) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&data[..e.valid_up_to()]).unwrap(),
    };
    let ours = jindu_tree::parse(text);
    let theirs = serde_json::from_str::<Value>(text);
    match (ours, theirs) {
        (Ok(a), Ok(b)) => {
            assert_eq!(serde_json::to_string(&a).unwrap(), b.to_string(), "text: {text:?}");
            assert_eq!(jindu_tree::Json::from_value(&b), a, "text: {text:?}");
        }
        (Err(a), Err(b)) => {
            assert_eq!(a.to_string(), b.to_string(), "text: {text:?}");
            assert_eq!((a.line(), a.column()), (b.line(), b.column()), "text: {text:?}");
        }
        (a, b) => panic!("jindu_tree::parse {a:?}, serde_json {b:?}\ntext: {text:?}"),
    }
}

/// Numbers a byte of `fuzz_plan` can stand for besides small whole numbers:
/// the edges of units and thresholds, and what no unit accepts.
const PLAN_EDGES: [f64; 16] = [
    f64::NAN,
    0.0,
    -0.0,
    -1.0,
    0.5,
    84.999_999_999_999_99,
    85.0,
    99.5,
    100.0,
    100.000_000_000_000_01,
    1e300,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::MAX,
    9_007_199_254_740_993.0,
    f64::MIN_POSITIVE,
];

/// The number a byte of `fuzz_plan` stands for.
fn plan_number(b: u8) -> f64 {
    let k = f64::from(b >> 2);
    match b & 3 {
        0 => PLAN_EDGES[usize::from(b >> 2) % PLAN_EDGES.len()],
        1 => k,
        2 => k * 1.7,
        _ => 100.0 - k / 4.0,
    }
}

/// The driver of `fuzz_plan`: `selector bytes...`. The selector picks a
/// built-in rulebook with assessment rules; the bytes make a batch of its
/// records by column (a byte a value, series value, judgement and score:
/// small whole numbers, fractions, edges of units and thresholds, NaN,
/// infinities, negatives). The three paths of the compiled plan must give
/// every record the same answer or the same error: the row path
/// (`AssessPlan::eval`), the column path (`eval_columns`) and the block
/// path (`eval_blocks`, each record's answer read back with `Block::quick`
/// and with `Block::quicks`, and its masks agreeing with it).
pub fn fuzz_plan(data: &[u8]) {
    use jindu::plan::{AssessPlan, Columns, RowError};
    let Some((&pick, bytes)) = data.split_first() else { return };
    let plans: Vec<AssessPlan<'static>> = builtin().all().iter().filter_map(|b| AssessPlan::compile(b).ok()).collect();
    let Some(plan) = plans.get(usize::from(pick) % plans.len().max(1)) else {
        return;
    };
    let (nc, ns, nj) = (plan.columns().len(), plan.trends().len() * 3, plan.judgements().len());
    let per = nc + ns + nj + 1;
    let n = (bytes.len() / per).min(300);
    let at = |i: usize, k: usize| bytes.get(i * per + k).copied().unwrap_or(0);
    let values: Vec<Vec<f64>> = (0..nc).map(|c| (0..n).map(|i| plan_number(at(i, c))).collect()).collect();
    let series: Vec<Vec<f64>> = (0..ns).map(|c| (0..n).map(|i| plan_number(at(i, nc + c))).collect()).collect();
    let judgements: Vec<Vec<Option<bool>>> = (0..nj)
        .map(|c| (0..n).map(|i| [None, Some(false), Some(true)][usize::from(at(i, nc + ns + c) % 3)]).collect())
        .collect();
    let scores: Vec<f64> = (0..n).map(|i| plan_number(at(i, per - 1))).collect();
    let v: Vec<&[f64]> = values.iter().map(Vec::as_slice).collect();
    let s: Vec<&[f64]> = series.iter().map(Vec::as_slice).collect();
    let j: Vec<&[Option<bool>]> = judgements.iter().map(Vec::as_slice).collect();
    let cols = Columns {
        values: &v,
        series: &s,
        judgements: &j,
        scores: Some(&scores),
    };
    let mut by_column = vec![Err(RowError::Score); n];
    plan.eval_columns(&cols, &mut by_column).expect("a batch of the plan's shape");
    let mut by_block = Vec::with_capacity(n);
    let mut block = plan.block();
    let mut rows = [Err(RowError::Score); 64];
    plan.eval_blocks(&cols, n, &mut block, |b| {
        b.quicks(&mut rows);
        for (i, row) in rows.iter().enumerate().take(b.len()) {
            let q = b.quick(i).expect("a record of the block");
            assert_eq!(*row, q, "quicks and quick, record {i} of the block");
            assert_eq!(b.verdict(i), Some(q.map(|q| q.verdict)));
            assert_eq!(b.error(i), q.err());
            assert_eq!((b.errors() >> i) & 1 == 1, q.is_err());
            if let Ok(q) = q {
                assert_eq!((b.with_verdict(q.verdict) >> i) & 1, 1);
            }
            by_block.push(q);
        }
        assert_eq!(b.quick(b.len()), None);
    })
    .expect("a batch of the plan's shape");
    assert_eq!(by_block.len(), n);
    for (i, (c, b)) in by_column.iter().zip(&by_block).enumerate() {
        let row = plan.eval(&cols.record(i).as_record());
        assert_eq!(&row, c, "{} record {i}: the column path", plan.rulebook().id());
        assert_eq!(&row, b, "{} record {i}: the block path", plan.rulebook().id());
    }
}

/// The driver of `fuzz_rulebook`: `rulebook-json [NUL selector request-json]`.
///
/// The rulebook text is resolved against the built-ins (read, `extends`
/// merged, content checked: [`Registry::resolve_json`]) and, when it resolves,
/// checked among them as `jindu rulebook check` does ([`Registry::check_json`]);
/// the call (if any) then runs against a registry holding it alone, its
/// operation picked by the selector (bits 0–2 an operation, or `validate` of
/// one when bit 6 is set; bit 3 `explain`; bits 4–5 `as_of`; bit 7 by
/// jurisdiction).
///
/// Not here: `jindu::diff::diff`, which costs about 150 ms a rulebook the size
/// of Hengyang's (it fingerprints every rule id against the whole file), too
/// slow to fuzz.
pub fn fuzz_rulebook(data: &[u8]) {
    let (book, call) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let Ok(book) = std::str::from_utf8(book) else { return };
    let reg = builtin();
    let rb = match reg.resolve_json(book) {
        Ok(rb) => rb,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    // The same reading, and then its place among the built-ins.
    if let Err(e) = reg.check_json(book) {
        let _ = e.to_string();
    }
    let _ = rb.hash();
    let mut mine = Registry::new();
    mine.add(rb).expect("a resolved rulebook joins an empty registry");
    let Some(rb) = mine.all().first() else {
        panic!("the added rulebook is not found")
    };

    let Some(call) = call else { return };
    let Some((&b, rest)) = call.split_first() else { return };
    let Some(request) = request_text(rest) else { return };
    let op = TARGETS[usize::from(b & 7) % TARGETS.len()];
    let sel = Selector {
        rulebook: rb.id().to_owned(),
        jurisdiction: (b & 0x80 != 0).then(|| rb.file().jurisdiction.key.clone()),
        explain: b & 8 != 0,
        as_of: AS_OF[usize::from((b >> 4) & 3)],
    };
    let text = if b & 0x40 != 0 {
        envelope("validate", Some(op), &sel, request)
    } else {
        envelope(op, None, &sel, request)
    };
    run(&mine, &text);
}

//! Rulebook diff: given two versions of a rulebook and a set of calls, every
//! answer that changes and the rule ids responsible, so that staff can sign
//! off a change of regulation.

use crate::api::{evaluate, parse_request};
use crate::error::InputErrors;
use crate::ops::Options;
use crate::rulebook::{Rulebook, RulebookFile};
use serde::Serialize;
use serde_json::{json, Value};

/// One call whose answer differs between the two versions.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Change {
    /// The call's position in the list.
    pub index: usize,
    /// The operation.
    pub operation: String,
    /// The paths of the answer that differ (`outcome`, `deadline.nominal`, `indicators[3].status`).
    pub fields: Vec<String>,
    /// The rule ids responsible: the rules the answers cite whose wording or
    /// data differ between the versions (or, when none does, the rules that
    /// only one version's answer cites).
    pub rules: Vec<String>,
    /// The answer (or errors) under the old version.
    pub old: Value,
    /// The answer (or errors) under the new version.
    pub new: Value,
}

/// The result of a diff.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Diff {
    /// The old version's id and hash.
    pub old: Value,
    /// The new version's id and hash.
    pub new: Value,
    /// How many calls were run.
    pub calls: usize,
    /// The calls whose answers changed.
    pub changes: Vec<Change>,
    /// Rule ids whose wording or data changed, whether or not a call reached them.
    pub changed_rules: Vec<String>,
}

/// A rulebook file cut into the pieces that can mention a rule id (each
/// item of a list section, or a whole section that is not a list), each
/// written out once, so that fingerprinting every rule id costs one search
/// of these texts and not one serialisation of the file per id.
struct Pieces {
    /// The JSON text of each piece.
    texts: Vec<String>,
    verdict_rule: Option<String>,
}

impl Pieces {
    fn of(f: &RulebookFile) -> Pieces {
        let whole = serde_json::to_value(f).unwrap_or(Value::Null);
        let mut texts = Vec::new();
        let mut add = |v: &Value| match v {
            Value::Array(items) => texts.extend(items.iter().map(Value::to_string)),
            other => texts.push(other.to_string()),
        };
        for section in [
            "tiers",
            "scope",
            "periods",
            "terms",
            "categories",
            "listing",
            "delisting",
            "review_rules",
            "measures",
            "duties",
            "in_force",
        ] {
            if let Some(v) = whole.get(section) {
                add(v);
            }
        }
        let assessment = whole.get("assessment");
        if let Some(a) = assessment {
            for section in ["indicators", "trends", "vetoes", "outcomes", "rankings", "labels", "brackets"] {
                if let Some(v) = a.get(section) {
                    add(v);
                }
            }
        }
        let verdict_rule = assessment.and_then(|a| a.get("verdict_rule")).and_then(Value::as_str).map(str::to_owned);
        Pieces { texts, verdict_rule }
    }
}

/// Everything in a rulebook file that mentions a rule id, so that a change to
/// a threshold counts as a change of the rule that carries it.
fn fingerprint(f: &RulebookFile, pieces: &Pieces, id: &str) -> String {
    let mut out = String::new();
    if let Some(r) = f.rules.iter().find(|r| r.id == id) {
        out.push_str(&json!({"text": r.text, "modality": r.modality, "citation": r.citation, "reading": r.reading}).to_string());
    }
    let quoted = format!("\"{id}\"");
    for t in pieces.texts.iter().filter(|t| t.contains(&quoted)) {
        out.push('\n');
        out.push_str(t);
    }
    if pieces.verdict_rule.as_deref() == Some(id) {
        out.push_str("\nverdict_rule");
    }
    out
}

fn leaf_diffs(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                leaf_diffs(x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null), &p, out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                leaf_diffs(p, q, &format!("{path}[{i}]"), out);
            }
        }
        _ if a != b => out.push(path.to_owned()),
        _ => {}
    }
}

/// The decision part of an answer: without the receipt, the trail, the
/// rulebook header and the citations in words, which differ by construction.
fn decision(mut v: Value) -> Value {
    if let Value::Object(m) = &mut v {
        for k in ["receipt", "trail", "rulebook"] {
            m.remove(k);
        }
    }
    v
}

fn run(rb: &Rulebook, call: &Value) -> Result<Value, InputErrors> {
    let op = call.get("operation").and_then(Value::as_str).unwrap_or("");
    let body = call.get("request").unwrap_or(&Value::Null);
    let req = parse_request(rb, op, body)?;
    let as_of = call.get("as_of").and_then(Value::as_str).and_then(|s| crate::date::Date::parse(s).ok());
    let a = evaluate(rb, &req, as_of, Options { explain: false })?;
    Ok(decision(serde_json::to_value(&a).unwrap_or(Value::Null)))
}

/// Runs every call under both versions and lists what changes.
///
/// Each call is a JSON call as for [`crate::call`] (its `rulebook` field is
/// ignored: both versions are used). A call that errs under one version and
/// not the other is a change too.
///
/// # Example
/// ```
/// use jindu::{Registry, Rulebook, RulebookFile, diff::diff};
/// let old = Registry::builtin().unwrap().get("pingxiang-2018-demonstration-city").unwrap();
/// let mut f: RulebookFile = old.file().clone();
/// if let Some(a) = f.assessment.as_mut() {
///     for i in &mut a.indicators {
///         if i.key == "awareness_rate" {
///             if let Some(c) = i.comparison.as_mut() { c.op = jindu::assess::Op::Gte; c.word = "以上".into(); }
///         }
///     }
/// }
/// let new = Rulebook::from_file(f).unwrap();
/// let calls = vec![serde_json::json!({"operation": "assess", "request": {
///     "area": {"name": "安源区", "level": "county"}, "on": "2018-11-15",
///     "values": {"awareness_rate": 95.0}, "only": ["awareness_rate"]}})];
/// let d = diff(old, &new, &calls);
/// assert_eq!(d.changes.len(), 1);
/// assert_eq!(d.changes[0].rules, vec!["task4".to_string()]);
/// ```
#[must_use]
pub fn diff(old: &Rulebook, new: &Rulebook, calls: &[Value]) -> Diff {
    let mut ids: Vec<&str> = old.file().rules.iter().chain(new.file().rules.iter()).map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let (po, pn) = (Pieces::of(old.file()), Pieces::of(new.file()));
    let changed_rules: Vec<String> = ids
        .into_iter()
        .filter(|id| fingerprint(old.file(), &po, id) != fingerprint(new.file(), &pn, id))
        .map(str::to_owned)
        .collect();
    let mut changes = Vec::new();
    for (index, call) in calls.iter().enumerate() {
        let a = run(old, call);
        let b = run(new, call);
        let show = |r: &Result<Value, InputErrors>| match r {
            Ok(v) => v.clone(),
            Err(e) => json!({"errors": e.errors}),
        };
        let (va, vb) = (show(&a), show(&b));
        if va == vb {
            continue;
        }
        let mut fields = Vec::new();
        leaf_diffs(&va, &vb, "", &mut fields);
        let cited = |v: &Value| -> Vec<String> {
            v.get("cited")
                .and_then(Value::as_array)
                .map(|c| c.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
                .unwrap_or_default()
        };
        let (ca, cb) = (cited(&va), cited(&vb));
        // The changed rules the answers rely on; failing those (a change in
        // data no answer cites), the rules only one version's answer cites.
        let mut rules: Vec<String> = ca.iter().chain(cb.iter()).filter(|id| changed_rules.contains(id)).cloned().collect();
        if rules.is_empty() {
            rules = ca.iter().chain(cb.iter()).filter(|id| ca.contains(id) != cb.contains(id)).cloned().collect();
        }
        rules.sort();
        rules.dedup();
        changes.push(Change {
            index,
            operation: call.get("operation").and_then(Value::as_str).unwrap_or("").to_owned(),
            fields,
            rules,
            old: va,
            new: vb,
        });
    }
    Diff {
        old: json!({"id": old.id(), "hash": old.hash()}),
        new: json!({"id": new.id(), "hash": new.hash()}),
        calls: calls.len(),
        changes,
        changed_rules,
    }
}

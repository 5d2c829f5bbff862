//! The batch report: a document of areas (listing, officials, review facts)
//! in, one row per area out: tier, deadline, outcome, unmet conditions,
//! consequences, each cited. The CLI's `report` and the Python reporting
//! example both use it, so their tables agree.
//!
//! Each row is evaluated through the same JSON call layer as any other call;
//! a bad row gives that row's errors and every other row is still evaluated.

use crate::error::{ErrorCode, FieldError, InputErrors, LocSeg};
use crate::rulebook::Registry;
use serde_json::{json, Map, Value};

/// The built-in sample document: fictional townships of Hengyang county at
/// every boundary of the rules.
pub const SAMPLE: &str = include_str!("../../spec/samples/hengyang-county-townships.json");

fn err(path: String, zh: String, en: String, code: ErrorCode) -> FieldError {
    FieldError::at(code, &path, zh, en)
}

/// Rewrites an error of a row's call to a path in the document.
fn relocate(e: &FieldError, i: usize, part: &str) -> FieldError {
    let first = e.loc.first();
    let in_part = !matches!(first, Some(LocSeg::Key(k)) if k == "listing" || k == "officials");
    let path = if e.path.is_empty() {
        format!("areas[{i}]")
    } else if in_part {
        format!("areas[{i}].{part}.{}", e.path)
    } else {
        format!("areas[{i}].{}", e.path)
    };
    FieldError::at(e.code, &path, e.msg_zh.clone(), e.msg_en.clone())
}

fn measures_of(v: &Value) -> Vec<Value> {
    v.get("measures").and_then(Value::as_array).cloned().unwrap_or_default()
}

fn field<'a>(v: &'a Value, k: &str) -> &'a Value {
    v.get(k).unwrap_or(&Value::Null)
}

fn slim_measure(m: &Value) -> Value {
    json!({
        "rule": field(m, "rule"), "measure": field(m, "measure"), "modality": field(m, "modality"), "status": field(m, "status"),
        "target": field(m, "target"), "officials": m.get("officials").cloned().unwrap_or(json!([])), "text": field(m, "text"),
    })
}

fn row_for(reg: &Registry, rulebook: &str, i: usize, area: &Value) -> Result<Value, Vec<FieldError>> {
    let Value::Object(a) = area else {
        return Err(vec![err(
            format!("areas[{i}]"),
            format!("areas[{i}] 应为对象"),
            format!("areas[{i}] must be an object"),
            ErrorCode::WrongType,
        )]);
    };
    for k in a.keys() {
        if !["note", "listing", "officials", "review", "consequences"].contains(&k.as_str()) {
            return Err(vec![err(
                format!("areas[{i}].{k}"),
                format!("未知字段 areas[{i}].{k}；允许：note、listing、officials、review、consequences"),
                format!("unknown field areas[{i}].{k}; expected one of: note, listing, officials, review, consequences"),
                ErrorCode::UnknownField,
            )]);
        }
    }
    let listing = a.get("listing").cloned().unwrap_or(Value::Null);
    let officials = a.get("officials").cloned().unwrap_or(json!([]));
    let name = listing.pointer("/area/name").cloned().unwrap_or(Value::Null);
    let mut row = Map::new();
    row.insert("index".into(), json!(i));
    row.insert("area".into(), name);
    row.insert("issuer_level".into(), listing.pointer("/issuer/level").cloned().unwrap_or(Value::Null));
    row.insert("tier_before".into(), listing.get("tier").cloned().unwrap_or(Value::Null));
    row.insert("listed_on".into(), listing.get("listed_on").cloned().unwrap_or(Value::Null));
    let mut cited: Vec<Value> = Vec::new();
    let mut measures: Vec<Value> = Vec::new();
    let mut notes: Vec<Value> = Vec::new();
    let (after, date) = match a.get("review") {
        Some(Value::Object(r)) => {
            let mut req = r.clone();
            req.insert("listing".into(), listing.clone());
            req.insert("officials".into(), officials.clone());
            let call = json!({"operation": "review", "rulebook": rulebook, "explain": false, "request": req});
            let ans = crate::api::call(reg, &call).map_err(|e| e.errors.iter().map(|x| relocate(x, i, "review")).collect::<Vec<_>>())?;
            for k in [
                "outcome",
                "modality",
                "rule",
                "tier",
                "tier_name",
                "status",
                "extensions_used",
                "unmet_conditions",
                "refused",
            ] {
                row.insert(k.into(), ans.get(k).cloned().unwrap_or(Value::Null));
            }
            // 第十四条's conditions, split: not met, and not supplied (never the same thing).
            let of_status = |st: &str| -> Value {
                Value::Array(
                    ans.get("conditions")
                        .and_then(Value::as_array)
                        .map(|cs| {
                            cs.iter()
                                .filter(|c| c.get("status").and_then(Value::as_str) == Some(st))
                                .filter_map(|c| c.get("rule").cloned())
                                .collect()
                        })
                        .unwrap_or_default(),
                )
            };
            row.insert("conditions_unmet".into(), of_status("unmet"));
            row.insert("conditions_not_supplied".into(), of_status("not_supplied"));
            row.insert("deadline".into(), ans.pointer("/deadline/effective").cloned().unwrap_or(Value::Null));
            row.insert("previous_deadline".into(), ans.get("previous_deadline").cloned().unwrap_or(Value::Null));
            measures.extend(measures_of(&ans));
            cited.extend(ans.get("cited").and_then(Value::as_array).cloned().unwrap_or_default());
            notes.extend(ans.get("notes").and_then(Value::as_array).cloned().unwrap_or_default());
            (ans.get("listing").cloned().unwrap_or(Value::Null), r.get("on").cloned().unwrap_or(Value::Null))
        }
        Some(_) => {
            return Err(vec![err(
                format!("areas[{i}].review"),
                format!("areas[{i}].review 应为对象"),
                format!("areas[{i}].review must be an object"),
                ErrorCode::WrongType,
            )])
        }
        None => {
            let on = a.get("consequences").and_then(|c| c.get("on")).cloned().unwrap_or(Value::Null);
            for k in [
                "outcome",
                "modality",
                "rule",
                "unmet_conditions",
                "conditions_unmet",
                "conditions_not_supplied",
                "refused",
                "previous_deadline",
                "extensions_used",
            ] {
                row.insert(k.into(), Value::Null);
            }
            row.insert("tier".into(), listing.get("tier").cloned().unwrap_or(Value::Null));
            row.insert("status".into(), listing.get("status").cloned().unwrap_or(json!("active")));
            (listing.clone(), on)
        }
    };
    if date.is_null() {
        return Err(vec![err(
            format!("areas[{i}]"),
            format!("areas[{i}] 须有 review（评估）或 consequences.on（评估日期）"),
            format!("areas[{i}] needs a review, or consequences.on (the date to evaluate)"),
            ErrorCode::MissingField,
        )]);
    }
    row.insert("date".into(), date.clone());
    // The review's findings on the goal and on negligence stand for the
    // consequences on the same day; the document's own consequence facts add to them.
    let mut facts = Map::new();
    if let Some(Value::Object(rf)) = a.get("review").and_then(|r| r.get("facts")) {
        for k in ["goal_met", "negligence"] {
            if let Some(v) = rf.get(k) {
                facts.insert(k.into(), v.clone());
            }
        }
    }
    if let Some(Value::Object(cf)) = a.get("consequences").and_then(|c| c.get("facts")) {
        for (k, v) in cf {
            facts.insert(k.clone(), v.clone());
        }
    }
    let req = json!({"listing": after, "on": date, "officials": officials, "facts": facts});
    let call = json!({"operation": "consequences", "rulebook": rulebook, "explain": false, "request": req});
    let ans = crate::api::call(reg, &call).map_err(|e| e.errors.iter().map(|x| relocate(x, i, "consequences")).collect::<Vec<_>>())?;
    if !row.contains_key("deadline") {
        row.insert("deadline".into(), ans.get("deadline").cloned().unwrap_or(Value::Null));
        row.insert("tier_name".into(), ans.get("tier_name").cloned().unwrap_or(Value::Null));
    }
    for m in measures_of(&ans) {
        let same = |x: &Value| field(x, "rule") == field(&m, "rule") && field(x, "measure") == field(&m, "measure");
        if !measures.iter().any(same) {
            measures.push(m);
        }
    }
    for c in ans.get("cited").and_then(Value::as_array).cloned().unwrap_or_default() {
        if !cited.contains(&c) {
            cited.push(c);
        }
    }
    notes.extend(ans.get("notes").and_then(Value::as_array).cloned().unwrap_or_default());
    row.insert("consequences".into(), Value::Array(measures.iter().map(slim_measure).collect()));
    row.insert("notes".into(), Value::Array(notes));
    row.insert("cited".into(), Value::Array(cited));
    Ok(Value::Object(row))
}

/// Evaluates a report document against a registry: one row per area, in order.
/// A row that fails carries `ok: false` and its errors (paths into the
/// document); every other row is still evaluated.
///
/// # Errors
/// [`InputErrors`] only when the document itself is unusable (not an object,
/// no `rulebook`, no `areas` list).
///
/// # Example
/// ```
/// let doc: serde_json::Value = serde_json::from_str(jindu::report::SAMPLE).unwrap();
/// let out = jindu::report::report(jindu::Registry::builtin().unwrap(), &doc).unwrap();
/// assert!(out["rows"].as_array().unwrap().len() >= 10);
/// ```
pub fn report(reg: &Registry, doc: &Value) -> Result<Value, InputErrors> {
    let fail = |path: &str, zh: &str, en: &str, code| InputErrors {
        errors: vec![err(path.to_owned(), zh.to_owned(), en.to_owned(), code)],
    };
    let Value::Object(d) = doc else {
        return Err(fail(
            "",
            "报表文件应为对象（含 rulebook 与 areas）",
            "the report document must be an object with rulebook and areas",
            ErrorCode::WrongType,
        ));
    };
    let Some(rulebook) = d.get("rulebook").and_then(Value::as_str) else {
        return Err(fail(
            "rulebook",
            "缺少 rulebook（规则集 id）",
            "missing rulebook (a rulebook id)",
            ErrorCode::MissingField,
        ));
    };
    let Some(areas) = d.get("areas").and_then(Value::as_array) else {
        return Err(fail(
            "areas",
            "缺少 areas（地区列表）",
            "missing areas (a list of areas)",
            ErrorCode::MissingField,
        ));
    };
    let rows: Vec<Value> = areas
        .iter()
        .enumerate()
        .map(|(i, a)| match row_for(reg, rulebook, i, a) {
            Ok(mut r) => {
                if let Value::Object(m) = &mut r {
                    m.insert("ok".into(), json!(true));
                }
                r
            }
            Err(errors) => json!({"index": i, "ok": false, "area": a.pointer("/listing/area/name").cloned().unwrap_or(Value::Null), "errors": errors}),
        })
        .collect();
    Ok(json!({"rulebook": rulebook, "rows": rows}))
}

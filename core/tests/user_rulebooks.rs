//! User rulebooks: extending a built-in one, overriding thresholds, other
//! periods, escalation, and `rulebook check` rejecting bad ones.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use jindu::*;
use serde_json::{json, Value};

fn sample(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../spec/samples/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn registry() -> Registry {
    let mut reg = Registry::builtin().unwrap().clone();
    reg.load_json(&sample("lianhua-county-extends-pingxiang.json")).unwrap();
    reg.load_json(&sample("user-county-rectification-months.json")).unwrap();
    reg
}

#[test]
fn a_county_overrides_two_thresholds_of_its_city_and_the_trail_says_where_each_came_from() {
    let reg = registry();
    let a = call(
        &reg,
        &json!({"operation": "assess", "rulebook": "lianhua-county-2019-demonstration", "request": {
        "area": {"name": "琴亭镇", "level": "township"}, "on": "2019-06-30",
        "values": {"awareness_rate": 96.5, "rehab_dropout_rate": 4, "satisfaction_rate": 96, "registered_users": 200},
        "only": ["awareness_rate", "rehab_dropout_rate", "satisfaction_rate"]}}),
    )
    .unwrap();
    let ind = |k: &str| a["indicators"].as_array().unwrap().iter().find(|i| i["indicator"] == k).unwrap().clone();
    // awareness: the county's 97%以上 replaces the city's 超过95%
    assert_eq!(ind("awareness_rate")["status"], "unmet");
    assert_eq!(ind("awareness_rate")["threshold"], 97.0);
    assert_eq!(ind("awareness_rate")["word"], "以上");
    assert_eq!(ind("awareness_rate")["source"], "lianhua-county-2019-demonstration");
    assert_eq!(ind("awareness_rate")["points"], 3.0);
    // dropout: the county's 低于3% replaces the city's 低于5%
    assert_eq!(ind("rehab_dropout_rate")["status"], "unmet");
    assert_eq!(ind("rehab_dropout_rate")["source"], "lianhua-county-2019-demonstration");
    // satisfaction: still the city's 超过95%
    assert_eq!(ind("satisfaction_rate")["status"], "met");
    assert_eq!(ind("satisfaction_rate")["source"], "pingxiang-2018-demonstration-city");
    assert!(ind("satisfaction_rate")["citation"]
        .as_str()
        .unwrap()
        .contains("萍乡市创建全国禁毒示范城市实施方案"));
    // 200 registered users: the city bracket (200 and above)
    assert_eq!(a["brackets"][0]["bracket"], "city_listing");
}

#[test]
fn bracket_boundaries() {
    let reg = registry();
    for (users, bracket) in [
        (49, None),
        (50, Some("county_listing")),
        (199, Some("county_listing")),
        (200, Some("city_listing")),
    ] {
        let a = call(
            &reg,
            &json!({"operation": "assess", "rulebook": "lianhua-county-2019-demonstration", "request": {
            "area": {"name": "琴亭镇", "level": "township"}, "on": "2019-06-30", "values": {"registered_users": users}, "only": ["awareness_rate"]}}),
        )
        .unwrap();
        let got = a.get("brackets").and_then(|b| b[0]["bracket"].as_str().map(str::to_owned));
        assert_eq!(got.as_deref(), bracket, "{users}");
    }
}

#[test]
fn a_one_year_term_with_a_six_month_extension_counting_the_first_day() {
    let reg = registry();
    let review = |on: &str, ext: u8, facts: Value| {
        call(
            &reg,
            &json!({"operation": "review", "rulebook": "example-county-2020-rectification", "request": {
            "listing": {"area": {"name": "某镇", "level": "township"}, "issuer": {"level": "county"}, "tier": "supervise",
                        "listed_on": "2020-03-01", "extensions_used": ext, "status": if ext > 0 {"extended"} else {"active"}},
            "on": on, "facts": facts}}),
        )
        .unwrap()
    };
    // the start day counts: 2020-03-01 + 1 year ends 2021-02-28
    let a = review("2020-06-01", 0, json!({}));
    assert_eq!(a["deadline"]["nominal"], "2021-02-28");
    // six months more from 2021-03-01, that day counting: the last day is 2021-08-31
    let a = review("2021-02-28", 0, json!({"goal_met": false, "special_circumstances": true}));
    assert_eq!(a["outcome"], "extend");
    assert_eq!(a["deadline"]["nominal"], "2021-08-31");
    // still unmet after the extension: escalated to the city committee
    let a = review("2021-08-31", 1, json!({"goal_met": false}));
    assert_eq!(a["outcome"], "escalate");
    assert_eq!(a["listing"]["issuer"]["level"], "prefecture");
    assert_eq!(a["rule"], "ex4");
}

fn base() -> Value {
    serde_json::from_str(&sample("lianhua-county-extends-pingxiang.json")).unwrap()
}

fn problems(v: &Value) -> Vec<String> {
    match Registry::builtin().unwrap().check_json(&v.to_string()) {
        Ok(_) => vec![],
        Err(RulebookError::Check { problems, .. }) => {
            // Every problem in both languages.
            assert!(
                problems.iter().all(|p| !p.msg_zh.is_empty() && !p.msg_en.is_empty() && p.msg_zh != p.msg_en),
                "{problems:?}"
            );
            problems.into_iter().map(|p| p.msg_en).collect()
        }
        Err(e) => vec![e.to_string()],
    }
}

#[test]
fn check_flags_an_overlapping_bracket_at_200() {
    let mut v = base();
    v["assessment"]["brackets"][0]["to"] = json!(200);
    let p = problems(&v);
    assert!(p.iter().any(|x| x.contains("overlap at 200")), "{p:?}");
}

#[test]
fn check_flags_gapped_and_overlapping_bands() {
    let mut v = base();
    v["assessment"]["indicators"][0]["bands"] = json!([{"from": 90, "below": 95, "points": 1}, {"from": 98, "points": 5}]);
    assert!(problems(&v).iter().any(|x| x.contains("gap")));
    v["assessment"]["indicators"][0]["bands"] = json!([{"from": 95, "below": 99, "points": 3}, {"from": 98, "points": 5}]);
    assert!(problems(&v).iter().any(|x| x.contains("overlap")));
}

#[test]
fn check_flags_a_bad_comparison_word() {
    let mut v = base();
    v["assessment"]["indicators"][0]["comparison"]["word"] = json!("超过");
    let p = problems(&v);
    assert!(p.iter().any(|x| x.contains("does not fit")), "{p:?}");
}

#[test]
fn check_flags_a_missing_citation_and_an_unknown_rule() {
    let mut v = base();
    v["rules"][1]["citation"] = json!({});
    v["assessment"]["indicators"][1]["rule"] = json!("lh99");
    let p = problems(&v);
    assert!(p.iter().any(|x| x.contains("has no citation")), "{p:?}");
    assert!(p.iter().any(|x| x.contains("lh99")), "{p:?}");
}

#[test]
fn check_flags_an_unknown_indicator_and_a_tier_the_regime_does_not_have() {
    let mut v = base();
    v["assessment"]["outcomes"] =
        json!([{"key": "o", "rule": "lh1", "when": {"indicator_unmet": "happiness"}, "modality": "must", "text": {"zh": "x", "en": "x"}}]);
    assert!(problems(&v).iter().any(|x| x.contains("unknown indicator happiness")));
    let mut v = base();
    v["assessment"]["brackets"][0]["listing"]["tier"] = json!("severe");
    let p = problems(&v);
    assert!(p.iter().any(|x| x.contains("severe")), "{p:?}");
}

#[test]
fn check_flags_overlapping_validity_in_one_jurisdiction() {
    let mut reg = Registry::builtin().unwrap().clone();
    reg.load_json(&sample("lianhua-county-extends-pingxiang.json")).unwrap();
    let mut v = base();
    v["id"] = json!("lianhua-county-2020-demonstration");
    v["in_force"]["from"] = json!("2019-06-01");
    let e = reg.check_json(&v.to_string()).unwrap_err().to_string();
    assert!(e.contains("overlaps"), "{e}");
    v["in_force"]["from"] = json!("2030-01-01");
    let mut reg2 = Registry::builtin().unwrap().clone();
    reg2.load_json(&sample("lianhua-county-extends-pingxiang.json")).unwrap();
    // a later rulebook needs the earlier one to end first
    assert!(reg2.check_json(&v.to_string()).is_err());
}

#[test]
fn check_flags_an_unknown_base() {
    let mut v = base();
    v["extends"] = json!("nowhere-2018");
    assert!(problems(&v).iter().any(|x| x.contains("not loaded")));
}

#[test]
fn check_flags_an_extension_of_zero_length_or_granted_zero_times() {
    let mut v: Value = serde_json::from_str(&sample("user-county-rectification-months.json")).unwrap();
    assert_eq!(problems(&v), Vec::<String>::new());
    v["terms"][0]["extension"]["period"] = json!({"months": 0});
    let p = problems(&v);
    assert!(p.iter().any(|x| x.contains("extension has zero length")), "{p:?}");
    v["terms"][0]["extension"]["period"] = json!({"months": 6});
    v["terms"][0]["extension"]["max"] = json!(0);
    let p = problems(&v);
    assert!(p.iter().any(|x| x.contains("granted 0 times")), "{p:?}");
}

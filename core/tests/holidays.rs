//! 民法典 第二百零三条 with a holiday calendar, and user registries.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use jindu::*;
use serde_json::json;

fn with_calendar() -> Rulebook {
    let text = builtin_rulebook_text("hengyang-county-2018-rectification").unwrap();
    let mut f: RulebookFile = serde_json::from_str(text).unwrap();
    f.id = "test-hengyang-with-calendar".into();
    f.jurisdiction.key = "test-calendar".into();
    // A test calendar for 2019 (not an official one): the National Day week and
    // the weekend after it.
    let days = [
        "2019-10-01",
        "2019-10-02",
        "2019-10-03",
        "2019-10-04",
        "2019-10-05",
        "2019-10-06",
        "2019-10-07",
        "2019-12-28",
        "2019-12-29",
        "2019-12-31",
    ];
    if let Some(p) = f.periods.as_mut() {
        p.calendar = vec![serde_json::from_value(json!({"year": 2019, "source": "test data", "rest_days": days})).unwrap()];
    }
    Rulebook::from_file(f).unwrap()
}

fn review_call(rb: &str, listed_on: &str, on: &str, facts: serde_json::Value) -> serde_json::Value {
    json!({"operation": "review", "rulebook": rb, "request": {
        "listing": {"area": {"name": "三湖镇", "level": "township"}, "issuer": {"level": "county"}, "tier": "supervise", "listed_on": listed_on},
        "on": on, "facts": facts}})
}

#[test]
fn a_last_day_on_a_holiday_moves_to_the_day_after() {
    let mut reg = Registry::new();
    reg.add(with_calendar()).unwrap();
    let a = call(&reg, &review_call("test-hengyang-with-calendar", "2018-10-01", "2019-03-01", json!({}))).unwrap();
    assert_eq!(a["deadline"]["nominal"], "2019-10-01");
    assert_eq!(a["deadline"]["effective"], "2019-10-08");
    assert!(a["cited"].as_array().unwrap().contains(&json!("civil.203")));
    // On 2019-10-07 the shifted term is still running.
    let a = call(
        &reg,
        &review_call("test-hengyang-with-calendar", "2018-10-01", "2019-10-07", json!({"goal_met": false})),
    )
    .unwrap();
    assert_eq!(a["expired"], false);
    assert_eq!(a["outcome"], "continue");
    // On 2019-10-08 it is the last day: the review at expiry.
    let a = call(
        &reg,
        &review_call(
            "test-hengyang-with-calendar",
            "2018-10-01",
            "2019-10-08",
            json!({"goal_met": false, "special_circumstances": true}),
        ),
    )
    .unwrap();
    assert_eq!(a["expired"], true);
    assert_eq!(a["outcome"], "extend");
    // The extension runs from the nominal end of the term: 2020-10-01, not covered by the calendar.
    assert_eq!(a["deadline"]["nominal"], "2020-10-01");
    assert!(a["notes"].as_array().unwrap().iter().any(|n| n["code"] == "no_holiday_calendar"));
}

#[test]
fn consecutive_rest_days_are_all_skipped() {
    let mut reg = Registry::new();
    reg.add(with_calendar()).unwrap();
    let a = call(&reg, &review_call("test-hengyang-with-calendar", "2018-12-28", "2019-03-01", json!({}))).unwrap();
    assert_eq!(a["deadline"]["nominal"], "2019-12-28");
    assert_eq!(a["deadline"]["effective"], "2019-12-30");
    // 2019-12-31 is a rest day and 2020 is not covered: the shift stops at the
    // first working day it can establish, and the answer says 2020 is not covered.
    let a = call(&reg, &review_call("test-hengyang-with-calendar", "2018-12-31", "2019-03-01", json!({}))).unwrap();
    assert_eq!(a["deadline"]["effective"], "2020-01-01");
    assert!(a["notes"].as_array().unwrap().iter().any(|n| n["code"] == "no_holiday_calendar"));
}

#[test]
fn without_a_calendar_the_nominal_deadline_stands_and_is_said() {
    let a = call_value(&review_call("hengyang-county-2018-rectification", "2018-10-01", "2019-03-01", json!({})));
    assert_eq!(a["answer"]["deadline"]["effective"], "2019-10-01");
    let notes = a["answer"]["notes"].as_array().unwrap();
    assert!(notes.iter().any(|n| n["code"] == "no_holiday_calendar" && n["rule"] == "civil.203"));
}

#[test]
fn a_rulebook_that_fails_its_checks_is_rejected_with_every_problem() {
    let text = builtin_rulebook_text("hengyang-county-2018-rectification").unwrap();
    let mut f: RulebookFile = serde_json::from_str(text).unwrap();
    f.terms.retain(|t| t.tier != Tier::Rectify);
    f.rules.retain(|r| r.id != "art20");
    let e = Rulebook::from_file(f).unwrap_err().to_string();
    assert!(e.contains("tier rectify has no term"), "{e}");
    assert!(e.contains("rule art20 is cited but not defined"), "{e}");
    assert!(Rulebook::from_json("{\"format\": 1}").is_err());
}

#[test]
fn registry_refuses_a_duplicate_id() {
    let mut reg = Registry::new();
    reg.add(with_calendar()).unwrap();
    assert!(reg.add(with_calendar()).is_err());
}

#[test]
fn call_json_never_panics_on_garbage() {
    for s in [
        "",
        "{",
        "null",
        "[]",
        "42",
        "\"x\"",
        "{\"operation\": 5}",
        "{\"operation\": \"review\", \"request\": []}",
        "\u{0}",
    ] {
        let out = call_json(s);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["ok"], false, "{s}");
        assert!(!v["errors"].as_array().unwrap().is_empty());
    }
}

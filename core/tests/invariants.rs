//! Invariants of the rectification lifecycle, checked on generated requests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use jindu::*;
use proptest::prelude::*;
use serde_json::{json, Value};

const RB: &str = "hengyang-county-2018-rectification";

fn rb() -> &'static Rulebook {
    Registry::builtin().unwrap().get(RB).unwrap()
}

fn date_in(lo: i64, hi: i64) -> impl Strategy<Value = Date> {
    (lo..=hi).prop_map(|d| Date::from_days(d).unwrap())
}

fn days(s: &str) -> i64 {
    Date::parse(s).unwrap().to_days()
}

prop_compose! {
    fn listing()(tier in prop::sample::select(vec![Tier::Supervise, Tier::Rectify]),
                 listed_on in date_in(days("2018-05-02"), days("2032-12-31")),
                 ext in 0u8..=1,
                 cats in prop::sample::subsequence(vec!["manufacturing", "outflow_trafficking", "drug_abuse", "other"], 0..=3))
                 -> Listing {
        Listing {
            id: None,
            area: Area { id: None, name: "某镇".into(), level: Level::Township },
            issuer: Issuer { level: Level::County, name: None },
            tier,
            categories: cats.into_iter().map(str::to_owned).collect(),
            listed_on,
            deadline: None,
            extensions_used: ext,
            status: if ext > 0 { ListingStatus::Extended } else { ListingStatus::Active },
        }
    }
}

fn opt_bool() -> impl Strategy<Value = Option<bool>> {
    prop::option::of(any::<bool>())
}

fn condition() -> impl Strategy<Value = Option<ConditionInput>> {
    prop::option::of(prop_oneof![
        3 => Just(ConditionInput::Whole(true)),
        1 => Just(ConditionInput::Whole(false)),
        1 => prop::collection::btree_map(prop::sample::select(vec!["leaders_attentive".to_owned(), "leadership_system_sound".to_owned(), "responsibility_clear".to_owned()]), any::<bool>(), 0..3)
            .prop_map(ConditionInput::SubPoints),
    ])
}

prop_compose! {
    fn facts()(goal_met in opt_bool(), special in opt_bool(), negligence in opt_bool(),
               conds in prop::collection::vec(condition(), 6)) -> ReviewFacts {
        let keys = ["organisation_leadership", "mechanisms", "groundwork", "education", "enforcement", "problem_eased"];
        let mut conditions = std::collections::BTreeMap::new();
        for (k, c) in keys.iter().zip(conds) {
            if let Some(mut c) = c {
                // sub-points only exist for the first condition in this generator
                if *k != "organisation_leadership" {
                    if let ConditionInput::SubPoints(_) = c { c = ConditionInput::Whole(true); }
                }
                conditions.insert((*k).to_owned(), c);
            }
        }
        ReviewFacts { goal_met, special_circumstances: special, negligence, conditions }
    }
}

prop_compose! {
    fn official()(role in prop::sample::select(vec![Role::FirstResponsible, Role::DirectResponsible]),
                  since in date_in(days("2010-01-01"), days("2018-05-02")),
                  neglect in opt_bool(), n in 0u32..1000) -> Official {
        Official { name: format!("官员{n}"), role, in_post_since: since, neglect_led_to_severity: neglect }
    }
}

prop_compose! {
    fn review_request()(l in listing(), after in 0i64..1500, f in facts(),
                        app in prop::option::of(prop::sample::select(vec![Application::Extend, Application::Lower, Application::Cancel])),
                        officials in prop::collection::vec(official(), 0..3)) -> ReviewRequest {
        let on = l.listed_on.add_days(after).unwrap();
        let mut officials = officials;
        officials.dedup_by(|a, b| a.name == b.name && a.role == b.role);
        ReviewRequest { listing: l, on, facts: f, application: app, officials }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn deadlines_never_before_listing(req in review_request()) {
        let a = review(rb(), &req, Options { explain: false }).unwrap();
        if let Some(d) = a.deadline {
            prop_assert!(d.nominal >= req.listing.listed_on);
            prop_assert!(d.effective >= d.nominal);
        }
        if let (Some(p), Some(d)) = (a.previous_deadline, a.deadline) {
            if a.outcome == ReviewOutcome::Extend { prop_assert!(d.nominal > p); }
        }
    }

    #[test]
    fn no_delisting_with_an_unmet_condition(req in review_request()) {
        let a = review(rb(), &req, Options { explain: false }).unwrap();
        if matches!(a.outcome, ReviewOutcome::Lower | ReviewOutcome::Cancel) {
            prop_assert!(a.conditions_met);
            prop_assert!(a.unmet_conditions.is_empty());
            prop_assert!(a.conditions.iter().all(|c| c.status == ConditionStatus::Met));
        }
        if !a.conditions_met {
            prop_assert!(a.options.is_empty());
        }
    }

    #[test]
    fn extensions_never_exceed_the_maximum(req in review_request()) {
        let a = review(rb(), &req, Options { explain: false }).unwrap();
        prop_assert!(a.extensions_used <= 1);
        prop_assert!(a.listing.extensions_used <= 1);
    }

    #[test]
    fn requests_round_trip_through_json(req in review_request()) {
        let r = Request::Review(req);
        let v = serde_json::to_value(&r).unwrap();
        let back: Request = serde_json::from_value(v.clone()).unwrap();
        prop_assert_eq!(&back, &r);
        let read = parse_request(rb(), "review", &v["request"]).unwrap();
        prop_assert_eq!(read, r);
    }

    #[test]
    fn equal_requests_equal_receipts(a in review_request(), b in review_request()) {
        let (ra, rb_) = (Request::Review(a.clone()), Request::Review(b.clone()));
        prop_assert_eq!(receipt(rb(), &ra, None), receipt(rb(), &Request::Review(a), None));
        if ra != rb_ {
            prop_assert_ne!(receipt(rb(), &ra, None).request_hash, receipt(rb(), &rb_, None).request_hash);
        }
    }

    #[test]
    fn explain_changes_nothing_but_the_trail(req in review_request()) {
        let with = review(rb(), &req, Options { explain: true }).unwrap();
        let mut without = review(rb(), &req, Options { explain: false }).unwrap();
        prop_assert!(with.explained.trail.is_some());
        without.explained.trail = with.explained.trail.clone();
        prop_assert_eq!(with, without);
    }

    #[test]
    fn validate_accepts_exactly_what_evaluation_accepts(req in review_request()) {
        let call = json!({"operation": "review", "rulebook": RB, "request": serde_json::to_value(&req).unwrap()});
        let eval = call_value(&call);
        let mut vcall = call.clone();
        vcall["operation"] = json!("validate");
        vcall["target"] = json!("review");
        let val = call_value(&vcall);
        prop_assert_eq!(val["answer"]["valid"].as_bool(), eval["ok"].as_bool());
    }

    #[test]
    fn cited_rules_exist(req in review_request()) {
        let a = review(rb(), &req, Options { explain: true }).unwrap();
        for id in &a.explained.cited { prop_assert!(rb().rule_by_id(id).is_some(), "{}", id); }
        prop_assert!(rb().rule_by_id(a.rule).is_some(), "{}", a.rule);
        for m in &a.measures { prop_assert!(rb().rule_by_id(m.rule).is_some()); }
    }

    /// 第十四条: the options open to the listing body (lower, cancel, extend)
    /// only widen as conditions are met; meeting one more never takes one away.
    #[test]
    fn adding_a_met_condition_never_removes_an_option(req in review_request(), which in 0usize..6) {
        let keys = ["organisation_leadership", "mechanisms", "groundwork", "education", "enforcement", "problem_eased"];
        let mut better = req.clone();
        better.facts.conditions.insert(keys[which].to_owned(), ConditionInput::Whole(true));
        let (Ok(a), Ok(b)) = (review(rb(), &req, Options::default()), review(rb(), &better, Options::default())) else { return Ok(()) };
        for o in &a.options {
            prop_assert!(b.options.iter().any(|x| x.action == o.action), "{:?} lost by meeting {}: {:?} -> {:?}", o.action, keys[which], a.options, b.options);
        }
        prop_assert!(b.unmet_conditions.len() <= a.unmet_conditions.len());
    }

    #[test]
    fn timeline_deadlines_ordered(l in listing(), steps in prop::collection::vec((1i64..500, facts()), 1..5)) {
        let mut on = l.listed_on;
        let mut reviews = Vec::new();
        for (gap, f) in steps {
            on = on.add_days(gap).unwrap();
            reviews.push(TimelineReview { on, facts: f, application: None });
        }
        let req = TimelineRequest { listing: l, officials: vec![], reviews };
        let a = timeline(rb(), &req, Options { explain: false }).unwrap();
        let mut last: Option<Date> = None;
        for s in &a.steps {
            if let Some(d) = s.review.deadline {
                if s.review.outcome == ReviewOutcome::Extend {
                    if let Some(p) = last { prop_assert!(d.nominal >= p); }
                }
                last = Some(d.nominal);
            }
        }
    }

    #[test]
    fn arbitrary_json_never_panics(v in arb_json()) {
        for op in ["list", "review", "consequences", "timeline", "validate"] {
            let out = call_value(&json!({"operation": op, "target": "review", "rulebook": RB, "request": v.clone()}));
            prop_assert!(out["ok"].is_boolean());
        }
        let out = call_value(&v);
        prop_assert!(out["ok"].is_boolean());
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(vec![
            "2018-05-02",
            "2019-02-29",
            "2020-02-29",
            "rectify",
            "supervise",
            "township",
            "county",
            "",
            "x"
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "listing",
                    "area",
                    "name",
                    "level",
                    "issuer",
                    "tier",
                    "listed_on",
                    "on",
                    "facts",
                    "goal_met",
                    "negligence",
                    "extensions_used",
                    "status",
                    "conditions",
                    "reviews",
                    "officials",
                    "role",
                    "in_post_since",
                    "operation",
                    "request",
                    "categories",
                    "basis",
                    "application",
                ])
                .prop_map(str::to_owned),
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

// ---------------------------------------------------------------- assessment

fn verdict_rank(v: &Value) -> u8 {
    match v.as_str() {
        Some("met") => 0,
        Some("incomplete") => 1,
        Some("unmet") => 2,
        Some("vetoed") => 3,
        _ => 9,
    }
}

const PX_RATES: [(&str, bool); 8] = [
    ("awareness_rate", true),
    ("satisfaction_rate", true),
    ("wechat_follow_rate", true),
    ("school_registration_rate", true),
    ("info_collection_rate", true),
    ("rehab_execution_rate", true),
    ("rehab_dropout_rate", false),
    ("drug_free_school_rate", true),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn a_strictly_worse_indicator_never_gives_a_milder_verdict(vals in prop::collection::vec(prop::option::of(0.0f64..=100.0), 8), which in 0usize..8, by in 0.01f64..50.0) {
        let mut values = serde_json::Map::new();
        for ((k, _), v) in PX_RATES.iter().zip(&vals) {
            if let Some(v) = v { values.insert((*k).to_owned(), json!((v * 100.0).round() / 100.0)); }
        }
        let only: Vec<&str> = PX_RATES.iter().map(|(k, _)| *k).collect();
        let call_with = |values: &serde_json::Map<String, Value>| call_value(&json!({"operation": "assess", "rulebook": "pingxiang-2018-demonstration-city",
            "request": {"area": {"name": "安源区", "level": "county"}, "on": "2018-11-15", "values": values, "only": only}}));
        let before = call_with(&values);
        let (key, higher_is_better) = PX_RATES[which];
        if let Some(v) = values.get(key).and_then(Value::as_f64) {
            let worse = if higher_is_better { (v - by).max(0.0) } else { (v + by).min(100.0) };
            let mut w = values.clone();
            w.insert(key.to_owned(), json!(worse));
            let after = call_with(&w);
            prop_assert!(verdict_rank(&after["answer"]["verdict"]) >= verdict_rank(&before["answer"]["verdict"]),
                "{key}: {v} -> {worse}: {} -> {}", before["answer"]["verdict"], after["answer"]["verdict"]);
        }
    }

    #[test]
    fn ranking_outcomes_do_not_depend_on_order(scores in prop::collection::vec(0u32..100, 1..15), seed in any::<u64>()) {
        let cohort: Vec<Value> = scores.iter().enumerate().map(|(i, s)| json!({"name": format!("县{i}"), "score": s})).collect();
        let mut shuffled = cohort.clone();
        let n = shuffled.len();
        let mut x = seed;
        for i in (1..n).rev() { x = x.wrapping_mul(6364136223846793005).wrapping_add(1); shuffled.swap(i, (x % (i as u64 + 1)) as usize); }
        let run = |c: &Vec<Value>| call_value(&json!({"operation": "rank", "rulebook": "sinan-county-20xx-assessment", "request": {"ranking": "provincial_survey", "on": "2019-12-31", "cohort": c}}));
        let a = run(&cohort);
        let b = run(&shuffled);
        let by_name = |v: &Value| { let mut m: Vec<(String, String)> = v["answer"]["members"].as_array().unwrap().iter().map(|m| (m["name"].as_str().unwrap().to_owned(), format!("{}{}{}", m["from_bottom"], m["rank"], m["cutoffs"]))).collect(); m.sort(); m };
        prop_assert_eq!(by_name(&a), by_name(&b));
    }
}

/// Every answer of every spec case, over every rule family and operation,
/// cites only rules its rulebook defines.
#[test]
fn every_spec_answer_cites_rules_of_its_rulebook() {
    let reg = Registry::builtin().unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/cases");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        for case in v.as_array().into_iter().flatten() {
            if case["operation"] == "validate" || case.get("rulebook_json").is_some() {
                continue;
            }
            let mut c = json!({"operation": case["operation"], "request": case["request"], "explain": true});
            for k in ["rulebook", "jurisdiction", "as_of"] {
                if let Some(x) = case.get(k).filter(|x| !x.is_null()) {
                    c[k] = x.clone();
                }
            }
            let out = call_value(&c);
            if out["ok"] != true {
                continue;
            }
            let Some(rb) = out["answer"]["rulebook"]["id"].as_str().and_then(|id| reg.get(id)) else {
                continue;
            };
            let mut ids: Vec<&str> = out["answer"]["cited"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            ids.extend(out["answer"]["trail"].as_array().into_iter().flatten().filter_map(|s| s["rule"].as_str()));
            for id in ids {
                assert!(
                    rb.rule_by_id(id).is_some(),
                    "{}: {} cites {id}, which {} does not define",
                    case["id"],
                    c["operation"],
                    rb.id()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} answers checked");
}

/// The text and value entry points read every number alike (correctly
/// rounded), on the inputs that fuzz_call once found them disagreeing on.
#[test]
fn text_and_value_entry_points_agree_on_fuzz_regressions() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions/fuzz_call");
    let mut n = 0;
    for f in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        let by_text: serde_json::Value = serde_json::from_str(&jindu::call_json(&text)).unwrap();
        let by_value = jindu::call_value(&serde_json::from_str(&text).unwrap());
        assert_eq!(by_text, by_value, "{text}");
        n += 1;
    }
    assert!(n > 0);
}

//! Times the JSON call layer on typical calls and prints microseconds per call.
//! Run: `cargo run --release -p jindu-core --example call_bench`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Instant;

fn main() {
    let review = r#"{"operation":"review","rulebook":"hengyang-county-2018-rectification","explain":EXPLAIN,"request":{
        "listing":{"area":{"name":"三湖镇","level":"township"},"issuer":{"level":"county"},"tier":"rectify","listed_on":"2018-05-31","categories":["outflow_trafficking"]},
        "on":"2020-05-31","facts":{"goal_met":false,"negligence":true,"conditions":{"organisation_leadership":true,"mechanisms":{"regular_study":true,"committee_systems":false}}},
        "officials":[{"name":"张三","role":"first_responsible","in_post_since":"2016-05-31","neglect_led_to_severity":true}]}}"#;
    let validate = review.replace(r#""operation":"review""#, r#""operation":"validate","target":"review""#);
    let assess = r#"{"operation":"assess","rulebook":"pingxiang-2018-demonstration-city","explain":EXPLAIN,"request":{"area":{"name":"安源区","level":"county"},"on":"2018-11-15",
        "values":{"awareness_rate":95,"satisfaction_rate":96,"auxiliary_police":2,"actual_users":151}}}"#;
    // ONLY=validate (or review, assess) times one call; EXPLAIN=false one setting (for profilers).
    let only = std::env::var("ONLY").ok();
    let only_explain = std::env::var("EXPLAIN").ok();
    for (name, text) in [("review", review.to_owned()), ("validate", validate), ("assess", assess.to_owned())] {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        for explain in [true, false] {
            if only_explain.as_deref().is_some_and(|e| e != explain.to_string()) {
                continue;
            }
            let t = text.replace("EXPLAIN", if explain { "true" } else { "false" });
            let n: u32 = std::env::var("N").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
            let start = Instant::now();
            let mut bytes = 0;
            for _ in 0..n {
                bytes += jindu::call_json(&t).len();
            }
            let us = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
            println!("{name:9} explain={explain:5}: {us:7.1} µs per call ({} bytes of answer)", bytes / n as usize);
        }
    }
}

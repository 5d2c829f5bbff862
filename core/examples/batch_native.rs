//! Native batch benchmark: evaluates N typed review requests (default
//! 1,000,000) with `explain: false` and prints rows per second, the figure the
//! Python batch path (`py/bench/bench.py`) is compared against.
//!
//! The rows are the ones `py/bench/bench.py` builds, row `i` from `i` alone:
//!
//! ```text
//! tier            = supervise if i % 2 == 0 else rectify
//! listed_on       = 2018-06-01 + (i % 365) days
//! extensions_used = (i / 2) % 2           status = extended if 1 else active
//! review_on       = listed_on + 200 + (i % 700) days
//! goal_met        = [true, false, null][i % 3]
//! special_circs   = i % 5 == 0            negligence = i % 7 == 0
//! application     = [null, extend, lower, cancel][i % 4]
//! every 第十四条 condition = i % 11 != 0
//! area            = "镇{i % 1000}", township, issuer county
//! ```
//!
//! Run: `cargo run --release -p jindu-core --example batch_native -- [N] [--json] [--consequences]`
//! (`--json` also times the same rows through the JSON call layer;
//! `--consequences` also evaluates `consequences` of the listing after each review).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, missing_docs)]

use jindu::{
    Application, Area, ConditionInput, ConsequenceFacts, ConsequencesRequest, Date, Issuer, Level, Listing, ListingStatus, Options, Registry, ReviewFacts,
    ReviewRequest, Tier,
};
use std::collections::BTreeMap;
use std::time::Instant;

const RULEBOOK: &str = "hengyang-county-2018-rectification";

fn row(i: usize, condition_keys: &[String]) -> ReviewRequest {
    let base = Date::new(2018, 6, 1).unwrap();
    let listed_on = base.add_days((i % 365) as i64).unwrap();
    let ext = ((i / 2) % 2) as u8;
    let on = listed_on.add_days(200 + (i % 700) as i64).unwrap();
    let mut conditions = BTreeMap::new();
    for k in condition_keys {
        conditions.insert(k.clone(), ConditionInput::Whole(i % 11 != 0));
    }
    ReviewRequest {
        listing: Listing {
            id: None,
            area: Area {
                id: None,
                name: format!("镇{}", i % 1000),
                level: Level::Township,
            },
            issuer: Issuer {
                level: Level::County,
                name: None,
            },
            tier: if i % 2 == 0 { Tier::Supervise } else { Tier::Rectify },
            categories: Vec::new(),
            listed_on,
            deadline: None,
            extensions_used: ext,
            status: if ext == 1 { ListingStatus::Extended } else { ListingStatus::Active },
        },
        on,
        facts: ReviewFacts {
            goal_met: [Some(true), Some(false), None][i % 3],
            special_circumstances: Some(i % 5 == 0),
            negligence: Some(i % 7 == 0),
            conditions,
        },
        application: [None, Some(Application::Extend), Some(Application::Lower), Some(Application::Cancel)][i % 4],
        officials: Vec::new(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    let json = args.iter().any(|a| a == "--json");
    let with_consequences = args.iter().any(|a| a == "--consequences");
    let reg = Registry::builtin().expect("built-in rulebooks");
    let rb = reg.get(RULEBOOK).expect("built-in rulebook");
    // The 第十四条 condition keys, read from the rulebook's JSON text (its stable format).
    let text: serde_json::Value = serde_json::from_str(jindu::builtin_rulebook_text(RULEBOOK).expect("rulebook text")).expect("rulebook JSON");
    let keys: Vec<String> = text["delisting"]["conditions"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["key"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let opts = Options { explain: false };

    let t0 = Instant::now();
    let rows: Vec<ReviewRequest> = (0..n).map(|i| row(i, &keys)).collect();
    let build = t0.elapsed().as_secs_f64();

    let t1 = Instant::now();
    let mut ok = 0usize;
    let mut cancelled = 0usize;
    for r in &rows {
        match jindu::review(rb, r, opts) {
            Ok(a) => {
                ok += 1;
                if a.status == ListingStatus::Cancelled {
                    cancelled += 1;
                }
                if with_consequences && a.listing.status != ListingStatus::Cancelled {
                    let c = ConsequencesRequest {
                        listing: a.listing,
                        on: r.on,
                        officials: r.officials.clone(),
                        facts: ConsequenceFacts {
                            goal_met: r.facts.goal_met,
                            negligence: r.facts.negligence,
                            failed_annual_assessment: None,
                        },
                    };
                    let _ = std::hint::black_box(jindu::consequences(rb, &c, opts));
                }
            }
            Err(e) => {
                std::hint::black_box(e);
            }
        }
    }
    let eval = t1.elapsed().as_secs_f64();
    println!(
        "native typed review{}: {n} rows in {eval:.3} s = {:.0} rows/s ({ok} ok, {cancelled} cancelled; building the requests took {build:.3} s)",
        if with_consequences { " + consequences" } else { "" },
        n as f64 / eval
    );

    if json {
        let calls: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| serde_json::json!({"operation": "review", "rulebook": RULEBOOK, "explain": false, "request": r}))
            .collect();
        let t2 = Instant::now();
        let mut ok = 0usize;
        for c in &calls {
            if jindu::call(reg, c).is_ok() {
                ok += 1;
            }
        }
        let e = t2.elapsed().as_secs_f64();
        println!("native JSON call layer: {n} rows in {e:.3} s = {:.0} rows/s ({ok} ok)", n as f64 / e);
    }
}

//! A plain loop of `plan.eval` (and of the hand-written rule) over the
//! generated records, for a profiler: `perf record` or `valgrind
//! --tool=callgrind` on `target/release/examples/plan_loop [plan|hand] [passes]`.
//! Prints ns per record; asserts nothing about time.

use std::hint::black_box;
use std::time::Instant;

use jindu::plan::AssessPlan;
use jindu::Registry;
use jindu_bench::{generate, hand, hand_quick, plan_record, RULEBOOK};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let which = args.get(1).map_or("plan", String::as_str).to_owned();
    let passes: usize = args.get(2).and_then(|x| x.parse().ok()).unwrap_or(100);
    let n = 100_000;
    let recs = generate(n, 0x6a69_6e64_7500_0001);
    let rb = Registry::builtin().expect("rulebooks").get(RULEBOOK).expect("rulebook");
    let plan = AssessPlan::compile(rb).expect("plan");
    let t = Instant::now();
    let mut met = 0usize;
    let mut qq = jindu::plan::Quick::default();
    for _ in 0..passes {
        for i in 0..n {
            let (r, j) = recs.get(i);
            if which == "into" {
                met += usize::from(plan.eval_into(black_box(&plan_record(r, j)), &mut qq).is_ok() && black_box(&qq).verdict == jindu::assess::Verdict::Met);
            } else if which == "handq" {
                met += usize::from(black_box(hand_quick(black_box(r), black_box(j))).is_some_and(|q| q.verdict == jindu::assess::Verdict::Met));
            } else if which == "hand" {
                met += usize::from(black_box(hand(black_box(r), black_box(j))).is_some_and(|d| d.verdict == 0));
            } else {
                met += usize::from(black_box(plan.eval(black_box(&plan_record(r, j)))).is_ok_and(|q| q.verdict == jindu::assess::Verdict::Met));
            }
        }
    }
    let dt = t.elapsed();
    let per = dt.as_secs_f64() * 1e9 / (passes * n) as f64;
    println!(
        "{which}: {passes} x {n} records in {dt:.2?}: {per:.1} ns/record, {:.1} M records/s ({met} met)",
        1e3 / per
    );
}

//! Native benchmark of the compiled assessment plan: judges N generated
//! records (default 1,000,000) of a rulebook (default
//! `hengyang-county-2018-work-plan`) with `AssessPlan::eval` and prints
//! records per second, the figure `py/bench/bench_assess.py` compares
//! `jindu.assess_table` against.
//!
//! Record `i` is made from `i` alone (the same formulas in
//! `py/bench/bench_assess.py`), for value column `c`, trend `t`, period `s`
//! (0 oldest) and judgement `j`:
//!
//! ```text
//! good        = i % 4 == 0 (every supplied value meets a standard of 以上/达/零/至少)
//! value       = not supplied if (i + 3c) % 17 == 0, else by unit:
//!               percent 100 if good else 80 + ((37i + 11c) % 201) / 10
//!               count   0 if good else (1 if (7i + 3c) % 5 == 0 else 0)
//!               other   4 + i % 10 if good else (13i + c) % 40
//! series      = not supplied if (i + s) % 11 == 0, else
//!               [100, 60, 30][s] if good else ((s + 3) i + 5t) % 50
//! judgement   = [not supplied, true, false][(i + j) % 3]
//! score       = not supplied if i % 10 == 0, else i % 101
//! ```
//!
//! Only the evaluation is timed (the records are built first, row-major, as
//! the plan reads them), the fastest of three passes. It prints the count of
//! each verdict, which the Python benchmark checks against its own.
//!
//! With `--columns`, the records are turned into columns first (not timed)
//! and judged by `AssessPlan::eval_columns_each` (each answer counted as it
//! comes) and by `AssessPlan::eval_columns` (the whole batch into one output
//! slice of 272-byte answers, which is mostly memory traffic), and by
//! `AssessPlan::eval_blocks` (64 records a block, answers as masks by item,
//! the verdicts counted from the masks).
//!
//! Run: `cargo run --release -p jindu-core --example plan_bench -- [N] [RULEBOOK] [--columns]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, missing_docs)]

use jindu::assess::{Unit, Verdict};
use jindu::plan::{AssessPlan, Columns, Quick, Record};
use jindu::Registry;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    let by_columns = args.iter().any(|a| a == "--columns");
    let id = args
        .iter()
        .find(|a| a.parse::<usize>().is_err() && !a.starts_with("--"))
        .map_or("hengyang-county-2018-work-plan", String::as_str);
    let rb = Registry::builtin().expect("built-in rulebooks").get(id).expect("a built-in rulebook");
    let plan = AssessPlan::compile(rb).expect("a rulebook with assessment rules");
    let (nc, nt, nj) = (plan.columns().len(), plan.trends().len(), plan.judgements().len());

    let t0 = Instant::now();
    let mut values = vec![f64::NAN; n * nc];
    let mut series = vec![f64::NAN; n * nt * 3];
    let mut judgements = vec![None; n * nj];
    let mut scores = vec![None; n];
    for i in 0..n {
        let good = i % 4 == 0;
        for (c, unit) in plan.units().iter().enumerate() {
            if (i + 3 * c) % 17 != 0 {
                values[i * nc + c] = match (unit, good) {
                    (Unit::Percent, true) => 100.0,
                    (Unit::Percent, false) => 80.0 + ((37 * i + 11 * c) % 201) as f64 / 10.0,
                    (Unit::Count, true) => 0.0,
                    (Unit::Count, false) => f64::from(u8::from((7 * i + 3 * c) % 5 == 0)),
                    (_, true) => (4 + i % 10) as f64,
                    (_, false) => ((13 * i + c) % 40) as f64,
                };
            }
        }
        for t in 0..nt {
            for s in 0..3 {
                if (i + s) % 11 != 0 {
                    series[(i * nt + t) * 3 + s] = if good { [100.0, 60.0, 30.0][s] } else { (((s + 3) * i + 5 * t) % 50) as f64 };
                }
            }
        }
        for j in 0..nj {
            judgements[i * nj + j] = [None, Some(true), Some(false)][(i + j) % 3];
        }
        if i % 10 != 0 {
            scores[i] = Some((i % 101) as f64);
        }
    }
    let build = t0.elapsed().as_secs_f64();

    if by_columns {
        return columns(&plan, id, n, &values, &series, &judgements, &scores);
    }
    // The fastest of three passes (the figure of a machine shared with other work).
    let mut eval = f64::INFINITY;
    let mut counts = [0usize; 6];
    for _ in 0..3 {
        counts = [0; 6];
        let t1 = Instant::now();
        for i in 0..n {
            let r = Record {
                values: &values[i * nc..(i + 1) * nc],
                series: &series[i * nt * 3..(i + 1) * nt * 3],
                judgements: &judgements[i * nj..(i + 1) * nj],
                score: scores[i],
            };
            counts[verdict_no(&plan.eval(&r))] += 1;
        }
        eval = eval.min(t1.elapsed().as_secs_f64());
    }
    println!(
        "native plan.eval {id}: {n} records in {eval:.3} s = {:.0} records/s ({}; building the records took {build:.3} s)",
        n as f64 / eval,
        mix(&counts)
    );
}

fn verdict_no(q: &Result<Quick, jindu::plan::RowError>) -> usize {
    match q {
        Ok(q) => match q.verdict {
            Verdict::Met => 0,
            Verdict::Unmet => 1,
            Verdict::Vetoed => 2,
            Verdict::Incomplete => 3,
            Verdict::NotProvided => 4,
        },
        Err(_) => 5,
    }
}

/// The same records by column, judged by `eval_columns`.
fn columns(plan: &AssessPlan<'_>, id: &str, n: usize, values: &[f64], series: &[f64], judgements: &[Option<bool>], scores: &[Option<f64>]) {
    let (nc, ns, nj) = (plan.columns().len(), plan.trends().len() * 3, plan.judgements().len());
    let vcols: Vec<Vec<f64>> = (0..nc).map(|c| (0..n).map(|i| values[i * nc + c]).collect()).collect();
    let scols: Vec<Vec<f64>> = (0..ns).map(|s| (0..n).map(|i| series[i * ns + s]).collect()).collect();
    let jcols: Vec<Vec<Option<bool>>> = (0..nj).map(|j| (0..n).map(|i| judgements[i * nj + j]).collect()).collect();
    let score: Vec<f64> = scores.iter().map(|s| s.unwrap_or(f64::NAN)).collect();
    let v: Vec<&[f64]> = vcols.iter().map(Vec::as_slice).collect();
    let s: Vec<&[f64]> = scols.iter().map(Vec::as_slice).collect();
    let j: Vec<&[Option<bool>]> = jcols.iter().map(Vec::as_slice).collect();
    let cols = Columns {
        values: &v,
        series: &s,
        judgements: &j,
        scores: Some(&score),
    };
    // Each answer handed to a closure that counts its verdict (as the row
    // loop above does), and the same batch stored into one output slice.
    let mut eval = f64::INFINITY;
    let mut counts = [0usize; 6];
    for _ in 0..3 {
        counts = [0; 6];
        let t1 = Instant::now();
        plan.eval_columns_each(&cols, n, |_, q| counts[verdict_no(&std::hint::black_box(q).copied())] += 1)
            .expect("columns of the plan's shape");
        eval = eval.min(t1.elapsed().as_secs_f64());
    }
    println!(
        "native plan.eval_columns_each {id}: {n} records in {eval:.3} s = {:.0} records/s ({})",
        n as f64 / eval,
        mix(&counts)
    );
    let mut out = vec![Ok(Quick::default()); n];
    let mut eval = f64::INFINITY;
    for _ in 0..3 {
        let t1 = Instant::now();
        plan.eval_columns(&cols, &mut out).expect("columns of the plan's shape");
        eval = eval.min(t1.elapsed().as_secs_f64());
    }
    let mut counts = [0usize; 6];
    for q in &out {
        counts[verdict_no(q)] += 1;
    }
    println!(
        "native plan.eval_columns {id}: {n} records in {eval:.3} s = {:.0} records/s ({})",
        n as f64 / eval,
        mix(&counts)
    );
    // By block: the verdicts counted from the block's masks (a popcount a
    // verdict a block), and checked equal to the row path's counts.
    let mut block = plan.block();
    let mut eval = f64::INFINITY;
    let mut by_block = [0usize; 6];
    for _ in 0..3 {
        by_block = [0; 6];
        let t1 = Instant::now();
        plan.eval_blocks(&cols, n, &mut block, |b| {
            let b = std::hint::black_box(b);
            for (k, v) in [Verdict::Met, Verdict::Unmet, Verdict::Vetoed, Verdict::Incomplete, Verdict::NotProvided]
                .into_iter()
                .enumerate()
            {
                by_block[k] += b.with_verdict(v).count_ones() as usize;
            }
            by_block[5] += b.errors().count_ones() as usize;
        })
        .expect("columns of the plan's shape");
        eval = eval.min(t1.elapsed().as_secs_f64());
    }
    assert_eq!(by_block, counts, "by block and by row count the same verdicts");
    println!(
        "native plan.eval_blocks {id}: {n} records in {eval:.3} s = {:.0} records/s ({})",
        n as f64 / eval,
        mix(&by_block)
    );
}

/// The count of each verdict, as the Python benchmark reads it.
fn mix(counts: &[usize; 6]) -> String {
    format!(
        "met {}, unmet {}, vetoed {}, incomplete {}, not_provided {}, errors {}",
        counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]
    )
}

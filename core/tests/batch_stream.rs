//! Streaming batches under load and faults (issue 7): a large batch is
//! evaluated in memory that does not grow with it, and a batch with bad
//! records keeps every good answer, in order, with each bad record's error on
//! its own line.
//!
//! The load test streams records from a generator (`impl Read`, no file) into
//! a counting sink (`impl Write`) under a counting global allocator, and checks
//! that the peak of live heap bytes after the whole batch is no higher than
//! after the first 10,000 records plus a small margin.
//!
//! How many records: `cargo test` builds this test unoptimised, where a
//! record of this mix costs about 1.8 ms (measured on the project's 2-CPU
//! machine, busy: 30,000 records in 53 s, the answers averaging 7.5 KB with
//! their trails), so a million would take half an hour of every test run.
//! The default is therefore 30,000 (20,000 on two threads): two to three
//! times the 10,000-record reference point, with a margin of 64 KiB, so any
//! growth of more than 3 to 7 bytes a record fails (an answer kept is
//! ~7.5 KB). `JINDU_BATCH_RECORDS=1000000 cargo test --release -p jindu-core
//! --test batch_stream` runs the full million (about two minutes a test).
//! The release benchmark `cargo run --release -p jindu-core --example
//! batch_stream -- 1000000` streams a million records and prints the peak RSS
//! at 10k and at 1M, and its `--emit` feeds a million to `jindu batch`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

mod batch_gen;

use batch_gen::{is_bad, record, Generator};
use jindu::batch::{run, BatchOptions, Blank};
use jindu::{call_json, Registry};
use peak_alloc::PeakAlloc;
use std::io::{self, BufReader, Write};
use std::sync::Mutex;

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

/// The allocator's counters are process-wide: the tests of this file run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// Records of a load test: `JINDU_BATCH_RECORDS`, else `default` (see the module comment).
fn record_count(default: u64) -> u64 {
    std::env::var("JINDU_BATCH_RECORDS").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The reference point: the peak after this many records.
const REFERENCE: u64 = 10_000;

/// The peak after the whole batch may exceed the reference peak by this much.
const MARGIN: usize = 64 << 10;

/// Counts the answer lines and bytes, checks each line's start
/// (`{"line":N,"ok":…` with N counting up, ok as expected), and notes the
/// heap's peak once `REFERENCE` lines have arrived. Holds nothing else.
struct Sink {
    lines: u64,
    bytes: u64,
    ok: u64,
    head: [u8; 40],
    head_len: usize,
    peak_at_reference: Option<usize>,
}

impl Sink {
    fn check_head(&mut self) {
        let head = std::str::from_utf8(&self.head[..self.head_len]).unwrap();
        let i = self.lines; // 0-based index of the record this line answers
        let want = format!("{{\"line\":{},\"ok\":{}", i + 1, !is_bad(i));
        assert!(head.starts_with(&want), "answer {}: starts {head:?}, expected {want:?}", i + 1);
        if !is_bad(i) {
            self.ok += 1;
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for &b in buf {
            if b == b'\n' {
                self.check_head();
                self.lines += 1;
                self.head_len = 0;
                if self.lines == REFERENCE {
                    self.peak_at_reference = Some(HEAP.peak_usage());
                }
            } else if self.head_len < self.head.len() {
                self.head[self.head_len] = b;
                self.head_len += 1;
            }
        }
        self.bytes += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn stream_and_measure(n: u64, opts: &BatchOptions) {
    assert!(n >= REFERENCE * 2, "JINDU_BATCH_RECORDS must be at least {}", REFERENCE * 2);
    let reg = Registry::builtin().unwrap();
    // Warm up (the built-in registry is loaded once per process), then measure from here.
    let _ = run(reg, BufReader::new(Generator::new(64)), io::sink(), opts).unwrap();
    HEAP.reset_peak_usage();
    let base = HEAP.current_usage();
    let input = BufReader::new(Generator::new(n));
    let mut sink = Sink {
        lines: 0,
        bytes: 0,
        ok: 0,
        head: [0; 40],
        head_len: 0,
        peak_at_reference: None,
    };
    let t = std::time::Instant::now();
    let s = run(reg, input, &mut sink, opts).unwrap();
    let secs = t.elapsed().as_secs_f64();
    let peak_ref = sink.peak_at_reference.unwrap();
    let peak_end = HEAP.peak_usage();
    eprintln!(
        "threads {}: {n} records in {secs:.1} s ({:.0}/s); {} bytes out; live heap at start {base} B, peak after {REFERENCE}: {peak_ref} B, after {n}: {peak_end} B",
        opts.threads,
        n as f64 / secs,
        s.bytes_written
    );
    assert_eq!((s.records, s.lines, sink.lines), (n, n, n));
    assert_eq!(s.ok, sink.ok);
    assert_eq!(s.failed, n - sink.ok);
    assert_eq!(s.first_failed, Some(13));
    assert_eq!(s.bytes_written, sink.bytes);
    assert!(
        peak_end <= peak_ref + MARGIN,
        "the heap grew with the batch: peak {peak_end} B after {n} records, {peak_ref} B after {REFERENCE}"
    );
}

#[test]
fn a_large_batch_streams_in_constant_memory() {
    let _g = SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    stream_and_measure(record_count(30_000), &BatchOptions::default());
}

#[test]
fn a_large_batch_on_threads_streams_in_constant_memory() {
    let _g = SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    stream_and_measure(
        record_count(20_000),
        &BatchOptions {
            threads: 2,
            chunk_lines: 256,
            ..BatchOptions::default()
        },
    );
}

/// Good and bad records interleaved: (line text, expected error code or None for a good record).
fn faulty_batch() -> Vec<(String, Option<&'static str>)> {
    let mut good = Vec::new();
    let mut s = String::new();
    for i in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15] {
        record(i, &mut s);
        good.push(s.trim_end().to_owned());
    }
    let review = |listing: &str, on: &str| {
        format!(
            r#"{{"operation":"review","rulebook":"hengyang-county-2018-rectification","request":{{"listing":{{"area":{{"name":"三湖镇","level":"township"}},"issuer":{{"level":"county"}},"tier":"rectify","listed_on":"2018-06-01"{listing}}},"on":"{on}"}}}}"#
        )
    };
    let assess = |values: &str| {
        format!(
            r#"{{"operation":"assess","rulebook":"pingxiang-2018-demonstration-city","request":{{"area":{{"name":"安源区","level":"county"}},"on":"2018-11-15","values":{{{values}}}}}}}"#
        )
    };
    let bad: Vec<(String, &'static str)> = vec![
        (r#"{"operation":"review","request":{"listing":"#.to_owned(), "invalid_json"),
        ("not json at all".to_owned(), "invalid_json"),
        (r#"{"operation":"review","request":{}} trailing"#.to_owned(), "invalid_json"),
        (assess(r#""awareness_rate":NaN"#), "invalid_json"),
        (
            r#"{"operation":"predict","rulebook":"hengyang-county-2018-rectification","request":{}}"#.to_owned(),
            "unknown_operation",
        ),
        (assess(r#""awareness_rate":"NaN""#), "wrong_type"),
        (assess(r#""awareness_rate":"Infinity""#), "wrong_type"),
        (assess(r#""actual_users":-5"#), "out_of_range"),
        (review(r#","extensions_used":-1"#, "2020-06-01"), "out_of_range"),
        (review("", "2019-02-29"), "no_such_day"),
        (
            review(r#","listed_on":"2019-02-29""#, "2020-06-01").replace(r#""listed_on":"2018-06-01","#, ""),
            "no_such_day",
        ),
        (
            r#"{"operation":"review","rulebook":"hengyang-county-2018-rectification"}"#.to_owned(),
            "missing_field",
        ),
        (review("", "2020-06-01").replace(r#""tier":"rectify","#, ""), "missing_field"),
        (
            review("", "2020-06-01").replace("hengyang-county-2018-rectification", "hengyang-county-2099"),
            "unknown_rulebook",
        ),
        ("[1, 2, 3]".to_owned(), "wrong_type"),
        ("null".to_owned(), "wrong_type"),
    ];
    let mut out = Vec::new();
    let mut g = good.into_iter().cycle();
    for (text, code) in bad {
        out.push((g.next().unwrap(), None));
        out.push((text, Some(code)));
        out.push((g.next().unwrap(), None));
    }
    out
}

#[test]
fn bad_records_keep_every_good_answer_in_order() {
    let _g = SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let reg = Registry::builtin().unwrap();
    let records = faulty_batch();
    let mut input = String::new();
    for (i, (text, _)) in records.iter().enumerate() {
        input.push_str(text);
        input.push_str(if i % 2 == 0 { "\n" } else { "\r\n" });
        if i == 10 {
            input.push_str("   \n"); // a blank line: answered with `empty`, on its own line number
        }
    }
    for threads in [1, 2] {
        let mut out = Vec::new();
        let opts = BatchOptions {
            threads,
            chunk_lines: 5,
            ..BatchOptions::default()
        };
        let s = run(reg, input.as_bytes(), &mut out, &opts).unwrap();
        let out = String::from_utf8(out).unwrap();
        let answers: Vec<&str> = out.lines().collect();
        assert_eq!(answers.len(), records.len() + 1, "one answer per input line");
        let mut line = 0u64;
        let mut want_ok = 0;
        for (i, (text, code)) in records.iter().enumerate() {
            line += 1;
            let got = answers[line as usize - 1];
            let expected = format!("{{\"line\":{line},{}", &call_json(text)[1..]);
            assert_eq!(got, expected, "line {line} is not the call's own answer");
            let v: serde_json::Value = serde_json::from_str(got).unwrap();
            assert_eq!(v["line"], line);
            match code {
                None => {
                    assert_eq!(v["ok"], true, "line {line}: {got}");
                    want_ok += 1;
                }
                Some(c) => {
                    assert_eq!(v["ok"], false, "line {line}: {got}");
                    let codes: Vec<&str> = v["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
                    assert!(codes.contains(c), "line {line}: expected {c}, got {codes:?}");
                }
            }
            if i == 10 {
                line += 1;
                let v: serde_json::Value = serde_json::from_str(answers[line as usize - 1]).unwrap();
                assert_eq!(
                    (v["line"].as_u64(), v["ok"].as_bool(), v["errors"][0]["code"].as_str()),
                    (Some(line), Some(false), Some("empty"))
                );
            }
        }
        assert_eq!(s.ok, want_ok);
        assert_eq!(s.records, records.len() as u64 + 1);
        assert_eq!(s.failed, s.records - want_ok);
        assert_eq!(s.blank, 1);
        assert_eq!(s.first_failed, Some(2));
    }
    // Skipping the blank line renumbers nothing: every other answer keeps its line.
    let mut out = Vec::new();
    let skip = BatchOptions {
        blank: Blank::Skip,
        ..BatchOptions::default()
    };
    let s = run(reg, input.as_bytes(), &mut out, &skip).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.lines().count(), records.len());
    assert!(out.lines().nth(11).unwrap().starts_with(r#"{"line":13,"#));
    assert_eq!((s.lines, s.records, s.blank), (records.len() as u64 + 1, records.len() as u64, 1));
}

//! Streaming-batch benchmark: generates N NDJSON calls (default 1,000,000; the
//! mix of `tests/batch_gen`: every operation over the built-in rulebooks, 3 bad
//! records in 16), streams them through `jindu::batch::run` into a counting
//! sink, and prints records per second and the process's peak resident memory
//! (`VmHWM` of `/proc/self/status`) before the batch, after 10,000 records and
//! at the end. Figures only; nothing is asserted.
//!
//! Run: `cargo run --release -p jindu-core --example batch_stream -- [N] [--threads T]`
//!
//! `--emit` prints the N calls as NDJSON instead, to feed the command line:
//! `target/release/examples/batch_stream 1000000 --emit | /usr/bin/time -v target/release/jindu batch > /dev/null`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, missing_docs)]

#[path = "../tests/batch_gen/mod.rs"]
mod batch_gen;

use jindu::batch::{run, BatchOptions};
use std::io::{self, BufReader, BufWriter, Write};
use std::time::Instant;

const MARK: u64 = 10_000;

/// A field of `/proc/self/status` in KiB (`VmHWM`, `VmRSS`), if there is one.
fn vm(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(|| "n/a".to_owned(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

/// Counts lines and bytes; notes the peak RSS and the time when the MARK-th line arrives.
struct Sink {
    lines: u64,
    bytes: u64,
    start: Instant,
    at_mark: Option<(Option<u64>, f64)>,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for &b in buf {
            if b == b'\n' {
                self.lines += 1;
                if self.lines == MARK {
                    self.at_mark = Some((vm("VmHWM:"), self.start.elapsed().as_secs_f64()));
                }
            }
        }
        self.bytes += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: u64 = args.iter().find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    let threads: usize = args
        .iter()
        .position(|a| a == "--threads")
        .and_then(|i| args.get(i + 1))
        .and_then(|t| t.parse().ok())
        .unwrap_or(1);
    if args.iter().any(|a| a == "--emit") {
        let mut out = BufWriter::new(io::stdout().lock());
        let _ = io::copy(&mut batch_gen::Generator::new(n), &mut out);
        let _ = out.flush();
        return;
    }
    let reg = jindu::Registry::builtin().expect("built-in rulebooks");
    let opts = BatchOptions {
        threads,
        ..BatchOptions::default()
    };
    let before = vm("VmHWM:");
    let mut sink = Sink {
        lines: 0,
        bytes: 0,
        start: Instant::now(),
        at_mark: None,
    };
    let s = run(reg, BufReader::new(batch_gen::Generator::new(n)), &mut sink, &opts).expect("in-memory batch");
    let secs = sink.start.elapsed().as_secs_f64();
    let end = vm("VmHWM:");
    println!(
        "batch_stream, {} thread(s): {n} records in {secs:.2} s = {:.0} records/s ({} ok, {} failed); {:.1} MiB in, {:.1} MiB out",
        if threads == 0 { "all".to_owned() } else { threads.to_string() },
        n as f64 / secs,
        s.ok,
        s.failed,
        s.bytes_read as f64 / (1 << 20) as f64,
        s.bytes_written as f64 / (1 << 20) as f64
    );
    let (mark_hwm, mark_secs) = sink.at_mark.unwrap_or((None, 0.0));
    println!("peak RSS (VmHWM): before the batch {}", mib(before));
    if n >= MARK {
        println!(
            "peak RSS (VmHWM): after {MARK} records {} ({:.0} records/s to there)",
            mib(mark_hwm),
            MARK as f64 / mark_secs.max(1e-9)
        );
    }
    println!("peak RSS (VmHWM): after {n} records {}; RSS now {}", mib(end), mib(vm("VmRSS:")));
}

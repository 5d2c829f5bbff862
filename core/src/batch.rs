//! Streaming batches: NDJSON calls in, NDJSON answers out, in memory that does
//! not grow with the batch.
//!
//! Each input line is one call in the shape [`call_json`](crate::call_json)
//! takes (`{"operation": …, "rulebook": …, "request": {…}}`). Each input line
//! gets one output line, in input order, carrying its 1-based line number so a
//! consumer can join the answers back to the calls:
//!
//! ```text
//! {"line":1,"ok":true,"answer":{…}}
//! {"line":2,"ok":false,"errors":[{"code":"no_such_day","loc":["request","on"],"path":"request.on",…}]}
//! ```
//!
//! After `{"line":N,` the bytes of an answer are exactly those
//! [`call_json_with`] returns for that line (from its second byte on), so a
//! batch answers every call as one call would. A bad record never stops the
//! batch and never loses a good one.
//!
//! How lines are read:
//! - a line ends at `\n`; a `\r` before it is dropped (CRLF files); the last
//!   line needs no `\n`; a UTF-8 byte-order mark at the start of line 1 is ignored;
//! - a **blank line** (only spaces, tabs, `\r`) is a record without a call: by
//!   default it is answered with the error `empty`, so that output line *k*
//!   always answers input line *k*; with [`Blank::Skip`] it is not answered but
//!   counted in [`Summary::blank`]. Either way no line is dropped unseen;
//! - a line that is not UTF-8 is answered with `invalid_json` (naming the byte offset);
//! - a line longer than [`BatchOptions::max_line_bytes`] is answered with
//!   `invalid_json` and skipped without being held in memory.
//!
//! Memory: one line buffer is reused (cut back to 64 KiB after a longer line),
//! the output goes through one fixed 64 KiB buffer, and each answer is freed
//! once written; with threads, a fixed chunk of lines is held at a time. The
//! registry is shared, never copied.
//!
//! Flushing: the output is flushed whenever the input has no more buffered
//! data (so a caller feeding one line at a time through a pipe gets each answer
//! before it writes the next call), after each chunk with threads, and at the end.
//!
//! A panic while evaluating one record (a bug of the library) is caught and
//! answered with `internal_error` on that line; the batch carries on.

use crate::api::call_json_with;
use crate::error::{ErrorCode, FieldError};
use crate::rulebook::Registry;
use serde_json::json;
use std::fmt::Write as _;
use std::io::{self, BufRead, BufWriter, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The default longest line read (16 MiB); longer lines are answered with an error.
pub const DEFAULT_MAX_LINE_BYTES: usize = 16 << 20;

/// The default number of lines evaluated together when running with threads.
pub const DEFAULT_CHUNK_LINES: usize = 1024;

/// A line buffer is cut back to this capacity after holding a longer line.
const KEEP_CAPACITY: usize = 64 << 10;

/// The output buffer.
const OUT_BUFFER: usize = 64 << 10;

/// The UTF-8 byte-order mark.
const BOM: &str = "\u{feff}";

/// What a blank input line gets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Blank {
    /// An answer with the error `empty` on its line (the default: output line
    /// *k* answers input line *k*).
    #[default]
    Error,
    /// No answer; the line is counted in [`Summary::blank`] (and in [`Summary::lines`]).
    Skip,
}

/// How a batch is read and run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchOptions {
    /// What a blank line gets.
    pub blank: Blank,
    /// The longest line read, in bytes, without its `\n`.
    pub max_line_bytes: usize,
    /// Threads evaluating records: 1 (the default) evaluates on the calling
    /// thread; 0 uses one per available CPU. Answers stay in input order either way.
    pub threads: usize,
    /// With more than one thread: the lines read and evaluated together (fixed,
    /// so memory stays bounded).
    pub chunk_lines: usize,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            blank: Blank::Error,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            threads: 1,
            chunk_lines: DEFAULT_CHUNK_LINES,
        }
    }
}

/// What a batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Input lines read (records plus skipped blank lines).
    pub lines: u64,
    /// Records answered: `ok + failed`, one output line each.
    pub records: u64,
    /// Answers with `"ok":true` (a `validate` call that finds errors is ok: the call itself succeeded).
    pub ok: u64,
    /// Answers with `"ok":false`.
    pub failed: u64,
    /// Blank lines (answered with `empty`, or skipped with [`Blank::Skip`]).
    pub blank: u64,
    /// The line number of the first failed record.
    pub first_failed: Option<u64>,
    /// Bytes read from the input.
    pub bytes_read: u64,
    /// Bytes written to the output.
    pub bytes_written: u64,
}

impl Summary {
    fn count(&mut self, line: u64, v: &Verdict) {
        match v {
            Verdict::Skipped => self.blank += 1,
            Verdict::Answered { ok, blank, .. } => {
                self.records += 1;
                if *blank {
                    self.blank += 1;
                }
                if *ok {
                    self.ok += 1;
                } else {
                    self.failed += 1;
                    self.first_failed.get_or_insert(line);
                }
            }
        }
    }
}

/// Which side of a batch failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Reading the input.
    Read,
    /// Writing the output.
    Write,
}

/// An I/O failure that stopped a batch: the input could not be read or the
/// output could not be written. Bad records are not errors: they are answered.
#[derive(Debug, thiserror::Error)]
#[error("cannot {} at line {line}: {source}", match .failure { Failure::Read => "read the input", Failure::Write => "write the output" })]
pub struct BatchError {
    /// Which side failed.
    pub failure: Failure,
    /// The line being read or answered (1-based).
    pub line: u64,
    /// What the batch did until then.
    pub summary: Summary,
    /// The I/O error.
    pub source: io::Error,
}

/// The answer to one record, or nothing for a skipped blank line.
enum Verdict {
    Skipped,
    Answered { text: String, ok: bool, blank: bool },
}

/// One line as read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Raw {
    /// The bytes are in the buffer (without `\n` and `\r`).
    Line,
    /// Longer than the limit (`max`): `len` bytes, not kept.
    TooLong { len: u64, max: usize },
}

/// Reads lines into one reused buffer.
struct LineReader<R> {
    input: R,
    buf: Vec<u8>,
    max: usize,
    line: u64,
    bytes: u64,
}

impl<R: BufRead> LineReader<R> {
    fn new(input: R, max: usize) -> Self {
        LineReader {
            input,
            buf: Vec::new(),
            max,
            line: 0,
            bytes: 0,
        }
    }

    /// Reads the next line into `buf`. Returns the line's kind and whether the
    /// input's buffer is now empty (so the next read may wait), or `None` at the end.
    fn next(&mut self) -> io::Result<Option<(Raw, bool)>> {
        self.buf.clear();
        if self.buf.capacity() > KEEP_CAPACITY {
            self.buf.shrink_to(KEEP_CAPACITY);
        }
        let mut len: u64 = 0;
        let mut started = false;
        loop {
            let avail = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                return Ok(started.then(|| (self.finish(len), true)));
            }
            started = true;
            let (part, used, done) = match avail.iter().position(|&b| b == b'\n') {
                Some(i) => (avail.get(..i).unwrap_or_default(), i + 1, true),
                None => (avail, avail.len(), false),
            };
            let drained = used == avail.len();
            len += part.len() as u64;
            if len <= self.max as u64 {
                self.buf.extend_from_slice(part);
            } else {
                self.buf.clear();
            }
            self.input.consume(used);
            self.bytes += used as u64;
            if done {
                return Ok(Some((self.finish(len), drained)));
            }
        }
    }

    fn finish(&mut self, len: u64) -> Raw {
        self.line += 1;
        if len > self.max as u64 {
            self.buf.clear();
            return Raw::TooLong { len, max: self.max };
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        Raw::Line
    }
}

/// An answer line carrying only errors.
fn error_line(line: u64, code: ErrorCode, zh: String, en: String) -> String {
    json!({"line": line, "ok": false, "errors": [FieldError::at(code, "", zh, en)]}).to_string()
}

/// Puts `"line":N` in front of a response of [`call_json_with`].
fn with_line(line: u64, resp: &str) -> (String, bool) {
    let Some(rest) = resp.strip_prefix('{') else {
        return (
            error_line(
                line,
                ErrorCode::InternalError,
                "答复不是 JSON 对象（请报告）".to_owned(),
                "the response is not a JSON object (please report it)".to_owned(),
            ),
            false,
        );
    };
    let ok = rest.starts_with("\"ok\":true");
    let mut s = String::with_capacity(rest.len() + 32);
    let _ = write!(s, "{{\"line\":{line},{rest}");
    (s, ok)
}

fn is_blank(text: &str) -> bool {
    text.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

fn blank_error(line: u64) -> String {
    error_line(
        line,
        ErrorCode::Empty,
        format!("第 {line} 行是空行：每行应为一个 JSON 调用"),
        format!("line {line} is blank: each line must hold one JSON call"),
    )
}

/// Evaluates one call given as text; a panic is answered with `internal_error`.
fn evaluate(reg: &Registry, line: u64, text: &str) -> (String, bool) {
    match catch_unwind(AssertUnwindSafe(|| call_json_with(reg, text))) {
        Ok(resp) => with_line(line, &resp),
        Err(_) => (
            error_line(
                line,
                ErrorCode::InternalError,
                format!("第 {line} 行：程序内部错误（已拦截，请报告）"),
                format!("line {line}: internal error (caught; please report it)"),
            ),
            false,
        ),
    }
}

/// The verdict on one line as read.
fn verdict(reg: &Registry, line: u64, raw: Raw, bytes: &[u8], blank: Blank) -> Verdict {
    let answered = |(text, ok): (String, bool)| Verdict::Answered { text, ok, blank: false };
    if let Raw::TooLong { len, max } = raw {
        return answered((
            error_line(
                line,
                ErrorCode::InvalidJson,
                format!("第 {line} 行过长（{len} 字节，上限为 {max} 字节），未读取"),
                format!("line {line} is too long ({len} bytes; the limit is {max}), so it was not read"),
            ),
            false,
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            return answered((
                error_line(
                    line,
                    ErrorCode::InvalidJson,
                    format!("第 {line} 行不是 UTF-8 文本（第 {at} 字节起）"),
                    format!("line {line} is not UTF-8 text (from byte {at})"),
                ),
                false,
            ));
        }
    };
    let text = if line == 1 { text.strip_prefix(BOM).unwrap_or(text) } else { text };
    if is_blank(text) {
        return match blank {
            Blank::Skip => Verdict::Skipped,
            Blank::Error => Verdict::Answered {
                text: blank_error(line),
                ok: false,
                blank: true,
            },
        };
    }
    answered(evaluate(reg, line, text))
}

/// The answer line (without `\n`) to one call given as text, as a batch
/// writes it for input line `line`: `{"line":N,` followed by the response of
/// [`call_json_with`] from its second byte on. A trailing `\n` or `\r\n` is
/// ignored; a blank text is answered with the error `empty`. Never panics.
///
/// # Example
/// ```
/// let reg = jindu::Registry::builtin().unwrap();
/// let call = r#"{"operation": "review", "rulebook": "hengyang-county-2018-rectification", "request": {"on": "2019-02-29"}}"#;
/// let line = jindu::batch::answer_line(reg, 7, call);
/// assert_eq!(line, format!("{{\"line\":7,{}", &jindu::call_json_with(reg, call)[1..]));
/// assert!(line.starts_with(r#"{"line":7,"ok":false,"errors":["#));
/// assert!(jindu::batch::answer_line(reg, 8, "  ").contains(r#""code":"empty""#));
/// ```
#[must_use]
pub fn answer_line(reg: &Registry, line: u64, text: &str) -> String {
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    if is_blank(text) {
        return blank_error(line);
    }
    evaluate(reg, line, text).0
}

/// The answer lines of a stream of calls, one at a time, in input order: the
/// iterator form of [`run`] (it ignores [`BatchOptions::threads`]). Each item
/// is one answer line without its `\n`. Built by [`answers`].
pub struct Answers<'g, R> {
    reg: &'g Registry,
    reader: LineReader<R>,
    blank: Blank,
    summary: Summary,
    done: bool,
}

impl<R> std::fmt::Debug for Answers<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answers")
            .field("summary", &self.summary)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<R: BufRead> Answers<'_, R> {
    /// What the batch has done so far (`bytes_written` stays 0: the caller writes).
    #[must_use]
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// The next answer and whether the input's buffer is drained.
    fn next_answer(&mut self) -> io::Result<Option<(String, bool)>> {
        while let Some((raw, drained)) = self.reader.next()? {
            self.summary.lines += 1;
            self.summary.bytes_read = self.reader.bytes;
            let line = self.reader.line;
            let v = verdict(self.reg, line, raw, &self.reader.buf, self.blank);
            self.summary.count(line, &v);
            if let Verdict::Answered { text, .. } = v {
                return Ok(Some((text, drained)));
            }
        }
        self.summary.bytes_read = self.reader.bytes;
        Ok(None)
    }
}

impl<R: BufRead> Iterator for Answers<'_, R> {
    type Item = io::Result<String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_answer() {
            Ok(Some((text, _))) => Some(Ok(text)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// The answers to a stream of NDJSON calls, as an iterator of answer lines
/// (see the [module](self) for the line format). Reads one line per step,
/// into one reused buffer.
///
/// # Errors
/// Each item is an [`io::Error`] if the input cannot be read; the iterator
/// ends after it. Bad records are not errors: they are answered.
///
/// # Example
/// ```
/// use jindu::batch::{answers, BatchOptions};
/// let reg = jindu::Registry::builtin().unwrap();
/// let input = "{\"operation\": \"review\", \"request\": {}}\nnot json\n";
/// let lines: Vec<String> = answers(reg, input.as_bytes(), &BatchOptions::default()).collect::<Result<_, _>>().unwrap();
/// assert_eq!(lines.len(), 2);
/// assert!(lines[0].starts_with(r#"{"line":1,"ok":false"#));
/// assert!(lines[1].contains(r#""code":"invalid_json""#));
/// ```
pub fn answers<'g, R: BufRead>(reg: &'g Registry, input: R, opts: &BatchOptions) -> Answers<'g, R> {
    Answers {
        reg,
        reader: LineReader::new(input, opts.max_line_bytes),
        blank: opts.blank,
        summary: Summary::default(),
        done: false,
    }
}

/// Writes one answer line and its `\n`.
fn put<W: Write>(out: &mut W, text: &str, summary: &mut Summary) -> io::Result<()> {
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")?;
    summary.bytes_written += text.len() as u64 + 1;
    Ok(())
}

/// Evaluates a stream of NDJSON calls (one call per line, the shape of
/// [`call_json`](crate::call_json)) against a registry and writes one answer
/// line per record to `output`, in input order, flushing as it goes (see the
/// [module](self) for the line format, blank lines and memory). Every record
/// is answered, good or bad; the summary counts them.
///
/// With [`BatchOptions::threads`] other than 1, records are evaluated in
/// chunks of [`BatchOptions::chunk_lines`] lines on scoped threads and written
/// in input order; the output is byte for byte that of one thread.
///
/// # Errors
/// [`BatchError`] if the input cannot be read or the output cannot be written
/// (a closed pipe: [`io::ErrorKind::BrokenPipe`]); it carries the line and the
/// summary until then. Everything answered before it has been written.
///
/// # Example
/// ```
/// use jindu::batch::{run, BatchOptions};
/// let reg = jindu::Registry::builtin().unwrap();
/// let input = concat!(
///     r#"{"operation": "list", "rulebook": "hengyang-county-2018-rectification", "request": {"area": {"name": "三湖镇", "level": "township"}, "issuer": {"level": "county"}, "on": "2018-06-01", "basis": "office_proposal", "categories": ["drug_abuse"], "facts": {"problem_developing": true, "not_yet_responding": true, "problem_prominent_and_severe": false, "hard_to_make_progress": false, "strengthening_but_unimproved": false}}}"#, "\n",
///     "{\"operation\": \"list\"\n",
///     "\n",
/// );
/// let mut out = Vec::new();
/// let s = run(reg, input.as_bytes(), &mut out, &BatchOptions::default()).unwrap();
/// assert_eq!((s.records, s.ok, s.failed, s.first_failed), (3, 1, 2, Some(2)));
/// let out = String::from_utf8(out).unwrap();
/// let lines: Vec<&str> = out.lines().collect();
/// assert!(lines[0].starts_with(r#"{"line":1,"ok":true,"answer":{"#));
/// assert!(lines[1].starts_with(r#"{"line":2,"ok":false"#) && lines[1].contains("invalid_json"));
/// assert!(lines[2].starts_with(r#"{"line":3,"ok":false"#) && lines[2].contains(r#""code":"empty""#));
/// ```
pub fn run<R: BufRead, W: Write>(reg: &Registry, input: R, output: W, opts: &BatchOptions) -> Result<Summary, BatchError> {
    let threads = match opts.threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    };
    if threads > 1 {
        return run_chunked(reg, input, output, opts, threads);
    }
    let mut it = answers(reg, input, opts);
    let mut out = BufWriter::with_capacity(OUT_BUFFER, output);
    let fail = |it: &Answers<'_, R>, failure, source| BatchError {
        failure,
        line: it.reader.line,
        summary: it.summary,
        source,
    };
    loop {
        let (text, drained) = match it.next_answer() {
            Ok(Some(x)) => x,
            Ok(None) => break,
            Err(e) => {
                // What was answered before is written before the failure is reported.
                if let Err(w) = out.flush() {
                    return Err(fail(&it, Failure::Write, w));
                }
                let line = it.reader.line + 1;
                return Err(BatchError {
                    line,
                    ..fail(&it, Failure::Read, e)
                });
            }
        };
        let written = put(&mut out, &text, &mut it.summary).and_then(|()| if drained { out.flush() } else { Ok(()) });
        if let Err(e) = written {
            return Err(fail(&it, Failure::Write, e));
        }
    }
    out.flush().map_err(|e| fail(&it, Failure::Write, e))?;
    Ok(it.summary)
}

/// A line held for a chunk: its number, its kind and its bytes.
struct Slot {
    line: u64,
    raw: Raw,
    bytes: Vec<u8>,
}

/// [`run`] with threads: a fixed chunk of lines is read (stopping early when
/// the input has nothing buffered, so an interactive caller is not kept
/// waiting), evaluated on scoped threads, and written in order.
fn run_chunked<R: BufRead, W: Write>(reg: &Registry, input: R, output: W, opts: &BatchOptions, threads: usize) -> Result<Summary, BatchError> {
    let chunk = opts.chunk_lines.max(1);
    let mut reader = LineReader::new(input, opts.max_line_bytes);
    let mut out = BufWriter::with_capacity(OUT_BUFFER, output);
    let mut summary = Summary::default();
    // The slots keep their buffers from chunk to chunk: the reader's buffer is
    // swapped into a slot, and the slot's old buffer becomes the reader's.
    let mut slots: Vec<Slot> = Vec::with_capacity(chunk);
    let mut free: Vec<Vec<u8>> = Vec::with_capacity(chunk);
    let mut at_end = false;
    while !at_end {
        free.extend(slots.drain(..).map(|s| s.bytes));
        while slots.len() < chunk {
            match reader.next() {
                Ok(Some((raw, drained))) => {
                    let spare = free.pop().unwrap_or_default();
                    let bytes = std::mem::replace(&mut reader.buf, spare);
                    slots.push(Slot { line: reader.line, raw, bytes });
                    if drained {
                        break;
                    }
                }
                Ok(None) => {
                    at_end = true;
                    break;
                }
                Err(source) => {
                    // Answer what was read before reporting the failure.
                    let written = write_chunk(reg, &slots, opts.blank, threads, &mut out, &mut summary).and_then(|()| out.flush());
                    let (failure, source) = match written {
                        Ok(()) => (Failure::Read, source),
                        Err(w) => (Failure::Write, w),
                    };
                    return Err(BatchError {
                        failure,
                        line: reader.line + 1,
                        summary: Summary {
                            lines: reader.line,
                            bytes_read: reader.bytes,
                            ..summary
                        },
                        source,
                    });
                }
            }
        }
        summary.lines = reader.line;
        summary.bytes_read = reader.bytes;
        let written = write_chunk(reg, &slots, opts.blank, threads, &mut out, &mut summary).and_then(|()| out.flush());
        if let Err(source) = written {
            return Err(BatchError {
                failure: Failure::Write,
                line: slots.last().map_or(reader.line, |s| s.line),
                summary,
                source,
            });
        }
    }
    Ok(summary)
}

/// Evaluates a chunk on up to `threads` scoped threads (contiguous parts) and
/// writes the answers in order.
fn write_chunk<W: Write>(reg: &Registry, slots: &[Slot], blank: Blank, threads: usize, out: &mut W, summary: &mut Summary) -> io::Result<()> {
    if slots.is_empty() {
        return Ok(());
    }
    let per = slots.len().div_ceil(threads.max(1)).max(1);
    let eval = |part: &[Slot]| -> Vec<Verdict> { part.iter().map(|s| verdict(reg, s.line, s.raw, &s.bytes, blank)).collect() };
    let parts: Vec<Vec<Verdict>> = std::thread::scope(|scope| {
        let mut parts = slots.chunks(per);
        let first = parts.next().unwrap_or_default();
        let handles: Vec<_> = parts.map(|p| (p, scope.spawn(move || eval(p)))).collect();
        let mut all = vec![eval(first)];
        for (p, h) in handles {
            all.push(h.join().unwrap_or_else(|_| {
                p.iter()
                    .map(|s| Verdict::Answered {
                        text: error_line(
                            s.line,
                            ErrorCode::InternalError,
                            "批处理线程异常退出（请报告）".to_owned(),
                            "a batch thread failed (please report it)".to_owned(),
                        ),
                        ok: false,
                        blank: false,
                    })
                    .collect()
            }));
        }
        all
    });
    for (s, v) in slots.iter().zip(parts.iter().flatten()) {
        summary.count(s.line, v);
        if let Verdict::Answered { text, .. } = v {
            put(out, text, summary)?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn reg() -> &'static Registry {
        Registry::builtin().unwrap()
    }

    /// A reader that hands out its input a few bytes at a time.
    struct Trickle<'a>(&'a [u8], usize);

    impl io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(self.0.len()).min(buf.len());
            let (a, b) = self.0.split_at(n);
            buf[..n].copy_from_slice(a);
            self.0 = b;
            Ok(n)
        }
    }

    const GOOD: &str = r#"{"operation": "review", "rulebook": "hengyang-county-2018-rectification", "explain": false, "request": {"listing": {"area": {"name": "三湖镇", "level": "township"}, "issuer": {"level": "county"}, "tier": "rectify", "listed_on": "2018-06-01"}, "on": "2020-06-01", "facts": {"goal_met": false, "special_circumstances": true}}}"#;

    fn run_str(input: &[u8], opts: &BatchOptions) -> (Summary, Vec<String>) {
        let mut out = Vec::new();
        let s = run(reg(), input, &mut out, opts).unwrap();
        (s, String::from_utf8(out).unwrap().lines().map(str::to_owned).collect())
    }

    #[test]
    fn lines_crlf_bom_blank_last_line_without_newline() {
        let input = format!("\u{feff}{GOOD}\r\n\r\n  \n{GOOD}");
        let (s, lines) = run_str(input.as_bytes(), &BatchOptions::default());
        assert_eq!(lines.len(), 4);
        let good = answer_line(reg(), 1, GOOD);
        assert_eq!(lines[0], good);
        assert!(lines[1].starts_with(r#"{"line":2,"ok":false,"errors":[{"code":"empty""#), "{}", lines[1]);
        assert!(lines[2].starts_with(r#"{"line":3,"ok":false"#));
        assert_eq!(lines[3], answer_line(reg(), 4, GOOD));
        assert_eq!((s.lines, s.records, s.ok, s.failed, s.blank, s.first_failed), (4, 4, 2, 2, 2, Some(2)));
        assert_eq!(s.bytes_read, input.len() as u64);
        assert_eq!(s.bytes_written, lines.iter().map(|l| l.len() as u64 + 1).sum::<u64>());
        let skip = BatchOptions {
            blank: Blank::Skip,
            ..BatchOptions::default()
        };
        let (s, lines) = run_str(input.as_bytes(), &skip);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].starts_with(r#"{"line":4,"ok":true"#));
        assert_eq!((s.lines, s.records, s.blank, s.failed), (4, 2, 2, 0));
    }

    #[test]
    fn too_long_and_not_utf8_lines_are_answered() {
        let mut input = Vec::new();
        input.extend_from_slice(GOOD.as_bytes());
        input.push(b'\n');
        input.extend_from_slice(&[b'{', 0xff, 0xfe, b'}', b'\n']);
        input.extend(std::iter::repeat_n(b'x', 5000));
        input.push(b'\n');
        input.extend_from_slice(GOOD.as_bytes());
        let opts = BatchOptions {
            max_line_bytes: 4096,
            ..BatchOptions::default()
        };
        let (s, lines) = run_str(&input, &opts);
        assert_eq!(lines.len(), 4);
        assert!(lines[1].contains("not UTF-8") && lines[1].starts_with(r#"{"line":2,"ok":false"#));
        assert!(lines[2].contains("too long (5000 bytes; the limit is 4096)") && lines[2].starts_with(r#"{"line":3,"ok":false"#));
        assert_eq!(lines[3], answer_line(reg(), 4, GOOD));
        assert_eq!((s.ok, s.failed), (2, 2));
    }

    #[test]
    fn threads_and_trickled_input_give_the_same_bytes() {
        let mut input = String::new();
        for i in 0..300 {
            match i % 4 {
                0 => input.push_str(GOOD),
                1 => input.push_str("{bad"),
                2 => input.push_str(&GOOD.replace("2020-06-01", "2019-02-29")),
                _ => input.push_str(&GOOD.replace("\"explain\": false", "\"explain\": true")),
            }
            input.push('\n');
        }
        let mut one = Vec::new();
        let s1 = run(reg(), input.as_bytes(), &mut one, &BatchOptions::default()).unwrap();
        for (threads, chunk, trickle) in [(2, 7, 1), (3, 1024, 13), (0, 1, 4096), (1, 1, 3)] {
            let opts = BatchOptions {
                threads,
                chunk_lines: chunk,
                ..BatchOptions::default()
            };
            let mut out = Vec::new();
            let r = io::BufReader::with_capacity(64, Trickle(input.as_bytes(), trickle));
            let s = run(reg(), r, &mut out, &opts).unwrap();
            assert_eq!(s, s1, "threads {threads} chunk {chunk}");
            assert!(out == one, "threads {threads} chunk {chunk}");
        }
        let it: Vec<String> = answers(reg(), input.as_bytes(), &BatchOptions::default()).map(Result::unwrap).collect();
        assert_eq!(it.join("\n") + "\n", String::from_utf8(one).unwrap());
    }

    /// A writer that fails after some bytes.
    struct Full(usize);

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.0 < buf.len() {
                return Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"));
            }
            self.0 -= buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_output_stops_the_batch_with_its_line() {
        let input = format!("{GOOD}\n").repeat(200);
        for threads in [1, 2] {
            let opts = BatchOptions {
                threads,
                chunk_lines: 16,
                ..BatchOptions::default()
            };
            let e = run(reg(), input.as_bytes(), Full(100_000), &opts).unwrap_err();
            assert_eq!(e.failure, Failure::Write);
            assert_eq!(e.source.kind(), io::ErrorKind::BrokenPipe);
            assert!(e.line > 0 && e.line <= 200, "{e}");
            assert!(e.to_string().starts_with("cannot write the output at line"), "{e}");
        }
    }
}

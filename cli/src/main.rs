//! `jindu`: the command line of the jindu rules engine.
//!
//! ```text
//! jindu report [FILE.json|FILE.csv] [--format table|json|csv] [--rulebook ID]
//! jindu call [FILE|-]          run JSON call(s) through the call layer
//! jindu batch [FILE|-] [--out FILE]   stream NDJSON calls, one answer line each
//! jindu rulebooks              list the built-in rulebooks
//! jindu errors                 the catalogue of error codes
//! ```

// The CLI reads answers as `serde_json::Value`, whose `value["key"]` returns
// `Null` for a missing key or a non-object and never panics; the workspace
// lint against indexing is about slices and maps that do.
#![allow(clippy::indexing_slicing)]

use serde_json::{json, Map, Value};

/// `println!` that ignores a closed pipe (`jindu report | head`) instead of panicking.
macro_rules! outln {
    ($($t:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

/// `print!` that ignores a closed pipe.
macro_rules! out {
    ($($t:tt)*) => {{
        let _ = write!(std::io::stdout(), $($t)*);
    }};
}
use std::io::{Read, Write};
use std::process::ExitCode;

const HELP: &str = "jindu — drug-control rectification rules as code (禁毒重点整治规则引擎)

usage:
  jindu report [FILE] [--format table|json|csv] [--rulebook ID] [--rulebook-file RB.json ...]
      Evaluate a county's listings and print area, tier, deadline, outcome,
      unmet conditions and consequences. FILE is a report document (.json,
      see spec/samples/) or a CSV with one row per listing (see README);
      without FILE the built-in sample data is used.
  jindu call [FILE|-] [--rulebook-file RB.json ...]
      Run one JSON call (or a JSON array of calls) and print the response(s).
  jindu batch [FILE|-] [--out FILE] [--threads N] [--chunk-lines N] [--skip-blank]
              [--max-line-bytes N] [--rulebook-file RB.json ...]
      Stream NDJSON: one JSON call per line in (standard input by default),
      one answer line per input line out (standard output by default), in
      order, each with its line number: {\"line\":N,\"ok\":true,\"answer\":…} or
      {\"line\":N,\"ok\":false,\"errors\":[…]}. A bad line gets its errors and
      the batch carries on; a blank line gets the error `empty` (or, with
      --skip-blank, no answer). Memory does not grow with the batch. --threads N
      evaluates on N threads (0: one per CPU) in chunks of --chunk-lines
      lines (default 1024), answers still in order. A line longer than
      --max-line-bytes (default 16 MiB) gets an error without being read. A
      summary goes to standard error. Exit code: 0 if every record was
      answered ok, 1 if any record failed, 2 if the batch stopped early
      (unreadable input, unwritable or closed output, bad arguments).
  jindu rulebook diff OLD NEW CALLS.json
      Run the calls (a JSON array) under two versions of a rulebook (each a
      built-in id or a file) and list every answer that changes, with the
      rule ids responsible.
  jindu rulebook check FILE...
      Check user rulebooks (resolving \"extends\" against the built-in ones and
      the files before it): print every problem, or ok.
  jindu rulebooks
      List the built-in rulebooks with their sources and dates.
  jindu errors
      Print the catalogue of error codes.
  jindu --version
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(msg) => {
            let _ = writeln!(std::io::stderr(), "jindu: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let Some(cmd) = args.first() else {
        out!("{HELP}");
        return Ok(ExitCode::SUCCESS);
    };
    let rest = args.get(1..).unwrap_or(&[]);
    match cmd.as_str() {
        "-h" | "--help" | "help" => {
            out!("{HELP}");
            Ok(ExitCode::SUCCESS)
        }
        "-V" | "--version" => {
            outln!("jindu {}", jindu::VERSION);
            Ok(ExitCode::SUCCESS)
        }
        "report" => report(rest),
        "call" => call(rest),
        "batch" => batch(rest),
        "rulebook" => match rest.first().map(String::as_str) {
            Some("check") => rulebook_check(rest.get(1..).unwrap_or(&[])),
            Some("diff") => rulebook_diff(rest.get(1..).unwrap_or(&[])),
            other => Err(format!("unknown rulebook command {other:?}; try jindu rulebook check FILE")),
        },
        "rulebooks" => {
            outln!("{}", pretty(&jindu::rulebooks_json()));
            Ok(ExitCode::SUCCESS)
        }
        "errors" => {
            outln!("{}", pretty(&json!(jindu::error_catalogue())));
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command {other:?} (未知命令); try jindu --help")),
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn read_input(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e} (无法读取文件)"))
    }
}

/// Splits `--rulebook-file F` options from the other arguments and builds a
/// registry of the built-in rulebooks plus those files.
fn registry_with(rest: &[String]) -> Result<(jindu::Registry, Vec<String>), String> {
    let mut reg = jindu::Registry::builtin().map_err(|e| e.to_string())?.clone();
    let mut others = Vec::new();
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        if a == "--rulebook-file" {
            let f = it.next().ok_or("--rulebook-file expects a file")?;
            let text = read_input(f)?;
            reg.load_json(&text).map_err(|e| format!("{f}: {e}"))?;
        } else {
            others.push(a.clone());
        }
    }
    Ok((reg, others))
}

fn rulebook_diff(args: &[String]) -> Result<ExitCode, String> {
    let [old, new, calls] = args else {
        return Err("rulebook diff expects OLD NEW CALLS.json (OLD and NEW: a built-in id or a rulebook file)".into());
    };
    let reg = jindu::Registry::builtin().map_err(|e| e.to_string())?;
    let load = |a: &str| -> Result<jindu::Rulebook, String> {
        if let Some(rb) = reg.get(a) {
            return Ok(rb.clone());
        }
        let text = read_input(a)?;
        reg.resolve_json(&text).map_err(|e| format!("{a}: {e}"))
    };
    let (old, new) = (load(old)?, load(new)?);
    let calls: Value = serde_json::from_str(&read_input(calls)?).map_err(|e| format!("{calls}: not valid JSON: {e}"))?;
    let Value::Array(calls) = calls else {
        return Err("the calls file must hold a JSON array of calls".into());
    };
    let d = jindu::diff::diff(&old, &new, &calls);
    outln!("{}", pretty(&json!(d)));
    Ok(ExitCode::SUCCESS)
}

fn rulebook_check(files: &[String]) -> Result<ExitCode, String> {
    if files.is_empty() {
        return Err("rulebook check expects one or more files".into());
    }
    let mut reg = jindu::Registry::builtin().map_err(|e| e.to_string())?.clone();
    let mut ok = true;
    for f in files {
        let text = read_input(f)?;
        match reg.check_json(&text) {
            Ok(rb) => {
                outln!("{f}: ok ({}, {} rules)", rb.id(), rb.file().rules.len());
                let _ = reg.add(rb);
            }
            Err(jindu::RulebookError::Check { id, problems }) => {
                ok = false;
                outln!("{f}: rulebook {id} has {} problem(s):", problems.len());
                for p in problems {
                    outln!("  - {}", p.msg_zh);
                    outln!("    {}", p.msg_en);
                }
            }
            Err(e) => {
                ok = false;
                outln!("{f}: {e}");
            }
        }
    }
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn call(rest: &[String]) -> Result<ExitCode, String> {
    let (reg, rest) = registry_with(rest)?;
    let respond = |v: &Value| -> Value {
        match jindu::call(&reg, v) {
            Ok(a) => json!({"ok": true, "answer": a}),
            Err(e) => json!({"ok": false, "errors": e.errors}),
        }
    };
    let text = read_input(rest.first().map_or("-", String::as_str))?;
    let v: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(_) => {
            outln!("{}", jindu::call_json(&text));
            return Ok(ExitCode::from(1));
        }
    };
    let (out, ok) = match &v {
        Value::Array(calls) => {
            let rs: Vec<Value> = calls.iter().map(respond).collect();
            let ok = rs.iter().all(|r| r["ok"] == true);
            (Value::Array(rs), ok)
        }
        one => {
            let r = respond(one);
            let ok = r["ok"] == true;
            (r, ok)
        }
    };
    outln!("{}", pretty(&out));
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

// ---------------------------------------------------------------- batch

/// `jindu batch`: NDJSON calls in, NDJSON answers out, streaming (see HELP).
fn batch(rest: &[String]) -> Result<ExitCode, String> {
    use jindu::batch::{BatchOptions, Blank, Failure};
    let (reg, rest) = registry_with(rest)?;
    let mut input: Option<&str> = None;
    let mut out_file: Option<&str> = None;
    let mut opts = BatchOptions::default();
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        let mut number = |flag: &str| -> Result<usize, String> {
            let v = it.next().ok_or(format!("{flag} expects a number"))?;
            v.parse().map_err(|_| format!("{flag} expects a number, got {v:?}"))
        };
        match a.as_str() {
            "--out" | "-o" => out_file = Some(it.next().ok_or("--out expects a file")?.as_str()),
            "--threads" => opts.threads = number("--threads")?,
            "--max-line-bytes" => opts.max_line_bytes = number("--max-line-bytes")?,
            "--chunk-lines" => opts.chunk_lines = number("--chunk-lines")?.max(1),
            "--skip-blank" => opts.blank = Blank::Skip,
            f if (f == "-" || !f.starts_with('-')) && input.is_none() => input = Some(f),
            other => return Err(format!("unexpected argument {other:?}; try jindu --help")),
        }
    }
    let reader: Box<dyn std::io::BufRead> = match input {
        None | Some("-") => Box::new(std::io::stdin().lock()),
        Some(f) => Box::new(std::io::BufReader::with_capacity(
            64 << 10,
            std::fs::File::open(f).map_err(|e| format!("cannot read {f}: {e} (无法读取文件)"))?,
        )),
    };
    let writer: Box<dyn Write> = match out_file {
        None | Some("-") => Box::new(std::io::stdout().lock()),
        Some(f) => Box::new(std::fs::File::create(f).map_err(|e| format!("cannot write {f}: {e} (无法写入文件)"))?),
    };
    let start = std::time::Instant::now();
    let result = jindu::batch::run(&reg, reader, writer, &opts);
    let secs = start.elapsed().as_secs_f64();
    let (summary, stopped) = match result {
        Ok(s) => (s, None),
        Err(e) => (e.summary, Some(e)),
    };
    let s = summary;
    let first = s.first_failed.map(|l| format!(" (first at line {l})")).unwrap_or_default();
    let blank = if s.blank > 0 { format!(", {} blank line(s)", s.blank) } else { String::new() };
    let _ = writeln!(
        std::io::stderr(),
        "jindu batch: {} record(s): {} ok, {} failed{first}{blank}; {} line(s), {} bytes in, {} bytes out; {secs:.2} s, {:.0} records/s",
        s.records,
        s.ok,
        s.failed,
        s.lines,
        s.bytes_read,
        s.bytes_written,
        s.records as f64 / secs.max(1e-9),
    );
    if let Some(e) = stopped {
        let why = match (e.failure, e.source.kind()) {
            (Failure::Write, std::io::ErrorKind::BrokenPipe) => format!("the output was closed at line {}", e.line),
            _ => e.to_string(),
        };
        let _ = writeln!(std::io::stderr(), "jindu batch: stopped early: {why} (批处理提前终止)");
        return Ok(ExitCode::from(2));
    }
    Ok(if s.failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

// ---------------------------------------------------------------- report

#[derive(PartialEq, Eq, Clone, Copy)]
enum Format {
    Table,
    Json,
    Csv,
}

fn report(rest: &[String]) -> Result<ExitCode, String> {
    let (reg, rest) = registry_with(rest)?;
    let rest = rest.as_slice();
    let mut file: Option<&str> = None;
    let mut format = Format::Table;
    let mut rulebook: Option<&str> = None;
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--format" => {
                format = match it.next().map(String::as_str) {
                    Some("table") => Format::Table,
                    Some("json") => Format::Json,
                    Some("csv") => Format::Csv,
                    other => return Err(format!("--format expects table, json or csv, got {other:?}")),
                }
            }
            "--rulebook" => rulebook = Some(it.next().ok_or("--rulebook expects a rulebook id")?.as_str()),
            f if !f.starts_with("--") && file.is_none() => file = Some(f),
            other => return Err(format!("unexpected argument {other:?}; try jindu --help")),
        }
    }
    let (mut doc, source) = match file {
        None => (
            serde_json::from_str::<Value>(jindu::report::SAMPLE).map_err(|e| e.to_string())?,
            "built-in sample data (fictional)".to_owned(),
        ),
        Some(f) if f.ends_with(".csv") => (csv_doc(&read_input(f)?, rulebook)?, f.to_owned()),
        Some(f) => {
            let text = read_input(f)?;
            (
                serde_json::from_str::<Value>(&text).map_err(|e| format!("{f} is not valid JSON (不是有效的 JSON): {e}"))?,
                f.to_owned(),
            )
        }
    };
    if let (Some(id), Value::Object(m)) = (rulebook, &mut doc) {
        m.insert("rulebook".into(), json!(id));
    }
    let out = match jindu::report::report(&reg, &doc) {
        Ok(o) => o,
        Err(e) => {
            for x in &e.errors {
                let _ = writeln!(std::io::stderr(), "{}: {} / {}", x.path, x.msg_zh, x.msg_en);
            }
            return Ok(ExitCode::from(1));
        }
    };
    let rows = out["rows"].as_array().cloned().unwrap_or_default();
    match format {
        Format::Json => outln!("{}", pretty(&out)),
        Format::Csv => print_csv(&rows)?,
        Format::Table => print_table(&reg, &out, &rows, &source),
    }
    let bad = rows.iter().filter(|r| r["ok"] != true).count();
    Ok(if bad == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

const CONDITIONS: [&str; 6] = [
    "organisation_leadership",
    "mechanisms",
    "groundwork",
    "education",
    "enforcement",
    "problem_eased",
];

/// A CSV cell for a yes/no fact: known words become booleans, blank is "not
/// supplied", anything else is passed on unchanged so that the rules engine
/// reports it (never silently altered).
fn cell_bool(s: &str) -> Option<Value> {
    match s.trim().to_lowercase().as_str() {
        "" => None,
        "true" | "yes" | "y" | "1" | "是" => Some(json!(true)),
        "false" | "no" | "n" | "0" | "否" => Some(json!(false)),
        _ => Some(json!(s)),
    }
}

fn cell_int(s: &str) -> Option<Value> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    Some(t.parse::<u64>().map_or_else(|_| json!(s), |n| json!(n)))
}

fn csv_doc(text: &str, rulebook: Option<&str>) -> Result<Value, String> {
    let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| format!("cannot read CSV header: {e}"))?.clone();
    let known = [
        "area",
        "level",
        "issuer_level",
        "tier",
        "categories",
        "listed_on",
        "deadline",
        "extensions_used",
        "status",
        "review_on",
        "goal_met",
        "special_circumstances",
        "negligence",
        "application",
        "failed_annual_assessment",
        "first_responsible",
        "first_responsible_since",
        "first_responsible_neglect",
        "direct_responsible",
        "direct_responsible_since",
        "direct_responsible_neglect",
    ];
    for h in &headers {
        if !known.contains(&h) && !CONDITIONS.contains(&h) {
            return Err(format!(
                "unknown CSV column {h:?} (未知列); expected some of: {}, {}",
                known.join(", "),
                CONDITIONS.join(", ")
            ));
        }
    }
    let mut areas = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| format!("CSV row {}: {e}", n + 2))?;
        let get = |k: &str| headers.iter().position(|h| h == k).and_then(|i| rec.get(i)).unwrap_or("").to_owned();
        let mut listing = Map::new();
        let level = get("level");
        listing.insert(
            "area".into(),
            json!({"name": get("area"), "level": if level.is_empty() { "township".into() } else { level }}),
        );
        let issuer = get("issuer_level");
        listing.insert("issuer".into(), json!({"level": if issuer.is_empty() { "county".into() } else { issuer }}));
        for k in ["tier", "listed_on", "deadline", "status"] {
            let v = get(k);
            if !v.is_empty() {
                listing.insert(k.into(), json!(v));
            }
        }
        let cats = get("categories");
        if !cats.is_empty() {
            listing.insert("categories".into(), json!(cats.split(';').map(str::trim).collect::<Vec<_>>()));
        }
        if let Some(v) = cell_int(&get("extensions_used")) {
            listing.insert("extensions_used".into(), v);
        }
        let mut officials = Vec::new();
        for role in ["first_responsible", "direct_responsible"] {
            let name = get(role);
            if !name.is_empty() {
                let mut o = Map::new();
                o.insert("name".into(), json!(name));
                o.insert("role".into(), json!(role));
                o.insert("in_post_since".into(), json!(get(&format!("{role}_since"))));
                if let Some(b) = cell_bool(&get(&format!("{role}_neglect"))) {
                    o.insert("neglect_led_to_severity".into(), b);
                }
                officials.push(Value::Object(o));
            }
        }
        let mut area = Map::new();
        area.insert("listing".into(), Value::Object(listing));
        area.insert("officials".into(), Value::Array(officials));
        let on = get("review_on");
        let mut facts = Map::new();
        for k in ["goal_met", "special_circumstances", "negligence"] {
            if let Some(b) = cell_bool(&get(k)) {
                facts.insert(k.into(), b);
            }
        }
        let mut conds = Map::new();
        for k in CONDITIONS {
            if let Some(b) = cell_bool(&get(k)) {
                conds.insert(k.into(), b);
            }
        }
        if !conds.is_empty() {
            facts.insert("conditions".into(), Value::Object(conds));
        }
        let app = get("application");
        let failed = cell_bool(&get("failed_annual_assessment"));
        if on.is_empty() {
            return Err(format!("CSV row {}: review_on is required (评估日期必填)", n + 2));
        }
        let mut review = Map::new();
        review.insert("on".into(), json!(on));
        review.insert("facts".into(), Value::Object(facts));
        if !app.is_empty() {
            review.insert("application".into(), json!(app));
        }
        area.insert("review".into(), Value::Object(review));
        if let Some(f) = failed {
            area.insert("consequences".into(), json!({"facts": {"failed_annual_assessment": f}}));
        }
        areas.push(Value::Object(area));
    }
    Ok(json!({"rulebook": rulebook.unwrap_or("hengyang-county-2018-rectification"), "areas": areas}))
}

fn text_of(v: &Value) -> String {
    match v {
        Value::Null => "—".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn tier_words(v: &Value, name: &Value) -> String {
    match name.get("zh").and_then(Value::as_str) {
        Some(zh) => format!("{zh} {}", text_of(v)),
        None => text_of(v),
    }
}

fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if (c as u32) >= 0x1100 && !matches!(c, '\u{2014}' | '\u{2013}' | '→') {
                2
            } else {
                1
            }
        })
        .sum()
}

fn pad(s: &str, w: usize) -> String {
    let n = width(s);
    format!("{s}{}", " ".repeat(w.saturating_sub(n)))
}

fn print_table(reg: &jindu::Registry, out: &Value, rows: &[Value], source: &str) {
    let id = out["rulebook"].as_str().unwrap_or("");
    let title = reg.get(id).map(|r| r.file().title.zh.clone()).unwrap_or_default();
    outln!("《{title}》 ({id}) — {source}");
    outln!("");
    let header = [
        "#",
        "地区 area",
        "级别 tier",
        "日期 date",
        "截止日 deadline",
        "结果 outcome",
        "第十四条 未符合/未提供",
        "后果 measures",
    ];
    let mut table: Vec<Vec<String>> = vec![header.iter().map(|s| (*s).to_owned()).collect()];
    for r in rows {
        let i = r["index"].as_u64().unwrap_or(0) + 1;
        if r["ok"] != true {
            table.push(vec![
                i.to_string(),
                text_of(&r["area"]),
                "error".into(),
                "—".into(),
                "—".into(),
                "input error 输入错误".into(),
                "—".into(),
                "—".into(),
            ]);
            continue;
        }
        let outcome = match (&r["outcome"], &r["modality"]) {
            (Value::Null, _) => "(consequences)".to_owned(),
            (o, Value::Null) => text_of(o),
            (o, m) => format!("{} ({})", text_of(o), text_of(m)),
        };
        let unmet = r["conditions_unmet"].as_array().map_or(0, Vec::len);
        let not_supplied = r["conditions_not_supplied"].as_array().map_or(0, Vec::len);
        let n = r["consequences"].as_array().map_or(0, Vec::len);
        table.push(vec![
            i.to_string(),
            text_of(&r["area"]),
            tier_words(&r["tier"], &r["tier_name"]),
            text_of(&r["date"]),
            text_of(&r["deadline"]),
            outcome,
            if r["outcome"].is_null() {
                "—".into()
            } else {
                format!("{unmet}/{not_supplied}")
            },
            n.to_string(),
        ]);
    }
    let cols = header.len();
    let widths: Vec<usize> = (0..cols)
        .map(|c| table.iter().map(|row| row.get(c).map_or(0, |s| width(s))).max().unwrap_or(0))
        .collect();
    for (k, row) in table.iter().enumerate() {
        let line: Vec<String> = row.iter().zip(&widths).map(|(s, w)| pad(s, *w)).collect();
        outln!("{}", line.join("  ").trim_end());
        if k == 0 {
            outln!("{}", widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("  "));
        }
    }
    outln!("");
    for r in rows {
        let i = r["index"].as_u64().unwrap_or(0) + 1;
        outln!("{i}. {}", text_of(&r["area"]));
        if r["ok"] != true {
            for e in r["errors"].as_array().cloned().unwrap_or_default() {
                outln!(
                    "   error [{}] {}: {} / {}",
                    text_of(&e["code"]),
                    text_of(&e["path"]),
                    text_of(&e["msg_zh"]),
                    text_of(&e["msg_en"])
                );
            }
            continue;
        }
        if !r["rule"].is_null() {
            outln!("   outcome: {} — rule {}", text_of(&r["outcome"]), text_of(&r["rule"]));
        }
        if let Some(u) = r["conditions_unmet"].as_array().filter(|u| !u.is_empty()) {
            outln!("   conditions not met (第十四条): {}", u.iter().map(text_of).collect::<Vec<_>>().join(", "));
        }
        if let Some(u) = r["conditions_not_supplied"].as_array().filter(|u| !u.is_empty()) {
            outln!(
                "   conditions not supplied (第十四条): {}",
                u.iter().map(text_of).collect::<Vec<_>>().join(", ")
            );
        }
        for x in r["refused"].as_array().cloned().unwrap_or_default() {
            outln!(
                "   refused {}: {} [{}] {}",
                text_of(&x["action"]),
                text_of(&x["reason"]),
                text_of(&x["rule"]),
                text_of(&x["zh"])
            );
        }
        for m in r["consequences"].as_array().cloned().unwrap_or_default() {
            let who = m["officials"]
                .as_array()
                .filter(|o| !o.is_empty())
                .map(|o| format!(" ({})", o.iter().map(text_of).collect::<Vec<_>>().join("、")))
                .unwrap_or_default();
            outln!("   [{}] {} {}{who}", text_of(&m["status"]), text_of(&m["rule"]), text_of(&m["text"]["zh"]));
        }
        for nt in r["notes"].as_array().cloned().unwrap_or_default() {
            if nt["code"] != "no_holiday_calendar" {
                outln!("   note [{}]: {}", text_of(&nt["code"]), text_of(&nt["zh"]));
            }
        }
    }
}

fn print_csv(rows: &[Value]) -> Result<(), String> {
    let mut w = csv::Writer::from_writer(std::io::stdout());
    let cols = [
        "index",
        "area",
        "ok",
        "tier_before",
        "tier",
        "date",
        "deadline",
        "outcome",
        "modality",
        "rule",
        "status",
        "unmet_conditions",
        "consequences",
        "cited",
        "errors",
    ];
    w.write_record(cols).map_err(|e| e.to_string())?;
    for r in rows {
        let rec: Vec<String> = cols
            .iter()
            .map(|c| match (*c, &r[*c]) {
                ("consequences", Value::Array(ms)) => ms
                    .iter()
                    .map(|m| format!("{}:{}:{}", text_of(&m["rule"]), text_of(&m["measure"]), text_of(&m["status"])))
                    .collect::<Vec<_>>()
                    .join("; "),
                ("errors", Value::Array(es)) => es
                    .iter()
                    .map(|e| format!("{} {}", text_of(&e["code"]), text_of(&e["path"])))
                    .collect::<Vec<_>>()
                    .join("; "),
                (_, Value::Array(a)) => a.iter().map(text_of).collect::<Vec<_>>().join("; "),
                (_, Value::Null) => String::new(),
                (_, v) => text_of(v),
            })
            .collect();
        w.write_record(&rec).map_err(|e| e.to_string())?;
    }
    match w.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.to_string()),
        _ => Ok(()),
    }
}

//! The command line on the built-in sample, a CSV file and bad input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::process::Command;

fn jindu(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_jindu"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn report_on_the_sample() {
    let (code, out, err) = jindu(&["report"]);
    assert_eq!(code, 0, "{err}");
    for s in [
        "西渡镇",
        "extend (must)",
        "continue_listing (must)",
        "not_provided",
        "cancel (may)",
        "2021-02-28",
        "art31.p2",
        "art14.i5",
    ] {
        assert!(out.contains(s), "missing {s} in\n{out}");
    }
}

#[test]
fn report_json_rows_match_the_sample() {
    let (code, out, _) = jindu(&["report", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 13);
    let by = |name: &str| rows.iter().find(|r| r["area"] == name).unwrap().clone();
    let jinxi: Vec<_> = rows.iter().filter(|r| r["area"] == "金溪镇").collect();
    assert_eq!(jinxi.len(), 2, "one area, two listings");
    assert_eq!(jinxi[0]["issuer_level"], "prefecture");
    assert_eq!(jinxi[1]["issuer_level"], "county");
    assert_eq!(by("西渡镇")["outcome"], "extend");
    assert_eq!(by("西渡镇")["deadline"], "2021-05-31");
    assert_eq!(by("洪市镇")["deadline"], "2021-02-28");
    assert_eq!(by("井头镇")["unmet_conditions"], serde_json::json!(["art14.i5"]));
    assert_eq!(by("台源镇")["outcome"], "not_provided");
}

#[test]
fn report_reads_csv() {
    let (code, out, err) = jindu(&["report", "../spec/samples/hengyang-county-townships.csv", "--format", "csv"]);
    assert_eq!(code, 0, "{err}\n{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 7, "{out}");
    assert!(lines[1].contains("西渡镇") && lines[1].contains("extend"));
    assert!(lines[5].contains("井头镇") && lines[5].contains("art14.i5"));
}

#[test]
fn a_bad_row_keeps_the_others() {
    let dir = std::env::temp_dir().join(format!("jindu-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("bad.csv");
    std::fs::write(
        &f,
        "area,tier,listed_on,review_on,goal_met\n甲镇,supervise,2019-02-29,2019-12-01,\n乙镇,rectify,2018-06-01,2020-06-01,maybe\n丙镇,supervise,2018-06-01,2018-12-01,\n",
    )
    .unwrap();
    let (code, out, _) = jindu(&["report", f.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["ok"], false);
    assert_eq!(rows[0]["errors"][0]["code"], "no_such_day");
    assert_eq!(rows[0]["errors"][0]["path"], "areas[0].listing.listed_on");
    assert_eq!(rows[1]["errors"][0]["code"], "wrong_type");
    assert_eq!(rows[1]["errors"][0]["path"], "areas[1].review.facts.goal_met");
    assert_eq!(rows[2]["ok"], true);
    assert_eq!(rows[2]["outcome"], "continue");
}

#[test]
fn unknown_column_and_command_are_errors() {
    let dir = std::env::temp_dir().join(format!("jindu-cli-col-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("col.csv");
    std::fs::write(&f, "area,tier,listed_on,review_on,colour\n甲镇,supervise,2019-03-01,2019-12-01,red\n").unwrap();
    let (code, _, err) = jindu(&["report", f.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("colour"), "{err}");
    let (code, _, err) = jindu(&["frobnicate"]);
    assert_eq!(code, 2);
    assert!(err.contains("frobnicate"));
}

#[test]
fn call_runs_the_json_layer() {
    let dir = std::env::temp_dir().join(format!("jindu-cli-call-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("call.json");
    std::fs::write(&f, r#"{"operation":"consequences","rulebook":"hengyang-county-2018-rectification","request":{"listing":{"area":{"name":"三湖镇","level":"township"},"issuer":{"level":"county"},"tier":"rectify","listed_on":"2018-06-01"},"on":"2018-07-01"}}"#).unwrap();
    let (code, out, _) = jindu(&["call", f.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("art30.i1"));
}

#[test]
fn rulebook_check_accepts_the_samples_and_rejects_a_bad_one() {
    let (code, out, _) = jindu(&[
        "rulebook",
        "check",
        "../spec/samples/lianhua-county-extends-pingxiang.json",
        "../spec/samples/user-county-rectification-months.json",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ok (lianhua-county-2019-demonstration"));
    let text = std::fs::read_to_string("../spec/samples/lianhua-county-extends-pingxiang.json").unwrap();
    let bad = text.replace("\"to\": 199", "\"to\": 200").replace("\"word\": \"以上\"", "\"word\": \"超过\"");
    let dir = std::env::temp_dir().join(format!("jindu-cli-rb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("bad.json");
    std::fs::write(&f, bad).unwrap();
    let (code, out, _) = jindu(&["rulebook", "check", f.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("overlap at 200"), "{out}");
    assert!(out.contains("does not fit"), "{out}");
}

#[test]
fn a_user_rulebook_extending_a_builtin_works_end_to_end() {
    let dir = std::env::temp_dir().join(format!("jindu-cli-user-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("call.json");
    std::fs::write(&f, r#"{"operation":"assess","rulebook":"lianhua-county-2019-demonstration","request":{"area":{"name":"琴亭镇","level":"township"},"on":"2019-06-30","values":{"awareness_rate":96},"only":["awareness_rate"]}}"#).unwrap();
    let (code, out, err) = jindu(&[
        "call",
        f.to_str().unwrap(),
        "--rulebook-file",
        "../spec/samples/lianhua-county-extends-pingxiang.json",
    ]);
    assert_eq!(code, 0, "{err}{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["answer"]["verdict"], "unmet");
    assert_eq!(v["answer"]["indicators"][0]["source"], "lianhua-county-2019-demonstration");
    let (code, out, _) = jindu(&["call", f.to_str().unwrap()]);
    assert_eq!(code, 1, "without the file the rulebook is unknown: {out}");
    assert!(out.contains("unknown_rulebook"));
}

#[test]
fn rulebook_diff_names_the_changed_answers_and_rules() {
    let dir = std::env::temp_dir().join(format!("jindu-cli-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string("../spec/rulebooks/hengyang-county-2018-rectification.json").unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    for t in v["terms"].as_array_mut().unwrap() {
        if t["tier"] == "supervise" {
            t["period"] = serde_json::json!({"months": 18});
        }
    }
    let new = dir.join("v2.json");
    std::fs::write(&new, v.to_string()).unwrap();
    let calls = dir.join("calls.json");
    std::fs::write(
        &calls,
        r#"[{"operation":"review","request":{"listing":{"area":{"name":"甲镇","level":"township"},"issuer":{"level":"county"},"tier":"supervise","listed_on":"2019-01-01"},"on":"2019-06-01"}},
            {"operation":"review","request":{"listing":{"area":{"name":"乙镇","level":"township"},"issuer":{"level":"county"},"tier":"rectify","listed_on":"2019-01-01"},"on":"2019-06-01"}}]"#,
    )
    .unwrap();
    let (code, out, err) = jindu(&[
        "rulebook",
        "diff",
        "hengyang-county-2018-rectification",
        new.to_str().unwrap(),
        calls.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let d: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(d["calls"], 2);
    assert_eq!(d["changes"].as_array().unwrap().len(), 1, "only the supervise listing changes");
    assert_eq!(d["changes"][0]["index"], 0);
    assert_eq!(d["changes"][0]["rules"], serde_json::json!(["art13.p1.supervise"]));
    assert_eq!(d["changes"][0]["new"]["deadline"]["nominal"], "2020-07-01");
}

/// Runs `jindu` with `input` on standard input.
fn jindu_stdin(args: &[&str], input: &str) -> (i32, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_jindu"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_owned();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const DUTIES: &str = r#"{"operation":"duties","rulebook":"qianxinan-2018-dispatch","request":{"on":"2018-11-15"}}"#;
const REVIEW: &str = r#"{"operation":"review","rulebook":"hengyang-county-2018-rectification","explain":false,"request":{"listing":{"area":{"name":"三湖镇","level":"township"},"issuer":{"level":"county"},"tier":"rectify","listed_on":"2018-06-01"},"on":"2020-06-01","facts":{"goal_met":false,"special_circumstances":true}}}"#;

#[test]
fn batch_streams_ndjson_and_keeps_the_good_answers() {
    let leap = REVIEW.replace("2020-06-01", "2019-02-29");
    let input = format!("{DUTIES}\n{{not json\n\n{REVIEW}\n{leap}\n{REVIEW}");
    let (code, out, err) = jindu_stdin(&["batch"], &input);
    assert_eq!(code, 1, "a failed record makes the exit code 1: {err}");
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 6, "one answer per input line:\n{out}");
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["line"], i as u64 + 1);
    }
    let oks: Vec<bool> = lines.iter().map(|l| l["ok"] == true).collect();
    assert_eq!(oks, [true, false, false, true, false, true]);
    assert_eq!(lines[1]["errors"][0]["code"], "invalid_json");
    assert_eq!(lines[2]["errors"][0]["code"], "empty");
    assert_eq!(lines[3]["answer"]["outcome"], "extend");
    assert_eq!(lines[4]["errors"][0]["code"], "no_such_day");
    assert_eq!(lines[3]["answer"], lines[5]["answer"]);
    assert!(err.contains("6 record(s): 3 ok, 3 failed (first at line 2), 1 blank line(s)"), "{err}");

    let (code, out, err) = jindu_stdin(&["batch", "-", "--skip-blank"], &input);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 5, "{err}");
    assert!(out.lines().nth(2).unwrap().starts_with(r#"{"line":4,"ok":true"#));
}

#[test]
fn batch_from_a_file_to_a_file_on_threads_gives_the_same_bytes() {
    let dir = std::env::temp_dir().join(format!("jindu-cli-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("calls.ndjson");
    let text: String = (0..300).map(|i| format!("{}\n", if i % 3 == 0 { DUTIES } else { REVIEW })).collect();
    std::fs::write(&input, &text).unwrap();
    let one = dir.join("one.ndjson");
    let two = dir.join("two.ndjson");
    let (code, out, err) = jindu(&["batch", input.to_str().unwrap(), "--out", one.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("300 record(s): 300 ok, 0 failed"), "{err}");
    let (code, _, err) = jindu(&["batch", input.to_str().unwrap(), "--out", two.to_str().unwrap(), "--threads", "2"]);
    assert_eq!(code, 0, "{err}");
    let (a, b) = (std::fs::read(&one).unwrap(), std::fs::read(&two).unwrap());
    assert_eq!(a.iter().filter(|&&c| c == b'\n').count(), 300);
    assert!(a == b, "threads change nothing in the output");
    let (code, _, err) = jindu(&["batch", "no-such-file.ndjson"]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-file.ndjson"), "{err}");
    let (code, _, err) = jindu(&["batch", "--threads", "many"]);
    assert_eq!(code, 2);
    assert!(err.contains("--threads"), "{err}");
}

#[test]
fn batch_stops_with_code_2_when_its_output_is_closed() {
    use std::io::{BufRead, Write};
    let mut child = Command::new(env!("CARGO_BIN_EXE_jindu"))
        .args(["batch"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let line = format!("{DUTIES}\n");
        for _ in 0..100_000 {
            if stdin.write_all(line.as_bytes()).is_err() {
                break;
            }
        }
    });
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.starts_with(r#"{"line":1,"ok":true"#), "{first}");
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("the output was closed at line"), "{err}");
}

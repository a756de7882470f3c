//! Snapshots of what people read: report.json and the terminal summary,
//! with times redacted.

mod common;

use common::{consentry, report};

#[test]
fn report_json_of_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let o = consentry(&[
        "run",
        "scenarios/consent/no-refuse.yaml",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let mut r = report(&out);
    // The scenario path is the caller's; keep the snapshot about the content.
    r["runs"][0]["scenario"] = "scenarios/consent/no-refuse.yaml".into();
    // What OCR reads (texts, boxes, confidence) is the engine's: one
    // snapshot per engine.
    let engine = consentry::perception::OcrKind::configured().as_str();
    insta::with_settings!({snapshot_suffix => engine}, {
    insta::assert_json_snapshot!(r, {
        ".started" => "[time]",
        ".finished" => "[time]",
        ".runs[].started" => "[time]",
        ".runs[].finished" => "[time]",
        ".runs[].frames[].time" => "[time]",
        ".runs[].frames[].elapsed_ms" => "[ms]",
        ".tool.version" => "[version]",
    });
    });
}

#[test]
fn terminal_summary_of_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let o = consentry(&["demo", "--out", out.to_str().unwrap(), "-q"]);
    let stdout = String::from_utf8(o.stdout).unwrap();
    let out_s = out.display().to_string();
    insta::with_settings!({filters => vec![
        (r"frames in \d+\.\d s", "frames in [secs] s"),
        (out_s.as_str(), "[out]"),
    ]}, {
        insta::assert_snapshot!(stdout);
    });
}

//! The reports reviewers hand on: the terminal summary and report.xlsx in
//! Chinese or English (`--lang`, or the locale), report.json's ids English
//! whatever the language, the spreadsheet read back with calamine (sheets,
//! rows, results, links to frames that exist) and merged from two shards.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use calamine::{open_workbook, Data, Reader, Xlsx};

fn consentry(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(args)
        .current_dir(dir)
        .env("OMP_THREAD_LIMIT", "1")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .envs(env.iter().copied())
        .output()
        .expect("consentry runs")
}

fn scenarios() -> [String; 2] {
    let root = env!("CARGO_MANIFEST_DIR");
    [
        format!("{root}/scenarios/consent/no-refuse.yaml"),
        format!("{root}/scenarios/consent/popup-loop.yaml"),
    ]
}

/// The rows of a sheet as text.
fn rows(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str) -> Vec<Vec<String>> {
    let range = book.worksheet_range(sheet).expect("the sheet is there");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Checks a report.xlsx against its report.json; returns the findings rows.
fn check_book(out: &Path, sheets: [&str; 3], results: &[&str]) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = open_workbook(out.join("report.xlsx")).expect("report.xlsx opens");
    assert_eq!(book.sheet_names(), sheets.map(String::from).to_vec());
    let r = common::report(out);
    let verdicts: usize = r["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|run| run["verdicts"].as_array().unwrap().len())
        .sum();
    let findings = rows(&mut book, sheets[0]);
    assert_eq!(
        findings.len(),
        verdicts + 1,
        "a header and a row per verdict"
    );
    for row in &findings[1..] {
        assert!(results.contains(&row[9].as_str()), "{row:?}");
        assert!(!row[8].is_empty(), "the clause's words: {row:?}");
    }
    // The evidence links lead to frames that are there.
    let links = book.hyperlinks_by_sheet_name(sheets[0]).unwrap();
    assert!(!links.is_empty());
    for l in &links {
        let target = l.target.clone().unwrap_or_default();
        assert!(target.starts_with("frames/"), "{target}");
        assert!(out.join(&target).is_file(), "{target} is there");
    }
    let frames: usize = r["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|run| run["frames"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows(&mut book, sheets[1]).len(), frames + 1);
    let identity = rows(&mut book, sheets[2]);
    assert_eq!(identity.len(), r["runs"].as_array().unwrap().len() + 1);
    assert!(
        identity[1][6].len() == 64,
        "the scenario's sha256: {:?}",
        identity[1]
    );
    findings
}

#[test]
fn chinese_and_english_reports_and_their_spreadsheets() {
    let dir = tempfile::tempdir().unwrap();
    let [a, b] = scenarios();
    // Chinese from the locale, English by the flag.
    let zh = consentry(
        dir.path(),
        &["run", &a, &b, "--out", "zh"],
        &[("LANG", "zh_CN.UTF-8")],
    );
    let en = consentry(
        dir.path(),
        &["run", &a, &b, "--out", "en", "--lang", "en"],
        &[("LANG", "zh_CN.UTF-8")],
    );
    common::assert_exit(&zh, 1);
    common::assert_exit(&en, 1);
    let zh_out = String::from_utf8_lossy(&zh.stdout);
    let en_out = String::from_utf8_lossy(&en.stdout);
    assert!(
        zh_out.contains("不通过") && zh_out.contains("明示同意"),
        "{zh_out}"
    );
    assert!(
        zh_out.contains("2 个场景") && zh_out.contains("报告："),
        "{zh_out}"
    );
    assert!(
        en_out.contains("FAIL") && en_out.contains("2 scenarios,"),
        "{en_out}"
    );
    assert!(!en_out.contains("不通过"), "{en_out}");
    assert!(
        zh_out.contains("[帧 ") && !zh_out.contains("[frame"),
        "{zh_out}"
    );
    assert!(en_out.contains("[frame"), "{en_out}");
    // report.json: the same English ids and statuses whatever the language.
    assert_eq!(
        common::statuses(&dir.path().join("zh")),
        common::statuses(&dir.path().join("en"))
    );
    let zh_rows = check_book(
        &dir.path().join("zh"),
        ["检测结果", "时间线", "检测对象"],
        &["通过", "不通过", "无法判定", "人工复核"],
    );
    assert_eq!(
        zh_rows[0][..4],
        ["序号", "应用", "版本", "设备"].map(String::from)
    );
    assert!(
        zh_rows.iter().any(|r| r[5] == "拒绝后不得反复弹窗"),
        "{zh_rows:?}"
    );
    assert!(
        zh_rows
            .iter()
            .any(|r| r[8].contains("应提供明确的同意或拒绝选项")),
        "7.1(c) in the standard's words"
    );
    // The version of the app tested.
    assert!(zh_rows[1][2].contains("1.0.0"), "{:?}", zh_rows[1]);
    check_book(
        &dir.path().join("en"),
        ["findings", "timeline", "identity"],
        &["pass", "fail", "inconclusive", "manual"],
    );

    // Two shards merged: one spreadsheet with the rows of both, its links
    // into each shard's frames.
    let m = consentry(
        dir.path(),
        &[
            "merge",
            "zh/report.json",
            "en/report.json",
            "--out",
            "merged",
            "--lang",
            "zh",
        ],
        &[],
    );
    common::assert_exit(&m, 0);
    let merged = check_book(
        &dir.path().join("merged"),
        ["检测结果", "时间线", "检测对象"],
        &["通过", "不通过", "无法判定", "人工复核"],
    );
    assert_eq!(merged.len(), 2 * (zh_rows.len() - 1) + 1);
    let mut book: Xlsx<_> = open_workbook(dir.path().join("merged/report.xlsx")).unwrap();
    let links = book.hyperlinks_by_sheet_name("检测结果").unwrap();
    let targets: Vec<String> = links.iter().filter_map(|l| l.target.clone()).collect();
    assert!(targets.iter().any(|t| t.starts_with("frames/m1/")));
    assert!(targets.iter().any(|t| t.starts_with("frames/m2/")));
}

#[test]
fn the_rules_are_listed_with_their_names_and_the_standards_words() {
    let dir = tempfile::tempdir().unwrap();
    let zh = consentry(dir.path(), &["rules", "--lang", "zh"], &[]);
    let en = consentry(dir.path(), &["rules"], &[("LANG", "en_US.UTF-8")]);
    let (zh, en) = (
        String::from_utf8_lossy(&zh.stdout),
        String::from_utf8_lossy(&en.stdout),
    );
    assert!(
        zh.contains("明示同意") && zh.contains("拒绝后不得反复弹窗"),
        "{zh}"
    );
    assert!(en.contains("explicit consent"), "{en}");
    // The clause in the standard's words, in either language.
    for out in [&zh, &en] {
        assert!(out.contains("7.2(f)(2) 拒绝授权小程序弹窗循环"), "{out}");
    }
}

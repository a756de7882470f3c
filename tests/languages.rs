//! The demo in Chinese and in English: every verdict carries the same
//! language-free `reason` (code and arguments) in both, with a non-empty
//! code, while the messages differ; and the Chinese run prints no English
//! sentence, in its verdict messages or on the terminal, apart from ids,
//! package names, paths, the scenarios' own names and text quoted from the
//! screen.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use regex::Regex;
use serde_json::Value;

mod common;

fn demo(dir: &Path, lang: &str) -> (Output, Value) {
    let out = dir.join(lang);
    let o = Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(["--lang", lang, "demo", "--out", out.to_str().unwrap()])
        .current_dir(dir)
        .env("OMP_THREAD_LIMIT", "1")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .output()
        .expect("consentry runs");
    let report = common::report(&out);
    (o, report)
}

/// (scenario name, rule) → the verdict.
fn verdicts(report: &Value) -> BTreeMap<(String, String), Value> {
    let mut out = BTreeMap::new();
    for run in report["runs"].as_array().expect("runs") {
        for v in run["verdicts"].as_array().expect("verdicts") {
            let key = (
                run["name"].as_str().unwrap().to_string(),
                v["rule"].as_str().unwrap().to_string(),
            );
            out.insert(key, v.clone());
        }
    }
    out
}

/// The English sentence in `text` (four or more English words with no
/// Chinese between them), once what may stay as written is taken out: the
/// scenarios' names, text quoted from the screen or in backticks, paths,
/// package and activity names, ids with hyphens.
fn english_in(text: &str, names: &[String]) -> Option<String> {
    let mut s = text.to_string();
    for n in names {
        s = s.replace(n.as_str(), " ");
    }
    let quoted = Regex::new(r"「[^」]*」|“[^”]*”|`[^`]*`|《[^》]*》").unwrap();
    let paths = Regex::new(r"\S*[./:@]\S*[A-Za-z0-9]\S*").unwrap();
    let ids = Regex::new(r"\b\w+(?:-\w+)+\b").unwrap();
    let s = quoted.replace_all(&s, " ");
    let s = paths.replace_all(&s, " ");
    let s = ids.replace_all(&s, " ");
    let chinese = Regex::new(r"[\u{2e80}-\u{9fff}\u{3000}-\u{303f}\u{ff00}-\u{ffef}]+").unwrap();
    let word = Regex::new(r"[A-Za-z]{2,}").unwrap();
    let found = chinese
        .split(&s)
        .find(|seg| word.find_iter(seg).count() >= 4)
        .map(|seg| seg.trim().to_string());
    found
}

#[test]
fn the_demo_in_chinese_and_english_gives_the_same_reasons_and_chinese_has_no_english() {
    let dir = tempfile::tempdir().unwrap();
    let (zo, zh) = demo(dir.path(), "zh");
    let (eo, en) = demo(dir.path(), "en");
    let (zv, ev) = (verdicts(&zh), verdicts(&en));
    assert!(zv.len() > 50, "{}", zv.len());
    assert_eq!(zv.keys().collect::<Vec<_>>(), ev.keys().collect::<Vec<_>>());
    let mut differ = 0;
    for (k, z) in &zv {
        let e = &ev[k];
        let code = z["reason"]["code"].as_str().unwrap_or("");
        assert!(!code.is_empty(), "{k:?}: no reason code: {z}");
        assert_eq!(z["reason"], e["reason"], "{k:?}: the reasons differ");
        if z["message"] != e["message"] {
            differ += 1;
        }
    }
    assert_eq!(differ, zv.len(), "every message is in its own language");

    // No English sentence in the Chinese messages or on the terminal.
    let names: Vec<String> = zh["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    let mut english = Vec::new();
    for (k, v) in &zv {
        let m = v["message"].as_str().unwrap();
        if let Some(e) = english_in(m, &names) {
            english.push(format!("{k:?}: {m} ({e})"));
        }
    }
    let terminal = format!(
        "{}{}",
        String::from_utf8_lossy(&zo.stdout),
        String::from_utf8_lossy(&zo.stderr)
    );
    assert!(terminal.lines().count() > 60, "{terminal}");
    for l in terminal.lines() {
        if let Some(e) = english_in(l, &names) {
            english.push(format!("terminal: {l} ({e})"));
        }
    }
    assert!(
        english.is_empty(),
        "English in Chinese output:\n{}",
        english.join("\n")
    );

    // The summary's columns line up in both languages, whatever the rule's
    // length (the demo has every rule, the longest id included; Chinese
    // characters are two columns wide).
    let clause = Regex::new(r"\s(\d\.\d[\d.]*\([a-z]\))").unwrap();
    for (lang, o) in [("zh", &zo), ("en", &eo)] {
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("account-deletion-reachable"), "{text}");
        let mut starts = std::collections::BTreeSet::new();
        for l in text.lines().filter(|l| !l.starts_with('[')) {
            if let Some(m) = clause.captures(l).and_then(|c| c.get(1)) {
                starts.insert(columns(&l[..m.start()]));
            }
        }
        assert_eq!(
            starts.len(),
            1,
            "{lang}: the clause column starts at {starts:?}\n{text}"
        );
    }
}

/// Terminal columns: two for a wide (CJK, fullwidth) character.
fn columns(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115f
            | 0x2e80..=0xa4cf
            | 0xac00..=0xd7a3
            | 0xf900..=0xfaff
            | 0xfe30..=0xfe4f
            | 0xff00..=0xff60
            | 0xffe0..=0xffe6 => 2,
            _ => 1,
        })
        .sum()
}

#[test]
fn an_english_sentence_is_found_and_ids_paths_and_quotes_are_not() {
    let names = vec!["退出保险 (exits after refusal)".to_string()];
    assert!(english_in(
        "[1/31] 退出保险 (exits after refusal) on sim: 9 frames, 4 verdicts, 1 fail",
        &names
    )
    .is_some());
    assert!(english_in(
        "the refuse option 「不同意」 is less than a third the size of 「同意」",
        &[]
    )
    .is_some());
    assert!(english_in(
        "[1/31] 退出保险 (exits after refusal) 于 sim：9 帧，4 项结论，1 项不通过",
        &names
    )
    .is_none());
    assert!(english_in("当前前台为 com.android.launcher3/com.android.launcher3.uioverrides.QuickstepLauncher  [帧 0,1]", &[]).is_none());
    assert!(english_in("拒绝后不得强制退出 no-forced-exit 7.2(f)(1)", &[]).is_none());
    assert!(english_in("仅显示「I agree to the terms and go on」", &[]).is_none());
}

//! A verdict reached from OCR alone: the mini program's screens are web
//! content whose view hierarchy carries no text.

mod common;

use common::{consentry, report};

#[test]
fn mini_program_verdicts_come_from_ocr_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let o = consentry(&[
        "run",
        "scenarios/consent/wechat-miniprogram.yaml",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    common::assert_exit(&o, 1);
    let r = report(&out);
    let run = &r["runs"][0];
    let verdict = |rule: &str| {
        run["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["rule"] == rule)
            .unwrap()
            .clone()
    };

    // The consent prompt was found, and judged, from OCR text only.
    let ec = verdict("explicit-consent");
    assert_eq!(ec["status"], "pass", "{ec}");
    let frame = &run["frames"][ec["evidence"][0].as_u64().unwrap() as usize];
    let texts = frame["texts"].as_array().unwrap();
    let in_app: Vec<_> = texts
        .iter()
        .filter(|t| t["bounds"][1].as_i64().unwrap() > 700)
        .collect();
    assert!(!in_app.is_empty());
    assert!(
        in_app.iter().all(|t| t["source"] == "ocr"),
        "the mini program's texts must all come from OCR: {texts:?}"
    );
    let role_of = |word: &str| {
        texts
            .iter()
            .find(|t| t["text"] == word)
            .map(|t| t["role"].clone())
    };
    assert_eq!(
        role_of("同意"),
        Some("agree".into()),
        "OCR must read the white-on-blue 同意 button"
    );
    assert_eq!(role_of("拒绝"), Some("refuse".into()));

    // Refusing closes the mini program back to WeChat's chat list.
    let fe = verdict("no-forced-exit");
    assert_eq!(fe["status"], "fail");
    assert!(
        fe["message"]
            .as_str()
            .unwrap()
            .contains("com.tencent.mm.ui.LauncherUI"),
        "{fe}"
    );

    // The policy was found by tapping OCR'd menu entries.
    let pr = verdict("policy-reachable");
    assert_eq!(pr["status"], "pass", "{pr}");
    assert_eq!(
        run["explorations"][0]["found"]["path"],
        serde_json::json!(["我的", "隐私保护指引"])
    );
}

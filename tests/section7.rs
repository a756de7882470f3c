//! Section 7's data and permission rules end to end on the simulated
//! device: an app that reads device ids before consent, asks two
//! permissions in one go at start-up and tracks location every 5 s, also in
//! the background; and one that does none of it
//! (tests/fixtures/section7).

mod common;

use common::{consentry, statuses};

#[test]
fn data_and_permission_rules_on_a_tracking_and_a_careful_app() {
    let out = tempfile::tempdir().unwrap();
    let dir = "tests/fixtures/section7";
    let o = consentry(&[
        "run",
        &format!("{dir}/tracker.yaml"),
        &format!("{dir}/careful.yaml"),
        "--sim-app",
        &format!("{dir}/tracker-app.yaml"),
        "--sim-app",
        &format!("{dir}/careful-app.yaml"),
        "--out",
        &out.path().display().to_string(),
        "-q",
    ]);
    common::assert_exit(&o, 1);
    let got: Vec<(String, String, String)> = statuses(out.path());
    let want = |app: &str, rule: &str, status: &str| {
        assert!(
            got.contains(&(app.into(), rule.into(), status.into())),
            "{app} {rule} {status}: {got:?}"
        )
    };
    for rule in [
        "no-collection-before-consent",
        "no-background-collection",
        "collection-frequency",
        "no-upfront-permission",
        "no-bundled-permissions",
        "auth-state-unchanged",
    ] {
        want("tracker", rule, "fail");
    }
    want("tracker", "policy-on-first-launch", "pass");
    for rule in [
        "policy-on-first-launch",
        "no-collection-before-consent",
        "no-background-collection",
        "collection-frequency",
        "no-upfront-permission",
        "auth-state-unchanged",
    ] {
        want("careful", rule, "pass");
    }
    // It asked for no permission: nothing to judge.
    want("careful", "no-bundled-permissions", "inconclusive");

    // The messages name what was read and when.
    let report = common::report(out.path());
    let text = report.to_string();
    assert!(
        text.contains("READ_PHONE_STATE (phone state and device ids)"),
        "{text}"
    );
    assert!(
        text.contains("location and then contacts were asked in one go"),
        "{text}"
    );
}

/// Runs scenarios of tests/fixtures/section7 with their app models and
/// returns (scenario, rule, status) and the report's text.
fn run_fixtures(scenarios: &[&str], apps: &[&str]) -> (Vec<(String, String, String)>, String) {
    let out = tempfile::tempdir().unwrap();
    let dir = "tests/fixtures/section7";
    let mut args: Vec<String> = vec!["run".into()];
    args.extend(scenarios.iter().map(|s| format!("{dir}/{s}.yaml")));
    for a in apps {
        args.push("--sim-app".into());
        args.push(format!("{dir}/{a}.yaml"));
    }
    args.extend([
        "--out".into(),
        out.path().display().to_string(),
        "-q".into(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = consentry(&args);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    (statuses(out.path()), common::report(out.path()).to_string())
}

#[test]
fn permission_purpose_and_reprompting_on_a_careful_and_a_bare_app() {
    let (got, text) = run_fixtures(
        &["branches", "bare", "quiet", "mini-sheet"],
        &["branches-app", "bare-app", "careful-app", "mini-sheet-app"],
    );
    let want = |app: &str, rule: &str, status: &str| {
        assert!(
            got.contains(&(app.into(), rule.into(), status.into())),
            "{app} {rule} {status}: {got:?}"
        )
    };
    // An explain screen before Android's dialog, a reason line on MIUI's
    // sheet; asked again only when 附近网点 is opened again.
    want("branches", "permission-purpose", "pass");
    want("branches", "no-frequent-reprompt", "pass");
    // Android's bare dialog right after consent, and again on relaunch.
    want("bare", "permission-purpose", "fail");
    want("bare", "no-frequent-reprompt", "fail");
    // WeChat's authorization sheet with the developer's reason, read by OCR.
    want("mini-sheet", "permission-purpose", "pass");
    want("mini-sheet", "no-frequent-reprompt", "pass");
    // No dialog at all.
    want("quiet", "permission-purpose", "inconclusive");
    want("quiet", "no-frequent-reprompt", "inconclusive");
    for m in [
        "the location permission dialog at frame 1 came with no purpose",
        "location was refused at frame 1 and asked again at frame 6 on relaunch",
        "asked again 1 time(s) only when the user opened the function that needs it",
        "the location authorization sheet at frame 2 said 「用于查找附近的网点」 on it",
    ] {
        assert!(text.contains(m), "{m}: {text}");
    }
}

#[test]
fn face_capture_with_and_without_a_notice() {
    let (got, text) = run_fixtures(
        &["face-notice", "face-straight", "quiet"],
        &["face-app", "careful-app"],
    );
    assert!(
        got.contains(&(
            "face-notice".into(),
            "biometric-notice".into(),
            "pass".into()
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "face-straight".into(),
            "biometric-notice".into(),
            "fail".into()
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "quiet".into(),
            "biometric-notice".into(),
            "inconclusive".into()
        )),
        "{got:?}"
    );
    assert!(
        text.contains("face data was collected at frame 2 (a face-capture screen: 「请正对手机」) with no separate notice"),
        "{text}"
    );
}

#[test]
fn a_new_build_whose_rules_changed_asks_again_or_not() {
    let (got, text) = run_fixtures(
        &["update-asks", "update-silent", "update-unsaid"],
        &["update-app", "update-app-v2"],
    );
    for (s, want) in [
        ("update-asks", "pass"),
        ("update-silent", "fail"),
        ("update-unsaid", "inconclusive"),
    ] {
        assert!(
            got.contains(&(s.into(), "reconsent-on-change".into(), want.into())),
            "{s} {want}: {got:?}"
        );
    }
    for m in [
        "the first launch of version 2 (rules changed) asked for consent anew: 「隐私政策更新提示」",
        // The package file sent to the simulated device is an app model.
        "the first launch of update-app-v3.yaml, whose processing rules changed, went straight to the app (frame 3)",
        "does not say its processing rules changed (`policy_changed: true`",
    ] {
        assert!(text.contains(m), "{m}: {text}");
    }
}

#[test]
fn an_install_step_names_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    for (body, want) in [
        (
            "  - install: {apk: missing-v2.apk, policy_changed: true}\n",
            "bad.yaml:5:20: error: no package file",
        ),
        (
            "  - install: {version: 2, apk: a.apk}\n",
            "`install` takes `version` or `apk`, not both",
        ),
        (
            "  - install: {policy_changed: true}\n",
            "`install` needs `version: N`",
        ),
    ] {
        std::fs::write(
            &bad,
            format!("app:\n  package: com.s7.update\nsteps:\n  - launch\n{body}"),
        )
        .unwrap();
        let o = consentry(&["check", &bad.display().to_string()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(want), "{want}: {err}");
    }
}

#[test]
fn rewards_next_to_prompts_are_gathered_for_a_person() {
    let out = tempfile::tempdir().unwrap();
    let dir = "tests/fixtures/section7";
    let o = consentry(&[
        "run",
        "scenarios/notices/reward-prompt.yaml",
        &format!("{dir}/quiet.yaml"),
        &format!("{dir}/no-prompt.yaml"),
        "--sim-app",
        &format!("{dir}/careful-app.yaml"),
        "--out",
        &out.path().display().to_string(),
        "-q",
    ]);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let got = statuses(out.path());
    for (s, want) in [
        ("reward-prompt", "manual"),
        ("quiet", "manual"),
        ("no-prompt", "inconclusive"),
    ] {
        assert!(
            got.contains(&(s.into(), "no-inducement".into(), want.into())),
            "{s} {want}: {got:?}"
        );
    }
    let report = common::report(out.path());
    let text = report.to_string();
    // The reward is quoted and boxed; prompts without one are counted.
    // (OCR may or may not read the gap between the banner's two phrases.)
    let quoted = text.contains("authorization prompt(s) shown next to reward wording: frame 0 「开启定位 领10元现金红包」 (红包)")
        || text.contains("authorization prompt(s) shown next to reward wording: frame 0 「开启定位领10元现金红包」 (红包)");
    assert!(quoted, "{text}");
    assert!(
        text.contains("1 authorization prompt(s) checked: no reward wording"),
        "{text}"
    );
    let boxes = report["runs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["verdicts"].as_array().unwrap().iter())
        .flat_map(|v| v["highlights"].as_array().into_iter().flatten())
        .filter(|h| h["label"] == "reward")
        .count();
    assert!(boxes >= 2, "{text}");
}

//! Section 7's search and refusal rules end to end on the simulated device
//! (tests/fixtures/section7): an app with every way out (permission states
//! and a withdraw control under 隐私设置, 注销账号 under 账号与安全, functions
//! that work after a refusal, a full policy) and a bare one (nothing behind
//! its settings, functions that answer a refusal with 请先同意 or the prompt
//! again, a three-sentence policy); and scenarios that lack the steps.

mod common;

use common::{consentry, report, statuses};

fn run(out: &std::path::Path) -> serde_json::Value {
    let dir = "tests/fixtures/section7";
    let o = consentry(&[
        "run",
        &format!("{dir}/settings.yaml"),
        &format!("{dir}/empty-settings.yaml"),
        &format!("{dir}/unsearched.yaml"),
        &format!("{dir}/agreed-first.yaml"),
        "--sim-app",
        &format!("{dir}/settings-app.yaml"),
        "--sim-app",
        &format!("{dir}/empty-settings-app.yaml"),
        "--out",
        &out.display().to_string(),
        "-q",
    ]);
    common::assert_exit(&o, 1);
    report(out)
}

fn verdict<'r>(r: &'r serde_json::Value, scenario: &str, rule: &str) -> &'r serde_json::Value {
    r["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|run| run["scenario"].as_str().unwrap().contains(scenario))
        .and_then(|run| {
            run["verdicts"]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["rule"] == rule)
        })
        .unwrap_or_else(|| panic!("{scenario} {rule}"))
}

fn msg<'r>(r: &'r serde_json::Value, scenario: &str, rule: &str) -> &'r str {
    verdict(r, scenario, rule)["message"].as_str().unwrap()
}

#[test]
fn searches_functions_and_policy_text_on_a_full_and_a_bare_app() {
    let out = tempfile::tempdir().unwrap();
    let r = run(out.path());
    let got = statuses(out.path());
    let want = |app: &str, rule: &str, status: &str| {
        assert!(
            got.contains(&(app.into(), rule.into(), status.into())),
            "{app} {rule} {status}: {got:?}"
        )
    };
    for rule in [
        "revocation-reachable",
        "account-deletion-reachable",
        "refusal-keeps-functions",
    ] {
        want("settings", rule, "pass");
        want("empty-settings", rule, "fail");
        want("unsearched", rule, "inconclusive");
    }
    for rule in ["policy-content", "minor-rules"] {
        want("settings", rule, "manual");
        want("empty-settings", rule, "manual");
        want("unsearched", rule, "inconclusive");
    }
    want("agreed-first", "refusal-keeps-functions", "inconclusive");

    // The path is the evidence; a failure says how much was searched.
    let m = msg(&r, "settings", "revocation-reachable");
    assert!(m.contains("3 taps: 我的 › 设置 › 隐私设置"), "{m}");
    assert!(m.contains("撤回隐私政策授权"), "{m}");
    let m = msg(&r, "settings", "account-deletion-reachable");
    assert!(m.contains("我的 › 账号与安全 › 注销账号"), "{m}");
    assert!(m.contains("注销须知"), "{m}");
    for rule in ["revocation-reachable", "account-deletion-reachable"] {
        let m = msg(&r, "empty-settings", rule);
        assert!(
            m.contains("within 4 taps (") && m.contains("screens and"),
            "{m}"
        );
        let m = msg(&r, "unsearched", rule);
        assert!(m.contains("add `- explore: {find: "), "{m}");
    }
    // Each blocked function with how it was blocked, the frames as evidence.
    let v = verdict(&r, "empty-settings", "refusal-keeps-functions");
    let m = v["message"].as_str().unwrap();
    assert!(
        m.contains("「借款额度」: it was refused with 「请先同意隐私政策后使用」"),
        "{m}"
    );
    assert!(
        m.contains("「还款计划」: the consent prompt came back"),
        "{m}"
    );
    assert!(v["evidence"].as_array().unwrap().len() >= 4, "{v}");
    let m = msg(&r, "settings", "refusal-keeps-functions");
    assert!(m.contains("「行情」, 「资讯」"), "{m}");
    let m = msg(&r, "unsearched", "refusal-keeps-functions");
    assert!(m.contains("「基金定投」 never found"), "{m}");
    let m = msg(&r, "agreed-first", "refusal-keeps-functions");
    assert!(m.contains("after the user agreed"), "{m}");
    assert!(msg(&r, "unsearched", "policy-content").contains("add `read_policy`"));

    // The searches are recorded with their targets, and never tap what logs
    // out or erases.
    for run in r["runs"].as_array().unwrap() {
        for f in run["frames"].as_array().unwrap() {
            let label = f["tap"]["label"].as_str().unwrap_or_default();
            assert!(
                !["退出登录", "清除缓存", "申请注销", "确认撤回"].contains(&label),
                "{} tapped {label}",
                run["scenario"]
            );
        }
    }
    let settings = r["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|run| run["scenario"].as_str().unwrap().contains("settings"))
        .unwrap();
    let targets: Vec<&str> = settings["explorations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["target"].as_str().unwrap())
        .collect();
    assert_eq!(targets, ["revocation", "account-deletion", "policy"]);

    // The policy is read to its end: every section once, in order, though
    // the screens overlap; a sentence wrapped over lines is whole again.
    let p = &settings["policies"][0];
    assert_eq!(p["complete"], true, "{p}");
    assert!(p["frames"].as_array().unwrap().len() >= 2, "{p}");
    let text = p["text"].as_str().unwrap();
    let mut at = 0;
    for h in [
        "一、",
        "二、",
        "三、",
        "四、",
        "五、未成年人保护",
        "六、如何联系我们",
    ] {
        let i = text[at..]
            .find(h)
            .unwrap_or_else(|| panic!("{h} after {at}: {text}"))
            + at;
        at = i;
    }
    assert_eq!(
        text.matches("保存期限为实现处理目的所必要的最短时间")
            .count(),
        1,
        "{text}"
    );
    assert!(text.contains("第三方SDK的名称"), "{text}");
    assert!(text.contains("《第三方信息共享清单》。\n"), "{text}");
    // Hints: the thin policy misses most elements and says nothing of children.
    let m = msg(&r, "empty-settings", "policy-content");
    assert!(
        m.contains("not found processor, sensitive, sharing, retention, rights, contact"),
        "{m}"
    );
    let m = msg(&r, "settings", "policy-content");
    assert!(m.contains("every element found"), "{m}");
    assert!(msg(&r, "settings", "minor-rules").contains("不满14周岁"));
    assert!(msg(&r, "empty-settings", "minor-rules").starts_with("nothing in"));

    // The reviewer's page shows each search's path with its frames, the
    // functions opened, and the policy text with its hints.
    let html = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    for want in [
        "search for a way to withdraw authorizations",
        "<span class=\"label\">「隐私设置」</span>",
        "<span class=\"label\">「注销账号」</span>",
        "found: titled 「注销须知」",
        "tap 「借款额度」",
        "did not open: it was refused with 「请先同意隐私政策后使用」",
        "<span class=\"status-pass\">opened</span>",
        "<li class=\"missing\"><b>retention period and place</b>: not found</li>",
        "<b>children under 14</b>: <q>若您是不满14周岁的未成年人",
        "<summary>the captured text of 「隐私政策」",
    ] {
        assert!(html.contains(want), "{want}");
    }
}

#[test]
fn searches_follow_words_not_one_layout() {
    // English menus four taps deep, states written out; and a list of
    // toggles with no state words at all.
    let out = tempfile::tempdir().unwrap();
    let dir = "tests/fixtures/section7";
    let o = consentry(&[
        "run",
        &format!("{dir}/en-settings.yaml"),
        &format!("{dir}/switches.yaml"),
        "--sim-app",
        &format!("{dir}/en-settings-app.yaml"),
        "--out",
        &out.path().display().to_string(),
        "-q",
    ]);
    common::assert_exit(&o, 0);
    let r = report(out.path());
    let m = msg(&r, "en-settings", "revocation-reachable");
    assert!(
        m.contains("4 taps: Me › Settings › Privacy › Manage permissions"),
        "{m}"
    );
    assert!(m.contains("「Camera」 Not allowed"), "{m}");
    let m = msg(&r, "en-settings", "account-deletion-reachable");
    assert!(m.contains("Me › Account › Delete account"), "{m}");
    assert!(m.contains("Deleting your account erases"), "{m}");
    let m = msg(&r, "switches", "revocation-reachable");
    assert!(
        m.contains("「位置信息」 switch on, 「相机」 switch off"),
        "{m}"
    );
    // `Log out` is never tapped.
    for run in r["runs"].as_array().unwrap() {
        for f in run["frames"].as_array().unwrap() {
            assert_ne!(f["tap"]["label"], "Log out");
        }
    }
}

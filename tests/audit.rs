//! `consentry audit` on apps nobody scripted: the bundled examples' app
//! models and the corpus's, with no scenario, give the verdicts their
//! scenarios give; a sample through the real adb server gives the same.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{all_rules, consentry, Rig, COMPLIANT, DEMO_EXPECTED};

/// The app model of a bundled example.
fn model(stem: &str) -> String {
    let file = match stem {
        "no-purpose" => "mini-no-purpose",
        s => s,
    };
    format!("src/sim/apps/{file}.yaml")
}

/// The Section 6 examples that need the audit to log in.
const LOGIN: &[&str] = &[
    "password-in-clear",
    "capturable-login",
    "telling-login-error",
    "password-kept",
];

/// Runs an audit and returns, per audited app (package, or deep link for
/// a mini program), its verdicts: rule → (status, message).
fn audit(args: &[&str], out: &Path) -> BTreeMap<String, BTreeMap<String, (String, String)>> {
    let mut argv = vec!["audit", "--out", out.to_str().unwrap(), "-q"];
    argv.extend_from_slice(args);
    let o = consentry(&argv);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{argv:?}\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let r = common::report(out);
    common::assert_one_answer(&r);
    let mut got = BTreeMap::new();
    for run in r["runs"].as_array().unwrap() {
        assert_eq!(
            run["status"], "completed",
            "{}: {}",
            run["name"], run["error"]
        );
        let key = run["app"]["deeplink"]
            .as_str()
            .or(run["app"]["package"].as_str())
            .unwrap()
            .to_string();
        let verdicts = run["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["rule"].as_str().unwrap().to_string(),
                    (
                        v["status"].as_str().unwrap().to_string(),
                        v["message"].as_str().unwrap().to_string(),
                    ),
                )
            })
            .collect();
        got.insert(key, verdicts);
    }
    got
}

/// The package (or deep link) of an app model file.
fn target_of(model: &str) -> String {
    let text = std::fs::read_to_string(model).unwrap();
    let field = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(k))
            .map(|v| v.split('#').next().unwrap().trim().to_string())
    };
    field("deeplink: ").or_else(|| field("package: ")).unwrap()
}

#[test]
fn every_example_gives_its_verdicts_with_no_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let (mut plain, mut login) = (Vec::new(), Vec::new());
    for (stem, _) in DEMO_EXPECTED {
        match *stem {
            "silent-update" => {}
            s if LOGIN.contains(&s) => login.push(model(s)),
            s => plain.push(model(s)),
        }
    }
    let with = |models: &[String], extra: &[&str], out: &str| {
        let mut args: Vec<&str> = Vec::new();
        for m in models {
            args.extend(["--sim-app", m.as_str()]);
        }
        args.extend_from_slice(extra);
        audit(&args, &dir.path().join(out))
    };
    let mut got = with(&plain, &["--jobs", "2"], "plain");
    got.extend(with(
        &login,
        &["--login", "tests/fixtures/audit/login.yaml", "--jobs", "2"],
        "login",
    ));
    // A newer build, whose rules changed.
    let update = [model("silent-update"), model(COMPLIANT)];
    got.extend(with(
        &update,
        &["--update-version", "2", "--jobs", "2"],
        "update",
    ));

    let mut wrong = Vec::new();
    for (stem, rules) in DEMO_EXPECTED {
        let target = target_of(&model(stem));
        let verdicts = got
            .get(&target)
            .unwrap_or_else(|| panic!("{stem} ({target}) was audited"));
        for (rule, want) in rules.iter() {
            match verdicts.get(*rule) {
                Some((status, _)) if status == want => {}
                other => wrong.push(format!("{stem} / {rule}: want {want}, got {other:?}")),
            }
        }
    }
    // The compliant example: every automatic rule passes, every rule a
    // person judges is manual, Section 6's masked-identifiers included.
    let compliant = &got[&target_of(&model(COMPLIANT))];
    for (rule, judged) in all_rules() {
        let Some((status, message)) = compliant.get(&rule) else {
            continue; // the rest of Section 6 needs --login
        };
        let want = if judged == "manual" { "manual" } else { "pass" };
        if status != want {
            wrong.push(format!(
                "{COMPLIANT} / {rule}: want {want}, got {status}: {message}"
            ));
        }
    }
    assert!(compliant.contains_key("masked-identifiers"));
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // What was done, as a scenario that `run` replays.
    let replay = dir.path().join("update/audit-合规银行.yaml");
    let text = std::fs::read_to_string(&replay).unwrap();
    assert!(
        text.contains("# phase: crawl") && text.contains("- tap: \"刷脸认证\""),
        "{text}"
    );
    let o = consentry(&["check", replay.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The corpus cases, each audited with no scenario: wherever a case expects
/// pass or fail, the audit's verdict is printed beside it; a false pass
/// fails the test.
#[test]
fn the_corpus_audited_with_no_scenario_has_no_false_pass() {
    let root = Path::new("tests/corpus");
    // (screen, theme) → (case, app model, expected verdicts).
    type Case = (String, String, BTreeMap<String, String>);
    let mut groups: BTreeMap<(String, String), Vec<Case>> = BTreeMap::new();
    for e in std::fs::read_dir(root).unwrap() {
        let dir = e.unwrap().path();
        let path = dir.join("expected.yaml");
        if !path.is_file() {
            continue;
        }
        let src = std::fs::read_to_string(&path).unwrap();
        let j = consentry::yaml::load(&path, &src).unwrap().to_json();
        let expected: BTreeMap<String, String> = j["verdicts"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        let app = dir.join("app.yaml").display().to_string();
        groups
            .entry((
                j["screen"].as_str().unwrap().to_string(),
                j["theme"].as_str().unwrap().to_string(),
            ))
            .or_default()
            .push((
                dir.file_name().unwrap().to_string_lossy().into_owned(),
                app,
                expected,
            ));
    }
    let dir = tempfile::tempdir().unwrap();
    let (mut equal, mut decided, mut cases) = (0, 0, 0);
    let mut false_passes = Vec::new();
    let mut other = Vec::new();
    for (k, ((screen, theme), group)) in groups.iter().enumerate() {
        let mut args: Vec<&str> = vec!["--screen", screen, "--theme", theme, "--jobs", "2"];
        for (_, app, _) in group {
            args.extend(["--sim-app", app.as_str()]);
        }
        let got = audit(&args, &dir.path().join(format!("g{k}")));
        for (name, app, expected) in group {
            cases += 1;
            let verdicts = &got[&target_of(app)];
            for (rule, want) in expected {
                if !matches!(want.as_str(), "pass" | "fail") {
                    continue;
                }
                decided += 1;
                let (status, message) = verdicts
                    .get(rule)
                    .cloned()
                    .unwrap_or(("missing".into(), String::new()));
                if &status == want {
                    equal += 1;
                } else if status == "pass" {
                    false_passes.push(format!(
                        "FALSE PASS {name} / {rule}: expected {want}: {message}"
                    ));
                } else {
                    other.push(format!(
                        "{name} / {rule}: expected {want}, got {status}: {message}"
                    ));
                }
            }
        }
    }
    println!(
        "corpus audited with no scenario: {equal}/{decided} pass-or-fail verdicts agree ({:.1}%) over {cases} cases; {} false passes",
        100.0 * equal as f64 / decided.max(1) as f64,
        false_passes.len()
    );
    for l in false_passes.iter().chain(&other) {
        println!("  {l}");
    }
    assert!(cases >= 40);
    assert!(false_passes.is_empty(), "{}", false_passes.join("\n"));
}

/// The audit drives a device through the real adb server as it drives the
/// in-process one: the compliant example and one that breaks a rule.
#[test]
fn an_audit_through_the_real_adb_server_gives_the_same_verdicts() {
    let rig = Rig::start(&[&[]]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("adb");
    let serial = rig.serials[0].clone();
    let server = rig.server();
    let got = audit(
        &[
            "com.example.s7.faceonly",
            "--device",
            &serial,
            "--adb-server",
            &server,
            "--max-minutes",
            "10",
        ],
        &out,
    );
    let face = &got["com.example.s7.faceonly"];
    assert_eq!(
        face["biometric-notice"].0, "fail",
        "{:?}",
        face["biometric-notice"]
    );
    assert_eq!(
        face["explicit-consent"].0, "pass",
        "{:?}",
        face["explicit-consent"]
    );
    // The launcher activity was found on the device: the app was launched.
    let r = common::report(&out);
    assert!(r["runs"][0]["frames"].as_array().unwrap().len() > 10);
}

/// An app as real apps look: the audit waits out a splash ad's countdown
/// without tapping it, then finds by itself a permission asked with no
/// purpose and an ID number shown in full.
#[test]
fn a_splash_ad_is_waited_out_and_what_the_app_hides_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let got = audit(
        &["--sim-app", "tests/fixtures/audit/splash-ad-bank.yaml"],
        &out,
    );
    let v = &got["com.example.audit.splashad"];
    for (rule, want) in [
        ("policy-on-first-launch", "pass"),
        ("explicit-consent", "pass"),
        ("no-popup-loop", "pass"),
        ("no-forced-exit", "pass"),
        ("refusal-keeps-functions", "pass"),
        ("policy-reachable", "pass"),
        ("no-upfront-permission", "pass"),
        ("permission-purpose", "fail"),
        ("masked-identifiers", "fail"),
    ] {
        assert_eq!(v[rule].0, want, "{rule}: {}", v[rule].1);
    }
    assert!(
        v["masked-identifiers"].1.contains("resident ID"),
        "{}",
        v["masked-identifiers"].1
    );
    // The replay waits where the audit waited: it never taps the ad.
    let replay = std::fs::read_to_string(out.join("audit.yaml")).unwrap();
    assert!(!replay.contains("跳过"), "{replay}");
    assert!(replay.contains("# phase: first-launch"), "{replay}");
}

/// A list of apps: an unknown package names the installed ones nearest to
/// it (exit 3), the others are audited; a second audit into the same
/// folder skips what is done.
#[test]
fn a_list_of_apps_names_unknown_packages_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("apps.txt");
    std::fs::write(
        &list,
        "# the apps of this audit\ncom.example.s7.faceonly\ncom.example.s7.facenly   # a typo\n",
    )
    .unwrap();
    let out = dir.path().join("o");
    let run = |extra: &[&str]| {
        let mut argv = vec![
            "audit",
            "--apps",
            list.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
        ];
        argv.extend_from_slice(extra);
        consentry(&argv)
    };
    let o = run(&[]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let r = common::report(&out);
    let runs = r["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    let typo = runs
        .iter()
        .find(|r| r["name"] == "com.example.s7.facenly")
        .unwrap();
    let error = typo["error"].as_str().unwrap();
    assert!(
        error.contains("not installed") && error.contains("installed: com.example.s7.faceonly"),
        "{error}"
    );
    // Again: the finished audit is kept, the failed one tried again.
    let o = run(&[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("1 app(s) already audited"), "{err}");
    // A bad line says where.
    std::fs::write(&list, "com.example.s7.faceonly\nnot a package\n").unwrap();
    let o = run(&["--again"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("apps.txt:2") && err.contains("not a package"),
        "{err}"
    );
}

//! `consentry demo` on the built-in simulated device gives every bundled
//! example exactly the verdicts it is built to produce.

mod common;

use common::{all_rules, consentry, demo_expected, report, statuses};

#[test]
fn demo_gives_each_example_its_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // A scenario an older demo left in the output folder does not run again.
    std::fs::create_dir_all(out.join("scenarios")).unwrap();
    std::fs::copy(
        "scenarios/consent/popup-loop.yaml",
        out.join("scenarios/popup-loop.yaml"),
    )
    .unwrap();
    let o = consentry(&["demo", "--out", out.to_str().unwrap(), "--quiet"]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "failing rules exit 1\n{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );

    let r = report(&out);
    // One answer per frame, from inspect, the runner and the rules alike;
    // the examples show every kind of prompt.
    let kinds = common::assert_one_answer(&r);
    for k in [
        "consent-prompt",
        "face-capture",
        "permission-dialog",
        "host-authorization",
        "policy-text",
        "settings",
        "authentication",
        "plain",
    ] {
        assert!(kinds.contains_key(k), "no {k} frame in the demo: {kinds:?}");
    }
    assert_eq!(r["tool"]["name"], "consentry");
    assert_eq!(r["complete"], true);
    let runs = r["runs"].as_array().unwrap();
    let want = demo_expected(&all_rules());
    let scenarios: std::collections::BTreeSet<&str> = want.iter().map(|w| w.0.as_str()).collect();
    assert_eq!(runs.len(), scenarios.len());
    for run in runs {
        assert_eq!(
            run["status"], "completed",
            "{}: {}",
            run["scenario"], run["error"]
        );
        for v in run["verdicts"].as_array().unwrap() {
            // Every verdict names its clause and says why in a sentence.
            let clause = v["clause"].as_str().unwrap();
            assert!(
                clause.starts_with('7') || clause.starts_with('6'),
                "{clause}"
            );
            assert!(v["message"].as_str().unwrap().len() > 20);
            // Every frame a verdict cites exists, and its screenshot is a PNG on disk.
            for e in v["evidence"].as_array().unwrap() {
                let f = &run["frames"][e.as_u64().unwrap() as usize];
                let png = std::fs::read(out.join(f["screenshot"].as_str().unwrap())).unwrap();
                assert!(png.starts_with(b"\x89PNG"));
            }
        }
    }
    let got = statuses(&out);
    let diff: Vec<String> = want
        .iter()
        .filter(|w| !got.contains(w))
        .map(|w| {
            format!(
                "want {w:?}, got {:?}",
                got.iter().find(|g| g.0 == w.0 && g.1 == w.1)
            )
        })
        .chain(
            got.iter()
                .filter(|g| !want.contains(g))
                .map(|g| format!("unexpected {g:?}")),
        )
        .collect();
    assert!(diff.is_empty(), "{}\n{stdout}", diff.join("\n"));
    let count = |s: &str| want.iter().filter(|w| w.2 == s).count();
    // The summary lists failures first and says where the report is.
    let first = stdout.lines().next().unwrap();
    assert!(first.starts_with("FAIL"), "{first}");
    let summary = format!(
        "{} verdicts: {} pass, {} fail, {} inconclusive, {} manual",
        want.len(),
        count("pass"),
        count("fail"),
        count("inconclusive"),
        count("manual")
    );
    assert!(stdout.contains(&summary), "{summary}\n{stdout}");
    // The scenarios that ran are copied beside the report.
    assert!(out.join("scenarios/compliant-bank.yaml").is_file());
    assert!(out.join("scenarios/consent/popup-loop.yaml").is_file());
}

#[test]
fn a_single_scenario_file_runs_with_exit_0_when_all_pass() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let o = consentry(&[
        "run",
        "scenarios/compliant-bank.yaml",
        "--device",
        "sim",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    common::assert_exit(&o, 0);
    let r = report(&out);
    assert_eq!(r["runs"][0]["device"], "sim");
    assert_eq!(r["runs"][0]["app"]["package"], "com.example.compliantbank");
}

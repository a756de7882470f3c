//! `consentry demo` on the built-in simulated device gives every bundled
//! example exactly the verdicts it is built to produce.

mod common;

use std::collections::BTreeMap;

use common::{consentry, report, DEMO_EXPECTED, DEMO_RULES};

#[test]
fn demo_gives_each_example_its_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = consentry(&["demo", "--out", out.to_str().unwrap(), "--quiet"]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "failing rules exit 1\n{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );

    let r = report(&out);
    assert_eq!(r["tool"]["name"], "consentry");
    assert_eq!(r["complete"], true);
    let runs = r["runs"].as_array().unwrap();
    assert_eq!(runs.len(), DEMO_EXPECTED.len());
    let mut got: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for run in runs {
        let stem = std::path::Path::new(run["scenario"].as_str().unwrap())
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert_eq!(run["status"], "completed", "{stem}: {}", run["error"]);
        for v in run["verdicts"].as_array().unwrap() {
            got.entry(stem.clone()).or_default().insert(
                v["rule"].as_str().unwrap().into(),
                v["status"].as_str().unwrap().into(),
            );
            // Every verdict names its clause and says why in a sentence.
            assert!(v["clause"].as_str().unwrap().starts_with('7'));
            assert!(v["message"].as_str().unwrap().len() > 20);
            // Every frame a verdict cites exists, and its screenshot is a PNG on disk.
            for e in v["evidence"].as_array().unwrap() {
                let f = &run["frames"][e.as_u64().unwrap() as usize];
                let png = std::fs::read(out.join(f["screenshot"].as_str().unwrap())).unwrap();
                assert!(png.starts_with(b"\x89PNG"));
            }
        }
    }
    for (stem, statuses) in DEMO_EXPECTED {
        for (rule, want) in DEMO_RULES.iter().zip(statuses) {
            assert_eq!(got[*stem][*rule], *want, "{stem} / {rule}\n{stdout}");
        }
    }
    // The summary lists failures first and says where the report is.
    let first = stdout.lines().next().unwrap();
    assert!(first.starts_with("FAIL"), "{first}");
    assert!(
        stdout.contains("40 verdicts: 30 pass, 8 fail, 2 inconclusive, 0 manual"),
        "{stdout}"
    );
    // The scenarios that ran are copied beside the report.
    assert!(out.join("scenarios/compliant-bank.yaml").is_file());
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
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let r = report(&out);
    assert_eq!(r["runs"][0]["device"], "sim");
    assert_eq!(r["runs"][0]["app"]["package"], "com.example.compliantbank");
}

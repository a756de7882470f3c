//! Nightly regression on a farm: several devices behind the real adb
//! server, a device lost mid-run, shards, merge and diff.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{consentry, report, statuses, Rig};

/// The farm's suite: the consent examples (what a farm does with them does
/// not depend on which rules they check, and they keep the runs short).
const SUITE: &str = "scenarios/consent";
/// Scenarios in [`SUITE`].
const SUITE_LEN: usize = 9;

fn run_on(rig: &Rig, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "run".to_string(),
        SUITE.into(),
        "--adb-server".into(),
        rig.server(),
        "--out".into(),
        out.display().to_string(),
        "-q".into(),
    ];
    for s in &rig.serials {
        args.push("--device".into());
        args.push(s.clone());
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    consentry(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn scenarios_of(out: &Path) -> Vec<String> {
    report(out)["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["scenario"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn four_devices_give_every_scenario_its_verdicts_once() {
    let rig = Rig::start(&[&[], &[], &[], &[]]);
    let dir = tempfile::tempdir().unwrap();
    let (farm, single) = (dir.path().join("farm"), dir.path().join("single"));
    let o = run_on(&rig, &farm, &[]);
    common::assert_exit(&o, 1);
    let o = consentry(&[
        "run",
        SUITE,
        "--device",
        "sim",
        "--jobs",
        "1",
        "--out",
        single.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(1));

    let names = scenarios_of(&farm);
    assert_eq!(names.len(), SUITE_LEN);
    assert_eq!(
        names.iter().collect::<BTreeSet<_>>().len(),
        SUITE_LEN,
        "each scenario exactly once"
    );
    assert_eq!(
        statuses(&farm),
        statuses(&single),
        "verdicts on the farm equal a single-device run"
    );
    let r = report(&farm);
    let used: BTreeSet<&str> = r["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["device"].as_str().unwrap())
        .collect();
    assert!(
        used.len() >= 3,
        "the scenarios were spread over the devices: {used:?}"
    );
    assert!(r["runs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["attempt"] == 1));
}

#[test]
fn a_device_killed_mid_run_has_its_scenario_retried_elsewhere() {
    // The first device vanishes after 40 commands: in the middle of its first scenario.
    let rig = Rig::start(&[&["--drop-after", "40"], &[], &[]]);
    let dead = rig.serials[0].clone();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let o = run_on(&rig, &out, &["--command-timeout", "10"]);
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(
        o.status.code(),
        Some(1),
        "the run completes; only rules fail\n{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );

    let r = report(&out);
    assert_eq!(r["complete"], true);
    let names = scenarios_of(&out);
    assert_eq!(names.len(), SUITE_LEN, "nothing lost");
    assert_eq!(
        names.iter().collect::<BTreeSet<_>>().len(),
        SUITE_LEN,
        "nothing duplicated"
    );
    let runs = r["runs"].as_array().unwrap();
    assert!(runs.iter().all(|x| x["status"] == "completed"), "{runs:#?}");
    let retried: Vec<_> = runs.iter().filter(|x| x["attempt"] == 2).collect();
    assert_eq!(retried.len(), 1, "the dead device's scenario ran again");
    let first = &retried[0]["failed_attempts"][0];
    assert_eq!(first["device"], dead.as_str());
    assert_eq!(first["status"], "infra_error");
    assert!(
        !first["frames"].as_array().unwrap().is_empty(),
        "the failed attempt's evidence is kept"
    );
    assert_ne!(retried[0]["device"], dead.as_str());
    // The dead device is reported and was given nothing more.
    let devices = r["devices"].as_array().unwrap();
    let d = devices
        .iter()
        .find(|d| d["serial"] == dead.as_str())
        .unwrap();
    assert!(
        d["put_aside"].as_str().is_some_and(|w| w.contains(&dead)),
        "{d}"
    );
    assert_eq!(d["scenarios"], 1);
    assert!(stdout.contains(&format!("PUT ASIDE    {dead}")), "{stdout}");
    assert!(stdout.contains("RETRIED"), "{stdout}");
    // The verdicts are those of a clean run.
    let single = dir.path().join("single");
    consentry(&["run", SUITE, "--out", single.to_str().unwrap(), "-q"]);
    assert_eq!(statuses(&out), statuses(&single));
}

#[test]
fn shards_split_the_suite_stably_and_merge_back_into_one_report() {
    let all = consentry::scenario::load_paths(&[SUITE.into()]).unwrap();
    let names = |v: Vec<consentry::scenario::Scenario>| -> Vec<String> {
        v.into_iter()
            .map(|s| s.path.display().to_string())
            .collect()
    };
    let shards: Vec<Vec<String>> = (1..=3)
        .map(|k| names(consentry::scenario::shard(all.clone(), k, 3)))
        .collect();
    let union: BTreeSet<&String> = shards.iter().flatten().collect();
    assert_eq!(
        union.len(),
        all.len(),
        "the shards' union is the whole suite"
    );
    assert_eq!(
        shards.iter().map(Vec::len).sum::<usize>(),
        all.len(),
        "no scenario in two shards"
    );
    assert!(shards.iter().all(|s| !s.is_empty()), "{shards:?}");
    let again: Vec<Vec<String>> = (1..=3)
        .map(|k| names(consentry::scenario::shard(all.clone(), k, 3)))
        .collect();
    assert_eq!(shards, again, "stable across runs");

    // Two machines each run half; merge joins them into one report.
    let dir = tempfile::tempdir().unwrap();
    let (a, b, merged, whole) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("m"),
        dir.path().join("w"),
    );
    for (k, out) in [("1/2", &a), ("2/2", &b)] {
        let o = consentry(&[
            "run",
            SUITE,
            "--shard",
            k,
            "--out",
            out.to_str().unwrap(),
            "-q",
        ]);
        assert!(matches!(o.status.code(), Some(0 | 1)), "{o:?}");
    }
    assert_eq!(scenarios_of(&a).len() + scenarios_of(&b).len(), SUITE_LEN);
    let o = consentry(&[
        "merge",
        a.join("report.json").to_str().unwrap(),
        b.join("report.json").to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    common::assert_exit(&o, 0);
    consentry(&["run", SUITE, "--out", whole.to_str().unwrap(), "-q"]);
    assert_eq!(statuses(&merged), statuses(&whole));
    assert!(merged.join("index.html").is_file() && merged.join("junit.xml").is_file());
    // Every frame of the merged report is there.
    for run in report(&merged)["runs"].as_array().unwrap() {
        for f in run["frames"].as_array().unwrap() {
            assert!(
                merged.join(f["screenshot"].as_str().unwrap()).is_file(),
                "{}",
                f["screenshot"]
            );
        }
    }
}

#[test]
fn diff_lists_each_kind_of_change_and_exits_1_on_regression() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    consentry(&[
        "run",
        "scenarios/compliant-bank.yaml",
        "scenarios/consent/no-refuse.yaml",
        "scenarios/consent/vague-agree.yaml",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    let baseline = out.join("report.json");
    let base: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&baseline).unwrap()).unwrap();
    let write = |name: &str, v: &serde_json::Value| {
        let p = dir.path().join(name);
        std::fs::write(&p, serde_json::to_vec(v).unwrap()).unwrap();
        p
    };
    let set = |v: &mut serde_json::Value, sc: &str, rule: &str, status: &str| {
        for run in v["runs"].as_array_mut().unwrap() {
            if run["scenario"].as_str().unwrap().contains(sc) {
                for verdict in run["verdicts"].as_array_mut().unwrap() {
                    if verdict["rule"] == rule {
                        verdict["status"] = status.into();
                    }
                }
            }
        }
    };

    // Unchanged: no regression.
    let same = write("same.json", &base);
    let o = consentry(&[
        "diff",
        "--baseline",
        baseline.to_str().unwrap(),
        same.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout)
        .contains("0 new failures, 0 fixed, 0 changed, 0 disappeared, 0 appeared: no regression"));

    // Only a fix: no regression.
    let mut fixed = base.clone();
    set(&mut fixed, "vague-agree", "explicit-consent", "pass");
    let p = write("fixed.json", &fixed);
    let o = consentry(&[
        "diff",
        "--baseline",
        baseline.to_str().unwrap(),
        p.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout)
        .contains("fixed (1):\n  vague-agree.yaml / explicit-consent: fail → pass"));

    // A new failure, a change, a scenario gone: regression, exit 1.
    let mut worse = base.clone();
    set(&mut worse, "compliant-bank", "no-forced-exit", "fail");
    set(
        &mut worse,
        "compliant-bank",
        "no-popup-loop",
        "inconclusive",
    );
    worse["runs"]
        .as_array_mut()
        .unwrap()
        .retain(|r| !r["scenario"].as_str().unwrap().contains("no-refuse"));
    let p = write("worse.json", &worse);
    let o = consentry(&[
        "diff",
        "--baseline",
        baseline.to_str().unwrap(),
        p.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("new failures (1):\n  compliant-bank.yaml / no-forced-exit: pass → fail"),
        "{text}"
    );
    assert!(
        text.contains("changed (1):\n  compliant-bank.yaml / no-popup-loop: pass → inconclusive"),
        "{text}"
    );
    assert!(
        text.contains("disappeared (1):\n  no-refuse.yaml"),
        "{text}"
    );
    assert!(text.contains("REGRESSION"));

    let o = consentry(&[
        "diff",
        "--json",
        "--baseline",
        baseline.to_str().unwrap(),
        p.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["new_failures"][0]["rule"], "no-forced-exit");
    assert_eq!(j["disappeared"][0], "no-refuse.yaml");

    // The reverse: the scenario appears; its failing verdict is a new failure.
    let o = consentry(&[
        "diff",
        "--baseline",
        p.to_str().unwrap(),
        baseline.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("appeared (1):\n  no-refuse.yaml"));
}

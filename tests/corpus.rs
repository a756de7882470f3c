//! The corpus of labelled app behaviours (tests/corpus/NN-name/: an app
//! model, the scenario a user would write for it, and the verdicts the four
//! core rules must give). Every case runs on the simulated device at its
//! own screen size and theme; the test prints the agreement (verdicts equal
//! / verdicts expected) and every false pass, and fails on any disagreement.
//! A sample runs again through the real adb server.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{consentry, Rig};

struct Case {
    dir: PathBuf,
    name: String,
    screen: String,
    theme: String,
    expected: BTreeMap<String, String>,
}

fn cases() -> Vec<Case> {
    let root = Path::new("tests/corpus");
    let mut out = Vec::new();
    for e in std::fs::read_dir(root).expect("tests/corpus exists") {
        let dir = e.unwrap().path();
        if !dir.join("expected.yaml").is_file() {
            continue;
        }
        let path = dir.join("expected.yaml");
        let src = std::fs::read_to_string(&path).unwrap();
        let j = consentry::yaml::load(&path, &src)
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
            .to_json();
        let expected = j["verdicts"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        out.push(Case {
            name: dir.file_name().unwrap().to_string_lossy().into_owned(),
            screen: j["screen"].as_str().unwrap().to_string(),
            theme: j["theme"].as_str().unwrap().to_string(),
            expected,
            dir,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Runs cases with `consentry run` (extra arguments: the device) and
/// returns, per case, its verdicts and what went wrong with the run.
fn run(
    cases: &[&Case],
    extra: &[&str],
    out: &Path,
) -> BTreeMap<String, (BTreeMap<String, String>, String)> {
    let mut args: Vec<String> = vec!["run".into()];
    for c in cases {
        args.push(c.dir.join("scenario.yaml").display().to_string());
    }
    for c in cases {
        args.push("--sim-app".into());
        args.push(c.dir.join("app.yaml").display().to_string());
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    args.extend(["--out".into(), out.display().to_string(), "-q".into()]);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = consentry(&argv);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let r = common::report(out);
    common::assert_one_answer(&r);
    let mut got = BTreeMap::new();
    for run in r["runs"].as_array().unwrap() {
        let name = Path::new(run["scenario"].as_str().unwrap())
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let verdicts = run["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["rule"].as_str().unwrap().to_string(),
                    format!(
                        "{}\t{}",
                        v["status"].as_str().unwrap(),
                        v["message"].as_str().unwrap()
                    ),
                )
            })
            .collect();
        let problem = if run["status"] == "completed" {
            String::new()
        } else {
            format!("{}: {}", run["status"], run["error"])
        };
        got.insert(name, (verdicts, problem));
    }
    got
}

/// Compares verdicts with labels; prints the agreement and every
/// disagreement (false passes first) and returns the disagreements.
fn compare(
    cases: &[&Case],
    got: &BTreeMap<String, (BTreeMap<String, String>, String)>,
    what: &str,
) -> Vec<String> {
    let (mut equal, mut total) = (0, 0);
    let mut false_passes = Vec::new();
    let mut other = Vec::new();
    for c in cases {
        let (verdicts, problem) = got
            .get(&c.name)
            .cloned()
            .unwrap_or_else(|| (BTreeMap::new(), "did not run".into()));
        if !problem.is_empty() {
            other.push(format!("{}: the run did not complete: {problem}", c.name));
        }
        for (rule, want) in &c.expected {
            total += 1;
            let line = verdicts
                .get(rule)
                .cloned()
                .unwrap_or_else(|| "missing\t".into());
            let (status, message) = line.split_once('\t').unwrap_or((&line, ""));
            if status == want {
                equal += 1;
            } else if status == "pass" {
                false_passes.push(format!(
                    "FALSE PASS {} / {rule}: expected {want}: {message}",
                    c.name
                ));
            } else {
                other.push(format!(
                    "{} / {rule}: expected {want}, got {status}: {message}",
                    c.name
                ));
            }
        }
    }
    println!(
        "{what}: agreement {equal}/{total} verdicts ({:.1}%) over {} cases; {} false passes",
        100.0 * equal as f64 / total.max(1) as f64,
        cases.len(),
        false_passes.len()
    );
    for l in false_passes.iter().chain(&other) {
        println!("  {l}");
    }
    false_passes.into_iter().chain(other).collect()
}

#[test]
fn every_corpus_case_gets_its_labelled_verdicts() {
    let all = cases();
    assert!(all.len() >= 40, "the corpus holds {} cases", all.len());
    // One run per screen and theme: the simulated device's screen is per run.
    let mut groups: BTreeMap<(String, String), Vec<&Case>> = BTreeMap::new();
    for c in &all {
        groups
            .entry((c.screen.clone(), c.theme.clone()))
            .or_default()
            .push(c);
    }
    let dir = tempfile::tempdir().unwrap();
    let mut got = BTreeMap::new();
    for (k, ((screen, theme), group)) in groups.iter().enumerate() {
        let out = dir.path().join(format!("g{k}"));
        got.extend(run(
            group,
            &["--screen", screen, "--theme", theme, "--jobs", "2"],
            &out,
        ));
    }
    let refs: Vec<&Case> = all.iter().collect();
    let wrong = compare(&refs, &got, "corpus on the in-process device");
    assert!(
        wrong.is_empty(),
        "{} disagreements:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// Cases that run again through the real adb server: the refusal chain, a
/// login page, the policy behind a page of links, a long dialog on a small
/// screen, a permission dialog, and a mini program.
const ADB_SAMPLE: &[&str] = &[
    "03-confirm-loop",
    "17-login-prechecked",
    "27-long-dialog",
    "30-aosp-permission-after-consent",
    "42-mini-close",
];

#[test]
fn a_sample_of_the_corpus_through_the_real_adb_server() {
    let all = cases();
    let dir = tempfile::tempdir().unwrap();
    let mut got = BTreeMap::new();
    let mut sample = Vec::new();
    for (k, name) in ADB_SAMPLE.iter().enumerate() {
        let c = all
            .iter()
            .find(|c| c.name == *name)
            .unwrap_or_else(|| panic!("{name} is in the corpus"));
        sample.push(c);
        let app = c.dir.join("app.yaml").display().to_string();
        let rig = Rig::start(&[&["--app", &app, "--screen", &c.screen, "--theme", &c.theme]]);
        // The device reports the screen it was given.
        let size = String::from_utf8_lossy(
            &rig.adb(&["-s", &rig.serials[0], "shell", "wm", "size"])
                .stdout,
        )
        .into_owned();
        let (w, rest) = c.screen.split_once('x').unwrap();
        let h = rest.split('@').next().unwrap();
        assert_eq!(size.trim(), format!("Physical size: {w}x{h}"));
        let out = dir.path().join(format!("a{k}"));
        got.extend(run(
            &[c],
            &["--device", &rig.serials[0], "--adb-server", &rig.server()],
            &out,
        ));
    }
    let wrong = compare(&sample, &got, "corpus sample through the real adb server");
    assert!(
        wrong.is_empty(),
        "{} disagreements:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

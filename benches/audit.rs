//! `consentry audit` on each bundled example's app, in-process on the
//! simulated device: per app, the wall time of the audit against that of
//! the example's own scenario run in the same process (the baseline), the
//! screens seen, taps, frames, and the share of rules decided (pass or
//! fail) against inconclusive.
//!
//! `cargo bench --bench audit`

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use consentry::audit::{self, Options, Target};
use consentry::report::Run;
use consentry::rules::Status;
use consentry::scenario::{InstallBuild, Scenario};
use consentry::session::{self, Plan};
use consentry::trace::{ActionKind, AppTarget};

fn run(sc: Scenario, out: PathBuf) -> (Run, f64) {
    let t = Instant::now();
    let report = session::execute(
        &Plan::sim(vec![sc], out, 1),
        &AtomicBool::new(false),
        &|_| {},
    )
    .expect("the run completes");
    let secs = t.elapsed().as_secs_f64();
    (report.runs.into_iter().next().expect("one run"), secs)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios: Vec<Scenario> = consentry::BUNDLED_SCENARIOS
        .iter()
        .map(|(name, src)| consentry::scenario::parse(&PathBuf::from(name), src).unwrap())
        .collect();
    println!(
        "{:<24} {:>8} {:>9} {:>6} {:>7} {:>6} {:>7} {:>9}",
        "app", "audit s", "x script", "frames", "screens", "taps", "rules", "decided"
    );
    let (mut total_audit, mut total_script) = (0.0, 0.0);
    let (mut decided_all, mut judged_all) = (0usize, 0usize);
    let mut seen = BTreeSet::new();
    for (k, sc) in scenarios.iter().enumerate() {
        if !seen.insert((sc.app.package.clone(), sc.app.deeplink.clone())) {
            continue;
        }
        let stem = sc.path.file_stem().unwrap().to_string_lossy().into_owned();
        let target = Target {
            name: stem.clone(),
            app: AppTarget {
                activity: sc.app.activity.clone(),
                ..sc.app.clone()
            },
        };
        let update = matches!(stem.as_str(), "silent-update" | "compliant-bank")
            .then_some(InstallBuild::Version(2));
        let plan = audit::plan(
            &target,
            &Options {
                max_taps: 30,
                update,
                ..Options::default()
            },
        );
        let (base, base_s) = run(sc.clone(), dir.path().join(format!("s{k}")));
        let (a, audit_s) = run(plan, dir.path().join(format!("a{k}")));
        let screens: BTreeSet<Vec<String>> = a
            .frames
            .iter()
            .map(|f| {
                let mut t: Vec<String> = f.texts.iter().map(|t| t.text.clone()).collect();
                t.sort();
                t
            })
            .collect();
        let taps = a
            .frames
            .iter()
            .filter(|f| f.action == ActionKind::Tap)
            .count();
        let judged = a
            .verdicts
            .iter()
            .filter(|v| v.status != Status::Manual)
            .count();
        let decided = a
            .verdicts
            .iter()
            .filter(|v| matches!(v.status, Status::Pass | Status::Fail))
            .count();
        let _ = base;
        total_audit += audit_s;
        total_script += base_s;
        decided_all += decided;
        judged_all += judged;
        println!(
            "{:<24} {:>8.2} {:>8.1}x {:>6} {:>7} {:>6} {:>7} {:>8.0}%",
            stem,
            audit_s,
            audit_s / base_s.max(1e-3),
            a.frames.len(),
            screens.len(),
            taps,
            a.verdicts.len(),
            100.0 * decided as f64 / judged.max(1) as f64
        );
    }
    println!(
        "all: audits {:.1} s, {:.1}x the examples' own scenarios ({:.1} s) in this run; {decided_all} of {judged_all} automatic verdicts decided ({:.0}%), the rest inconclusive",
        total_audit,
        total_audit / total_script.max(1e-3),
        total_script,
        100.0 * decided_all as f64 / judged_all.max(1) as f64
    );
}

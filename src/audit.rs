//! `consentry audit`: the whole of Section 7 (and what Section 6 shows on
//! every screen) on an app nobody scripted. A built-in plan of phases runs
//! as an ordinary scenario whose steps discover everything from what the
//! screens show (the consent prompt, the functions a screen offers, the
//! entries likely to ask for a permission or a face); a step it cannot do
//! is noted and the audit goes on. Every rule judges the trace as for any
//! scenario; an inconclusive verdict says which phase could not exercise
//! it. `audit.yaml` is what was actually done, as ordinary steps to read,
//! edit and replay with `consentry run`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cli::AuditArgs;
use crate::exit::Exit;
use crate::perception::Words;
use crate::report::{Report, Run};
use crate::rules::{RuleId, Section, Status, Verdict};
use crate::scenario::{InstallBuild, Scenario, Step, StepKind};
use crate::trace::{ActionKind, AppTarget};

/// One app to audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// What the report calls it.
    pub name: String,
    /// The app, or the mini program in its host.
    pub app: AppTarget,
}

/// What the plan adds to its phases.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Most taps of the crawl.
    pub max_taps: u32,
    /// A newer build to install (its rules changed).
    pub update: Option<InstallBuild>,
    /// Steps that log in, replayed after consent.
    pub login: Vec<Step>,
    /// Role words beyond the defaults.
    pub words: Option<Words>,
}

/// The phases, in order; a rule's verdict depends on the phase named
/// beside it in [`phase_of`].
pub const PHASES: &[&str] = &[
    "first-launch",
    "refusal",
    "basic-functions",
    "agree",
    "login",
    "policy",
    "revocation",
    "account-deletion",
    "crawl",
    "data-use",
    "update",
];

/// The phase that exercises a rule.
pub fn phase_of(rule: RuleId) -> &'static str {
    match rule.id() {
        "policy-on-first-launch" | "no-collection-before-consent" => "first-launch",
        "explicit-consent" | "no-popup-loop" | "no-forced-exit" => "refusal",
        "refusal-keeps-functions" => "basic-functions",
        "policy-reachable" | "policy-content" | "minor-rules" => "policy",
        "revocation-reachable" => "revocation",
        "account-deletion-reachable" => "account-deletion",
        "no-background-collection" | "collection-frequency" => "data-use",
        "reconsent-on-change" => "update",
        "password-masked"
        | "secure-auth-screens"
        | "vague-auth-errors"
        | "password-cleared-on-return" => "login",
        _ => "crawl",
    }
}

/// The rules an audit judges: all of Section 7, `masked-identifiers` on
/// every screen, and the rest of Section 6 when it logs in.
pub fn rules(login: bool) -> Vec<RuleId> {
    RuleId::ALL
        .into_iter()
        .filter(|r| r.implemented())
        .filter(|r| r.rule().section == Section::Seven || r.id() == "masked-identifiers" || login)
        .collect()
}

/// The audit plan for one app, as a scenario.
pub fn plan(target: &Target, opts: &Options) -> Scenario {
    use StepKind as K;
    let mut steps: Vec<StepKind> = Vec::new();
    let observe = |secs: u64, every_ms: u64| K::Observe {
        duration: Duration::from_secs(secs),
        interval: Duration::from_millis(every_ms),
    };
    // 1. First launch on a fresh install: every frame, no tap (a splash
    // screen and its countdown are waited out).
    steps.push(K::Phase("first-launch".into()));
    steps.push(K::Launch { clear_data: true });
    steps.push(observe(4, 1000));
    steps.push(K::WaitOutSplash);
    // The policy the prompt links to, read to its end.
    steps.push(K::ReadPromptPolicy);
    // 2. Refuse through the confirmations; watch; refuse again if the
    // prompt came back; relaunch; watch.
    steps.push(K::Phase("refusal".into()));
    steps.push(K::DenyPermissions);
    steps.push(K::Refuse);
    steps.push(observe(3, 1000));
    steps.push(K::Refuse);
    steps.push(observe(3, 1000));
    steps.push(K::Stop);
    steps.push(K::Launch { clear_data: false });
    steps.push(K::WaitOutSplash);
    steps.push(observe(2, 1000));
    // 3. The functions the screen offers after the refusal.
    steps.push(K::Phase("basic-functions".into()));
    steps.push(K::DenyPermissions);
    steps.push(K::Refuse);
    steps.push(K::DiscoverFunctions { max: 4 });
    // The login page, where many apps ask consent again (a box to tick).
    steps.push(K::OpenLogin);
    // 4. Relaunch and agree (ticking a box, a login page's way on).
    steps.push(K::Phase("agree".into()));
    steps.push(K::Stop);
    steps.push(K::Launch { clear_data: false });
    steps.push(K::WaitOutSplash);
    steps.push(K::DenyPermissions);
    steps.push(K::Agree);
    steps.push(observe(2, 1000));
    steps.push(K::DenyPermissions);
    if !opts.login.is_empty() {
        steps.push(K::Phase("login".into()));
        steps.extend(opts.login.iter().map(|s| s.kind.clone()));
    }
    // 5. The policy, the revocation screen and account deletion.
    for (phase, target) in [
        ("policy", crate::trace::Target::Policy),
        ("revocation", crate::trace::Target::Revocation),
        ("account-deletion", crate::trace::Target::AccountDeletion),
    ] {
        steps.push(K::Phase(phase.into()));
        steps.push(K::Stop);
        steps.push(K::Launch { clear_data: false });
        steps.push(K::WaitOutSplash);
        steps.push(K::DenyPermissions);
        steps.push(K::Explore {
            target,
            max_taps: 4,
        });
    }
    // 6. The crawl: permissions and faces first.
    steps.push(K::Phase("crawl".into()));
    steps.push(K::Stop);
    steps.push(K::Launch { clear_data: false });
    steps.push(K::WaitOutSplash);
    steps.push(K::DenyPermissions);
    steps.push(K::Crawl {
        max_taps: opts.max_taps,
    });
    // 7. Data use over time: the home screen watched, then the background.
    steps.push(K::Phase("data-use".into()));
    steps.push(K::Stop);
    steps.push(K::Launch { clear_data: false });
    steps.push(K::WaitOutSplash);
    steps.push(K::DenyPermissions);
    steps.push(observe(30, 5000));
    steps.push(K::Home);
    steps.push(K::Wait(Duration::from_secs(30)));
    steps.push(K::Launch { clear_data: false });
    // 8. The newer build.
    if let Some(build) = &opts.update {
        steps.push(K::Phase("update".into()));
        steps.push(K::Install {
            build: build.clone(),
            policy_changed: true,
        });
        steps.push(K::Launch { clear_data: false });
        steps.push(K::WaitOutSplash);
        steps.push(observe(2, 1000));
        steps.push(K::Agree);
    }
    let mut words = Words::default();
    if let Some(w) = &opts.words {
        words = w.clone();
    }
    Scenario {
        path: PathBuf::from(format!("audit/{}.yaml", file_stem(&target.name))),
        name: target.name.clone(),
        app: target.app.clone(),
        clear_data: true,
        steps: steps
            .into_iter()
            .enumerate()
            .map(|(i, kind)| Step { kind, line: i + 1 })
            .collect(),
        rules: rules(!opts.login.is_empty()),
        words,
        basic_functions: Vec::new(),
        tolerant: true,
        sha256: String::new(),
    }
}

/// A name usable as a file stem: letters, digits, `.`, `-` and `_`.
pub fn file_stem(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    if s.is_empty() {
        "app".into()
    } else {
        s
    }
}

/// Says, on each inconclusive verdict of an audit, which phase could not
/// exercise it and what that phase met.
pub fn explain(verdicts: &mut [Verdict], notes: &[String]) {
    for v in verdicts
        .iter_mut()
        .filter(|v| v.status == Status::Inconclusive)
    {
        let phase = phase_of(v.rule);
        let met: Vec<&str> = notes
            .iter()
            .filter_map(|n| n.strip_prefix(phase).and_then(|r| r.strip_prefix(": ")))
            .collect();
        let why = if met.is_empty() {
            match phase {
                "update" => crate::said!("audit-why-no-update"),
                "login" => crate::said!("audit-why-no-login"),
                _ => crate::said!("audit-why-nothing"),
            }
        } else {
            // What the audit's steps noted, as they noted it.
            crate::i18n::Said::verbatim(met.join("; "))
        };
        let said = crate::said!("audit-note", message = v.said(), phase = phase, why = why);
        v.set(said);
    }
}

/// The audit as ordinary scenario steps: what was tapped, typed and
/// waited, phase by phase, to read, edit and replay with `consentry run`.
pub fn replay_yaml(run: &Run) -> String {
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# What `consentry audit` did on {}, as ordinary steps: replay it with\n# `consentry run audit.yaml`, or edit it into a scenario of your own.",
        run.app.package
    );
    let _ = writeln!(
        y,
        "name: {}",
        yaml_str(&format!("{} (audit replay)", run.name))
    );
    let _ = writeln!(y, "app:");
    let _ = writeln!(y, "  package: {}", yaml_str(&run.app.package));
    if let Some(a) = &run.app.activity {
        let _ = writeln!(y, "  activity: {}", yaml_str(a));
    }
    if let Some(d) = &run.app.deeplink {
        let _ = writeln!(y, "  deeplink: {}", yaml_str(d));
    }
    let _ = writeln!(y, "clear_data: true");
    let ids: Vec<&str> = run.verdicts.iter().map(|v| v.rule.id()).collect();
    let _ = writeln!(y, "rules: [{}]", ids.join(", "));
    let _ = writeln!(y, "steps:");
    let mut phase: Option<&str> = None;
    let mut i = 0;
    let frames = &run.frames;
    while i < frames.len() {
        let f = &frames[i];
        if f.phase.as_deref() != phase {
            phase = f.phase.as_deref();
            if let Some(p) = phase {
                let _ = writeln!(y, "  # phase: {p}");
            }
        }
        match f.action {
            ActionKind::Look => {
                // A run of frames only looked at: one observe (or wait).
                let mut j = i;
                while j + 1 < frames.len()
                    && frames[j + 1].action == ActionKind::Look
                    && frames[j + 1].phase == f.phase
                {
                    j += 1;
                }
                let start = if i > 0 { frames[i - 1].elapsed_ms } else { 0 };
                let span = frames[j].elapsed_ms.saturating_sub(start).max(1);
                let n = (j - i + 1) as u64;
                if n == 1 {
                    let _ = writeln!(y, "  - wait: {}ms", span);
                } else {
                    let _ = writeln!(
                        y,
                        "  - observe: {{duration: {}ms, interval: {}ms}}",
                        span,
                        (span / n).max(1)
                    );
                }
                i = j + 1;
                continue;
            }
            ActionKind::Launch => {
                let _ = writeln!(y, "  - launch");
            }
            ActionKind::Stop => {
                let _ = writeln!(y, "  - stop");
            }
            ActionKind::Back => {
                let _ = writeln!(y, "  - back");
            }
            ActionKind::Home => {
                let _ = writeln!(y, "  - home");
            }
            ActionKind::Swipe => {
                let _ = writeln!(y, "  - swipe: up");
            }
            ActionKind::Type => match &f.typed {
                Some(t) => {
                    let _ = writeln!(y, "  - type: {}", yaml_str(t));
                }
                None => {
                    let _ = writeln!(
                        y,
                        "  - type: {{secret: PASSWORD}}   # a secret, set PASSWORD"
                    );
                }
            },
            ActionKind::Install => {
                let build = f.install.as_ref().map_or("", |b| b.build.as_str());
                let version = build.strip_prefix("version ").unwrap_or(build);
                if version.parse::<u32>().is_ok() {
                    let _ = writeln!(
                        y,
                        "  - install: {{version: {version}, policy_changed: true}}"
                    );
                } else {
                    let _ = writeln!(
                        y,
                        "  - install: {{apk: {}, policy_changed: true}}",
                        yaml_str(build)
                    );
                }
            }
            ActionKind::Tap => {
                if let Some(t) = f.tap.as_ref() {
                    match t.label.as_deref().filter(|l| !l.trim().is_empty()) {
                        Some(l) => {
                            let _ = writeln!(y, "  - tap: {}", yaml_str(l.trim()));
                        }
                        None => {
                            let _ = writeln!(y, "  - tap: {{x: {}, y: {}}}", t.x, t.y);
                        }
                    }
                }
            }
        }
        i += 1;
    }
    y
}

/// A YAML scalar, quoted.
fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Reads `--words FILE` (a file with `words:`, as in a scenario).
fn read_part(path: &Path) -> Result<Scenario, String> {
    let src = crate::files::read_text(path, crate::files::MAX_TEXT, "words file")
        .map_err(|e| e.to_string())?;
    crate::scenario::parse_part(path, &src).map_err(|e| format!("{e}"))
}

/// The targets the command line names.
fn targets(args: &AuditArgs, apps: &[crate::sim::model::AppModel]) -> Result<Vec<Target>, String> {
    let mut out = Vec::new();
    if let Some(p) = &args.package {
        out.push(Target {
            name: p.clone(),
            app: AppTarget {
                package: p.clone(),
                activity: None,
                deeplink: None,
            },
        });
    }
    if let Some(link) = &args.mini {
        out.push(mini(link, &args.host));
    }
    if let Some(file) = &args.apps {
        let text = crate::files::read_text(file, crate::files::MAX_TEXT, "list of apps")
            .map_err(|e| e.to_string())?;
        for (n, line) in text.lines().enumerate() {
            let t = line.split('#').next().unwrap_or_default().trim();
            if t.is_empty() {
                continue;
            }
            if t.contains("://") {
                out.push(mini(t, &args.host));
            } else if t
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
                && t.contains('.')
            {
                out.push(Target {
                    name: t.to_string(),
                    app: AppTarget {
                        package: t.to_string(),
                        activity: None,
                        deeplink: None,
                    },
                });
            } else {
                return Err(format!(
                    "{}:{}: `{t}` is neither a package (com.bank.app) nor a mini program's link (weixin://…)",
                    file.display(),
                    n + 1
                ));
            }
        }
    }
    if out.is_empty() {
        // Each app the given models describe (its first build).
        for m in apps {
            if out
                .iter()
                .any(|t: &Target| t.app.package == m.package && t.app.deeplink == m.deeplink)
            {
                continue;
            }
            let oldest = apps
                .iter()
                .filter(|o| o.package == m.package && o.deeplink == m.deeplink)
                .min_by_key(|o| o.version)
                .unwrap_or(m);
            out.push(Target {
                name: oldest.label.clone(),
                app: AppTarget {
                    package: oldest.package.clone(),
                    activity: if oldest.deeplink.is_some() {
                        None
                    } else {
                        Some(oldest.launch_activity.clone())
                    },
                    deeplink: oldest.deeplink.clone(),
                },
            });
        }
    }
    Ok(out)
}

fn mini(link: &str, host: &str) -> Target {
    let appid = link
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("appid="))
        .unwrap_or(link);
    Target {
        name: format!("mini program {appid}"),
        app: AppTarget {
            package: host.to_string(),
            activity: None,
            deeplink: Some(link.to_string()),
        },
    }
}

/// `consentry audit`.
pub fn command(args: &AuditArgs) -> Exit {
    let apps = match crate::sim::load_apps(&args.sim_apps) {
        Ok(a) => a,
        Err(e) => {
            crate::tell!("error: {e}");
            return Exit::Usage;
        }
    };
    let mut targets = match targets(args, &apps) {
        Ok(t) if !t.is_empty() => t,
        Ok(_) => {
            crate::tell!("error: nothing to audit: name a package (`consentry audit com.bank.app --device SERIAL`), a mini program (`--mini 'weixin://dl/business/?appid=…'`), a list (`--apps apps.txt`), or an app model (`--sim-app model.yaml`)");
            return Exit::Usage;
        }
        Err(e) => {
            crate::tell!("error: {e}");
            return Exit::Usage;
        }
    };
    if let Some((k, n)) = args.shard {
        let total = targets.len();
        targets = targets
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % n == k - 1)
            .map(|(_, t)| t)
            .collect();
        crate::tell!("shard {k}/{n}: {} of {total} apps", targets.len());
    }
    // Resumable: an app already audited in the output folder is skipped,
    // and its audit stays in the report.
    let kept: Vec<Run> = if args.again {
        Vec::new()
    } else {
        Report::read_json(&args.output.out.join("report.json"))
            .map(|r| {
                r.runs
                    .into_iter()
                    .filter(|r| r.status == crate::runner::RunStatus::Completed)
                    .filter(|r| targets.iter().any(|t| t.name == r.name))
                    .collect()
            })
            .unwrap_or_default()
    };
    let done: Vec<String> = kept.iter().map(|r| r.name.clone()).collect();
    let before = targets.len();
    targets.retain(|t| !done.contains(&t.name));
    if targets.len() < before {
        crate::tell!(
            "{} app(s) already audited in {} (give --again to audit them anew)",
            before - targets.len(),
            args.output.out.display()
        );
    }
    if targets.is_empty() {
        crate::say!(
            "every app is already audited in {}",
            args.output.out.display()
        );
        return Exit::Ok;
    }
    let mut opts = Options {
        max_taps: args.max_taps,
        ..Options::default()
    };
    opts.update = match (&args.update, args.update_version) {
        (Some(p), _) => Some(InstallBuild::Apk(p.clone())),
        (None, Some(v)) => Some(InstallBuild::Version(v)),
        (None, None) => None,
    };
    if let Some(p) = &args.login {
        match read_part(p) {
            Ok(s) => opts.login = s.steps,
            Err(e) => {
                crate::tell!("error: --login: {e}");
                return Exit::Usage;
            }
        }
    }
    if let Some(p) = &args.words {
        match read_part(p) {
            Ok(s) => opts.words = Some(s.words),
            Err(e) => {
                crate::tell!("error: --words: {e}");
                return Exit::Usage;
            }
        }
    }
    let devices = match crate::commands::devices(&args.on, apps) {
        Ok(d) => d,
        Err(e) => {
            crate::tell!("error: {e}");
            return Exit::Infra;
        }
    };
    let on_device = devices
        .iter()
        .any(|d| !matches!(d, crate::session::DeviceSpec::Sim { .. }));
    let scenarios: Vec<Scenario> = targets.iter().map(|t| plan(t, &opts)).collect();
    let mut budget = args.output.budget();
    // Each app's audit has its minutes (by the wall clock; the simulated
    // device's own clock runs faster than real time, so more there).
    let minutes = args.max_minutes.unwrap_or(if on_device { 15 } else { 60 });
    budget.max_time = Some(Duration::from_secs(minutes.max(1) * 60));
    let plan = crate::session::Plan {
        scenarios,
        out_dir: args.output.out.clone(),
        devices,
        jobs: args.output.jobs,
        annotate_all: args.output.annotate_all,
        retries: args.retries,
        durations: Default::default(),
        budget,
        ocr: crate::commands::ocr_kind(&args.output.ocr),
    };
    let mut exit = crate::commands::execute(plan, &args.output);
    // What was done, as a scenario to replay; the audits kept from before
    // join the report.
    if let Ok(mut report) = Report::read_json(&args.output.out.join("report.json")) {
        if !kept.is_empty() {
            report.runs.splice(0..0, kept);
            if let Err(e) = report.write_all(&args.output.out) {
                crate::tell!(
                    "cannot write the report into {}: {e}",
                    args.output.out.display()
                );
                return Exit::Infra;
            }
            exit = report.exit();
        }
        for run in &report.runs {
            let name = if report.runs.len() == 1 {
                "audit.yaml".to_string()
            } else {
                format!("audit-{}.yaml", file_stem(&run.name))
            };
            let path = args.output.out.join(&name);
            match std::fs::write(&path, replay_yaml(run)) {
                Ok(()) => {
                    if !args.output.quiet {
                        crate::say!("replay: {}", path.display());
                    }
                }
                Err(e) => crate::tell!("cannot write {}: {e}", path.display()),
            }
        }
    }
    exit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::TypedText;

    fn target() -> Target {
        Target {
            name: "示例银行".into(),
            app: AppTarget {
                package: "com.example.bank".into(),
                activity: None,
                deeplink: None,
            },
        }
    }

    #[test]
    fn the_plan_goes_through_every_phase_and_judges_every_rule() {
        let sc = plan(
            &target(),
            &Options {
                max_taps: 30,
                update: Some(InstallBuild::Version(2)),
                ..Options::default()
            },
        );
        assert!(sc.tolerant && sc.clear_data);
        let phases: Vec<&str> = sc
            .steps
            .iter()
            .filter_map(|s| match &s.kind {
                StepKind::Phase(p) => Some(p.as_str()),
                _ => None,
            })
            .collect();
        let want: Vec<&str> = PHASES.iter().copied().filter(|p| *p != "login").collect();
        assert_eq!(phases, want);
        // Every Section 7 rule, and masked-identifiers on every screen.
        for r in RuleId::ALL.into_iter().filter(|r| r.implemented()) {
            let judged = sc.rules.contains(&r);
            let want = r.rule().section == Section::Seven || r.id() == "masked-identifiers";
            assert_eq!(judged, want, "{}", r.id());
            assert!(PHASES.contains(&phase_of(r)));
        }
        // With login steps, the rest of Section 6 too.
        let with_login = plan(
            &target(),
            &Options {
                login: vec![Step {
                    kind: StepKind::Type(TypedText::plain("x")),
                    line: 1,
                }],
                ..Options::default()
            },
        );
        assert!(with_login.rules.iter().any(|r| r.id() == "password-masked"));
    }

    #[test]
    fn inconclusive_verdicts_say_which_phase_and_why() {
        let rule = RuleId::from_id("permission-purpose").unwrap();
        let mut v = vec![Verdict {
            rule,
            clause: rule.clause().into(),
            status: Status::Inconclusive,
            evidence: Vec::new(),
            highlights: Vec::new(),
            message: "no permission dialog appeared".into(),
            reason: Default::default(),
        }];
        explain(
            &mut v,
            &["crawl: 12 entries tapped, 14 screens seen, 0 permission dialogs refused".into()],
        );
        assert!(
            v[0].message
                .contains("(audit, phase crawl: 12 entries tapped"),
            "{}",
            v[0].message
        );
        let rule = RuleId::from_id("reconsent-on-change").unwrap();
        let mut v = vec![Verdict {
            rule,
            clause: rule.clause().into(),
            status: Status::Inconclusive,
            evidence: Vec::new(),
            highlights: Vec::new(),
            message: "no install".into(),
            reason: Default::default(),
        }];
        explain(&mut v, &[]);
        assert!(v[0].message.contains("--update"), "{}", v[0].message);
    }

    #[test]
    fn stems_are_safe_file_names() {
        assert_eq!(file_stem("com.example.bank"), "com.example.bank");
        assert_eq!(file_stem("../../etc/passwd"), ".._.._etc_passwd");
        assert_eq!(file_stem(""), "app");
    }
}

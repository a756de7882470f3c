//! Helpers shared by the end-to-end tests: they run the real binary.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `consentry` with these arguments.
pub fn consentry(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(args)
        .env("OMP_THREAD_LIMIT", "1")
        .output()
        .expect("the consentry binary runs")
}

/// Asserts a run's exit code, showing what it printed when it is another.
pub fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Runs `consentry` with these arguments and extra environment variables.
pub fn consentry_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .envs(env.iter().copied())
        .env("OMP_THREAD_LIMIT", "1")
        .output()
        .expect("the consentry binary runs")
}

/// Runs `consentry` in a folder.
pub fn consentry_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(args)
        .current_dir(dir)
        .env("OMP_THREAD_LIMIT", "1")
        .output()
        .expect("the consentry binary runs")
}

/// Reads a report.json.
pub fn report(dir: &Path) -> serde_json::Value {
    let bytes = std::fs::read(dir.join("report.json")).expect("report.json written");
    serde_json::from_slice(&bytes).expect("report.json is JSON")
}

/// A private adb server with simulated devices served by `consentry sim
/// serve`, all stopped on drop.
pub struct Rig {
    /// The adb server's port.
    pub server_port: u16,
    /// The devices' serials (`127.0.0.1:PORT`).
    pub serials: Vec<String>,
    sims: Vec<std::process::Child>,
}

/// A free TCP port on loopback.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `consentry sim serve` on a free port with extra arguments;
/// returns the process and the address it listens on.
pub fn sim_serve(extra: &[&str]) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut sim = Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(["sim", "serve", "--port", "0"])
        .args(extra)
        .env("OMP_THREAD_LIMIT", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(sim.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split_whitespace()
        .find(|w| w.starts_with("127.0.0.1:"))
        .unwrap()
        .trim_end_matches(';')
        .to_string();
    (sim, addr)
}

/// Makes adb's folder and key once, before any adb server of this test
/// process starts: on a fresh machine two servers started at once both try
/// to create `~/.android` and the loser dies ("Cannot mkdir … File
/// exists").
pub fn adb_home() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
        let Some(dir) = home.map(|h| h.join(".android")) else {
            return;
        };
        std::fs::create_dir_all(&dir).expect("create ~/.android");
        let key = dir.join("adbkey");
        if !key.exists() {
            let o = Command::new("adb")
                .arg("keygen")
                .arg(&key)
                .output()
                .expect("adb installed (apt-get install adb)");
            assert!(o.status.success(), "adb keygen: {o:?}");
        }
    });
}

impl Rig {
    /// Starts the adb server and one device per entry of `devices` (each
    /// entry: extra `sim serve` arguments), connected and ready.
    pub fn start(devices: &[&[&str]]) -> Rig {
        adb_home();
        let server_port = free_port();
        let o = Command::new("adb")
            .arg("start-server")
            .env("ANDROID_ADB_SERVER_PORT", server_port.to_string())
            .output()
            .expect("adb installed (apt-get install adb)");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let mut rig = Rig {
            server_port,
            serials: Vec::new(),
            sims: Vec::new(),
        };
        for extra in devices {
            let (sim, addr) = sim_serve(extra);
            rig.sims.push(sim);
            let o = rig.adb(&["connect", &addr]);
            assert!(
                String::from_utf8_lossy(&o.stdout).contains("connected"),
                "{o:?}"
            );
            rig.serials.push(addr);
        }
        for _ in 0..100 {
            let list = String::from_utf8_lossy(&rig.adb(&["devices"]).stdout).into_owned();
            if rig
                .serials
                .iter()
                .all(|s| list.contains(&format!("{s}\tdevice")))
            {
                return rig;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("the simulated devices never became `device`");
    }

    /// Runs the adb command line against this server.
    pub fn adb(&self, args: &[&str]) -> Output {
        Command::new("adb")
            .args(args)
            .env("ANDROID_ADB_SERVER_PORT", self.server_port.to_string())
            .output()
            .unwrap()
    }

    /// `host:port` of the adb server.
    pub fn server(&self) -> String {
        format!("127.0.0.1:{}", self.server_port)
    }
}

impl Drop for Rig {
    fn drop(&mut self) {
        for s in &mut self.sims {
            let _ = s.kill();
            let _ = s.wait();
        }
        let _ = self.adb(&["kill-server"]);
    }
}

/// (scenario file stem, rule, status) of every verdict, sorted.
pub fn statuses(out: &Path) -> Vec<(String, String, String)> {
    let r = report(out);
    let mut v = Vec::new();
    for run in r["runs"].as_array().unwrap() {
        let stem = Path::new(run["scenario"].as_str().unwrap())
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for verdict in run["verdicts"].as_array().unwrap() {
            v.push((
                stem.clone(),
                verdict["rule"].as_str().unwrap().to_string(),
                verdict["status"].as_str().unwrap().to_string(),
            ));
        }
    }
    v.sort();
    v
}

/// The core rules, in the order of [`core`]'s statuses.
const CORE: [&str; 4] = [
    "explicit-consent",
    "no-popup-loop",
    "policy-reachable",
    "no-forced-exit",
];

/// The core rules' statuses, in the order of [`CORE`].
const fn core(s: [&'static str; 4]) -> [(&'static str, &'static str); 4] {
    [
        (CORE[0], s[0]),
        (CORE[1], s[1]),
        (CORE[2], s[2]),
        (CORE[3], s[3]),
    ]
}

/// Every verdict of the bundled examples: scenario file stem → (rule,
/// status) of every rule it checks. The demo must give exactly these.
pub const DEMO_EXPECTED: &[(&str, &[(&str, &str)])] = &[
    (
        "no-refuse",
        &core(["fail", "inconclusive", "pass", "inconclusive"]),
    ),
    ("vague-agree", &core(["fail", "pass", "pass", "pass"])),
    ("prechecked", &core(["fail", "pass", "pass", "pass"])),
    ("popup-loop", &core(["pass", "fail", "pass", "pass"])),
    ("exit-on-refuse", &core(["pass", "pass", "pass", "fail"])),
    ("kill-on-refuse", &core(["pass", "pass", "pass", "fail"])),
    ("policy-deep", &core(["pass", "pass", "fail", "pass"])),
    (
        "wechat-miniprogram",
        &core(["pass", "pass", "pass", "fail"]),
    ),
    ("hostile-text", &core(["pass", "pass", "pass", "pass"])),
    (
        "no-first-launch-notice",
        &[("policy-on-first-launch", "fail")],
    ),
    ("upfront-permission", &[("no-upfront-permission", "fail")]),
    ("bundled-permissions", &[("no-bundled-permissions", "fail")]),
    ("silent-grant", &[("auth-state-unchanged", "fail")]),
    (
        "collect-before-consent",
        &[("no-collection-before-consent", "fail")],
    ),
    (
        "background-location",
        &[("no-background-collection", "fail")],
    ),
    ("frequent-location", &[("collection-frequency", "fail")]),
    ("no-purpose", &[("permission-purpose", "fail")]),
    ("reprompt-on-launch", &[("no-frequent-reprompt", "fail")]),
    ("face-no-notice", &[("biometric-notice", "fail")]),
    ("silent-update", &[("reconsent-on-change", "fail")]),
    ("reward-prompt", &[("no-inducement", "manual")]),
    (
        "thin-policy",
        &[("policy-content", "manual"), ("minor-rules", "manual")],
    ),
    ("no-revocation", &[("revocation-reachable", "fail")]),
    (
        "no-account-deletion",
        &[("account-deletion-reachable", "fail")],
    ),
    ("functions-blocked", &[("refusal-keeps-functions", "fail")]),
    ("unmasked-card", &[("masked-identifiers", "fail")]),
    ("password-in-clear", &[("password-masked", "fail")]),
    ("capturable-login", &[("secure-auth-screens", "fail")]),
    ("telling-login-error", &[("vague-auth-errors", "fail")]),
    ("password-kept", &[("password-cleared-on-return", "fail")]),
];

/// The compliant example checks every rule (`rules: all`): each automatic
/// one passes, each one a person judges is `manual`, except these.
pub const COMPLIANT: &str = "compliant-bank";
/// Rules the compliant example cannot exercise yet: (rule, status).
pub const COMPLIANT_EXCEPT: &[(&str, &str)] = &[];

/// (scenario stem, rule, status) of every verdict the demo must give,
/// sorted like [`statuses`]; `rules` is what [`all_rules`] returns.
pub fn demo_expected(rules: &[(String, String)]) -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = DEMO_EXPECTED
        .iter()
        .flat_map(|(s, rules)| {
            rules
                .iter()
                .map(|(r, x)| (s.to_string(), r.to_string(), x.to_string()))
        })
        .collect();
    for (rule, judged) in rules {
        let want = match judged.as_str() {
            "automatic" => "pass",
            "manual" => "manual",
            _ => continue, // not judged: `rules: all` leaves it out
        };
        let want = COMPLIANT_EXCEPT
            .iter()
            .find(|(r, _)| r == rule)
            .map_or(want, |(_, s)| s);
        v.push((COMPLIANT.into(), rule.clone(), want.into()));
    }
    v.sort();
    v
}

/// Every rule of `consentry rules --json`: (id, how it is judged).
pub fn all_rules() -> Vec<(String, String)> {
    let o = consentry(&["rules", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["judged"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The app models built to show a card, phone or ID number in full: the
/// Section 6 example, and the audit's app with a splash ad.
pub const SHOW_IDENTIFIERS: &[&str] = &["com.example.s6.cardnumber", "com.example.audit.splashad"];

/// Every frame of a report gets one answer to "what is this screen": the
/// kind `consentry inspect` gives its texts and window, the prompt the
/// rules see in it and the runner's notion of a screen that asks for a
/// choice all come from `screen/`, and agree. Returns the kinds counted.
pub fn assert_one_answer(r: &serde_json::Value) -> std::collections::BTreeMap<String, usize> {
    use consentry::perception::Words;
    use consentry::screen::{inspect::Inspection, kind, View};
    use consentry::trace::{AppTarget, Frame, Trace};
    let mut kinds = std::collections::BTreeMap::new();
    for run in r["runs"].as_array().unwrap() {
        let frames: Vec<Frame> = serde_json::from_value(run["frames"].clone()).unwrap();
        let mut words = Words::default();
        if let Ok(p) = serde_json::from_value(run["words"].clone()) {
            words.extend(&p);
        }
        let str_of = |v: &serde_json::Value| v.as_str().map(str::to_string);
        let trace = Trace {
            app: AppTarget {
                package: run["app"]["package"].as_str().unwrap().to_string(),
                activity: str_of(&run["app"]["activity"]),
                deeplink: str_of(&run["app"]["deeplink"]),
            },
            frames,
            explorations: Vec::new(),
            functions: Vec::new(),
            policies: Vec::new(),
            words,
        };
        for f in &trace.frames {
            let view = View::of(f, &trace);
            let k = view.kind();
            let ins = Inspection::new(f.screenshot.clone(), "recorded", [0, 0], &view);
            assert_eq!(
                ins.kind, k,
                "inspect and the screen disagree on {}",
                f.screenshot
            );
            let rules = consentry::rules::consent_flow::prompt_kind(f, &trace);
            assert_eq!(
                rules,
                view.prompt(),
                "rules and the screen disagree on {}",
                f.screenshot
            );
            // What the runner's searches never take for their target: a
            // screen asking for a consent choice is a consent prompt or a
            // login page to the rules too.
            if kind::asks_choice(&f.texts, &trace.words) && f.texts.iter().any(|t| t.is_choice()) {
                assert!(
                    matches!(
                        k,
                        consentry::screen::Kind::ConsentPrompt
                            | consentry::screen::Kind::LoginConsent
                            | consentry::screen::Kind::PermissionDialog
                    ),
                    "the runner sees a choice on {} that the rules call {}",
                    f.screenshot,
                    k.as_str()
                );
            }
            *kinds.entry(k.as_str().to_string()).or_default() += 1;
        }
        // No number on any frame is taken for a bank card, mobile or ID
        // number shown in full, but on the apps built to show them.
        let rule = consentry::rules::RuleId::from_id("masked-identifiers").unwrap();
        let v = rule.check(&trace);
        if SHOW_IDENTIFIERS.contains(&trace.app.package.as_str()) {
            assert_eq!(v.status, consentry::rules::Status::Fail, "{}", v.message);
        } else {
            assert_ne!(
                v.status,
                consentry::rules::Status::Fail,
                "masked-identifiers fails {} falsely: {}",
                run["scenario"],
                v.message
            );
        }
    }
    kinds
}

//! Hostile devices, files and names, round two. A fake adb server here
//! fronts an in-process simulated device and rewrites what it answers, to
//! play the broken or hostile phone; hostile files and names are given to
//! the real `consentry` binary. Each case once leaked, hung, blew up or
//! lost a report.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddrV4, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use consentry::sim::{bundled_apps, Clock, Sim};

/// What the hostile device answers instead of the simulated device:
/// given the command and the simulated device's output, `Some` replaces it.
type Edit = dyn Fn(&str, &[u8]) -> Option<Vec<u8>> + Send + Sync;

/// A fake adb server with one device, `hostile`, whose commands the
/// simulated device runs and `edit` may rewrite. Returns its address.
fn hostile_adb(edit: Box<Edit>) -> SocketAddrV4 {
    let sim = Arc::new(Mutex::new(
        Sim::new("hostile", bundled_apps().unwrap(), Clock::Real).unwrap(),
    ));
    let edit: Arc<Edit> = Arc::from(edit);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let std::net::SocketAddr::V4(addr) = listener.local_addr().unwrap() else {
        panic!("ipv4")
    };
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(c) = conn else { continue };
            let (sim, edit) = (sim.clone(), edit.clone());
            std::thread::spawn(move || serve(c, &sim, &*edit));
        }
    });
    addr
}

fn serve(mut c: TcpStream, sim: &Mutex<Sim>, edit: &Edit) {
    let request = |c: &mut TcpStream| -> Option<String> {
        let mut len = [0u8; 4];
        c.read_exact(&mut len).ok()?;
        let n = usize::from_str_radix(std::str::from_utf8(&len).ok()?, 16).ok()?;
        let mut body = vec![0u8; n];
        c.read_exact(&mut body).ok()?;
        Some(String::from_utf8_lossy(&body).into_owned())
    };
    let reply = |c: &mut TcpStream, payload: &str| {
        let _ = c.write_all(format!("OKAY{:04x}{payload}", payload.len()).as_bytes());
    };
    while let Some(r) = request(&mut c) {
        if r == "host:devices" {
            return reply(&mut c, "hostile\tdevice\n");
        } else if r == "host:version" {
            return reply(&mut c, "0029");
        } else if r.starts_with("host:transport:") {
            let _ = c.write_all(b"OKAY");
        } else if let Some(cmd) = r.strip_prefix("exec:").or(r.strip_prefix("shell:")) {
            let out = sim.lock().unwrap().shell(cmd).stdout;
            let out = edit(cmd, &out).unwrap_or(out);
            let _ = c.write_all(b"OKAY");
            let _ = c.write_all(&out);
            return;
        } else {
            let msg = "unknown service";
            let _ = c.write_all(format!("FAIL{:04x}{msg}", msg.len()).as_bytes());
            return;
        }
    }
}

/// Runs `consentry` in `dir`, killed (and the test failed) after `limit`.
fn run_bounded(dir: &Path, args: &[&str], env: &[(&str, &str)], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(args)
        .current_dir(dir)
        .env("OMP_THREAD_LIMIT", "1")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the consentry binary runs");
    // Read both pipes while waiting, so a chatty run cannot block on them.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let o = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out.read_to_end(&mut b);
        b
    });
    let e = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err.read_to_end(&mut b);
        b
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "consentry {args:?} did not finish within {limit:?}; stderr: {}",
                String::from_utf8_lossy(&e.join().unwrap())
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: o.join().unwrap(),
        stderr: e.join().unwrap(),
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every file under `dir` as text (lossy), for looking for leaks.
fn all_files(dir: &Path) -> String {
    let mut s = String::new();
    for e in walk(dir) {
        if let Ok(b) = std::fs::read(&e) {
            s.push_str(&String::from_utf8_lossy(&b));
        }
    }
    s
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

const BANK: &str = "app:\n  package: com.example.compliantbank\n  activity: .SplashActivity\n";

const LOGIN: &str = "app:\n  package: com.example.compliantbank\n  activity: .SplashActivity\nclear_data: true\nsteps:\n  - launch\n  - agree\n  - tap: 转账\n  - tap: 请输入收款人\n";

fn run_on(addr: SocketAddrV4, dir: &Path, scenario: &str, env: &[(&str, &str)]) -> Output {
    std::fs::write(dir.join("s.yaml"), scenario).unwrap();
    let server = addr.to_string();
    run_bounded(
        dir,
        &[
            "run",
            "s.yaml",
            "--device",
            "hostile",
            "--adb-server",
            &server,
            "--out",
            "out",
            "--retries",
            "0",
        ],
        env,
        Duration::from_secs(300),
    )
}

#[test]
fn a_secret_is_masked_in_every_form_when_typing_fails() {
    // The secret holds a space, a quote, a percent sign and a double quote;
    // the device fails the typing and echoes the command it got, quoted,
    // %s-spaced and percent-encoded.
    const SECRET: &str = "pa ss'w%d\"42";
    let addr = hostile_adb(Box::new(|cmd, _| {
        cmd.starts_with("input text").then(|| {
            let pct: String = SECRET
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            format!(
                "Error: Injecting input failed: {cmd}\nrequest={pct}\nlower={}\n",
                pct.to_lowercase()
            )
            .into_bytes()
        })
    }));
    let dir = tempfile::tempdir().unwrap();
    let o = run_on(
        addr,
        dir.path(),
        &format!("{LOGIN}  - type: {{secret: CONSENTRY_HOSTILE_SECRET}}\n"),
        &[
            ("CONSENTRY_HOSTILE_SECRET", SECRET),
            ("CONSENTRY_LOG", "debug"),
        ],
    );
    let seen = format!("{}{}", text(&o), all_files(&dir.path().join("out")));
    assert!(
        seen.contains("type (secret)"),
        "the failure is reported: {seen}"
    );
    let spaced = SECRET.replace(' ', "%s");
    for form in [
        SECRET.to_string(),
        spaced.clone(),
        spaced.replace('\'', r"'\''"),
        "pa%20ss%27w%25d%2242".to_string(),
        "pa%20ss%27w%25d%2242".to_lowercase(),
        "ss'w%d".to_string(),
        "ss%27w".to_string(),
    ] {
        assert!(!seen.contains(&form), "{form:?} leaked: {seen}");
    }
}

#[test]
fn an_access_absurdly_far_in_the_past_ends_in_a_whole_report() {
    let addr = hostile_adb(Box::new(|cmd, out| {
        cmd.starts_with("cmd appops get").then(|| {
            let mut o = out.to_vec();
            o.extend_from_slice(b"COARSE_LOCATION: allow; time=+9999999999d ago\nFINE_LOCATION: allow; time=+7000y ago\n");
            o
        })
    }));
    let dir = tempfile::tempdir().unwrap();
    let o = run_on(
        addr,
        dir.path(),
        &format!("{BANK}clear_data: true\nrules: [no-collection-before-consent, no-background-collection]\nsteps:\n  - launch\n  - agree\n  - home\n  - wait: 1s\n"),
        &[],
    );
    let out = dir.path().join("out");
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "a verdict, not an abort: {}",
        text(&o)
    );
    let r = common::report(&out);
    assert_eq!(r["complete"], true);
    assert!(out.join("index.html").is_file() && out.join("junit.xml").is_file());
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.len() < 5 << 20, "the page is {} bytes", html.len());
}

#[test]
fn what_a_device_prints_is_bounded_in_every_frame() {
    // Each answer under the 16 MiB cap of one command, but huge: an op
    // name, a focus line, a permission name, a text in the hierarchy.
    let huge = "A".repeat(15 << 20);
    let addr = hostile_adb(Box::new(move |cmd, out| {
        if cmd.starts_with("cmd appops get") {
            let mut o = out.to_vec();
            o.extend_from_slice(format!("{huge}: allow; time=+1s ago\n").as_bytes());
            Some(o)
        } else if cmd.starts_with("dumpsys window") {
            let mut o = out.to_vec();
            o.extend_from_slice(
                format!("  mCurrentFocus=Window{{1 u0 com.x/{huge}}}\n").as_bytes(),
            );
            Some(o)
        } else if cmd.starts_with("uiautomator dump") {
            let s = String::from_utf8_lossy(out);
            Some(
                s.replacen("text=\"", &format!("text=\"{}", &huge[..14 << 20]), 1)
                    .into_bytes(),
            )
        } else {
            None
        }
    }));
    let dir = tempfile::tempdir().unwrap();
    let o = run_on(
        addr,
        dir.path(),
        &format!("{BANK}clear_data: true\nsteps:\n  - launch\n  - observe: {{duration: 2s, interval: 400ms}}\n"),
        &[],
    );
    let out = dir.path().join("out");
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "a verdict, not an abort: {}",
        text(&o)
    );
    let r = common::report(&out);
    let frames = r["runs"][0]["frames"].as_array().unwrap().len();
    assert!(frames >= 3, "{frames} frames");
    let size = std::fs::metadata(out.join("report.json")).unwrap().len();
    assert!(
        size < (frames as u64) << 20,
        "report.json is {size} bytes for {frames} frames"
    );
}

#[test]
fn user_paths_that_are_not_files_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("shot.png");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    std::fs::write(dir.path().join("ok.png"), b"not really").unwrap();
    for args in [
        vec!["inspect", "/dev/zero"],
        vec!["inspect", "shot.png"],
        vec!["inspect", "--hierarchy", "/dev/zero", "ok.png"],
        vec!["merge", "/dev/zero", "--out", "m"],
        vec!["diff", "--baseline", "/dev/zero", "/dev/zero"],
        vec!["check", "shot.png"],
    ] {
        let o = run_bounded(dir.path(), &args, &[], Duration::from_secs(20));
        let t = text(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {t}");
        assert!(
            t.contains("character device") || t.contains("FIFO"),
            "{args:?} names what it is: {t}"
        );
    }
}

#[test]
fn a_second_yaml_document_is_an_error_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("two.yaml"),
        "app:\n  package: com.x\nsteps:\n  - launch\n---\napp:\n  package: com.y\n",
    )
    .unwrap();
    let o = run_bounded(
        dir.path(),
        &["check", "two.yaml"],
        &[],
        Duration::from_secs(20),
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(t.starts_with("two.yaml:5:1: error:"), "{t}");
}

#[test]
fn names_and_file_names_cannot_drive_the_terminal_or_break_junit() {
    let dir = tempfile::tempdir().unwrap();
    // A file name with an escape sequence; a scenario name with a line
    // break, a noncharacter and U+FFFF.
    let name = "x\u{1b}[2Jy.yaml";
    std::fs::write(
        dir.path().join(name),
        "name: \"two\\nlines \\uFFFE \\uFFFF \\u0001 end\"\napp:\n  package: com.example.compliantbank\n  activity: .SplashActivity\nsteps:\n  - launch\n",
    )
    .unwrap();
    let o = run_bounded(dir.path(), &["check", name], &[], Duration::from_secs(20));
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(!t.contains('\u{1b}') && t.contains("\\u{1b}"), "{t:?}");
    let o = run_bounded(
        dir.path(),
        &["run", name, "--out", "out"],
        &[],
        Duration::from_secs(300),
    );
    let t = text(&o);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{t}");
    assert!(!t.contains('\u{1b}'), "{t:?}");
    // The progress line stays one line.
    let line = t
        .lines()
        .find(|l| l.starts_with("[1/1]"))
        .unwrap_or_else(|| panic!("a progress line: {t}"));
    assert!(line.contains("two\\u{a}lines"), "{line}");
    let xml = std::fs::read_to_string(dir.path().join("out/junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("junit.xml is well-formed XML");
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert!(suite.attribute("name").unwrap().starts_with("two"), "{xml}");
}

#[test]
fn a_report_that_cannot_be_written_is_said_and_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // An earlier report, and a temporary file the writer cannot replace:
    // every write of report.json fails.
    std::fs::write(out.join("report.json"), b"{\"earlier\": true}").unwrap();
    std::fs::create_dir_all(out.join(".report.json.tmp/blocked")).unwrap();
    std::fs::write(
        dir.path().join("s.yaml"),
        format!("{BANK}steps:\n  - launch\n"),
    )
    .unwrap();
    let o = run_bounded(
        dir.path(),
        &["run", "s.yaml", "--out", "out"],
        &[],
        Duration::from_secs(300),
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(3), "{t}");
    let last = String::from_utf8_lossy(&o.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    assert!(last.starts_with("report NOT written"), "{t}");
    assert_eq!(
        std::fs::read(out.join("report.json")).unwrap(),
        b"{\"earlier\": true}",
        "the earlier report stays as it was"
    );
}

#[test]
fn report_json_exists_from_the_start_of_a_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.yaml"),
        format!("{BANK}steps:\n  - launch\n  - observe: {{duration: 30s, interval: 1s}}\n"),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(["run", "s.yaml", "--out", "out", "-q"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let report = dir.path().join("out/report.json");
    let start = Instant::now();
    while !dir.path().join("out/frames").exists() && start.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(r["complete"], false);
    assert_eq!(r["runs"].as_array().unwrap().len(), 0);
}

#[test]
fn merge_reads_only_inside_each_shard_and_refuses_unknown_schemas() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.yaml"),
        format!("{BANK}steps:\n  - launch\n  - wait: 1s\n"),
    )
    .unwrap();
    let o = run_bounded(
        dir.path(),
        &["run", "s.yaml", "--out", "shard", "-q"],
        &[],
        Duration::from_secs(300),
    );
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", text(&o));
    // A private file beside the shard, and a victim a `..` path resolves to.
    let private = dir.path().join("private.txt");
    std::fs::write(&private, "PRIVATE-CONTENT").unwrap();
    let victim = dir.path().join("shard/frames/victim.png");
    std::fs::write(&victim, "VICTIM-CONTENT").unwrap();
    let path = dir.path().join("shard/report.json");
    let mut r: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let frames = r["runs"][0]["frames"].as_array_mut().unwrap();
    assert!(frames.len() >= 2);
    frames[0]["screenshot"] = private.to_str().unwrap().into();
    frames[1]["screenshot"] = "frames/../frames/victim.png".into();
    std::fs::write(&path, serde_json::to_vec(&r).unwrap()).unwrap();
    // Merged into the shard's own folder: nothing may be copied onto itself.
    let o = run_bounded(
        dir.path(),
        &["merge", "shard/report.json", "--out", "shard"],
        &[],
        Duration::from_secs(60),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "VICTIM-CONTENT");
    assert_eq!(
        std::fs::read_to_string(&private).unwrap(),
        "PRIVATE-CONTENT"
    );
    assert!(
        !all_files(&dir.path().join("shard/frames")).contains("PRIVATE-CONTENT"),
        "a file outside the shard was copied in"
    );
    // A report of a schema this consentry does not know is refused by name.
    r["schema"] = 99.into();
    std::fs::write(
        dir.path().join("future.json"),
        serde_json::to_vec(&r).unwrap(),
    )
    .unwrap();
    let o = run_bounded(
        dir.path(),
        &["merge", "future.json", "--out", "m"],
        &[],
        Duration::from_secs(60),
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("schema 99"), "{}", text(&o));
}

#[test]
fn a_package_of_many_adb_messages_installs_on_the_served_device() {
    // The app model (the simulated device's package file) padded past a
    // megabyte: many WRTE messages of the adb protocol.
    let src = "tests/fixtures/section7";
    let dir = tempfile::tempdir().unwrap();
    let mut model = std::fs::read_to_string(format!("{src}/update-app-v3.yaml")).unwrap();
    for i in 0..40_000 {
        model.push_str(&format!(
            "# padding line {i} of a package larger than one message\n"
        ));
    }
    assert!(model.len() > 2 << 20);
    std::fs::write(dir.path().join("update-app-v3.yaml"), &model).unwrap();
    std::fs::copy(
        format!("{src}/update-silent.yaml"),
        dir.path().join("update-silent.yaml"),
    )
    .unwrap();
    let rig = common::Rig::start(&[&["--app", &format!("{src}/update-app.yaml")]]);
    let o = run_bounded(
        dir.path(),
        &[
            "run",
            "update-silent.yaml",
            "--device",
            &rig.serials[0],
            "--adb-server",
            &rig.server(),
            "--out",
            "out",
            "-q",
        ],
        &[],
        Duration::from_secs(240),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let got = common::statuses(&dir.path().join("out"));
    assert!(
        got.contains(&(
            "update-silent".into(),
            "reconsent-on-change".into(),
            "fail".into()
        )),
        "{got:?}"
    );
}

/// A CNXN message of the adb protocol, as a host sends it.
fn cnxn() -> Vec<u8> {
    let payload = b"host::\0";
    let cmd: u32 = 0x4e58_4e43;
    let mut m = Vec::new();
    for w in [
        cmd,
        0x0100_0001,
        256 * 1024,
        payload.len() as u32,
        payload.iter().map(|&b| b as u32).sum(),
        cmd ^ 0xffff_ffff,
    ] {
        m.extend_from_slice(&w.to_le_bytes());
    }
    m.extend_from_slice(payload);
    m
}

#[test]
fn idle_connections_do_not_lock_the_served_device() {
    let (mut sim, addr) = common::sim_serve(&[]);
    // Sixteen connections that never say a word: every slot taken.
    let idle: Vec<TcpStream> = (0..16)
        .map(|_| TcpStream::connect(&addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_secs(7));
    // Past the handshake time they were dropped: a host is served again.
    let mut c = TcpStream::connect(&addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    c.write_all(&cnxn()).unwrap();
    let mut head = [0u8; 24];
    let got = c.read_exact(&mut head);
    let _ = sim.kill();
    let _ = sim.wait();
    drop(idle);
    got.expect("the device answers a new host's CNXN");
    assert_eq!(&head[..4], b"CNXN");
}

#[test]
fn thousands_of_runs_render_in_linear_time() {
    // One real run (with the policy search's path view), copied 3,000
    // times, merged: the page is rendered once, in time linear in runs.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.yaml"),
        format!("{BANK}clear_data: true\nsteps:\n  - launch\n  - agree\n  - explore_policy\n"),
    )
    .unwrap();
    let o = run_bounded(
        dir.path(),
        &["run", "s.yaml", "--out", "one", "-q"],
        &[],
        Duration::from_secs(300),
    );
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", text(&o));
    let mut r: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("one/report.json")).unwrap())
            .unwrap();
    let run = r["runs"][0].clone();
    r["runs"] = serde_json::Value::Array(vec![run; 3_000]);
    std::fs::write(
        dir.path().join("many.json"),
        serde_json::to_vec(&r).unwrap(),
    )
    .unwrap();
    let o = run_bounded(
        dir.path(),
        &["merge", "many.json", "--out", "m"],
        &[],
        Duration::from_secs(150),
    );
    assert!(matches!(o.status.code(), Some(0)), "{}", text(&o));
    let html = std::fs::read_to_string(dir.path().join("m/index.html")).unwrap();
    assert_eq!(html.matches("id=\"s7-style\"").count(), 1);
}

#[test]
fn two_runs_never_drive_one_device_at_once() {
    let rig = common::Rig::start(&[&[]]);
    let serial = rig.serials[0].clone();
    let server = rig.server();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("long.yaml"),
        format!("{BANK}steps:\n  - launch\n  - observe: {{duration: 25s, interval: 5s}}\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("short.yaml"),
        format!("{BANK}steps:\n  - launch\n"),
    )
    .unwrap();
    let args = |scenario: &str, out: &str, wait: &str| -> Vec<String> {
        [
            "run",
            scenario,
            "--device",
            &serial,
            "--adb-server",
            &server,
            "--out",
            out,
            "--lock-wait",
            wait,
        ]
        .map(String::from)
        .to_vec()
    };
    // The first run holds the device for half a minute.
    let mut first = Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(args("long.yaml", "first", "5"))
        .current_dir(dir.path())
        .env("OMP_THREAD_LIMIT", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !dir.path().join("first/frames").exists() && start.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(100));
    }
    // A second one, on another machine of the farm as far as it knows,
    // waits 3 s for it and gives up naming the holder.
    let second = args("short.yaml", "second", "3");
    let o = run_bounded(
        dir.path(),
        &second.iter().map(String::as_str).collect::<Vec<_>>(),
        &[],
        Duration::from_secs(120),
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(3), "{t}");
    assert!(t.contains("is in use by consentry"), "{t}");
    assert!(
        t.contains(&format!("pid {}", first.id())),
        "names the holder: {t}"
    );
    let first = first.wait().unwrap();
    assert!(
        matches!(first.code(), Some(0 | 1)),
        "the first run ends well"
    );
    // The first gave the device back: the next run takes it at once.
    let third = args("short.yaml", "third", "0");
    let o = run_bounded(
        dir.path(),
        &third.iter().map(String::as_str).collect::<Vec<_>>(),
        &[],
        Duration::from_secs(120),
    );
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", text(&o));
    // A lock whose holder died long ago (no heartbeat since 1970) is
    // taken over.
    let o = rig.adb(&[
        "-s",
        &serial,
        "shell",
        "mkdir /data/local/tmp/consentry.lock && echo ghost > /data/local/tmp/consentry.lock/owner && echo 1 > /data/local/tmp/consentry.lock/beat",
    ]);
    assert!(o.status.success(), "{o:?}");
    let fourth = args("short.yaml", "fourth", "0");
    let o = run_bounded(
        dir.path(),
        &fourth.iter().map(String::as_str).collect::<Vec<_>>(),
        &[],
        Duration::from_secs(120),
    );
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", text(&o));
}

/// Runs a scenario through a device that takes 0.3 s a screenshot and
/// 0.6 s a hierarchy dump, and returns each command with when it ran
/// (start, end), for the frame-reads test below.
fn timed_commands(
    frame_reads: &str,
    scenario: &str,
) -> (Vec<(String, Instant, Instant)>, serde_json::Value) {
    let log: Arc<Mutex<Vec<(String, Instant, Instant)>>> = Arc::default();
    let seen = log.clone();
    let addr = hostile_adb(Box::new(move |cmd, _| {
        let t = Instant::now();
        if cmd.starts_with("uiautomator") {
            std::thread::sleep(Duration::from_millis(600));
        } else if cmd.starts_with("screencap") {
            std::thread::sleep(Duration::from_millis(300));
        }
        seen.lock()
            .unwrap()
            .push((cmd.to_string(), t, Instant::now()));
        None
    }));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.yaml"), scenario).unwrap();
    let o = run_bounded(
        dir.path(),
        &[
            "run",
            "s.yaml",
            "--device",
            "hostile",
            "--adb-server",
            &addr.to_string(),
            "--frame-reads",
            frame_reads,
            "--screencap",
            "png",
            "--out",
            "out",
            "-q",
        ],
        &[],
        Duration::from_secs(300),
    );
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", text(&o));
    let report = common::report(&dir.path().join("out"));
    let log = log.lock().unwrap().clone();
    (log, report)
}

#[test]
fn a_frame_reads_the_device_at_once_and_an_unchanged_screen_is_not_dumped_again() {
    let scenario = format!(
        "{BANK}clear_data: true\nsteps:\n  - launch\n  - agree\n  - observe: {{duration: 6s, interval: 1s}}\nrules: [explicit-consent, no-popup-loop]\n"
    );
    let overlaps = |log: &[(String, Instant, Instant)]| {
        let dumps: Vec<_> = log
            .iter()
            .filter(|c| c.0.starts_with("uiautomator"))
            .collect();
        log.iter()
            .filter(|s| s.0.starts_with("screencap"))
            .filter(|s| dumps.iter().any(|d| d.1 < s.2 && s.1 < d.2))
            .count()
    };
    let (log, report) = timed_commands("concurrent", &scenario);
    let frames = report["runs"][0]["frames"].as_array().unwrap().len();
    let count = |p: &str| log.iter().filter(|c| c.0.starts_with(p)).count();
    assert!(frames >= 8, "launch, agree and 6 observed frames: {frames}");
    assert!(count("screencap") >= frames, "a screenshot a frame");
    assert!(
        overlaps(&log) >= 1,
        "a frame's screenshot and hierarchy dump run at once"
    );
    // The observed home screen does not change: its frames after the
    // first are known by their screenshot alone.
    assert!(
        count("uiautomator") + 4 <= count("screencap"),
        "{} dumps for {} screenshots",
        count("uiautomator"),
        count("screencap")
    );
    let concurrent: Vec<_> = report["runs"][0]["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["rule"].clone(), v["status"].clone()))
        .collect();
    // One after another, as before: no read overlaps another, same verdicts.
    let (log, report) = timed_commands("sequential", &scenario);
    assert_eq!(overlaps(&log), 0, "sequential reads never overlap");
    let sequential: Vec<_> = report["runs"][0]["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["rule"].clone(), v["status"].clone()))
        .collect();
    assert_eq!(concurrent, sequential);
    assert_eq!(concurrent.len(), 2);
}

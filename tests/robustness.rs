//! Whatever a scenario author typed and whatever a device sends back, a run
//! ends: a clear error (exit 2 for scenario files, 3 for devices) or a
//! report, never a hang, never a panic (exit 101). Each case here once
//! hung, exploded or leaked.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{consentry_in, report, sim_serve};

/// Runs `consentry` in `dir`, killed (and the test failed) if it takes
/// longer than `limit`: a hang is a failure, not a stuck CI job.
fn run_bounded(dir: &Path, args: &[&str], limit: Duration) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(args)
        .current_dir(dir)
        .env("OMP_THREAD_LIMIT", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the consentry binary runs");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("waits").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let o = child.wait_with_output().expect("output");
            panic!(
                "consentry {args:?} did not finish within {limit:?}; stderr: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// A scenario file that must be refused: exit 2, a diagnostic naming the
/// file, line and column, nothing run.
fn refused(name: &str, yaml: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), yaml).unwrap();
    let o = run_bounded(
        dir.path(),
        &["run", name, "--out", "out", "-q"],
        Duration::from_secs(60),
    );
    let e = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "exit 2 for a bad scenario: {e}");
    assert!(e.starts_with(&format!("{name}:")), "names the file: {e}");
    assert!(!dir.path().join("out/report.json").exists(), "nothing ran");
    e
}

const HEAD: &str = "app:\n  package: com.example.compliantbank\nsteps:\n";

#[test]
fn a_one_byte_percent_file_is_refused_at_once() {
    let e = refused("pct.yaml", b"%");
    assert!(e.contains("error:"), "{e}");
    let e = refused("pct2.yaml", b"app:\n  package: com.x.y\n%YAML");
    assert!(e.contains("error:"), "{e}");
}

#[test]
fn an_alias_bomb_is_refused() {
    let mut y = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (i, c) in "bcdefghi".chars().enumerate() {
        let prev = (b'a' + i as u8) as char;
        y.push_str(&format!(
            "{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    assert!(y.len() < 1000);
    let e = refused("bomb.yaml", y.as_bytes());
    assert!(e.contains("aliases expand to more than"), "{e}");
}

#[test]
fn forty_thousand_steps_load() {
    let dir = tempfile::tempdir().unwrap();
    let mut y = String::from(HEAD);
    for _ in 0..40_000 {
        y.push_str("  - back\n");
    }
    write(dir.path(), "long.yaml", &y);
    let o = run_bounded(dir.path(), &["check", "long.yaml"], Duration::from_secs(30));
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stdout).contains("40000 steps"));
}

#[test]
fn infinite_and_huge_durations_are_scenario_errors() {
    let e = refused("inf.yaml", format!("{HEAD}  - wait: .inf\n").as_bytes());
    assert!(
        e.starts_with("inf.yaml:4:11: error: `wait` must be a duration"),
        "{e}"
    );
    let e = refused(
        "obs.yaml",
        format!("{HEAD}  - observe: {{duration: 1e20}}\n").as_bytes(),
    );
    assert!(e.contains("longer than 60 minutes"), "{e}");
    let e = refused(
        "wf.yaml",
        format!("{HEAD}  - wait_for: {{text: 首页, timeout: 99999999h}}\n").as_bytes(),
    );
    assert!(e.contains("error:"), "{e}");
}

#[test]
fn tap_coordinates_are_range_checked() {
    let e = refused(
        "tap.yaml",
        format!("{HEAD}  - tap: {{x: 4294967396, y: 10}}\n").as_bytes(),
    );
    assert!(
        e.starts_with("tap.yaml:4:14: error: `tap.x` must be between 0 and"),
        "{e}"
    );
}

#[test]
fn a_duplicate_key_is_refused_where_it_is() {
    let e = refused(
        "dup.yaml",
        b"app:\n  package: com.a.b\napp:\n  package: com.c.d\nsteps:\n  - back\n",
    );
    assert!(
        e.starts_with("dup.yaml:3:1: error: duplicate key `app`"),
        "{e}"
    );
    assert!(e.contains("line 1"), "{e}");
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bom.yaml", &format!("\u{feff}{HEAD}  - back\n"));
    let o = run_bounded(dir.path(), &["check", "bom.yaml"], Duration::from_secs(30));
    common::assert_exit(&o, 0);
}

#[test]
fn a_broken_symlink_in_a_folder_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let sc = dir.path().join("sc");
    std::fs::create_dir(&sc).unwrap();
    write(&sc, "ok.yaml", &format!("{HEAD}  - back\n"));
    std::os::unix::fs::symlink(sc.join("gone.yaml"), sc.join("linked.yaml")).unwrap();
    let o = run_bounded(dir.path(), &["check", "sc"], Duration::from_secs(30));
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.contains("linked.yaml"), "{e}");
}

#[test]
fn a_mistyped_package_ends_with_a_clear_message_not_a_hang() {
    // The default --jobs: several simulated workers, all with serial `sim`.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "typo.yaml",
        "app:\n  package: com.example.compliantbnak\n  activity: .SplashActivity\nsteps:\n  - launch\n",
    );
    write(dir.path(), "ok.yaml", &format!("{HEAD}  - back\n"));
    let o = run_bounded(
        dir.path(),
        &[
            "run",
            "typo.yaml",
            "ok.yaml",
            "--out",
            "out",
            "-q",
            "--jobs",
            "3",
        ],
        Duration::from_secs(120),
    );
    assert_eq!(o.status.code(), Some(3), "{o:?}");
    let r = report(&dir.path().join("out"));
    let runs = r["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    let typo = runs
        .iter()
        .find(|r| r["scenario"].as_str().unwrap().contains("typo"))
        .unwrap();
    assert_eq!(typo["status"], "infra_error");
    let err = typo["error"].as_str().unwrap();
    assert!(
        err.contains("app com.example.compliantbnak is not installed on sim; installed: com.example.compliantbank"),
        "{err}"
    );
    assert_eq!(r["complete"], true);
}

#[test]
fn budgets_end_a_greedy_scenario_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "greedy.yaml",
        &format!("{HEAD}  - launch\n  - observe: {{duration: 10m, interval: 10ms}}\n"),
    );
    let o = run_bounded(
        dir.path(),
        &["run", "greedy.yaml", "--out", "out", "-q"],
        Duration::from_secs(120),
    );
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let r = report(&dir.path().join("out"));
    let run = &r["runs"][0];
    assert_eq!(run["status"], "step_failed");
    let err = run["error"].as_str().unwrap();
    assert!(err.contains("run budget exceeded"), "{err}");
    assert!(err.contains("--min-interval"), "{err}");
    assert!(run["frames"].as_array().unwrap().len() < 10);
}

#[test]
fn kill_9_keeps_every_finished_scenario() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..6 {
        write(
            dir.path(),
            &format!("s{i}.yaml"),
            &format!("{HEAD}  - launch\n  - observe: {{duration: 4s, interval: 1s}}\n"),
        );
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(["run", ".", "--out", "out", "-q", "--jobs", "1"])
        .current_dir(dir.path())
        .env("OMP_THREAD_LIMIT", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = dir.path().join("out");
    let start = Instant::now();
    // Kill it as soon as one scenario is on disk, mid-way through the next.
    loop {
        let done = std::fs::read(out.join("report.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .map_or(0, |r| r["runs"].as_array().map_or(0, Vec::len));
        if done >= 1 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no scenario finished"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let r = report(&out);
    assert_eq!(r["complete"], false);
    let runs = r["runs"].as_array().unwrap();
    assert!(!runs.is_empty());
    for run in runs {
        assert_eq!(run["status"], "completed");
        assert!(!run["verdicts"].as_array().unwrap().is_empty());
    }
}

#[test]
fn a_typed_secret_is_never_written_and_is_hidden_on_screen() {
    const SECRET: &str = "Zq7Vt2Pw";
    let dir = tempfile::tempdir().unwrap();
    let steps = |ty: &str| {
        format!(
            "app:\n  package: com.example.compliantbank\n  activity: .SplashActivity\nclear_data: true\nsteps:\n  - launch\n  - agree\n  - tap: 转账\n  - tap: 请输入收款人\n  - type: {ty}\n  - wait: 1s\n"
        )
    };
    write(
        dir.path(),
        "secret.yaml",
        &steps("{secret: CONSENTRY_TEST_PASSWORD}"),
    );
    write(
        dir.path(),
        "inline.yaml",
        &steps(&format!("{{text: {SECRET}, secret: true}}")),
    );
    write(dir.path(), "plain.yaml", &steps(SECRET));
    let o = Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args([
            "run",
            "secret.yaml",
            "inline.yaml",
            "--out",
            "out",
            "--jobs",
            "1",
        ])
        .current_dir(dir.path())
        .env("OMP_THREAD_LIMIT", "1")
        .env("CONSENTRY_TEST_PASSWORD", SECRET)
        .env("CONSENTRY_LOG", "debug")
        .output()
        .unwrap();
    let out = dir.path().join("out");
    let logs = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!logs.contains(SECRET), "the secret is in the output");
    for f in ["report.json", "index.html", "junit.xml"] {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        assert!(!text.contains(SECRET), "the secret is in {f}");
    }
    let r = report(&out);
    let mut frames = Vec::new();
    for run in r["runs"].as_array().unwrap() {
        assert_eq!(run["status"], "completed", "{run}");
        frames.push(run["frames"].as_array().unwrap().last().unwrap().clone());
    }
    // The control: typed in the clear, the same frame shows it.
    let o = consentry_in(dir.path(), &["run", "plain.yaml", "--out", "plain", "-q"]);
    assert!(o.status.code().is_some());
    let plain = report(&dir.path().join("plain"));
    let plain_frame = plain["runs"][0]["frames"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    let shows = |frame: &serde_json::Value| {
        frame["texts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["text"].as_str().unwrap().contains(SECRET))
    };
    assert!(shows(&plain_frame), "the clear-text control shows the text");
    for f in &frames {
        assert!(!shows(f), "a secret frame's texts hold the secret");
    }
    // Reading the saved screenshots again finds no secret in them either.
    let mut p = consentry::perception::Perceiver::new().unwrap();
    let words = consentry::perception::Words::default();
    let read = |dir: &Path, f: &serde_json::Value, p: &mut consentry::perception::Perceiver| {
        let png = std::fs::read(dir.join(f["screenshot"].as_str().unwrap())).unwrap();
        consentry::screen::observe(p, &png, &[], &words)
            .unwrap()
            .texts
            .iter()
            .any(|t| t.text.contains(SECRET))
    };
    assert!(
        read(&dir.path().join("plain"), &plain_frame, &mut p),
        "OCR reads the clear text"
    );
    for f in &frames {
        assert!(
            !read(&out, f, &mut p),
            "OCR reads the secret in a saved screenshot"
        );
    }
}

#[test]
fn after_ctrl_c_a_failed_attempt_waiting_for_its_retry_is_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    // `a-typo` fails at once on one worker (not installed) and waits for
    // the other, which is busy with a long scenario when Ctrl-C comes.
    write(
        dir.path(),
        "a-typo.yaml",
        "app:\n  package: com.example.nosuchapp\nsteps:\n  - launch\n",
    );
    write(
        dir.path(),
        "b-long.yaml",
        &format!("{HEAD}  - launch\n  - observe: {{duration: 200s, interval: 1s}}\n"),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args([
            "run",
            "b-long.yaml",
            "a-typo.yaml",
            "--out",
            "out",
            "-q",
            "--jobs",
            "2",
        ])
        .current_dir(dir.path())
        .env("OMP_THREAD_LIMIT", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let frames = dir.path().join("out/frames/01-b-long");
    let start = Instant::now();
    while std::fs::read_dir(&frames).map_or(0, |d| d.count()) < 4 {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the long scenario never ran"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let ok = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "Ctrl-C did not end the run"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(3));
    let r = report(&dir.path().join("out"));
    let runs = r["runs"].as_array().unwrap();
    let typo = runs
        .iter()
        .find(|r| r["scenario"].as_str().unwrap().contains("a-typo"))
        .expect("the scenario with a failed attempt is in the report");
    assert_eq!(typo["status"], "interrupted");
    let failed = typo["failed_attempts"].as_array().unwrap();
    assert_eq!(failed.len(), 1);
    assert!(failed[0]["error"]
        .as_str()
        .unwrap()
        .contains("is not installed on sim"));
    let long = runs
        .iter()
        .find(|r| r["scenario"].as_str().unwrap().contains("b-long"))
        .unwrap();
    assert_eq!(long["status"], "interrupted");
}

#[test]
fn sim_serve_bounds_its_connections() {
    use std::io::Read;
    use std::net::TcpStream;
    let (mut sim, addr) = sim_serve(&[]);
    let held: Vec<TcpStream> = (0..16)
        .map(|_| TcpStream::connect(&addr).unwrap())
        .collect();
    // The 17th is closed at once instead of getting a thread of its own.
    let mut extra = TcpStream::connect(&addr).unwrap();
    extra
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut buf = [0u8; 1];
    assert_eq!(
        extra.read(&mut buf).unwrap(),
        0,
        "the connection over the cap is closed"
    );
    // One of the held ones leaves: a new one is served again (kept open).
    drop(held);
    std::thread::sleep(Duration::from_millis(300));
    let mut again = TcpStream::connect(&addr).unwrap();
    again
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let e = again.read(&mut buf).unwrap_err();
    assert!(matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    ));
    let _ = sim.kill();
    let _ = sim.wait();
}

#[test]
fn a_slow_command_does_not_hold_the_simulated_device() {
    let rig = common::Rig::start(&[&["--latency", "hierarchy=6s"]]);
    let serial = rig.serials[0].clone();
    let adb = |args: &[&str]| {
        Command::new("adb")
            .args(["-s", &serial])
            .args(args)
            .env("ANDROID_ADB_SERVER_PORT", rig.server_port.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut slow = adb(&["exec-out", "uiautomator", "dump", "/dev/tty"]);
    std::thread::sleep(Duration::from_millis(500));
    let quick = adb(&["shell", "getprop", "ro.product.model"])
        .wait_with_output()
        .unwrap();
    assert!(String::from_utf8_lossy(&quick.stdout).contains("consentry-sim"));
    assert!(
        slow.try_wait().unwrap().is_none(),
        "the quick command finished while the slow one still ran"
    );
    let out = slow.wait_with_output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("<hierarchy"));
}

#[test]
fn an_endless_screencap_stream_is_cut_at_its_cap() {
    use consentry::device::{adb, AndroidDevice, Device, DeviceError};
    use std::io::{Read, Write};
    // A fake adb server: the device `fake` is listed, and `screencap`
    // streams zeros without end.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut c) = conn else { continue };
            std::thread::spawn(move || {
                let request = |c: &mut std::net::TcpStream| -> Option<String> {
                    let mut len = [0u8; 4];
                    c.read_exact(&mut len).ok()?;
                    let n = usize::from_str_radix(std::str::from_utf8(&len).ok()?, 16).ok()?;
                    let mut body = vec![0u8; n];
                    c.read_exact(&mut body).ok()?;
                    Some(String::from_utf8_lossy(&body).into_owned())
                };
                while let Some(r) = request(&mut c) {
                    let reply = |c: &mut std::net::TcpStream, payload: &str| {
                        let _ =
                            c.write_all(format!("OKAY{:04x}{payload}", payload.len()).as_bytes());
                    };
                    if r == "host:devices" {
                        reply(&mut c, "fake\tdevice\n");
                        return;
                    } else if r == "host:version" {
                        reply(&mut c, "0029");
                        return;
                    } else if r.starts_with("host:transport:") {
                        let _ = c.write_all(b"OKAY");
                    } else {
                        let _ = c.write_all(b"OKAY");
                        let zeros = vec![0u8; 1 << 20];
                        while c.write_all(&zeros).is_ok() {}
                        return;
                    }
                }
            });
        }
    });
    let std::net::SocketAddr::V4(v4) = addr else {
        panic!("ipv4")
    };
    let t = adb::AdbTransport::connect(adb::AdbServer::new(v4), "fake")
        .unwrap()
        .with_timeout(Duration::from_secs(120));
    let mut dev = AndroidDevice::new(t);
    match dev.screenshot() {
        Err(DeviceError::Command { output, .. }) => {
            assert!(output.contains("more than 64 MiB"), "{output}")
        }
        other => panic!("expected the cap, got {:?}", other.map(|v| v.len())),
    }
}

#[test]
fn a_scenario_name_cannot_drive_the_terminal() {
    // Escape sequences, a carriage return and a right-to-left override in a
    // name are shown as escapes in every line printed, never obeyed.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "evil.yaml",
        &format!("name: \"evil\\e[2J\\rgone\\u202Eknab\"\n{HEAD}  - back\n"),
    );
    let o = run_bounded(
        dir.path(),
        &["run", "evil.yaml", "--out", "out"],
        Duration::from_secs(120),
    );
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.code().is_some_and(|c| c != 101), "{o:?}");
    for (which, text) in [("stdout", &out), ("stderr", &err)] {
        assert!(
            !text.contains(['\u{1b}', '\r', '\u{202e}']),
            "{which} passes a control character through: {text:?}"
        );
    }
    assert!(
        err.contains("evil\\u{1b}[2J\\u{d}gone\\u{202e}knab"),
        "the name is shown with its escapes: {err}"
    );
    // The report keeps the name as written: escaping is the terminal's business.
    let r = report(&dir.path().join("out"));
    assert_eq!(r["runs"][0]["name"], "evil\u{1b}[2J\rgone\u{202e}knab");
}

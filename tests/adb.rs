//! The real adb server (Debian's `adb`) in the loop: it connects to the
//! simulated device served by `consentry sim serve`, the adb command line
//! talks to it, and consentry's ADB driver runs the bundled scenarios
//! through it.

mod common;

use common::Rig;

trait One {
    fn serial(&self) -> String;
    fn shell(&self, cmd: &str) -> String;
}

impl One for Rig {
    fn serial(&self) -> String {
        self.serials[0].clone()
    }
    fn shell(&self, cmd: &str) -> String {
        let o = self.adb(&["-s", &self.serial(), "shell", cmd]);
        assert!(o.status.success(), "adb shell {cmd}: {o:?}");
        String::from_utf8(o.stdout).unwrap()
    }
}

#[test]
fn adb_command_line_talks_to_the_simulated_device() {
    let rig = Rig::start(&[&[]]);
    let list = String::from_utf8(rig.adb(&["devices", "-l"]).stdout).unwrap();
    assert!(
        list.contains(&format!("{} ", rig.serial())) && list.contains("model:consentry_sim"),
        "{list}"
    );
    assert_eq!(rig.shell("getprop ro.build.version.release").trim(), "13");

    let started = rig.shell("am start -n com.example.compliantbank/.SplashActivity");
    assert!(started.starts_with("Starting: Intent"), "{started}");
    let window = rig.shell("dumpsys window");
    let fg = consentry::device::parse::parse_foreground(window.as_bytes()).unwrap();
    assert_eq!(fg.activity, "com.example.compliantbank.SplashActivity");
    let pid: u32 = rig
        .shell("pidof com.example.compliantbank")
        .trim()
        .parse()
        .unwrap();

    let shot = rig.adb(&["-s", &rig.serial(), "exec-out", "screencap", "-p"]);
    let img = image::load_from_memory(&shot.stdout).expect("exec-out screencap -p gives a PNG");
    assert_eq!((img.width(), img.height()), (1080, 2400));

    // The raw framebuffer (no -p) holds the same pixels as the PNG.
    let raw = rig.adb(&["-s", &rig.serial(), "exec-out", "screencap"]);
    let raw_img =
        consentry::device::parse::parse_raw_screencap(&raw.stdout).expect("raw screencap parses");
    assert_eq!(raw_img, img.to_rgba8());

    let dump = rig.shell("uiautomator dump /dev/tty");
    assert!(dump
        .trim_end()
        .ends_with("UI hierchary dumped to: /dev/tty"));
    let nodes = consentry::device::parse::parse_hierarchy(dump.as_bytes()).unwrap();
    let agree = nodes
        .iter()
        .find(|n| n.text == "同意并继续")
        .expect("the dialog's agree button is in the hierarchy");

    let (x, y) = agree.bounds.center();
    assert_eq!(rig.shell(&format!("input tap {x} {y}")), "");
    let ops = rig.shell("cmd appops get com.example.compliantbank");
    assert!(
        ops.starts_with("COARSE_LOCATION: allow; time=+"),
        "agreeing let the app use location: {ops}"
    );
    let home =
        consentry::device::parse::parse_foreground(rig.shell("dumpsys window").as_bytes()).unwrap();
    assert_eq!(home.activity, "com.example.compliantbank.MainActivity");

    assert_eq!(rig.shell("am force-stop com.example.compliantbank"), "");
    assert_eq!(
        rig.shell("pidof com.example.compliantbank"),
        "",
        "no process after force-stop (was {pid})"
    );
    assert_eq!(
        rig.shell("pm clear com.example.compliantbank").trim(),
        "Success"
    );
    assert_eq!(
        rig.shell("cmd appops get com.example.compliantbank").trim(),
        "No operations."
    );

    let deep = rig.shell(
        "am start -a android.intent.action.VIEW -d 'weixin://dl/business/?appid=wxd0c0ffee'",
    );
    assert!(
        deep.starts_with("Starting: Intent { act=android.intent.action.VIEW"),
        "{deep}"
    );
    let fg = consentry::device::parse::parse_foreground(
        rig.shell("dumpsys activity activities").as_bytes(),
    )
    .unwrap();
    assert_eq!(fg.activity, "com.tencent.mm.plugin.appbrand.ui.AppBrandUI");
    rig.shell("input keyevent 4");
    assert!(rig.shell("nosuchcommand").contains("not found"));
}

#[test]
fn every_bundled_scenario_gives_the_same_verdicts_through_adb() {
    // The suite runs through adb twice, each time on two freshly served
    // devices (a run leaves newer builds installed): a frame's reads all
    // at once (the default) and one after another.
    let rig = Rig::start(&[&[], &[]]);
    let fresh = Rig::start(&[&[], &[]]);
    let dir = tempfile::tempdir().unwrap();
    let (concurrent, sequential, in_process) = (
        dir.path().join("adb"),
        dir.path().join("adb-seq"),
        dir.path().join("sim"),
    );
    for (out, how, rig) in [
        (&concurrent, "concurrent", &rig),
        (&sequential, "sequential", &fresh),
    ] {
        let o = common::consentry(&[
            "run",
            "scenarios",
            "--devices",
            "all",
            "--adb-server",
            &rig.server(),
            "--frame-reads",
            how,
            "--out",
            out.to_str().unwrap(),
            "-q",
        ]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{how}: {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let o = common::consentry(&[
        "run",
        "scenarios",
        "--device",
        "sim",
        "--out",
        in_process.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let (a, s, b) = (
        common::statuses(&concurrent),
        common::statuses(&sequential),
        common::statuses(&in_process),
    );
    assert_eq!(a, common::demo_expected(&common::all_rules()));
    assert_eq!(
        a, b,
        "verdicts through adb differ from the in-process simulated device"
    );
    assert_eq!(
        s, a,
        "verdicts with a frame's reads one after another differ from reads at once"
    );
    let r = common::report(&concurrent);
    let device = r["runs"][0]["device"].as_str().unwrap();
    assert!(rig.serials.iter().any(|s| s == device), "{device}");
    assert_eq!(r["runs"][0]["device_info"]["model"], "consentry-sim");
}

#[test]
fn a_device_lost_mid_run_exits_3_and_keeps_what_finished() {
    let rig = Rig::start(&[&["--drop-after", "100"]]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let o = common::consentry(&[
        "run",
        "scenarios/consent/no-refuse.yaml",
        "scenarios/consent/policy-deep.yaml",
        "--device",
        &rig.serial(),
        "--adb-server",
        &rig.server(),
        "--command-timeout",
        "10",
        "--screencap",
        "raw",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(3),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("DEVICE ERROR"), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "device {} is offline or disconnected",
            rig.serial()
        )) || stdout.contains("no device"),
        "{stdout}"
    );
    let r = common::report(&out);
    let runs = r["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(
        runs[0]["status"], "completed",
        "the scenario that finished before the loss is kept"
    );
    assert_eq!(runs[0]["verdicts"].as_array().unwrap().len(), 4);
    assert_eq!(
        runs[0]["verdicts"][0]["status"], "fail",
        "raw screenshots read as well as PNGs: no refuse button"
    );
    assert_eq!(runs[1]["status"], "infra_error");
    // With its only device gone, the scenario could not be retried: the
    // cut-short attempt and its frames are kept.
    let attempt = &runs[1]["failed_attempts"][0];
    assert_eq!(attempt["device"], rig.serial().as_str());
    assert!(
        !attempt["frames"].as_array().unwrap().is_empty(),
        "frames captured before the loss are kept"
    );
    assert!(
        runs[1]["error"]
            .as_str()
            .unwrap()
            .contains("no healthy device"),
        "{}",
        runs[1]["error"]
    );
    assert!(stdout.contains("PUT ASIDE"), "{stdout}");
    assert!(out.join("index.html").is_file() && out.join("junit.xml").is_file());
}

#[test]
fn no_adb_server_or_unknown_device_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let port = common::free_port();
    // Nothing may start a server on its own: not on the port asked for, and
    // not on adb's default port either (a tester's own server lives there).
    let default_free = std::net::TcpStream::connect("127.0.0.1:5037").is_err();
    let o = common::consentry(&[
        "run",
        "scenarios/consent/no-refuse.yaml",
        "--device",
        "emulator-5554",
        "--adb-server",
        &format!("127.0.0.1:{port}"),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cannot reach the adb server") && err.contains("adb start-server"),
        "{err}"
    );
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
    if default_free {
        assert!(
            std::net::TcpStream::connect("127.0.0.1:5037").is_err(),
            "an adb server was started on the default port"
        );
    }

    let rig = Rig::start(&[&[]]);
    let o = common::consentry(&[
        "run",
        "scenarios/consent/no-refuse.yaml",
        "--device",
        "emulator-5554",
        "--adb-server",
        &rig.server(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no device `emulator-5554`") && err.contains(&rig.serial()),
        "{err}"
    );
}

/// A new build goes onto the device through the real adb server both ways:
/// a package file streamed as `adb install -r` does (`cmd package install
/// -S SIZE` with the file on the stream; on the simulated device the file
/// is an app model), and a simulated model's version.
#[test]
fn a_new_build_is_installed_through_the_adb_server() {
    let dir = "tests/fixtures/section7";
    let (v1, v2) = (
        format!("{dir}/update-app.yaml"),
        format!("{dir}/update-app-v2.yaml"),
    );
    let rig = Rig::start(&[&["--app", &v1, "--app", &v2]]);
    let out = tempfile::tempdir().unwrap();
    let o = common::consentry(&[
        "run",
        // One device, in this order: version 2 first, then the file of
        // version 3 (installing 2 over 3 would be a downgrade).
        &format!("{dir}/update-asks.yaml"),
        &format!("{dir}/update-silent.yaml"),
        "--device",
        &rig.serial(),
        "--adb-server",
        &rig.server(),
        "--out",
        out.path().to_str().unwrap(),
        "-q",
    ]);
    common::assert_exit(&o, 1);
    let got = common::statuses(out.path());
    assert!(
        got.contains(&(
            "update-silent".into(),
            "reconsent-on-change".into(),
            "fail".into()
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "update-asks".into(),
            "reconsent-on-change".into(),
            "pass".into()
        )),
        "{got:?}"
    );
    let text = common::report(out.path()).to_string();
    assert!(
        text.contains("the first launch of update-app-v3.yaml, whose processing rules changed, went straight to the app"),
        "{text}"
    );
}

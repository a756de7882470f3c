//! What a frame costs on a phone, through the real adb server, read one
//! command after another (`--frame-reads sequential`) and all at once (the
//! default): the simulated device is served at a phone's latencies, so
//! the figures are the ones a real phone would show. Needs Debian's `adb`.
//!
//! `cargo bench --bench adb` prints
//! - each read of a frame alone, the slowest of them, a frame read
//!   sequentially and concurrently, and their ratios;
//! - an unchanged frame (nothing done since the last: an `observe` loop,
//!   a wait) against a screenshot alone;
//! - scenarios run through adb both ways: wall time and whether their
//!   verdicts agree.
//!
//! `ADB_BENCH_LATENCY` sets the phone's model (default [`PHONE`]),
//! `ADB_BENCH_SCENARIOS` the scenarios (comma-separated names under
//! scenarios/, default [`SCENARIOS`]; `none` skips them).

mod common;

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use consentry::device::adb::AdbTransport;
use consentry::device::{AndroidDevice, Device, FrameAsk, Key, LaunchTarget, Reads, Screencap};
use consentry::session::{self, DeviceSpec, Plan};

/// A phone's latency per command: a mid-range phone compresses a PNG
/// screenshot in about 0.4 s and dumps its view hierarchy in 1–2 s; the
/// other commands start a small program on the phone (~80 ms).
const PHONE: &str = "screencap=400ms,hierarchy=1500ms,other=80ms";

/// Scenarios of every kind of step: an observe loop (popup-loop), taps
/// and back presses (no-refuse, exit-on-refuse), a mini program, waits.
const SCENARIOS: &str = "consent/popup-loop,consent/no-refuse,consent/exit-on-refuse,consent/wechat-miniprogram,data-access/frequent-location";

const PACKAGE: &str = "com.example.compliantbank";

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median seconds `f` takes over `n` rounds, after `before` each round.
fn time(
    dev: &mut dyn Device,
    n: usize,
    before: &mut dyn FnMut(&mut dyn Device, usize),
    f: &mut dyn FnMut(&mut dyn Device),
) -> f64 {
    let mut v = Vec::new();
    for i in 0..n {
        before(dev, i);
        let t = Instant::now();
        f(dev);
        v.push(t.elapsed().as_secs_f64());
    }
    median(v)
}

/// Starts the compliant bank, agrees, and returns where 我的 is: walking
/// 我的 ⇄ back gives frames that differ from the last.
fn open_bank(dev: &mut dyn Device) -> (i32, i32) {
    dev.clear_data(PACKAGE).unwrap();
    dev.launch(&LaunchTarget::Component {
        package: PACKAGE.into(),
        activity: ".SplashActivity".into(),
    })
    .unwrap();
    let nodes = dev.hierarchy().unwrap();
    let agree = nodes
        .iter()
        .find(|n| n.text == "同意并继续")
        .expect("the consent prompt")
        .bounds
        .center();
    dev.tap(agree.0, agree.1).unwrap();
    let after = dev.hierarchy().unwrap();
    after
        .iter()
        .find(|n| n.text == "我的")
        .map(|n| n.bounds.center())
        .expect("我的 after agreeing")
}

fn main() {
    let Some((server, adb_port)) = common::start_adb_server() else {
        return;
    };
    let model = std::env::var("ADB_BENCH_LATENCY").unwrap_or_else(|_| PHONE.into());
    let latency = consentry::sim::Latency::parse(&model).expect("ADB_BENCH_LATENCY");
    let serial = common::serve_sim(&server, &latency);
    println!("the simulated device behind the real adb server, at a phone's latencies: {model}");

    let connect = || AdbTransport::connect(server.clone(), &serial).unwrap();
    let mut today = AndroidDevice::new(connect())
        .with_reads(Reads::Sequential)
        .with_screencap(Screencap::Png);
    let mut now = AndroidDevice::new(connect());
    let ask = FrameAsk {
        package: PACKAGE,
        appops: true,
        hierarchy: true,
    };
    const N: usize = 7;
    let mine = open_bank(&mut today);
    let mut change = move |d: &mut dyn Device, i: usize| {
        if i.is_multiple_of(2) {
            d.tap(mine.0, mine.1).unwrap();
        } else {
            d.key(Key::Back).unwrap();
        }
    };
    let mut nothing = |_: &mut dyn Device, _: usize| {};
    // Each read alone.
    let reads: [(&str, f64); 5] = [
        (
            "screencap -p",
            time(&mut today, N, &mut nothing, &mut |d| {
                d.screenshot().unwrap();
            }),
        ),
        (
            "uiautomator dump",
            time(&mut today, N, &mut nothing, &mut |d| {
                d.hierarchy().unwrap();
            }),
        ),
        (
            "dumpsys window (focus)",
            time(&mut today, N, &mut nothing, &mut |d| {
                d.foreground().unwrap();
            }),
        ),
        (
            "pidof",
            time(&mut today, N, &mut nothing, &mut |d| {
                d.pid(PACKAGE).unwrap();
            }),
        ),
        (
            "cmd appops get",
            time(&mut today, N, &mut nothing, &mut |d| {
                d.appops(PACKAGE).unwrap();
            }),
        ),
    ];
    let slowest = reads.iter().map(|r| r.1).fold(0.0, f64::max);
    let sequential = time(&mut today, N, &mut change, &mut |d| {
        d.read_frame(&ask).unwrap();
    });
    let concurrent = time(&mut now, N, &mut change, &mut |d| {
        d.read_frame(&ask).unwrap();
    });
    // An unchanged frame: the screenshot with focus, process and app-ops,
    // no dump (the runner reuses the last frame's hierarchy and reading).
    let still_ask = FrameAsk {
        hierarchy: false,
        ..ask
    };
    let still = time(&mut now, N, &mut nothing, &mut |d| {
        d.read_frame(&still_ask).unwrap();
    });
    let shot = time(&mut now, N, &mut nothing, &mut |d| {
        d.screenshot().unwrap();
    });
    println!("\none frame's reads (median of {N}, ms)");
    for (name, t) in &reads {
        println!("  {name:<28} {:>8.0}", t * 1000.0);
    }
    println!("  {:<28} {:>8.0}", "slowest single read", slowest * 1000.0);
    println!(
        "  {:<28} {:>8.0}   {:.2}x the slowest read",
        "frame, sequential (before)",
        sequential * 1000.0,
        sequential / slowest
    );
    println!(
        "  {:<28} {:>8.0}   {:.2}x the slowest read, {:.2}x faster than sequential",
        "frame, concurrent (now)",
        concurrent * 1000.0,
        concurrent / slowest,
        sequential / concurrent
    );
    println!(
        "  {:<28} {:>8.0}   {:.2}x a screenshot alone ({:.0} ms, screencap chosen: {:?})",
        "unchanged frame",
        still * 1000.0,
        still / shot,
        shot * 1000.0,
        now.screencap_mode()
    );

    let names = std::env::var("ADB_BENCH_SCENARIOS").unwrap_or_else(|_| SCENARIOS.into());
    if names == "none" {
        return;
    }
    let scenarios: Vec<_> = names
        .split(',')
        .map(|n| {
            let path = format!("scenarios/{}.yaml", n.trim());
            let src = std::fs::read_to_string(&path).expect("a scenario under scenarios/");
            consentry::scenario::parse(Path::new(&path), &src).unwrap()
        })
        .collect();
    println!(
        "\n{} scenarios through adb at these latencies",
        scenarios.len()
    );
    let mut results = Vec::new();
    for (label, reads, screencap) in [
        ("sequential (before)", Reads::Sequential, Screencap::Png),
        ("concurrent (now)", Reads::Concurrent, Screencap::Auto),
    ] {
        // A fresh device each time: no app state carries over.
        let serial = common::serve_sim(&server, &latency);
        let tmp = tempfile::tempdir().unwrap();
        let plan = Plan {
            devices: vec![DeviceSpec::Adb {
                server: server.clone(),
                serial,
                timeout: Duration::from_secs(60),
                screencap,
                reads,
                lock_wait: Duration::from_secs(120),
            }],
            ..Plan::sim(scenarios.clone(), tmp.path().to_path_buf(), 1)
        };
        let t = Instant::now();
        let report = session::execute(&plan, &AtomicBool::new(false), &|_| {}).unwrap();
        let wall = t.elapsed().as_secs_f64();
        let frames: usize = report.runs.iter().map(|r| r.frames.len()).sum();
        let verdicts: Vec<_> = report
            .runs
            .iter()
            .flat_map(|r| {
                r.verdicts
                    .iter()
                    .map(move |v| (r.name.clone(), v.rule, v.status))
            })
            .collect();
        println!(
            "  {label:<22} {wall:>7.1} s, {frames} frames, {:.2} s a frame",
            wall / frames.max(1) as f64
        );
        results.push((wall, verdicts));
    }
    println!(
        "  concurrent reads take {:.2}x the sequential wall time; verdicts {}",
        results[1].0 / results[0].0,
        if results[0].1 == results[1].1 {
            "identical"
        } else {
            "DIFFER"
        }
    );
    common::stop_adb_server(adb_port);
}

//! One scenario step through the real adb server against the in-process
//! simulated device, and where its time goes. Needs Debian's `adb`.
//!
//! `cargo bench --bench adb`

use std::net::TcpListener;
use std::process::Command;
use std::time::{Duration, Instant};

use consentry::device::adb::{AdbServer, AdbTransport};
use consentry::device::{AndroidDevice, Device, Key, LaunchTarget, Screencap};
use consentry::perception::{Perceiver, Words};

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Median milliseconds of each part of a step: tap, screencap, hierarchy,
/// focus + process + app-ops, OCR of the (new) frame.
fn step_parts(dev: &mut dyn Device, perceiver: &mut Perceiver) -> [f64; 5] {
    dev.clear_data("com.example.compliantbank").unwrap();
    dev.launch(&LaunchTarget::Component {
        package: "com.example.compliantbank".into(),
        activity: ".SplashActivity".into(),
    })
    .unwrap();
    // Agree once, then walk 我的 ⇄ back: every frame differs from the last.
    let nodes = dev.hierarchy().unwrap();
    let agree = nodes
        .iter()
        .find(|n| n.text == "同意并继续")
        .unwrap()
        .bounds
        .center();
    dev.tap(agree.0, agree.1).unwrap();
    let after = dev.hierarchy().unwrap();
    let Some(mine) = after
        .iter()
        .find(|n| n.text == "我的")
        .map(|n| n.bounds.center())
    else {
        panic!(
            "no 我的 after agreeing on {}: {:?}",
            dev.serial(),
            after.iter().map(|n| n.text.clone()).collect::<Vec<_>>()
        );
    };
    let mut parts: [Vec<Duration>; 5] = Default::default();
    for i in 0..12 {
        let t = Instant::now();
        if i % 2 == 0 {
            dev.tap(mine.0, mine.1).unwrap();
        } else {
            dev.key(Key::Back).unwrap();
        }
        parts[0].push(t.elapsed());
        let t = Instant::now();
        let png = dev.screenshot().unwrap();
        parts[1].push(t.elapsed());
        let t = Instant::now();
        let nodes = dev.hierarchy().unwrap();
        parts[2].push(t.elapsed());
        let t = Instant::now();
        dev.foreground().unwrap();
        dev.pid("com.example.compliantbank").unwrap();
        dev.appops("com.example.compliantbank").unwrap();
        parts[3].push(t.elapsed());
        let t = Instant::now();
        // A fresh perceiver per frame measures OCR of a new frame, not the cache.
        if i < 4 {
            consentry::screen::observe(perceiver, &png, &nodes, &Words::default()).unwrap();
            parts[4].push(t.elapsed());
        }
        let _ = &perceiver;
    }
    parts.map(median)
}

fn main() {
    let adb_port = free_port();
    let ok = Command::new("adb")
        .arg("start-server")
        .env("ANDROID_ADB_SERVER_PORT", adb_port.to_string())
        .status();
    if !ok.is_ok_and(|s| s.success()) {
        eprintln!("adb is not installed: apt-get install adb");
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let apps = consentry::sim::bundled_apps().unwrap();
    let sim =
        consentry::sim::Sim::new(&addr.to_string(), apps, consentry::sim::Clock::Real).unwrap();
    std::thread::spawn(move || consentry::sim::adbd::serve(listener, sim, Default::default()));
    let server = AdbServer::new(format!("127.0.0.1:{adb_port}").parse().unwrap());
    server.connect(format!("{addr}").parse().unwrap()).unwrap();
    std::thread::sleep(Duration::from_millis(500));

    let mut perceiver = Perceiver::new().expect("tesseract");
    let mut in_process = consentry::sim::sim_device("sim", Vec::new()).unwrap();
    let base = step_parts(&mut in_process, &mut Perceiver::new().unwrap());
    let mut via_adb =
        AndroidDevice::new(AdbTransport::connect(server.clone(), &addr.to_string()).unwrap());
    let adb = step_parts(&mut via_adb, &mut perceiver);
    let mut raw =
        AndroidDevice::new(AdbTransport::connect(server.clone(), &addr.to_string()).unwrap())
            .with_screencap(Screencap::Raw);
    let adb_raw = step_parts(&mut raw, &mut Perceiver::new().unwrap());

    let names = [
        "tap / back",
        "screencap",
        "hierarchy dump",
        "focus + pid + appops",
        "OCR of a new frame",
    ];
    println!("one step (median ms)          in-process   via adb   via adb, raw screencap");
    for i in 0..5 {
        println!(
            "  {:<26} {:>10.1} {:>9.1} {:>9.1}",
            names[i], base[i], adb[i], adb_raw[i]
        );
    }
    let (b, a, r): (f64, f64, f64) = (base.iter().sum(), adb.iter().sum(), adb_raw.iter().sum());
    println!("  {:<26} {:>10.1} {:>9.1} {:>9.1}", "whole step", b, a, r);
    println!("a step through adb costs {:.2}x the in-process step ({:.2}x with raw screencap); device I/O is {:.0}% of it, OCR {:.0}%", a / b, r / b, (a - adb[4]) / a * 100.0, adb[4] / a * 100.0);
    let _ = Command::new("adb")
        .arg("kill-server")
        .env("ANDROID_ADB_SERVER_PORT", adb_port.to_string())
        .status();
}

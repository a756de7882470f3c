//! Throughput of a suite on 1, 2, 4 and 8 simulated devices behind the real
//! adb server, each as slow as a real phone (screencap 300 ms, hierarchy
//! dump 1 s), against 1 device. Needs Debian's `adb`.
//!
//! `cargo bench --bench farm`

mod common;

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use consentry::device::adb::AdbServer;
use consentry::session::{self, DeviceSpec, Plan};

/// Serves `n` simulated devices and connects them to the adb server.
fn start_devices(server: &AdbServer, latency: &consentry::sim::Latency, n: usize) -> Vec<String> {
    (0..n).map(|_| common::serve_sim(server, latency)).collect()
}

fn main() {
    let Some((server, port)) = common::start_adb_server() else {
        return;
    };
    let latency = consentry::cli::parse_latency("screencap=300ms,hierarchy=1s,other=15ms").unwrap();
    // The suite: two copies of the bundled scenarios but the two longest,
    // so that 8 devices have work for more than one round and no single
    // long scenario bounds the run.
    let scenarios: Vec<_> = (1..=2)
        .flat_map(|copy| {
            consentry::BUNDLED_SCENARIOS
                .iter()
                // The consent examples, as the bench was first measured on.
                .filter(|(n, _)| n.starts_with("consent/"))
                .filter(|(n, _)| {
                    !n.ends_with("policy-deep.yaml") && !n.ends_with("popup-loop.yaml")
                })
                .map(move |(n, src)| {
                    consentry::scenario::parse(
                        Path::new(&format!("copy{copy}-{}", n.replace('/', "-"))),
                        src,
                    )
                    .unwrap()
                })
        })
        .collect();
    println!("suite: {} scenarios; device latency: screencap 300 ms, hierarchy 1 s, other commands 15 ms", scenarios.len());
    let mut base = None;
    // FARM_DEVICES=8 measures one configuration; FARM_OUT keeps its reports.
    let counts: Vec<usize> = std::env::var("FARM_DEVICES")
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|_| vec![1, 2, 4, 8]);
    let mut durations = std::collections::HashMap::new();
    for n in counts {
        // Fresh devices for each configuration: no app state carries over.
        let serials = start_devices(&server, &latency, n);
        let tmp = tempfile::tempdir().unwrap();
        let out_dir = std::env::var("FARM_OUT")
            .map(|o| Path::new(&o).join(format!("{n}")))
            .unwrap_or_else(|_| tmp.path().to_path_buf());
        let devices = serials
            .iter()
            .map(|s| DeviceSpec::Adb {
                server: server.clone(),
                serial: s.clone(),
                timeout: Duration::from_secs(60),
                screencap: Default::default(),
                reads: Default::default(),
                lock_wait: Duration::from_secs(120),
            })
            .collect();
        // Like a nightly run, later runs know each scenario's duration from
        // the first and start the longest first.
        let plan = Plan {
            devices,
            durations: durations.clone(),
            ..Plan::sim(scenarios.clone(), out_dir, 1)
        };
        let t = Instant::now();
        let trace = std::env::var_os("FARM_TRACE").is_some();
        let report = session::execute(&plan, &AtomicBool::new(false), &|p| {
            if trace && !matches!(p, session::Progress::Step { .. }) {
                let what = match &p {
                    session::Progress::Finished { device, run, .. } => {
                        format!("finished {} on {device}", run.name)
                    }
                    other => format!("{other:?}"),
                };
                eprintln!("{:>7.1}s {what}", t.elapsed().as_secs_f64());
            }
        })
        .unwrap();
        if trace {
            eprintln!("{:>7.1}s execute returned", t.elapsed().as_secs_f64());
        }
        let wall = t.elapsed().as_secs_f64();
        if durations.is_empty() {
            durations = session::durations_from(&report);
        }
        let frames: usize = report.runs.iter().map(|r| r.frames.len()).sum();
        let throughput = frames as f64 / wall;
        let b = *base.get_or_insert(throughput);
        println!("{n} device{}: {wall:>6.1} s, {frames} frames, {throughput:.2} frames/s, {:.2}x one device", if n == 1 { " " } else { "s" }, throughput / b);
    }
    common::stop_adb_server(port);
}

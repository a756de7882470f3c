//! Per-frame perception cost and the demo's wall time. Prints figures and
//! their ratios against a baseline measured in the same run (decoding the
//! same PNG), since absolute times on shared machines are noise.
//!
//! `cargo bench --bench perception`

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use consentry::device::{Device, LaunchTarget};
use consentry::perception::Perceiver;
use consentry::session::{self, Plan};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    // Distinct frames: each app's first-launch consent dialog.
    let mut frames = Vec::new();
    for (pkg, act) in [
        ("com.example.compliantbank", ".SplashActivity"),
        ("com.example.vagueagree", ".SplashActivity"),
        ("com.example.prechecked", ".SplashActivity"),
        ("com.example.norefuse", ".SplashActivity"),
        ("com.example.popuploop", ".SplashActivity"),
    ] {
        let mut dev = consentry::sim::sim_device("bench", Vec::new()).expect("simulated device");
        dev.launch(&LaunchTarget::Component {
            package: pkg.into(),
            activity: act.into(),
        })
        .expect("launch");
        frames.push(dev.screenshot().expect("screenshot"));
    }

    let decode: Vec<Duration> = (0..10)
        .map(|i| {
            let t = Instant::now();
            let img = image::load_from_memory(&frames[i % frames.len()]).expect("png");
            std::hint::black_box(img);
            t.elapsed()
        })
        .collect();
    let decode = median(decode);

    let mut p = Perceiver::new().expect("tesseract with chi_sim+eng installed");
    let mut new_frame = Vec::new();
    for f in &frames {
        let t = Instant::now();
        let (lines, cached) = p.ocr_png(f).expect("ocr");
        assert!(!cached && !lines.is_empty());
        new_frame.push(t.elapsed());
    }
    let new_frame = median(new_frame);
    let mut hit = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        let (_, cached) = p.ocr_png(&frames[0]).expect("ocr");
        assert!(cached);
        hit.push(t.elapsed());
    }
    let hit = median(hit);

    println!("perception, per 1080x2400 frame (median):");
    println!("  decode PNG (baseline)      {:>9.2} ms   1.0x", ms(decode));
    println!(
        "  OCR of a new frame         {:>9.2} ms   {:.1}x baseline",
        ms(new_frame),
        ms(new_frame) / ms(decode)
    );
    println!("  OCR of an unchanged frame  {:>9.3} ms   {:.3}x baseline ({:.0}x cheaper than a new frame)", ms(hit), ms(hit) / ms(decode), ms(new_frame) / ms(hit));

    // The whole demo, with 1 and 2 workers.
    let scenarios: Vec<_> = consentry::BUNDLED_SCENARIOS
        .iter()
        .map(|(name, src)| {
            consentry::scenario::parse(Path::new(name), src).expect("bundled scenario parses")
        })
        .collect();
    let mut walls = Vec::new();
    for jobs in [1, 2] {
        let out = tempfile::tempdir().expect("temp dir");
        let plan = Plan::sim(scenarios.clone(), out.path().to_path_buf(), jobs);
        let cancel = AtomicBool::new(false);
        let t = Instant::now();
        let report = session::execute(&plan, &cancel, &|_| {}).expect("demo runs");
        let wall = t.elapsed();
        let frames: usize = report.runs.iter().map(|r| r.frames.len()).sum();
        walls.push(wall);
        if jobs == 1 {
            // Writing the reports for the whole demo (report.json, index.html,
            // junit.xml), against the run itself.
            let t = Instant::now();
            for _ in 0..5 {
                report.write_all(out.path()).expect("reports written");
            }
            let write = t.elapsed() / 5;
            println!(
                "reports for the demo (json + html + junit): {:.1} ms, {:.4}x the 1-worker run",
                ms(write),
                write.as_secs_f64() / wall.as_secs_f64()
            );
        }
        println!(
            "demo, {jobs} worker{}: {:>6.2} s for {} scenarios, {frames} frames ({:.0} ms per frame){}",
            if jobs == 1 { " " } else { "s" },
            wall.as_secs_f64(),
            report.runs.len(),
            ms(wall) / frames as f64,
            if jobs == 1 { String::new() } else { format!("; {:.2}x the 1-worker throughput", walls[0].as_secs_f64() / wall.as_secs_f64()) }
        );
    }
}

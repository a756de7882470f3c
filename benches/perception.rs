//! What a new frame costs to read, per OCR engine, on the same frames in
//! one run: PP-OCR (consentry's default), consentry's tesseract engine, and
//! the tesseract CLI (`OMP_THREAD_LIMIT=1 tesseract IMG - -l chi_sim+eng`)
//! as the baseline. Frames: the demo's distinct screenshots and the real
//! screenshots in tests/fixtures/realdata.
//!
//! - isolated: every frame read as if it were the first (no recognised line
//!   cached), engine loaded once;
//! - stream: each demo scenario's frames in order through one engine, as a
//!   worker reads them: unchanged frames cost a hash, recognised lines are
//!   cached by their crop's pixels; figures are per new frame (a frame whose
//!   bytes differ from every frame the worker saw before).
//!
//! Each engine runs in its own child process, so its peak memory (VmHWM) is
//! that of one worker. Also prints the demo's wall time with 1 and 2 workers,
//! where PP-OCR's time goes (detector, recognizer, the rest) and the load
//! average (the figures are only comparable within one run).
//!
//! `cargo bench --bench perception` (`PERCEPTION_BENCH_KEEP=DIR` keeps the
//! frames and their lists in DIR).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use consentry::perception::ppocr::{PpOcr, RecStats};
use consentry::perception::{OcrEngine, Tesseract};
use consentry::session::{self, Plan};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Peak resident memory of this process, in MB.
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Peak resident memory of the largest child process that ended, in MB.
fn children_peak_mb() -> f64 {
    // SAFETY: getrusage fills a plain struct we own.
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) == 0 {
            u.ru_maxrss as f64 / 1024.0
        } else {
            f64::NAN
        }
    }
}

/// The frames: `isolated` (distinct pictures) and `streams` (each demo
/// scenario's frames in order), all as files.
struct Frames {
    isolated: Vec<PathBuf>,
    streams: Vec<Vec<PathBuf>>,
}

fn list(dir: &Path) -> Frames {
    let read = |p: &Path| std::fs::read_to_string(p).expect("frame list");
    let isolated = read(&dir.join("isolated.txt"))
        .lines()
        .map(PathBuf::from)
        .collect();
    let streams = read(&dir.join("streams.txt"))
        .lines()
        .map(|l| l.split('\t').map(PathBuf::from).collect())
        .collect();
    Frames { isolated, streams }
}

/// One engine, in this (child) process: prints `isolated_ms new_frames
/// stream_ms stream_new peak_mb`.
fn child(engine: &str, dir: &Path) {
    let f = list(dir);
    // Decoded one at a time: a worker holds one frame, not all of them.
    let decode = |p: &Path| image::open(p).expect("frame").to_rgba8();
    let mut iso = Duration::ZERO;
    let mut stream = Duration::ZERO;
    let mut stream_new = 0usize;
    let mut iso_stats = None;
    match engine {
        "cli" => {
            let run = |p: &Path| {
                let o = Command::new("tesseract")
                    .arg(p)
                    .arg("-")
                    .args(["-l", "chi_sim+eng"])
                    .env("OMP_THREAD_LIMIT", "1")
                    .output()
                    .expect("the tesseract CLI runs (apt-get install tesseract-ocr)");
                assert!(
                    o.status.success(),
                    "tesseract CLI failed on {}",
                    p.display()
                );
            };
            for p in &f.isolated {
                let t = Instant::now();
                run(p);
                iso += t.elapsed();
            }
            // New frames as a worker sees them (its frame cache outlives a
            // scenario); the CLI has no cache, so each new frame is read whole.
            let mut seen = HashSet::new();
            for s in &f.streams {
                for p in s {
                    let bytes = std::fs::read(p).expect("frame");
                    if seen.insert(blake3::hash(&bytes)) {
                        let t = Instant::now();
                        run(p);
                        stream += t.elapsed();
                        stream_new += 1;
                    }
                }
            }
            println!(
                "{} {} {} {} {}",
                ms(iso),
                f.isolated.len(),
                ms(stream),
                stream_new,
                children_peak_mb()
            );
            return;
        }
        "ppocr" => {
            let mut e = PpOcr::new().expect("PP-OCR installed (scripts/install-deps)");
            for p in &f.isolated {
                let img = decode(p);
                // Nothing recognised before.
                e.forget();
                let t = Instant::now();
                let lines = e.read(&img).expect("ocr");
                iso += t.elapsed();
                std::hint::black_box(lines);
            }
            iso_stats = Some(e.stats);
        }
        _ => {
            let mut e = Tesseract::new().expect("tesseract chi_sim+eng installed");
            for p in &f.isolated {
                let img = decode(p);
                let t = Instant::now();
                let lines = OcrEngine::read(&mut e, &img).expect("ocr");
                iso += t.elapsed();
                std::hint::black_box(lines);
            }
        }
    }
    // The stream: one worker's perceiver per scenario run, as the runner does.
    let kind = if engine == "ppocr" {
        consentry::perception::OcrKind::Ppocr
    } else {
        consentry::perception::OcrKind::Tesseract
    };
    let mut p = consentry::perception::Perceiver::with_kind(kind).expect("engine");
    for s in &f.streams {
        for path in s {
            let bytes = std::fs::read(path).expect("frame");
            let t = Instant::now();
            let (_, cached) = p.read_png(&bytes).expect("ocr");
            stream += t.elapsed();
            stream_new += usize::from(!cached);
        }
    }
    println!(
        "{} {} {} {} {}",
        ms(iso),
        f.isolated.len(),
        ms(stream),
        stream_new,
        peak_mb()
    );
    // Where a new frame's time goes, for engines that count it.
    let parts = |what: &str, rest: &str, s: RecStats, total: Duration, frames: usize| {
        let per = |d: Duration| ms(d) / frames.max(1) as f64;
        println!(
            "ppocr, {what}, per new frame: detector {:.0} ms (its network {:.0} ms, on {:.0}% of the frames' rows; {:.1} bands with content a frame, {:.0}% of them seen before), recognizer {:.0} ms ({} line pieces recognised, {} answered from the cache: {:.0}%; {} long ones read squeezed, {} of them again at full width), the rest ({rest}) {:.0} ms",
            per(s.det_time),
            per(s.det_net),
            100.0 * s.det_rows as f64 / s.frame_rows.max(1) as f64,
            s.bands as f64 / frames.max(1) as f64,
            100.0 * s.bands_cached as f64 / s.bands.max(1) as f64,
            per(s.rec_time),
            s.recognised,
            s.cached,
            100.0 * s.cached as f64 / (s.recognised + s.cached).max(1) as f64,
            s.squeezed,
            s.squeeze_retried,
            per(total.saturating_sub(s.det_time + s.rec_time)),
        );
    };
    if let Some(s) = iso_stats {
        parts("isolated", "cropping lines", s, iso, f.isolated.len());
    }
    if let Some(s) = p.engine_stats() {
        parts(
            "stream",
            "decoding, cropping lines, layout",
            s,
            stream,
            stream_new,
        );
    }
}

fn main() {
    if let (Ok(engine), Ok(dir)) = (
        std::env::var("PERCEPTION_BENCH_ENGINE"),
        std::env::var("PERCEPTION_BENCH_DIR"),
    ) {
        return child(&engine, Path::new(&dir));
    }

    // The demo, with 1 and 2 workers (default engine); its frames are the
    // bench's frames.
    let scenarios: Vec<_> = consentry::BUNDLED_SCENARIOS
        .iter()
        .map(|(name, src)| {
            consentry::scenario::parse(Path::new(name), src).expect("bundled scenario parses")
        })
        .collect();
    let work = tempfile::tempdir().expect("temp dir");
    let kept = std::env::var_os("PERCEPTION_BENCH_KEEP").map(PathBuf::from);
    let mut walls = Vec::new();
    let mut demo_report = None;
    for jobs in [1, 2] {
        let out = kept
            .as_deref()
            .unwrap_or(work.path())
            .join(format!("demo{jobs}"));
        let plan = Plan::sim(scenarios.clone(), out.clone(), jobs);
        let t = Instant::now();
        let report = session::execute(&plan, &AtomicBool::new(false), &|_| {}).expect("demo runs");
        let wall = t.elapsed();
        let frames: usize = report.runs.iter().map(|r| r.frames.len()).sum();
        walls.push(wall);
        println!(
            "demo ({}), {jobs} worker{}: {:>6.2} s for {} scenarios, {frames} frames ({:.0} ms per frame){}",
            plan.ocr.as_str(),
            if jobs == 1 { " " } else { "s" },
            wall.as_secs_f64(),
            report.runs.len(),
            ms(wall) / frames as f64,
            if jobs == 1 {
                String::new()
            } else {
                format!(
                    "; {:.2}x the 1-worker throughput",
                    walls[0].as_secs_f64() / wall.as_secs_f64()
                )
            }
        );
        if jobs == 1 {
            demo_report = Some((report, out));
        }
    }
    let (report, out) = demo_report.expect("1-worker demo ran");

    // Frame lists for the children.
    let mut isolated = Vec::new();
    let mut seen = HashSet::new();
    let mut streams = Vec::new();
    for run in &report.runs {
        let mut s = Vec::new();
        for f in &run.frames {
            let p = out.join(&f.screenshot);
            let bytes = std::fs::read(&p).expect("demo frame");
            if seen.insert(blake3::hash(&bytes)) {
                isolated.push(p.clone());
            }
            s.push(p);
        }
        streams.push(s);
    }
    let demo_distinct = isolated.len();
    let real_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/realdata");
    let mut real: Vec<PathBuf> = std::fs::read_dir(&real_dir)
        .expect("tests/fixtures/realdata")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jpg" || x == "png"))
        .collect();
    real.sort();
    isolated.extend(real.iter().cloned());
    let dir = kept.as_deref().unwrap_or(work.path());
    let join = |v: &[PathBuf]| {
        v.iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    std::fs::write(dir.join("isolated.txt"), join(&isolated)).expect("write list");
    std::fs::write(
        dir.join("streams.txt"),
        streams
            .iter()
            .map(|s| {
                s.iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join("\t")
            })
            .collect::<Vec<_>>()
            .join("\n"),
    )
    .expect("write list");
    let stream_frames: usize = streams.iter().map(Vec::len).sum();
    println!(
        "\nframes: {demo_distinct} distinct demo frames + {} real screenshots (isolated); {} scenario streams, {stream_frames} frames",
        real.len(),
        streams.len()
    );

    // Each engine in its own process.
    let exe = std::env::current_exe().expect("bench binary");
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for (engine, name) in [
        ("cli", "tesseract CLI (baseline)"),
        ("tesseract", "consentry tesseract engine"),
        ("ppocr", "consentry ppocr engine"),
    ] {
        let o = Command::new(&exe)
            .env("PERCEPTION_BENCH_ENGINE", engine)
            .env("PERCEPTION_BENCH_DIR", dir)
            .env("OMP_THREAD_LIMIT", "1")
            .output()
            .expect("bench child runs");
        assert!(
            o.status.success(),
            "{engine}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let out = String::from_utf8_lossy(&o.stdout);
        let mut out = out.lines();
        let line = out.next().unwrap_or_default();
        notes.extend(out.map(str::to_string));
        let v: Vec<f64> = line
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        assert_eq!(v.len(), 5, "{engine}: {line}");
        rows.push((name, v[0] / v[1], v[2] / v[3].max(1.0), v[3], v[2], v[4]));
    }
    let (base_iso, base_stream) = (rows[0].1, rows[0].2);
    println!("\nms per frame (one worker, one core), and the CLI's time over the engine's:");
    println!(
        "| engine | isolated new frame | vs CLI | new frame in a stream | vs CLI | per captured frame ({stream_frames} in the streams) | vs CLI | peak memory |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (i, (name, iso, stream, new, total, peak)) in rows.iter().enumerate() {
        // A script calling the CLI reads every captured frame whole;
        // consentry's engines pay a hash for a frame seen before.
        let per_captured = if i == 0 {
            base_stream
        } else {
            total / stream_frames as f64
        };
        println!(
            "| {name} | {iso:.0} ms | {:.1}x | {stream:.0} ms ({new:.0} new) | {:.1}x | {per_captured:.0} ms | {:.1}x | {peak:.0} MB |",
            base_iso / iso,
            base_stream / stream,
            base_stream / per_captured,
        );
    }
    println!();
    for n in &notes {
        println!("{n}");
    }
    // The machine may be shared: say how busy it was.
    if let Ok(l) = std::fs::read_to_string("/proc/loadavg") {
        println!(
            "load average at the end: {}",
            l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
        );
    }
}

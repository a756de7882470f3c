//! Fuzzing in the tree, on stable Rust: a mutation fuzzer over every parser
//! that reads input from a user or a device — the scenario loader, the
//! app-model loader, the device-output parsers (uiautomator XML, dumpsys
//! focus, appops, package list, raw screencap, adb device list, the device
//! lock's holder), the adbd frame parser, and reports (what `merge` and
//! `diff` read) with their rendering as index.html, junit.xml, the terminal
//! summary and a diff — seeded with the real captures in tests/fixtures and
//! the bundled files.
//!
//! Every input must return (an error is fine) without a panic, within
//! 1 s, and without any single allocation or live total past 256 MB (a
//! counting allocator below refuses it, which aborts the test loudly).
//!
//! `cargo test --test fuzz` runs a short bounded pass (a few seconds per
//! target) as CI does. A long run:
//!
//! ```sh
//! CONSENTRY_FUZZ_ITERS=150000 cargo test --test fuzz -- --test-threads=1 --nocapture
//! ```
//!
//! (`CONSENTRY_FUZZ_ITERS` inputs per target; `CONSENTRY_FUZZ_SEED` changes
//! the random stream.) A failing input is written to
//! `target/fuzz-failures/<target>-<n>.bin` and its bytes are printed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use consentry::device::{adb, parse};
use consentry::sim::adbd::Message;

/// The most memory one input may hold at once.
const MEMORY_LIMIT: usize = 256 << 20;
/// The longest one input may take.
const TIME_LIMIT: Duration = Duration::from_secs(1);

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        if now > MEMORY_LIMIT {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            // A null return makes the caller abort with "memory allocation
            // of N bytes failed": the run stops and says so.
            return std::ptr::null_mut();
        }
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let grow = new_size - layout.size();
            let now = LIVE.fetch_add(grow, Ordering::Relaxed) + grow;
            if now > MEMORY_LIMIT {
                LIVE.fetch_sub(grow, Ordering::Relaxed);
                return std::ptr::null_mut();
            }
            PEAK.fetch_max(now, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// xorshift64*: small, fast, and the same stream on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Tokens worth splicing in: the syntax each parser cares about, and the
/// values that broke parsers before.
const TOKENS: &[&[u8]] = &[
    b"%",
    b"%YAML 1.2",
    b"%TAG ! x",
    b"---",
    b"...",
    b"&a ",
    b"*a",
    b"&b [*a, *a, *a]",
    b"[",
    b"]",
    b"{",
    b"}",
    b"- ",
    b": ",
    b"\n",
    b"\t",
    b"  ",
    b"~",
    b".inf",
    b"-.inf",
    b".nan",
    b"1e20",
    b"-1",
    b"99999999999999999999",
    b"!!int",
    b"!!str",
    b"!!binary",
    b"\"",
    b"'",
    b"|",
    b">",
    b"#",
    b"? ",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x00",
    b"\r\n",
    b"<node ",
    b"</node>",
    b"<hierarchy rotation=\"0\">",
    b"</hierarchy>",
    b"<?xml version='1.0' ?>",
    b"bounds=\"[0,0][1080,2400]\"",
    b"bounds=\"[-5,99999999999][3,4]\"",
    b"&#x202e;",
    b"&amp;",
    b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>",
    b"text=\"",
    b"mCurrentFocus=Window{1 u0 ",
    b"mFocusedApp=ActivityRecord{",
    b"com.x/.Main}",
    b"/",
    b"COARSE_LOCATION: allow; time=+1d2h3m4s5ms ago",
    b"Uid mode:",
    b"package:",
    b"device\n",
    b"offline",
    b"CNXN",
    b"OPEN",
    b"WRTE",
    b"OKAY",
    b"CLSE",
    b"\xff\xff\xff\xff",
    b"steps:",
    b"app:",
    b"package: com.x.y",
    b"- tap: {x: 1, y: 2}",
    b"- observe: {duration: 10m, interval: 10ms}",
    b"- wait: 1e300",
    b"- type: {secret: X}",
];

fn mutate(rng: &mut Rng, input: &[u8], pool: &[Vec<u8>]) -> Vec<u8> {
    let mut v = input.to_vec();
    // Mostly one or two changes, so most inputs stay close to valid and
    // reach deep into the parser; sometimes many.
    let n = if rng.below(8) == 0 {
        2 + rng.below(8)
    } else {
        1 + rng.below(2)
    };
    for _ in 0..n {
        let at = rng.below(v.len() + 1);
        match rng.below(9) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 => v.insert(at, rng.next() as u8),
            2 if !v.is_empty() => {
                let n = rng.below(v.len() - at.min(v.len()) + 1).min(64);
                v.drain(at.min(v.len())..(at + n).min(v.len()));
            }
            3 | 4 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                v.splice(at..at, t.iter().copied());
            }
            5 if !v.is_empty() => {
                // Repeat a slice: nesting, long lines, many items.
                let s = rng.below(v.len());
                let n = rng.below(32.min(v.len() - s)) + 1;
                let piece: Vec<u8> = v[s..s + n].to_vec();
                for _ in 0..1 + rng.below(64) {
                    v.splice(at..at, piece.iter().copied());
                }
            }
            6 => {
                // Splice in part of another seed.
                let other = &pool[rng.below(pool.len())];
                if !other.is_empty() {
                    let s = rng.below(other.len());
                    let n = rng.below(other.len() - s) + 1;
                    v.splice(at..at, other[s..s + n.min(4096)].iter().copied());
                }
            }
            7 => v.truncate(at),
            _ => {
                let n = rng.next() as u32;
                let bytes = if rng.below(2) == 0 {
                    n.to_string().into_bytes()
                } else {
                    n.to_le_bytes().to_vec()
                };
                v.splice(at..at, bytes);
            }
        }
    }
    v.truncate(1 << 20);
    v
}

/// A parser under test: it must return, whatever it returns.
type Target = fn(&[u8]);

fn scenario(b: &[u8]) {
    let text = String::from_utf8_lossy(b);
    let _ = consentry::scenario::parse(Path::new("fuzz.yaml"), &text);
}

fn app_model(b: &[u8]) {
    let text = String::from_utf8_lossy(b);
    let _ = consentry::sim::model::AppModel::parse(Path::new("fuzz.yaml"), &text);
}

fn hierarchy(b: &[u8]) {
    let _ = parse::parse_hierarchy(b);
}

fn dumpsys(b: &[u8]) {
    let focus = parse::parse_foreground(b);
    let _ = parse::parse_window_secure(b, focus.as_ref());
    let _ = parse::parse_window_secure(b, None);
    let _ = parse::parse_resolved_activity(b, "com.example.bank");
    let _ = parse::parse_appops(b);
    let _ = parse::parse_packages(b);
    let _ = parse::parse_runtime_permissions(b);
    let _ = consentry::device::lock::parse_holder(b);
    let text = String::from_utf8_lossy(b);
    for line in text.lines().take(64) {
        let _ = parse::parse_android_duration(line);
    }
}

fn screencap(b: &[u8]) {
    let _ = parse::parse_raw_screencap(b);
}

fn device_list(b: &[u8]) {
    let _ = adb::parse_device_list(&String::from_utf8_lossy(b));
}

fn adbd_frames(b: &[u8]) {
    let mut r = b;
    for _ in 0..10_000 {
        match Message::read(&mut r) {
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
}

/// A report (merge's and diff's input), whole or as a script of changes
/// to a real one: read, rendered as index.html, junit.xml and the terminal
/// summary, diffed against itself and its half; one input in 32 is merged
/// through files.
fn report(b: &[u8]) {
    use consentry::report::Report;
    let render = |r: &Report| {
        RENDERED.fetch_add(1, Ordering::Relaxed);
        let dir = scratch();
        let html = consentry::report::html::render(r, dir);
        assert!(html.ends_with("</html>"), "the page is whole");
        if let Ok(xml) = consentry::report::junit::render(r) {
            assert!(
                roxmltree::Document::parse(&xml).is_ok(),
                "junit.xml is well-formed"
            );
        }
        let _ = consentry::report::terminal::summary(r, dir);
        let _ = consentry::report::diff::diff(r, r).text();
        let mut half = r.clone();
        half.runs.truncate(r.runs.len() / 2);
        let _ = consentry::report::diff::diff(&half, r).text();
    };
    if let Ok(r) = serde_json::from_slice::<Report>(b) {
        render(&r);
    }
    let mut v = report_seed().clone();
    edit_value(&mut v, b);
    if let Ok(r) = serde_json::from_value::<Report>(v) {
        render(&r);
        if b.first().is_some_and(|x| x % 32 == 0) {
            let dir = scratch();
            let src = dir.join("in/report.json");
            let _ = std::fs::create_dir_all(dir.join("in"));
            if std::fs::write(&src, serde_json::to_vec(&r).unwrap_or_default()).is_ok() {
                let _ = consentry::report::merge::merge(&[src], &dir.join("merged"));
            }
        }
    }
}

/// How many inputs of the report target were reports that got rendered.
static RENDERED: AtomicUsize = AtomicUsize::new(0);

/// A folder of this test process for the report target's files.
fn scratch() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("consentry-fuzz-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&d);
        d
    })
}

/// The report of the snapshot test, as JSON.
fn report_seed() -> &'static serde_json::Value {
    static SEED: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SEED.get_or_init(|| {
        let snap = std::fs::read_to_string(
            root().join("tests/snapshots/report_snapshots__report_json_of_one_run@ppocr.snap"),
        )
        .expect("the report snapshot");
        let json = snap.splitn(3, "---").nth(2).expect("a snapshot body");
        let json = json
            .replace("\"[time]\"", "\"2026-12-05T00:00:00Z\"")
            .replace("\"[ms]\"", "0");
        let mut v: serde_json::Value = serde_json::from_str(&json).expect("the snapshot is JSON");
        v["schema"] = consentry::report::SCHEMA_VERSION.into();
        v["tool"] = serde_json::json!({"name": "consentry", "version": "0"});
        v["started"] = "2026-12-05T00:00:00Z".into();
        v
    })
}

/// Changes leaves of a JSON value as `script` says, three bytes a change:
/// which leaf, what to put there.
fn edit_value(v: &mut serde_json::Value, script: &[u8]) {
    fn leaves(v: &mut serde_json::Value, out: &mut Vec<*mut serde_json::Value>) {
        match v {
            serde_json::Value::Array(a) if !a.is_empty() => {
                a.iter_mut().for_each(|x| leaves(x, out))
            }
            serde_json::Value::Object(o) if !o.is_empty() => {
                o.values_mut().for_each(|x| leaves(x, out))
            }
            _ => out.push(v as *mut _),
        }
    }
    let hostile = [
        "<script>alert(1)</script>",
        "\u{202e}evil\u{1b}[2J",
        "\u{fffe}\u{ffff}\u{1}",
        "../../../../etc/passwd",
        "/dev/zero",
        "frames/../../x.png",
        "",
        "同意并继续",
    ];
    for c in script
        .chunks(3)
        .take(1 + script.first().map_or(0, |b| *b as usize % 4))
    {
        let mut ptrs = Vec::new();
        leaves(v, &mut ptrs);
        if ptrs.is_empty() || c.len() < 3 {
            return;
        }
        let at = (c[0] as usize | (c[1] as usize) << 8) % ptrs.len();
        // SAFETY: the pointers come from `v`, borrowed mutably here, and
        // only one is written before they are collected again.
        let leaf = unsafe { &mut *ptrs[at] };
        // Mostly of the leaf's own type (so the report still reads and
        // reaches the renderers), sometimes of another.
        let k = c[2] as usize;
        *leaf = match (&*leaf, k % 8) {
            (_, 7) => match k % 5 {
                0 => serde_json::Value::Null,
                1 => (-1i64).into(),
                2 => 1e308.into(),
                3 => serde_json::Value::Array(Vec::new()),
                _ => true.into(),
            },
            (serde_json::Value::String(_), _) => match k % 3 {
                0 => "x".repeat(k * 97).into(),
                _ => hostile[(k / 3 + c[0] as usize) % hostile.len()].into(),
            },
            (serde_json::Value::Number(_), _) => match k % 4 {
                0 => u64::MAX.into(),
                1 => 0.into(),
                2 => u32::MAX.into(),
                _ => (k as u64 * 1_000_003).into(),
            },
            (serde_json::Value::Bool(b), _) => (!b).into(),
            (other, _) => other.clone(),
        };
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &str, ext: &[&str]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(root().join(dir)) {
        let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            let e = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ext.contains(&e) {
                if let Ok(b) = std::fs::read(&p) {
                    out.push(b);
                }
            }
        }
    }
    out
}

fn adb_seeds() -> Vec<Vec<u8>> {
    let m = |c: &[u8; 4], a0, a1, p: &[u8]| {
        Message {
            command: u32::from_le_bytes(*c),
            arg0: a0,
            arg1: a1,
            payload: p.to_vec(),
        }
        .encode()
    };
    vec![
        m(
            b"CNXN",
            0x0100_0001,
            256 * 1024,
            b"host::features=shell_v2,cmd\0",
        ),
        [
            m(b"OPEN", 1, 0, b"exec:screencap -p\0"),
            m(b"OKAY", 1, 7, b""),
            m(b"WRTE", 1, 7, b"\x89PNG\r\n\x1a\n"),
            m(b"CLSE", 1, 7, b""),
        ]
        .concat(),
        m(b"AUTH", 1, 0, &[7; 20]),
    ]
}

fn raw_screencap_seeds() -> Vec<Vec<u8>> {
    let mut v16 = Vec::new();
    for w in [2u32, 2, 1, 0] {
        v16.extend_from_slice(&w.to_le_bytes());
    }
    v16.extend_from_slice(&[9; 16]);
    let mut v12 = Vec::new();
    for w in [1u32, 1, 4] {
        v12.extend_from_slice(&w.to_le_bytes());
    }
    v12.extend_from_slice(&[1, 2]);
    vec![v16, v12]
}

fn run(
    name: &str,
    target: Target,
    seeds: Vec<Vec<u8>>,
    iters: usize,
    seed: u64,
) -> (usize, usize, Duration) {
    assert!(!seeds.is_empty(), "{name}: no seeds");
    let mut rng = Rng(seed
        ^ name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
        }));
    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    let mut peak = 0;
    for n in 0..iters {
        let base = &seeds[n % seeds.len()];
        let input = if n < seeds.len() {
            base.clone()
        } else {
            mutate(&mut rng, base, &seeds)
        };
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let t = Instant::now();
        let result = std::panic::catch_unwind(|| target(&input));
        let took = t.elapsed();
        slowest = slowest.max(took);
        peak = peak.max(PEAK.load(Ordering::Relaxed).saturating_sub(before));
        let failure = match result {
            Err(p) => Some(format!(
                "panicked: {}",
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default()
            )),
            Ok(()) if took > TIME_LIMIT => Some(format!("took {took:?}")),
            Ok(()) => None,
        };
        if let Some(why) = failure {
            let dir = root().join("target/fuzz-failures");
            let _ = std::fs::create_dir_all(&dir);
            let file = dir.join(format!("{name}-{n}.bin"));
            let _ = std::fs::write(&file, &input);
            panic!(
                "fuzz target `{name}`, input {n} {why}; saved in {}; bytes: {:?}",
                file.display(),
                String::from_utf8_lossy(&input)
            );
        }
    }
    eprintln!(
        "fuzz {name}: {iters} inputs in {:.1} s, slowest {:.1} ms, peak {:.1} MB",
        started.elapsed().as_secs_f64(),
        slowest.as_secs_f64() * 1000.0,
        peak as f64 / (1 << 20) as f64
    );
    (iters, peak, slowest)
}

fn iters(short: usize) -> usize {
    std::env::var("CONSENTRY_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(short)
}

fn seed() -> u64 {
    std::env::var("CONSENTRY_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_c0de)
        | 1
}

#[test]
fn fuzz_scenario_loader() {
    let mut seeds = files("scenarios", &["yaml"]);
    for theme in ["consent", "permissions", "data-access", "notices"] {
        seeds.extend(files(&format!("scenarios/{theme}"), &["yaml"]));
    }
    seeds.push(b"%".to_vec());
    seeds.push(b"a: &a [1]\nb: &b [*a, *a]\n".to_vec());
    run("scenario", scenario, seeds, iters(20_000), seed());
}

#[test]
fn fuzz_app_model_loader() {
    run(
        "app-model",
        app_model,
        files("src/sim/apps", &["yaml"]),
        iters(3_000),
        seed(),
    );
}

#[test]
fn fuzz_uiautomator_parser() {
    let mut seeds = files("tests/fixtures/realdata", &["xml"]);
    seeds.push(b"</hierarchy><hierarchy><node/>".to_vec());
    run("uiautomator", hierarchy, seeds, iters(5_000), seed());
}

#[test]
fn fuzz_dumpsys_appops_packages_parsers() {
    // The appium-adb specs hold `dumpsys window` and `dumpsys package`
    // outputs; the AOSP excerpts `dumpsys appops` and `dumpsys package`.
    let mut seeds = files("tests/fixtures/realdata", &["ts", "excerpt"]);
    seeds.push(b"package:com.a\npackage:/data/app/x.apk=com.b\n".to_vec());
    seeds.push(b"Uid mode: COARSE_LOCATION: foreground\nFINE_LOCATION: allow; time=+2m3s ago; rejectTime=+1h ago\n".to_vec());
    run("dumpsys", dumpsys, seeds, iters(3_000), seed());
}

#[test]
fn fuzz_raw_screencap_parser() {
    run(
        "screencap",
        screencap,
        raw_screencap_seeds(),
        iters(20_000),
        seed(),
    );
}

#[test]
fn fuzz_adb_device_list_parser() {
    run(
        "device-list",
        device_list,
        vec![b"emulator-5554\tdevice\n127.0.0.1:5555\toffline\nR58N\tunauthorized\n".to_vec()],
        iters(20_000),
        seed(),
    );
}

#[test]
fn fuzz_adbd_frame_parser() {
    run("adbd", adbd_frames, adb_seeds(), iters(20_000), seed());
}

#[test]
fn fuzz_report_rendering_merge_and_diff() {
    let seed_json = serde_json::to_vec_pretty(report_seed()).unwrap();
    let seeds = vec![seed_json, vec![0, 0, 6, 1, 0, 7, 2, 0, 9], b"{}".to_vec()];
    let (n, _, _) = run("report", report, seeds, iters(600), seed());
    let _ = std::fs::remove_dir_all(scratch());
    let rendered = RENDERED.load(Ordering::Relaxed);
    eprintln!("fuzz report: {rendered} of {n} inputs were reports and were rendered");
    assert!(
        rendered * 3 > n,
        "a third of the inputs at least reach the renderers: {rendered} of {n}"
    );
}

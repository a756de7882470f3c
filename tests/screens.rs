//! The whole demo gives the same verdicts on every screen: a 720x1280
//! emulator, a 1080x2400 phone, a 1440x3200 phone, light and dark. (The
//! default screen, 1080x2400 light, is tests/demo.rs.)

mod common;

use common::{consentry, statuses};

/// (scenario, rule, status) of every verdict.
type Verdicts = Vec<(String, String, String)>;

/// Runs the demo on one screen; returns its verdicts and the size of its
/// first screenshot.
fn demo(screen: &str, theme: &str) -> (Verdicts, (u32, u32)) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = consentry(&[
        "demo",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--screen",
        screen,
        "--theme",
        theme,
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let r = common::report(&out);
    let shot = r["runs"][0]["frames"][0]["screenshot"].as_str().unwrap();
    let img = image::open(out.join(shot)).unwrap();
    (statuses(&out), (img.width(), img.height()))
}

/// The verdicts tests/demo.rs asserts on the default screen.
fn expected() -> Verdicts {
    common::demo_expected(&common::all_rules())
}

#[test]
fn a_small_emulator_screen_gives_the_same_verdicts() {
    let (got, size) = demo("720x1280@320", "light");
    assert_eq!(size, (720, 1280));
    assert_eq!(got, expected());
}

#[test]
fn a_large_phone_in_dark_mode_gives_the_same_verdicts() {
    let (got, size) = demo("1440x3200@560", "dark");
    assert_eq!(size, (1440, 3200));
    assert_eq!(got, expected());
}

#[test]
fn dark_mode_gives_the_same_verdicts() {
    let (got, size) = demo("1080x2400@440", "dark");
    assert_eq!(size, (1080, 2400));
    assert_eq!(got, expected());
}

#[test]
fn a_bad_screen_size_is_a_usage_error() {
    let o = consentry(&["demo", "--screen", "big", "--out", "/nonexistent"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("WIDTHxHEIGHT@DPI"), "{err}");
}

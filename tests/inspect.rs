//! `consentry inspect` on real phone screenshots (tests/fixtures/realdata,
//! Apache-2.0, sources in its SOURCES.md) and on the simulated device's
//! frames, through the real binary, with both OCR engines.

mod common;

use std::path::{Path, PathBuf};

use common::consentry;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/realdata")
        .join(name)
}

/// What a person sees on each real screenshot: every button with its role,
/// and what the screen is.
/// A screenshot's file, what the screen is, and its buttons with their roles.
type Expected = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const REAL: &[Expected] = &[
    (
        "xxpermissions_aosp_location_dialog_zh.jpg",
        "permission-prompt",
        &[
            ("仅在使用该应用时允许", "agree"),
            ("仅限这一次", "agree"),
            ("拒绝", "refuse"),
        ],
    ),
    (
        "xxpermissions_miui_camera_permission_sheet_zh.jpg",
        "permission-prompt",
        &[
            ("拒绝", "refuse"),
            ("本次运行允许", "agree"),
            ("仅在使用中允许", "agree"),
        ],
    ),
    ("xxpermissions_demo_home_nodialog_zh.jpg", "neither", &[]),
];

fn inspect_json(engine: &str, images: &[PathBuf]) -> Vec<Value> {
    let mut args = vec!["inspect", "--json", "--ocr", engine];
    let paths: Vec<String> = images.iter().map(|p| p.display().to_string()).collect();
    args.extend(paths.iter().map(String::as_str));
    let o = consentry(&args);
    common::assert_exit(&o, 0);
    let v: Value = serde_json::from_slice(&o.stdout).expect("inspect --json prints JSON");
    v.as_array()
        .expect("an array, one object per screen")
        .clone()
}

/// Whether a control's text is the expected label, or (`near`) the label
/// with one character misread.
fn same(c: &Value, text: &str, near: bool) -> bool {
    let got = c["text"].as_str().unwrap_or_default();
    got == text
        || near
            && got.chars().count() == text.chars().count()
            && got
                .chars()
                .zip(text.chars())
                .filter(|(a, b)| a != b)
                .count()
                <= 1
}

/// Per screenshot: the expected buttons it did not read exactly with their
/// role, controls with a choice role that are no button there (a label
/// with one misread character counts as that button), and whether the
/// screen was called right.
fn score(engine: &str) -> Vec<(String, Vec<String>, Vec<String>, bool)> {
    let images: Vec<PathBuf> = REAL.iter().map(|(n, _, _)| fixture(n)).collect();
    let screens = inspect_json(engine, &images);
    assert_eq!(screens.len(), REAL.len());
    let mut out = Vec::new();
    for ((name, kind, buttons), s) in REAL.iter().zip(&screens) {
        assert_eq!(s["version"], 1);
        assert_eq!(s["engine"], engine);
        let controls = s["controls"].as_array().expect("controls");
        let missed: Vec<String> = buttons
            .iter()
            .filter(|(text, role)| {
                !controls
                    .iter()
                    .any(|c| same(c, text, false) && c["role"] == *role)
            })
            .map(|(t, r)| format!("{t} ({r})"))
            .collect();
        let choice = ["agree", "vague", "refuse", "weak-refuse"];
        let wrong: Vec<String> = controls
            .iter()
            .filter(|c| choice.iter().any(|r| c["role"] == *r))
            .filter(|c| {
                !buttons
                    .iter()
                    .any(|(t, r)| same(c, t, true) && c["role"] == *r)
            })
            .map(|c| format!("{} ({})", c["text"], c["role"]))
            .collect();
        let right = s["screen"] == *kind;
        println!(
            "{engine:<9} {name}: screen {} ({}), {}/{} buttons{}{}",
            s["screen"],
            if right { "right" } else { "WRONG" },
            buttons.len() - missed.len(),
            buttons.len(),
            if missed.is_empty() {
                String::new()
            } else {
                format!(", missed {}", missed.join(" "))
            },
            if wrong.is_empty() {
                String::new()
            } else {
                format!(", wrong {}", wrong.join(" "))
            },
        );
        out.push((name.to_string(), missed, wrong, right));
    }
    out
}

#[test]
fn ppocr_reads_every_button_on_real_screenshots() {
    for (name, missed, wrong, right) in score("ppocr") {
        assert!(missed.is_empty(), "{name}: missed {missed:?}");
        assert!(wrong.is_empty(), "{name}: not buttons there {wrong:?}");
        assert!(right, "{name}: screen called wrong");
    }
}

#[test]
fn tesseract_on_real_screenshots_is_never_wrong() {
    // Tesseract may miss a label; what it does call a button must be one.
    for (name, _missed, wrong, _right) in score("tesseract") {
        assert!(wrong.is_empty(), "{name}: not buttons there {wrong:?}");
    }
}

#[test]
fn text_output_and_annotation() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("a.png");
    let o = consentry(&[
        "inspect",
        fixture("xxpermissions_aosp_location_dialog_zh.jpg")
            .to_str()
            .unwrap(),
        "--annotate",
        png.to_str().unwrap(),
    ]);
    common::assert_exit(&o, 0);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("screen: permission-prompt"), "{text}");
    assert!(text.contains("refuse      「拒绝」"), "{text}");
    let img = image::open(&png).expect("annotated PNG written").to_rgba8();
    let orig = image::open(fixture("xxpermissions_aosp_location_dialog_zh.jpg"))
        .unwrap()
        .to_rgba8();
    assert_eq!(img.dimensions(), orig.dimensions());
    // The refuse box is drawn in the refuse colour.
    let red = img.pixels().filter(|p| p.0[..3] == [207, 34, 46]).count();
    assert!(red > 20, "refuse box drawn ({red} px)");
}

#[test]
fn a_consent_dialog_of_the_simulated_device_with_its_hierarchy() {
    // The compliant example's first screen, as `sim serve` would show it.
    let dir = tempfile::tempdir().unwrap();
    let (png, xml) = sim_screen(dir.path(), "com.example.compliantbank", ".SplashActivity");
    let o = consentry(&[
        "inspect",
        "--json",
        png.to_str().unwrap(),
        "--hierarchy",
        xml.to_str().unwrap(),
    ]);
    common::assert_exit(&o, 0);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let s = &v[0];
    assert_eq!(s["screen"], "consent-prompt", "{s}");
    let controls = s["controls"].as_array().unwrap();
    let role = |r: &str| controls.iter().filter(|c| c["role"] == r).count();
    assert!(role("agree") >= 1 && role("refuse") >= 1, "{controls:?}");
    assert!(
        controls
            .iter()
            .any(|c| c["role"] == "policy" || c["role"] == "agreement"),
        "{controls:?}"
    );
    // Hierarchy texts are marked as such, with their clickable region.
    assert!(
        controls
            .iter()
            .any(|c| c["source"] == "hierarchy" && c["region"].is_array()),
        "{controls:?}"
    );
}

#[test]
fn a_suppressed_refuse_and_a_checkbox_seen_on_the_pixels_alone() {
    // Web content: the hierarchy has no text, so only OCR and the pixels
    // tell the controls apart. (Tesseract does not read the faint label at
    // all, and then finds no refuse option: PP-OCR is what this is about.)
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/apps");
    let o = consentry(&[
        "run",
        "--ocr",
        "ppocr",
        app.join("faint-refuse-scenario.yaml").to_str().unwrap(),
        "--sim-app",
        app.join("faint-refuse.yaml").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    common::assert_exit(&o, 1);
    let r = common::report(&out);
    let ec = r["runs"][0]["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == "explicit-consent")
        .unwrap()
        .clone();
    assert_eq!(ec["status"], "fail", "{ec}");
    let msg = ec["message"].as_str().unwrap();
    assert!(
        msg.contains("不同意") && msg.contains("without a button"),
        "{msg}"
    );
    assert_eq!(ec["highlights"].as_array().unwrap().len(), 2, "{ec}");

    let frame = out.join(r["runs"][0]["frames"][0]["screenshot"].as_str().unwrap());
    let s = &inspect_json("ppocr", &[frame])[0];
    assert_eq!(s["screen"], "consent-prompt", "{s}");
    assert!(s["suppressed_refuse"].is_string(), "{s}");
    let cb = s["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["role"] == "checkbox")
        .expect("the consent checkbox");
    assert_eq!(cb["checked"], false, "{cb}");
}

#[test]
fn an_app_name_behind_the_dialog_is_not_a_control() {
    // 退出保险 ("exit insurance") is the app's name in its title bar behind
    // the consent dialog: starting with 退出 does not make it a choice.
    let dir = tempfile::tempdir().unwrap();
    let (png, xml) = sim_screen(dir.path(), "com.example.exitonrefuse", ".SplashActivity");
    for with_hierarchy in [true, false] {
        let mut args = vec!["inspect", "--json", "--ocr", "ppocr", png.to_str().unwrap()];
        if with_hierarchy {
            args.extend(["--hierarchy", xml.to_str().unwrap()]);
        }
        let o = consentry(&args);
        assert_eq!(o.status.code(), Some(0));
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        let controls = v[0]["controls"].as_array().unwrap().clone();
        let choices: Vec<&Value> = controls
            .iter()
            .filter(|c| {
                ["agree", "vague", "refuse", "weak-refuse"]
                    .iter()
                    .any(|r| c["role"] == *r)
            })
            .collect();
        assert!(
            choices
                .iter()
                .all(|c| !c["text"].as_str().unwrap().contains("退出保险")),
            "hierarchy {with_hierarchy}: {choices:?}"
        );
        assert!(
            choices
                .iter()
                .any(|c| c["role"] == "refuse" && c["text"] == "不同意"),
            "hierarchy {with_hierarchy}: {choices:?}"
        );
    }
}

#[test]
fn a_ticked_checkbox_seen_on_the_pixels_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (png, _) = sim_screen(dir.path(), "com.example.prechecked", ".SplashActivity");
    let s = &inspect_json("ppocr", &[png])[0];
    let cb = s["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["role"] == "checkbox")
        .expect("the consent checkbox");
    assert_eq!(cb["checked"], true, "{cb}");
    assert_eq!(cb["source"], "ocr");
}

#[test]
fn the_live_screen_of_a_device_through_the_adb_server() {
    let rig = common::Rig::start(&[&[]]);
    let serial = rig.serials[0].clone();
    let o = rig.adb(&[
        "-s",
        &serial,
        "shell",
        "am start -n com.example.compliantbank/.SplashActivity",
    ]);
    assert!(o.status.success(), "{o:?}");
    let o = consentry(&[
        "inspect",
        "--device",
        &serial,
        "--adb-server",
        &rig.server(),
        "--json",
    ]);
    common::assert_exit(&o, 0);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let s = &v[0];
    assert_eq!(s["image"], format!("device:{serial}"));
    assert_eq!(s["screen"], "consent-prompt", "{s}");
    // Its hierarchy came along.
    assert!(
        s["texts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["source"] == "hierarchy"),
        "{s}"
    );
    // A device that is not there: exit 3.
    let o = consentry(&[
        "inspect",
        "--device",
        "no-such-device",
        "--adb-server",
        &rig.server(),
    ]);
    assert_eq!(o.status.code(), Some(3));
}

#[test]
fn bad_input_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("x.png");
    std::fs::write(&bad, b"not a picture").unwrap();
    let o = consentry(&["inspect", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a PNG or JPEG"));
    let o = consentry(&["inspect", dir.path().join("missing.png").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_missing_runtime_says_how_to_install_it() {
    let dir = tempfile::tempdir().unwrap();
    let o = common::consentry_env(
        &[
            "inspect",
            "--ocr",
            "ppocr",
            fixture("xxpermissions_aosp_location_dialog_zh.jpg")
                .to_str()
                .unwrap(),
        ],
        &[("CONSENTRY_OCR_DIR", dir.path().to_str().unwrap())],
    );
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("scripts/install-deps"), "{err}");
    assert!(err.contains("CONSENTRY_OCR_DIR"), "{err}");
    // A broken library file is named too.
    for f in [
        "libonnxruntime.so.1.32.0",
        "ch_PP-OCRv4_det_infer.onnx",
        "ch_PP-OCRv4_rec_infer.onnx",
    ] {
        std::fs::write(dir.path().join(f), b"truncated").unwrap();
    }
    let o = common::consentry_env(
        &[
            "run",
            "--ocr",
            "ppocr",
            "scenarios/compliant-bank.yaml",
            "--out",
            dir.path().join("o").to_str().unwrap(),
            "-q",
        ],
        &[("CONSENTRY_OCR_DIR", dir.path().to_str().unwrap())],
    );
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("scripts/install-deps"), "{err}");
}

/// The PP-OCRv6 small models are there to choose (`CONSENTRY_OCR_MODELS=v6`)
/// and read a real permission dialog's question and both buttons; an
/// unknown choice is a clear error.
#[test]
fn the_other_ppocr_models_are_selectable() {
    let shot = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/screens/16_appupdate_notification_permission_zh.png");
    let o = common::consentry_env(
        &["inspect", "--json", shot.to_str().unwrap()],
        &[("CONSENTRY_OCR_MODELS", "v6")],
    );
    common::assert_exit(&o, 0);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let s = &v[0];
    assert_eq!(s["kind"], "permission-dialog", "{s}");
    let roles: Vec<(String, String)> = s["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["text"].as_str().unwrap().to_string(),
                c["role"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        roles.contains(&("允许".into(), "agree".into())),
        "{roles:?}"
    );
    assert!(
        roles.contains(&("不允许".into(), "refuse".into())),
        "{roles:?}"
    );
    let o = common::consentry_env(
        &["inspect", shot.to_str().unwrap()],
        &[("CONSENTRY_OCR_MODELS", "v9")],
    );
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("CONSENTRY_OCR_MODELS=v9") && err.contains("v6"),
        "{err}"
    );
}

/// Renders an app's first screen on the simulated device: its PNG and its
/// uiautomator dump, written into `dir`.
fn sim_screen(dir: &Path, package: &str, activity: &str) -> (PathBuf, PathBuf) {
    use consentry::device::{Device, LaunchTarget};
    let mut dev = consentry::sim::sim_device("t", Vec::new()).unwrap();
    dev.launch(&LaunchTarget::Component {
        package: package.into(),
        activity: activity.into(),
    })
    .unwrap();
    let png = dir.join("screen.png");
    std::fs::write(&png, dev.screenshot().unwrap()).unwrap();
    // The dump as uiautomator writes it.
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut xml = String::from(
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\">",
    );
    for n in dev.hierarchy().unwrap() {
        let b = n.bounds;
        xml.push_str(&format!(
            "<node text=\"{}\" content-desc=\"{}\" class=\"{}\" package=\"{}\" checkable=\"{}\" checked=\"{}\" clickable=\"{}\" bounds=\"[{},{}][{},{}]\" />",
            esc(&n.text),
            esc(&n.content_desc),
            esc(&n.class),
            esc(&n.package),
            n.checkable,
            n.checked,
            n.clickable,
            b.x,
            b.y,
            b.right(),
            b.bottom()
        ));
    }
    xml.push_str("</hierarchy>");
    let path = dir.join("screen.xml");
    std::fs::write(&path, xml).unwrap();
    (png, path)
}

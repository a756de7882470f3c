//! Parsers and OCR on real captures from real phones (tests/fixtures/realdata,
//! Apache-2.0, sources in its SOURCES.md).

use std::path::{Path, PathBuf};

use consentry::device::parse::{parse_foreground, parse_hierarchy};
use consentry::perception::{merge, Role, Tesseract, Words};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/realdata")
        .join(name)
}

fn ocr_roles(name: &str) -> Vec<(String, Role)> {
    let img = image::open(fixture(name)).unwrap().to_rgba8();
    let lines = Tesseract::new()
        .expect("tesseract chi_sim+eng")
        .read(&img)
        .unwrap();
    merge(&lines, &[], &Words::default())
        .into_iter()
        .map(|t| (t.text, t.role))
        .collect()
}

#[test]
fn ocr_finds_the_choices_on_a_real_aosp_location_dialog() {
    let texts = ocr_roles("xxpermissions_aosp_location_dialog_zh.jpg");
    assert!(
        texts.iter().any(|(t, r)| t == "拒绝" && *r == Role::Refuse),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|(_, r)| *r == Role::Agree),
        "仅在使用该应用时允许 is an allow choice: {texts:?}"
    );
}

#[test]
fn ocr_finds_the_choices_on_a_real_miui_permission_sheet() {
    let texts = ocr_roles("xxpermissions_miui_camera_permission_sheet_zh.jpg");
    assert!(
        texts.iter().any(|(t, r)| t == "拒绝" && *r == Role::Refuse),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|(t, r)| t == "仅在使用中允许" && *r == Role::Agree),
        "{texts:?}"
    );
}

#[test]
fn ocr_finds_no_choice_on_a_real_screen_without_a_dialog() {
    let texts = ocr_roles("xxpermissions_demo_home_nodialog_zh.jpg");
    assert!(
        !texts
            .iter()
            .any(|(_, r)| matches!(r, Role::Refuse | Role::Agree)),
        "{texts:?}"
    );
}

#[test]
fn uiautomator_dump_of_a_real_compose_app() {
    let raw = std::fs::read(fixture("lingbook_compose_home_zh.xml")).unwrap();
    let nodes = parse_hierarchy(&raw).unwrap();
    let labelled: Vec<String> = nodes
        .iter()
        .filter(|n| !n.label().is_empty())
        .map(|n| {
            format!(
                "{} {:?} {}{}",
                n.label().replace('\n', "⏎"),
                n.bounds,
                n.class.rsplit('.').next().unwrap_or(""),
                if n.clickable { " clickable" } else { "" }
            )
        })
        .collect();
    insta::assert_snapshot!(format!(
        "{} nodes, {} with text\n{}",
        nodes.len(),
        labelled.len(),
        labelled.join("\n")
    ));
    // The same dump with the trailer `uiautomator dump /dev/tty` adds, and as UTF-16 with a BOM.
    let mut with_trailer = raw.clone();
    with_trailer.extend_from_slice(b"UI hierchary dumped to: /dev/tty\n");
    assert_eq!(parse_hierarchy(&with_trailer).unwrap(), nodes);
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            String::from_utf8(raw)
                .unwrap()
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    assert_eq!(parse_hierarchy(&utf16).unwrap(), nodes);
    assert_eq!(
        parse_hierarchy(b"ERROR: could not get idle state."),
        Err(consentry::device::parse::HierarchyError::NotIdle)
    );
}

/// The `dumpsys window` outputs quoted in appium-adb's tests of
/// getFocusedPackageAndActivity and waitForActivity: every string literal returned by a mock,
/// joined, with the test file's `${pkg}` and `${act}` filled in.
fn appium_focus_vectors() -> Vec<String> {
    let src = std::fs::read_to_string(fixture("appium-adb_apk-utils.spec.ts")).unwrap();
    let block = &src[src.find("describe('getFocusedPackageAndActivity'").unwrap()..];
    let pkg = "com.example.android.contactmanager";
    let act = ".ContactManager";
    let literal = regex::Regex::new(r"(?s)`([^`]*)`|'((?:[^'\\]|\\.)*)'").unwrap();
    let mut out = Vec::new();
    for part in block.split(".returns(").skip(1) {
        let arg = &part[..part.find(");").unwrap_or(part.len())];
        let text: String = literal
            .captures_iter(arg)
            .map(|c| c.get(1).or(c.get(2)).unwrap().as_str().replace("\\n", "\n"))
            .collect();
        if text.contains("mFocusedApp") || text.contains("mCurrentFocus") {
            out.push(text.replace("${pkg}", pkg).replace("${act}", act));
        }
    }
    out
}

#[test]
fn focus_in_real_dumpsys_window_outputs_android_4_to_13() {
    let vectors = appium_focus_vectors();
    assert!(vectors.len() >= 20, "{}", vectors.len());
    let results: Vec<String> = vectors
        .iter()
        .map(|v| {
            let first = v
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or("");
            let got = parse_foreground(v.as_bytes()).map_or("none".to_string(), |f| {
                format!("{}/{}", f.package, f.activity)
            });
            format!(
                "{} …\n  → {got}",
                &first.chars().take(90).collect::<String>()
            )
        })
        .collect();
    insta::assert_snapshot!(results.join("\n"));
}

#[test]
fn window_dumps_of_android_11_12_13() {
    // Full `dumpsys window windows` dumps (Pixel emulator images): the
    // windows section has no focus line, so the driver asks `dumpsys window
    // displays` and then `dumpsys activity activities`.
    let src =
        std::fs::read_to_string(fixture("appium-android-driver_systems-bars.spec.ts")).unwrap();
    for name in [
        "validWindowOutputA11",
        "validWindowOutputA12",
        "validWindowOutputA13",
    ] {
        let start = src.find(&format!("const {name} = `")).unwrap() + name.len() + 10;
        let body = &src[start..start + src[start..].find('`').unwrap()];
        assert!(body.lines().count() > 100, "{name}");
        assert_eq!(
            parse_foreground(body.as_bytes()),
            None,
            "{name}: no focus line in a windows dump"
        );
    }
}

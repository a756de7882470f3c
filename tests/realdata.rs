//! Parsers and OCR on real captures from real phones (tests/fixtures/realdata,
//! Apache-2.0, sources in its SOURCES.md).

use std::path::{Path, PathBuf};

use consentry::device::parse::{parse_foreground, parse_hierarchy};
use consentry::perception::{Role, Tesseract, Words};
use consentry::screen::texts::merge;

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

/// The text of the template literal that follows `const <name> = ` in a
/// test file.
fn template_literal(file: &str, name: &str) -> String {
    let src = std::fs::read_to_string(fixture(file)).unwrap();
    let at = src
        .find(&format!("const {name} = `"))
        .unwrap_or_else(|| panic!("{name} in {file}"));
    let body = &src[at + name.len() + 10..];
    body[..body.find('`').unwrap()].to_string()
}

/// The fenced blocks of a Markdown file.
fn fenced_blocks(file: &str) -> Vec<String> {
    let src = std::fs::read_to_string(fixture(file)).unwrap();
    src.split("```")
        .skip(1)
        .step_by(2)
        .map(|b| {
            b.trim_start_matches(|c: char| c.is_alphanumeric())
                .to_string()
        })
        .collect()
}

#[test]
fn runtime_permissions_of_a_real_android_7_dumpsys_package() {
    use consentry::device::parse::parse_runtime_permissions;
    for name in ["dumpedOutput", "dumpedLimitedOutput"] {
        let text = template_literal("appium-adb_general-commands.spec.ts", name);
        let perms = parse_runtime_permissions(text.as_bytes()).expect("a runtime section");
        let got: Vec<(&str, bool)> = perms.iter().map(|p| (p.name.as_str(), p.granted)).collect();
        assert_eq!(
            got,
            [
                ("android.permission.ACCESS_FINE_LOCATION", true),
                ("android.permission.READ_EXTERNAL_STORAGE", true),
                ("android.permission.READ_PHONE_STATE", true),
                ("android.permission.CAMERA", false),
                ("android.permission.WRITE_EXTERNAL_STORAGE", true),
                ("android.permission.RECORD_AUDIO", true),
                ("android.permission.READ_CONTACTS", false),
            ],
            "{name}"
        );
        assert_eq!(perms[3].flags, ["USER_SET"]);
        assert!(perms[0].flags.is_empty());
    }
}

#[test]
fn runtime_permissions_of_a_real_android_10_dumpsys_package() {
    use consentry::device::parse::parse_runtime_permissions;
    let text = template_literal("appium-adb_app-commands.spec.ts", "dumpsysOutput");
    let perms = parse_runtime_permissions(text.as_bytes()).expect("a runtime section");
    // Install permissions (`granted=true` too) are not runtime permissions.
    assert_eq!(perms.len(), 1);
    assert_eq!(perms[0].name, "android.car.permission.CAR_MILEAGE");
    assert!(perms[0].granted);
    assert_eq!(perms[0].flags, ["GRANTED_BY_DEFAULT"]);
}

#[test]
fn runtime_permission_flags_in_aosp_examples() {
    use consentry::device::parse::parse_runtime_permissions;
    let blocks = fenced_blocks("aosp_Permissions.md.excerpt");
    assert_eq!(blocks.len(), 3);
    let all: Vec<_> = blocks
        .iter()
        .map(|b| parse_runtime_permissions(b.as_bytes()).expect("a runtime section"))
        .collect();
    assert_eq!(all[0].len(), 2);
    assert_eq!(
        all[0][1].flags,
        ["RESTRICTION_SYSTEM_EXEMPT", "RESTRICTION_UPGRADE_EXEMPT"]
    );
    assert!(!all[1][0].granted);
    assert_eq!(all[1][0].flags, ["USER_SET", "USER_FIXED"]);
    assert!(all[2][0].granted && all[2][0].flags == ["GRANTED_BY_DEFAULT"]);
    // A dump without the section (Android 5, unknown package) says so.
    assert_eq!(
        parse_runtime_permissions(b"Unable to find package: x\n"),
        None
    );
}

#[test]
fn app_ops_with_absolute_times_of_a_real_dumpsys_appops() {
    use consentry::device::parse::parse_appops;
    let blocks = fenced_blocks("aosp_AppOps.md.excerpt");
    // Uid-level modes and uid states hold no access.
    assert!(parse_appops(blocks[0].as_bytes()).is_empty());
    assert!(parse_appops(blocks[1].as_bytes()).is_empty());
    let ops = parse_appops(blocks[2].as_bytes());
    let names: Vec<&str> = ops.iter().map(|o| o.op.as_str()).collect();
    assert_eq!(names, ["READ_CONTACTS", "MANAGE_EXTERNAL_STORAGE"]);
    assert_eq!(ops[0].mode, "allow");
    // The newest of six accesses over three attribution tags: -11h13m45s490ms.
    assert_eq!(
        ops[0].access_ms_ago,
        Some(((11 * 60 + 13) * 60 + 45) * 1000 + 490)
    );
    assert_eq!(ops[0].reject_ms_ago, None);
    // `Reject: [fg-s]2020-…` has no space after the state.
    assert_eq!(ops[1].mode, "default");
    assert_eq!(ops[1].access_ms_ago, None);
    assert_eq!(
        ops[1].reject_ms_ago,
        Some(((5 * 60 + 39) * 60 + 49) * 1000 + 757)
    );
}

//! consentry on real phone screenshots that others made (tests/fixtures/
//! screens: 65 screens of Android, HarmonyOS and iOS apps, their sources
//! and licences in SOURCES.tsv and LICENSES.md), labelled by hand: every
//! control a user can tap with its role, and each screen's kind. Every
//! screen goes through `screen/` as `consentry inspect` sees it; the test
//! prints three figures and fails below the floors measured when it was
//! written.
//!
//! - controls: labelled controls (agree, vague, refuse, weak refuse,
//!   policy, agreement, checkbox) found with their role;
//! - false controls: a control where the labels have none (a title, a
//!   heading, a line of prose, a menu entry taken for an answer);
//! - kinds: screens whose kind is the labelled one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use consentry::perception::{words::normalize, Perceiver, Role, Words};
use consentry::screen::{identifiers, inspect, Kind};

/// The floors: below them the test fails. Measured when written: 83 of 87
/// controls, no false control, 61 of 65 kinds (README, "Real screens").
const CONTROLS_FLOOR: f64 = 0.95;
const FALSE_CONTROLS_MAX: usize = 1;
const KINDS_FLOOR: f64 = 0.90;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/screens")
}

fn tsv(name: &str) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(dir().join(name)).unwrap();
    let mut lines = text.lines();
    let head: Vec<String> = lines
        .next()
        .unwrap()
        .split('\t')
        .map(str::to_string)
        .collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            head.iter()
                .cloned()
                .zip(l.split('\t').map(str::to_string))
                .collect()
        })
        .collect()
}

/// A label's role as consentry names it (`None`: not a control's role).
fn role_of(label: &str) -> Option<Role> {
    Some(match label {
        "agree" => Role::Agree,
        "vague" => Role::Vague,
        "refuse" => Role::Refuse,
        "weak_refuse" => Role::WeakRefuse,
        "policy" => Role::Policy,
        "agreement" => Role::Agreement,
        "checkbox_ticked" | "checkbox_unticked" => Role::Checkbox,
        _ => return None,
    })
}

/// A screen's labelled kind as consentry names it.
fn kind_of(label: &str) -> Kind {
    match label {
        "consent_prompt" => Kind::ConsentPrompt,
        "login_consent" => Kind::LoginConsent,
        "permission_prompt" => Kind::PermissionDialog,
        "policy_text" => Kind::PolicyText,
        "settings" => Kind::Settings,
        "face" => Kind::FaceCapture,
        "password" => Kind::Authentication,
        // update dialogs, screens of identifiers and plain screens
        _ => Kind::Plain,
    }
}

/// Letters and digits only, lowercased: how a label and a read text are
/// compared (OCR drops or adds spaces and punctuation).
fn key(s: &str) -> String {
    normalize(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Whether a control's text is the label: the same, one or two characters
/// misread, or (for a link or a checkbox's sentence) the label inside it.
fn same(control: &str, label: &str, role: Role) -> bool {
    let (c, l) = (key(control), key(label));
    !l.is_empty()
        && (c == l
            || strsim::normalized_levenshtein(&c, &l) >= 0.75
            || (matches!(role, Role::Policy | Role::Agreement | Role::Checkbox) && c.contains(&l)))
}

#[test]
fn real_screens_get_their_controls_and_kinds() {
    let labels = tsv("LABELS.tsv");
    let screens = tsv("SCREENS.tsv");
    assert_eq!(screens.len(), 65, "SCREENS.tsv lists every screenshot");
    let words = Words::default();
    let mut perceiver = Perceiver::new().expect("PP-OCR installed (scripts/install-deps)");
    let (mut controls, mut right) = (0, 0);
    let mut false_controls = Vec::new();
    let mut misses = Vec::new();
    let mut kinds_right = 0;
    let mut wrong_kinds = Vec::new();
    // Section 6 (masked-identifiers): numbers read in full, and masked.
    let mut in_full = Vec::new();
    let mut masked = 0;
    for s in &screens {
        let file = &s["file"];
        let bytes = std::fs::read(dir().join(file)).unwrap();
        let (ins, _, obs) =
            inspect::inspect_bytes(&mut perceiver, file.clone(), &bytes, &[], None, &words)
                .unwrap();
        for t in &obs.texts {
            for f in identifiers::unmasked(&t.text) {
                in_full.push(format!("{file}: 「{}」 as a {}", t.text, f.kind.describe()));
            }
            masked += identifiers::masked(&t.text).len();
        }
        let labelled: Vec<(&str, Role)> = labels
            .iter()
            .filter(|l| &l["file"] == file)
            .filter_map(|l| role_of(&l["role"]).map(|r| (l["label"].as_str(), r)))
            .collect();
        for &(label, role) in &labelled {
            controls += 1;
            if ins
                .controls
                .iter()
                .any(|c| c.role == role && same(&c.text, label, role))
            {
                right += 1;
            } else {
                misses.push(format!("{file}: 「{label}」 as {}", role.as_str()));
            }
        }
        for c in &ins.controls {
            // A control the labels have, with another role, is a miss above.
            if !labelled.iter().any(|&(l, r)| same(&c.text, l, r)) {
                false_controls.push(format!("{file}: 「{}」 as {}", c.text, c.role.as_str()));
            }
        }
        let want = kind_of(&s["kind"]);
        if ins.kind == want {
            kinds_right += 1;
        } else {
            wrong_kinds.push(format!(
                "{file}: {} for {}",
                ins.kind.as_str(),
                want.as_str()
            ));
        }
    }
    let control_share = right as f64 / controls as f64;
    let kind_share = kinds_right as f64 / screens.len() as f64;
    println!(
        "real screens: {right}/{controls} labelled controls with their role ({:.1}%), {} false controls, {kinds_right}/{} screen kinds ({:.1}%)",
        control_share * 100.0,
        false_controls.len(),
        screens.len(),
        kind_share * 100.0
    );
    for m in &misses {
        println!("  missed     {m}");
    }
    for m in &false_controls {
        println!("  false      {m}");
    }
    for m in &wrong_kinds {
        println!("  kind       {m}");
    }
    println!(
        "identifiers: {masked} read masked, {} read in full",
        in_full.len()
    );
    assert!(
        in_full.is_empty(),
        "no real screen shows a card, mobile or ID number in full: {in_full:#?}"
    );
    assert!(
        control_share >= CONTROLS_FLOOR,
        "{right}/{controls} controls, under the floor {CONTROLS_FLOOR}: {misses:#?}"
    );
    assert!(
        false_controls.len() <= FALSE_CONTROLS_MAX,
        "false controls: {false_controls:#?}"
    );
    assert!(
        kind_share >= KINDS_FLOOR,
        "{kinds_right}/{} kinds, under the floor {KINDS_FLOOR}: {wrong_kinds:#?}",
        screens.len()
    );
}

/// Titles, questions and prose that hold agree words are never controls.
#[test]
fn titles_and_questions_are_not_controls() {
    let words = Words::default();
    let mut perceiver = Perceiver::new().expect("PP-OCR installed (scripts/install-deps)");
    for (file, not_controls) in [
        (
            "01_permissionx_contacts_allow_deny_en.png",
            &["Allow PermissionX to access your"][..],
        ),
        (
            "16_appupdate_notification_permission_zh.png",
            &["允许版本更新向您发送通知吗"],
        ),
        (
            "25_readagree_consent_dialog_en.png",
            &["Welcome to Read&Agree Sample", "Read&Agree Sample"],
        ),
        (
            "43_privacypolicydialog_accept_terms_continue_en.png",
            &["ACCEPT TERMS"],
        ),
    ] {
        let bytes = std::fs::read(dir().join(file)).unwrap();
        let (ins, _, _) =
            inspect::inspect_bytes(&mut perceiver, file.into(), &bytes, &[], None, &words).unwrap();
        for t in not_controls {
            assert!(
                !ins.controls
                    .iter()
                    .any(|c| key(&c.text).starts_with(&key(t))),
                "{file}: 「{t}」 taken for a control: {:#?}",
                ins.controls
            );
        }
    }
}

//! A mistake in a scenario file exits 2 with a diagnostic that names file,
//! line and column, shows the line, and suggests a fix where it can.

mod common;

use common::consentry_in;

fn check(name: &str, yaml: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), yaml).unwrap();
    let o = consentry_in(dir.path(), &["run", name, "--out", "out", "-q"]);
    assert_eq!(o.status.code(), Some(2), "scenario errors exit 2");
    assert!(o.stdout.is_empty());
    assert!(!dir.path().join("out/report.json").exists(), "nothing runs");
    String::from_utf8(o.stderr).unwrap()
}

#[test]
fn unknown_step_suggests_the_nearest() {
    let e = check(
        "typo.yaml",
        "app:\n  package: com.example.bank\nsteps:\n  - launch\n  - tapp: 同意\n",
    );
    assert!(
        e.starts_with("typo.yaml:5:5: error: unknown step `tapp`"),
        "{e}"
    );
    insta::assert_snapshot!(e);
}

#[test]
fn wrong_type_names_what_was_expected() {
    let e = check(
        "types.yaml",
        "app:\n  package: com.example.bank\nsteps:\n  - wait: soon\n",
    );
    assert!(
        e.starts_with("types.yaml:4:11: error: `wait` must be a duration"),
        "{e}"
    );
    insta::assert_snapshot!(e);
}

#[test]
fn boolean_option_with_a_string() {
    let e = check(
        "bool.yaml",
        "app:\n  package: com.example.bank\nclear_data: \"yes\"\nsteps:\n  - launch\n",
    );
    assert!(
        e.starts_with("bool.yaml:3:13: error: `clear_data` must be true or false, found a string"),
        "{e}"
    );
}

#[test]
fn missing_app_says_what_to_add() {
    let e = check("noapp.yaml", "steps:\n  - launch\n");
    assert!(
        e.starts_with("noapp.yaml:1:1: error: missing `app:`"),
        "{e}"
    );
    insta::assert_snapshot!(e);
}

#[test]
fn bad_indentation_is_a_yaml_error_with_position() {
    let e = check(
        "indent.yaml",
        "app:\n  package: com.example.bank\n   activity: .Main\nsteps:\n  - launch\n",
    );
    assert!(e.starts_with("indent.yaml:3:"), "{e}");
    assert!(e.contains("invalid YAML"), "{e}");
    insta::assert_snapshot!(e);
}

#[test]
fn unknown_rule_suggests_the_nearest() {
    let e = check("rule.yaml", "app:\n  package: com.example.bank\nrules: [explicit-consent, no-popup-loops]\nsteps:\n  - launch\n");
    assert!(
        e.starts_with("rule.yaml:3:27: error: unknown rule `no-popup-loops`"),
        "{e}"
    );
    assert!(e.contains("did you mean `no-popup-loop`?"), "{e}");
    insta::assert_snapshot!(e);
}

#[test]
fn unknown_top_level_key() {
    let e = check(
        "key.yaml",
        "app:\n  package: com.example.bank\nstep:\n  - launch\n",
    );
    assert!(
        e.starts_with("key.yaml:3:1: error: unknown key `step` in a scenario"),
        "{e}"
    );
    assert!(e.contains("did you mean `steps`?"));
}

#[test]
fn two_keys_in_one_step_point_at_the_second() {
    let e = check(
        "merge.yaml",
        "app:\n  package: com.example.bank\nsteps:\n  - tap: 同意\n    back:\n",
    );
    assert!(
        e.starts_with("merge.yaml:5:5: error: a step has one name"),
        "{e}"
    );
}

#[test]
fn a_missing_file_is_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let o = consentry_in(dir.path(), &["run", "nope.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read nope.yaml"));
}

#[test]
fn check_accepts_every_bundled_scenario() {
    let o = common::consentry(&["check", "scenarios"]);
    common::assert_exit(&o, 0);
    // Every file in every theme folder, one line each.
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).lines().count(),
        consentry::BUNDLED_SCENARIOS.len()
    );
}

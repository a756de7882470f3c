//! Section 7's data and permission rules end to end on the simulated
//! device: an app that reads device ids before consent, asks two
//! permissions in one go at start-up and tracks location every 5 s, also in
//! the background; and one that does none of it
//! (tests/fixtures/section7).

mod common;

use common::{consentry, statuses};

#[test]
fn data_and_permission_rules_on_a_tracking_and_a_careful_app() {
    let out = tempfile::tempdir().unwrap();
    let dir = "tests/fixtures/section7";
    let o = consentry(&[
        "run",
        &format!("{dir}/tracker.yaml"),
        &format!("{dir}/careful.yaml"),
        "--sim-app",
        &format!("{dir}/tracker-app.yaml"),
        "--sim-app",
        &format!("{dir}/careful-app.yaml"),
        "--out",
        &out.path().display().to_string(),
        "-q",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let got: Vec<(String, String, String)> = statuses(out.path());
    let want = |app: &str, rule: &str, status: &str| {
        assert!(
            got.contains(&(app.into(), rule.into(), status.into())),
            "{app} {rule} {status}: {got:?}"
        )
    };
    for rule in [
        "no-collection-before-consent",
        "no-background-collection",
        "collection-frequency",
        "no-upfront-permission",
        "no-bundled-permissions",
        "auth-state-unchanged",
    ] {
        want("tracker", rule, "fail");
    }
    want("tracker", "policy-on-first-launch", "pass");
    for rule in [
        "policy-on-first-launch",
        "no-collection-before-consent",
        "no-background-collection",
        "collection-frequency",
        "no-upfront-permission",
        "auth-state-unchanged",
    ] {
        want("careful", rule, "pass");
    }
    // It asked for no permission: nothing to judge.
    want("careful", "no-bundled-permissions", "inconclusive");

    // The messages name what was read and when.
    let report = common::report(out.path());
    let text = report.to_string();
    assert!(
        text.contains("READ_PHONE_STATE (phone state and device ids)"),
        "{text}"
    );
    assert!(
        text.contains("location and then contacts were asked in one go"),
        "{text}"
    );
}

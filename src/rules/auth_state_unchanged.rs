//! `auth-state-unchanged`, 7.2(e): the app's runtime permissions change only
//! by the user's own answer. Grant states (`dumpsys package`) are read
//! before each launch and after each action; a permission that becomes
//! granted without the user allowing it in a permission dialog fails.
//! Permissions that become revoked are not judged (Android revokes those of
//! unused apps by itself, and clearing data revokes all).

use super::evidence::is_permission_dialog;
use super::{Outcome, Rule, Section, Status};
use crate::device::RuntimePermission;
use crate::perception::Role;
use crate::trace::{ActionKind, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "auth-state-unchanged",
    clause: "7.2(e)",
    default_on: false,
    fails_when: "a runtime permission changes state without the user granting it",
    by_a_person: false,
    section: Section::Seven,
    level2: false,
    check: Some(check),
};

fn granted(p: &[RuntimePermission], name: &str) -> bool {
    p.iter().any(|x| x.name == name && x.granted)
}

fn check(trace: &Trace) -> Outcome {
    if trace.app.is_mini_program() {
        return Outcome::plain(
            Status::Inconclusive,
            Vec::new(),
            crate::said!(
                "auth-state-unchanged-mini-program",
                package = trace.app.package.as_str()
            ),
        );
    }
    // Snapshots in order: (position in frames, taken before the frame's
    // action?, permissions).
    let frames = &trace.frames;
    let mut snaps: Vec<(usize, bool, &[RuntimePermission])> = Vec::new();
    for (i, f) in frames.iter().enumerate() {
        if let Some(p) = &f.permissions_before {
            snaps.push((i, true, p));
        }
        if let Some(p) = &f.permissions {
            snaps.push((i, false, p));
        }
    }
    if snaps.len() < 2 {
        return Outcome::plain(
            Status::Inconclusive,
            Vec::new(),
            crate::said!("auth-state-unchanged-not-read"),
        );
    }
    for w in snaps.windows(2) {
        let ((a, a_before, pa), (b, _, pb)) = (w[0], w[1]);
        for p in pb.iter().filter(|p| p.granted && !granted(pa, &p.name)) {
            // The user allowed something in a dialog between the two reads.
            let first = if a_before { a } else { a + 1 };
            let user = (first.max(1)..=b).any(|i| {
                frames[i].action == ActionKind::Tap
                    && is_permission_dialog(&frames[i - 1])
                    && frames[i]
                        .tap
                        .as_ref()
                        .and_then(|t| t.role)
                        .is_some_and(|r| matches!(r, Role::Agree | Role::Vague))
            });
            if !user {
                return Outcome::plain(
                    Status::Fail,
                    vec![frames[a].index, frames[b].index],
                    crate::said!(
                        "auth-state-unchanged-fail",
                        permission = p.name.as_str(),
                        from = frames[a].index,
                        to = frames[b].index
                    ),
                );
            }
        }
    }
    let first = snaps[0].2.iter().filter(|p| p.granted).count();
    let last = snaps[snaps.len() - 1]
        .2
        .iter()
        .filter(|p| p.granted)
        .count();
    Outcome::plain(
        Status::Pass,
        vec![
            frames[snaps[0].0].index,
            frames[snaps[snaps.len() - 1].0].index,
        ],
        crate::said!(
            "auth-state-unchanged-pass",
            reads = snaps.len(),
            first = first,
            last = last
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::evidence::testing::*;
    use super::super::no_upfront_permission::tests::dialog;
    use super::*;
    use crate::trace::Frame;

    fn perms(granted: &[(&str, bool)]) -> Option<Vec<RuntimePermission>> {
        Some(
            granted
                .iter()
                .map(|(n, g)| RuntimePermission {
                    name: format!("android.permission.{n}"),
                    granted: *g,
                    flags: Vec::new(),
                })
                .collect(),
        )
    }

    fn launch(before: &[(&str, bool)], after: &[(&str, bool)]) -> Frame {
        let mut f = prompt(2000);
        f.permissions_before = perms(before);
        f.permissions = perms(after);
        f
    }

    #[test]
    fn a_grant_without_a_dialog_fails() {
        let t = trace(vec![launch(
            &[("READ_CONTACTS", false)],
            &[("READ_CONTACTS", true)],
        )]);
        let o = check(&t);
        assert_eq!(o.status, Status::Fail, "{}", o.message);
        assert!(
            o.message
                .starts_with("android.permission.READ_CONTACTS became granted"),
            "{}",
            o.message
        );
    }

    #[test]
    fn a_grant_the_user_allowed_passes_and_one_read_is_inconclusive() {
        let d = dialog(3000, "要允许“银行”访问您的通讯录吗？");
        let mut after = tapped(
            frame(ActionKind::Tap, 4000, &[("首页", Role::Other)]),
            "允许",
            Role::Agree,
        );
        after.permissions = perms(&[("READ_CONTACTS", true)]);
        let t = trace(vec![
            launch(&[("READ_CONTACTS", false)], &[("READ_CONTACTS", false)]),
            d,
            after,
        ]);
        let o = check(&t);
        assert_eq!(o.status, Status::Pass, "{}", o.message);
        let mut one = prompt(2000);
        one.permissions = perms(&[]);
        assert_eq!(check(&trace(vec![one])).status, Status::Inconclusive);
    }
}

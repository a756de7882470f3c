//! `no-upfront-permission`, 7.2(b): runtime permissions are asked when the
//! function that needs them is used, not at start-up. A permission dialog
//! that appears after a launch before the user used any function of the
//! app (only the consent prompt was answered) fails.

use super::evidence::{group_list, is_permission_dialog, permission_dialogs};
use super::{Outcome, Rule, Section, Status};
use crate::perception::Role;
use crate::trace::{ActionKind, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "no-upfront-permission",
    clause: "7.2(b)",
    default_on: false,
    fails_when: "a permission is asked at start-up, before the function that needs it",
    by_a_person: false,
    section: Section::Seven,
    level2: false,
    check: Some(check),
};

fn check(trace: &Trace) -> Outcome {
    let frames = &trace.frames;
    let Some(first_launch) = frames.iter().position(|f| f.action == ActionKind::Launch) else {
        return Outcome::plain(
            Status::Inconclusive,
            Vec::new(),
            crate::said!("no-upfront-permission-never-launched"),
        );
    };
    let dialogs = permission_dialogs(trace);
    for d in &dialogs {
        let at = frames.iter().position(|f| f.index == d.frame).unwrap_or(0);
        let Some(launch) = frames[..=at]
            .iter()
            .rposition(|f| f.action == ActionKind::Launch)
        else {
            continue;
        };
        // A function used: a tap on the app's own screen that was neither a
        // consent-prompt answer nor a permission-dialog answer.
        let used = (launch + 1..=at).any(|i| {
            let f = &frames[i];
            f.action == ActionKind::Tap
                && !is_permission_dialog(&frames[i - 1])
                && !super::is_consent_prompt(&frames[i - 1], trace)
                && !f.tap.as_ref().and_then(|t| t.role).is_some_and(|r| {
                    matches!(
                        r,
                        Role::Agree
                            | Role::Vague
                            | Role::Refuse
                            | Role::WeakRefuse
                            | Role::Checkbox
                    )
                })
        });
        if !used {
            let mut evidence = vec![frames[launch].index, d.frame];
            evidence.dedup();
            let when = match at - launch {
                0 => crate::said!("no-upfront-permission-on-launch-frame"),
                n => crate::said!("no-upfront-permission-frames-after", n = n),
            };
            return Outcome::plain(
                Status::Fail,
                evidence,
                crate::said!(
                    "no-upfront-permission-fail",
                    groups = group_list(&d.groups),
                    when = when
                ),
            );
        }
    }
    let after = frames.len() - first_launch;
    Outcome::plain(
        Status::Pass,
        std::iter::once(frames[first_launch].index)
            .chain(dialogs.iter().map(|d| d.frame))
            .collect(),
        if dialogs.is_empty() {
            crate::said!("no-upfront-permission-none", after = after)
        } else {
            crate::said!("no-upfront-permission-pass", n = dialogs.len())
        },
    )
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::evidence::testing::*;
    use super::*;
    use crate::trace::Frame;

    pub(crate) fn dialog(at: u64, text: &str) -> Frame {
        elsewhere(
            frame(
                ActionKind::Look,
                at,
                &[
                    (text, Role::Other),
                    ("允许", Role::Agree),
                    ("不允许", Role::Refuse),
                ],
            ),
            "com.android.permissioncontroller",
            "com.android.permissioncontroller.permission.ui.GrantPermissionsActivity",
        )
    }

    #[test]
    fn a_dialog_right_after_consent_fails() {
        let mut d = dialog(5000, "要允许“银行”获取此设备的位置信息吗？");
        d = tapped(d, "同意", Role::Agree);
        let o = check(&trace(vec![prompt(2000), d]));
        assert_eq!(o.status, Status::Fail, "{}", o.message);
        assert!(
            o.message.starts_with("location was asked at start-up"),
            "{}",
            o.message
        );
        assert_eq!(o.evidence, [0, 1]);
    }

    #[test]
    fn a_dialog_after_using_a_function_passes() {
        let home = tapped(
            frame(ActionKind::Tap, 5000, &[("首页", Role::Other)]),
            "同意",
            Role::Agree,
        );
        let d = tapped(
            dialog(8000, "要允许“银行”拍摄照片和录制视频吗？"),
            "扫一扫",
            Role::Other,
        );
        let o = check(&trace(vec![prompt(2000), home, d]));
        assert_eq!(o.status, Status::Pass, "{}", o.message);
        // No dialog at all passes; no launch is inconclusive.
        assert_eq!(check(&trace(vec![prompt(2000)])).status, Status::Pass);
        let mut f = prompt(2000);
        f.action = ActionKind::Look;
        assert_eq!(check(&trace(vec![f])).status, Status::Inconclusive);
    }
}

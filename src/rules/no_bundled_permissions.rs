//! `no-bundled-permissions`, 7.2(b): permissions are asked one at a time,
//! each when its function needs it. Several asked in one go — one dialog
//! naming several, a `1 of 3` series, or a dialog that follows straight on
//! the answer to another — fail.

use super::evidence::{group_list, permission_dialogs};
use super::{Outcome, Rule, Section, Status};
use crate::trace::Trace;

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "no-bundled-permissions",
    clause: "7.2(b)",
    default_on: false,
    fails_when: "several permissions are asked in one go",
    by_a_person: false,
    section: Section::Seven,
    level2: false,
    check: Some(check),
};

fn check(trace: &Trace) -> Outcome {
    let dialogs = permission_dialogs(trace);
    if dialogs.is_empty() {
        return Outcome::plain(
            Status::Inconclusive,
            Vec::new(),
            crate::said!("no-bundled-permissions-no-dialog"),
        );
    }
    for (k, d) in dialogs.iter().enumerate() {
        if d.groups.len() > 1 || d.one_of_several {
            return Outcome::plain(
                Status::Fail,
                vec![d.frame],
                if d.one_of_several {
                    crate::said!(
                        "no-bundled-permissions-several-series",
                        groups = group_list(&d.groups)
                    )
                } else {
                    crate::said!(
                        "no-bundled-permissions-several",
                        groups = group_list(&d.groups)
                    )
                },
            );
        }
        if d.after_dialog && k > 0 && dialogs[k - 1].groups != d.groups {
            let prev = &dialogs[k - 1];
            return Outcome::plain(
                Status::Fail,
                vec![prev.frame, d.frame],
                crate::said!(
                    "no-bundled-permissions-in-one-go",
                    first = group_list(&prev.groups),
                    second = group_list(&d.groups)
                ),
            );
        }
    }
    Outcome::plain(
        Status::Pass,
        dialogs.iter().map(|d| d.frame).collect(),
        crate::said!("no-bundled-permissions-pass", n = dialogs.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::super::evidence::testing::*;
    use super::super::no_upfront_permission::tests::dialog;
    use super::*;
    use crate::perception::Role;
    use crate::trace::ActionKind;

    #[test]
    fn a_dialog_straight_after_another_fails() {
        let a = dialog(3000, "要允许“银行”获取此设备的位置信息吗？");
        let b = tapped(
            dialog(4000, "要允许“银行”访问您的通讯录吗？"),
            "允许",
            Role::Agree,
        );
        let o = check(&trace(vec![prompt(1000), a, b]));
        assert_eq!(o.status, Status::Fail, "{}", o.message);
        assert!(
            o.message.starts_with("location and then contacts"),
            "{}",
            o.message
        );
        // A numbered series on AOSP.
        let c = dialog(
            3000,
            "要允许“银行”访问您的通讯录吗？ 第 1 项权限（共 2 项）",
        );
        assert_eq!(check(&trace(vec![c])).status, Status::Fail);
    }

    #[test]
    fn dialogs_apart_pass_and_none_is_inconclusive() {
        let a = dialog(3000, "要允许“银行”获取此设备的位置信息吗？");
        let home = tapped(
            frame(ActionKind::Tap, 4000, &[("首页", Role::Other)]),
            "允许",
            Role::Agree,
        );
        let b = tapped(
            dialog(9000, "要允许“银行”拍摄照片和录制视频吗？"),
            "扫一扫",
            Role::Other,
        );
        let o = check(&trace(vec![a, home, b]));
        assert_eq!(o.status, Status::Pass, "{}", o.message);
        assert_eq!(
            check(&trace(vec![prompt(1000)])).status,
            Status::Inconclusive
        );
    }
}

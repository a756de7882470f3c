//! `no-frequent-reprompt`, 7.2(f)(3): once the user refused a permission,
//! the app does not ask for it again on relaunch, by itself, or on a page
//! that does not need it (MIIT 164号 2.1 scenes 5 and 6).
//!
//! Asking again is allowed when the user opens the function that needs
//! it: the dialog follows the user's tap on an entry that either is the
//! one that led to the refused dialog, or names a function of that
//! permission (附近网点 / 地图 for location, 扫一扫 / 人脸 for the camera …).
//! A tap on the app's own "go on" control of an explanation screen
//! (去开启) is looked through to the entry tapped before it.

use super::evidence::{group_list, permission_dialogs, Dialog};
use super::{Outcome, Rule, Section, Status};
use crate::perception::Role;
use crate::trace::{ActionKind, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "no-frequent-reprompt",
    clause: "7.2(f)(3)",
    default_on: false,
    fails_when:
        "a refused permission is asked again on relaunch or on a page that does not need it",
    by_a_person: false,
    section: Section::Seven,
    level2: false,
    check: Some(check),
};

/// Words of the functions that need a permission, by group: an entry
/// whose label has one of them opens a function that needs it.
const FUNCTIONS: &[(&str, &[&str])] = &[
    (
        "location",
        &[
            "附近", "网点", "地图", "导航", "定位", "位置", "门店", "周边", "城市", "天气", "atm",
            "nearby", "map", "location", "branch", "store", "near me",
        ],
    ),
    (
        "camera",
        &[
            "扫",
            "拍",
            "相机",
            "摄像",
            "人脸",
            "刷脸",
            "识别",
            "视频",
            "身份证",
            "证件",
            "二维码",
            "头像",
            "scan",
            "camera",
            "photo",
            "face",
            "video",
            "qr",
        ],
    ),
    (
        "contacts",
        &[
            "通讯录",
            "联系人",
            "好友",
            "邀请",
            "contacts",
            "invite",
            "friends",
        ],
    ),
    (
        "microphone",
        &[
            "语音",
            "录音",
            "视频",
            "通话",
            "麦克风",
            "voice",
            "audio",
            "call",
            "microphone",
        ],
    ),
    (
        "storage",
        &[
            "上传", "相册", "图片", "照片", "保存", "下载", "文件", "截图", "分享", "upload",
            "album", "save", "download", "file", "share",
        ],
    ),
    ("phone", &["电话", "客服", "拨打", "通话", "call", "phone"]),
    (
        "phone number",
        &["登录", "注册", "手机号", "绑定", "login", "log in", "sign"],
    ),
    ("calendar", &["日历", "提醒", "预约", "calendar", "remind"]),
    ("SMS", &["短信", "验证码", "sms"]),
    ("notifications", &["通知", "提醒", "消息", "notification"]),
    (
        "profile",
        &["登录", "个人", "头像", "我的", "login", "profile"],
    ),
];

/// How a dialog came up.
#[derive(Debug, PartialEq)]
enum Cause {
    /// The user tapped this entry (looking through an explain screen).
    Entry(String),
    /// The app was launched.
    Launch,
    /// Nothing the user did: it appeared by itself, or after back.
    Itself,
}

/// What brought a dialog up: the latest user action within the two
/// frames before it (its own frame's action and the one before).
fn cause(trace: &Trace, d: &Dialog) -> Cause {
    let frames = &trace.frames;
    let Some(at) = frames.iter().position(|f| f.index == d.frame) else {
        return Cause::Itself;
    };
    for k in (at.saturating_sub(1)..=at).rev() {
        let f = &frames[k];
        match f.action {
            ActionKind::Launch => return Cause::Launch,
            ActionKind::Tap => {
                let Some(tap) = &f.tap else { continue };
                let label = tap.label.clone().unwrap_or_default();
                // An answer control (去开启 on the app's explain screen):
                // look through it to what opened that screen.
                let answer = tap.role.is_some_and(|r| {
                    matches!(
                        r,
                        Role::Agree | Role::Vague | Role::Refuse | Role::WeakRefuse
                    )
                });
                if answer && k > 0 && k == at {
                    continue;
                }
                return Cause::Entry(label);
            }
            ActionKind::Look | ActionKind::Swipe => continue,
            _ => return Cause::Itself,
        }
    }
    Cause::Itself
}

/// Whether an entry label opens a function of one of these groups.
fn needs(label: &str, groups: &[&str]) -> bool {
    let l = label.to_lowercase();
    FUNCTIONS
        .iter()
        .filter(|(g, _)| groups.contains(g))
        .any(|(_, words)| words.iter().any(|w| l.contains(w)))
}

fn check(trace: &Trace) -> Outcome {
    let dialogs = permission_dialogs(trace);
    let frames = &trace.frames;
    let refused: Vec<&Dialog> = dialogs
        .iter()
        .filter(|d| d.answer.as_ref().is_some_and(|a| a.refused))
        .collect();
    if refused.is_empty() {
        return Outcome::plain(
            Status::Inconclusive,
            dialogs.iter().map(|d| d.frame).collect(),
            if dialogs.is_empty() {
                crate::said!("no-frequent-reprompt-no-dialog")
            } else {
                crate::said!("no-frequent-reprompt-none-refused", n = dialogs.len())
            },
        );
    }
    let pos = |index: usize| frames.iter().position(|f| f.index == index).unwrap_or(0);
    let mut allowed = 0;
    let mut exercised = false;
    for r in &refused {
        let Some(answer) = &r.answer else { continue };
        let after = pos(answer.frame);
        // What opened the refused dialog, to know its function again.
        let opened_by = match cause(trace, r) {
            Cause::Entry(l) => Some(l),
            _ => None,
        };
        let next_ask = dialogs.iter().find(|e| {
            e.frame > answer.frame
                && (e.groups.iter().any(|g| r.groups.contains(g))
                    || (e.groups.is_empty() && r.groups.is_empty()))
        });
        let until = next_ask.map_or(frames.len(), |e| pos(e.frame));
        // The refusal was put to the test: a relaunch, or the user moved on
        // to other pages.
        exercised |= frames[after + 1..until].iter().any(|f| {
            matches!(
                f.action,
                ActionKind::Launch | ActionKind::Tap | ActionKind::Back
            )
        });
        let Some(e) = next_ask else { continue };
        exercised = true;
        let what = group_list(&r.groups);
        let fail = |why: crate::i18n::Said| {
            Outcome::plain(
                Status::Fail,
                vec![r.frame, answer.frame, e.frame],
                crate::said!(
                    "no-frequent-reprompt-asked-again",
                    what = &what,
                    refused = r.frame,
                    again = e.frame,
                    why = why
                ),
            )
        };
        let relaunched = frames[after..=pos(e.frame)]
            .iter()
            .any(|f| f.action == ActionKind::Launch);
        match cause(trace, e) {
            Cause::Entry(label)
                if opened_by.as_deref() == Some(label.as_str()) || needs(&label, &r.groups) =>
            {
                // The user opened the function that needs it.
                allowed += 1;
            }
            Cause::Entry(label) => {
                return fail(crate::said!(
                    "no-frequent-reprompt-on-other-page",
                    label = label,
                    relaunch = if relaunched {
                        crate::said!("no-frequent-reprompt-after-relaunch")
                    } else {
                        crate::i18n::Said::none()
                    }
                ))
            }
            Cause::Launch => return fail(crate::said!("no-frequent-reprompt-on-relaunch")),
            Cause::Itself => {
                return fail(crate::said!(
                    "no-frequent-reprompt-by-itself",
                    secs = super::evidence::secs(
                        frames[pos(e.frame)].elapsed_ms as i64 - frames[after].elapsed_ms as i64
                    )
                ))
            }
        }
    }
    if !exercised {
        return Outcome::plain(
            Status::Inconclusive,
            refused.iter().map(|d| d.frame).collect(),
            crate::said!("no-frequent-reprompt-not-exercised", n = refused.len()),
        );
    }
    Outcome::plain(
        Status::Pass,
        refused
            .iter()
            .flat_map(|d| std::iter::once(d.frame).chain(d.answer.as_ref().map(|a| a.frame)))
            .collect(),
        crate::said!(
            "no-frequent-reprompt-pass",
            n = refused.len(),
            groups = group_list(&refused.iter().flat_map(|d| d.groups.iter().copied()).fold(
                Vec::new(),
                |mut v, g| {
                    if !v.contains(&g) {
                        v.push(g);
                    }
                    v
                }
            )),
            allowed = if allowed > 0 {
                crate::said!("no-frequent-reprompt-allowed", n = allowed)
            } else {
                crate::i18n::Said::none()
            }
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::evidence::testing::*;
    use super::super::no_upfront_permission::tests::dialog;
    use super::*;
    use crate::trace::Frame;

    const LOC: &str = "要允许“银行”获取此设备的位置信息吗？";

    fn home(at: u64, after: &str, role: Role) -> Frame {
        tapped(
            frame(
                ActionKind::Tap,
                at,
                &[("附近网点", Role::Other), ("理财", Role::Other)],
            ),
            after,
            role,
        )
    }

    fn launch(at: u64) -> Frame {
        frame(ActionKind::Launch, at, &[("首页", Role::Other)])
    }

    #[test]
    fn asked_again_on_relaunch_or_an_unrelated_page_fails() {
        let first = tapped(dialog(2000, LOC), "同意", Role::Agree);
        let again = dialog(9000, LOC);
        let mut t = vec![
            prompt(1000),
            first,
            home(3000, "不允许", Role::Refuse),
            launch(8000),
            again,
        ];
        t[4].action = ActionKind::Tap;
        t[4] = tapped(t[4].clone(), "理财", Role::Other);
        let o = check(&trace(t.clone()));
        assert_eq!(o.status, Status::Fail, "{}", o.message);
        assert!(
            o.message.contains(
                "on a page that does not need it, after tapping 「理财」 (after a relaunch)"
            ),
            "{}",
            o.message
        );
        // Straight at launch.
        t[4] = dialog(9000, LOC);
        t.remove(3);
        let mut at_launch = t.clone();
        at_launch[3].action = ActionKind::Launch;
        let o = check(&trace(at_launch));
        assert!(o.message.contains("on relaunch"), "{}", o.message);
        assert_eq!(o.evidence, [1, 2, 3]);
    }

    #[test]
    fn asked_again_when_the_user_opens_its_function_passes() {
        let first = tapped(dialog(2000, LOC), "附近网点", Role::Other);
        let again = tapped(dialog(9000, LOC), "附近网点", Role::Other);
        let t = vec![
            home(1000, "同意", Role::Agree),
            first,
            home(3000, "不允许", Role::Refuse),
            launch(8000),
            again,
        ];
        let o = check(&trace(t));
        assert_eq!(o.status, Status::Pass, "{}", o.message);
        assert!(o.message.contains("asked again 1 time(s)"), "{}", o.message);
    }

    #[test]
    fn nothing_refused_or_nothing_after_is_inconclusive() {
        let d = tapped(dialog(2000, LOC), "附近网点", Role::Other);
        let allowed = home(3000, "允许", Role::Agree);
        let o = check(&trace(vec![prompt(1000), d.clone(), allowed]));
        assert_eq!(o.status, Status::Inconclusive, "{}", o.message);
        let refused = home(3000, "不允许", Role::Refuse);
        let o = check(&trace(vec![prompt(1000), d, refused]));
        assert_eq!(o.status, Status::Inconclusive, "{}", o.message);
        assert!(o.message.contains("ended right after"), "{}", o.message);
    }
}

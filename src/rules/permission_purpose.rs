//! `permission-purpose`, 7.2(a): a runtime permission is asked together
//! with why. Every permission dialog — Android's own, a vendor's (MIUI,
//! EMUI …) or a host app's authorization sheet for a mini program — must
//! carry its purpose, or come right after a screen of the app that states
//! it. Since Android 11 an app cannot put text on the system dialog, so
//! most apps show their own explanation first; vendors' dialogs and host
//! sheets often carry a reason line.
//!
//! A purpose is a clause that says what the data is for (用于 / 以便 /
//! 为了 / 为您推荐 … / 使用扫一扫时需要 …, "to show branches near you",
//! "used to …"). A stock phrase that names nothing (「用于为您提供相关服务」,
//! "to improve your experience") is not one. On the screen before the
//! dialog the purpose counts only when that screen names the same
//! permission (位置 / 定位 for location …), so an unrelated sentence on the
//! page the user came from does not pass a dialog.

use super::evidence::{
    group_list, groups_in, is_permission_prompt, permission_dialogs, purpose_in, quote, Dialog,
    Purpose,
};
use super::{Highlight, Outcome, Rule, Section, Status};
use crate::trace::{ActionKind, Frame, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "permission-purpose",
    clause: "7.2(a)",
    default_on: false,
    fails_when: "a permission dialog comes without a purpose shown with it or right before it",
    by_a_person: false,
    section: Section::Seven,
    level2: false,
    check: Some(check),
};

/// How many frames before a dialog may hold its explanation: the screen
/// the user acted on to bring it up, and the one before that (an explain
/// dialog over the page that opened it).
const LOOK_BACK: usize = 2;

/// Where a dialog's purpose was found.
struct Found {
    frame: usize,
    text: String,
    highlight: Highlight,
    on_dialog: bool,
}

/// The first specific purpose on a frame, with its text item; the first
/// vague one is remembered in `vague`.
fn purpose_on(f: &Frame, vague: &mut Option<String>) -> Option<(String, Highlight)> {
    for t in &f.texts {
        match purpose_in(&t.text) {
            Some(Purpose::Specific(p)) => {
                return Some((
                    p,
                    Highlight {
                        frame: f.index,
                        bounds: t.bounds,
                        label: "purpose".into(),
                    },
                ))
            }
            Some(Purpose::Vague(v)) => {
                vague.get_or_insert(v);
            }
            None => {}
        }
    }
    None
}

/// Looks for the purpose of one dialog: on it, then on the frames right
/// before it (not across another dialog, a launch or the app leaving).
fn find(trace: &Trace, d: &Dialog, vague: &mut Option<String>) -> Option<Found> {
    let frames = &trace.frames;
    let at = frames.iter().position(|f| f.index == d.frame)?;
    let end = frames.iter().position(|f| f.index == d.last).unwrap_or(at);
    for f in &frames[at..=end] {
        if let Some((text, highlight)) = purpose_on(f, vague) {
            return Some(Found {
                frame: f.index,
                text,
                highlight,
                on_dialog: true,
            });
        }
    }
    for k in (at.saturating_sub(LOOK_BACK)..at).rev() {
        let f = &frames[k];
        if is_permission_prompt(f, trace) || matches!(f.action, ActionKind::Stop | ActionKind::Home)
        {
            break;
        }
        let all: String = f
            .texts
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let names = groups_in(&all);
        let same = d.groups.is_empty() || d.groups.iter().any(|g| names.contains(g));
        if same {
            if let Some((text, highlight)) = purpose_on(f, vague) {
                return Some(Found {
                    frame: f.index,
                    text,
                    highlight,
                    on_dialog: false,
                });
            }
        }
        if f.action == ActionKind::Launch {
            break;
        }
    }
    None
}

fn what(d: &Dialog) -> crate::i18n::Said {
    if d.host {
        crate::said!(
            "permission-purpose-what-sheet",
            groups = group_list(&d.groups),
            frame = d.frame
        )
    } else {
        crate::said!(
            "permission-purpose-what-dialog",
            groups = group_list(&d.groups),
            frame = d.frame
        )
    }
}

fn check(trace: &Trace) -> Outcome {
    let dialogs = permission_dialogs(trace);
    if dialogs.is_empty() {
        return Outcome::plain(
            Status::Inconclusive,
            Vec::new(),
            crate::said!("permission-purpose-no-dialog"),
        );
    }
    let mut found = Vec::new();
    let mut missing: Vec<(&Dialog, Option<String>)> = Vec::new();
    for d in &dialogs {
        let mut vague = None;
        match find(trace, d, &mut vague) {
            Some(f) => found.push((d, f)),
            None => missing.push((d, vague)),
        }
    }
    if let Some((d, vague)) = missing.first() {
        let at = trace
            .frames
            .iter()
            .position(|f| f.index == d.frame)
            .unwrap_or(0);
        let mut evidence: Vec<usize> = trace.frames[at.saturating_sub(1)..=at]
            .iter()
            .map(|f| f.index)
            .collect();
        evidence.dedup();
        let why = match vague {
            Some(v) => crate::said!("permission-purpose-stock-phrase", quote = quote(v, 30)),
            None => crate::said!("permission-purpose-no-purpose"),
        };
        let more = if missing.len() > 1 {
            crate::said!(
                "permission-purpose-more",
                n = missing.len(),
                total = dialogs.len()
            )
        } else {
            crate::i18n::Said::none()
        };
        return Outcome::plain(
            Status::Fail,
            evidence,
            crate::said!(
                "permission-purpose-fail",
                what = what(d),
                why = why,
                more = more
            ),
        );
    }
    let (d, f) = &found[0];
    let place = if f.on_dialog {
        crate::said!("permission-purpose-on-it")
    } else {
        crate::said!("permission-purpose-screen-before", frame = f.frame)
    };
    let mut evidence: Vec<usize> = found.iter().flat_map(|(d, f)| [f.frame, d.frame]).collect();
    evidence.sort_unstable();
    evidence.dedup();
    Outcome::new(
        Status::Pass,
        evidence,
        found.iter().map(|(_, f)| f.highlight.clone()).collect(),
        crate::said!(
            "permission-purpose-pass",
            n = dialogs.len(),
            what = what(d),
            quote = quote(&f.text, 30),
            place = place
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::evidence::testing::*;
    use super::super::evidence::{purpose_in, Purpose};
    use super::super::no_upfront_permission::tests::dialog;
    use super::*;
    use crate::perception::Role;

    fn specific(t: &str) -> bool {
        matches!(purpose_in(t), Some(Purpose::Specific(_)))
    }

    #[test]
    fn purposes_are_read_in_their_many_wordings() {
        for t in [
            "开启定位，用于为您推荐附近的网点和ATM",
            "我们将获取您的位置信息，以便查找附近网点",
            "为了完成实名认证，需要使用您的相机拍摄身份证",
            "为您推荐附近的优惠商户",
            "在您使用扫一扫时，需要使用相机权限",
            "查找附近网点需要获取您的位置",
            "你的位置信息将用于小程序位置接口的效果展示",
            "We use your location to show branches near you.",
            "Camera access is needed to scan QR codes",
            "Location is used for navigation to the nearest ATM",
        ] {
            assert!(specific(t), "{t}: {:?}", purpose_in(t));
        }
        for t in [
            "“银行”申请获取定位权限，用于为您提供相关服务",
            "为了提供更好的服务体验",
            "to improve your experience",
        ] {
            assert!(
                matches!(purpose_in(t), Some(Purpose::Vague(_))),
                "{t}: {:?}",
                purpose_in(t)
            );
        }
        for t in [
            "要允许“银行”获取此设备的位置信息吗？",
            "Allow Bank to access this device's location?",
            "欢迎使用合规银行",
            "Welcome to Bank",
            "仅在使用该应用时允许",
        ] {
            assert_eq!(purpose_in(t), None, "{t}");
        }
    }

    fn entry(at: u64, texts: &[(&str, Role)]) -> crate::trace::Frame {
        tapped(frame(ActionKind::Tap, at, texts), "首页", Role::Other)
    }

    #[test]
    fn an_explain_screen_before_the_dialog_passes() {
        let explain = entry(
            3000,
            &[
                ("开启位置权限", Role::Other),
                ("用于为您查找附近的网点", Role::Other),
                ("去开启", Role::Vague),
            ],
        );
        let d = tapped(
            dialog(4000, "要允许“银行”获取此设备的位置信息吗？"),
            "去开启",
            Role::Vague,
        );
        let o = check(&trace(vec![prompt(1000), explain, d]));
        assert_eq!(o.status, Status::Pass, "{}", o.message);
        assert!(
            o.message.contains("on the screen before it (frame 1)"),
            "{}",
            o.message
        );
        assert_eq!(o.evidence, [1, 2]);
        assert_eq!(o.highlights.len(), 1);
    }

    #[test]
    fn a_bare_dialog_or_a_stock_phrase_fails_and_none_is_inconclusive() {
        let home = entry(3000, &[("附近网点", Role::Other), ("理财", Role::Other)]);
        let d = tapped(
            dialog(4000, "要允许“银行”获取此设备的位置信息吗？"),
            "附近网点",
            Role::Other,
        );
        let o = check(&trace(vec![prompt(1000), home.clone(), d]));
        assert_eq!(o.status, Status::Fail, "{}", o.message);
        assert!(
            o.message
                .starts_with("the location permission dialog at frame 2 came with no purpose"),
            "{}",
            o.message
        );
        // A vendor's dialog with only a stock reason.
        let miui = tapped(
            dialog(4000, "“银行”申请获取定位权限，用于为您提供相关服务"),
            "附近网点",
            Role::Other,
        );
        let o = check(&trace(vec![home.clone(), miui]));
        assert_eq!(o.status, Status::Fail, "{}", o.message);
        assert!(o.message.contains("only a stock phrase"), "{}", o.message);
        // A purpose about another permission on the page before does not count.
        let other = entry(3000, &[("开启相机，用于扫码支付", Role::Other)]);
        let d = tapped(
            dialog(4000, "要允许“银行”获取此设备的位置信息吗？"),
            "附近网点",
            Role::Other,
        );
        assert_eq!(check(&trace(vec![other, d])).status, Status::Fail);
        assert_eq!(
            check(&trace(vec![prompt(1000), home])).status,
            Status::Inconclusive
        );
    }
}

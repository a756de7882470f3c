//! `biometric-notice`, 7.1(f): before face (or other biometric) data is
//! collected, the user is told separately its purpose, method and scope
//! (and how long it is kept), and agrees.
//!
//! Face capture is seen as a screen that asks the user to face the camera
//! (人脸识别 / 刷脸 with 请正对手机, 眨眨眼, "position your face" …), or
//! as the CAMERA app-op accessed while a face screen shows (a QR scanner
//! uses the camera too, so the camera alone is not a face capture). The
//! notice is a screen before it that names the biometric data, states a
//! purpose and has an agree control, and is not the app's general
//! start-up consent prompt: 7.1(f) asks for a separate notice.

use super::evidence::{accesses, consent_moment, purpose_in, quote, Purpose};
use super::{Highlight, Outcome, Rule, Section, Status};
use crate::i18n::{Listed, Said};
use crate::perception::Role;
use crate::trace::{ActionKind, Frame, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "biometric-notice",
    clause: "7.1(f)",
    default_on: false,
    fails_when: "face data is captured without a separate notice of its purpose, agreed before it",
    by_a_person: false,
    section: Section::Seven,
    level2: false,
    check: Some(check),
};

/// Words naming face or other biometric data.
const BIOMETRIC: &[&str] = &[
    "人脸",
    "刷脸",
    "面部",
    "脸部",
    "活体",
    "生物识别",
    "生物特征",
    "指纹",
    "声纹",
    "虹膜",
    "face",
    "facial",
    "liveness",
    "biometric",
    "fingerprint",
];

/// What a face-capture screen tells the user to do.
const CAPTURE: &[&str] = &[
    "正对",
    "移入框",
    "放入框",
    "框内",
    "眨眨眼",
    "眨眼",
    "张张嘴",
    "张嘴",
    "摇摇头",
    "点点头",
    "保持不动",
    "检测中",
    "识别中",
    "采集中",
    "验证中",
    "请保持",
    "光线充足",
    "拿稳手机",
    "hold still",
    "blink",
    "position your face",
    "look at the camera",
    "move your face",
    "keep your face",
    "scanning your face",
];

/// Elements of a notice besides its purpose, with the words that show them.
const ELEMENTS: &[(&str, &[&str])] = &[
    (
        "method",
        &[
            "方式",
            "通过",
            "拍摄",
            "采集",
            "比对",
            "活体检测",
            "摄像头",
            "method",
            "by capturing",
            "camera",
            "compare",
        ],
    ),
    (
        "scope",
        &[
            "范围",
            "人脸图像",
            "人脸信息",
            "面部特征",
            "面部信息",
            "生物识别信息",
            "scope",
            "face image",
            "facial data",
            "face data",
        ],
    ),
    (
        "retention",
        &[
            "保存",
            "存储",
            "保留",
            "期限",
            "删除",
            "销毁",
            "retain",
            "retention",
            "store",
            "delete",
            "kept for",
        ],
    ),
];

fn text_of(f: &Frame) -> String {
    f.texts
        .iter()
        .map(|t| t.text.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

fn has(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(&w.to_lowercase()))
}

/// A notice frame: biometric words, a specific purpose, an agree control.
fn notice(f: &Frame) -> Option<(String, Highlight)> {
    if !has(&text_of(f), BIOMETRIC) {
        return None;
    }
    if !(f.has_role(Role::Agree) || f.has_role(Role::Vague) || f.has_role(Role::Checkbox)) {
        return None;
    }
    f.texts.iter().find_map(|t| match purpose_in(&t.text) {
        Some(Purpose::Specific(p)) => Some((
            p,
            Highlight {
                frame: f.index,
                bounds: t.bounds,
                label: "purpose".into(),
            },
        )),
        _ => None,
    })
}

/// Where face capture first happens: (position, why it counts).
fn capture(trace: &Trace) -> Option<(usize, Said)> {
    let frames = &trace.frames;
    let camera: Vec<i64> = accesses(trace)
        .into_iter()
        .filter(|a| a.op == "CAMERA")
        .map(|a| a.at_ms)
        .collect();
    frames.iter().enumerate().find_map(|(i, f)| {
        let text = text_of(f);
        if !has(&text, BIOMETRIC) || notice(f).is_some() {
            return None;
        }
        let said = f
            .texts
            .iter()
            .find(|t| has(&t.text.to_lowercase(), CAPTURE));
        if let Some(t) = said {
            return Some((
                i,
                crate::said!(
                    "biometric-notice-capture-screen",
                    quote = quote(&t.text, 16)
                ),
            ));
        }
        // The camera opened by the action that led to this face screen: an
        // access from the previous capture on (the action came after it) to
        // this one.
        let from = if i == 0 {
            i64::MIN
        } else {
            frames[i - 1].elapsed_ms as i64
        };
        camera
            .iter()
            .any(|&t| t >= from && t < f.elapsed_ms as i64)
            .then(|| (i, crate::said!("biometric-notice-camera-opened")))
    })
}

/// Elements of the notice as messages name them (`method, scope`), in the
/// process's language.
fn element_list(elements: &[&str]) -> Listed {
    let items = elements.iter().map(|e| match *e {
        "method" => crate::said!("biometric-notice-element-method"),
        "scope" => crate::said!("biometric-notice-element-scope"),
        _ => crate::said!("biometric-notice-element-retention"),
    });
    Listed::join(items, &crate::t!("evidence-list-sep"))
}

fn check(trace: &Trace) -> Outcome {
    let frames = &trace.frames;
    let Some((at, what)) = capture(trace) else {
        return Outcome::plain(
            Status::Inconclusive,
            Vec::new(),
            crate::said!("biometric-notice-no-capture"),
        );
    };
    let f = &frames[at];
    // The general start-up consent prompt is not a separate notice.
    let general = consent_moment(trace).map(|(p, _)| p);
    // Data cleared since: a notice from an earlier install does not count.
    let fresh = frames[..at]
        .iter()
        .rposition(|g| g.action == ActionKind::Launch && g.step.contains("clear data"))
        .unwrap_or(0);
    let found = (fresh..at).rev().find_map(|k| {
        let g = &frames[k];
        if Some(g.index) == general {
            return None;
        }
        notice(g).map(|n| (k, n))
    });
    let Some((k, (purpose, hl))) = found else {
        let near: Option<&Frame> = frames[fresh..at].iter().rev().find(|g| {
            has(&text_of(g), BIOMETRIC)
                && (g.has_role(Role::Agree) || g.has_role(Role::Vague))
                && !super::is_consent_prompt(g, trace)
        });
        let hint = near.map(|g| crate::said!("biometric-notice-face-screen-hint", frame = g.index));
        return Outcome::plain(
            Status::Fail,
            frames[at.saturating_sub(1)..=at]
                .iter()
                .map(|g| g.index)
                .collect(),
            crate::said!(
                "biometric-notice-no-notice",
                frame = f.index,
                what = &what,
                hint = hint
            ),
        );
    };
    let n = &frames[k];
    let agreed = frames.get(k + 1).is_some_and(|next| {
        next.action == ActionKind::Tap
            && next
                .tap
                .as_ref()
                .and_then(|t| t.role)
                .is_some_and(|r| matches!(r, Role::Agree | Role::Vague | Role::Checkbox))
    });
    if !agreed {
        return Outcome::new(
            Status::Fail,
            vec![n.index, f.index],
            vec![hl],
            crate::said!(
                "biometric-notice-not-agreed",
                notice = n.index,
                frame = f.index,
                what = &what
            ),
        );
    }
    let text = text_of(n);
    let stated: Vec<&str> = ELEMENTS
        .iter()
        .filter(|(_, words)| words.iter().any(|w| text.contains(&w.to_lowercase())))
        .map(|(e, _)| *e)
        .collect();
    let missing: Vec<&str> = ELEMENTS
        .iter()
        .map(|(e, _)| *e)
        .filter(|e| !stated.contains(e))
        .collect();
    Outcome::new(
        Status::Pass,
        vec![n.index, f.index],
        vec![hl],
        crate::said!(
            "biometric-notice-pass",
            notice = n.index,
            purpose = quote(&purpose, 24),
            stated = if stated.is_empty() {
                crate::i18n::Said::none()
            } else {
                crate::said!("biometric-notice-stated", list = element_list(&stated))
            },
            missing = if missing.is_empty() {
                crate::i18n::Said::none()
            } else {
                crate::said!("biometric-notice-missing", list = element_list(&missing))
            },
            frame = f.index,
            what = &what
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::evidence::testing::*;
    use super::*;

    fn face(at: u64, label: &str) -> Frame {
        tapped(
            frame(
                ActionKind::Tap,
                at,
                &[
                    ("人脸识别", Role::Other),
                    ("请正对手机，保持光线充足", Role::Other),
                ],
            ),
            label,
            Role::Other,
        )
    }

    fn note(at: u64) -> Frame {
        tapped(
            frame(
                ActionKind::Tap,
                at,
                &[
                    ("人脸识别服务须知", Role::Other),
                    (
                        "我们将通过摄像头采集您的人脸图像，仅用于核验您的身份，核验后即删除，不作保存。",
                        Role::Other,
                    ),
                    ("同意并继续", Role::Agree),
                ],
            ),
            "刷脸认证",
            Role::Other,
        )
    }

    #[test]
    fn a_notice_agreed_before_the_capture_passes() {
        let cap = tapped(face(5000, "x"), "同意并继续", Role::Agree);
        let o = check(&trace(vec![prompt(1000), note(3000), cap]));
        assert_eq!(o.status, Status::Pass, "{}", o.message);
        assert!(
            o.message.contains("method, scope, retention"),
            "{}",
            o.message
        );
        assert_eq!(o.evidence, [1, 2]);
    }

    #[test]
    fn capture_without_a_notice_fails_and_none_is_inconclusive() {
        let o = check(&trace(vec![prompt(1000), face(3000, "刷脸认证")]));
        assert_eq!(o.status, Status::Fail, "{}", o.message);
        assert!(o.message.starts_with("face data was collected at frame 1 (a face-capture screen: 「请正对手机，保持光线充足」)"), "{}", o.message);
        // The camera opening on a face screen with no instructions.
        let quiet = with_ops(
            tapped(
                frame(ActionKind::Tap, 3000, &[("刷脸登录", Role::Other)]),
                "刷脸登录",
                Role::Other,
            ),
            &[("CAMERA", 100)],
        );
        let o = check(&trace(vec![prompt(1000), quiet]));
        assert!(o.message.contains("the camera opening"), "{}", o.message);
        // A QR scanner's camera is no face capture.
        let scan = with_ops(
            frame(ActionKind::Tap, 3000, &[("扫一扫", Role::Other)]),
            &[("CAMERA", 100)],
        );
        let o = check(&trace(vec![prompt(1000), scan]));
        assert_eq!(o.status, Status::Inconclusive, "{}", o.message);
    }
}

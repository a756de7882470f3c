//! `secure-auth-screens`, 6.6.1(g) (L2): a screen where a login password,
//! a payment password or a gesture is entered cannot be captured: its
//! window is secure (`FLAG_SECURE`), so screenshots and screen recordings
//! (and a screen-sharing app a scammer had the victim install) show it
//! black.

use super::{Outcome, Rule, Section, Status};
use crate::screen::auth;
use crate::trace::{Frame, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "secure-auth-screens",
    clause: "6.6.1(g)",
    default_on: false,
    fails_when: "a screen where a password, payment password or gesture is entered can be screenshotted (its window is not secure)",
    by_a_person: false,
    section: Section::Six,
    level2: true,
    check: Some(judge),
};

/// The screen's title, for messages.
fn title(f: &Frame) -> crate::i18n::Said {
    let t = crate::screen::kind::dialog_title(f);
    if t.starts_with('「') {
        crate::i18n::Said::verbatim(t)
    } else {
        crate::said!("secure-auth-screens-untitled")
    }
}

/// What is entered on an authentication screen, in the process's language
/// (`a login password`, …).
fn auth_kind(kind: crate::screen::auth::AuthKind) -> crate::i18n::Said {
    match kind.describe() {
        "a login password" => crate::said!("secure-auth-screens-login-password"),
        "a payment password" => crate::said!("secure-auth-screens-payment-password"),
        "a gesture" => crate::said!("secure-auth-screens-gesture"),
        other => crate::i18n::Said::verbatim(other),
    }
}

fn judge(trace: &Trace) -> Outcome {
    let mut secure: Vec<usize> = Vec::new();
    let mut unknown: Vec<usize> = Vec::new();
    for f in &trace.frames {
        let Some(kind) = auth::auth_screen(&f.texts, &f.inputs) else {
            continue;
        };
        match (f.secure, f.blank) {
            (Some(true), _) | (_, true) => secure.push(f.index),
            (Some(false), false) => {
                return Outcome::plain(
                    Status::Fail,
                    vec![f.index],
                    crate::said!(
                        "secure-auth-screens-fail",
                        what = auth_kind(kind),
                        frame = f.index,
                        title = title(f)
                    ),
                );
            }
            (None, false) => unknown.push(f.index),
        }
    }
    if let Some(&first) = secure.first() {
        let n = secure.len();
        return Outcome::plain(
            Status::Pass,
            secure,
            crate::said!("secure-auth-screens-pass", n = n, first = first),
        );
    }
    if !unknown.is_empty() {
        return Outcome::plain(
            Status::Inconclusive,
            unknown,
            crate::said!("secure-auth-screens-unknown"),
        );
    }
    Outcome::plain(
        Status::Inconclusive,
        Vec::new(),
        crate::said!("secure-auth-screens-none"),
    )
}

#[cfg(test)]
mod tests {
    use super::super::evidence::testing::*;
    use super::*;
    use crate::geom::Rect;
    use crate::perception::Role;
    use crate::screen::auth::{InputBox, Shows};
    use crate::trace::ActionKind;

    fn login(secure: Option<bool>, blank: bool) -> Frame {
        let mut f = frame(
            ActionKind::Tap,
            1000,
            &[("账号登录", Role::Other), ("登录", Role::Other)],
        );
        f.inputs.push(InputBox {
            bounds: Rect::new(100, 500, 800, 120),
            password: true,
            label: "请输入登录密码".into(),
            shows: Shows::Empty,
            typed: false,
        });
        f.secure = secure;
        f.blank = blank;
        f
    }

    #[test]
    fn secure_passes_capturable_fails_unknown_is_inconclusive() {
        assert_eq!(
            judge(&trace(vec![login(Some(true), true)])).status,
            Status::Pass
        );
        // A black screenshot is the proof when the flags are not said.
        assert_eq!(judge(&trace(vec![login(None, true)])).status, Status::Pass);
        let o = judge(&trace(vec![login(Some(false), false)]));
        assert_eq!(o.status, Status::Fail);
        assert!(
            o.message.contains("账号登录") && o.message.contains("login password"),
            "{}",
            o.message
        );
        assert_eq!(
            judge(&trace(vec![login(None, false)])).status,
            Status::Inconclusive
        );
        let home = frame(ActionKind::Tap, 0, &[("首页", Role::Other)]);
        assert_eq!(judge(&trace(vec![home])).status, Status::Inconclusive);
    }
}

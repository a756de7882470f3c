//! `vague-auth-errors`, 6.1.3(b): when a login fails, the message is vague:
//! it neither tells whether the account exists (该手机号未注册, 用户不存在,
//! 密码错误 alone) nor shows personal data (a bound phone number).

use super::{highlight, Outcome, Rule, Section, Status};
use crate::perception::TextItem;
use crate::screen::auth::{self, Gives};
use crate::trace::{ActionKind, Frame, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "vague-auth-errors",
    clause: "6.1.3(b)",
    default_on: false,
    fails_when: "a failed login's message tells whether the account exists or shows personal data",
    by_a_person: false,
    section: Section::Six,
    level2: false,
    check: Some(judge),
};

/// Whether a password (or any box) was typed on this screen before the
/// tap that submitted it.
fn submitted_after_typing(trace: &Trace, before: usize) -> bool {
    let f = &trace.frames[before];
    if auth::auth_screen(&f.texts, &f.inputs).is_none() {
        return false;
    }
    f.inputs.iter().any(|b| b.typed && !b.shows.is_empty())
        || trace.frames[..=before]
            .iter()
            .rev()
            .take_while(|p| !matches!(p.action, ActionKind::Launch | ActionKind::Stop))
            .take(6)
            .any(|p| p.action == ActionKind::Type)
}

/// The messages a submit brought: failure lines the screen did not show
/// before the tap, in the frames up to the next action.
fn messages(trace: &Trace, before: usize) -> Vec<(&Frame, &TextItem)> {
    let had = &trace.frames[before].texts;
    let mut out = Vec::new();
    for f in trace.frames[before + 1..]
        .iter()
        .enumerate()
        .take_while(|(k, f)| *k == 0 || f.action == ActionKind::Look)
        .map(|(_, f)| f)
    {
        for t in &f.texts {
            let new = !had.iter().any(|h| h.text == t.text);
            if new
                && auth::is_failure_message(&t.text)
                && !out
                    .iter()
                    .any(|(_, o): &(&Frame, &TextItem)| o.text == t.text)
            {
                out.push((f, t));
            }
        }
    }
    out
}

fn judge(trace: &Trace) -> Outcome {
    let mut vague: Vec<(usize, String)> = Vec::new();
    let mut submits = 0;
    for (i, f) in trace.frames.iter().enumerate().skip(1) {
        if f.action != ActionKind::Tap || !submitted_after_typing(trace, i - 1) {
            continue;
        }
        submits += 1;
        for (mf, t) in messages(trace, i - 1) {
            let said = super::evidence::quote(&t.text, 40);
            match auth::login_error_gives(&t.text) {
                Gives::Nothing => vague.push((mf.index, said)),
                Gives::Existence(w) => {
                    return Outcome::new(
                        Status::Fail,
                        vec![i - 1, mf.index],
                        vec![highlight(mf.index, t)],
                        crate::said!(
                            "vague-auth-errors-existence",
                            said = said.as_str(),
                            frame = mf.index,
                            word = w
                        ),
                    );
                }
                Gives::PersonalData(shown) => {
                    return Outcome::new(
                        Status::Fail,
                        vec![i - 1, mf.index],
                        vec![highlight(mf.index, t)],
                        crate::said!(
                            "vague-auth-errors-personal-data",
                            shown = shown,
                            frame = mf.index
                        ),
                    );
                }
            }
        }
    }
    if let Some((frame, said)) = vague.first() {
        let evidence = vague.iter().map(|(f, _)| *f).collect();
        return Outcome::plain(
            Status::Pass,
            evidence,
            crate::said!(
                "vague-auth-errors-pass",
                said = said.as_str(),
                frame = *frame
            ),
        );
    }
    let why = if submits == 0 {
        crate::said!("vague-auth-errors-no-submit")
    } else {
        crate::said!("vague-auth-errors-no-message")
    };
    Outcome::plain(Status::Inconclusive, Vec::new(), why)
}

#[cfg(test)]
mod tests {
    use super::super::evidence::testing::*;
    use super::*;
    use crate::geom::Rect;
    use crate::perception::Role;
    use crate::screen::auth::{InputBox, Shows};

    fn login_typed() -> Frame {
        let mut f = frame(
            ActionKind::Type,
            1000,
            &[("账号登录", Role::Other), ("登录", Role::Other)],
        );
        f.inputs.push(InputBox {
            bounds: Rect::new(100, 500, 800, 120),
            password: true,
            label: "请输入登录密码".into(),
            shows: Shows::Masked { count: 8 },
            typed: true,
        });
        f
    }

    fn after(message: &str) -> Frame {
        let mut f = login_typed();
        f.action = ActionKind::Tap;
        f.texts.push(TextItem {
            text: message.into(),
            ..f.texts[0].clone()
        });
        f
    }

    #[test]
    fn vague_passes_telling_fails_nothing_is_inconclusive() {
        let o = judge(&trace(vec![login_typed(), after("账号或密码错误")]));
        assert_eq!(o.status, Status::Pass, "{}", o.message);
        let o = judge(&trace(vec![login_typed(), after("该手机号未注册")]));
        assert_eq!(o.status, Status::Fail);
        assert!(o.message.contains("未注册"), "{}", o.message);
        let o = judge(&trace(vec![
            login_typed(),
            after("密码错误，该用户绑定手机138****5678"),
        ]));
        assert_eq!(o.status, Status::Fail, "{}", o.message);
        // Logged in: no message to judge.
        let o = judge(&trace(vec![login_typed(), after("欢迎回来")]));
        assert_eq!(o.status, Status::Inconclusive);
        let o = judge(&trace(vec![frame(
            ActionKind::Tap,
            0,
            &[("首页", Role::Other)],
        )]));
        assert_eq!(o.status, Status::Inconclusive);
        assert!(o.message.contains("no login"), "{}", o.message);
    }
}

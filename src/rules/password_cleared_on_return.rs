//! `password-cleared-on-return`, 6.6.8(b): a password typed on a page is
//! gone when the user leaves the page and comes back to it.

use super::{Highlight, Outcome, Rule, Section, Status};
use crate::screen::auth::InputBox;
use crate::trace::Trace;

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "password-cleared-on-return",
    clause: "6.6.8(b)",
    default_on: false,
    fails_when: "a password box typed into, left and come back to still holds what was typed",
    by_a_person: false,
    section: Section::Six,
    level2: false,
    check: Some(judge),
};

fn same_box(a: &InputBox, b: &InputBox) -> bool {
    a.bounds == b.bounds && a.label == b.label
}

fn judge(trace: &Trace) -> Outcome {
    let frames = &trace.frames;
    let mut cleared: Option<(usize, usize, crate::i18n::Said)> = None;
    let mut typed_any = false;
    for (i, f) in frames.iter().enumerate() {
        for b in f
            .inputs
            .iter()
            .filter(|b| b.password && b.typed && !b.shows.is_empty())
        {
            typed_any = true;
            // The first frame after it without that box: the page was left.
            let Some(left) =
                (i + 1..frames.len()).find(|&k| !frames[k].inputs.iter().any(|o| same_box(o, b)))
            else {
                continue;
            };
            // The first frame after that with the box again: back on the page.
            let Some(back) =
                (left + 1..frames.len()).find(|&k| frames[k].inputs.iter().any(|o| same_box(o, b)))
            else {
                continue;
            };
            let Some(again) = frames[back].inputs.iter().find(|o| same_box(o, b)) else {
                continue;
            };
            if !again.shows.is_empty() {
                return Outcome::new(
                    Status::Fail,
                    vec![i, left, back],
                    vec![Highlight {
                        frame: back,
                        bounds: again.bounds,
                        label: "password kept".into(),
                    }],
                    crate::said!(
                        "password-cleared-on-return-fail",
                        name = super::evidence::box_name(b, true),
                        typed = i,
                        left = left,
                        back = back
                    ),
                );
            }
            if cleared.is_none() {
                cleared = Some((i, back, super::evidence::box_name(b, true)));
            }
        }
    }
    match cleared {
        Some((typed, back, name)) => Outcome::plain(
            Status::Pass,
            vec![typed, back],
            crate::said!(
                "password-cleared-on-return-pass",
                name = name,
                typed = typed,
                back = back
            ),
        ),
        None if typed_any => Outcome::plain(
            Status::Inconclusive,
            Vec::new(),
            crate::said!("password-cleared-on-return-not-left"),
        ),
        None => Outcome::plain(
            Status::Inconclusive,
            Vec::new(),
            crate::said!("password-cleared-on-return-none-typed"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::evidence::testing::*;
    use super::*;
    use crate::geom::Rect;
    use crate::screen::auth::Shows;
    use crate::trace::{ActionKind, Frame};

    fn page(shows: Option<Shows>) -> Frame {
        let mut f = frame(ActionKind::Tap, 1000, &[]);
        if let Some(shows) = shows {
            f.inputs.push(InputBox {
                bounds: Rect::new(100, 500, 800, 120),
                password: true,
                label: "请输入登录密码".into(),
                shows,
                typed: true,
            });
        }
        f
    }

    #[test]
    fn cleared_passes_kept_fails_never_returned_is_inconclusive() {
        let typed = || page(Some(Shows::Masked { count: 8 }));
        let o = judge(&trace(vec![typed(), page(None), page(Some(Shows::Empty))]));
        assert_eq!(o.status, Status::Pass, "{}", o.message);
        let o = judge(&trace(vec![typed(), page(None), typed()]));
        assert_eq!(o.status, Status::Fail);
        assert!(o.message.contains("请输入登录密码"), "{}", o.message);
        assert_eq!(o.evidence, vec![0, 1, 2]);
        let o = judge(&trace(vec![typed(), page(None)]));
        assert_eq!(o.status, Status::Inconclusive);
        assert_eq!(judge(&trace(vec![page(None)])).status, Status::Inconclusive);
    }
}

//! `password-masked`, 6.6.7(a)(b): a login or payment password box masks
//! what is typed, every character with one and the same mask, and a
//! password is never shown in clear anywhere on the screen.

use super::{Highlight, Outcome, Rule, Section, Status};
use crate::screen::auth::{InputBox, Shows};
use crate::trace::{Frame, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "password-masked",
    clause: "6.6.7(a)(b)",
    default_on: false,
    fails_when: "a password box shows what was typed in clear, or with mixed mask characters; or the typed password shows on the screen",
    by_a_person: false,
    section: Section::Six,
    level2: false,
    check: Some(judge),
};

/// Whether the next frame shows the same box typed into: a box is judged
/// as last seen before the user left it, so a character Android echoes
/// for a moment is not taken for the box's state.
fn seen_again(next: Option<&Frame>, b: &InputBox) -> bool {
    next.is_some_and(|n| {
        n.inputs
            .iter()
            .any(|o| o.bounds == b.bounds && o.typed && !o.shows.is_empty())
    })
}

fn judge(trace: &Trace) -> Outcome {
    // A typed secret seen in clear anywhere.
    if let Some(f) = trace.frames.iter().find(|f| !f.exposed.is_empty()) {
        return Outcome::new(
            Status::Fail,
            vec![f.index],
            f.exposed
                .iter()
                .map(|r| Highlight {
                    frame: f.index,
                    bounds: *r,
                    label: "password in clear".into(),
                })
                .collect(),
            crate::said!("password-masked-exposed", frame = f.index),
        );
    }
    let mut masked: Option<(usize, crate::i18n::Said, usize, bool)> = None;
    for (i, f) in trace.frames.iter().enumerate() {
        for b in f.inputs.iter().filter(|b| b.password && b.typed) {
            if seen_again(trace.frames.get(i + 1), b) {
                continue;
            }
            let bad = match b.shows {
                Shows::Empty => continue,
                Shows::Masked { count } | Shows::Echo { count } => {
                    if masked.is_none() {
                        masked = Some((
                            i,
                            super::evidence::box_name(b, false),
                            count,
                            matches!(b.shows, Shows::Echo { .. }),
                        ));
                    }
                    continue;
                }
                Shows::MixedMasks { count } => {
                    crate::said!("password-masked-mixed", count = count)
                }
                Shows::Clear { clear, .. } => crate::said!("password-masked-clear", clear = clear),
            };
            return Outcome::new(
                Status::Fail,
                vec![i],
                vec![Highlight {
                    frame: i,
                    bounds: b.bounds,
                    label: "password box".into(),
                }],
                crate::said!(
                    "password-masked-fail",
                    name = super::evidence::box_name(b, true),
                    bad = bad,
                    frame = i
                ),
            );
        }
    }
    match masked {
        Some((i, name, count, echo)) => Outcome::plain(
            Status::Pass,
            vec![i],
            crate::said!(
                "password-masked-pass",
                name = name,
                count = count,
                frame = i,
                echo = if echo {
                    crate::said!("password-masked-echo")
                } else {
                    crate::i18n::Said::none()
                }
            ),
        ),
        None => Outcome::plain(
            Status::Inconclusive,
            Vec::new(),
            crate::said!("password-masked-none-typed"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::evidence::testing::*;
    use super::*;
    use crate::geom::Rect;
    use crate::trace::ActionKind;

    fn with_box(shows: Shows, password: bool) -> Frame {
        let mut f = frame(ActionKind::Type, 1000, &[]);
        f.inputs.push(InputBox {
            bounds: Rect::new(100, 500, 800, 120),
            password,
            label: "请输入登录密码".into(),
            shows,
            typed: true,
        });
        f
    }

    #[test]
    fn masked_passes_clear_and_mixed_fail() {
        let o = judge(&trace(vec![with_box(Shows::Masked { count: 8 }, true)]));
        assert_eq!(o.status, Status::Pass, "{}", o.message);
        let o = judge(&trace(vec![with_box(
            Shows::Clear { clear: 8, masks: 0 },
            true,
        )]));
        assert_eq!(o.status, Status::Fail);
        assert!(
            o.message.contains("请输入登录密码") && o.message.contains("in clear"),
            "{}",
            o.message
        );
        let o = judge(&trace(vec![with_box(Shows::MixedMasks { count: 8 }, true)]));
        assert_eq!(o.status, Status::Fail);
    }

    #[test]
    fn an_echoed_last_character_is_android_not_the_app() {
        let o = judge(&trace(vec![with_box(Shows::Echo { count: 7 }, true)]));
        assert_eq!(o.status, Status::Pass, "{}", o.message);
        // Judged as last seen: clear for a moment, masked after.
        let o = judge(&trace(vec![
            with_box(Shows::Clear { clear: 2, masks: 6 }, true),
            with_box(Shows::Masked { count: 8 }, true),
        ]));
        assert_eq!(o.status, Status::Pass, "{}", o.message);
    }

    #[test]
    fn a_secret_in_clear_anywhere_fails_and_nothing_typed_is_inconclusive() {
        let mut f = with_box(Shows::Masked { count: 8 }, true);
        f.exposed.push(Rect::new(0, 1800, 600, 60));
        let o = judge(&trace(vec![f]));
        assert_eq!(o.status, Status::Fail);
        assert_eq!(o.highlights.len(), 1);
        assert_eq!(
            judge(&trace(vec![frame(ActionKind::Tap, 0, &[])])).status,
            Status::Inconclusive
        );
        // A box that is no password box is not judged.
        let o = judge(&trace(vec![with_box(
            Shows::Clear {
                clear: 11,
                masks: 0,
            },
            false,
        )]));
        assert_eq!(o.status, Status::Inconclusive);
    }
}

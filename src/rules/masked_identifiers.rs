//! `masked-identifiers`, 6.6.7(d): bank card numbers, mobile numbers and
//! resident ID numbers are shown masked (6222 **** **** 1234,
//! 138****5678), except where the user must confirm them (a transfer's
//! payee) or after the user proved who they are.

use super::{Highlight, Outcome, Rule, Section, Status};
use crate::geom::Rect;
use crate::perception::TextItem;
use crate::screen::{auth, identifiers, Kind, View};
use crate::trace::{ActionKind, Frame, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "masked-identifiers",
    clause: "6.6.7(d)",
    default_on: false,
    fails_when: "a screen shows a bank card, mobile or resident ID number in full",
    by_a_person: false,
    section: Section::Six,
    level2: false,
    check: Some(judge),
};

/// The box of a part of a one-line text, by its share of the line's width
/// (a Chinese or full-width character about twice a digit's width, a
/// space about half), widened by half a digit on each side so the whole
/// number is inside.
pub(crate) fn part_of(t: &TextItem, start: usize, end: usize) -> Rect {
    let width = |c: char| -> i64 {
        if (c as u32) >= 0x2E80 {
            18
        } else if c == ' ' {
            6
        } else {
            10
        }
    };
    let chars: Vec<i64> = t.text.chars().map(width).collect();
    let total: i64 = chars.iter().sum::<i64>().max(1);
    let upto = |k: usize| chars.iter().take(k).sum::<i64>();
    let w = t.bounds.w as i64;
    let pad = w * 5 / total;
    let x0 = (t.bounds.x as i64 + w * upto(start) / total - pad).max(t.bounds.x as i64);
    let x1 = (t.bounds.x as i64 + w * upto(end) / total + pad).min(t.bounds.right() as i64);
    Rect::new(x0 as i32, t.bounds.y, (x1 - x0).max(1) as i32, t.bounds.h)
}

/// Whether the user proved who they are right before this frame: a
/// password entered or a face captured in the few frames before it.
fn after_authentication(trace: &Trace, i: usize) -> Option<usize> {
    let from = i.saturating_sub(4);
    (from..i).rev().find(|&k| {
        let f = &trace.frames[k];
        let typed = f
            .inputs
            .iter()
            .any(|b| b.password && b.typed && !b.shows.is_empty());
        typed || View::of(f, trace).kind() == Kind::FaceCapture
    })
}

/// Digits of what the run typed (a number the user typed is theirs to see).
fn typed_digits(trace: &Trace) -> Vec<String> {
    trace
        .frames
        .iter()
        .filter(|f| f.action == ActionKind::Type)
        .filter_map(|f| f.typed.as_deref())
        .map(|t| t.chars().filter(|c| c.is_ascii_alphanumeric()).collect())
        .collect()
}

fn in_typed_box(f: &Frame, t: &TextItem) -> bool {
    let (x, y) = t.bounds.center();
    f.inputs.iter().any(|b| b.typed && b.bounds.contains(x, y))
}

struct Shown {
    frame: usize,
    text: String,
    found: identifiers::Found,
    bounds: Rect,
}

fn judge(trace: &Trace) -> Outcome {
    let typed = typed_digits(trace);
    let mut full: Vec<Shown> = Vec::new();
    let mut excused: Vec<(Shown, crate::i18n::Said)> = Vec::new();
    let mut masked: Vec<(usize, String)> = Vec::new();
    for (i, f) in trace.frames.iter().enumerate() {
        let payee = auth::confirms_payee(&f.texts);
        for t in &f.texts {
            if in_typed_box(f, t) {
                continue;
            }
            for m in identifiers::masked(&t.text) {
                let shown: String = t.text.chars().skip(m.start).take(m.end - m.start).collect();
                masked.push((i, shown));
            }
            for found in identifiers::unmasked(&t.text) {
                if typed.iter().any(|d| d.contains(&found.digits)) {
                    continue;
                }
                let shown = Shown {
                    frame: i,
                    text: t.text.clone(),
                    bounds: part_of(t, found.start, found.end),
                    found,
                };
                if payee {
                    excused.push((shown, crate::said!("masked-identifiers-payee-screen")));
                } else if let Some(k) = after_authentication(trace, i) {
                    excused.push((
                        shown,
                        crate::said!("masked-identifiers-after-auth", frame = k),
                    ));
                } else {
                    full.push(shown);
                }
            }
        }
    }
    let highlight = |s: &Shown, label: &str| Highlight {
        frame: s.frame,
        bounds: s.bounds,
        label: label.into(),
    };
    if let Some(first) = full.first() {
        let mut evidence: Vec<usize> = full.iter().map(|s| s.frame).collect();
        evidence.dedup();
        let others = full.len() - 1;
        let more = if others > 0 {
            crate::said!(
                "masked-identifiers-more",
                others = others,
                frames = list(&evidence)
            )
        } else {
            crate::i18n::Said::none()
        };
        return Outcome::new(
            Status::Fail,
            evidence,
            full.iter()
                .map(|s| highlight(s, s.found.kind.describe()))
                .collect(),
            crate::said!(
                "masked-identifiers-fail",
                frame = first.frame,
                kind = kind_word(first.found.kind.describe()),
                number = first.found.masked(),
                line = masked_line(&first.text),
                more = more
            ),
        );
    }
    if let Some((first, why)) = excused.first() {
        let mut evidence: Vec<usize> = excused.iter().map(|(s, _)| s.frame).collect();
        evidence.dedup();
        return Outcome::new(
            Status::Manual,
            evidence,
            excused
                .iter()
                .map(|(s, _)| highlight(s, "to confirm"))
                .collect(),
            crate::said!(
                "masked-identifiers-excused",
                frame = first.frame,
                kind = kind_word(first.found.kind.describe()),
                number = first.found.masked(),
                why = why
            ),
        );
    }
    if let Some((frame, shown)) = masked.first() {
        let mut evidence: Vec<usize> = masked.iter().map(|(f, _)| *f).collect();
        evidence.dedup();
        let n = evidence.len();
        return Outcome::plain(
            Status::Pass,
            evidence,
            crate::said!(
                "masked-identifiers-pass",
                n = n,
                frame = *frame,
                shown = shown.as_str()
            ),
        );
    }
    Outcome::plain(
        Status::Inconclusive,
        Vec::new(),
        crate::said!("masked-identifiers-none", n = trace.frames.len()),
    )
}

/// A line with every full identifier in it masked, for messages.
/// An identifier's kind (`bank card number`, …) in the process's language.
fn kind_word(kind: &str) -> crate::i18n::Said {
    match kind {
        "bank card number" => crate::said!("masked-identifiers-kind-bank-card"),
        "mobile number" => crate::said!("masked-identifiers-kind-mobile"),
        "resident ID number" => crate::said!("masked-identifiers-kind-resident-id"),
        other => crate::i18n::Said::verbatim(other),
    }
}

fn masked_line(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for f in identifiers::unmasked(text) {
        out.extend(&chars[at.min(chars.len())..f.start.min(chars.len())]);
        out.push_str(&f.masked());
        at = f.end;
    }
    out.extend(&chars[at.min(chars.len())..]);
    super::evidence::quote(&out, 40)
}

fn list(frames: &[usize]) -> crate::i18n::Listed {
    crate::i18n::Listed::join(
        frames.iter().take(6).copied(),
        &crate::t!("evidence-list-sep"),
    )
}

#[cfg(test)]
mod tests {
    use super::super::evidence::testing::*;
    use super::*;
    use crate::perception::Role;
    use crate::screen::auth::{InputBox, Shows};

    fn screen(texts: &[&str]) -> Frame {
        let t: Vec<(&str, Role)> = texts.iter().map(|t| (*t, Role::Other)).collect();
        frame(ActionKind::Tap, 1000, &t)
    }

    #[test]
    fn a_full_card_number_fails_and_is_boxed_masked() {
        let tr = trace(vec![screen(&[
            "我的银行卡",
            "招商银行 6222 0212 3456 7890 128",
        ])]);
        let o = judge(&tr);
        assert_eq!(o.status, Status::Fail, "{}", o.message);
        assert!(o.message.contains("bank card number"), "{}", o.message);
        assert!(
            !o.message.contains("3456"),
            "the message shows the number masked: {}",
            o.message
        );
        assert_eq!(o.highlights.len(), 1);
        let line = &tr.frames[0].texts[1].bounds;
        assert!(
            o.highlights[0].bounds.x > line.x,
            "the box covers the number, not the bank's name"
        );
    }

    #[test]
    fn masked_numbers_pass_and_nothing_is_inconclusive() {
        let tr = trace(vec![screen(&["尾号1234 储蓄卡", "手机号 138****5678"])]);
        assert_eq!(judge(&tr).status, Status::Pass, "{}", judge(&tr).message);
        let tr = trace(vec![screen(&["首页", "理财产品", "年化收益 3.25%"])]);
        assert_eq!(judge(&tr).status, Status::Inconclusive);
    }

    #[test]
    fn mobile_and_id_numbers_fail() {
        let tr = trace(vec![screen(&["绑定手机：13812345678"])]);
        assert_eq!(judge(&tr).status, Status::Fail);
        let tr = trace(vec![screen(&["身份证号 11010519491231002X"])]);
        let o = judge(&tr);
        assert_eq!(o.status, Status::Fail, "{}", o.message);
        assert!(o.message.contains("resident ID"), "{}", o.message);
    }

    #[test]
    fn typed_numbers_and_payee_confirmations_are_exceptions() {
        // The user typed the number: it is theirs to see.
        let mut typed = screen(&["13812345678"]);
        typed.action = ActionKind::Type;
        typed.typed = Some("13812345678".into());
        assert_eq!(judge(&trace(vec![typed])).status, Status::Inconclusive);
        // A box being typed into does not count either.
        let mut boxed = screen(&["请输入手机号", "13912345678"]);
        boxed.inputs.push(InputBox {
            bounds: boxed.texts[1].bounds,
            password: false,
            label: "请输入手机号".into(),
            shows: Shows::Clear {
                clear: 11,
                masks: 0,
            },
            typed: true,
        });
        assert_eq!(judge(&trace(vec![boxed])).status, Status::Inconclusive);
        // A transfer's payee, to confirm: a reviewer looks.
        let tr = trace(vec![screen(&[
            "确认转账",
            "收款人 张三",
            "收款账号 6222 0212 3456 7890 128",
        ])]);
        let o = judge(&tr);
        assert_eq!(o.status, Status::Manual, "{}", o.message);
        assert!(o.message.contains("payee"), "{}", o.message);
    }

    #[test]
    fn numbers_that_are_no_identifiers_pass_unseen() {
        let tr = trace(vec![screen(&[
            "订单号：6222021234567890128",
            "客服热线 95588",
            "2024-12-05 10:23:45",
            "¥12,345.67",
            "交易流水 1733356800000",
        ])]);
        assert_eq!(
            judge(&tr).status,
            Status::Inconclusive,
            "{}",
            judge(&tr).message
        );
    }
}

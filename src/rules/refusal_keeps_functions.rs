//! `refusal-keeps-functions`, 7.4(a): after the user refuses, the basic
//! functions the scenario declares (`basic_functions: [理财产品, 行情]`) still
//! open. `check_functions` taps each and records the frames; this rule
//! judges them: the screen changed, the app stayed in front with its
//! process, and no consent prompt or "请先同意" message stood in the way.

use std::collections::BTreeSet;

use super::consent_flow::{chains, prompt_kind, PromptKind};
use super::{Outcome, Rule, Section, Status};
use crate::perception::words::normalize;
use crate::perception::{Role, TextItem};
use crate::trace::{Frame, FunctionCheck, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "refusal-keeps-functions",
    clause: "7.4(a)",
    default_on: false,
    fails_when: "after refusing, a declared basic function no longer opens",
    by_a_person: false,
    section: Section::Seven,
    level2: false,
    check: Some(judge),
};

/// What apps say when they keep a function from a user who did not agree:
/// 请先同意隐私政策, 需同意后使用, 同意后才能使用, 未授权无法使用, Please
/// accept the privacy policy first …
const BLOCKING: &[&str] = &[
    "请先同意",
    "请同意",
    "需同意",
    "需要同意",
    "需要您同意",
    "同意后",
    "同意隐私政策后",
    "请先阅读并同意",
    "请先授权",
    "授权后才能",
    "授权后方可",
    "需授权",
    "未同意",
    "无法使用",
    "暂不可用",
    "不能使用",
    "无法为您提供",
    "please agree",
    "please accept",
    "agree to the",
    "accept the privacy",
    "requires your consent",
    "not available",
];

/// The longest text read as a message (a toast or a dialog's line), not a page's body.
const MESSAGE_MAX: usize = 40;

fn texts_of(texts: &[TextItem]) -> BTreeSet<String> {
    texts
        .iter()
        .map(|t| normalize(&t.text))
        .filter(|n| !n.is_empty())
        .collect()
}

pub(crate) use crate::screen::identity::same_screen;

/// A message blocking the function that was not on the screen before.
fn blocking_message<'f>(before: &Frame, after: &'f Frame) -> Option<&'f TextItem> {
    let old = texts_of(&before.texts);
    after.texts.iter().find(|t| {
        let n = normalize(&t.text);
        let lower = n.to_lowercase();
        !old.contains(&n)
            && n.chars().count() <= MESSAGE_MAX
            && BLOCKING.iter().any(|w| lower.contains(&normalize(w)))
    })
}

/// Why a function did not open after its tap, if it did not.
pub(crate) fn not_opened(c: &FunctionCheck, trace: &Trace) -> Option<crate::i18n::Said> {
    let before = trace.frames.get(c.before)?;
    for &i in &c.after {
        let f = trace.frames.get(i)?;
        if let Some(fg) = &f.foreground {
            if fg.package != trace.app.package {
                return Some(crate::said!(
                    "refusal-keeps-functions-left",
                    package = fg.package.as_str()
                ));
            }
        }
        if !trace.app.is_mini_program() && before.pid.is_some() && f.pid != before.pid {
            return Some(crate::said!("refusal-keeps-functions-process-ended"));
        }
        if prompt_kind(f, trace) == Some(PromptKind::Consent) {
            return Some(crate::said!("refusal-keeps-functions-prompt-back"));
        }
        if let Some(m) = blocking_message(before, f) {
            return Some(crate::said!(
                "refusal-keeps-functions-refused-with",
                text = m.text.as_str()
            ));
        }
    }
    let last = trace.frames.get(*c.after.last()?)?;
    if same_screen(&before.texts, &last.texts) {
        return Some(crate::said!("refusal-keeps-functions-nothing-opened"));
    }
    None
}

/// The last answer to a prompt before frame `at`: `Some(true)` a refusal
/// (with what was refused), `Some(false)` an agreement.
fn last_answer(trace: &Trace, at: usize) -> Option<(bool, usize, PromptKind)> {
    let refused = chains(trace)
        .into_iter()
        .filter(|c| c.end() < at)
        .map(|c| (true, c.end(), c.kind))
        .next_back();
    let agreed = trace
        .frames
        .iter()
        .take(at)
        .skip(1)
        .filter(|f| {
            f.tap
                .as_ref()
                .is_some_and(|t| matches!(t.role, Some(Role::Agree) | Some(Role::Vague)))
        })
        .filter_map(|f| prompt_kind(&trace.frames[f.index - 1], trace).map(|k| (false, f.index, k)))
        .rfind(|(_, _, k)| *k != PromptKind::Permission);
    match (refused, agreed) {
        (Some(r), Some(a)) => Some(if r.1 > a.1 { r } else { a }),
        (r, a) => r.or(a),
    }
}

fn judge(trace: &Trace) -> Outcome {
    if trace.functions.is_empty() {
        return Outcome::plain(
            Status::Inconclusive,
            Vec::new(),
            crate::said!("refusal-keeps-functions-none-opened"),
        );
    }
    let after_refusal: Vec<(&FunctionCheck, PromptKind)> = trace
        .functions
        .iter()
        .filter_map(|c| match last_answer(trace, c.before + 1) {
            Some((true, _, kind)) => Some((c, kind)),
            _ => None,
        })
        .collect();
    if after_refusal.is_empty() {
        let agreed = trace
            .functions
            .iter()
            .any(|c| matches!(last_answer(trace, c.before + 1), Some((false, _, _))));
        return Outcome::plain(
            Status::Inconclusive,
            trace.functions.iter().map(|c| c.before).collect(),
            if agreed {
                crate::said!("refusal-keeps-functions-after-agree")
            } else {
                crate::said!("refusal-keeps-functions-no-refusal")
            },
        );
    }
    let mut broken = Vec::new();
    let mut missing = Vec::new();
    let mut opened = Vec::new();
    let mut ev = Vec::new();
    for (c, _) in &after_refusal {
        match &c.tapped {
            None => {
                missing.push(format!("「{}」", c.label));
            }
            Some(_) => match not_opened(c, trace) {
                Some(why) => {
                    broken.push(crate::said!(
                        "refusal-keeps-functions-broken-item",
                        label = c.label.as_str(),
                        why = why
                    ));
                    ev.push(c.before);
                    ev.extend(&c.after);
                }
                None => {
                    opened.push(format!("「{}」", c.label));
                }
            },
        }
    }
    let refused = match after_refusal[0].1 {
        PromptKind::Permission => crate::said!("refusal-keeps-functions-refused-permission"),
        _ => crate::said!("refusal-keeps-functions-refused-consent"),
    };
    let refused = &refused;
    ev.sort_unstable();
    ev.dedup();
    if !broken.is_empty() {
        return Outcome::plain(
            Status::Fail,
            ev,
            crate::said!(
                "refusal-keeps-functions-fail",
                refused = refused,
                n = broken.len(),
                broken = crate::i18n::Listed::join(broken.iter(), &crate::t!("search-why-sep"))
            ),
        );
    }
    let mut ev: Vec<usize> = after_refusal
        .iter()
        .flat_map(|(c, _)| std::iter::once(c.before).chain(c.after.iter().copied()))
        .collect();
    ev.sort_unstable();
    ev.dedup();
    if !missing.is_empty() {
        return Outcome::plain(
            Status::Inconclusive,
            ev,
            crate::said!(
                "refusal-keeps-functions-missing",
                missing =
                    crate::i18n::Listed::join(missing.iter(), &crate::t!("evidence-list-sep")),
                opened = if opened.is_empty() {
                    crate::i18n::Said::none()
                } else {
                    crate::said!(
                        "refusal-keeps-functions-opened",
                        list = crate::i18n::Listed::join(
                            opened.iter(),
                            &crate::t!("evidence-list-sep")
                        )
                    )
                }
            ),
        );
    }
    Outcome::plain(
        Status::Pass,
        ev,
        crate::said!(
            "refusal-keeps-functions-pass",
            refused = refused,
            opened = crate::i18n::Listed::join(opened.iter(), &crate::t!("evidence-list-sep"))
        ),
    )
}

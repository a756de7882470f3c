//! `explicit-consent`, 7.1(c): the first consent prompt offers a clear agree
//! and a real refuse, its box is not ticked in advance, and the refuse
//! option is not shrunk out of sight.

use super::{highlight, is_consent_prompt, Outcome, Rule, Status};
use crate::perception::Role;
use crate::trace::Trace;

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "explicit-consent",
    clause: "7.1(c)",
    default_on: true,
    check: Some(check),
};

fn check(trace: &Trace) -> Outcome {
    let Some(f) = trace.frames.iter().find(|f| is_consent_prompt(f, trace)) else {
        return Outcome { status: Status::Inconclusive, evidence: Vec::new(), highlights: Vec::new(), message: "no consent prompt was seen: launch the app with its data cleared so the first-launch dialog shows".into() };
    };
    let ev = vec![f.index];
    let agree: Vec<_> = f.with_role(Role::Agree).collect();
    let vague: Vec<_> = f.with_role(Role::Vague).collect();
    let refuse: Vec<_> = f
        .with_role(Role::Refuse)
        .chain(f.with_role(Role::WeakRefuse))
        .collect();
    let hl = |items: &[&crate::perception::TextItem]| {
        items
            .iter()
            .map(|t| highlight(f.index, t))
            .collect::<Vec<_>>()
    };

    if refuse.is_empty() {
        let shown: Vec<_> = agree
            .iter()
            .chain(&vague)
            .map(|t| format!("「{}」", t.text))
            .collect();
        return Outcome { status: Status::Fail, evidence: ev, highlights: hl(&agree.iter().chain(&vague).copied().collect::<Vec<_>>()), message: format!("the consent prompt offers no way to refuse: it shows only {} and no 不同意 / 拒绝 / 暂不同意", shown.join(" ")) };
    }
    if agree.is_empty() {
        return Outcome { status: Status::Fail, evidence: ev, highlights: hl(&vague), message: format!(
                "the only way on is the vague 「{}」, not a clear 同意: an acknowledgement is not consent",
                vague.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join("」「")
            ) };
    }
    if let Some(cb) = f
        .with_role(Role::Checkbox)
        .find(|t| t.checked == Some(true))
    {
        // The first frame showing the prompt: nobody has touched the box yet.
        return Outcome {
            status: Status::Fail,
            evidence: ev,
            highlights: vec![highlight(f.index, cb)],
            message: format!(
                "the consent box 「{}」 is ticked before the user touched it",
                cb.text
            ),
        };
    }
    // Size and contrast from the pixels or the hierarchy: button regions
    // when both have one, else text height and contrast of OCR texts.
    if let Some((a, r, why)) = crate::perception::inspect::suppressed_refuse(&f.texts) {
        return Outcome {
            status: Status::Fail,
            evidence: ev,
            highlights: vec![highlight(f.index, a), highlight(f.index, r)],
            message: format!("{why}: a suppressed refuse option steers the user to agree"),
        };
    }
    Outcome {
        status: Status::Pass,
        evidence: ev,
        highlights: hl(&agree.iter().chain(&refuse).copied().collect::<Vec<_>>()),
        message: format!(
            "the consent prompt offers a clear 「{}」 and a clear 「{}」",
            agree[0].text, refuse[0].text
        ),
    }
}

//! `no-popup-loop`, 7.2(f)(2): after the user refuses, the same prompt does
//! not come back again and again.

use std::collections::BTreeSet;

use super::{highlight, is_consent_prompt, refusals, Outcome, Rule, Status};
use crate::perception::{words::normalize, Role};
use crate::trace::{ActionKind, Frame, Trace};

/// What identifies a prompt: the labels of its controls and policy links.
fn signature(f: &Frame) -> BTreeSet<String> {
    f.texts
        .iter()
        .filter(|t| t.role != Role::Other)
        .map(|t| normalize(&t.text))
        .collect()
}

fn same_prompt(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let common = a.intersection(b).count() as f64;
    common / a.union(b).count() as f64 >= 0.6
}

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "no-popup-loop",
    clause: "7.2(f)(2)",
    default_on: true,
    check: Some(check),
};

fn check(trace: &Trace) -> Outcome {
    let refused = refusals(trace);
    if refused.is_empty() {
        return Outcome {
            status: Status::Inconclusive,
            evidence: Vec::new(),
            highlights: Vec::new(),
            message: "the user never refused a consent prompt in this run: add a `refuse` step"
                .into(),
        };
    }
    // For each refusal: did the refused prompt come back by itself, in the
    // frames before the user's next action? (A prompt shown again after the
    // user relaunched the app is not a loop.)
    let mut returns = Vec::new();
    let mut watched = 0;
    let mut watched_until = Vec::new();
    for &r in &refused {
        let prompt = signature(&trace.frames[r - 1]);
        let window: Vec<&Frame> = trace.frames[r..]
            .iter()
            .enumerate()
            .take_while(|(k, f)| *k == 0 || f.action == ActionKind::Look)
            .map(|(_, f)| f)
            .collect();
        watched = watched.max(window.len());
        watched_until.push(window.last().map_or(r, |f| f.index));
        let back = window
            .iter()
            .find(|f| is_consent_prompt(f, trace) && same_prompt(&prompt, &signature(f)));
        returns.push(back.map(|f| f.index));
    }
    let last = *refused.last().unwrap_or(&0);
    let came_back: Vec<(usize, usize)> = refused
        .iter()
        .zip(&returns)
        .filter_map(|(r, b)| b.map(|b| (*r, b)))
        .collect();
    let prompt_hl = |i: usize| {
        trace.frames[i]
            .texts
            .iter()
            .filter(|t| {
                matches!(
                    t.role,
                    Role::Refuse | Role::WeakRefuse | Role::Agree | Role::Vague
                )
            })
            .map(|t| highlight(i, t))
            .collect::<Vec<_>>()
    };
    if came_back.len() >= 2 {
        let mut ev: Vec<usize> = came_back.iter().flat_map(|(r, b)| [*r - 1, *b]).collect();
        ev.dedup();
        let hl = came_back.iter().flat_map(|(_, b)| prompt_hl(*b)).collect();
        return Outcome { status: Status::Fail, evidence: ev, highlights: hl, message: format!(
                "the consent prompt came back after each of {} refusals: the user cannot get past it by refusing",
                came_back.len()
            ) };
    }
    match (came_back.first(), returns.last()) {
        (Some((r, b)), Some(Some(_))) => Outcome { status: Status::Inconclusive, evidence: vec![r - 1, *b], highlights: prompt_hl(*b), message: "the prompt came back once after the refusal: refuse it again to tell a single confirmation from a loop".into() },
        (Some((r, b)), _) => Outcome { status: Status::Pass, evidence: vec![r - 1, *b, last], highlights: Vec::new(), message: "the prompt came back once to confirm the refusal, then stayed away after the user refused again".into() },
        (None, _) if watched <= 1 => Outcome { status: Status::Inconclusive, evidence: refused.iter().map(|r| r - 1).collect(), highlights: Vec::new(), message: "nothing was watched after the refusal: add an `observe` step after `refuse` to catch a prompt that comes back".into() },
        (None, _) => Outcome { status: Status::Pass, evidence: refused.iter().zip(&watched_until).flat_map(|(r, w)| [r - 1, *w]).collect(), highlights: Vec::new(), message: format!(
                "after the refusal the prompt did not come back in the {watched} frames that followed"
            ) },
    }
}

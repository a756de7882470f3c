//! `no-popup-loop`, 7.2(f)(2): after the user refuses, the same prompt does
//! not come back again and again.
//!
//! A refusal is followed through the confirmation dialogs the app puts after
//! it (温馨提示 … 仍不同意): the whole chain is one refusal. What counts is
//! whether the prompt the user first refused comes back by itself at the
//! end of the chain. One confirmation round is not a loop; the prompt back
//! after two or more refusals is.

use super::consent_flow::{after, chains, same_view, Chain};
use super::{highlight, Outcome, Rule, Section, Status};
use crate::perception::Role;
use crate::trace::Trace;

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "no-popup-loop",
    clause: "7.2(f)(2)",
    default_on: true,
    fails_when: "the consent prompt comes back again and again after the user refused",
    by_a_person: false,
    section: Section::Seven,
    level2: false,
    check: Some(judge),
};

/// Where the refused prompt came back after a chain, if it did.
fn came_back(trace: &Trace, c: &Chain) -> Option<usize> {
    let prompt = &trace.frames[c.prompt];
    after(trace, c.end())
        .find(|f| same_view(prompt, f))
        .map(|f| f.index)
}

fn judge(trace: &Trace) -> Outcome {
    let chains = chains(trace);
    if chains.is_empty() {
        return Outcome::new(
            Status::Inconclusive,
            Vec::new(),
            Vec::new(),
            crate::said!("no-popup-loop-never-refused"),
        );
    }
    let returns: Vec<Option<usize>> = chains.iter().map(|c| came_back(trace, c)).collect();
    let watched = chains
        .iter()
        .map(|c| after(trace, c.end()).count())
        .max()
        .unwrap_or(0);
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
    let back: Vec<(&Chain, usize)> = chains
        .iter()
        .zip(&returns)
        .filter_map(|(c, b)| b.map(|b| (c, b)))
        .collect();
    let through = chains
        .iter()
        .map(|c| c.through(trace))
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    if back.len() >= 2 {
        let mut ev: Vec<usize> = back
            .iter()
            .flat_map(|(c, b)| {
                let mut v = vec![c.prompt];
                v.extend(c.confirmations());
                v.push(*b);
                v
            })
            .collect();
        ev.dedup();
        let hl = back.iter().flat_map(|(_, b)| prompt_hl(*b)).collect();
        return Outcome::new(
            Status::Fail,
            ev,
            hl,
            crate::said!("no-popup-loop-loop", n = back.len(), through = &through),
        );
    }
    let last_chain = chains.last().map_or(0, |c| c.end());
    match (back.first(), returns.last()) {
        (Some((c, b)), Some(Some(_))) => Outcome::new(
            Status::Inconclusive,
            vec![c.prompt, *b],
            prompt_hl(*b),
            crate::said!("no-popup-loop-back-once", through = &through),
        ),
        (Some((c, b)), _) => Outcome::new(
            Status::Pass,
            vec![c.prompt, *b, last_chain],
            Vec::new(),
            crate::said!("no-popup-loop-confirmed-once", through = &through),
        ),
        (None, _) if watched <= 1 => Outcome::new(
            Status::Inconclusive,
            chains.iter().map(|c| c.prompt).collect(),
            Vec::new(),
            crate::said!("no-popup-loop-not-watched"),
        ),
        (None, _) => {
            let mut ev: Vec<usize> = chains
                .iter()
                .flat_map(|c| {
                    let mut v = vec![c.prompt];
                    v.extend(c.confirmations());
                    v.push(after(trace, c.end()).last().map_or(c.end(), |f| f.index));
                    v
                })
                .collect();
            ev.dedup();
            Outcome::new(
                Status::Pass,
                ev,
                Vec::new(),
                crate::said!("no-popup-loop-pass", through = &through, watched = watched),
            )
        }
    }
}

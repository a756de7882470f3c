//! `policy-reachable`, 7.1(d): a screen showing the processing rules is
//! reached within 4 taps.

use super::{Outcome, Rule, Status};
use crate::trace::Trace;

/// The most taps 7.1(d) allows.
pub const LIMIT: u32 = 4;

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "policy-reachable",
    clause: "7.1(d)",
    default_on: true,
    check: Some(check),
};

fn check(trace: &Trace) -> Outcome {
    if trace.explorations.is_empty() {
        return Outcome {
            status: Status::Inconclusive,
            evidence: Vec::new(),
            highlights: Vec::new(),
            message: "no search for the privacy policy was made: add an `explore_policy` step"
                .into(),
        };
    }
    if let Some((e, f)) = trace
        .explorations
        .iter()
        .filter_map(|e| e.found.as_ref().map(|f| (e, f)))
        .min_by_key(|(_, f)| f.depth)
    {
        let mut ev = vec![e.start_frame];
        ev.extend(&f.path_frames);
        ev.dedup();
        let path = if f.path.is_empty() {
            "on the start screen".to_string()
        } else {
            f.path.join(" › ")
        };
        if f.depth <= LIMIT {
            return Outcome {
                status: Status::Pass,
                evidence: ev,
                highlights: Vec::new(),
                message: format!(
                    "the privacy policy was reached in {} tap{}: {path}",
                    f.depth,
                    if f.depth == 1 { "" } else { "s" }
                ),
            };
        }
        return Outcome {
            status: Status::Fail,
            evidence: ev,
            highlights: Vec::new(),
            message: format!(
                "the privacy policy takes {} taps to reach ({path}), more than {LIMIT}",
                f.depth
            ),
        };
    }
    let deepest = trace
        .explorations
        .iter()
        .max_by_key(|e| e.max_taps)
        .expect("not empty");
    if deepest.max_taps < LIMIT {
        return Outcome { status: Status::Inconclusive, evidence: vec![deepest.start_frame], highlights: Vec::new(), message: format!("the search went only {} taps deep and did not find the policy: search {LIMIT} deep", deepest.max_taps) };
    }
    Outcome { status: Status::Fail, evidence: vec![deepest.start_frame], highlights: Vec::new(), message: format!(
            "no screen showing the privacy policy was reached within {LIMIT} taps ({} screens and {} taps searched)",
            deepest.screens, deepest.taps
        ) }
}

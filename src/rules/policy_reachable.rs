//! `policy-reachable`, 7.1(d): a screen showing the processing rules is
//! reached within 4 taps. Only the privacy policy itself counts (隐私政策,
//! 个人信息保护政策 …, with its text): a user or service agreement, or a
//! page that only links to the policy, is named in the message instead.

use super::search_found::instead;
use super::{Outcome, Rule, Status};
use crate::trace::{Exploration, Target, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "policy-reachable",
    clause: "7.1(d)",
    default_on: true,
    check: Some(judge),
};

/// The most taps 7.1(d) allows.
pub const LIMIT: u32 = 4;

fn judge(trace: &Trace) -> Outcome {
    // Searches for other targets (revocation, account deletion) are other rules'.
    let explorations: Vec<&Exploration> = trace
        .explorations
        .iter()
        .filter(|e| e.target == Target::Policy)
        .collect();
    if explorations.is_empty() {
        return Outcome::new(
            Status::Inconclusive,
            Vec::new(),
            Vec::new(),
            "no search for the privacy policy was made: add an `explore_policy` step".into(),
        );
    }
    if let Some((e, f)) = explorations
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
            return Outcome::new(
                Status::Pass,
                ev,
                Vec::new(),
                format!(
                    "the privacy policy was reached in {} tap{}: {path}",
                    f.depth,
                    if f.depth == 1 { "" } else { "s" }
                ),
            );
        }
        return Outcome::new(
            Status::Fail,
            ev,
            Vec::new(),
            format!(
                "the privacy policy takes {} taps to reach ({path}), more than {LIMIT}{}",
                f.depth,
                instead(&explorations)
            ),
        );
    }
    let deepest = explorations
        .iter()
        .max_by_key(|e| e.max_taps)
        .expect("not empty");
    if deepest.max_taps < LIMIT {
        return Outcome::new(
            Status::Inconclusive,
            vec![deepest.start_frame],
            Vec::new(),
            format!("the search went only {} taps deep and did not find the policy: search {LIMIT} deep{}", deepest.max_taps, instead(&explorations)),
        );
    }
    Outcome::new(
        Status::Fail,
        vec![deepest.start_frame],
        Vec::new(),
        format!(
            "no screen showing the privacy policy was reached within {LIMIT} taps ({} screens and {} taps searched){}",
            deepest.screens,
            deepest.taps,
            instead(&explorations)
        ),
    )
}

//! `revocation-reachable`, 7.2(d): the bounded search from the home screen
//! reaches a screen where the user withdraws authorizations: a list of
//! permissions with switches or states (位置信息 已开启 / 去设置), a control
//! to withdraw consent (撤回同意), or a screen titled as the place for it
//! (权限管理, 隐私设置) that shows switches or states. An entry whose label
//! only mentions it does not count until it opens such a screen.

use super::{search_found, Outcome, Rule, Section};
use crate::trace::{Target, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "revocation-reachable",
    clause: "7.2(d)",
    default_on: false,
    fails_when: "no way to withdraw authorizations is found within the search's taps",
    by_a_person: false,
    section: Section::Seven,
    level2: false,
    check: Some(judge),
};

fn judge(trace: &Trace) -> Outcome {
    search_found::judge(
        trace,
        Target::Revocation,
        "- explore: {find: revocation, max_taps: 4}",
    )
}

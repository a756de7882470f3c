//! `account-deletion-reachable`, 7.5(a): the bounded search from the home
//! screen reaches the account deletion screen or notice (titled 注销账号 /
//! 账号注销 / 注销须知, or the screen an entry naming deletion opens, when it
//! talks about deleting), or a way to delete personal data (删除个人信息).

use super::{search_found, Outcome, Rule, Section};
use crate::trace::{Target, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "account-deletion-reachable",
    clause: "7.5(a)",
    default_on: false,
    fails_when: "no way to delete the account or personal data is found within the search's taps",
    by_a_person: false,
    section: Section::Seven,
    level2: false,
    check: Some(judge),
};

fn judge(trace: &Trace) -> Outcome {
    search_found::judge(
        trace,
        Target::AccountDeletion,
        "- explore: {find: account_deletion, max_taps: 4}",
    )
}

//! `minor-rules`, 7.1(g): whether the processing rules have rules for
//! children under 14 (不满14周岁, 未成年人, 儿童, 监护人 …) is left to a
//! reviewer, with the sentences that mention them quoted, or a note that
//! none of the captured text does.

use super::policy_content::{find, longest, no_text, read_note, sentences, CHILDREN};
use super::{Outcome, Rule, Section, Status};
use crate::trace::Trace;

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "minor-rules",
    clause: "7.1(g)",
    default_on: false,
    fails_when:
        "the policy has no rules for children under 14 (manual: the text and hints are gathered)",
    by_a_person: true,
    section: Section::Seven,
    level2: false,
    check: Some(judge),
};

fn judge(trace: &Trace) -> Outcome {
    let Some(p) = longest(trace) else {
        return Outcome::plain(Status::Inconclusive, Vec::new(), no_text());
    };
    let h = find(&CHILDREN, &sentences(&p.text));
    let message = if h.quotes.is_empty() {
        crate::said!("minor-rules-no-mention", note = read_note(p))
    } else {
        crate::said!(
            "minor-rules-mentions",
            note = read_note(p),
            quotes = h.quotes.join("」 「")
        )
    };
    Outcome::plain(Status::Manual, p.frames.clone(), message)
}

//! `policy-reachable`, 7.1(d): a screen showing the processing rules is
//! reached within 4 taps. Only the privacy policy itself counts (隐私政策,
//! 个人信息保护政策 …, with its text): a user or service agreement, or a
//! page that only links to the policy, is named in the message instead.

use super::search_found::{confirmed, describe, instead, unconfirmed};
use super::{Outcome, Rule, Section, Status};
use crate::trace::{Exploration, Target, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "policy-reachable",
    clause: "7.1(d)",
    default_on: true,
    fails_when: "the privacy policy is not reached within 4 taps",
    by_a_person: false,
    section: Section::Seven,
    level2: false,
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
            crate::said!("policy-reachable-no-search"),
        );
    }
    // The screen each search stopped on, asked again.
    let mut refused = Vec::new();
    let found = explorations
        .iter()
        .filter_map(|e| e.found.as_ref().map(|f| (e, f)))
        .filter(|(_, f)| match confirmed(trace, Target::Policy, f) {
            Ok(_) => true,
            Err(no) => {
                refused.push((f.frame, no));
                false
            }
        })
        .min_by_key(|(_, f)| f.depth);
    if found.is_none() && !refused.is_empty() {
        return unconfirmed(&describe(Target::Policy), &refused);
    }
    if let Some((e, f)) = found {
        let mut ev = vec![e.start_frame];
        ev.extend(&f.path_frames);
        ev.dedup();
        let path = if f.path.is_empty() {
            crate::said!("search-on-start-screen")
        } else {
            crate::said!(
                "search-labels",
                path = crate::i18n::Listed::join(f.path.iter(), " › ")
            )
        };
        if f.depth <= LIMIT {
            return Outcome::new(
                Status::Pass,
                ev,
                Vec::new(),
                crate::said!("policy-reachable-pass", n = f.depth, path = path),
            );
        }
        return Outcome::new(
            Status::Fail,
            ev,
            Vec::new(),
            crate::said!(
                "policy-reachable-too-deep",
                n = f.depth,
                path = path,
                limit = LIMIT,
                instead = instead(&explorations)
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
            crate::said!(
                "policy-reachable-too-shallow",
                n = deepest.max_taps,
                limit = LIMIT,
                instead = instead(&explorations)
            ),
        );
    }
    Outcome::new(
        Status::Fail,
        vec![deepest.start_frame],
        Vec::new(),
        crate::said!(
            "policy-reachable-not-reached",
            limit = LIMIT,
            screens = deepest.screens,
            taps = deepest.taps,
            instead = instead(&explorations)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::perception::Role;
    use crate::rules::evidence::testing::{frame, trace};
    use crate::screen::search::Page;
    use crate::trace::{ActionKind, Found};

    /// A recorded search that stopped on frame 1, with what it knew of it.
    fn searched(texts: &[(&str, Role)]) -> Trace {
        let mut shown = frame(ActionKind::Tap, 1000, texts);
        shown.page = Some(Page::read(&shown.texts, &[], (1080, 2400)));
        let mut t = trace(vec![
            frame(ActionKind::Launch, 0, &[("我的", Role::Other)]),
            shown,
        ]);
        t.explorations.push(Exploration {
            target: Target::Policy,
            start_frame: 0,
            max_taps: 4,
            taps: 1,
            screens: 2,
            found: Some(Found {
                depth: 1,
                frame: 1,
                path: vec!["隐私政策".into()],
                path_frames: vec![1],
                why: String::new(),
            }),
            instead: Vec::new(),
        });
        t
    }

    #[test]
    fn the_rule_reads_the_found_screen_again() {
        let policy = searched(&[
            ("12:00", Role::Other),
            ("隐私政策", Role::Other),
            (
                "本政策说明我们如何收集、使用、存储和保护您的个人信息，请您仔细阅读。",
                Role::Other,
            ),
            ("一、我们如何收集和使用您的个人信息", Role::Other),
        ]);
        assert_eq!(judge(&policy).status, Status::Pass);
        // A recorded claim the frame does not bear out is not a pass.
        let menu = searched(&[
            ("12:00", Role::Other),
            ("设置", Role::Other),
            ("关于我们", Role::Other),
            ("帮助", Role::Other),
        ]);
        let o = judge(&menu);
        assert_eq!(o.status, Status::Inconclusive, "{}", o.message);
        assert!(o.message.contains("read again"), "{}", o.message);
    }
}

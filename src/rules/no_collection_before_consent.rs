//! `no-collection-before-consent`, 7.3(a): no personal data (location,
//! contacts, phone state and device ids, clipboard, camera, microphone,
//! installed apps, SMS …) is read before the user consents. Read from the
//! app-op access times Android records (`cmd appops get`, or `dumpsys
//! appops` on older Android) against the moment the user agreed.

use super::evidence::{accesses, consent_moment, mini_program_note, secs};
use super::{Outcome, Rule, Section, Status};
use crate::trace::Trace;

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "no-collection-before-consent",
    clause: "7.3(a)",
    default_on: false,
    fails_when: "location, device ids, contacts, clipboard … are accessed before consent",
    by_a_person: false,
    section: Section::Seven,
    level2: false,
    check: Some(check),
};

fn outcome(status: Status, evidence: Vec<usize>, message: crate::i18n::Said) -> Outcome {
    Outcome {
        status,
        evidence,
        highlights: Vec::new(),
        message: message.text,
        reason: message.reason,
    }
}

fn check(trace: &Trace) -> Outcome {
    if let Some(note) = mini_program_note(trace) {
        return outcome(Status::Inconclusive, Vec::new(), note);
    }
    let Some(prompt) = trace
        .frames
        .iter()
        .position(|f| super::is_consent_prompt(f, trace))
    else {
        return outcome(
            Status::Inconclusive,
            Vec::new(),
            crate::said!("no-collection-before-consent-no-prompt"),
        );
    };
    let consent = consent_moment(trace);
    // Before consent: from the run's start to the last frame that still
    // showed the prompt the user agreed on; with no consent, the whole run.
    let (until, when) = match consent {
        Some((shown, _)) => (
            trace.frames[shown].elapsed_ms as i64,
            crate::said!("no-collection-before-consent-before"),
        ),
        None => (
            i64::MAX,
            crate::said!("no-collection-before-consent-not-consented"),
        ),
    };
    let early: Vec<_> = accesses(trace)
        .into_iter()
        .filter(|a| a.at_ms >= 0 && a.at_ms < until)
        .collect();
    let mut evidence = vec![trace.frames[prompt].index];
    if let Some((shown, _)) = consent {
        evidence.push(trace.frames[shown].index);
    }
    if early.is_empty() {
        evidence.dedup();
        return outcome(
            Status::Pass,
            evidence,
            crate::said!(
                "no-collection-before-consent-pass",
                when = &when,
                n = trace
                    .frames
                    .iter()
                    .filter(|f| f.elapsed_ms as i64 <= until.max(0))
                    .count()
            ),
        );
    }
    let mut ops: Vec<crate::i18n::Said> = Vec::new();
    for a in &early {
        let what = match consent {
            Some(_) => crate::said!(
                "no-collection-before-consent-access-before",
                name = a.name(),
                at = secs(a.at_ms),
                before = secs(until - a.at_ms)
            ),
            None => crate::said!(
                "no-collection-before-consent-access",
                name = a.name(),
                at = secs(a.at_ms)
            ),
        };
        if !ops.iter().any(|o| o.text.starts_with(&a.name().text)) {
            ops.push(what);
        }
        evidence.push(a.seen_in);
    }
    evidence.sort_unstable();
    evidence.dedup();
    outcome(
        Status::Fail,
        evidence,
        crate::said!(
            "no-collection-before-consent-fail",
            when = &when,
            ops = crate::i18n::Listed::join(ops.iter(), &crate::t!("search-why-sep"))
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::evidence::testing::*;
    use super::*;
    use crate::perception::Role;
    use crate::trace::ActionKind;

    #[test]
    fn an_access_at_launch_before_agreeing_fails() {
        let t = trace(vec![
            with_ops(prompt(2000), &[("READ_PHONE_STATE", 1500)]),
            with_ops(
                tapped(
                    frame(ActionKind::Tap, 6000, &[("首页", Role::Other)]),
                    "同意",
                    Role::Agree,
                ),
                &[("READ_PHONE_STATE", 5500), ("COARSE_LOCATION", 100)],
            ),
        ]);
        let o = check(&t);
        assert_eq!(o.status, Status::Fail, "{}", o.message);
        assert!(
            o.message
                .contains("READ_PHONE_STATE (phone state and device ids) at 0.5 s"),
            "{}",
            o.message
        );
        // Location came after consent: not named.
        assert!(!o.message.contains("LOCATION"), "{}", o.message);
        assert_eq!(o.evidence, [0]);
    }

    #[test]
    fn accesses_only_after_agreeing_pass() {
        let t = trace(vec![
            with_ops(prompt(2000), &[("WAKE_LOCK", 1000)]),
            with_ops(
                tapped(
                    frame(ActionKind::Tap, 6000, &[("首页", Role::Other)]),
                    "同意",
                    Role::Agree,
                ),
                &[("COARSE_LOCATION", 100)],
            ),
        ]);
        let o = check(&t);
        assert_eq!(o.status, Status::Pass, "{}", o.message);
    }

    #[test]
    fn a_refusing_run_fails_on_any_access_and_no_prompt_is_inconclusive() {
        let t = trace(vec![
            prompt(2000),
            with_ops(
                tapped(
                    frame(ActionKind::Tap, 6000, &[("仅浏览", Role::Other)]),
                    "不同意",
                    Role::Refuse,
                ),
                &[("READ_CLIPBOARD", 200)],
            ),
        ]);
        let o = check(&t);
        assert_eq!(o.status, Status::Fail);
        assert!(o.message.contains("had not consented"), "{}", o.message);
        let none = trace(vec![with_ops(
            frame(ActionKind::Launch, 2000, &[("首页", Role::Other)]),
            &[("READ_CLIPBOARD", 200)],
        )]);
        assert_eq!(check(&none).status, Status::Inconclusive);
        // Accesses before the run started are not this run's.
        let old = trace(vec![with_ops(prompt(2000), &[("READ_CLIPBOARD", 60_000)])]);
        assert_eq!(check(&old).status, Status::Pass);
    }

    #[test]
    fn a_mini_program_is_inconclusive_and_says_the_ops_are_the_hosts() {
        let mut t = trace(vec![with_ops(prompt(2000), &[("READ_PHONE_STATE", 1500)])]);
        t.app.package = "com.tencent.mm".into();
        t.app.deeplink = Some("weixin://dl/business/?t=x".into());
        let o = check(&t);
        assert_eq!(o.status, Status::Inconclusive);
        assert!(
            o.message.contains("belong to the host (com.tencent.mm)"),
            "{}",
            o.message
        );
    }
}

//! `reconsent-on-change`, 7.1(e): when a new build changes the processing
//! rules, its first launch tells the user again and asks for consent anew.
//!
//! Whether the rules changed cannot be seen from outside the app: the
//! scenario says so on its `install` step (`policy_changed: true`), as
//! the tester knows from the two builds' privacy policies. The rule then
//! needs consent given to the old build before the install, and the new
//! build launched without clearing its data (an update, not a fresh
//! install). Between that launch and the user's first use of the app
//! (a tap that answers no consent prompt) a consent prompt must appear:
//! agree plus a mention of the processing rules, as an update notice
//! (「隐私政策更新」, 「我们更新了《隐私政策》」) is.

use super::evidence::consent_moment;
use super::{Outcome, Rule, Section, Status};
use crate::i18n::Said;
use crate::trace::{ActionKind, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "reconsent-on-change",
    clause: "7.1(e)",
    default_on: false,
    fails_when: "a new build whose rules changed starts without a new notice and consent",
    by_a_person: false,
    section: Section::Seven,
    level2: false,
    check: Some(check),
};

fn check(trace: &Trace) -> Outcome {
    let frames = &trace.frames;
    let installs: Vec<usize> = (0..frames.len())
        .filter(|&i| frames[i].install.is_some())
        .collect();
    if installs.is_empty() {
        return Outcome::plain(
            Status::Inconclusive,
            Vec::new(),
            crate::said!("reconsent-on-change-no-install"),
        );
    }
    let Some(&at) = installs
        .iter()
        .find(|&&i| frames[i].install.as_ref().is_some_and(|x| x.policy_changed))
    else {
        return Outcome::plain(
            Status::Inconclusive,
            installs.iter().map(|&i| frames[i].index).collect(),
            crate::said!("reconsent-on-change-not-said"),
        );
    };
    let build = frames[at]
        .install
        .as_ref()
        .map_or_else(Said::none, |x| super::evidence::build_name(&x.build));
    let consented = consent_moment(trace).is_some_and(|(_, after)| after < at);
    if !consented {
        return Outcome::plain(
            Status::Inconclusive,
            vec![frames[at].index],
            crate::said!("reconsent-on-change-no-earlier-consent", build = &build),
        );
    }
    let Some(launch) = (at + 1..frames.len()).find(|&i| frames[i].action == ActionKind::Launch)
    else {
        return Outcome::plain(
            Status::Inconclusive,
            vec![frames[at].index],
            crate::said!("reconsent-on-change-never-launched", build = &build),
        );
    };
    if frames[launch].step.contains("clear data") {
        return Outcome::plain(
            Status::Inconclusive,
            vec![frames[at].index, frames[launch].index],
            crate::said!("reconsent-on-change-cleared", build = &build),
        );
    }
    // From the launch to the user's first use of the app.
    let mut end = launch;
    while end + 1 < frames.len() {
        let next = &frames[end + 1];
        let answered_prompt =
            next.action == ActionKind::Tap && super::is_consent_prompt(&frames[end], trace);
        let used = matches!(
            next.action,
            ActionKind::Tap | ActionKind::Launch | ActionKind::Stop | ActionKind::Install
        ) && !answered_prompt;
        if used {
            break;
        }
        end += 1;
    }
    if let Some(p) = (launch..=end).find(|&i| super::is_consent_prompt(&frames[i], trace)) {
        let f = &frames[p];
        // The line naming the rules says best what the prompt is about.
        let title = f
            .texts
            .iter()
            .find(|t| trace.words.mentions_policy(&t.text))
            .map_or_else(
                || super::consent_flow::dialog_title(f),
                |t| super::evidence::quote(&t.text, 24),
            );
        return Outcome::plain(
            Status::Pass,
            vec![frames[at].index, frames[p].index],
            crate::said!(
                "reconsent-on-change-pass",
                build = &build,
                title = title,
                frame = frames[p].index
            ),
        );
    }
    let mut evidence = vec![frames[at].index, frames[launch].index];
    if end > launch {
        evidence.push(frames[end].index);
    }
    Outcome::plain(
        Status::Fail,
        evidence,
        crate::said!(
            "reconsent-on-change-fail",
            build = &build,
            frame = frames[launch].index
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::evidence::testing::*;
    use super::*;
    use crate::perception::Role;
    use crate::trace::{Frame, Installed};

    fn install(at: u64, changed: bool) -> Frame {
        let mut f = frame(ActionKind::Install, at, &[]);
        f.install = Some(Installed {
            build: "version 2".into(),
            policy_changed: changed,
        });
        f
    }

    fn home(at: u64, action: ActionKind) -> Frame {
        frame(action, at, &[("首页", Role::Other), ("理财", Role::Other)])
    }

    fn agreed(at: u64) -> Frame {
        tapped(home(at, ActionKind::Tap), "同意", Role::Agree)
    }

    fn update(at: u64) -> Frame {
        frame(
            ActionKind::Launch,
            at,
            &[
                ("隐私政策更新提示", Role::Other),
                ("我们更新了《隐私政策》", Role::Policy),
                ("同意", Role::Agree),
                ("不同意", Role::Refuse),
            ],
        )
    }

    #[test]
    fn an_update_notice_passes_straight_to_the_app_fails() {
        let mut launch = update(9000);
        launch.step = "launch".into();
        let t = vec![prompt(1000), agreed(2000), install(5000, true), launch];
        let o = check(&trace(t));
        assert_eq!(o.status, Status::Pass, "{}", o.message);
        assert_eq!(o.evidence, [2, 3]);
        let mut straight = home(9000, ActionKind::Launch);
        straight.step = "launch".into();
        let t = vec![prompt(1000), agreed(2000), install(5000, true), straight];
        let o = check(&trace(t));
        assert_eq!(o.status, Status::Fail, "{}", o.message);
        assert!(
            o.message.starts_with("the first launch of version 2, whose processing rules changed, went straight to the app (frame 3)"),
            "{}",
            o.message
        );
    }

    #[test]
    fn without_a_declared_change_or_earlier_consent_it_is_inconclusive() {
        let mut l = home(9000, ActionKind::Launch);
        l.step = "launch".into();
        for t in [
            vec![prompt(1000), agreed(2000)],
            vec![prompt(1000), agreed(2000), install(5000, false), l.clone()],
            vec![prompt(1000), install(5000, true), l.clone()],
            vec![prompt(1000), agreed(2000), install(5000, true)],
        ] {
            let o = check(&trace(t));
            assert_eq!(o.status, Status::Inconclusive, "{}", o.message);
        }
    }
}

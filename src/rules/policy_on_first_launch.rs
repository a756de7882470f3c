//! `policy-on-first-launch`, 7.1(a): on the first launch after a fresh
//! install (app data cleared) a notice of the processing rules (隐私政策,
//! 个人信息保护指引 …) shows before the user can use the app.

use super::{Outcome, Rule, Section, Status};
use crate::trace::{ActionKind, Frame, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "policy-on-first-launch",
    clause: "7.1(a)",
    default_on: false,
    fails_when: "no processing-rules notice before the first real screen of a fresh install",
    by_a_person: false,
    section: Section::Seven,
    level2: false,
    check: Some(check),
};

/// Whether a frame shows a notice of the processing rules.
fn is_notice(f: &Frame, trace: &Trace) -> bool {
    f.texts
        .iter()
        .any(|t| trace.words.is_processing_rules(&t.text))
}

/// The first launch after the app's data was cleared.
fn fresh_launch(trace: &Trace) -> Option<usize> {
    let mut cleared = false;
    for (i, f) in trace.frames.iter().enumerate() {
        if f.step == "clear_data" {
            cleared = true;
        }
        if f.action == ActionKind::Launch {
            if cleared || f.step.starts_with("launch (clear data)") {
                return Some(i);
            }
            cleared = false;
        }
    }
    None
}

fn check(trace: &Trace) -> Outcome {
    let Some(start) = fresh_launch(trace) else {
        return Outcome::plain(
            Status::Inconclusive,
            Vec::new(),
            crate::said!("policy-on-first-launch-no-fresh-launch"),
        );
    };
    let frames = &trace.frames;
    let end = frames[start + 1..]
        .iter()
        .position(|f| matches!(f.action, ActionKind::Launch | ActionKind::Stop))
        .map_or(frames.len(), |p| start + 1 + p);
    let own = |f: &Frame| {
        f.foreground
            .as_ref()
            .is_some_and(|fg| fg.package == trace.app.package)
    };
    for i in start..end {
        let f = &frames[i];
        if is_notice(f, trace) {
            let mut evidence = vec![frames[start].index, f.index];
            evidence.dedup();
            return Outcome::plain(
                Status::Pass,
                evidence,
                if i == start {
                    crate::said!("policy-on-first-launch-pass")
                } else {
                    crate::said!("policy-on-first-launch-pass-after", n = i - start)
                },
            );
        }
        // The user used the app before any notice: a tap on the app's own
        // screen (not a permission dialog or another app).
        if i > start && f.action == ActionKind::Tap && own(&frames[i - 1]) {
            let label = f
                .tap
                .as_ref()
                .and_then(|t| t.label.clone())
                .map(crate::i18n::Said::verbatim)
                .unwrap_or_else(|| crate::said!("policy-on-first-launch-the-screen"));
            return Outcome::plain(
                Status::Fail,
                vec![frames[start].index, frames[i - 1].index, f.index],
                crate::said!("policy-on-first-launch-used-first", label = label),
            );
        }
    }
    let shown: Vec<&Frame> = frames[start..end]
        .iter()
        .filter(|f| own(f) && !f.texts.is_empty())
        .collect();
    if shown.is_empty() {
        return Outcome::plain(
            Status::Inconclusive,
            vec![frames[start].index],
            crate::said!("policy-on-first-launch-no-screen"),
        );
    }
    Outcome::plain(
        Status::Fail,
        shown.iter().map(|f| f.index).take(4).collect(),
        crate::said!("policy-on-first-launch-fail", n = shown.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::super::evidence::testing::*;
    use super::*;
    use crate::perception::Role;

    #[test]
    fn a_notice_first_passes() {
        let o = check(&trace(vec![prompt(2000)]));
        assert_eq!(o.status, Status::Pass, "{}", o.message);
    }

    #[test]
    fn a_home_screen_without_notice_fails() {
        let t = trace(vec![
            frame(
                ActionKind::Launch,
                2000,
                &[("首页", Role::Other), ("理财", Role::Other)],
            ),
            tapped(
                frame(ActionKind::Tap, 4000, &[("我的", Role::Other)]),
                "我的",
                Role::Other,
            ),
        ]);
        let o = check(&t);
        assert_eq!(o.status, Status::Fail, "{}", o.message);
        assert!(o.message.contains("tap 「我的」"), "{}", o.message);
        let t = trace(vec![frame(
            ActionKind::Launch,
            2000,
            &[("首页", Role::Other)],
        )]);
        assert_eq!(check(&t).status, Status::Fail);
    }

    #[test]
    fn no_fresh_launch_is_inconclusive() {
        let mut f = prompt(2000);
        f.step = "launch".into();
        let o = check(&trace(vec![f]));
        assert_eq!(o.status, Status::Inconclusive);
        assert!(o.message.contains("clear_data"), "{}", o.message);
    }
}

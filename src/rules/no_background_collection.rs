//! `no-background-collection`, 7.3(c): no personal data is read while the
//! app is not in use. The scenario sends the app to the background (a
//! `home` step) and waits; app-op accesses timed inside that stretch fail.

use super::evidence::{accesses, app_visible, mini_program_note, personal, secs};
use super::{Outcome, Rule, Section, Status};
use crate::trace::Trace;

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "no-background-collection",
    clause: "7.3(c)",
    default_on: false,
    fails_when: "personal data is accessed while the app is in the background",
    by_a_person: false,
    section: Section::Seven,
    level2: false,
    check: Some(check),
};

/// Time an app may take to finish what the user started after it left the
/// foreground (saving state, a last location fix for the screen just left):
/// accesses in the first 5 s are not counted.
pub const GRACE_MS: i64 = 5_000;

/// How close to the end of a stay in the background an access first seen
/// after it may be and still count as the app's start on coming back.
const LAUNCH_MS: i64 = 1_000;

/// One stay in the background: the last frame with the app visible, and
/// the first and last frames without it.
struct Stay {
    left: usize,
    first: usize,
    last: usize,
}

fn stays(trace: &Trace) -> Vec<Stay> {
    let mut out = Vec::new();
    let mut last_visible: Option<usize> = None;
    let mut open: Option<Stay> = None;
    for (i, f) in trace.frames.iter().enumerate() {
        if app_visible(f, trace) {
            if let Some(s) = open.take() {
                out.push(s);
            }
            last_visible = Some(i);
        } else if let Some(left) = last_visible {
            match &mut open {
                Some(s) => s.last = i,
                None => {
                    open = Some(Stay {
                        left,
                        first: i,
                        last: i,
                    })
                }
            }
        }
    }
    out.extend(open);
    out
}

fn check(trace: &Trace) -> Outcome {
    if let Some(note) = mini_program_note(trace) {
        return Outcome::plain(Status::Inconclusive, Vec::new(), note);
    }
    let frames = &trace.frames;
    // Only stays while the process lived can show anything.
    let stays: Vec<Stay> = stays(trace)
        .into_iter()
        .filter(|s| frames[s.first..=s.last].iter().any(|f| f.pid.is_some()))
        .collect();
    if stays.is_empty() {
        return Outcome::plain(
            Status::Inconclusive,
            Vec::new(),
            crate::said!("no-background-collection-never"),
        );
    }
    let all = accesses(trace);
    let mut watched = 0i64;
    for s in &stays {
        let from = frames[s.left].elapsed_ms as i64 + GRACE_MS;
        let to = frames[s.last].elapsed_ms as i64;
        watched += (to - from).max(0);
        let mut found: Vec<crate::i18n::Said> = Vec::new();
        let mut evidence = vec![frames[s.left].index, frames[s.first].index];
        // An access first seen after the stay, timed right at its end, is
        // the app's start on coming back (the launch follows the last
        // frame of the stay within the clocks' precision), not background.
        let last_index = frames[s.last].index;
        for a in all
            .iter()
            .filter(|a| a.at_ms > from && a.at_ms <= to)
            .filter(|a| a.seen_in <= last_index || a.at_ms + LAUNCH_MS <= to)
        {
            found.push(crate::said!(
                "no-background-collection-access",
                name = a.name(),
                after = secs(a.at_ms - frames[s.left].elapsed_ms as i64)
            ));
            evidence.push(a.seen_in);
        }
        // An op still running (recording, tracking) in the background.
        for f in &frames[s.first..=s.last] {
            if (f.elapsed_ms as i64) <= from {
                continue;
            }
            for op in f
                .appops
                .iter()
                .filter(|o| o.running && personal(&o.op).is_some())
            {
                let s = crate::said!("no-background-collection-running", op = op.op.as_str());
                if !found.contains(&s) {
                    found.push(s);
                    evidence.push(f.index);
                }
            }
        }
        if !found.is_empty() {
            evidence.sort_unstable();
            evidence.dedup();
            return Outcome::plain(
                Status::Fail,
                evidence,
                crate::said!(
                    "no-background-collection-fail",
                    found = crate::i18n::Listed::join(found.iter(), &crate::t!("search-why-sep"))
                ),
            );
        }
    }
    if watched <= 0 {
        return Outcome::plain(
            Status::Inconclusive,
            stays.iter().map(|s| frames[s.first].index).collect(),
            crate::said!("no-background-collection-too-short", grace = secs(GRACE_MS)),
        );
    }
    Outcome::plain(
        Status::Pass,
        stays
            .iter()
            .flat_map(|s| [frames[s.first].index, frames[s.last].index])
            .collect(),
        crate::said!("no-background-collection-pass", secs = secs(watched)),
    )
}

#[cfg(test)]
mod tests {
    use super::super::evidence::testing::*;
    use super::*;
    use crate::perception::Role;
    use crate::trace::ActionKind;

    fn home(at: u64) -> crate::trace::Frame {
        elsewhere(
            frame(ActionKind::Home, at, &[("电话", Role::Other)]),
            "com.android.launcher3",
            "com.android.launcher3.Launcher",
        )
    }

    #[test]
    fn location_read_in_the_background_fails() {
        // The last frame is the launcher too, with a location read 10 s ago.
        let t = trace(vec![
            frame(ActionKind::Launch, 1000, &[("首页", Role::Other)]),
            home(3000),
            with_ops(home(33_000), &[("FINE_LOCATION", 10_000)]),
        ]);
        let o = check(&t);
        assert_eq!(o.status, Status::Fail, "{}", o.message);
        assert!(
            o.message.contains("FINE_LOCATION (location) 22.0 s after"),
            "{}",
            o.message
        );
        assert_eq!(o.evidence, [0, 1, 2]);
    }

    #[test]
    fn quiet_background_passes_and_grace_is_allowed() {
        let t = trace(vec![
            frame(ActionKind::Launch, 1000, &[("首页", Role::Other)]),
            home(3000),
            // Read 2 s after leaving: within the grace period.
            with_ops(
                home(33_000),
                &[("FINE_LOCATION", 30_000), ("WAKE_LOCK", 100)],
            ),
        ]);
        let o = check(&t);
        assert_eq!(o.status, Status::Pass, "{}", o.message);
        assert!(o.message.contains("27.0 s"), "{}", o.message);
    }

    #[test]
    fn never_backgrounded_or_process_dead_is_inconclusive() {
        let t = trace(vec![frame(
            ActionKind::Launch,
            1000,
            &[("首页", Role::Other)],
        )]);
        assert_eq!(check(&t).status, Status::Inconclusive);
        let mut dead = home(9000);
        dead.pid = None;
        let t = trace(vec![frame(ActionKind::Launch, 1000, &[]), dead]);
        assert_eq!(check(&t).status, Status::Inconclusive);
        // A permission dialog over the app is not the background.
        let dialog = elsewhere(
            frame(ActionKind::Look, 9000, &[]),
            "com.android.permissioncontroller",
            "com.android.permissioncontroller.permission.ui.GrantPermissionsActivity",
        );
        let t = trace(vec![
            frame(ActionKind::Launch, 1000, &[]),
            with_ops(dialog, &[("CAMERA", 10)]),
        ]);
        assert_eq!(check(&t).status, Status::Inconclusive);
    }
}

//! What a reviewer needs to see of a run beside the verdicts, computed with
//! the rules' own readings of the trace: the app-op accesses on the run's
//! clock against the consent moment and the background stretches, and the
//! permission dialogs in the order the user met them. The HTML report draws
//! these; nothing here judges.

use super::evidence::{self, is_permission_dialog};
use crate::trace::{ActionKind, Trace};

/// The personal-data app-op accesses of a run on its clock.
#[derive(Debug, Clone, PartialEq)]
pub struct OpTimeline {
    /// The run's last frame's time (ms since the start).
    pub end_ms: u64,
    /// When the user consented: (frame after the agree tap, ms of the last
    /// frame that showed the prompt).
    pub consent: Option<(usize, u64)>,
    /// Stretches the app spent in the background with its process alive:
    /// (from ms, to ms).
    pub background: Vec<(u64, u64)>,
    /// One row per op, in order of first access.
    pub ops: Vec<OpRow>,
}

/// One op's accesses.
#[derive(Debug, Clone, PartialEq)]
pub struct OpRow {
    /// The op as Android names it (`COARSE_LOCATION`).
    pub op: String,
    /// What it reads, in words (`location`).
    pub meaning: &'static str,
    /// Each access: (ms since the start, negative before it; the first frame
    /// whose records show it).
    pub accesses: Vec<(i64, usize)>,
}

/// The app-op timeline of a run; `None` when no frame recorded app-ops.
pub fn op_timeline(trace: &Trace) -> Option<OpTimeline> {
    if trace.frames.iter().all(|f| f.appops.is_empty()) {
        return None;
    }
    let mut ops: Vec<OpRow> = Vec::new();
    for a in evidence::accesses(trace) {
        let meaning = evidence::personal(&a.op).unwrap_or("");
        match ops.iter_mut().find(|r| r.op == a.op) {
            Some(r) => r.accesses.push((a.at_ms, a.seen_in)),
            None => ops.push(OpRow {
                op: a.op,
                meaning,
                accesses: vec![(a.at_ms, a.seen_in)],
            }),
        }
    }
    let frames = &trace.frames;
    // As no-collection-before-consent counts it: consent is given at the
    // last frame that still showed the prompt the user agreed on.
    let consent = evidence::consent_moment(trace)
        .map(|(shown, after)| (frames[after].index, frames[shown].elapsed_ms));
    // A background stretch starts with a `home` step that left the app's
    // process alive and ends when the app is in front again or its process
    // is gone.
    let mut background = Vec::new();
    let mut from: Option<u64> = None;
    for f in frames {
        let in_front = f
            .foreground
            .as_ref()
            .is_some_and(|fg| fg.package == trace.app.package);
        match from {
            None if f.action == ActionKind::Home && !in_front && f.pid.is_some() => {
                from = Some(f.elapsed_ms);
            }
            Some(start) if in_front || f.pid.is_none() => {
                background.push((start, f.elapsed_ms));
                from = None;
            }
            _ => {}
        }
    }
    let end_ms = frames.last().map_or(0, |f| f.elapsed_ms);
    if let Some(start) = from {
        background.push((start, end_ms));
    }
    Some(OpTimeline {
        end_ms,
        consent,
        background,
        ops,
    })
}

/// One runtime-permission dialog as the user met it, with the answer.
#[derive(Debug, Clone, PartialEq)]
pub struct DialogRow {
    /// Its first frame.
    pub frame: usize,
    /// Its time (ms since the start).
    pub at_ms: u64,
    /// The permission groups its text names (`location`), or `a permission`.
    pub asks: String,
    /// The app or package that showed it (`com.android.permissioncontroller`).
    pub shown_by: String,
    /// It said it is one of several (`第 1 项（共 2 项）`).
    pub one_of_several: bool,
    /// It came right after another dialog was answered.
    pub after_dialog: bool,
    /// What the user tapped on it, and the frame after: none when the run
    /// moved on without an answer.
    pub answer: Option<(String, usize)>,
}

/// The runtime-permission dialogs of a run, in order.
pub fn permission_dialogs(trace: &Trace) -> Vec<DialogRow> {
    let frames = &trace.frames;
    evidence::permission_dialogs(trace)
        .into_iter()
        .map(|d| {
            let at = frames.iter().position(|f| f.index == d.frame).unwrap_or(0);
            // The answer: the first tap after the dialog appeared, while it
            // (or the next one in the same go) is still up.
            // A host's authorization sheet is no system dialog: its answer
            // is the one the dialog list found.
            let known = d.answer.as_ref().map(|a| (a.label.clone(), a.frame));
            let answer = frames[at + 1..]
                .iter()
                .take_while(|f| f.action != ActionKind::Launch)
                .find(|f| f.action == ActionKind::Tap)
                .filter(|f| {
                    frames
                        .iter()
                        .position(|g| g.index == f.index)
                        .is_some_and(|i| i > 0 && is_permission_dialog(&frames[i - 1]))
                })
                .map(|f| {
                    let label = f
                        .tap
                        .as_ref()
                        .and_then(|t| t.label.clone())
                        .unwrap_or_else(|| "(a tap)".into());
                    (label, f.index)
                })
                .or(known);
            DialogRow {
                frame: d.frame,
                at_ms: frames[at].elapsed_ms,
                asks: evidence::group_names(&d.groups),
                shown_by: frames[at]
                    .foreground
                    .as_ref()
                    .map_or(String::new(), |fg| fg.package.clone()),
                one_of_several: d.one_of_several,
                after_dialog: d.after_dialog,
                answer,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::perception::Role;
    use crate::rules::evidence::testing::*;

    #[test]
    fn the_timeline_puts_accesses_against_consent_and_the_background() {
        let frames = vec![
            with_ops(prompt(0), &[("READ_PHONE_STATE", 0)]),
            tapped(frame(ActionKind::Tap, 2000, &[]), "同意", Role::Agree),
            with_ops(
                frame(ActionKind::Look, 7000, &[]),
                &[("READ_PHONE_STATE", 7000), ("COARSE_LOCATION", 1000)],
            ),
            elsewhere(
                frame(ActionKind::Home, 8000, &[]),
                "com.android.launcher3",
                ".Launcher",
            ),
            elsewhere(
                with_ops(
                    frame(ActionKind::Look, 38000, &[]),
                    &[("COARSE_LOCATION", 5000)],
                ),
                "com.android.launcher3",
                ".Launcher",
            ),
            frame(ActionKind::Launch, 40000, &[]),
        ];
        let t = op_timeline(&trace(frames)).unwrap();
        assert_eq!(t.consent, Some((1, 0)));
        assert_eq!(t.background, vec![(8000, 40000)]);
        assert_eq!(t.end_ms, 40000);
        let phone = t.ops.iter().find(|r| r.op == "READ_PHONE_STATE").unwrap();
        assert_eq!(phone.accesses, vec![(0, 0)]);
        let loc = t.ops.iter().find(|r| r.op == "COARSE_LOCATION").unwrap();
        assert_eq!(loc.accesses, vec![(6000, 2), (33000, 4)]);
        assert_eq!(loc.meaning, "location");
    }

    #[test]
    fn dialogs_are_listed_in_order_with_their_answers() {
        let ask = |at: u64, what: &str| {
            elsewhere(
                frame(ActionKind::Look, at, &[(what, Role::Other)]),
                "com.android.permissioncontroller",
                "com.android.permissioncontroller.permission.ui.GrantPermissionsActivity",
            )
        };
        let t = trace(vec![
            prompt(0),
            tapped(
                ask(1000, "要允许「银行」获取此设备的位置信息吗？"),
                "同意",
                Role::Agree,
            ),
            tapped(
                ask(2000, "要允许「银行」访问您的通讯录吗？"),
                "仅在使用该应用时允许",
                Role::Agree,
            ),
            tapped(frame(ActionKind::Look, 3000, &[]), "不允许", Role::Refuse),
        ]);
        let d = permission_dialogs(&t);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].asks, "location");
        assert_eq!(d[0].answer, Some(("仅在使用该应用时允许".into(), 2)));
        assert_eq!(d[0].shown_by, "com.android.permissioncontroller");
        assert_eq!(d[1].asks, "contacts");
        assert!(d[1].after_dialog);
        assert_eq!(d[1].answer, Some(("不允许".into(), 3)));
    }

    #[test]
    fn no_app_op_records_no_timeline() {
        assert_eq!(op_timeline(&trace(vec![prompt(0)])), None);
    }
}

//! `no-forced-exit`, 7.2(f)(1) and 7.4(b): refusing does not close the app,
//! kill its process, or close a mini program back to its host.

use super::{refusals, Outcome, Status};
use crate::trace::{ActionKind, Frame, Trace};

/// System screens that may cover an app without it having left.
const OVERLAYS: &[&str] = &[
    "com.android.permissioncontroller",
    "com.google.android.permissioncontroller",
    "com.android.packageinstaller",
    "com.android.systemui",
];

fn in_front(f: &Frame, trace: &Trace) -> Option<bool> {
    let fg = f.foreground.as_ref()?;
    if OVERLAYS.contains(&fg.package.as_str()) {
        return None;
    }
    if fg.package != trace.app.package {
        return Some(false);
    }
    if trace.app.is_mini_program() {
        // A mini program runs in one host activity (WeChat: AppBrandUI,
        // AppBrandUI1 …); the host's own screens mean it was closed.
        if let Some(act) = trace.app.full_activity() {
            return Some(fg.activity.starts_with(&act));
        }
    }
    Some(true)
}

pub(super) fn check(trace: &Trace) -> Outcome {
    let refused = refusals(trace);
    let Some(&first) = refused.first() else {
        return (
            Status::Inconclusive,
            Vec::new(),
            Vec::new(),
            "the user never refused a consent prompt in this run: add a `refuse` step".into(),
        );
    };
    for &r in &refused {
        let before = &trace.frames[r - 1];
        // What the refusal led to: frames until the user's next action.
        let after = trace.frames[r..]
            .iter()
            .enumerate()
            .take_while(|(k, f)| *k == 0 || f.action == ActionKind::Look);
        for (_, f) in after {
            let died = !trace.app.is_mini_program() && before.pid.is_some() && f.pid != before.pid;
            let what = if died {
                let was = before.pid.unwrap_or(0);
                Some(match f.pid {
                    None => format!("the app's process (pid {was}) died after the user refused"),
                    Some(p) => format!("the app's process was restarted after the user refused (pid {was} became {p})"),
                })
            } else if in_front(f, trace) == Some(false) {
                let fg = f.foreground.as_ref().map_or("nothing".into(), |g| {
                    format!("{}/{}", g.package, g.activity)
                });
                if trace.app.is_mini_program() {
                    Some(format!("the mini program was closed after the user refused: the host now shows {fg}"))
                } else {
                    Some(format!(
                        "the app left the foreground after the user refused: {fg} is in front"
                    ))
                }
            } else {
                None
            };
            if let Some(msg) = what {
                return (Status::Fail, vec![r - 1, f.index], Vec::new(), msg);
            }
        }
    }
    let last = trace.frames.len() - 1;
    if refused.iter().all(|&r| r == last) && in_front(&trace.frames[last], trace).is_none() {
        return (
            Status::Inconclusive,
            vec![first],
            Vec::new(),
            "the foreground could not be read after the refusal".into(),
        );
    }
    (
        Status::Pass,
        refused.iter().flat_map(|r| [r - 1, *r]).collect(),
        Vec::new(),
        format!(
            "after {} the app stayed in the foreground with the same process",
            if refused.len() == 1 {
                "the refusal".to_string()
            } else {
                format!("each of {} refusals", refused.len())
            }
        ),
    )
}

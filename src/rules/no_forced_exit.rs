//! `no-forced-exit`, 7.2(f)(1) and 7.4(b): refusing does not close the app,
//! kill its process, or close a mini program back to its host.

use super::{refusals, Outcome, Rule, Status};
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

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "no-forced-exit",
    clause: "7.2(f)(1), 7.4(b)",
    default_on: true,
    check: Some(check),
};

fn check(trace: &Trace) -> Outcome {
    let refused = refusals(trace);
    let Some(&first) = refused.first() else {
        return Outcome {
            status: Status::Inconclusive,
            evidence: Vec::new(),
            highlights: Vec::new(),
            message: "the user never refused a consent prompt in this run: add a `refuse` step"
                .into(),
        };
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
                return Outcome {
                    status: Status::Fail,
                    evidence: vec![r - 1, f.index],
                    highlights: Vec::new(),
                    message: msg,
                };
            }
        }
    }
    let last = trace.frames.len() - 1;
    if refused.iter().all(|&r| r == last) && in_front(&trace.frames[last], trace).is_none() {
        return Outcome {
            status: Status::Inconclusive,
            evidence: vec![first],
            highlights: Vec::new(),
            message: "the foreground could not be read after the refusal".into(),
        };
    }
    Outcome {
        status: Status::Pass,
        evidence: refused.iter().flat_map(|r| [r - 1, *r]).collect(),
        highlights: Vec::new(),
        message: format!(
            "after {} the app stayed in the foreground with the same process",
            if refused.len() == 1 {
                "the refusal".to_string()
            } else {
                format!("each of {} refusals", refused.len())
            }
        ),
    }
}

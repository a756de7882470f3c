//! `no-forced-exit`, 7.2(f)(1) and 7.4(b): refusing does not close the app,
//! kill its process, or close a mini program back to its host.

use super::consent_flow::{after, chains};
use super::{Outcome, Rule, Section, Status};
use crate::trace::{Frame, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "no-forced-exit",
    clause: "7.2(f)(1), 7.4(b)",
    default_on: true,
    fails_when: "the app (or the mini program) leaves or dies because the user refused",
    by_a_person: false,
    section: Section::Seven,
    level2: false,
    check: Some(judge),
};

/// System screens that may cover an app without it having left.
const OVERLAYS: &[&str] = &[
    "com.android.permissioncontroller",
    "com.google.android.permissioncontroller",
    "com.android.packageinstaller",
    "com.android.systemui",
];

fn in_front(f: &Frame, trace: &Trace, prompt: &Frame) -> Option<bool> {
    let fg = f.foreground.as_ref()?;
    if OVERLAYS.contains(&fg.package.as_str()) || crate::screen::permission::drawn_by(fg).is_some()
    {
        return None;
    }
    if fg.package != trace.app.package {
        return Some(false);
    }
    if trace.app.is_mini_program() {
        // A mini program runs in one host activity (WeChat: AppBrandUI,
        // AppBrandUI1 …); the host's own screens mean it was closed. When
        // the scenario does not name it (an audit), it is the activity the
        // prompt was shown in.
        let act = trace.app.full_activity().or_else(|| {
            prompt
                .foreground
                .as_ref()
                .filter(|p| p.package == trace.app.package)
                .map(|p| p.activity.trim_end_matches(char::is_numeric).to_string())
        });
        if let Some(act) = act {
            return Some(fg.activity.starts_with(&act));
        }
    }
    Some(true)
}

fn judge(trace: &Trace) -> Outcome {
    let chains = chains(trace);
    let Some(first) = chains.first().map(|c| c.end()) else {
        return Outcome::new(
            Status::Inconclusive,
            Vec::new(),
            Vec::new(),
            crate::said!("no-forced-exit-never-refused"),
        );
    };
    // What each refusal led to, judged at the end of its chain (after the
    // last confirmation dialog) and at every step on the way.
    for c in &chains {
        let before = &trace.frames[c.prompt];
        for &r in &c.refusals {
            for f in after(trace, r) {
                let died =
                    !trace.app.is_mini_program() && before.pid.is_some() && f.pid != before.pid;
                let through = c.through(trace);
                let what = if died {
                    let was = before.pid.unwrap_or(0);
                    Some(match f.pid {
                        None => crate::said!(
                            "no-forced-exit-died",
                            pid = was.to_string(),
                            through = &through
                        ),
                        Some(p) => crate::said!(
                            "no-forced-exit-restarted",
                            through = &through,
                            was = was.to_string(),
                            now = p.to_string()
                        ),
                    })
                } else if in_front(f, trace, before) == Some(false) {
                    let fg = f
                        .foreground
                        .as_ref()
                        .map_or(crate::said!("no-forced-exit-nothing"), |g| {
                            crate::i18n::Said::verbatim(format!("{}/{}", g.package, g.activity))
                        });
                    if trace.app.is_mini_program() {
                        Some(crate::said!(
                            "no-forced-exit-mini-program-closed",
                            through = &through,
                            fg = fg
                        ))
                    } else {
                        Some(crate::said!(
                            "no-forced-exit-left",
                            through = &through,
                            fg = fg
                        ))
                    }
                } else {
                    None
                };
                if let Some(msg) = what {
                    let mut ev = vec![c.prompt];
                    ev.extend(c.confirmations());
                    ev.push(f.index);
                    ev.dedup();
                    return Outcome::plain(Status::Fail, ev, msg);
                }
            }
        }
    }
    let last = trace.frames.len() - 1;
    if chains.iter().all(|c| c.end() == last)
        && in_front(&trace.frames[last], trace, &trace.frames[chains[0].prompt]).is_none()
    {
        return Outcome::new(
            Status::Inconclusive,
            vec![first],
            Vec::new(),
            crate::said!("no-forced-exit-unread"),
        );
    }
    let n = chains.len();
    let through = chains
        .iter()
        .map(|c| c.through(trace))
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    Outcome::new(
        Status::Pass,
        chains.iter().flat_map(|c| [c.prompt, c.end()]).collect(),
        Vec::new(),
        crate::said!("no-forced-exit-pass", n = n, through = &through),
    )
}

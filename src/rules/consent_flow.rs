//! How real consent flows look in a recorded trace: which frames ask for
//! consent (a dialog, a login page's consent box, the system's permission
//! dialog), which taps refused, and how refusals chain through the
//! confirmation dialogs apps put after 不同意 (温馨提示: 仍不同意 / 同意并继续).
//!
//! The rules share this so that they agree on what a prompt and a refusal
//! are. Pure functions over a trace, like the rules.

use std::collections::BTreeSet;

use crate::perception::{Role, Words};
use crate::screen::View;
use crate::trace::{ActionKind, Frame, Trace};

pub use crate::screen::controls::{is_refusal_label, is_way_out, is_way_out_label};
pub use crate::screen::identity::{same_prompt, same_view};
pub use crate::screen::kind::is_login_action;
pub use crate::screen::PromptKind;

/// What kind of prompt a frame shows, if any (the screen's own answer).
pub fn prompt_kind(f: &Frame, trace: &Trace) -> Option<PromptKind> {
    View::of(f, trace).prompt()
}

/// What identifies a prompt: the labels of its controls and policy links.
pub fn signature(f: &Frame) -> BTreeSet<String> {
    crate::screen::identity::signature(&f.texts)
}

/// Whether the tap that led to a frame refused.
fn tap_refused(f: &Frame, words: &Words) -> bool {
    f.action == ActionKind::Tap
        && f.tap.as_ref().is_some_and(|t| {
            matches!(t.role, Some(Role::Refuse | Role::WeakRefuse))
                || t.label
                    .as_deref()
                    .is_some_and(|l| is_way_out_label(l, words))
        })
}

/// Whether nothing was chosen between two frames (only looks and scrolls).
fn only_looked(trace: &Trace, from: usize, to: usize) -> bool {
    trace.frames[from..to]
        .iter()
        .all(|f| matches!(f.action, ActionKind::Look | ActionKind::Swipe))
}

/// The frames that show what a refusal led to: the one right after it and
/// those captured before the user's next action.
pub fn after(trace: &Trace, refusal: usize) -> impl Iterator<Item = &Frame> {
    trace.frames[refusal..]
        .iter()
        .enumerate()
        .take_while(|(k, f)| *k == 0 || matches!(f.action, ActionKind::Look | ActionKind::Swipe))
        .map(|(_, f)| f)
}

/// One refusal of a prompt, through the confirmation dialogs that followed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Chain {
    /// What was refused.
    pub kind: PromptKind,
    /// The frame showing the prompt when the user refused it.
    pub prompt: usize,
    /// The frames right after each refusal: the first on the prompt, the
    /// others on the confirmation dialogs it led to.
    pub refusals: Vec<usize>,
}

impl Chain {
    /// The frame right after the last refusal: where the chain ended.
    pub fn end(&self) -> usize {
        self.refusals.last().copied().unwrap_or(self.prompt)
    }

    /// The frames showing the confirmation dialogs refused on the way.
    pub fn confirmations(&self) -> Vec<usize> {
        self.refusals.iter().skip(1).map(|r| r - 1).collect()
    }

    /// The confirmation dialogs refused on the way, by title, for messages:
    /// ` through 「温馨提示」`, or nothing.
    pub fn through(&self, trace: &Trace) -> crate::i18n::Said {
        let titles: Vec<String> = self
            .confirmations()
            .iter()
            .map(|&i| dialog_title(&trace.frames[i]))
            .collect();
        if titles.is_empty() {
            crate::i18n::Said::none()
        } else {
            crate::said!(
                "consent-flow-through",
                titles = crate::i18n::Listed::join(titles, &crate::t!("consent-flow-and"))
            )
        }
    }
}

pub use crate::screen::kind::dialog_title;

/// Every refusal in the trace, grouped into chains: a refusal on a prompt
/// starts a chain; a refusal on a dialog that the previous refusal led to
/// (a confirmation, not the prompt itself back again) continues it.
pub fn chains(trace: &Trace) -> Vec<Chain> {
    let mut out: Vec<Chain> = Vec::new();
    for f in trace.frames.iter().skip(1) {
        if !tap_refused(f, &trace.words) {
            continue;
        }
        let prev = &trace.frames[f.index - 1];
        let kind = prompt_kind(prev, trace);
        if let Some(c) = out.last_mut() {
            let last = c.end();
            let in_reply = last < f.index && only_looked(trace, last + 1, f.index);
            let back_again = same_view(&trace.frames[c.prompt], prev);
            // A permission dialog has no confirmations of its own, and one
            // after a consent refusal is a prompt of its own.
            let other_kind = c.kind == PromptKind::Permission
                || (kind == Some(PromptKind::Permission) && c.kind != PromptKind::Permission);
            if in_reply && !back_again && !other_kind {
                c.refusals.push(f.index);
                continue;
            }
        }
        if let Some(kind) = kind {
            out.push(Chain {
                kind,
                prompt: prev.index,
                refusals: vec![f.index],
            });
        }
    }
    out
}

/// The frames right after a refusal, in order: the frames that start every
/// chain and the taps on its confirmation dialogs.
pub fn refusals(trace: &Trace) -> Vec<usize> {
    chains(trace)
        .iter()
        .flat_map(|c| c.refusals.clone())
        .collect()
}

/// Frames that are confirmation dialogs of some chain, or show what a
/// refusal led to: they are answers to a prompt, not new prompts.
fn replies(trace: &Trace, chains: &[Chain]) -> BTreeSet<usize> {
    let mut s = BTreeSet::new();
    for c in chains {
        for &r in &c.refusals {
            for f in after(trace, r) {
                if !same_view(&trace.frames[c.prompt], f) {
                    s.insert(f.index);
                }
            }
        }
    }
    s
}

/// The first frame of every distinct consent prompt (dialogs and login
/// pages; not permission dialogs, not confirmations), in order.
pub fn prompts(trace: &Trace) -> Vec<(usize, PromptKind)> {
    let chains = chains(trace);
    let replies = replies(trace, &chains);
    let mut seen: Vec<BTreeSet<String>> = Vec::new();
    let mut out = Vec::new();
    for f in &trace.frames {
        let Some(kind) = prompt_kind(f, trace) else {
            continue;
        };
        if kind == PromptKind::Permission || replies.contains(&f.index) {
            continue;
        }
        let sig = signature(f);
        if seen.iter().any(|s| same_prompt(s, &sig)) {
            continue;
        }
        seen.push(sig);
        out.push((f.index, kind));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_privacy_policy_is_not_a_user_agreement() {
        let w = Words::default();
        assert!(w.is_processing_rules("个人信息保护政策"));
        assert!(w.is_processing_rules("Privacy Policy"));
        assert!(!w.is_processing_rules("用户协议"));
        assert_eq!(w.agreement_named("用户服务协议"), Some("用户服务协议"));
        assert_eq!(w.agreement_named("隐私政策"), None);
    }
}

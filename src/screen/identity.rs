//! When two frames show the same screen, or the same prompt: one notion
//! with named thresholds, for the runner, the searches, the rules and the
//! report.

use std::collections::BTreeSet;

use super::kind::is_login_action;
use crate::perception::{words::normalize, Role, TextItem};
use crate::trace::Frame;

/// Two prompts are the same when at least this share of their controls'
/// and links' labels is shared (a prompt shown again may lose a line to
/// OCR, or show its controls in another order).
pub const SAME_PROMPT: f64 = 0.6;

/// Two screens are the same when at least this share of their texts is
/// shared (a toast or the status bar's clock changes a few).
pub const SAME_SCREEN: f64 = 0.7;

/// What identifies a prompt: the labels of its controls and policy links,
/// and its login actions.
pub fn signature(texts: &[TextItem]) -> BTreeSet<String> {
    texts
        .iter()
        .filter(|t| t.role != Role::Other || is_login_action(&t.text))
        .map(|t| normalize(&t.text))
        .collect()
}

/// Jaccard share of two sets (0 when either is empty).
fn shared<T: Ord>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    a.intersection(b).count() as f64 / a.union(b).count() as f64
}

/// Whether two signatures are the same prompt.
pub fn same_prompt(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    shared(a, b) >= SAME_PROMPT
}

/// Every text of a screen, normalised.
pub fn texts_of(texts: &[TextItem]) -> BTreeSet<String> {
    texts
        .iter()
        .map(|t| normalize(&t.text))
        .filter(|n| !n.is_empty())
        .collect()
}

/// Whether two frames' texts show the same screen: most of their texts are
/// the same.
pub fn same_screen(a: &[TextItem], b: &[TextItem]) -> bool {
    let (a, b) = (texts_of(a), texts_of(b));
    if a.is_empty() && b.is_empty() {
        return true;
    }
    shared(&a, &b) >= SAME_SCREEN
}

/// Whether two frames show the same prompt: the same controls, or mostly
/// the same text (a prompt scrolled to another part of its text, or shown
/// again with its controls below the fold).
pub fn same_view(a: &Frame, b: &Frame) -> bool {
    if same_prompt(&signature(&a.texts), &signature(&b.texts)) {
        return true;
    }
    // Lines of words (not the status bar's clock), and among them the
    // prompt's own: its policy links and consent box. A confirmation dialog
    // shares its agree button with the prompt, and OCR reads the screen a
    // dialog dims behind both, so neither is enough.
    let lines = |f: &Frame| -> BTreeSet<String> {
        f.texts
            .iter()
            .filter(|t| t.text.chars().filter(|c| c.is_alphabetic()).count() >= 2)
            .map(|t| normalize(&t.text))
            .filter(|n| n.chars().count() >= 4)
            .collect()
    };
    let own = |f: &Frame| -> BTreeSet<String> {
        f.texts
            .iter()
            .filter(|t| matches!(t.role, Role::Policy | Role::Agreement | Role::Checkbox))
            .map(|t| normalize(&t.text))
            .collect()
    };
    let (x, y) = (lines(a), lines(b));
    let common = x.intersection(&y).count();
    own(a).intersection(&own(b)).next().is_some()
        && common >= 3
        && common * 2 >= x.len().min(y.len())
}

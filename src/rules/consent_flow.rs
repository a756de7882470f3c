//! How real consent flows look in a recorded trace: which frames ask for
//! consent (a dialog, a login page's consent box, the system's permission
//! dialog), which taps refused, and how refusals chain through the
//! confirmation dialogs apps put after 不同意 (温馨提示: 仍不同意 / 同意并继续).
//!
//! The rules share this so that they agree on what a prompt and a refusal
//! are. Pure functions over a trace, like the rules.

use std::collections::BTreeSet;

use crate::perception::{words::normalize, Role, TextItem, Words};
use crate::trace::{ActionKind, Frame, Trace};

/// Packages that show Android's (or a vendor's) runtime-permission dialog.
pub const PERMISSION_PACKAGES: &[&str] = &[
    "com.android.permissioncontroller",
    "com.google.android.permissioncontroller",
    "com.android.packageinstaller",
    "com.lbe.security.miui",
    "com.coloros.securitypermission",
    "com.huawei.systemmanager",
];

/// What kind of prompt a frame shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// A consent dialog or page: agree and the processing rules.
    Consent,
    /// A login or register page with a consent checkbox.
    Login,
    /// The system's runtime-permission dialog.
    Permission,
}

/// Whether a label is a login / register action (登录, 本机号码一键登录,
/// 注册, Log in, Sign up …), not an agreement's name.
pub fn is_login_action(label: &str) -> bool {
    let n = normalize(label);
    let len = n.chars().count();
    if len == 0
        || len > 14
        || ["协议", "政策", "条款", "规则"]
            .iter()
            .any(|w| n.contains(w))
    {
        return false;
    }
    [
        "登录",
        "登陆",
        "注册",
        "login",
        "signin",
        "signup",
        "register",
        "createaccount",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// Whether a control offers a way on without agreeing on a login page
/// (跳过, 游客模式, 暂不登录, Skip …) or refuses outright.
pub fn is_way_out(t: &TextItem, words: &Words) -> bool {
    matches!(t.role, Role::Refuse | Role::WeakRefuse) || is_way_out_label(&t.text, words)
}

/// Whether a label declines: a refusal, or a way on without agreeing.
pub fn is_way_out_label(label: &str, words: &Words) -> bool {
    let n = normalize(label);
    n.chars().count() <= 10
        && [
            "游客",
            "随便看看",
            "先逛逛",
            "暂不登录",
            "跳过",
            "以后再说",
            "稍后",
            "skip",
            "guest",
            "notnow",
            "later",
        ]
        .iter()
        .any(|w| n.contains(w))
        || is_refusal_label(label, words)
}

/// Whether a control's label refuses, by meaning: a refuse word, or a short
/// label that starts with a negation (不…, 拒绝…, 暂不…, No …) or leaves
/// (退出应用, 离开).
pub fn is_refusal_label(label: &str, words: &Words) -> bool {
    if matches!(words.role(label), Role::Refuse | Role::WeakRefuse) {
        return true;
    }
    let n = normalize(label);
    let len = n.chars().count();
    if len == 0 || len > 12 {
        return false;
    }
    let lower = label.trim().to_lowercase();
    let english = [
        "no ",
        "no,",
        "not ",
        "don't",
        "do not",
        "maybe later",
        "exit",
        "quit",
        "leave",
    ];
    let chinese = ["不", "拒绝", "暂不", "以后", "稍后", "残忍", "放弃"];
    chinese.iter().any(|p| n.starts_with(p))
        || english.iter().any(|p| lower.starts_with(p))
        || lower == "no"
        || ["拒绝", "不同意", "退出", "离开", "仍不", "关闭应用"]
            .iter()
            .any(|w| n.contains(w))
}

/// Whether a frame is a login page asking consent: a consent checkbox next
/// to a login / register action.
pub fn is_login_prompt(f: &Frame) -> bool {
    f.has_role(Role::Checkbox) && f.texts.iter().any(|t| is_login_action(&t.text))
}

/// Whether the system's permission dialog is in front.
pub fn is_permission_dialog(f: &Frame) -> bool {
    f.foreground
        .as_ref()
        .is_some_and(|g| PERMISSION_PACKAGES.contains(&g.package.as_str()))
        && f.has_role(Role::Agree)
}

/// Whether a screen names the privacy policy or another agreement (by
/// perception's roles, or the names of section7-rules.md: Privacy Notice,
/// 用户服务协议 …), or shows a consent box.
fn names_rules(f: &Frame, trace: &Trace) -> bool {
    f.texts.iter().any(|t| {
        !matches!(
            t.role,
            Role::Other | Role::Agree | Role::Vague | Role::Refuse | Role::WeakRefuse
        ) || trace.words.mentions_policy(&t.text)
    })
}

/// What kind of prompt a frame shows, if any.
pub fn prompt_kind(f: &Frame, trace: &Trace) -> Option<PromptKind> {
    let agree_like = f.has_role(Role::Agree) || f.has_role(Role::Vague);
    if is_permission_dialog(f) {
        Some(PromptKind::Permission)
    } else if agree_like && (super::is_consent_prompt(f, trace) || names_rules(f, trace)) {
        Some(PromptKind::Consent)
    } else if is_login_prompt(f) {
        Some(PromptKind::Login)
    } else if f.has_role(Role::Refuse) && names_rules(f, trace) {
        // OCR may miss the agree button beside a clear refuse.
        Some(PromptKind::Consent)
    } else {
        None
    }
}

/// What identifies a prompt: the labels of its controls and policy links.
pub fn signature(f: &Frame) -> BTreeSet<String> {
    f.texts
        .iter()
        .filter(|t| t.role != Role::Other || is_login_action(&t.text))
        .map(|t| normalize(&t.text))
        .collect()
}

/// Whether two signatures are the same prompt (most labels shared).
pub fn same_prompt(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let common = a.intersection(b).count() as f64;
    common / a.union(b).count() as f64 >= 0.6
}

/// Whether two frames show the same prompt: the same controls, or mostly
/// the same text (a prompt scrolled to another part of its text, or shown
/// again with its controls below the fold).
pub fn same_view(a: &Frame, b: &Frame) -> bool {
    if same_prompt(&signature(a), &signature(b)) {
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
            .filter(|t| {
                !matches!(
                    t.role,
                    Role::Other | Role::Agree | Role::Vague | Role::Refuse | Role::WeakRefuse
                )
            })
            .map(|t| normalize(&t.text))
            .collect()
    };
    let (x, y) = (lines(a), lines(b));
    let common = x.intersection(&y).count();
    own(a).intersection(&own(b)).next().is_some()
        && common >= 3
        && common * 2 >= x.len().min(y.len())
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
    pub fn through(&self, trace: &Trace) -> String {
        let titles: Vec<String> = self
            .confirmations()
            .iter()
            .map(|&i| dialog_title(&trace.frames[i]))
            .collect();
        if titles.is_empty() {
            String::new()
        } else {
            format!(" through {}", titles.join(" and "))
        }
    }
}

/// A confirmation dialog's name for messages: its first plain line
/// (温馨提示), else its refuse control.
pub fn dialog_title(f: &Frame) -> String {
    // Not the status bar's clock, not a misread icon: a word or two. The
    // hierarchy holds only the dialog's own texts; OCR also reads what the
    // dialog dims, so it comes second.
    let title = |t: &&TextItem| {
        t.role == Role::Other
            && (2..=16).contains(&normalize(&t.text).chars().count())
            && t.text.chars().filter(|c| c.is_alphabetic()).count() >= 2
    };
    f.texts
        .iter()
        .filter(|t| t.source == crate::perception::Source::Hierarchy)
        .find(title)
        .or_else(|| f.texts.iter().filter(|t| t.confidence >= 80.0).find(title))
        .map(|t| format!("「{}」", t.text))
        .unwrap_or_else(|| "a confirmation dialog".into())
}

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
    fn login_actions_are_not_agreements() {
        for l in [
            "登录",
            "本机号码一键登录",
            "登录/注册",
            "Log in",
            "Sign up",
            "注册",
        ] {
            assert!(is_login_action(l), "{l}");
        }
        for l in [
            "《注册协议》",
            "用户协议",
            "我的",
            "登录后可查看更多内容，快来登录吧",
        ] {
            assert!(!is_login_action(l), "{l}");
        }
    }

    #[test]
    fn refusals_by_meaning() {
        let w = Words::default();
        for l in [
            "不同意",
            "仍不同意",
            "退出应用",
            "暂不授权",
            "不同意并离开",
            "No thanks",
            "放弃使用",
            "仍然拒绝",
            "Exit app",
        ] {
            assert!(is_refusal_label(l, &w), "{l}");
        }
        for l in [
            "同意并继续",
            "查看协议",
            "我的",
            "Notice",
            "请您在点击同意之前仔细阅读相关条款",
        ] {
            assert!(!is_refusal_label(l, &w), "{l}");
        }
    }

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

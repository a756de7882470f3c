//! What the bounded searches look for on a screen (`policy-reachable`,
//! `revocation-reachable`, `account-deletion-reachable`): the privacy
//! policy's text, a place to withdraw authorizations, the account deletion
//! screen. The runner asks while it searches; the rules ask again of the
//! frame the search stopped on, so a verdict can be judged on a recorded
//! trace.

use serde::{Deserialize, Serialize};

use super::kind::asks_choice;
use crate::device::HierarchyNode;
use crate::geom::Rect;
use crate::i18n::{Listed, Said};
use crate::perception::words::{normalize, GRANT_STATES, PERMISSION_NAMES};
use crate::perception::{Role, TextItem, Words};
use crate::trace::Target;

/// A switch on the screen (a hierarchy toggle).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Switch {
    /// Where it is.
    pub bounds: Rect,
    /// Whether it is on.
    pub checked: bool,
}

/// What a search knows of a screen beyond its texts, read from the view
/// hierarchy and the screen's size, and kept on the frame so the rules
/// can ask again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// The screen's height in pixels.
    pub height: i32,
    /// The status bar's bottom edge.
    pub status_bottom: i32,
    /// The screen's title: its index among the frame's texts.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub title: Option<usize>,
    /// The switches of the screen.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub switches: Vec<Switch>,
}

impl Page {
    /// Reads a screen: its texts, its hierarchy (may be empty) and size.
    pub fn read(texts: &[TextItem], nodes: &[HierarchyNode], screen: (i32, i32)) -> Page {
        let h = screen.1;
        // The system UI's node in the hierarchy, else 3.5% of the screen's
        // height (24 dp on a 16:9 phone).
        let top = nodes
            .iter()
            .find(|n| {
                n.package == "com.android.systemui"
                    && n.bounds.y == 0
                    && n.bounds.h > 0
                    && n.bounds.h < h / 10
            })
            .map_or(h * 35 / 1000, |n| n.bounds.bottom());
        // The hierarchy's title view when it has one (an id ending in
        // `title` in the top fifth), else the top-most line of text below
        // the status bar in the top 14% of the screen (the title bar).
        let from_hierarchy = nodes.iter().find(|n| {
            let id = n.resource_id.to_lowercase();
            let y = n.bounds.center().1;
            id.ends_with("title") && !n.label().is_empty() && y > top && y < h / 5
        });
        let titled = from_hierarchy.and_then(|n| {
            texts
                .iter()
                .position(|t| t.text == n.label() && t.bounds.overlap_of_smaller(&n.bounds) > 0.5)
        });
        let title = titled.or_else(|| {
            texts
                .iter()
                .enumerate()
                .filter(|(_, t)| {
                    let y = t.bounds.center().1;
                    y > top
                        && y < h * 14 / 100
                        && t.text.chars().filter(|c| c.is_alphanumeric()).count() >= 2
                })
                .min_by_key(|(_, t)| (t.bounds.y, t.bounds.x))
                .map(|(i, _)| i)
        });
        let switches = nodes
            .iter()
            .filter(|n| {
                ["Switch", "SwitchCompat", "ToggleButton", "SwitchMaterial"]
                    .iter()
                    .any(|c| n.class.ends_with(c))
            })
            .map(|n| Switch {
                bounds: n.bounds,
                checked: n.checked,
            })
            .collect();
        Page {
            height: h,
            status_bottom: top,
            title,
            switches,
        }
    }
}

/// A screen as a search sees it.
#[derive(Debug, Clone, Copy)]
pub struct SearchView<'a> {
    /// Its texts.
    pub texts: &'a [TextItem],
    /// The words in force.
    pub words: &'a Words,
    /// What the hierarchy and the size said.
    pub page: &'a Page,
}

/// The screen's title.
pub fn title(v: &SearchView) -> Option<TextItem> {
    v.page.title.and_then(|i| v.texts.get(i)).cloned()
}

/// Whether a text is in the title bar.
pub fn in_title_bar(t: &TextItem, title: Option<&TextItem>) -> bool {
    title.is_some_and(|x| {
        let (a, b) = (t.bounds.center().1, x.bounds.center().1);
        (a - b).abs() * 2 < x.bounds.h.max(1)
    })
}

/// What a screen is for a search.
#[derive(Debug, Clone, PartialEq)]
pub enum Match {
    /// What the search looks for; why it is (empty for the policy).
    Target(Said),
    /// Close but not it: (title, why).
    Near(String, Said),
    /// Anything else.
    Other,
}

/// What a screen is for a search looking for `target`; `via` is the label
/// tapped to reach it.
pub fn classify(v: &SearchView, target: Target, via: Option<&str>) -> Match {
    match target {
        Target::Policy => classify_policy(v),
        Target::Revocation => classify_revocation(v),
        Target::AccountDeletion => classify_deletion(v, via),
    }
}

/// The texts below the title bar and the status bar.
fn body<'c>(v: &SearchView<'c>, title: Option<&TextItem>) -> Vec<&'c TextItem> {
    let top = v.page.status_bottom;
    v.texts
        .iter()
        .filter(|t| t.bounds.center().1 >= top && !in_title_bar(t, title))
        .filter(|t| title.is_none_or(|x| t.bounds.y > x.bounds.y || t.text != x.text))
        .collect()
}

/// A grant state a short text shows (已开启, 未授权, 去设置, Allowed …):
/// the whole text, or inside a short Chinese text (位置信息：未授权).
fn grant_state(text: &str) -> Option<&'static str> {
    let n = normalize(text);
    if n.chars().count() > 16 {
        return None;
    }
    GRANT_STATES
        .iter()
        .filter(|w| {
            if w.is_ascii() {
                n == normalize(w)
            } else {
                n.contains(*w)
            }
        })
        .max_by_key(|w| w.chars().count())
        .copied()
}

/// The permission a short text names (位置信息, 相机权限, Camera).
fn permission_named(text: &str) -> Option<&'static str> {
    let n = normalize(text);
    if n.chars().count() > 16 {
        return None;
    }
    PERMISSION_NAMES
        .iter()
        .find(|w| {
            if w.is_ascii() {
                n.split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|t| t == **w)
            } else {
                n.contains(*w)
            }
        })
        .copied()
}

/// Whether a short label is a control that withdraws consent or an
/// authorization: a `revocation` word that withdraws (撤回同意, 关闭授权), or
/// a withdrawing verb with what it withdraws (撤回个人信息授权, 撤销对隐私政策的
/// 同意, Withdraw consent, Revoke access).
fn withdraws(words: &crate::perception::Words, label: &str) -> bool {
    let n = normalize(label).to_lowercase();
    if n.chars().count() > 20 || n.contains(['，', ',', '。']) {
        return false;
    }
    const VERBS: &[&str] = &[
        "撤回",
        "撤销",
        "关闭授权",
        "取消授权",
        "解除授权",
        "withdraw",
        "revoke",
    ];
    let named = words
        .revocation_named(label)
        .is_some_and(|w| VERBS.iter().any(|v| w.to_lowercase().contains(v)));
    named
        || (VERBS.iter().any(|v| n.contains(v))
            && [
                "同意",
                "授权",
                "隐私",
                "许可",
                "consent",
                "permission",
                "authoriz",
                "access",
            ]
            .iter()
            .any(|o| n.contains(o)))
}

/// Whether two boxes sit on one row of a list.
fn same_row(a: &crate::geom::Rect, b: &crate::geom::Rect) -> bool {
    let (ya, yb) = (a.center().1, b.center().1);
    (ya - yb).abs() * 2 < a.h.max(b.h).max(1)
}

/// A way to withdraw authorizations on the screen: a control to withdraw
/// consent (撤回同意, 撤回隐私政策授权, 关闭授权, Withdraw consent), a list of
/// permissions each with a switch or a state (位置信息 已开启 / 去设置), or a
/// screen titled as the place for it (权限管理, 隐私设置) that shows
/// switches or states.
fn classify_revocation(v: &SearchView) -> Match {
    if asks_choice(v.texts, v.words) {
        return Match::Other;
    }
    let words = v.words;
    let title = title(v);
    let body = body(v, title.as_ref());
    // A control that withdraws, not a place that may hold one.
    let withdraw = body.iter().find(|t| withdraws(words, &t.text));
    if let Some(t) = withdraw {
        return Match::Target(crate::said!("search-why-withdraws", text = t.text.as_str()));
    }
    // Switches: the hierarchy's toggles, with the label on their row.
    let switches = &v.page.switches;
    let mut rows: Vec<Said> = Vec::new();
    for t in &body {
        let Some(_) = permission_named(&t.text) else {
            continue;
        };
        let state = grant_state(&t.text)
            .map(|_| Said::none())
            .or_else(|| {
                body.iter()
                    .filter(|o| !std::ptr::eq(**o, *t) && same_row(&o.bounds, &t.bounds))
                    .find_map(|o| grant_state(&o.text).map(|_| Said::verbatim(o.text.as_str())))
            })
            .or_else(|| {
                switches
                    .iter()
                    .find(|s| same_row(&s.bounds, &t.bounds))
                    .map(|s| {
                        if s.checked {
                            crate::said!("search-state-switch-on")
                        } else {
                            crate::said!("search-state-switch-off")
                        }
                    })
            });
        if let Some(state) = state {
            let row = if state.is_empty() {
                crate::said!("search-row", text = t.text.as_str())
            } else {
                crate::said!("search-row-state", text = t.text.as_str(), state = state)
            };
            if !rows.contains(&row) {
                rows.push(row);
            }
        }
    }
    let titled = title
        .as_ref()
        .filter(|t| {
            words.revocation_named(&t.text).is_some()
                || normalize(&t.text).contains("权限")
                || t.text.to_lowercase().contains("permission")
        })
        .map(|t| t.text.clone());
    let shown = |rows: &[Said]| Listed::join(rows.iter().take(3), &crate::t!("evidence-list-sep"));
    if rows.len() >= 2 {
        return Match::Target(match titled {
            Some(t) => crate::said!("search-why-titled-lists", title = t, rows = shown(&rows)),
            None => crate::said!("search-why-lists", rows = shown(&rows)),
        });
    }
    if let Some(t) = titled {
        if !rows.is_empty() {
            return Match::Target(crate::said!(
                "search-why-titled-rows",
                title = t,
                rows = shown(&rows)
            ));
        }
        let states = body
            .iter()
            .filter(|b| grant_state(&b.text).is_some())
            .count();
        if !switches.is_empty() || states > 0 {
            return Match::Target(crate::said!(
                "search-why-titled-switches",
                title = t,
                switches = switches.len(),
                states = states
            ));
        }
        return Match::Near(t, crate::said!("search-near-no-switch"));
    }
    Match::Other
}

/// Stems of deleting: what a deletion notice talks about.
const DELETION_STEMS: &[&str] = &[
    "注销",
    "删除",
    "delet",
    "erase",
    "close your account",
    "closing your account",
    "deactivat",
];

/// The account deletion screen: titled with a deletion name (注销账号, 账号注销,
/// 注销须知, Delete account), or, reached by tapping an entry that names
/// deletion, a screen or dialog whose text talks about deleting (注销后, 您的
/// 账号将被删除 …).
fn classify_deletion(v: &SearchView, via: Option<&str>) -> Match {
    if asks_choice(v.texts, v.words) {
        return Match::Other;
    }
    let words = v.words;
    let title = title(v);
    if let Some(t) = title
        .as_ref()
        .filter(|t| words.deletion_named(&t.text).is_some() && !words.is_processing_rules(&t.text))
    {
        return Match::Target(crate::said!("search-why-titled", title = t.text.as_str()));
    }
    let Some(via) = via.filter(|v| words.deletion_named(v).is_some()) else {
        return Match::Other;
    };
    let via_n = normalize(via);
    let body = body(v, title.as_ref());
    let sentence = body.iter().find(|t| {
        let n = normalize(&t.text);
        let lower = n.to_lowercase();
        n != via_n
            && n.chars().count() >= if n.is_ascii() { 20 } else { 6 }
            && DELETION_STEMS.iter().any(|w| lower.contains(w))
    });
    if let Some(t) = sentence {
        return Match::Target(crate::said!(
            "search-why-deletion-notice",
            via = via,
            text = t.text.as_str()
        ));
    }
    let here = title.map_or_else(|| crate::t!("search-near-a-screen"), |t| t.text);
    Match::Near(here, crate::said!("search-near-deletion-silent", via = via))
}

/// Whether the current screen shows the privacy policy: its title names it,
/// it shows the policy's text (not only links to it), and it is not a
/// consent prompt asking for a choice.
fn classify_policy(v: &SearchView) -> Match {
    let texts = v.texts;
    let prompt = texts
        .iter()
        .any(|t| matches!(t.role, Role::Agree | Role::Vague | Role::Refuse));
    let Some(title) = title(v) else {
        return Match::Other;
    };
    if prompt {
        return Match::Other;
    }
    if v.words.is_processing_rules(&title.text) {
        // The document itself: paragraphs, not a list of links.
        // A sentence (a menu entry is a few words), or several lines.
        let lines: Vec<usize> = texts
            .iter()
            .filter(|t| t.bounds.y > title.bounds.bottom() && !in_title_bar(t, Some(&title)))
            .filter(|t| t.role == Role::Other)
            .map(|t| normalize(&t.text).chars().count())
            .filter(|&n| n >= 8)
            .collect();
        let sentence = if title.text.is_ascii() { 40 } else { 16 };
        if lines.iter().any(|&n| n >= sentence) || lines.iter().sum::<usize>() >= 2 * sentence {
            return Match::Target(Said::none());
        }
        return Match::Near(title.text, crate::said!("search-near-links-only"));
    }
    if let Some(w) = v.words.agreement_named(&title.text) {
        let why = if w.starts_with(|c: char| c.is_ascii()) {
            crate::said!("search-near-terms")
        } else {
            crate::said!("search-near-agreement", name = w)
        };
        return Match::Near(title.text, why);
    }
    Match::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_permissions_and_withdraw_controls_by_their_words() {
        assert_eq!(grant_state("已开启"), Some("已开启"));
        assert_eq!(grant_state("位置信息：未授权"), Some("未授权"));
        assert_eq!(grant_state("Allowed"), Some("allowed"));
        assert_eq!(grant_state("Only"), None, "no state inside an English word");
        assert_eq!(
            grant_state("开启后，我们会根据您的位置为您推荐附近的网点和优惠活动"),
            None,
            "a sentence is not a state"
        );
        assert_eq!(permission_named("位置信息"), Some("位置"));
        assert_eq!(permission_named("Camera"), Some("camera"));
        assert_eq!(permission_named("Cameras and more"), None);
        let w = Words::default();
        for yes in [
            "撤回同意",
            "撤回隐私政策授权",
            "撤回个人信息授权",
            "撤销对隐私政策的同意",
            "Withdraw consent",
            "Revoke access",
        ] {
            assert!(withdraws(&w, yes), "{yes}");
        }
        for no in ["权限管理", "隐私设置", "撤回消息", "个性化推荐"] {
            assert!(!withdraws(&w, no), "{no}");
        }
    }
}

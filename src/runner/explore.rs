//! The bounded search (`explore_policy`, `explore: {find: …}`): a
//! depth-limited walk from the current screen, tapping likely menu entries
//! first and backing out of each branch, until the screen looked for shows
//! up: the privacy policy's text, a screen where the user withdraws
//! authorizations, or the account deletion screen. Positions are relative
//! to the screen, so any size and density works.

use std::collections::{BTreeSet, HashSet};

use super::{tap_on, Ctx, Event, Runner, StepError};
use crate::device::Key;
use crate::perception::words::{normalize, GRANT_STATES, PERMISSION_NAMES};
use crate::perception::{Role, TextItem};
use crate::trace::{ActionKind, Exploration, Found, NotPolicy, Target};

/// Most taps one search may make, whatever its depth.
const TAP_BUDGET: u32 = 40;
/// Most entries tried on one screen.
const PER_SCREEN: usize = 8;
/// Words of menu entries that lead towards the policy, most likely first.
const HINTS: &[&str] = &[
    "隐私", "政策", "协议", "条款", "法律", "关于", "设置", "我的", "帮助", "更多", "个人", "安全",
    "账户", "服务", "Privacy", "Settings", "About", "Me",
];
/// Words of menu entries that lead towards withdrawing authorizations
/// (我的 → 设置 → 隐私设置 → 系统权限管理; Settings → Privacy → Manage
/// permissions), most likely first.
const REVOCATION_HINTS: &[&str] = &[
    "权限",
    "授权",
    "隐私",
    "设置",
    "个人信息",
    "安全",
    "我的",
    "账号",
    "帐号",
    "账户",
    "更多",
    "管理",
    "Permission",
    "Privacy",
    "Settings",
    "Account",
    "Profile",
    "Me",
];
/// Words of menu entries that lead towards account deletion (我的 → 设置 →
/// 账号与安全 → 注销账号; 隐私 → 个人信息管理), most likely first.
const DELETION_HINTS: &[&str] = &[
    "注销",
    "删除",
    "账号",
    "帐号",
    "账户",
    "帐户",
    "安全",
    "设置",
    "个人信息",
    "我的",
    "隐私",
    "个人",
    "更多",
    "帮助",
    "客服",
    "Account",
    "Security",
    "Settings",
    "Privacy",
    "Profile",
    "Me",
];
/// Labels no search taps, whatever it looks for: they log the user out,
/// confirm a deletion, or erase data, and would change the state the rest of
/// the scenario (and a real account) depends on.
const NEVER_TAP_START: &[&str] = &[
    "退出登录",
    "退出账号",
    "退出帐号",
    "登出",
    "切换账号",
    "切换帐号",
    "确认注销",
    "确定注销",
    "立即注销",
    "申请注销",
    "继续注销",
    "提交注销",
    "确认删除",
    "确定删除",
    "清除",
    "清空",
    "解除绑定",
    "解绑",
    "恢复出厂",
    "log out",
    "logout",
    "sign out",
    "confirm",
];
/// Whole labels no search taps (a bare 删除 in a list deletes that row).
const NEVER_TAP_WHOLE: &[&str] = &["删除", "注销", "提交", "确认", "remove", "delete"];

/// Whether tapping a label could log out or erase something.
fn destructive(label: &str) -> bool {
    let n = normalize(label);
    NEVER_TAP_WHOLE.iter().any(|w| n == normalize(w))
        || NEVER_TAP_START.iter().any(|w| n.starts_with(&normalize(w)))
        // A control that withdraws consent may do so at once: the
        // revocation search stops at the screen showing it, others pass it by.
        || ["撤回", "撤销", "withdraw", "revoke"].iter().any(|w| n.contains(w))
}

/// The status bar's bottom edge: the system UI's node in the hierarchy,
/// else 3.5% of the screen's height (24 dp on a 16:9 phone).
pub(super) fn status_bottom(cx: &Ctx) -> i32 {
    let h = cx.screen.1;
    cx.nodes
        .iter()
        .find(|n| {
            n.package == "com.android.systemui"
                && n.bounds.y == 0
                && n.bounds.h > 0
                && n.bounds.h < h / 10
        })
        .map_or(h * 35 / 1000, |n| n.bounds.bottom())
}

/// The screen's title: the hierarchy's title view when it has one (an id
/// ending in `title` in the top fifth), else the top-most line of text
/// below the status bar in the top 14% of the screen (the title bar).
pub(super) fn title(cx: &Ctx) -> Option<TextItem> {
    let h = cx.screen.1;
    let top = status_bottom(cx);
    let from_hierarchy = cx.nodes.iter().find(|n| {
        let id = n.resource_id.to_lowercase();
        let y = n.bounds.center().1;
        id.ends_with("title") && !n.label().is_empty() && y > top && y < h / 5
    });
    if let Some(n) = from_hierarchy {
        if let Some(t) = cx
            .obs
            .texts
            .iter()
            .find(|t| t.text == n.label() && t.bounds.overlap_of_smaller(&n.bounds) > 0.5)
        {
            return Some(t.clone());
        }
    }
    cx.obs
        .texts
        .iter()
        .filter(|t| {
            let y = t.bounds.center().1;
            y > top
                && y < h * 14 / 100
                && t.text.chars().filter(|c| c.is_alphanumeric()).count() >= 2
        })
        .min_by_key(|t| (t.bounds.y, t.bounds.x))
        .cloned()
}

/// Whether a text is in the title bar.
pub(super) fn in_title_bar(t: &TextItem, title: Option<&TextItem>) -> bool {
    title.is_some_and(|x| {
        let (a, b) = (t.bounds.center().1, x.bounds.center().1);
        (a - b).abs() * 2 < x.bounds.h.max(1)
    })
}

/// What the current screen is, for the search.
enum Kind {
    /// What the search looks for; why it is (empty for the policy).
    Policy(String),
    /// Close but not it: (title, why).
    NotPolicy(String, String),
    /// Anything else.
    Other,
}

/// What the current screen is for a search looking for `target`; `via` is
/// the label tapped to reach it.
fn classify(cx: &Ctx, target: Target, via: Option<&str>) -> Kind {
    match target {
        Target::Policy => classify_policy(cx),
        Target::Revocation => classify_revocation(cx),
        Target::AccountDeletion => classify_deletion(cx, via),
    }
}

/// Whether the screen is a consent prompt asking for a choice (agree-like
/// control and a mention of the rules): never what a search looks for.
///
/// A settings screen may show a vague word (去设置 beside a permission) and
/// a link to the policy without asking anything: a vague control counts
/// only next to a refusal, as a prompt offers it.
pub(super) fn is_prompt(cx: &Ctx) -> bool {
    crate::screen::kind::asks_choice(&cx.obs.texts, &cx.sc.words)
}

/// The texts below the title bar and the status bar.
fn body<'c>(cx: &'c Ctx, title: Option<&TextItem>) -> Vec<&'c TextItem> {
    let top = status_bottom(cx);
    cx.obs
        .texts
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
fn classify_revocation(cx: &Ctx) -> Kind {
    if is_prompt(cx) {
        return Kind::Other;
    }
    let words = &cx.sc.words;
    let title = title(cx);
    let body = body(cx, title.as_ref());
    // A control that withdraws, not a place that may hold one.
    let withdraw = body.iter().find(|t| withdraws(words, &t.text));
    if let Some(t) = withdraw {
        return Kind::Policy(format!("「{}」 withdraws consent", t.text));
    }
    // Switches: the hierarchy's toggles, with the label on their row.
    let switches: Vec<&crate::device::HierarchyNode> = cx
        .nodes
        .iter()
        .filter(|n| {
            ["Switch", "SwitchCompat", "ToggleButton", "SwitchMaterial"]
                .iter()
                .any(|c| n.class.ends_with(c))
        })
        .collect();
    let mut rows: Vec<String> = Vec::new();
    for t in &body {
        let Some(_) = permission_named(&t.text) else {
            continue;
        };
        let state = grant_state(&t.text)
            .map(|_| String::new())
            .or_else(|| {
                body.iter()
                    .filter(|o| !std::ptr::eq(**o, *t) && same_row(&o.bounds, &t.bounds))
                    .find_map(|o| grant_state(&o.text).map(|_| o.text.clone()))
            })
            .or_else(|| {
                switches
                    .iter()
                    .find(|s| same_row(&s.bounds, &t.bounds))
                    .map(|s| if s.checked { "switch on" } else { "switch off" }.to_string())
            });
        if let Some(state) = state {
            let row = if state.is_empty() {
                format!("「{}」", t.text)
            } else {
                format!("「{}」 {state}", t.text)
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
    let shown = |rows: &[String]| rows.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    if rows.len() >= 2 {
        let head = titled.map_or(String::new(), |t| format!("titled 「{t}」; "));
        return Kind::Policy(format!(
            "{head}lists permissions with their state: {}",
            shown(&rows)
        ));
    }
    if let Some(t) = titled {
        if !rows.is_empty() {
            return Kind::Policy(format!("titled 「{t}」; {}", shown(&rows)));
        }
        let states = body
            .iter()
            .filter(|b| grant_state(&b.text).is_some())
            .count();
        if !switches.is_empty() || states > 0 {
            return Kind::Policy(format!(
                "titled 「{t}」, with {} switch{} and {states} state{}",
                switches.len(),
                if switches.len() == 1 { "" } else { "es" },
                if states == 1 { "" } else { "s" }
            ));
        }
        return Kind::NotPolicy(
            t,
            "no switch, permission state or control to withdraw on it".into(),
        );
    }
    Kind::Other
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
fn classify_deletion(cx: &Ctx, via: Option<&str>) -> Kind {
    if is_prompt(cx) {
        return Kind::Other;
    }
    let words = &cx.sc.words;
    let title = title(cx);
    if let Some(t) = title
        .as_ref()
        .filter(|t| words.deletion_named(&t.text).is_some() && !words.is_processing_rules(&t.text))
    {
        return Kind::Policy(format!("titled 「{}」", t.text));
    }
    let Some(via) = via.filter(|v| words.deletion_named(v).is_some()) else {
        return Kind::Other;
    };
    let via_n = normalize(via);
    let body = body(cx, title.as_ref());
    let sentence = body.iter().find(|t| {
        let n = normalize(&t.text);
        let lower = n.to_lowercase();
        n != via_n
            && n.chars().count() >= if n.is_ascii() { 20 } else { 6 }
            && DELETION_STEMS.iter().any(|w| lower.contains(w))
    });
    if let Some(t) = sentence {
        return Kind::Policy(format!("「{via}」 opens a deletion notice: 「{}」", t.text));
    }
    let here = title.map_or_else(|| "a screen".to_string(), |t| t.text);
    Kind::NotPolicy(
        here,
        format!("「{via}」 led here, and it says nothing of deleting"),
    )
}

/// Whether the current screen shows the privacy policy: its title names it,
/// it shows the policy's text (not only links to it), and it is not a
/// consent prompt asking for a choice.
fn classify_policy(cx: &Ctx) -> Kind {
    let texts = &cx.obs.texts;
    let prompt = texts
        .iter()
        .any(|t| matches!(t.role, Role::Agree | Role::Vague | Role::Refuse));
    let Some(title) = title(cx) else {
        return Kind::Other;
    };
    if prompt {
        return Kind::Other;
    }
    if cx.sc.words.is_processing_rules(&title.text) {
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
            return Kind::Policy(String::new());
        }
        return Kind::NotPolicy(title.text, "only links to the policy".into());
    }
    if let Some(w) = cx.sc.words.agreement_named(&title.text) {
        let why = if w.starts_with(|c: char| c.is_ascii()) {
            "terms, not the privacy policy".to_string()
        } else {
            format!("{w}, not the privacy policy")
        };
        return Kind::NotPolicy(title.text, why);
    }
    Kind::Other
}

fn signature(cx: &Ctx) -> BTreeSet<String> {
    let top = status_bottom(cx);
    let mut s: BTreeSet<String> = cx
        .obs
        .texts
        .iter()
        .filter(|t| t.bounds.center().1 >= top)
        .map(|t| normalize(&t.text))
        .collect();
    if let Some(f) = cx.frames.last().and_then(|f| f.foreground.as_ref()) {
        s.insert(format!("@{}/{}", f.package, f.activity));
    }
    s
}

fn candidates(cx: &Ctx, tried: &HashSet<String>, target: Target) -> Vec<TextItem> {
    let top = status_bottom(cx);
    let title = title(cx);
    let mut c: Vec<TextItem> = cx
        .obs
        .texts
        .iter()
        .filter(|t| !in_title_bar(t, title.as_ref()) && t.bounds.center().1 >= top)
        .filter(|t| {
            !matches!(
                t.role,
                Role::Agree | Role::Vague | Role::Refuse | Role::WeakRefuse | Role::Checkbox
            )
        })
        .filter(|t| {
            // Menu entries are short: a few Chinese characters, or a few
            // English words (Privacy Policy, Terms and Conditions).
            let n = t.text.chars().count();
            let short = if t.text.is_ascii() { 28 } else { 10 };
            (1..=short).contains(&n) && !tried.contains(&normalize(&t.text))
        })
        .filter(|t| !destructive(&t.text))
        .cloned()
        .collect();
    // Deduplicate what hierarchy and OCR both saw.
    let mut seen = HashSet::new();
    c.retain(|t| seen.insert(normalize(&t.text)));
    let words = &cx.sc.words;
    let hints = match target {
        Target::Policy => HINTS,
        Target::Revocation => REVOCATION_HINTS,
        Target::AccountDeletion => DELETION_HINTS,
    };
    let rank = |t: &TextItem| {
        let named = match target {
            Target::Policy => words.is_processing_rules(&t.text),
            Target::Revocation => words.revocation_named(&t.text).is_some(),
            Target::AccountDeletion => words.deletion_named(&t.text).is_some(),
        };
        if named {
            return 0;
        }
        hints
            .iter()
            .position(|h| t.text.contains(h))
            .map_or(hints.len() + 1, |p| p + 1)
    };
    c.sort_by_key(|t| (rank(t), t.bounds.y));
    c.truncate(PER_SCREEN);
    c
}

struct Search {
    target: Target,
    taps: u32,
    seen: HashSet<BTreeSet<String>>,
    max: u32,
    instead: Vec<NotPolicy>,
}

impl Search {
    /// Whether the current screen is what the search looks for (and why);
    /// notes a screen that is close but is not it.
    fn note(&mut self, cx: &Ctx, depth: u32, via: Option<&str>) -> Option<String> {
        match classify(cx, self.target, via) {
            Kind::Policy(why) => Some(why),
            Kind::NotPolicy(title, why) => {
                if !self.instead.iter().any(|n| n.title == title) {
                    self.instead.push(NotPolicy {
                        title,
                        why,
                        depth,
                        frame: cx.frames.len() - 1,
                    });
                }
                None
            }
            Kind::Other => None,
        }
    }
}

pub(super) fn explore(
    r: &mut Runner,
    cx: &mut Ctx,
    target: Target,
    max_taps: u32,
    on_event: &mut dyn FnMut(Event),
) -> Result<Exploration, StepError> {
    let start_frame = cx.frames.len() - 1;
    let mut s = Search {
        target,
        taps: 0,
        seen: HashSet::new(),
        max: max_taps,
        instead: Vec::new(),
    };
    s.seen.insert(signature(cx));
    let found = if let Some(why) = s.note(cx, 0, None) {
        Some(Found {
            depth: 0,
            frame: start_frame,
            path: Vec::new(),
            path_frames: Vec::new(),
            why,
        })
    } else {
        let mut path = Vec::new();
        let mut path_frames = Vec::new();
        walk(r, cx, &mut s, &mut path, &mut path_frames, on_event)?
    };
    Ok(Exploration {
        target,
        start_frame,
        max_taps,
        taps: s.taps,
        screens: s.seen.len() as u32,
        found,
        instead: s.instead,
    })
}

/// Whether the app under test is in the foreground (a search does not
/// wander through other apps a tap opened, such as the system's settings).
fn in_app(cx: &Ctx) -> bool {
    cx.frames
        .last()
        .and_then(|f| f.foreground.as_ref())
        .is_none_or(|f| f.package == cx.sc.app.package)
}

fn walk(
    r: &mut Runner,
    cx: &mut Ctx,
    s: &mut Search,
    path: &mut Vec<String>,
    path_frames: &mut Vec<usize>,
    on_event: &mut dyn FnMut(Event),
) -> Result<Option<Found>, StepError> {
    let here = signature(cx);
    let mut tried = HashSet::new();
    for label in path.iter() {
        tried.insert(normalize(label));
    }
    loop {
        if s.taps >= TAP_BUDGET {
            return Ok(None);
        }
        let Some(t) = candidates(cx, &tried, s.target).into_iter().next() else {
            return Ok(None);
        };
        tried.insert(normalize(&t.text));
        r.tap(cx, tap_on(&t), on_event)?;
        s.taps += 1;
        let now = signature(cx);
        if now == here {
            continue; // not tappable
        }
        path.push(t.text.clone());
        path_frames.push(cx.frames.len() - 1);
        if let Some(why) = s.note(cx, path.len() as u32, Some(&t.text)) {
            return Ok(Some(Found {
                depth: path.len() as u32,
                frame: cx.frames.len() - 1,
                path: path.clone(),
                path_frames: path_frames.clone(),
                why,
            }));
        }
        let new = s.seen.insert(now);
        // The policy search keeps its old walk; the others stay inside the app.
        let inside = s.target == Target::Policy || in_app(cx);
        if new && inside && (path.len() as u32) < s.max {
            if let Some(f) = walk(r, cx, s, path, path_frames, on_event)? {
                return Ok(Some(f));
            }
        }
        path.pop();
        path_frames.pop();
        // Back to where this branch started.
        r.device.key(Key::Back)?;
        r.sleep(cx, super::SETTLE)?;
        r.capture(cx, ActionKind::Back, None, on_event)?;
        if signature(cx) != here {
            // Back did not return here (the app navigated elsewhere): stop this level.
            return Ok(None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::perception::Words;

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

    #[test]
    fn searches_never_tap_what_logs_out_or_erases() {
        for label in [
            "退出登录",
            "退出账号",
            "Log out",
            "确认注销",
            "申请注销",
            "清除缓存",
            "删除",
            "撤回同意",
            "解除绑定银行卡",
        ] {
            assert!(destructive(label), "{label}");
        }
        for label in [
            "注销账号",
            "删除个人信息",
            "账号与安全",
            "隐私设置",
            "Delete account",
        ] {
            assert!(!destructive(label), "{label}");
        }
    }
}

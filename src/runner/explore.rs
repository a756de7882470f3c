//! The bounded search (`explore_policy`, `explore: {find: …}`): a
//! depth-limited walk from the current screen, tapping likely menu entries
//! first and backing out of each branch, until the screen looked for shows
//! up: the privacy policy's text, a screen where the user withdraws
//! authorizations, or the account deletion screen. Positions are relative
//! to the screen, so any size and density works.

use std::collections::{BTreeSet, HashSet};

use super::{tap_on, Ctx, Event, Runner, StepError};
use crate::device::Key;
use crate::perception::words::normalize;
use crate::perception::{Role, TextItem};
pub(super) use crate::screen::search::in_title_bar;
use crate::screen::search::{self, Match, Page, SearchView};
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
pub(super) fn destructive(label: &str) -> bool {
    let n = normalize(label);
    NEVER_TAP_WHOLE.iter().any(|w| n == normalize(w))
        || NEVER_TAP_START.iter().any(|w| n.starts_with(&normalize(w)))
        // A control that withdraws consent may do so at once: the
        // revocation search stops at the screen showing it, others pass it by.
        || ["撤回", "撤销", "withdraw", "revoke"].iter().any(|w| n.contains(w))
}

/// What the hierarchy and the screen's size say of the current screen.
pub(super) fn page(cx: &Ctx) -> Page {
    Page::read(&cx.obs.texts, &cx.nodes, cx.screen)
}

/// The status bar's bottom edge.
pub(super) fn status_bottom(cx: &Ctx) -> i32 {
    page(cx).status_bottom
}

/// The current screen's title.
pub(super) fn title(cx: &Ctx) -> Option<TextItem> {
    let page = page(cx);
    search::title(&SearchView {
        texts: &cx.obs.texts,
        words: &cx.sc.words,
        page: &page,
    })
}

/// Whether the screen asks for a consent choice: never what a search looks
/// for.
pub(super) fn is_prompt(cx: &Ctx) -> bool {
    crate::screen::kind::asks_choice(&cx.obs.texts, &cx.sc.words)
}

pub(super) fn signature(cx: &Ctx) -> BTreeSet<String> {
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
            // A line of a sentence (用于实名认证。) is no entry.
            let sentence = t.text.trim_end().ends_with(['。', '，', '；', '、']);
            (1..=short).contains(&n) && !sentence && !tried.contains(&normalize(&t.text))
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
    fn note(&mut self, cx: &mut Ctx, depth: u32, via: Option<&str>) -> Option<String> {
        // What the search knew of the screen stays on its frame, so the
        // rules can ask the same question of it again.
        let page = page(cx);
        let m = search::classify(
            &SearchView {
                texts: &cx.obs.texts,
                words: &cx.sc.words,
                page: &page,
            },
            self.target,
            via,
        );
        if let Some(f) = cx.frames.last_mut() {
            f.page = Some(page);
        }
        match m {
            Match::Target(why) => Some(why.text),
            Match::Near(title, why) => {
                if !self.instead.iter().any(|n| n.title == title) {
                    self.instead.push(NotPolicy {
                        title,
                        why: why.text,
                        reason: why.reason,
                        depth,
                        frame: cx.frames.len() - 1,
                    });
                }
                None
            }
            Match::Other => None,
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

//! The search for the privacy policy (`explore_policy`): a depth-limited
//! walk from the current screen, tapping likely menu entries first and
//! backing out of each branch, until a screen whose title names the
//! processing rules shows up.

use std::collections::{BTreeSet, HashSet};

use super::{tap_on, Ctx, Event, Runner, StepError};
use crate::device::Key;
use crate::perception::{words::normalize, Role, TextItem};
use crate::trace::{ActionKind, Exploration, Found};

/// Most taps one search may make, whatever its depth.
const TAP_BUDGET: u32 = 40;
/// Most entries tried on one screen.
const PER_SCREEN: usize = 8;
/// Words of menu entries that lead towards the policy, most likely first.
const HINTS: &[&str] = &[
    "隐私", "政策", "协议", "条款", "法律", "关于", "设置", "我的", "帮助", "更多", "个人", "安全",
    "账户", "服务", "Privacy", "Settings", "About", "Me",
];

/// The status bar and the top bar's own height on a 2400-high screen.
const STATUS_BOTTOM: i32 = 80;

/// The top bar: below the status bar, its centre above 250 px (a 2400-high
/// screen's title bar ends near 220 px; content starts below).
fn title_region(t: &TextItem) -> bool {
    (STATUS_BOTTOM..250).contains(&t.bounds.center().1)
}

/// Whether the current screen shows the processing rules: its title names
/// them, and it is not a consent prompt asking for a choice.
fn is_policy_screen(texts: &[TextItem], cx: &Ctx) -> bool {
    let prompt = texts
        .iter()
        .any(|t| matches!(t.role, Role::Agree | Role::Vague | Role::Refuse));
    !prompt
        && texts
            .iter()
            .any(|t| title_region(t) && cx.sc.words.mentions_policy(&t.text))
}

fn signature(cx: &Ctx) -> BTreeSet<String> {
    let mut s: BTreeSet<String> = cx
        .obs
        .texts
        .iter()
        .filter(|t| t.bounds.center().1 >= STATUS_BOTTOM)
        .map(|t| normalize(&t.text))
        .collect();
    if let Some(f) = cx.frames.last().and_then(|f| f.foreground.as_ref()) {
        s.insert(format!("@{}/{}", f.package, f.activity));
    }
    s
}

fn candidates(cx: &Ctx, tried: &HashSet<String>) -> Vec<TextItem> {
    let mut c: Vec<TextItem> = cx
        .obs
        .texts
        .iter()
        .filter(|t| !title_region(t) && t.bounds.center().1 >= STATUS_BOTTOM)
        .filter(|t| {
            !matches!(
                t.role,
                Role::Agree | Role::Vague | Role::Refuse | Role::WeakRefuse | Role::Checkbox
            )
        })
        .filter(|t| {
            let n = t.text.chars().count();
            (1..=10).contains(&n) && !tried.contains(&normalize(&t.text))
        })
        .cloned()
        .collect();
    // Deduplicate what hierarchy and OCR both saw.
    let mut seen = HashSet::new();
    c.retain(|t| seen.insert(normalize(&t.text)));
    let rank = |t: &TextItem| {
        if t.role == Role::Policy || cx.sc.words.mentions_policy(&t.text) {
            return 0;
        }
        HINTS
            .iter()
            .position(|h| t.text.contains(h))
            .map_or(HINTS.len() + 1, |p| p + 1)
    };
    c.sort_by_key(|t| (rank(t), t.bounds.y));
    c.truncate(PER_SCREEN);
    c
}

struct Search {
    taps: u32,
    seen: HashSet<BTreeSet<String>>,
    max: u32,
}

pub(super) fn explore(
    r: &mut Runner,
    cx: &mut Ctx,
    max_taps: u32,
    on_event: &mut dyn FnMut(Event),
) -> Result<Exploration, StepError> {
    let start_frame = cx.frames.len() - 1;
    let mut s = Search {
        taps: 0,
        seen: HashSet::new(),
        max: max_taps,
    };
    s.seen.insert(signature(cx));
    let found = if is_policy_screen(&cx.obs.texts, cx) {
        Some(Found {
            depth: 0,
            frame: start_frame,
            path: Vec::new(),
            path_frames: Vec::new(),
        })
    } else {
        let mut path = Vec::new();
        let mut path_frames = Vec::new();
        walk(r, cx, &mut s, &mut path, &mut path_frames, on_event)?
    };
    Ok(Exploration {
        start_frame,
        max_taps,
        taps: s.taps,
        screens: s.seen.len() as u32,
        found,
    })
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
        let Some(t) = candidates(cx, &tried).into_iter().next() else {
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
        if is_policy_screen(&cx.obs.texts, cx) {
            return Ok(Some(Found {
                depth: path.len() as u32,
                frame: cx.frames.len() - 1,
                path: path.clone(),
                path_frames: path_frames.clone(),
            }));
        }
        let new = s.seen.insert(now);
        if new && (path.len() as u32) < s.max {
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

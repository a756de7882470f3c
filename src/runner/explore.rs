//! The search for the privacy policy (`explore_policy`): a depth-limited
//! walk from the current screen, tapping likely menu entries first and
//! backing out of each branch, until a screen titled with the privacy
//! policy's name and showing its text shows up. Positions are relative to
//! the screen, so any size and density works.

use std::collections::{BTreeSet, HashSet};

use super::{tap_on, Ctx, Event, Runner, StepError};
use crate::device::Key;
use crate::perception::{words::normalize, Role, TextItem};
use crate::trace::{ActionKind, Exploration, Found, NotPolicy};

/// Most taps one search may make, whatever its depth.
const TAP_BUDGET: u32 = 40;
/// Most entries tried on one screen.
const PER_SCREEN: usize = 8;
/// Words of menu entries that lead towards the policy, most likely first.
const HINTS: &[&str] = &[
    "隐私", "政策", "协议", "条款", "法律", "关于", "设置", "我的", "帮助", "更多", "个人", "安全",
    "账户", "服务", "Privacy", "Settings", "About", "Me",
];

/// The status bar's bottom edge: the system UI's node in the hierarchy,
/// else 3.5% of the screen's height (24 dp on a 16:9 phone).
fn status_bottom(cx: &Ctx) -> i32 {
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
fn title(cx: &Ctx) -> Option<TextItem> {
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
fn in_title_bar(t: &TextItem, title: Option<&TextItem>) -> bool {
    title.is_some_and(|x| {
        let (a, b) = (t.bounds.center().1, x.bounds.center().1);
        (a - b).abs() * 2 < x.bounds.h.max(1)
    })
}

/// What the current screen is, for the search.
enum Kind {
    /// The privacy policy, with its text.
    Policy,
    /// Close but not the policy: (title, why).
    NotPolicy(String, String),
    /// Anything else.
    Other,
}

/// Whether the current screen shows the privacy policy: its title names it,
/// it shows the policy's text (not only links to it), and it is not a
/// consent prompt asking for a choice.
fn classify(cx: &Ctx) -> Kind {
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
            return Kind::Policy;
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

fn candidates(cx: &Ctx, tried: &HashSet<String>) -> Vec<TextItem> {
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
        .cloned()
        .collect();
    // Deduplicate what hierarchy and OCR both saw.
    let mut seen = HashSet::new();
    c.retain(|t| seen.insert(normalize(&t.text)));
    let rank = |t: &TextItem| {
        if cx.sc.words.is_processing_rules(&t.text) {
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
    instead: Vec<NotPolicy>,
}

impl Search {
    /// Notes a screen that is close to the policy but is not it.
    fn note(&mut self, cx: &Ctx, depth: u32) -> bool {
        match classify(cx) {
            Kind::Policy => true,
            Kind::NotPolicy(title, why) => {
                if !self.instead.iter().any(|n| n.title == title) {
                    self.instead.push(NotPolicy {
                        title,
                        why,
                        depth,
                        frame: cx.frames.len() - 1,
                    });
                }
                false
            }
            Kind::Other => false,
        }
    }
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
        instead: Vec::new(),
    };
    s.seen.insert(signature(cx));
    let found = if s.note(cx, 0) {
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
        instead: s.instead,
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
        if s.note(cx, path.len() as u32) {
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

//! `check_functions`: opens each declared basic function from the current
//! screen and comes back; and `read_policy`: scrolls the processing rules to
//! their end and keeps their whole text. Both only record what they saw:
//! the rules (`refusal-keeps-functions`, `policy-content`, `minor-rules`)
//! judge it.

use std::time::Duration;

use super::{explore, tap_on, Ctx, Event, Runner, StepError};
use crate::perception::words::normalize;
use crate::perception::{Role, TextItem};
use crate::screen::identity::same_screen;
use crate::trace::{ActionKind, FunctionCheck, PolicyText};

/// Swipes down (and then up) `check_functions` makes to find a label.
const FIND_SCROLLS: usize = 4;
/// Swipes `read_policy` makes at most: a long real policy is 60 screens or more.
const POLICY_SCROLLS: usize = 120;
/// How long after the tap the second frame is captured: a prompt or a
/// toast that comes a moment later is still seen.
const SETTLE_MORE: Duration = Duration::from_millis(1000);
/// The most characters of policy text kept.
const POLICY_MAX_CHARS: usize = 400_000;

/// The text on the screen that is the function's entry: the label itself,
/// else a short text holding it (理财产品 in 「理财产品 >」), never a
/// choice control or a sentence.
fn find_label(cx: &Ctx, label: &str) -> Option<TextItem> {
    let want = normalize(label);
    let top = explore::status_bottom(cx);
    let usable = |t: &&TextItem| {
        t.bounds.center().1 > top
            && !matches!(
                t.role,
                Role::Agree | Role::Vague | Role::Refuse | Role::WeakRefuse | Role::Checkbox
            )
    };
    let texts = &cx.obs.texts;
    texts
        .iter()
        .filter(usable)
        .find(|t| normalize(&t.text) == want)
        .or_else(|| {
            texts.iter().filter(usable).find(|t| {
                let n = normalize(&t.text);
                n.contains(&want) && n.chars().count() <= want.chars().count() + 6
            })
        })
        .cloned()
}

impl Runner<'_> {
    /// Swipes the screen back up by about a third; false when nothing moved.
    fn scroll_up(
        &mut self,
        cx: &mut Ctx,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<bool, StepError> {
        let before: Vec<String> = cx.obs.texts.iter().map(|t| t.text.clone()).collect();
        let (w, h) = cx.screen;
        self.device
            .swipe(w / 2, h * 35 / 100, w / 2, h * 65 / 100, 300)?;
        self.sleep(cx, super::SETTLE)?;
        self.capture(cx, ActionKind::Swipe, None, on_event)?;
        let after: Vec<String> = cx.obs.texts.iter().map(|t| t.text.clone()).collect();
        Ok(after != before)
    }

    /// Finds a label on the screen, scrolling down and then back up.
    fn find_scrolling(
        &mut self,
        cx: &mut Ctx,
        label: &str,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<Option<TextItem>, StepError> {
        if let Some(t) = find_label(cx, label) {
            return Ok(Some(t));
        }
        let mut down = 0;
        while down < FIND_SCROLLS && self.scroll_down(cx, on_event)? {
            down += 1;
            if let Some(t) = find_label(cx, label) {
                return Ok(Some(t));
            }
        }
        for _ in 0..down + FIND_SCROLLS {
            if !self.scroll_up(cx, on_event)? {
                break;
            }
            if let Some(t) = find_label(cx, label) {
                return Ok(Some(t));
            }
        }
        Ok(None)
    }

    /// Opens each function from the current screen: taps its label, captures
    /// right after and a moment later, and comes back (back; on a consent
    /// prompt that came back, refuses it again, as a user who said no would).
    pub(super) fn check_functions(
        &mut self,
        cx: &mut Ctx,
        labels: &[String],
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        self.ensure_frame(cx, on_event)?;
        for label in labels {
            let Some(t) = self.find_scrolling(cx, label, on_event)? else {
                cx.functions.push(FunctionCheck {
                    label: label.clone(),
                    before: cx.frames.len() - 1,
                    tapped: None,
                    after: Vec::new(),
                });
                continue;
            };
            let before = cx.frames.len() - 1;
            let start_texts = cx.obs.texts.clone();
            let describe =
                std::mem::replace(&mut cx.describe, format!("check_functions › 「{label}」"));
            let res = self.open_and_return(cx, &t, &start_texts, on_event);
            cx.describe = describe;
            let after = res?;
            cx.functions.push(FunctionCheck {
                label: label.clone(),
                before,
                tapped: Some(t.text.clone()),
                after,
            });
        }
        Ok(())
    }

    fn open_and_return(
        &mut self,
        cx: &mut Ctx,
        t: &TextItem,
        start: &[TextItem],
        on_event: &mut dyn FnMut(Event),
    ) -> Result<Vec<usize>, StepError> {
        self.tap(cx, tap_on(t), on_event)?;
        let first = cx.frames.len() - 1;
        self.sleep(cx, SETTLE_MORE)?;
        self.capture(cx, ActionKind::Look, None, on_event)?;
        let after = vec![first, cx.frames.len() - 1];
        let Some(f) = cx.frames.last() else {
            return Ok(after);
        };
        let in_app = f
            .foreground
            .as_ref()
            .is_some_and(|g| g.package == cx.sc.app.package);
        if !in_app || same_screen(start, &f.texts) {
            // Left the app, or nothing opened (a toast at most): nothing to go back from.
            return Ok(after);
        }
        if explore::is_prompt(cx) {
            self.refuse(cx, true, on_event)?;
        } else {
            self.press_back(cx, on_event)?;
        }
        Ok(after)
    }

    /// Scrolls the current screen to its end and keeps its text.
    pub(super) fn read_policy(
        &mut self,
        cx: &mut Ctx,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<PolicyText, StepError> {
        self.ensure_frame(cx, on_event)?;
        let title = explore::title(cx);
        let mut acc = Accumulated::default();
        acc.add(cx, title.as_ref());
        let mut frames = vec![cx.frames.len() - 1];
        let mut complete = false;
        for _ in 0..POLICY_SCROLLS {
            if !self.scroll_down(cx, on_event)? {
                complete = true;
                break;
            }
            frames.push(cx.frames.len() - 1);
            acc.add(cx, title.as_ref());
            if acc.text.len() > POLICY_MAX_CHARS {
                break;
            }
        }
        Ok(PolicyText {
            title: title.map(|t| t.text).unwrap_or_default(),
            frames,
            text: acc.text.trim_end().to_string(),
            complete,
        })
    }
}

/// Whether a line ends its paragraph: it ends a sentence or a heading
/// (。：；), it is a short line without a comma (a heading: 五、未成年人保护),
/// the next line starts a section (一、 1. （二） 第三条 •), or a gap taller
/// than most of a line lies before the next. Views' widths say nothing
/// here: a TextView is as wide as the screen whatever its text.
fn ends_paragraph(t: &TextItem, next: Option<&TextItem>) -> bool {
    let text = t.text.trim();
    if text.ends_with(['。', '：', ':', '；', '！', '？', '!', '?', '.']) {
        return true;
    }
    let n = normalize(text);
    let cjk = !n.is_ascii();
    if cjk && n.chars().count() <= 14 && !n.contains(['，', ',', '、']) {
        return true;
    }
    if cjk && n.chars().count() <= 24 && starts_section(text) {
        return true;
    }
    let Some(next) = next else {
        return false;
    };
    if starts_section(next.text.trim()) {
        return true;
    }
    let gap = next.bounds.y - t.bounds.bottom();
    gap * 10 > t.bounds.h.min(next.bounds.h) * 8
}

/// Whether a line starts a numbered section or a list item.
fn starts_section(n: &str) -> bool {
    let mut cs = n.chars();
    let first = cs.next();
    let second = cs.next();
    let numeral = |c: char| "一二三四五六七八九十".contains(c);
    match (first, second) {
        (Some(a), Some('、')) if numeral(a) || a.is_ascii_digit() => true,
        (Some(a), Some('.')) | (Some(a), Some(')')) if a.is_ascii_digit() => true,
        (Some('（'), Some(b)) | (Some('('), Some(b)) if numeral(b) || b.is_ascii_digit() => true,
        (Some('第'), _) => n
            .chars()
            .take(6)
            .any(|c| c == '条' || c == '章' || c == '节'),
        (Some('•'), _) | (Some('·'), _) => true,
        _ => false,
    }
}

/// The policy's text as it is read, screen after screen.
#[derive(Default)]
struct Accumulated {
    text: String,
    /// Every line kept, normalised, for dropping the ones seen again.
    seen: Vec<String>,
}

impl Accumulated {
    fn add(&mut self, cx: &Ctx, title: Option<&TextItem>) {
        let top = explore::status_bottom(cx);
        let mut lines: Vec<&TextItem> = cx
            .obs
            .texts
            .iter()
            .filter(|t| t.bounds.center().1 > top && !explore::in_title_bar(t, title))
            .filter(|t| t.source == crate::perception::Source::Hierarchy || t.confidence >= 60.0)
            .collect();
        lines.sort_by_key(|t| (t.bounds.y, t.bounds.x));
        // Whether the line before in this frame was new: a line of
        // punctuation only (》。 wrapped off the end of a sentence) follows it.
        let mut kept = false;
        for (i, t) in lines.iter().enumerate() {
            let n = normalize(&t.text);
            let text = t.text.trim();
            if n.is_empty() && (!kept || text.is_empty()) {
                kept = false;
                continue;
            }
            if !n.is_empty() && self.seen_before(&n) {
                kept = false;
                continue;
            }
            kept = true;
            if !n.is_empty() {
                self.seen.push(n.clone());
            }
            // English wraps between words; Chinese anywhere, even inside a
            // Latin word (第三方S / DK).
            let english = text.chars().filter(char::is_ascii).count() * 2 > text.chars().count();
            if english
                && self.text.ends_with(|c: char| c.is_ascii_alphanumeric())
                && text.starts_with(|c: char| c.is_ascii_alphanumeric())
            {
                self.text.push(' ');
            }
            self.text.push_str(text);
            if ends_paragraph(t, lines.get(i + 1).copied()) {
                self.text.push('\n');
            }
        }
    }

    /// Whether a line was kept already: the same text, or (for a long line
    /// OCR read a little differently on the next screen) nearly the same
    /// as one of the last lines.
    fn seen_before(&self, n: &str) -> bool {
        if self.seen.iter().any(|s| s == n) {
            return true;
        }
        n.chars().count() >= 8
            && self
                .seen
                .iter()
                .rev()
                .take(80)
                .any(|s| strsim::normalized_levenshtein(s, n) > 0.85)
    }
}

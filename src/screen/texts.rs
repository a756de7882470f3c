//! One list of a frame's texts: OCR lines merged with the view
//! hierarchy, each with the role it plays, where a choice role (agree,
//! refuse …) or a link role is kept only on something a user can tap.
//! Titles, headings and paragraph lines are never controls, whatever words
//! they hold.

use crate::device::HierarchyNode;
use crate::geom::Rect;
use crate::perception::{layout, words, Look, Read, Role, Source, TextItem, Words};

/// OCR lines less sure than this are dropped unless they name a control.
pub const MIN_CONFIDENCE: f32 = 50.0;

/// Merges OCR lines and hierarchy nodes into one list of texts, without
/// pixels (every OCR line looks plain). See [`merge_read`].
pub fn merge(
    lines: &[crate::perception::OcrLine],
    nodes: &[HierarchyNode],
    words: &Words,
) -> Vec<TextItem> {
    merge_read(
        &Read {
            lines: lines.to_vec(),
            looks: vec![Look::default(); lines.len()],
        },
        nodes,
        words,
    )
}

fn is_choice_role(role: Role) -> bool {
    matches!(
        role,
        Role::Agree | Role::Vague | Role::Refuse | Role::WeakRefuse
    )
}

/// Merges OCR lines and hierarchy nodes into one list of texts. Where both
/// saw the same text in the same place the hierarchy's exact text wins.
///
/// A text gets a choice role (agree, refuse …) only as a control: a
/// hierarchy node that is clickable or inside a clickable one; without one,
/// an OCR line inside a button-like region or standing on its own: not a
/// line of a paragraph or of a title that runs over several lines, not a
/// heading over a paragraph. A link role (policy, agreement) is not kept on
/// a page's title or a heading. A weak refusal (取消, 关闭, 退出) with no
/// choice beside it is navigation, not an answer. Body text that merely
/// contains 同意 is not a control.
pub fn merge_read(read: &Read, nodes: &[HierarchyNode], words: &Words) -> Vec<TextItem> {
    let clickable: Vec<Rect> = nodes
        .iter()
        .filter(|n| n.clickable && n.bounds.area() > 0)
        .map(|n| n.bounds)
        .collect();
    let in_clickable = |b: &Rect| {
        clickable
            .iter()
            .filter(|c| c.overlap_of_smaller(b) > 0.8 && c.area() >= b.area())
            .min_by_key(|c| c.area())
            .copied()
    };
    let mut out: Vec<TextItem> = nodes
        .iter()
        .filter(|n| !n.label().is_empty() && n.bounds.area() > 0)
        .map(|n| {
            let mut role = words.role(n.label());
            let region = in_clickable(&n.bounds);
            // A dump with no clickable node at all (some web views) says
            // nothing about what is tappable: the words decide. Otherwise a
            // node outside every clickable one is no choice, and no link
            // either (a dialog's title 用户协议与隐私政策).
            let link = matches!(role, Role::Policy | Role::Agreement);
            if region.is_none() && !clickable.is_empty() && (is_choice_role(role) || link) {
                role = Role::Other;
            }
            TextItem {
                text: n.label().to_string(),
                bounds: n.bounds,
                source: Source::Hierarchy,
                confidence: 100.0,
                role,
                checked: n.checkable.then_some(n.checked),
                region,
                contrast: None,
            }
        })
        .collect();
    // When the hierarchy shows the choices (a native dialog's buttons), a
    // choice word OCR reads elsewhere, outside every clickable node and
    // every button (an app name in the title bar behind the dialog's scrim),
    // is not one of them.
    let hierarchy_choices = out.iter().any(|t| is_choice_role(t.role));
    let lines = &read.lines;
    for (i, l) in lines.iter().enumerate() {
        let look = read.looks.get(i).cloned().unwrap_or_default();
        let mut role = words.role(&l.text);
        if l.confidence < MIN_CONFIDENCE && role == Role::Other {
            continue; // noise: icons, textures, dimmed text read as letters
        }
        let ln = words::normalize(&l.text);
        let seen = out.iter().any(|t| {
            t.source == Source::Hierarchy && t.bounds.overlap_of_smaller(&l.bounds) > 0.5 && {
                let tn = words::normalize(&t.text);
                tn.contains(&ln)
                    || ln.contains(&tn)
                    || strsim::normalized_levenshtein(&tn, &ln) > 0.6
            }
        });
        if seen {
            continue;
        }
        // A consent sentence beside a drawn box (or the box read as a
        // glyph: 口, ○, ）) or asking to tick (勾选) is a checkbox's label.
        if role == Role::Other && is_box_sentence(&l.text, look.checked.is_some(), words) {
            role = Role::Checkbox;
        }
        // A line that is one bracketed document name (《华为账号用户认证协议》).
        if role == Role::Other {
            if let [(s, e, r)] = super::controls::doc_spans(&l.text, words)[..] {
                let rest = l.text.chars().count() - (e - s);
                if rest <= 1 && l.text.trim_start().starts_with(['《', '「', '『', '【']) {
                    role = r;
                }
            }
        }
        let clickable_region = in_clickable(&l.bounds);
        let region = clickable_region.or(look.region);
        let not_control = if hierarchy_choices {
            clickable_region.is_none()
        } else {
            region.is_none() && layout::in_paragraph(lines, i)
        };
        if is_choice_role(role) && not_control {
            role = Role::Other;
        }
        out.push(TextItem {
            text: l.text.clone(),
            bounds: l.bounds,
            source: Source::Ocr,
            confidence: l.confidence,
            role,
            checked: if role == Role::Checkbox {
                look.checked
            } else {
                None
            },
            region,
            contrast: Some(look.contrast),
        });
    }
    out.sort_by_key(|t| (t.bounds.y, t.bounds.x));
    settle(&mut out);
    out
}

/// Glyphs OCR reads a checkbox as, at the start of its sentence.
const BOX_GLYPHS: &[char] = &[
    '口', '□', '○', '◯', '☐', '☑', '√', '✓', '）', ')', 'O', 'o', '0',
];

/// Whether a line is a consent checkbox's sentence: it agrees to named
/// rules or asks to tick a box, and a box is drawn left of it (or read as
/// its first glyph).
fn is_box_sentence(text: &str, box_seen: bool, words: &Words) -> bool {
    let t = text.trim();
    let n = words::normalize(t);
    if n.contains("勾选") && !super::controls::doc_spans(t, words).is_empty() {
        return true;
    }
    let glyph = t.chars().next().is_some_and(|c| BOX_GLYPHS.contains(&c))
        && t.chars().nth(1).is_some_and(|c| !c.is_ascii());
    (box_seen || glyph) && super::kind::is_consent_notice(t, words)
}

/// Lines with words (not the status bar's clock or a stray icon).
pub(crate) fn wordy(t: &TextItem) -> bool {
    t.text.chars().filter(|c| c.is_alphabetic()).count() >= 2
}

/// The vertical gap from `a`'s bottom to `b`'s top (negative: overlap).
fn gap_below(a: &Rect, b: &Rect) -> i32 {
    b.y - a.bottom()
}

/// Whether two lines share a column: left edges together, or centres
/// together (a centred title or dialog text).
fn aligned(a: &Rect, b: &Rect) -> bool {
    let h = a.h.min(b.h).max(1);
    (a.x - b.x).abs() <= h || ((a.x + a.right()) / 2 - (b.x + b.right()) / 2).abs() <= h
}

/// Whether two lines are of one text block: about the same height, one
/// right under the other with less than a line's spacing, sharing a column
/// or overlapping.
/// Lines of a paragraph sit closer than a third of a line apart; a button
/// under a paragraph, or the next of stacked buttons, farther.
pub(crate) fn same_block(a: &Rect, b: &Rect) -> bool {
    let h = a.h.max(1);
    let similar = b.h * 10 >= a.h * 7 && b.h * 10 <= a.h * 14;
    let (upper, lower) = if a.y <= b.y { (a, b) } else { (b, a) };
    let gap = gap_below(upper, lower);
    let overlap_x = a.x < b.right() && b.x < a.right();
    similar && gap >= -h / 3 && gap * 10 < h * 3 && (aligned(a, b) || overlap_x)
}

/// The text blocks of a screen: lines that are not choices, grouped when
/// one sits right under another ([`same_block`]); each block's indices
/// top to bottom.
pub fn blocks(items: &[TextItem]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..items.len())
        .filter(|&i| !items[i].is_choice() && wordy(&items[i]))
        .collect();
    order.sort_by_key(|&i| (items[i].bounds.y, items[i].bounds.x));
    let mut out: Vec<Vec<usize>> = Vec::new();
    for i in order {
        let b = &items[i].bounds;
        // The rest of a row OCR read as two pieces (我已阅读并同意 |
        // 「账号服务与隐私政策」…), or the next line of a block.
        let row = out
            .iter()
            .position(|blk| blk.last().is_some_and(|&l| same_row(&items[l].bounds, b)));
        if let Some(k) = row {
            let blk = &mut out[k];
            let l = *blk.last().unwrap_or(&i);
            if items[l].bounds.x <= b.x {
                blk.push(i);
            } else {
                let at = blk.len() - 1;
                blk.insert(at, i);
            }
            continue;
        }
        let home = out.iter_mut().find(|blk| {
            blk.last().is_some_and(|&l| {
                let lb = &items[l].bounds;
                lb.y < b.y && same_block(lb, b)
            })
        });
        match home {
            Some(blk) => blk.push(i),
            None => out.push(vec![i]),
        }
    }
    out
}

/// Whether two boxes are pieces of one row of text: they share most of
/// their height and the gap between them is under a line's height.
fn same_row(a: &Rect, b: &Rect) -> bool {
    let h = a.h.min(b.h).max(1);
    let shared = a.bottom().min(b.bottom()) - a.y.max(b.y);
    let gap = if a.x <= b.x {
        b.x - a.right()
    } else {
        a.x - b.right()
    };
    shared * 10 >= h * 6 && gap < h && gap > -h * 2
}

/// A block's lines joined into one text: Chinese without a separator,
/// words with a space. Returns the text and where each line starts in it
/// (in characters).
pub fn joined(items: &[TextItem], block: &[usize]) -> (String, Vec<usize>) {
    let mut text = String::new();
    let mut starts = Vec::new();
    for &i in block {
        let t = items[i].text.trim();
        let last = text.chars().last();
        let first = t.chars().next();
        if last.is_some_and(|c| c.is_ascii_alphanumeric() || ",.;:".contains(c))
            && first.is_some_and(|c| c.is_ascii_alphanumeric())
        {
            text.push(' ');
        }
        starts.push(text.chars().count());
        text.push_str(t);
    }
    (text, starts)
}

/// Whether item `i` heads a paragraph: right above it (within a line and a
/// half), in its column, is a line of prose much wider than it, and no
/// line sits tight above it (it is not itself inside a paragraph).
fn heading(items: &[TextItem], i: usize) -> bool {
    let t = &items[i].bounds;
    let h = t.h.max(1);
    let above_tight = items
        .iter()
        .enumerate()
        .any(|(j, o)| j != i && o.bounds.y < t.y && wordy(o) && same_block(&o.bounds, t));
    if above_tight {
        return false;
    }
    items.iter().enumerate().any(|(j, o)| {
        let b = &o.bounds;
        let gap = gap_below(t, b);
        j != i
            && gap >= -h / 4
            && gap * 10 <= h * 16
            && b.h * 10 <= h * 12
            && words::normalize(&o.text).chars().count() >= 10
            && b.w * 10 > t.w * 18
            && aligned(t, b)
    })
}

/// Whether item `i` is the page's title: the topmost line with words
/// below the status bar, in the top sixth of what the screen shows, with
/// more below it.
fn page_title(items: &[TextItem], i: usize) -> bool {
    let bottom = items.iter().map(|t| t.bounds.bottom()).max().unwrap_or(0);
    let status_bar = |t: &TextItem| t.bounds.bottom() * 18 < bottom;
    let first = items.iter().position(|t| wordy(t) && !status_bar(t));
    first == Some(i) && items[i].bounds.y * 6 < bottom && items.len() > 2
}

/// Takes choice and link roles off OCR lines that are titles, headings or
/// lines of a text block, and the weak-refuse role off a lone 取消 / 退出
/// with no choice beside it.
fn settle(items: &mut [TextItem]) {
    let mut demote = vec![false; items.len()];
    for (i, t) in items.iter().enumerate() {
        if t.source != Source::Ocr || t.region.is_some() {
            continue;
        }
        let choice = t.is_choice();
        let link = matches!(t.role, Role::Policy | Role::Agreement);
        if !choice && !link {
            continue;
        }
        // A line of a block whose other lines are not controls: a title or
        // a question running over two lines ("Allow X to access your" /
        // "contacts?").
        let in_block = choice
            && items.iter().enumerate().any(|(j, o)| {
                j != i && wordy(o) && !o.is_choice() && same_block(&t.bounds, &o.bounds)
            });
        if in_block || heading(items, i) || (link && page_title(items, i)) {
            demote[i] = true;
        }
    }
    for (t, d) in items.iter_mut().zip(&demote) {
        if *d {
            t.role = Role::Other;
        }
    }
    // A weak refusal that is one entry of a menu or a list of buttons
    // (取消下载 under three other buttons, 退出 at the end of a drawer) is
    // navigation: two or more short entries share its column.
    let menu: Vec<usize> = (0..items.len())
        .filter(|&i| items[i].role == Role::WeakRefuse && menu_entry(items, i))
        .collect();
    for i in menu {
        items[i].role = Role::Other;
    }
}

/// Whether item `i` is one of a column of short entries (a menu, a drawer,
/// a list of buttons): at least two other short lines with words share its
/// left edge or its centre, within twelve line heights of it.
fn menu_entry(items: &[TextItem], i: usize) -> bool {
    let t = &items[i].bounds;
    let h = t.h.max(1);
    let column: Vec<&Rect> = items
        .iter()
        .enumerate()
        .filter(|(j, o)| {
            *j != i
                && wordy(o)
                && !o.is_choice()
                && words::normalize(&o.text).chars().count() <= 16
                && aligned(&o.bounds, t)
                && (o.bounds.y - t.y).abs() <= h * 12
        })
        .map(|(_, o)| &o.bounds)
        .collect();
    column.len() >= 2
}

//! Lays out and draws simulated screens: real 1080x2400 pixels with a CJK
//! font, and the same layout as a uiautomator view hierarchy.

use std::sync::OnceLock;

use ab_glyph::{Font, FontArc, PxScale, ScaleFont};
use image::{Rgba, RgbaImage};
use imageproc::drawing::{draw_filled_rect_mut, draw_hollow_rect_mut, draw_text_mut};
use imageproc::rect::Rect as IRect;

use super::model::{AppModel, ButtonStyle, Item, Screen};
use crate::geom::Rect;

/// Screen width in pixels.
pub const WIDTH: u32 = 1080;
/// Screen height in pixels.
pub const HEIGHT: u32 = 2400;
const STATUS_H: i32 = 72;
const BAR_H: i32 = 150;
const MARGIN: i32 = 60;

const WHITE: Rgba<u8> = Rgba([255, 255, 255, 255]);
const INK: Rgba<u8> = Rgba([34, 34, 34, 255]);
const GREY_TEXT: Rgba<u8> = Rgba([110, 110, 110, 255]);
const ACCENT: Rgba<u8> = Rgba([22, 119, 255, 255]);
const LIGHT: Rgba<u8> = Rgba([242, 243, 245, 255]);
const DIVIDER: Rgba<u8> = Rgba([225, 225, 228, 255]);
const FAINT: Rgba<u8> = Rgba([200, 200, 204, 255]);

/// Font files tried in order; the first that exists is used.
pub const FONT_PATHS: &[(&str, u32)] = &[
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
];

static FONT: OnceLock<Result<FontArc, String>> = OnceLock::new();

/// The CJK font used for every simulated screen.
pub fn font() -> Result<&'static FontArc, String> {
    FONT.get_or_init(|| {
        for (path, index) in FONT_PATHS {
            if let Ok(bytes) = std::fs::read(path) {
                return ab_glyph::FontVec::try_from_vec_and_index(bytes, *index)
                    .map(FontArc::new)
                    .map_err(|e| format!("cannot read font {path}: {e}"));
            }
        }
        Err("no CJK font found for the simulated device: install one with `apt-get install fonts-wqy-microhei`".into())
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// What kind of thing a laid-out node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// The top bar title.
    Title,
    /// Plain text.
    Text,
    /// A heading.
    Heading,
    /// A link.
    Link,
    /// A checkbox (the label is its text).
    Checkbox,
    /// A button.
    Button,
    /// A menu row.
    Entry,
    /// A text field.
    Input,
    /// The dialog card itself.
    Card,
}

/// One laid-out node: where it is, what it says, what tapping it reaches.
#[derive(Debug, Clone)]
pub struct Node {
    /// Bounds on screen.
    pub rect: Rect,
    /// What it is.
    pub kind: NodeKind,
    /// Its text.
    pub text: String,
    /// Index into the screen's items (and into a row), for taps.
    pub item: Option<(usize, Option<usize>)>,
    /// Resource id.
    pub id: String,
}

impl Node {
    /// Whether a tap on it does something.
    pub fn clickable(&self) -> bool {
        matches!(
            self.kind,
            NodeKind::Link
                | NodeKind::Checkbox
                | NodeKind::Button
                | NodeKind::Entry
                | NodeKind::Input
        )
    }
}

/// A screen laid out: its nodes (top to bottom) and, for a dialog, its card.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Nodes in drawing order.
    pub nodes: Vec<Node>,
    /// The dialog card's bounds, when the screen is a dialog.
    pub card: Option<Rect>,
}

fn text_width(font: &FontArc, px: f32, text: &str) -> i32 {
    let sf = font.as_scaled(PxScale::from(px));
    text.chars()
        .map(|c| sf.h_advance(font.glyph_id(c)))
        .sum::<f32>() as i32
}

/// Splits text into lines no wider than `width`, breaking between characters
/// (Chinese has no spaces to break at).
fn wrap(font: &FontArc, px: f32, text: &str, width: i32) -> Vec<String> {
    let sf = font.as_scaled(PxScale::from(px));
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut w = 0.0;
    for c in text.chars() {
        if c == '\n' {
            lines.push(std::mem::take(&mut line));
            w = 0.0;
            continue;
        }
        let a = sf.h_advance(font.glyph_id(c));
        if w + a > width as f32 && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            w = 0.0;
        }
        line.push(c);
        w += a;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

const TEXT_PX: f32 = 42.0;
const LINE_H: i32 = 64;

/// Lays out a screen's items in the column from `x0` to `x1`, starting at `y`.
#[allow(clippy::too_many_arguments)]
fn layout_items(
    font: &FontArc,
    app: &AppModel,
    screen_id: &str,
    items: &[Item],
    x0: i32,
    x1: i32,
    mut y: i32,
    nodes: &mut Vec<Node>,
) -> i32 {
    let width = x1 - x0;
    let id_for = |item: &Item, i: usize, j: Option<usize>| -> String {
        let local = item.id.clone().unwrap_or_else(|| match j {
            Some(j) => format!("{screen_id}_{i}_{j}"),
            None => format!("{screen_id}_{i}"),
        });
        format!("{}:id/{local}", app.package)
    };
    for (i, item) in items.iter().enumerate() {
        if let Some(t) = &item.heading {
            let h = 80;
            nodes.push(Node {
                rect: Rect::new(x0, y, width, h),
                kind: NodeKind::Heading,
                text: t.clone(),
                item: Some((i, None)),
                id: id_for(item, i, None),
            });
            y += h + 20;
        }
        if let Some(t) = &item.text {
            for line in wrap(font, TEXT_PX, t, width) {
                nodes.push(Node {
                    rect: Rect::new(x0, y, text_width(font, TEXT_PX, &line), LINE_H),
                    kind: NodeKind::Text,
                    text: line,
                    item: Some((i, None)),
                    id: id_for(item, i, None),
                });
                y += LINE_H;
            }
            y += 24;
        }
        if let Some(t) = &item.link {
            let w = text_width(font, TEXT_PX, t).min(width);
            nodes.push(Node {
                rect: Rect::new(x0, y, w, LINE_H + 16),
                kind: NodeKind::Link,
                text: t.clone(),
                item: Some((i, None)),
                id: id_for(item, i, None),
            });
            y += LINE_H + 40;
        }
        if let Some(t) = &item.checkbox {
            let w = 64 + text_width(font, 38.0, t).min(width - 64);
            nodes.push(Node {
                rect: Rect::new(x0, y, w, 72),
                kind: NodeKind::Checkbox,
                text: t.clone(),
                item: Some((i, None)),
                id: id_for(item, i, None),
            });
            y += 72 + 36;
        }
        if let Some(t) = &item.button {
            let (h, w) = match item.style {
                ButtonStyle::Faint => (70, text_width(font, 30.0, t) + 20),
                _ => (132, width),
            };
            let bx = x0 + (width - w) / 2;
            nodes.push(Node {
                rect: Rect::new(bx, y, w, h),
                kind: NodeKind::Button,
                text: t.clone(),
                item: Some((i, None)),
                id: id_for(item, i, None),
            });
            y += h + 36;
        }
        if let Some(t) = &item.entry {
            nodes.push(Node {
                rect: Rect::new(x0 - MARGIN, y, width + 2 * MARGIN, 150),
                kind: NodeKind::Entry,
                text: t.clone(),
                item: Some((i, None)),
                id: id_for(item, i, None),
            });
            y += 150;
        }
        if let Some(t) = &item.input {
            nodes.push(Node {
                rect: Rect::new(x0, y, width, 120),
                kind: NodeKind::Input,
                text: t.clone(),
                item: Some((i, None)),
                id: id_for(item, i, None),
            });
            y += 150;
        }
        if !item.row.is_empty() {
            let gap = 40;
            let n = item.row.len() as i32;
            let w = (width - gap * (n - 1)) / n;
            for (j, b) in item.row.iter().enumerate() {
                let bx = x0 + j as i32 * (w + gap);
                let label = b.label().unwrap_or_default().to_string();
                let (h, bw) = match b.style {
                    ButtonStyle::Faint => (70, text_width(font, 30.0, &label) + 20),
                    _ => (132, w),
                };
                nodes.push(Node {
                    rect: Rect::new(bx + (w - bw) / 2, y + (132 - h) / 2, bw, h),
                    kind: NodeKind::Button,
                    text: label,
                    item: Some((i, Some(j))),
                    id: id_for(b, i, Some(j)),
                });
            }
            y += 132 + 36;
        }
    }
    y
}

/// Lays out a screen as the device would show it.
pub fn layout(app: &AppModel, screen_id: &str, screen: &Screen) -> Result<Layout, String> {
    let font = font()?;
    let mut out = Layout::default();
    if screen.dialog {
        let (x0, x1) = (90 + MARGIN, WIDTH as i32 - 90 - MARGIN);
        let mut nodes = Vec::new();
        let mut y = 0;
        if let Some(t) = &screen.title {
            nodes.push(Node {
                rect: Rect::new(x0, y, x1 - x0, 90),
                kind: NodeKind::Title,
                text: t.clone(),
                item: None,
                id: format!("{}:id/dialog_title", app.package),
            });
            y += 130;
        }
        let h = layout_items(font, app, screen_id, &screen.items, x0, x1, y, &mut nodes) + 30;
        let top = ((HEIGHT as i32 - h) / 2).max(STATUS_H + 40);
        for n in &mut nodes {
            n.rect.y += top;
        }
        out.card = Some(Rect::new(90, top - 60, WIDTH as i32 - 180, h + 90));
        out.nodes = nodes;
    } else {
        if let Some(t) = &screen.title {
            out.nodes.push(Node {
                rect: Rect::new(0, STATUS_H, WIDTH as i32, BAR_H),
                kind: NodeKind::Title,
                text: t.clone(),
                item: None,
                id: format!("{}:id/title", app.package),
            });
        }
        let y = STATUS_H + BAR_H + 60;
        layout_items(
            font,
            app,
            screen_id,
            &screen.items,
            MARGIN,
            WIDTH as i32 - MARGIN,
            y,
            &mut out.nodes,
        );
    }
    Ok(out)
}

fn irect(r: Rect) -> IRect {
    IRect::at(r.x, r.y).of_size(r.w.max(1) as u32, r.h.max(1) as u32)
}

fn draw_centered(
    img: &mut RgbaImage,
    font: &FontArc,
    px: f32,
    color: Rgba<u8>,
    r: Rect,
    text: &str,
) {
    let w = text_width(font, px, text);
    let x = r.x + (r.w - w) / 2;
    let y = r.y + (r.h - px as i32) / 2 - 4;
    draw_text_mut(img, color, x, y, PxScale::from(px), font, text);
}

/// Draws a status bar with a clock, as every Android screen has.
pub fn draw_status_bar(img: &mut RgbaImage, font: &FontArc) {
    draw_filled_rect_mut(img, irect(Rect::new(0, 0, WIDTH as i32, STATUS_H)), LIGHT);
    draw_text_mut(img, INK, 40, 14, PxScale::from(36.0), font, "9:41");
}

/// Draws one screen's own content (no dimming, no dialog stacking).
pub fn draw(
    img: &mut RgbaImage,
    app: &AppModel,
    screen: &Screen,
    layout: &Layout,
    checked: &dyn Fn(usize) -> bool,
    mini_program: bool,
) -> Result<(), String> {
    let font = font()?;
    if let Some(card) = layout.card {
        draw_filled_rect_mut(img, irect(card), WHITE);
    } else {
        draw_filled_rect_mut(
            img,
            irect(Rect::new(
                0,
                STATUS_H,
                WIDTH as i32,
                HEIGHT as i32 - STATUS_H,
            )),
            WHITE,
        );
    }
    for n in &layout.nodes {
        match n.kind {
            NodeKind::Title if layout.card.is_none() => {
                draw_filled_rect_mut(
                    img,
                    irect(Rect::new(0, n.rect.bottom() - 2, WIDTH as i32, 2)),
                    DIVIDER,
                );
                draw_centered(img, font, 50.0, INK, n.rect, &n.text);
                if mini_program {
                    // The host's capsule (menu and close) at the top right.
                    let cap = Rect::new(WIDTH as i32 - 250, n.rect.y + 40, 200, 72);
                    draw_hollow_rect_mut(img, irect(cap), DIVIDER);
                    draw_filled_rect_mut(
                        img,
                        irect(Rect::new(cap.x + 99, cap.y + 14, 2, 44)),
                        DIVIDER,
                    );
                    for dx in [30, 50, 70] {
                        draw_filled_rect_mut(
                            img,
                            irect(Rect::new(cap.x + dx, cap.y + 33, 8, 8)),
                            INK,
                        );
                    }
                    draw_hollow_rect_mut(
                        img,
                        irect(Rect::new(cap.x + 135, cap.y + 20, 32, 32)),
                        INK,
                    );
                } else if screen.back.is_some() || !app.screens.is_empty() {
                    draw_text_mut(img, INK, 40, n.rect.y + 45, PxScale::from(56.0), font, "‹");
                }
            }
            NodeKind::Title => draw_centered(img, font, 50.0, INK, n.rect, &n.text),
            NodeKind::Text => draw_text_mut(
                img,
                GREY_TEXT,
                n.rect.x,
                n.rect.y + 8,
                PxScale::from(TEXT_PX),
                font,
                &n.text,
            ),
            NodeKind::Heading => draw_text_mut(
                img,
                INK,
                n.rect.x,
                n.rect.y + 10,
                PxScale::from(52.0),
                font,
                &n.text,
            ),
            NodeKind::Link => draw_text_mut(
                img,
                ACCENT,
                n.rect.x,
                n.rect.y + 12,
                PxScale::from(TEXT_PX),
                font,
                &n.text,
            ),
            NodeKind::Checkbox => {
                let b = Rect::new(n.rect.x, n.rect.y + 14, 44, 44);
                let is_checked = n.item.is_some_and(|(i, _)| checked(i));
                if is_checked {
                    draw_filled_rect_mut(img, irect(b), ACCENT);
                    // A tick drawn as two thick strokes.
                    for t in 0..6 {
                        imageproc::drawing::draw_line_segment_mut(
                            img,
                            ((b.x + 9) as f32, (b.y + 22 + t) as f32),
                            ((b.x + 19) as f32, (b.y + 32 + t) as f32),
                            WHITE,
                        );
                        imageproc::drawing::draw_line_segment_mut(
                            img,
                            ((b.x + 19) as f32, (b.y + 32 + t) as f32),
                            ((b.x + 36) as f32, (b.y + 12 + t) as f32),
                            WHITE,
                        );
                    }
                } else {
                    for k in 0..3 {
                        draw_hollow_rect_mut(
                            img,
                            irect(Rect::new(b.x + k, b.y + k, 44 - 2 * k, 44 - 2 * k)),
                            GREY_TEXT,
                        );
                    }
                }
                draw_text_mut(
                    img,
                    GREY_TEXT,
                    n.rect.x + 64,
                    n.rect.y + 14,
                    PxScale::from(38.0),
                    font,
                    &n.text,
                );
            }
            NodeKind::Button => {
                let style = n
                    .item
                    .and_then(|(i, j)| screen.items.get(i).map(|it| (it, j)))
                    .map(|(it, j)| match j {
                        Some(j) => it.row.get(j).map_or(ButtonStyle::Primary, |b| b.style),
                        None => it.style,
                    })
                    .unwrap_or_default();
                match style {
                    ButtonStyle::Primary => {
                        draw_filled_rect_mut(img, irect(n.rect), ACCENT);
                        draw_centered(img, font, 46.0, WHITE, n.rect, &n.text);
                    }
                    ButtonStyle::Secondary => {
                        draw_filled_rect_mut(img, irect(n.rect), LIGHT);
                        draw_centered(img, font, 46.0, INK, n.rect, &n.text);
                    }
                    ButtonStyle::Faint => draw_centered(img, font, 30.0, FAINT, n.rect, &n.text),
                }
            }
            NodeKind::Entry => {
                draw_text_mut(
                    img,
                    INK,
                    n.rect.x + MARGIN,
                    n.rect.y + 50,
                    PxScale::from(46.0),
                    font,
                    &n.text,
                );
                draw_text_mut(
                    img,
                    FAINT,
                    n.rect.right() - MARGIN - 30,
                    n.rect.y + 40,
                    PxScale::from(56.0),
                    font,
                    "›",
                );
                draw_filled_rect_mut(
                    img,
                    irect(Rect::new(
                        n.rect.x + MARGIN,
                        n.rect.bottom() - 2,
                        n.rect.w - MARGIN,
                        2,
                    )),
                    DIVIDER,
                );
            }
            NodeKind::Input => {
                for k in 0..2 {
                    draw_hollow_rect_mut(
                        img,
                        irect(Rect::new(
                            n.rect.x + k,
                            n.rect.y + k,
                            n.rect.w - 2 * k,
                            n.rect.h - 2 * k,
                        )),
                        DIVIDER,
                    );
                }
                draw_text_mut(
                    img,
                    GREY_TEXT,
                    n.rect.x + 30,
                    n.rect.y + 36,
                    PxScale::from(TEXT_PX),
                    font,
                    &n.text,
                );
            }
            NodeKind::Card => {}
        }
    }
    Ok(())
}

/// Darkens a screen under a dialog, as Android's dim layer does.
pub fn dim(img: &mut RgbaImage) {
    for p in img.pixels_mut() {
        for c in 0..3 {
            p.0[c] = (p.0[c] as u32 * 45 / 100) as u8;
        }
    }
}

/// A blank screen with the status bar.
pub fn blank() -> Result<RgbaImage, String> {
    let font = font()?;
    let mut img = RgbaImage::from_pixel(WIDTH, HEIGHT, WHITE);
    draw_status_bar(&mut img, font);
    Ok(img)
}

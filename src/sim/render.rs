//! Lays out and draws simulated screens: real pixels with a CJK font, at the
//! device's screen size and density, and the same layout as a uiautomator
//! view hierarchy. Sizes are written for a 1080x2400 screen at 440 dpi and
//! scaled by density as Android scales dp; widths follow the screen.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use ab_glyph::{Font, FontArc, PxScale, ScaleFont};
use image::{Rgba, RgbaImage};
use imageproc::drawing::{
    draw_filled_circle_mut, draw_filled_rect_mut, draw_hollow_rect_mut, draw_line_segment_mut,
    draw_text_mut,
};
use imageproc::rect::Rect as IRect;

use super::model::{AppModel, ButtonShape, ButtonStyle, FontChoice, Item, Screen};
use crate::geom::Rect;

/// Default screen width in pixels.
pub const WIDTH: u32 = 1080;
/// Default screen height in pixels.
pub const HEIGHT: u32 = 2400;
/// Default density in dots per inch.
pub const DENSITY: u32 = 440;

/// Light or dark system theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Dark text on white.
    #[default]
    Light,
    /// Light text on near-black.
    Dark,
}

/// The screen of one simulated device: size, density and theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Display {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Density in dpi (`wm density`).
    pub density: u32,
    /// Light or dark.
    pub theme: Theme,
}

impl Default for Display {
    fn default() -> Self {
        Display {
            width: WIDTH,
            height: HEIGHT,
            density: DENSITY,
            theme: Theme::Light,
        }
    }
}

impl Display {
    /// Parses `WxH@DPI` (e.g. `720x1280@320`); `WxH` alone keeps 440 dpi.
    pub fn parse_screen(s: &str) -> Result<(u32, u32, u32), String> {
        let err = || format!("`{s}`: expected WIDTHxHEIGHT@DPI, e.g. 720x1280@320");
        let (size, dpi) = match s.split_once('@') {
            Some((a, b)) => (a, b.trim().parse::<u32>().map_err(|_| err())?),
            None => (s, DENSITY),
        };
        let (w, h) = size.split_once(['x', 'X']).ok_or_else(err)?;
        let (w, h): (u32, u32) = (
            w.trim().parse().map_err(|_| err())?,
            h.trim().parse().map_err(|_| err())?,
        );
        if !(240..=4000).contains(&w) || !(320..=6000).contains(&h) || !(100..=800).contains(&dpi) {
            return Err(format!(
                "`{s}`: width 240-4000, height 320-6000 and density 100-800 dpi are supported"
            ));
        }
        Ok((w, h, dpi))
    }

    /// Scales a length written for 440 dpi to this density (Android's dp).
    pub fn u(&self, v: i32) -> i32 {
        (v as f32 * self.density as f32 / DENSITY as f32).round() as i32
    }

    fn px(&self, v: f32) -> f32 {
        v * self.density as f32 / DENSITY as f32
    }

    fn w(&self) -> i32 {
        self.width as i32
    }

    fn h(&self) -> i32 {
        self.height as i32
    }

    /// Height of the status bar.
    pub fn status_h(&self) -> i32 {
        self.u(72)
    }

    fn bar_h(&self) -> i32 {
        self.u(150)
    }

    pub(crate) fn margin(&self) -> i32 {
        self.u(60)
    }

    fn colors(&self) -> Colors {
        match self.theme {
            Theme::Light => Colors {
                page: Rgba([255, 255, 255, 255]),
                card: Rgba([255, 255, 255, 255]),
                ink: Rgba([34, 34, 34, 255]),
                grey: Rgba([110, 110, 110, 255]),
                accent: Rgba([22, 119, 255, 255]),
                on_accent: Rgba([255, 255, 255, 255]),
                light: Rgba([242, 243, 245, 255]),
                divider: Rgba([225, 225, 228, 255]),
                faint: Rgba([200, 200, 204, 255]),
                toast: Rgba([50, 50, 50, 235]),
                toast_ink: Rgba([255, 255, 255, 255]),
            },
            Theme::Dark => Colors {
                page: Rgba([18, 18, 18, 255]),
                card: Rgba([40, 40, 43, 255]),
                ink: Rgba([232, 232, 235, 255]),
                grey: Rgba([168, 168, 174, 255]),
                accent: Rgba([64, 145, 255, 255]),
                on_accent: Rgba([255, 255, 255, 255]),
                light: Rgba([62, 62, 66, 255]),
                divider: Rgba([64, 64, 68, 255]),
                faint: Rgba([92, 92, 96, 255]),
                toast: Rgba([225, 225, 228, 255]),
                toast_ink: Rgba([28, 28, 30, 255]),
            },
        }
    }
}

#[derive(Clone, Copy)]
struct Colors {
    page: Rgba<u8>,
    card: Rgba<u8>,
    ink: Rgba<u8>,
    grey: Rgba<u8>,
    accent: Rgba<u8>,
    on_accent: Rgba<u8>,
    light: Rgba<u8>,
    divider: Rgba<u8>,
    faint: Rgba<u8>,
    toast: Rgba<u8>,
    toast_ink: Rgba<u8>,
}

/// Font files tried in order for the default font; the first that exists is used.
/// Each with its index in the collection and the Debian package that installs it.
pub const FONT_PATHS: &[(&str, u32, &str)] = &[
    (
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        0,
        "fonts-wqy-microhei",
    ),
    (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        2,
        "fonts-noto-cjk",
    ),
    (
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        0,
        "fonts-wqy-zenhei",
    ),
];

/// The Debian package of a font an app model may choose (`None`: the default).
pub fn font_package(choice: FontChoice) -> Option<&'static str> {
    font_file(choice).map(|(_, _, package)| package)
}

/// Where each font an app model may choose lives, and the package that installs it.
fn font_file(choice: FontChoice) -> Option<(&'static str, u32, &'static str)> {
    match choice {
        FontChoice::Default => None,
        FontChoice::Microhei => Some((
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
            0,
            "fonts-wqy-microhei",
        )),
        FontChoice::Zenhei => Some((
            "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
            0,
            "fonts-wqy-zenhei",
        )),
        // Noto Sans CJK SC (Source Han Sans): Android's own CJK font.
        FontChoice::Noto => Some((
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            2,
            "fonts-noto-cjk",
        )),
        FontChoice::NotoBold => Some((
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
            2,
            "fonts-noto-cjk",
        )),
    }
}

static FONT: OnceLock<Result<FontArc, String>> = OnceLock::new();
type FontCache = Mutex<HashMap<FontChoice, Result<FontArc, String>>>;
static FONTS: OnceLock<FontCache> = OnceLock::new();

/// The default CJK font of the simulated screens.
pub fn font() -> Result<&'static FontArc, String> {
    FONT.get_or_init(|| {
        for (path, index, _) in FONT_PATHS {
            if let Ok(bytes) = std::fs::read(path) {
                return ab_glyph::FontVec::try_from_vec_and_index(bytes, *index)
                    .map(FontArc::new)
                    .map_err(|e| format!("cannot read font {path}: {e}"));
            }
        }
        Err(format!(
            "no CJK font found for the simulated device: {}",
            crate::deps::install_hint("fonts-wqy-microhei")
        ))
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// The font an app model chose; an error names the package to install.
pub fn font_for(choice: FontChoice) -> Result<FontArc, String> {
    let Some((path, index, package)) = font_file(choice) else {
        return font().cloned();
    };
    let cache = FONTS.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(choice)
        .or_insert_with(|| match std::fs::read(path) {
            Ok(bytes) => ab_glyph::FontVec::try_from_vec_and_index(bytes, index)
                .map(FontArc::new)
                .map_err(|e| format!("cannot read font {path}: {e}")),
            Err(_) => Err(format!(
                "the app model asks for font `{}`, which is not installed: {}",
                choice.name(),
                crate::deps::install_hint(package)
            )),
        })
        .clone()
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
    /// A settings row with a toggle switch (the label is its text).
    Switch,
    /// A text field.
    Input,
    /// The dialog card itself.
    Card,
    /// A tab of a bottom tab bar.
    Tab,
    /// An icon button with no text (its text is its content description).
    Icon,
}

/// One laid-out node: where it is, what it says, what tapping it reaches.
#[derive(Debug, Clone)]
pub struct Node {
    /// Bounds on screen (for scrolled content: before scrolling).
    pub rect: Rect,
    /// What it is.
    pub kind: NodeKind,
    /// Its text.
    pub text: String,
    /// Index into the screen's items (and into a row), for taps.
    pub item: Option<(usize, Option<usize>)>,
    /// Resource id.
    pub id: String,
    /// Whether it moves when the screen scrolls (the title bar does not).
    pub scrolls: bool,
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
                | NodeKind::Switch
                | NodeKind::Input
                | NodeKind::Tab
                | NodeKind::Icon
        )
    }
}

/// A screen laid out: its nodes (top to bottom), for a dialog its card, and
/// the region that scrolls.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Nodes in drawing order.
    pub nodes: Vec<Node>,
    /// The dialog card's bounds, when the screen is a dialog.
    pub card: Option<Rect>,
    /// The part of the screen the content scrolls in.
    pub viewport: Rect,
    /// How far the content can scroll (0: it fits).
    pub max_scroll: i32,
}

impl Layout {
    /// The nodes as they show after scrolling by `scroll`: moved, clipped to
    /// the viewport, and without those scrolled out of sight.
    pub fn visible(&self, scroll: i32) -> Vec<Node> {
        self.nodes
            .iter()
            .filter_map(|n| {
                if !n.scrolls {
                    return Some(n.clone());
                }
                let mut m = n.clone();
                m.rect.y -= scroll;
                let clipped = m.rect.intersect(&self.viewport);
                // A node is listed while at least half of it (or 40 px) shows.
                let shown = clipped.h * 2 >= m.rect.h.min(80) && clipped.area() > 0;
                shown.then(|| {
                    m.rect = clipped;
                    m
                })
            })
            .collect()
    }
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
/// The size of a dialog's title.
const DIALOG_TITLE_PX: f32 = 50.0;
/// The size of a heading.
const HEADING_PX: f32 = 52.0;

/// Lays out a screen's items in the column from `x0` to `x1`, starting at `y`.
#[allow(clippy::too_many_arguments)]
fn layout_items(
    d: &Display,
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
    let text_px = d.px(TEXT_PX);
    let line_h = d.u(64);
    let id_for = |item: &Item, i: usize, j: Option<usize>| -> String {
        let local = item.id.clone().unwrap_or_else(|| match j {
            Some(j) => format!("{screen_id}_{i}_{j}"),
            None => format!("{screen_id}_{i}"),
        });
        format!("{}:id/{local}", app.package)
    };
    let node =
        |rect: Rect, kind: NodeKind, text: &str, item: (usize, Option<usize>), id: String| Node {
            rect,
            kind,
            text: text.to_string(),
            item: Some(item),
            id,
            scrolls: true,
        };
    let small = |style: ButtonStyle| matches!(style, ButtonStyle::Faint);
    for (i, item) in items.iter().enumerate() {
        if let Some(t) = &item.heading {
            // A heading longer than the column wraps (one view, several lines).
            let lines = wrap(font, d.px(HEADING_PX), t, width).len().max(1) as i32;
            let h = d.u(80) + (lines - 1) * d.u(70);
            nodes.push(node(
                Rect::new(x0, y, width, h),
                NodeKind::Heading,
                t,
                (i, None),
                id_for(item, i, None),
            ));
            y += h + d.u(20);
        }
        if let Some(t) = &item.text {
            for line in wrap(font, text_px, t, width) {
                nodes.push(node(
                    Rect::new(x0, y, text_width(font, text_px, &line), line_h),
                    NodeKind::Text,
                    &line,
                    (i, None),
                    id_for(item, i, None),
                ));
                y += line_h;
            }
            y += d.u(24);
        }
        if let Some(t) = &item.link {
            let w = text_width(font, text_px, t).min(width);
            nodes.push(node(
                Rect::new(x0, y, w, line_h + d.u(16)),
                NodeKind::Link,
                t,
                (i, None),
                id_for(item, i, None),
            ));
            y += line_h + d.u(40);
        }
        if let Some(t) = &item.checkbox {
            let box_w = d.u(64);
            let lines = wrap(font, d.px(38.0), t, width - box_w);
            let w = box_w
                + lines
                    .iter()
                    .map(|l| text_width(font, d.px(38.0), l))
                    .max()
                    .unwrap_or(0);
            let h = d.u(72).max(d.u(56) * lines.len() as i32 + d.u(16));
            nodes.push(node(
                Rect::new(x0, y, w, h),
                NodeKind::Checkbox,
                t,
                (i, None),
                id_for(item, i, None),
            ));
            y += h + d.u(36);
        }
        if let Some(t) = &item.button {
            let (h, w) = if small(item.style) {
                (d.u(70), text_width(font, d.px(30.0), t) + d.u(20))
            } else {
                (d.u(132), width)
            };
            let bx = x0 + (width - w) / 2;
            nodes.push(node(
                Rect::new(bx, y, w, h),
                NodeKind::Button,
                t,
                (i, None),
                id_for(item, i, None),
            ));
            y += h + d.u(36);
        }
        if let Some(t) = &item.entry {
            let m = d.margin();
            nodes.push(node(
                Rect::new(x0 - m, y, width + 2 * m, d.u(150)),
                NodeKind::Entry,
                t,
                (i, None),
                id_for(item, i, None),
            ));
            if let Some(v) = &item.value {
                // Right-aligned before the chevron, as settings rows show a state.
                let vw = text_width(font, d.px(40.0), v);
                nodes.push(node(
                    Rect::new(x1 - d.u(50) - vw, y + d.u(40), vw, d.u(70)),
                    NodeKind::Text,
                    v,
                    (i, None),
                    format!("{}_value", id_for(item, i, None)),
                ));
            }
            y += d.u(150);
        }
        if let Some(t) = &item.switch {
            let m = d.margin();
            nodes.push(node(
                Rect::new(x0 - m, y, width + 2 * m, d.u(150)),
                NodeKind::Switch,
                t,
                (i, None),
                id_for(item, i, None),
            ));
            y += d.u(150);
        }
        if let Some(icon) = item.icon {
            let size = d.u(96);
            let x = match item.place {
                crate::sim::model::Place::Left => x0,
                crate::sim::model::Place::Right => x0 + width - size,
            };
            nodes.push(node(
                Rect::new(x, y, size, size),
                NodeKind::Icon,
                icon.description(),
                (i, None),
                id_for(item, i, None),
            ));
            y += size + d.u(20);
        }
        if let Some(t) = &item.input {
            nodes.push(node(
                Rect::new(x0, y, width, d.u(120)),
                NodeKind::Input,
                t,
                (i, None),
                id_for(item, i, None),
            ));
            y += d.u(150);
        }
        if !item.row.is_empty() {
            let gap = d.u(40);
            let n = item.row.len() as i32;
            let w = (width - gap * (n - 1)) / n;
            let full = d.u(132);
            for (j, b) in item.row.iter().enumerate() {
                let bx = x0 + j as i32 * (w + gap);
                let label = b.label().unwrap_or_default().to_string();
                let (h, bw) = if small(b.style) {
                    (d.u(70), text_width(font, d.px(30.0), &label) + d.u(20))
                } else {
                    (full, w)
                };
                nodes.push(node(
                    Rect::new(bx + (w - bw) / 2, y + (full - h) / 2, bw, h),
                    NodeKind::Button,
                    &label,
                    (i, Some(j)),
                    id_for(b, i, Some(j)),
                ));
            }
            y += full + d.u(36);
        }
    }
    y
}

/// Lays out a screen as the device would show it.
pub fn layout(
    d: &Display,
    app: &AppModel,
    screen_id: &str,
    screen: &Screen,
) -> Result<Layout, String> {
    let font = font_for(app.look.font)?;
    let font = &font;
    let mut out = Layout::default();
    let (w, h) = (d.w(), d.h());
    if screen.dialog || screen.sheet {
        let side = if screen.sheet { 0 } else { d.u(90) };
        let (x0, x1) = (side + d.margin(), w - side - d.margin());
        let mut nodes = Vec::new();
        let mut title_h = 0;
        if let Some(t) = &screen.title {
            // A long title (Android's permission question) wraps inside
            // the card, whatever the screen's size.
            let lines = wrap(font, d.px(DIALOG_TITLE_PX), t, x1 - x0).len().max(1) as i32;
            let title_line = d.u(70);
            nodes.push(Node {
                rect: Rect::new(x0, 0, x1 - x0, d.u(90) + (lines - 1) * title_line),
                kind: NodeKind::Title,
                text: t.clone(),
                item: None,
                id: format!("{}:id/dialog_title", app.package),
                scrolls: false,
            });
            title_h = d.u(130) + (lines - 1) * title_line;
        }
        let mut items = Vec::new();
        let content_h = layout_items(
            d,
            font,
            app,
            screen_id,
            &screen.items,
            x0,
            x1,
            0,
            &mut items,
        ) + d.u(30);
        // A card never grows past the screen: its content scrolls instead.
        let pad = d.u(90);
        let max_card = h - d.status_h() - d.u(160);
        let card_h = (title_h + content_h + pad).min(max_card);
        let inner_h = card_h - pad;
        let view_h = inner_h - title_h;
        let inner_top = if screen.sheet {
            h - card_h + d.u(60)
        } else {
            ((h - inner_h) / 2).max(d.status_h() + d.u(40))
        };
        for n in &mut nodes {
            n.rect.y += inner_top;
        }
        for n in &mut items {
            n.rect.y += inner_top + title_h;
        }
        nodes.extend(items);
        out.card = Some(Rect::new(side, inner_top - d.u(60), w - 2 * side, card_h));
        out.viewport = Rect::new(side, inner_top + title_h, w - 2 * side, view_h);
        out.max_scroll = (content_h - view_h).max(0);
        out.nodes = nodes;
    } else {
        if let Some(t) = &screen.title {
            out.nodes.push(Node {
                rect: Rect::new(0, d.status_h(), w, d.bar_h()),
                kind: NodeKind::Title,
                text: t.clone(),
                item: None,
                id: format!("{}:id/title", app.package),
                scrolls: false,
            });
        }
        let top = d.status_h() + d.bar_h();
        let end = layout_items(
            d,
            font,
            app,
            screen_id,
            &screen.items,
            d.margin(),
            w - d.margin(),
            top + d.u(60),
            &mut out.nodes,
        );
        // A bottom tab bar stays at the bottom edge; the content scrolls above it.
        let bar_h = d.u(150);
        let mut bar = false;
        for (i, item) in screen.items.iter().enumerate() {
            let n = item.tabs.len() as i32;
            for (j, t) in item.tabs.iter().enumerate() {
                bar = true;
                let tw = w / n.max(1);
                out.nodes.push(Node {
                    rect: Rect::new(j as i32 * tw, h - bar_h, tw, bar_h),
                    kind: NodeKind::Tab,
                    text: t.tab.clone().unwrap_or_default(),
                    item: Some((i, Some(j))),
                    id: format!("{}:id/tab_{j}", app.package),
                    scrolls: false,
                });
            }
        }
        let bottom = if bar { h - bar_h } else { h };
        out.viewport = Rect::new(0, top, w, bottom - top);
        out.max_scroll = (end + d.u(40) - bottom).max(0);
    }
    Ok(out)
}

fn irect(r: Rect) -> IRect {
    IRect::at(r.x, r.y).of_size(r.w.max(1) as u32, r.h.max(1) as u32)
}

/// Fills a rectangle with rounded corners.
fn fill_round(img: &mut RgbaImage, r: Rect, radius: i32, color: Rgba<u8>) {
    let rad = radius.min(r.h / 2).min(r.w / 2).max(0);
    if rad == 0 {
        draw_filled_rect_mut(img, irect(r), color);
        return;
    }
    draw_filled_rect_mut(
        img,
        irect(Rect::new(r.x + rad, r.y, r.w - 2 * rad, r.h)),
        color,
    );
    draw_filled_rect_mut(
        img,
        irect(Rect::new(r.x, r.y + rad, r.w, r.h - 2 * rad)),
        color,
    );
    for (cx, cy) in [
        (r.x + rad, r.y + rad),
        (r.right() - rad - 1, r.y + rad),
        (r.x + rad, r.bottom() - rad - 1),
        (r.right() - rad - 1, r.bottom() - rad - 1),
    ] {
        draw_filled_circle_mut(img, (cx, cy), rad, color);
    }
}

fn draw_centered(
    d: &Display,
    img: &mut RgbaImage,
    font: &FontArc,
    px: f32,
    color: Rgba<u8>,
    r: Rect,
    text: &str,
) {
    let w = text_width(font, px, text);
    let x = r.x + (r.w - w) / 2;
    let y = r.y + (r.h - px as i32) / 2 - d.u(4);
    draw_text_mut(img, color, x, y, PxScale::from(px), font, text);
}

/// Draws a status bar with a clock, as every Android screen has.
pub fn draw_status_bar(d: &Display, img: &mut RgbaImage) -> Result<(), String> {
    let font = font()?;
    let c = d.colors();
    let bar = match d.theme {
        Theme::Light => c.light,
        Theme::Dark => Rgba([0, 0, 0, 255]),
    };
    draw_filled_rect_mut(img, irect(Rect::new(0, 0, d.w(), d.status_h())), bar);
    draw_text_mut(
        img,
        c.ink,
        d.u(40),
        d.u(14),
        PxScale::from(d.px(36.0)),
        font,
        "9:41",
    );
    Ok(())
}

/// Draws one screen's own content (no dimming, no dialog stacking), its
/// content scrolled by `scroll`.
#[allow(clippy::too_many_arguments)]
pub fn draw(
    d: &Display,
    img: &mut RgbaImage,
    app: &AppModel,
    screen: &Screen,
    layout: &Layout,
    scroll: i32,
    checked: &dyn Fn(usize) -> bool,
    mini_program: bool,
) -> Result<(), String> {
    let font = font_for(app.look.font)?;
    let c = d.colors();
    let bg = if layout.card.is_some() {
        c.card
    } else {
        c.page
    };
    if let Some(card) = layout.card {
        if screen.sheet {
            // A bottom sheet: rounded top corners only.
            let r = d.u(36);
            draw_filled_rect_mut(
                img,
                irect(Rect::new(card.x, card.y + r, card.w, card.h - r)),
                bg,
            );
            fill_round(img, Rect::new(card.x, card.y, card.w, 2 * r), r, bg);
        } else {
            fill_round(img, card, app.look.card_radius(d), bg);
        }
    } else {
        draw_filled_rect_mut(
            img,
            irect(Rect::new(0, d.status_h(), d.w(), d.h() - d.status_h())),
            bg,
        );
    }
    // Scrolling content is drawn on its own canvas and copied into the
    // viewport, so nothing spills over the title bar or out of the card.
    let vp = layout.viewport;
    let mut canvas = RgbaImage::from_pixel(vp.w.max(1) as u32, vp.h.max(1) as u32, bg);
    for n in layout.nodes.iter().filter(|n| n.scrolls) {
        let mut m = n.clone();
        m.rect.x -= vp.x;
        m.rect.y -= vp.y + scroll;
        if m.rect.bottom() < 0 || m.rect.y > vp.h {
            continue;
        }
        draw_node(d, &c, &font, &mut canvas, app, screen, &m, bg, checked);
    }
    image::imageops::replace(img, &canvas, vp.x as i64, vp.y as i64);
    for n in layout.nodes.iter().filter(|n| !n.scrolls) {
        if n.kind == NodeKind::Title && layout.card.is_none() {
            draw_filled_rect_mut(img, irect(n.rect), bg);
            draw_filled_rect_mut(
                img,
                irect(Rect::new(0, n.rect.bottom() - 2, d.w(), 2)),
                c.divider,
            );
            draw_centered(d, img, &font, d.px(50.0), c.ink, n.rect, &n.text);
            if mini_program {
                // The host's capsule (menu and close) at the top right.
                let cap = Rect::new(d.w() - d.u(250), n.rect.y + d.u(40), d.u(200), d.u(72));
                draw_hollow_rect_mut(img, irect(cap), c.divider);
                draw_filled_rect_mut(
                    img,
                    irect(Rect::new(cap.x + d.u(99), cap.y + d.u(14), 2, d.u(44))),
                    c.divider,
                );
                for dx in [30, 50, 70] {
                    draw_filled_rect_mut(
                        img,
                        irect(Rect::new(cap.x + d.u(dx), cap.y + d.u(33), d.u(8), d.u(8))),
                        c.ink,
                    );
                }
                draw_hollow_rect_mut(
                    img,
                    irect(Rect::new(
                        cap.x + d.u(135),
                        cap.y + d.u(20),
                        d.u(32),
                        d.u(32),
                    )),
                    c.ink,
                );
            } else if screen.back.is_some() || !app.screens.is_empty() {
                draw_text_mut(
                    img,
                    c.ink,
                    d.u(40),
                    n.rect.y + d.u(45),
                    PxScale::from(d.px(56.0)),
                    &font,
                    "‹",
                );
            }
        } else if n.kind == NodeKind::Title {
            let lines = wrap(&font, d.px(DIALOG_TITLE_PX), &n.text, n.rect.w);
            if lines.len() <= 1 {
                draw_centered(d, img, &font, d.px(DIALOG_TITLE_PX), c.ink, n.rect, &n.text);
            } else {
                let line_h = d.u(70);
                let top = n.rect.y + (n.rect.h - line_h * lines.len() as i32) / 2;
                for (k, line) in lines.iter().enumerate() {
                    let r = Rect::new(n.rect.x, top + k as i32 * line_h, n.rect.w, line_h);
                    draw_centered(d, img, &font, d.px(DIALOG_TITLE_PX), c.ink, r, line);
                }
            }
        } else {
            // What stays in place as the content scrolls: a tab bar.
            draw_node(d, &c, &font, img, app, screen, n, bg, checked);
        }
    }
    Ok(())
}

/// The style a button is drawn in: its own, or the app's shape for the
/// ordinary styles.
fn button_style(app: &AppModel, screen: &Screen, n: &Node) -> ButtonStyle {
    n.item
        .and_then(|(i, j)| screen.items.get(i).map(|it| (it, j)))
        .map(|(it, j)| match j {
            Some(j) => it.row.get(j).map_or(ButtonStyle::Primary, |b| b.style),
            None => it.style,
        })
        .map(|s| match (s, app.look.buttons) {
            (ButtonStyle::Primary, Some(ButtonStyle::Outlined)) => ButtonStyle::Outlined,
            (ButtonStyle::Primary, Some(ButtonStyle::Text)) => ButtonStyle::Text,
            (ButtonStyle::Secondary, Some(ButtonStyle::Text)) => ButtonStyle::Text,
            (s, _) => s,
        })
        .unwrap_or_default()
}

/// A settings row's label and the divider under it (entries and switches).
fn draw_row(d: &Display, c: &Colors, font: &FontArc, img: &mut RgbaImage, n: &Node) {
    let m = d.margin();
    draw_text_mut(
        img,
        c.ink,
        n.rect.x + m,
        n.rect.y + d.u(50),
        PxScale::from(d.px(46.0)),
        font,
        &n.text,
    );
    draw_filled_rect_mut(
        img,
        irect(Rect::new(
            n.rect.x + m,
            n.rect.bottom() - 2,
            n.rect.w - m,
            2,
        )),
        c.divider,
    );
}

#[allow(clippy::too_many_arguments)]
fn draw_node(
    d: &Display,
    c: &Colors,
    font: &FontArc,
    img: &mut RgbaImage,
    app: &AppModel,
    screen: &Screen,
    n: &Node,
    bg: Rgba<u8>,
    checked: &dyn Fn(usize) -> bool,
) {
    let text_px = d.px(TEXT_PX);
    let radius = match app.look.shape {
        ButtonShape::Square => 0,
        ButtonShape::Rounded => d.u(16),
        ButtonShape::Pill => n.rect.h / 2,
    };
    match n.kind {
        NodeKind::Text => draw_text_mut(
            img,
            item_color(screen, n).unwrap_or(c.grey),
            n.rect.x,
            n.rect.y + d.u(8),
            PxScale::from(text_px),
            font,
            &n.text,
        ),
        NodeKind::Heading => {
            for (k, line) in wrap(font, d.px(HEADING_PX), &n.text, n.rect.w)
                .iter()
                .enumerate()
            {
                draw_text_mut(
                    img,
                    item_color(screen, n).unwrap_or(c.ink),
                    n.rect.x,
                    n.rect.y + d.u(10) + k as i32 * d.u(70),
                    PxScale::from(d.px(HEADING_PX)),
                    font,
                    line,
                );
            }
        }
        NodeKind::Link => draw_text_mut(
            img,
            item_color(screen, n).unwrap_or(c.accent),
            n.rect.x,
            n.rect.y + d.u(12),
            PxScale::from(text_px),
            font,
            &n.text,
        ),
        NodeKind::Checkbox => {
            let s = d.u(44);
            let b = Rect::new(n.rect.x, n.rect.y + d.u(14), s, s);
            let is_checked = n.item.is_some_and(|(i, _)| checked(i));
            let round = app.look.shape == ButtonShape::Pill;
            if is_checked {
                if round {
                    draw_filled_circle_mut(img, (b.x + s / 2, b.y + s / 2), s / 2, c.accent);
                } else {
                    draw_filled_rect_mut(img, irect(b), c.accent);
                }
                // A tick drawn as two thick strokes.
                let k = |v: i32| d.u(v) as f32;
                for t in 0..d.u(6).max(2) {
                    let t = t as f32;
                    imageproc::drawing::draw_line_segment_mut(
                        img,
                        (b.x as f32 + k(9), b.y as f32 + k(22) + t),
                        (b.x as f32 + k(19), b.y as f32 + k(32) + t),
                        c.on_accent,
                    );
                    imageproc::drawing::draw_line_segment_mut(
                        img,
                        (b.x as f32 + k(19), b.y as f32 + k(32) + t),
                        (b.x as f32 + k(36), b.y as f32 + k(12) + t),
                        c.on_accent,
                    );
                }
            } else if round {
                draw_filled_circle_mut(img, (b.x + s / 2, b.y + s / 2), s / 2, c.grey);
                draw_filled_circle_mut(img, (b.x + s / 2, b.y + s / 2), s / 2 - d.u(3), bg);
            } else {
                for k in 0..d.u(3).max(1) {
                    draw_hollow_rect_mut(
                        img,
                        irect(Rect::new(b.x + k, b.y + k, s - 2 * k, s - 2 * k)),
                        c.grey,
                    );
                }
            }
            let px = d.px(38.0);
            let lines = wrap(font, px, &n.text, n.rect.w.max(d.u(64) + 1) - d.u(64) + 2);
            for (k, line) in lines.iter().enumerate() {
                draw_text_mut(
                    img,
                    c.grey,
                    n.rect.x + d.u(64),
                    n.rect.y + d.u(14) + k as i32 * d.u(56),
                    PxScale::from(px),
                    font,
                    line,
                );
            }
        }
        NodeKind::Button => {
            let px = d.px(46.0);
            match button_style(app, screen, n) {
                ButtonStyle::Primary => {
                    fill_round(img, n.rect, radius, c.accent);
                    draw_centered(d, img, font, px, c.on_accent, n.rect, &n.text);
                }
                ButtonStyle::Secondary => {
                    fill_round(img, n.rect, radius, c.light);
                    draw_centered(d, img, font, px, c.ink, n.rect, &n.text);
                }
                ButtonStyle::Outlined => {
                    let t = d.u(3).max(2);
                    fill_round(img, n.rect, radius, c.accent);
                    let inner = Rect::new(
                        n.rect.x + t,
                        n.rect.y + t,
                        n.rect.w - 2 * t,
                        n.rect.h - 2 * t,
                    );
                    fill_round(img, inner, (radius - t).max(0), bg);
                    draw_centered(d, img, font, px, c.accent, n.rect, &n.text);
                }
                ButtonStyle::Text => draw_centered(d, img, font, px, c.accent, n.rect, &n.text),
                ButtonStyle::Faint => {
                    draw_centered(d, img, font, d.px(30.0), c.faint, n.rect, &n.text)
                }
            }
        }
        NodeKind::Entry => {
            draw_row(d, c, font, img, n);
            let m = d.margin();
            draw_text_mut(
                img,
                c.faint,
                n.rect.right() - m - d.u(30),
                n.rect.y + d.u(40),
                PxScale::from(d.px(56.0)),
                font,
                "›",
            );
        }
        NodeKind::Switch => {
            draw_row(d, c, font, img, n);
            let on = n.item.is_some_and(|(i, _)| checked(i));
            let track = switch_track(d, n.rect);
            fill_round(img, track, track.h / 2, if on { c.accent } else { c.light });
            let k = track.h - d.u(8);
            let kx = if on {
                track.right() - k / 2 - d.u(4)
            } else {
                track.x + k / 2 + d.u(4)
            };
            draw_filled_circle_mut(img, (kx, track.y + track.h / 2), k / 2, c.card);
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
                    c.divider,
                );
            }
            draw_text_mut(
                img,
                c.grey,
                n.rect.x + d.u(30),
                n.rect.y + d.u(36),
                PxScale::from(text_px),
                font,
                &n.text,
            );
        }
        NodeKind::Title | NodeKind::Card => {}
        NodeKind::Tab => {
            draw_filled_rect_mut(img, irect(n.rect), bg);
            draw_filled_rect_mut(
                img,
                irect(Rect::new(n.rect.x, n.rect.y, n.rect.w, 2)),
                c.divider,
            );
            // A small round icon above the label.
            let r = d.u(20);
            draw_filled_circle_mut(
                img,
                (n.rect.x + n.rect.w / 2, n.rect.y + d.u(18) + r),
                r,
                c.divider,
            );
            let label = Rect::new(n.rect.x, n.rect.y + d.u(66), n.rect.w, d.u(70));
            draw_centered(d, img, font, d.px(34.0), c.ink, label, &n.text);
        }
        NodeKind::Icon => {
            let color = item_color(screen, n).unwrap_or(c.ink);
            let r = n.rect;
            let m = r.w / 4;
            let (x0, y0, x1, y1) = (
                (r.x + m) as f32,
                (r.y + m) as f32,
                (r.right() - m) as f32,
                (r.bottom() - m) as f32,
            );
            let cy = (r.y + r.h / 2) as f32;
            for t in -2..=2 {
                let t = t as f32;
                if n.text == crate::sim::model::Icon::Close.description() {
                    draw_line_segment_mut(img, (x0 + t, y0), (x1 + t, y1), color);
                    draw_line_segment_mut(img, (x1 + t, y0), (x0 + t, y1), color);
                } else {
                    draw_line_segment_mut(img, (x0, cy + t), (x1, cy + t), color);
                    draw_line_segment_mut(img, (x0, cy + t), (x0 + (x1 - x0) / 2.5, y0 + t), color);
                    draw_line_segment_mut(img, (x0, cy + t), (x0 + (x1 - x0) / 2.5, y1 + t), color);
                }
            }
        }
    }
}

/// An item's own text colour (`color: "#e02020"`).
fn item_color(screen: &Screen, n: &Node) -> Option<Rgba<u8>> {
    let (i, j) = n.item?;
    let it = screen.items.get(i)?;
    let it = match j {
        Some(j) => it.row.get(j).or(it.tabs.get(j))?,
        None => it,
    };
    let [r, g, b] = crate::sim::model::parse_color(it.color.as_deref()?)?;
    Some(Rgba([r, g, b, 255]))
}

/// Where a switch row draws its toggle: at the row's right end.
pub fn switch_track(d: &Display, row: Rect) -> Rect {
    let (w, h) = (d.u(104), d.u(60));
    Rect::new(row.right() - d.margin() - w, row.y + (row.h - h) / 2, w, h)
}

/// Draws a toast: a short message near the bottom that the hierarchy does not list.
pub fn draw_toast(d: &Display, img: &mut RgbaImage, text: &str) -> Result<(), String> {
    let font = font()?;
    let c = d.colors();
    let px = d.px(40.0);
    let w = text_width(font, px, text) + d.u(96);
    let h = d.u(110);
    let r = Rect::new((d.w() - w) / 2, d.h() - d.u(330), w, h);
    fill_round(img, r, h / 2, c.toast);
    draw_centered(d, img, font, px, c.toast_ink, r, text);
    Ok(())
}

/// Draws the launcher's app icons.
pub fn draw_launcher(d: &Display, img: &mut RgbaImage, labels: &[&str]) -> Result<(), String> {
    let font = font()?;
    let c = d.colors();
    let cols = 3;
    let cell = d.w() / cols;
    for (i, label) in labels.iter().enumerate() {
        let (col, row) = (i as i32 % cols, i as i32 / cols);
        let s = d.u(160);
        let r = Rect::new(col * cell + (cell - s) / 2, d.u(300) + row * d.u(320), s, s);
        fill_round(img, r, d.u(36), Rgba([200, 215, 235, 255]));
        let label: String = label.chars().take(5).collect();
        draw_text_mut(
            img,
            c.ink,
            r.x,
            r.bottom() + d.u(16),
            PxScale::from(d.px(34.0)),
            font,
            &label,
        );
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
pub fn blank(d: &Display) -> Result<RgbaImage, String> {
    let mut img = RgbaImage::from_pixel(d.width, d.height, d.colors().page);
    draw_status_bar(d, &mut img)?;
    Ok(img)
}

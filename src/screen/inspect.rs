//! `consentry inspect`: what consentry reads on one screen. Every text line
//! with its box, source and confidence; every control with its role and
//! look; checkbox states; and what the screen is. Its JSON form is stable
//! (`version` 1, documented in docs/inspect.md): testers script it.

use crate::i18n::Said;
use image::{Rgba, RgbaImage};
use imageproc::drawing::draw_hollow_rect_mut;
use imageproc::rect::Rect as IRect;
use serde::Serialize;

use super::{Control, Kind, Screen, Vendor, View};
use crate::device::Foreground;
use crate::geom::Rect;
use crate::perception::{Observation, Role, Source, TextItem, Words};

/// The version of the JSON layout; it changes only when a field changes
/// meaning or goes away (new fields may be added).
pub const JSON_VERSION: u32 = 1;

/// What a screen is, in the three words of `inspect`'s first JSON layout
/// (kept: scripts read it); [`Kind`] says more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScreenKind {
    /// A consent prompt: a choice next to the processing rules or an
    /// agreement, or a login page asking consent.
    ConsentPrompt,
    /// A runtime permission or authorization prompt: allow / deny.
    PermissionPrompt,
    /// Neither.
    Neither,
}

impl ScreenKind {
    /// The name JSON and the terminal use.
    pub fn as_str(self) -> &'static str {
        match self {
            ScreenKind::ConsentPrompt => "consent-prompt",
            ScreenKind::PermissionPrompt => "permission-prompt",
            ScreenKind::Neither => "neither",
        }
    }

    /// The coarse kind of a screen's kind.
    pub fn of(kind: Kind) -> ScreenKind {
        match kind {
            Kind::ConsentPrompt | Kind::LoginConsent => ScreenKind::ConsentPrompt,
            Kind::PermissionDialog | Kind::HostAuthorization => ScreenKind::PermissionPrompt,
            _ => ScreenKind::Neither,
        }
    }
}

/// The colour of a role in annotations and reports.
pub fn role_color(role: Role) -> Rgba<u8> {
    match role {
        Role::Agree => Rgba([26, 127, 55, 255]),
        Role::Refuse => Rgba([207, 34, 46, 255]),
        Role::WeakRefuse => Rgba([255, 107, 129, 255]),
        Role::Vague => Rgba([227, 98, 9, 255]),
        Role::Policy => Rgba([9, 105, 218, 255]),
        Role::Agreement => Rgba([84, 174, 255, 255]),
        Role::Checkbox => Rgba([130, 80, 223, 255]),
        Role::Other => Rgba([140, 149, 159, 255]),
    }
}

/// One text line as `inspect` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct TextOut {
    /// The text.
    pub text: String,
    /// Its box, `[x1, y1, x2, y2]`.
    pub bounds: Rect,
    /// `ocr` or `hierarchy`.
    pub source: Source,
    /// 0 to 100 (hierarchy texts are 100).
    pub confidence: f32,
    /// Its role (`other` for plain text).
    pub role: Role,
}

/// Everything `inspect` says about one screen.
#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    /// The layout's version, [`JSON_VERSION`].
    pub version: u32,
    /// The picture's path, or `device:SERIAL`.
    pub image: String,
    /// The OCR engine that read it.
    pub engine: String,
    /// Width and height in pixels.
    pub size: [u32; 2],
    /// What the screen is, in three words (the first layout's).
    pub screen: ScreenKind,
    /// What the screen is ([`Kind`]).
    pub kind: Kind,
    /// Who drew the permission dialog, when that is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<Vendor>,
    /// The permission groups a permission dialog asks for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<&'static str>,
    /// Every text, top to bottom.
    pub texts: Vec<TextOut>,
    /// The controls, top to bottom.
    pub controls: Vec<Control>,
    /// Why the refuse option looks suppressed next to agree, if it does.
    pub suppressed_refuse: Option<String>,
}

impl Inspection {
    /// Builds the inspection of an observed screen.
    pub fn new(image: String, engine: &str, size: [u32; 2], view: &View) -> Inspection {
        let texts = view
            .texts
            .iter()
            .map(|t| TextOut {
                text: t.text.clone(),
                bounds: t.bounds,
                source: t.source,
                confidence: (t.confidence * 10.0).round() / 10.0,
                role: t.role,
            })
            .collect();
        let screen = Screen::read(view);
        Inspection {
            version: JSON_VERSION,
            image,
            engine: engine.to_string(),
            size,
            screen: ScreenKind::of(screen.kind),
            kind: screen.kind,
            vendor: screen.vendor,
            permissions: screen.permissions,
            texts,
            controls: screen.controls,
            suppressed_refuse: suppressed_refuse(view.texts).map(|(_, _, why)| why.text),
        }
    }

    /// The terminal form.
    pub fn text(&self) -> String {
        let mut s = format!(
            "{}  ({}x{}, {})\n  screen: {} ({})\n",
            self.image,
            self.size[0],
            self.size[1],
            self.engine,
            self.screen.as_str(),
            self.kind.as_str()
        );
        if let Some(v) = self.vendor {
            s.push_str(&format!("  drawn by: {}\n", v.as_str()));
        }
        if !self.permissions.is_empty() {
            s.push_str(&format!("  asks for: {}\n", self.permissions.join(", ")));
        }
        s.push_str("  texts:\n");
        for t in &self.texts {
            let b = t.bounds;
            s.push_str(&format!(
                "    [{:>4},{:>4},{:>4},{:>4}] {:<9} {:>5.1}  {:<11} {}\n",
                b.x,
                b.y,
                b.right(),
                b.bottom(),
                match t.source {
                    Source::Ocr => "ocr",
                    Source::Hierarchy => "hierarchy",
                },
                t.confidence,
                t.role.as_str(),
                t.text
            ));
        }
        s.push_str("  controls:\n");
        if self.controls.is_empty() {
            s.push_str("    (none)\n");
        }
        for c in &self.controls {
            let mut extra = Vec::new();
            if let Some(r) = c.region {
                extra.push(format!(
                    "region [{},{},{},{}]",
                    r.x,
                    r.y,
                    r.right(),
                    r.bottom()
                ));
            }
            if let Some(k) = c.contrast {
                extra.push(format!("contrast {k:.2}"));
            }
            if let Some(ch) = c.checked {
                extra.push(if ch { "checked" } else { "unchecked" }.into());
            }
            s.push_str(&format!(
                "    {:<11} 「{}」 {}\n",
                c.role.as_str(),
                c.text,
                extra.join(", ")
            ));
        }
        if let Some(why) = &self.suppressed_refuse {
            s.push_str(&format!("  suppressed refuse: {why}\n"));
        }
        s
    }
}

/// Reads one encoded screenshot (PNG or JPEG) with an optional hierarchy
/// of the same screen: the inspection, the decoded picture and the texts.
pub fn inspect_bytes(
    perceiver: &mut crate::perception::Perceiver,
    name: String,
    bytes: &[u8],
    nodes: &[crate::device::HierarchyNode],
    foreground: Option<&Foreground>,
    words: &Words,
) -> Result<(Inspection, RgbaImage, Observation), crate::perception::PerceptionError> {
    let img = crate::perception::decode(bytes)?;
    let obs = super::observe(perceiver, bytes, nodes, words)?;
    let ins = Inspection::new(
        name,
        perceiver.engine_name(),
        [img.width(), img.height()],
        &View {
            foreground,
            ..View::texts(&obs.texts, words)
        },
    );
    Ok((ins, img, obs))
}

/// Whether the refuse option is visually suppressed next to agree (7.1(c)):
/// its tappable region under a third of agree's, its text far smaller, or
/// far fainter. Compares like with like: regions when both have one, text
/// heights and contrast of OCR texts otherwise. Returns agree, refuse and
/// why.
pub fn suppressed_refuse(texts: &[TextItem]) -> Option<(&TextItem, &TextItem, Said)> {
    let agree: Vec<&TextItem> = texts.iter().filter(|t| t.role == Role::Agree).collect();
    let refuse: Vec<&TextItem> = texts
        .iter()
        .filter(|t| matches!(t.role, Role::Refuse | Role::WeakRefuse))
        .collect();
    if agree.is_empty() || refuse.is_empty() {
        return None;
    }
    // Suppressed only when no refuse option stands up to any agree option.
    let mut first = None;
    for r in &refuse {
        for a in &agree {
            let why = compare(a, r)?;
            first.get_or_insert((*a, *r, why));
        }
    }
    first
}

fn compare(a: &TextItem, r: &TextItem) -> Option<Said> {
    if let (Some(ar), Some(rr)) = (a.region, r.region) {
        if rr.area() * 3 < ar.area() {
            return Some(crate::said!(
                "inspect-refuse-third-size",
                refuse = r.text.as_str(),
                agree = a.text.as_str()
            ));
        }
    }
    // A button to agree, and to refuse only words on the background, smaller
    // or fainter than agree's: the "缩小文字" of 7.1(c).
    if let (Some(ar), None, Source::Ocr) = (a.region, r.region, r.source) {
        let fainter = match (a.contrast, r.contrast) {
            (Some(ac), Some(rc)) => rc * 2.0 < ac,
            _ => false,
        };
        let smaller = r.bounds.h * 10 < a.bounds.h * 8;
        if r.bounds.area() * 3 < ar.area() && (smaller || fainter) {
            return Some(crate::said!(
                "inspect-refuse-no-button",
                refuse = r.text.as_str(),
                look = match (smaller, fainter) {
                    (true, true) => crate::said!("inspect-look-small-faint"),
                    (true, false) => crate::said!("inspect-look-small"),
                    _ => crate::said!("inspect-look-faint"),
                },
                agree = a.text.as_str()
            ));
        }
    }
    if a.source == Source::Ocr && r.source == Source::Ocr {
        // Text height: the box of one line of text, whatever its length.
        if r.bounds.h * 10 < a.bounds.h * 6 {
            return Some(crate::said!(
                "inspect-refuse-smaller",
                refuse = r.text.as_str(),
                refuse_px = r.bounds.h,
                agree = a.text.as_str(),
                agree_px = a.bounds.h
            ));
        }
        if let (Some(ac), Some(rc)) = (a.contrast, r.contrast) {
            if rc < 0.2 && rc * 3.0 < ac {
                return Some(crate::said!(
                    "inspect-refuse-fainter",
                    refuse = r.text.as_str(),
                    refuse_contrast = format!("{rc:.2}"),
                    agree = a.text.as_str(),
                    agree_contrast = format!("{ac:.2}")
                ));
            }
        }
    }
    None
}

/// Draws a box `width` pixels thick around `r`.
pub fn outline(img: &mut RgbaImage, r: Rect, color: Rgba<u8>, width: i32) {
    for k in 0..width {
        let (w, h) = (r.w + 2 * k, r.h + 2 * k);
        if w > 0 && h > 0 {
            draw_hollow_rect_mut(
                img,
                IRect::at(r.x - k, r.y - k).of_size(w as u32, h as u32),
                color,
            );
        }
    }
}

/// Draws every text's box on the screenshot, coloured by role (the colours
/// of the reports), the tappable regions of controls thinner.
/// The links inside a sentence get a box of their own, under the line's.
pub fn annotate(img: &mut RgbaImage, texts: &[TextItem], controls: &[Control]) {
    let scale = (img.width() / 540).max(1) as i32;
    for t in texts {
        let color = role_color(t.role);
        if let Some(r) = t.region {
            outline(img, r, color, scale);
        }
        let w = if t.role == Role::Other { 1 } else { 2 } * scale;
        outline(img, t.bounds, color, w);
    }
    for c in controls.iter().filter(|c| {
        texts
            .get(c.text_index)
            .is_some_and(|t| t.bounds != c.bounds || t.role != c.role)
    }) {
        let b = c.bounds;
        let under = Rect::new(b.x, b.bottom() + scale, b.w, scale * 2);
        outline(img, under, role_color(c.role), scale);
    }
}

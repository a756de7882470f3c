//! `consentry inspect`: what consentry reads on one screen. Every text line
//! with its box, source and confidence; every control with its role and
//! look; checkbox states; and what the screen is. Its JSON form is stable
//! (`version` 1, documented in docs/inspect.md): testers script it.

use image::{Rgba, RgbaImage};
use imageproc::drawing::draw_hollow_rect_mut;
use imageproc::rect::Rect as IRect;
use serde::Serialize;

use super::{Observation, Role, Source, TextItem, Words};
use crate::geom::Rect;

/// The version of the JSON layout; it changes only when a field changes
/// meaning or goes away (new fields may be added).
pub const JSON_VERSION: u32 = 1;

/// What a screen is, for consent testing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScreenKind {
    /// A consent prompt: a choice next to the processing rules or an agreement.
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
}

/// Words of a permission request in its question or its labels.
const PERMISSION_WORDS: &[&str] = &[
    "权限",
    "是否允许",
    "要允许",
    "允许",
    "访问",
    "位置信息",
    "定位",
    "相机",
    "拍照",
    "录音",
    "麦克风",
    "通讯录",
    "联系人",
    "存储",
    "相册",
    "照片",
    "电话",
    "短信",
    "日历",
    "通知",
    "allow",
    "access",
    "permission",
    "location",
    "camera",
    "microphone",
    "contacts",
];

/// What the screen is, from its texts: a consent prompt has an agree-like
/// control and names the processing rules or an agreement (or shows a
/// consent checkbox); a permission prompt has a choice (allow and deny, or
/// one of them next to a permission question) and speaks of a permission.
pub fn screen_kind(texts: &[TextItem], words: &Words) -> ScreenKind {
    let has = |r: Role| texts.iter().any(|t| t.role == r);
    let agree_like = has(Role::Agree) || has(Role::Vague);
    let refuse_like = has(Role::Refuse) || has(Role::WeakRefuse);
    let names_rules = texts.iter().any(|t| {
        matches!(t.role, Role::Policy | Role::Agreement | Role::Checkbox)
            || words.mentions_policy(&t.text)
    });
    if agree_like && names_rules {
        return ScreenKind::ConsentPrompt;
    }
    let speaks = texts.iter().any(|t| {
        let n = super::words::normalize(&t.text);
        PERMISSION_WORDS.iter().any(|w| n.contains(w))
    });
    if (has(Role::Agree) || agree_like && refuse_like) && speaks {
        return ScreenKind::PermissionPrompt;
    }
    ScreenKind::Neither
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

/// One control: a text a user taps to answer, or a link or checkbox of a
/// consent prompt.
#[derive(Debug, Clone, Serialize)]
pub struct ControlOut {
    /// Its label.
    pub text: String,
    /// `agree`, `vague`, `refuse`, `weak-refuse`, `policy`, `agreement` or `checkbox`.
    pub role: Role,
    /// The label's box.
    pub bounds: Rect,
    /// The tappable region (button or clickable node), when one was found.
    pub region: Option<Rect>,
    /// Contrast of the label against its background, 0 to 1 (OCR texts).
    pub contrast: Option<f32>,
    /// For a checkbox: whether it is ticked, when that could be seen.
    pub checked: Option<bool>,
    /// `ocr` or `hierarchy`.
    pub source: Source,
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
    /// What the screen is.
    pub screen: ScreenKind,
    /// Every text, top to bottom.
    pub texts: Vec<TextOut>,
    /// The controls, top to bottom.
    pub controls: Vec<ControlOut>,
    /// Why the refuse option looks suppressed next to agree, if it does.
    pub suppressed_refuse: Option<String>,
}

impl Inspection {
    /// Builds the inspection of an observed screen.
    pub fn new(
        image: String,
        engine: &str,
        size: [u32; 2],
        obs: &Observation,
        words: &Words,
    ) -> Inspection {
        let texts = obs
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
        let controls = obs
            .texts
            .iter()
            .filter(|t| t.role != Role::Other)
            .map(|t| ControlOut {
                text: t.text.clone(),
                role: t.role,
                bounds: t.bounds,
                region: t.region,
                contrast: t.contrast.map(|c| (c * 100.0).round() / 100.0),
                checked: t.checked,
                source: t.source,
            })
            .collect();
        Inspection {
            version: JSON_VERSION,
            image,
            engine: engine.to_string(),
            size,
            screen: screen_kind(&obs.texts, words),
            texts,
            controls,
            suppressed_refuse: suppressed_refuse(&obs.texts).map(|(_, _, why)| why),
        }
    }

    /// The terminal form.
    pub fn text(&self) -> String {
        let mut s = format!(
            "{}  ({}x{}, {})\n  screen: {}\n",
            self.image,
            self.size[0],
            self.size[1],
            self.engine,
            self.screen.as_str()
        );
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
    perceiver: &mut super::Perceiver,
    name: String,
    bytes: &[u8],
    nodes: &[crate::device::HierarchyNode],
    words: &Words,
) -> Result<(Inspection, RgbaImage, Observation), super::PerceptionError> {
    let img = super::decode(bytes)?;
    let obs = perceiver.observe(bytes, nodes, words)?;
    let ins = Inspection::new(
        name,
        perceiver.engine_name(),
        [img.width(), img.height()],
        &obs,
        words,
    );
    Ok((ins, img, obs))
}

/// Whether the refuse option is visually suppressed next to agree (7.1(c)):
/// its tappable region under a third of agree's, its text far smaller, or
/// far fainter. Compares like with like: regions when both have one, text
/// heights and contrast of OCR texts otherwise. Returns agree, refuse and
/// why.
pub fn suppressed_refuse(texts: &[TextItem]) -> Option<(&TextItem, &TextItem, String)> {
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

fn compare(a: &TextItem, r: &TextItem) -> Option<String> {
    if let (Some(ar), Some(rr)) = (a.region, r.region) {
        if rr.area() * 3 < ar.area() {
            return Some(format!(
                "the refuse option 「{}」 is less than a third the size of 「{}」",
                r.text, a.text
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
            return Some(format!(
                "the refuse option 「{}」 is {} text without a button, while 「{}」 is a button",
                r.text,
                match (smaller, fainter) {
                    (true, true) => "small, faint",
                    (true, false) => "small",
                    _ => "faint",
                },
                a.text
            ));
        }
    }
    if a.source == Source::Ocr && r.source == Source::Ocr {
        // Text height: the box of one line of text, whatever its length.
        if r.bounds.h * 10 < a.bounds.h * 6 {
            return Some(format!(
                "the refuse option 「{}」 is written much smaller ({} px high) than 「{}」 ({} px)",
                r.text, r.bounds.h, a.text, a.bounds.h
            ));
        }
        if let (Some(ac), Some(rc)) = (a.contrast, r.contrast) {
            if rc < 0.2 && rc * 3.0 < ac {
                return Some(format!(
                    "the refuse option 「{}」 is much fainter (contrast {rc:.2}) than 「{}」 ({ac:.2})",
                    r.text, a.text
                ));
            }
        }
    }
    None
}

/// Draws every text's box on the screenshot, coloured by role (the colours
/// of the reports), the tappable regions of controls thinner.
pub fn annotate(img: &mut RgbaImage, texts: &[TextItem]) {
    let outline = |img: &mut RgbaImage, r: Rect, color: Rgba<u8>, width: i32| {
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
    };
    let scale = (img.width() / 540).max(1) as i32;
    for t in texts {
        let color = crate::report::annotate::role_color(t.role);
        if let Some(r) = t.region {
            outline(img, r, color, scale);
        }
        let w = if t.role == Role::Other { 1 } else { 2 } * scale;
        outline(img, t.bounds, color, w);
    }
}

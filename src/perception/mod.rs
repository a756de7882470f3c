//! Turns what a device shows into one observation of the screen: OCR lines
//! of the screenshot merged with the view hierarchy's texts, each with the
//! role it plays on a consent screen.

pub mod inspect;
pub mod layout;
pub mod ocr;
pub mod ppocr;
pub mod words;

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::device::HierarchyNode;
use crate::geom::Rect;
pub use layout::Look;
pub use ocr::{OcrEngine, OcrError, OcrKind, OcrLine, Tesseract};
pub use words::{Role, Words};

/// Where a text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Read from the screenshot by OCR.
    Ocr,
    /// Taken from the view hierarchy.
    Hierarchy,
}

/// One text on the screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextItem {
    /// The text.
    pub text: String,
    /// Where it is.
    pub bounds: Rect,
    /// Where it came from.
    pub source: Source,
    /// 0 to 100; hierarchy texts are 100.
    pub confidence: f32,
    /// Its role on a consent screen.
    pub role: Role,
    /// Whether the checkbox it labels is ticked: from the hierarchy, or from
    /// the box drawn left of an OCR text.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub checked: Option<bool>,
    /// The tappable region it is the label of: a clickable hierarchy node, or
    /// the filled button the OCR text sits in.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub region: Option<Rect>,
    /// For OCR texts: contrast of the text against its background, 0 to 1.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub contrast: Option<f32>,
}

impl TextItem {
    /// Whether it is a control a user taps to answer (agree, vague, refuse, weak refuse).
    pub fn is_choice(&self) -> bool {
        matches!(
            self.role,
            Role::Agree | Role::Vague | Role::Refuse | Role::WeakRefuse
        )
    }
}

/// Everything read from one frame.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observation {
    /// All texts, top to bottom.
    pub texts: Vec<TextItem>,
}

impl Observation {
    /// The texts with a given role.
    pub fn with_role(&self, role: Role) -> impl Iterator<Item = &TextItem> {
        self.texts.iter().filter(move |t| t.role == role)
    }

    /// Finds a text equal to `needle` (normalised), else one containing it.
    pub fn find(&self, needle: &str) -> Option<&TextItem> {
        let n = words::normalize(needle);
        self.texts
            .iter()
            .find(|t| words::normalize(&t.text) == n)
            .or_else(|| {
                self.texts
                    .iter()
                    .find(|t| words::normalize(&t.text).contains(&n))
            })
    }
}

/// Reads frames: decodes, OCRs (each distinct frame once) and merges with
/// the hierarchy. One per worker thread, with its own engine loaded once.
pub struct Perceiver {
    engine: Box<dyn OcrEngine>,
    cache: HashMap<blake3::Hash, Arc<Read>>,
}

/// What was read from one distinct screenshot: OCR lines and how each looks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Read {
    /// The OCR lines, top to bottom.
    pub lines: Vec<OcrLine>,
    /// For each line: its button region, contrast and checkbox state.
    pub looks: Vec<Look>,
}

const CACHE_LIMIT: usize = 512;

/// Why a frame could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PerceptionError {
    /// OCR is not available or failed.
    #[error(transparent)]
    Ocr(#[from] OcrError),
    /// The screenshot is not a readable image.
    #[error("screenshot is not a readable PNG: {0}")]
    Decode(String),
}

/// Decodes an encoded picture (PNG, JPEG) to RGBA. A screenshot is RGB or
/// RGBA; RGB gets its alpha in one pass (the generic conversion costs more
/// than decoding the PNG).
pub fn decode(bytes: &[u8]) -> Result<image::RgbaImage, PerceptionError> {
    let img = image::load_from_memory(bytes).map_err(|e| PerceptionError::Decode(e.to_string()))?;
    Ok(match img {
        image::DynamicImage::ImageRgba8(i) => i,
        image::DynamicImage::ImageRgb8(i) => {
            let (w, h) = i.dimensions();
            let mut raw = Vec::with_capacity(w as usize * h as usize * 4);
            for p in i.as_raw().chunks_exact(3) {
                raw.extend_from_slice(&[p[0], p[1], p[2], 255]);
            }
            image::RgbaImage::from_raw(w, h, raw).expect("w*h*4 bytes")
        }
        other => other.to_rgba8(),
    })
}

impl Perceiver {
    /// A perceiver with its own engine of the configured kind
    /// ([`OcrKind::configured`]).
    pub fn new() -> Result<Perceiver, OcrError> {
        Self::with_kind(OcrKind::configured())
    }

    /// A perceiver with its own engine of the given kind.
    pub fn with_kind(kind: OcrKind) -> Result<Perceiver, OcrError> {
        Ok(Perceiver {
            engine: kind.open()?,
            cache: HashMap::new(),
        })
    }

    /// What the engine did so far, where it keeps count (see [`OcrEngine::stats`]).
    pub fn engine_stats(&self) -> Option<ppocr::RecStats> {
        self.engine.stats()
    }

    /// The engine's name.
    pub fn engine_name(&self) -> &'static str {
        self.engine.name()
    }

    /// OCR lines of a PNG screenshot; the same bytes are read only once.
    pub fn ocr_png(&mut self, png: &[u8]) -> Result<(Arc<Vec<OcrLine>>, bool), PerceptionError> {
        let (read, cached) = self.read_png(png)?;
        Ok((Arc::new(read.lines.clone()), cached))
    }

    /// Reads an encoded screenshot (PNG, or JPEG for saved pictures); the same
    /// bytes are read only once: an unchanged frame costs a hash.
    pub fn read_png(&mut self, bytes: &[u8]) -> Result<(Arc<Read>, bool), PerceptionError> {
        let key = blake3::hash(bytes);
        if let Some(r) = self.cache.get(&key) {
            return Ok((r.clone(), true));
        }
        let img = decode(bytes)?;
        let read = Arc::new(self.read_image(&img)?);
        if self.cache.len() >= CACHE_LIMIT {
            self.cache.clear();
        }
        self.cache.insert(key, read.clone());
        Ok((read, false))
    }

    /// Reads a decoded image: OCR lines and how each looks.
    pub fn read_image(&mut self, img: &image::RgbaImage) -> Result<Read, PerceptionError> {
        let t = std::time::Instant::now();
        let lines = self.engine.read(img)?;
        let ocr = t.elapsed();
        let looks = layout::looks(img, &lines);
        tracing::debug!(
            "read {} lines with {} in {:?}, their looks in {:?}",
            lines.len(),
            self.engine.name(),
            ocr,
            t.elapsed() - ocr
        );
        Ok(Read { lines, looks })
    }

    /// Reads one frame: OCR of the screenshot merged with the hierarchy.
    pub fn observe(
        &mut self,
        png: &[u8],
        nodes: &[HierarchyNode],
        words: &Words,
    ) -> Result<Observation, PerceptionError> {
        let (read, _) = self.read_png(png)?;
        Ok(Observation {
            texts: merge_read(&read, nodes, words),
        })
    }
}

/// OCR lines less sure than this are dropped unless they name a control.
pub const MIN_CONFIDENCE: f32 = 50.0;

/// Merges OCR lines and hierarchy nodes into one list of texts, without
/// pixels (every OCR line looks plain). See [`merge_read`].
pub fn merge(lines: &[OcrLine], nodes: &[HierarchyNode], words: &Words) -> Vec<TextItem> {
    merge_read(
        &Read {
            lines: lines.to_vec(),
            looks: vec![Look::default(); lines.len()],
        },
        nodes,
        words,
    )
}

/// Merges OCR lines and hierarchy nodes into one list of texts. Where both
/// saw the same text in the same place the hierarchy's exact text wins.
///
/// A text gets a choice role (agree, refuse …) only as a control: a
/// hierarchy node that is clickable or inside a clickable one; without one,
/// an OCR line inside a button-like region or standing on its own, not the
/// tail of a paragraph. Body text that merely contains 同意 is not a control.
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
            // nothing about what is tappable: the words decide.
            if region.is_none() && !clickable.is_empty() && is_choice_role(role) {
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
    out
}

fn is_choice_role(role: Role) -> bool {
    matches!(
        role,
        Role::Agree | Role::Vague | Role::Refuse | Role::WeakRefuse
    )
}

//! Turns what a device shows into one observation of the screen: OCR lines
//! of the screenshot merged with the view hierarchy's texts, each with the
//! role it plays on a consent screen.

pub mod layout;
pub mod ocr;
pub mod ppocr;
pub mod words;

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

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
}

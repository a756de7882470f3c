//! Turns what a device shows into one observation of the screen: OCR lines
//! of the screenshot merged with the view hierarchy's texts, each with the
//! role it plays on a consent screen.

pub mod ocr;
pub mod words;

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::device::HierarchyNode;
use crate::geom::Rect;
pub use ocr::{OcrEngine, OcrError, OcrLine};
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
    /// For hierarchy texts: whether the node is a checked checkbox.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub checked: Option<bool>,
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
/// the hierarchy. One per worker thread: a tesseract engine is not shared.
pub struct Perceiver {
    engine: OcrEngine,
    cache: HashMap<blake3::Hash, Arc<Vec<OcrLine>>>,
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

impl Perceiver {
    /// A perceiver with its own OCR engine.
    pub fn new() -> Result<Perceiver, OcrError> {
        Ok(Perceiver {
            engine: OcrEngine::new()?,
            cache: HashMap::new(),
        })
    }

    /// OCR lines of a PNG screenshot; the same bytes are read only once.
    pub fn ocr_png(&mut self, png: &[u8]) -> Result<(Arc<Vec<OcrLine>>, bool), PerceptionError> {
        let key = blake3::hash(png);
        if let Some(lines) = self.cache.get(&key) {
            return Ok((lines.clone(), true));
        }
        let img = image::load_from_memory_with_format(png, image::ImageFormat::Png)
            .map_err(|e| PerceptionError::Decode(e.to_string()))?
            .to_rgba8();
        let lines = Arc::new(self.engine.read(&img)?);
        if self.cache.len() >= CACHE_LIMIT {
            self.cache.clear();
        }
        self.cache.insert(key, lines.clone());
        Ok((lines, false))
    }

    /// Reads one frame: OCR of the screenshot merged with the hierarchy.
    pub fn observe(
        &mut self,
        png: &[u8],
        nodes: &[HierarchyNode],
        words: &Words,
    ) -> Result<Observation, PerceptionError> {
        let (lines, _) = self.ocr_png(png)?;
        Ok(Observation {
            texts: merge(&lines, nodes, words),
        })
    }
}

/// OCR lines less sure than this are dropped unless they name a control.
pub const MIN_CONFIDENCE: f32 = 50.0;

/// Merges OCR lines and hierarchy nodes into one list of texts. Where both
/// saw the same text in the same place the hierarchy's exact text wins.
pub fn merge(lines: &[OcrLine], nodes: &[HierarchyNode], words: &Words) -> Vec<TextItem> {
    let mut out: Vec<TextItem> = nodes
        .iter()
        .filter(|n| !n.label().is_empty() && n.bounds.area() > 0)
        .map(|n| TextItem {
            text: n.label().to_string(),
            bounds: n.bounds,
            source: Source::Hierarchy,
            confidence: 100.0,
            role: words.role(n.label()),
            checked: n.checkable.then_some(n.checked),
        })
        .collect();
    for l in lines {
        let role = words.role(&l.text);
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
        if !seen {
            out.push(TextItem {
                text: l.text.clone(),
                bounds: l.bounds,
                source: Source::Ocr,
                confidence: l.confidence,
                role,
                checked: None,
            });
        }
    }
    out.sort_by_key(|t| (t.bounds.y, t.bounds.x));
    out
}

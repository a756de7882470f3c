//! The OCR engine seam ([`OcrEngine`]: an image in, text lines with boxes and
//! confidence out) and the tesseract engine: Debian's libtesseract, Chinese
//! simplified and English, through the `tesseract-rs` binding in
//! system-library mode. The other engine, PP-OCR, is in [`super::ppocr`].
//!
//! Full-frame recognition misses text inside filled buttons (white on blue),
//! so each frame gets one sparse-text page pass plus a pass over every
//! filled region found in the image (buttons, chips), inverted when the fill
//! is darker than its text.

use std::path::{Path, PathBuf};

use image::{GrayImage, RgbaImage};
use tesseract_rs::{TessPageIteratorLevel, TessPageSegMode, TesseractAPI};

use crate::geom::Rect;

/// Languages recognised: Simplified Chinese and English.
pub const LANGUAGES: &str = "chi_sim+eng";

/// Reads the text lines of a screenshot. One engine per worker thread,
/// loaded once and reused for every frame.
pub trait OcrEngine: Send {
    /// The engine's name as `--ocr` spells it.
    fn name(&self) -> &'static str;
    /// Every line of text on the image, with its box and a 0-100 confidence.
    fn read(&mut self, img: &RgbaImage) -> Result<Vec<OcrLine>, OcrError>;
    /// What the engine did so far (work saved, time by stage), for
    /// benchmarks; engines that keep none say `None`.
    fn stats(&self) -> Option<super::ppocr::RecStats> {
        None
    }
}

/// Which OCR engine reads the screens (`--ocr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OcrKind {
    /// PP-OCR text detector and recognizer through ONNX Runtime (the default).
    #[default]
    Ppocr,
    /// Tesseract through libtesseract.
    Tesseract,
}

impl OcrKind {
    /// The names `--ocr` accepts.
    pub const NAMES: [&'static str; 2] = ["ppocr", "tesseract"];

    /// The engine a name means.
    pub fn parse(name: &str) -> Option<OcrKind> {
        match name.trim().to_ascii_lowercase().as_str() {
            "ppocr" | "pp-ocr" | "paddle" => Some(OcrKind::Ppocr),
            "tesseract" => Some(OcrKind::Tesseract),
            _ => None,
        }
    }

    /// The engine `CONSENTRY_OCR` names, else PP-OCR: what runs when
    /// `--ocr` is not given (so a whole test suite can run on either engine).
    pub fn configured() -> OcrKind {
        std::env::var("CONSENTRY_OCR")
            .ok()
            .and_then(|v| OcrKind::parse(&v))
            .unwrap_or_default()
    }

    /// The name `--ocr` spells.
    pub fn as_str(self) -> &'static str {
        match self {
            OcrKind::Ppocr => "ppocr",
            OcrKind::Tesseract => "tesseract",
        }
    }

    /// Checks, before any work, that the engine is installed and loads.
    pub fn check(self) -> Result<(), OcrError> {
        match self {
            OcrKind::Ppocr => super::ppocr::PpOcr::new().map(|_| ()),
            OcrKind::Tesseract => find_tessdata().map(|_| ()),
        }
    }

    /// Loads an engine of this kind.
    pub fn open(self) -> Result<Box<dyn OcrEngine>, OcrError> {
        Ok(match self {
            OcrKind::Ppocr => Box::new(super::ppocr::PpOcr::new()?),
            OcrKind::Tesseract => Box::new(Tesseract::new()?),
        })
    }
}

/// One line of recognised text.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrLine {
    /// The text, with the spaces tesseract puts between Chinese characters removed.
    pub text: String,
    /// Where it is on the screen.
    pub bounds: Rect,
    /// The engine's confidence, 0 to 100.
    pub confidence: f32,
}

/// Why OCR could not run.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    /// A language's trained data is missing.
    #[error("OCR language `{lang}` is not installed (looked in {dirs}): install it with `apt-get install {pkg}` (`scripts/install-deps` installs every package consentry uses), or set TESSDATA_PREFIX to a folder holding {lang}.traineddata")]
    MissingLanguage {
        /// The tesseract language code.
        lang: String,
        /// Its Debian package suffix.
        pkg: String,
        /// Where we looked.
        dirs: String,
    },
    /// A file the engine needs is not installed.
    #[error("{what} is not installed (looked in {path}): {hint}")]
    Missing {
        /// What is missing.
        what: String,
        /// Where we looked.
        path: String,
        /// How to install it.
        hint: String,
    },
    /// The engine's files are there but cannot be loaded.
    #[error("{what}: {hint}")]
    Broken {
        /// What went wrong.
        what: String,
        /// How to install it again.
        hint: String,
    },
    /// The engine failed on an image.
    #[error("OCR failed: {0}")]
    Engine(String),
}

fn tessdata_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Ok(p) = std::env::var("TESSDATA_PREFIX") {
        let p = PathBuf::from(p);
        dirs.push(p.join("tessdata"));
        dirs.push(p);
    }
    for d in [
        "/usr/share/tesseract-ocr/5/tessdata",
        "/usr/share/tesseract-ocr/4.00/tessdata",
        "/usr/share/tessdata",
        "/usr/local/share/tessdata",
    ] {
        dirs.push(PathBuf::from(d));
    }
    dirs
}

/// The Debian package holding a tesseract language's data.
pub fn language_package(lang: &str) -> String {
    format!("tesseract-ocr-{}", lang.replace('_', "-"))
}

/// Finds the folder holding every language of [`LANGUAGES`].
pub fn find_tessdata() -> Result<PathBuf, OcrError> {
    let dirs = tessdata_dirs();
    let langs: Vec<&str> = LANGUAGES.split('+').collect();
    for d in &dirs {
        if langs
            .iter()
            .all(|l| d.join(format!("{l}.traineddata")).is_file())
        {
            return Ok(d.clone());
        }
    }
    let missing = langs
        .iter()
        .find(|l| {
            !dirs
                .iter()
                .any(|d| d.join(format!("{l}.traineddata")).is_file())
        })
        .unwrap_or(&"chi_sim");
    Err(OcrError::MissingLanguage {
        lang: missing.to_string(),
        pkg: language_package(missing),
        dirs: dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// A tesseract engine, started once and reused for every frame (starting
/// one costs a few hundred milliseconds).
pub struct Tesseract {
    api: TesseractAPI,
}

impl OcrEngine for Tesseract {
    fn name(&self) -> &'static str {
        "tesseract"
    }

    fn read(&mut self, img: &RgbaImage) -> Result<Vec<OcrLine>, OcrError> {
        Tesseract::read(self, img)
    }
}

impl Tesseract {
    /// Starts an engine with Chinese and English loaded.
    pub fn new() -> Result<Tesseract, OcrError> {
        let dir = find_tessdata()?;
        Self::with_tessdata(&dir)
    }

    /// Starts an engine with trained data from `dir`.
    pub fn with_tessdata(dir: &Path) -> Result<Tesseract, OcrError> {
        quiet_leptonica();
        let api = TesseractAPI::new();
        api.init(dir, LANGUAGES).map_err(|e| {
            OcrError::Engine(format!(
                "cannot load {LANGUAGES} from {}: {e}",
                dir.display()
            ))
        })?;
        // Tesseract's own chatter ("Detected 15 diacritics") would reach
        // the user's terminal: send it nowhere.
        let _ = api.set_variable("debug_file", "/dev/null");
        Ok(Tesseract { api })
    }

    /// Reads every line of text on a screenshot. A capture under 720 or
    /// over 1280 px wide (a thumbnail, a 1440x3200 phone) is scaled to 1080
    /// first: the models read text of phone-screen size.
    pub fn read(&self, img: &RgbaImage) -> Result<Vec<OcrLine>, OcrError> {
        if img.width() > 0 && (img.width() < 720 || img.width() > 1280) {
            let k = 1080f32 / img.width() as f32;
            let big = image::imageops::resize(
                img,
                1080,
                (img.height() as f32 * k) as u32,
                image::imageops::FilterType::CatmullRom,
            );
            let mut lines = self.read_full(&big)?;
            for l in &mut lines {
                let b = l.bounds;
                l.bounds = Rect::from_corners(
                    (b.x as f32 / k) as i32,
                    (b.y as f32 / k) as i32,
                    (b.right() as f32 / k).ceil() as i32,
                    (b.bottom() as f32 / k).ceil() as i32,
                );
            }
            return Ok(lines);
        }
        self.read_full(img)
    }

    fn read_full(&self, img: &RgbaImage) -> Result<Vec<OcrLine>, OcrError> {
        let gray = image::imageops::grayscale(img);
        let mut lines = self.recognize(&gray, TessPageSegMode::PSM_AUTO, 0, 0)?;
        self.read_regions(img, &gray, &mut lines)?;
        // Half a choice read (an allow without a deny, or the reverse): a
        // sparse pass finds short labels the page layout pass skipped, as on
        // MIUI's bottom sheets. It costs a second page pass, so only then.
        let words = super::Words::default();
        let has =
            |roles: &[super::Role]| lines.iter().any(|l| roles.contains(&words.role(&l.text)));
        let yes = has(&[super::Role::Agree, super::Role::Vague]);
        let no = has(&[super::Role::Refuse, super::Role::WeakRefuse]);
        if yes != no {
            for l in self.recognize(&gray, TessPageSegMode::PSM_SPARSE_TEXT, 0, 0)? {
                if !lines
                    .iter()
                    .any(|p| p.bounds.overlap_of_smaller(&l.bounds) > 0.5)
                {
                    lines.push(l);
                }
            }
        }
        lines.sort_by_key(|l| (l.bounds.y, l.bounds.x));
        Ok(lines)
    }

    fn read_regions(
        &self,
        img: &RgbaImage,
        gray: &GrayImage,
        lines: &mut Vec<OcrLine>,
    ) -> Result<(), OcrError> {
        for (region, dark) in filled_regions(img) {
            let mut crop = image::imageops::crop_imm(
                gray,
                region.x as u32,
                region.y as u32,
                region.w as u32,
                region.h as u32,
            )
            .to_image();
            if dark {
                image::imageops::invert(&mut crop);
            }
            // A button-high region holds one line; a taller one (rows of a
            // list dialog) several. Single-line mode reads short labels on
            // filled buttons best; sparse mode takes over where it finds
            // nothing it is sure of.
            let mut found = Vec::new();
            if region.h <= 160 {
                found =
                    self.recognize(&crop, TessPageSegMode::PSM_SINGLE_LINE, region.x, region.y)?;
                found.retain(|l| l.confidence >= 60.0);
            }
            if found.is_empty() {
                found =
                    self.recognize(&crop, TessPageSegMode::PSM_SPARSE_TEXT, region.x, region.y)?;
            }
            for l in found {
                // Keep a region's reading unless the page pass already read the
                // same text in the same place.
                let dup = lines.iter().any(|p: &OcrLine| {
                    p.bounds.overlap_of_smaller(&l.bounds) > 0.5 && p.text == l.text
                });
                if !dup {
                    lines.retain(|p| {
                        !(p.bounds.overlap_of_smaller(&l.bounds) > 0.5
                            && p.confidence < l.confidence)
                    });
                    lines.push(l);
                }
            }
        }
        Ok(())
    }

    fn recognize(
        &self,
        gray: &GrayImage,
        mode: TessPageSegMode,
        dx: i32,
        dy: i32,
    ) -> Result<Vec<OcrLine>, OcrError> {
        let e = |e: tesseract_rs::TesseractError| OcrError::Engine(format!("tesseract: {e}"));
        let (w, h) = gray.dimensions();
        if w < 8 || h < 8 {
            return Ok(Vec::new());
        }
        self.api.set_page_seg_mode(mode).map_err(e)?;
        self.api
            .set_image(gray.as_raw(), w as i32, h as i32, 1, w as i32)
            .map_err(e)?;
        self.api.set_source_resolution(300).map_err(e)?;
        self.api.recognize().map_err(e)?;
        let mut out = Vec::new();
        let Ok(it) = self.api.get_iterator() else {
            return Ok(out); // nothing recognised
        };
        let level = TessPageIteratorLevel::RIL_TEXTLINE;
        loop {
            if let (Ok(text), Ok((x1, y1, x2, y2)), Ok(conf)) = (
                it.get_utf8_text(level),
                it.get_bounding_box(level),
                it.confidence(level),
            ) {
                let text = clean_text(&text);
                if !text.is_empty() {
                    out.push(OcrLine {
                        text,
                        bounds: Rect::from_corners(x1 + dx, y1 + dy, x2 + dx, y2 + dy),
                        confidence: conf,
                    });
                }
            }
            if !it.next(level).unwrap_or(false) {
                break;
            }
        }
        Ok(out)
    }
}

#[link(name = "lept")]
unsafe extern "C" {
    /// Leptonica's message threshold (L_SEVERITY_NONE = 6 prints nothing).
    fn setMsgSeverity(newsev: std::os::raw::c_int) -> std::os::raw::c_int;
}

/// Leptonica reports harmless box clipping on some crops as errors on
/// stderr; consentry reads results, not those messages.
fn quiet_leptonica() {
    // SAFETY: sets a process-wide integer threshold; no pointers involved.
    unsafe {
        setMsgSeverity(6);
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Removes the spaces tesseract puts between Chinese characters and trims.
pub fn clean_text(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = out.chars().last();
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            let keep = match (prev, next) {
                (Some(p), Some(n)) => !(is_cjk(p) || is_cjk(*n)),
                _ => false,
            };
            if keep && !prev.is_some_and(char::is_whitespace) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn close(a: [u8; 4], b: [u8; 4]) -> bool {
    (0..3).all(|i| a[i].abs_diff(b[i]) <= 10)
}

fn luminance(p: [u8; 4]) -> u32 {
    (p[0] as u32 * 299 + p[1] as u32 * 587 + p[2] as u32 * 114) / 1000
}

/// Finds filled rectangles (buttons, chips) whose fill differs from what
/// surrounds them. Returns each with whether its fill is dark (so its text
/// is light and the crop must be inverted for tesseract).
pub fn filled_regions(img: &RgbaImage) -> Vec<(Rect, bool)> {
    let (w, h) = (img.width() as i32, img.height() as i32);
    // Sizes are those of a 1080 px wide screen, scaled for smaller captures.
    let k = |v: i32| ((v as f32 * (w as f32 / 1080.0).min(1.0)).round() as i32).max(1);
    let min_w = k(120);
    let raw = img.as_raw();
    // Every pixel is looked at: index the buffer directly.
    let px = |x: i32, y: i32| {
        let i = (y as usize * w as usize + x as usize) * 4;
        [raw[i], raw[i + 1], raw[i + 2], raw[i + 3]]
    };
    // An open candidate: fill colour, x-span, first row.
    struct Open {
        color: [u8; 4],
        x1: i32,
        x2: i32,
        y1: i32,
        seen: bool,
    }
    let mut open: Vec<Open> = Vec::new();
    let mut done: Vec<(Rect, [u8; 4])> = Vec::new();
    for y in 0..h {
        // Runs of one colour on this row. Most pixels of a run are exactly
        // its first: compared as one word before the tolerance.
        let row = &raw[y as usize * w as usize * 4..(y as usize + 1) * w as usize * 4];
        let word = |x: i32| {
            let i = x as usize * 4;
            u32::from_ne_bytes([row[i], row[i + 1], row[i + 2], row[i + 3]])
        };
        let mut runs = Vec::new();
        let mut x = 0;
        while x < w {
            let c = px(x, y);
            let cw = word(x);
            let mut e = x + 1;
            while e < w && (word(e) == cw || close(px(e, y), c)) {
                e += 1;
            }
            if e - x >= min_w {
                runs.push((c, x, e));
            }
            x = e;
        }
        for o in &mut open {
            o.seen = false;
            // Continued by a whole run, or by a row of text whose edges keep the fill.
            let by_run = runs.iter().any(|(c, x1, x2)| {
                close(*c, o.color) && (x1 - o.x1).abs() <= 3 && (x2 - o.x2).abs() <= 3
            });
            let by_edges = close(px(o.x1 + 2, y), o.color) && close(px(o.x2 - 3, y), o.color);
            o.seen = by_run || by_edges;
        }
        let (keep, closed): (Vec<_>, Vec<_>) = open.into_iter().partition(|o| o.seen);
        open = keep;
        for o in closed {
            done.push((Rect::from_corners(o.x1, o.y1, o.x2, y), o.color));
        }
        for (c, x1, x2) in runs {
            if !open
                .iter()
                .any(|o| close(o.color, c) && (x1 - o.x1).abs() <= 3 && (x2 - o.x2).abs() <= 3)
            {
                open.push(Open {
                    color: c,
                    x1,
                    x2,
                    y1: y,
                    seen: true,
                });
            }
        }
    }
    for o in open {
        done.push((Rect::from_corners(o.x1, o.y1, o.x2, h), o.color));
    }
    done.into_iter()
        .filter(|(r, color)| {
            if r.h < k(50) || r.h > k(320) || r.w < min_w || r.y < 1 || r.bottom() >= h {
                return false;
            }
            // A fill that differs from just above and below it, and that holds
            // something (text) that is not the fill.
            let (xc, yc) = r.center();
            let outside = [
                (xc, r.y - 1),
                (xc, r.bottom()),
                (r.x - 2, yc),
                (r.right() + 1, yc),
            ];
            let differs = outside
                .iter()
                .filter(|(x, y)| (0..w).contains(x) && (0..h).contains(y))
                .any(|(x, y)| !close(px(*x, *y), *color));
            // Something inside that is not the fill: text. Rows are sampled
            // through the whole height (a divider can sit at the middle).
            let ink = (r.y + k(4)..r.bottom() - k(4))
                .step_by(k(6) as usize)
                .any(|y| {
                    (r.x + k(8)..r.right() - k(8))
                        .step_by(k(2) as usize)
                        .filter(|&x| !close(px(x, y), *color))
                        .count()
                        >= 3
                });
            differs && ink
        })
        .map(|(r, color)| (r, luminance(color) < 140))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_between_chinese_are_removed() {
        assert_eq!(clean_text("同 意 并 继续"), "同意并继续");
        assert_eq!(clean_text("Privacy  Policy 隐 私"), "Privacy Policy隐私");
        assert_eq!(clean_text(" 不同意\n"), "不同意");
    }
}

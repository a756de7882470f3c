//! PP-OCR: PaddleOCR's mobile text detector (DB) and recognizer (CTC), v4,
//! in ONNX form, run single-threaded through ONNX Runtime (`ort`, loaded at
//! run time from the library `scripts/install-deps` fetches).
//!
//! Speed comes from the design, not from tuning: the detector sees the frame
//! downscaled to [`DET_SIDE`] px on its long side, and only the bands of it
//! that hold something (rows of one colour hold no text); a band seen
//! before (same pixels, same place) gives its boxes from a cache; each
//! detected line is recognised from a crop fitted to its ink, a long one in
//! pieces split at its wide gaps, a long Chinese piece squeezed first; each
//! piece once per engine (one seen before, by its pixels, is answered from
//! a cache). Every cache is keyed by exact pixels and every choice is made
//! from a crop's own pixels, so a frame reads the same whatever the engine
//! saw before it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use image::imageops::{self, FilterType};
use image::RgbaImage;
use ort::environment::Environment;
use ort::session::Session;
use ort::value::Tensor;

use super::ocr::{OcrEngine, OcrError, OcrLine};
use crate::geom::Rect;

/// The ONNX Runtime library file, from the `onnxruntime==1.32.0` wheel.
pub const RUNTIME_LIB: &str = "libonnxruntime.so.1.32.0";
/// The detector model, from the `rapidocr-onnxruntime==1.4.4` wheel.
pub const DET_MODEL: &str = "ch_PP-OCRv4_det_infer.onnx";
/// The recognizer model (its character list is in its metadata).
pub const REC_MODEL: &str = "ch_PP-OCRv4_rec_infer.onnx";
/// The PP-OCRv6 small detector, from the `rapidocr==3.10.0` wheel, used
/// with `CONSENTRY_OCR_MODELS=v6`.
pub const DET_MODEL_V6: &str = "PP-OCRv6_det_small.onnx";
/// The PP-OCRv6 small recognizer (its character list is in its metadata).
pub const REC_MODEL_V6: &str = "PP-OCRv6_rec_small.onnx";
/// The variable naming the folder that holds the three files.
pub const DIR_VAR: &str = "CONSENTRY_OCR_DIR";
/// The variable choosing the models: `v4` (the default) or `v6`.
pub const MODELS_VAR: &str = "CONSENTRY_OCR_MODELS";

/// The detector and recognizer files of the chosen models. PP-OCRv4 mobile
/// is the default: on the real screenshots the v6 small models read the
/// same labelled controls (83 of 87 either way) and more of the other
/// text, at 12 to 19% more time per frame and 18 MB more memory
/// (README, "How OCR is done").
pub fn model_files() -> Result<(&'static str, &'static str), OcrError> {
    match std::env::var(MODELS_VAR).as_deref() {
        Err(_) | Ok("") | Ok("v4") => Ok((DET_MODEL, REC_MODEL)),
        Ok("v6") => Ok((DET_MODEL_V6, REC_MODEL_V6)),
        Ok(other) => Err(OcrError::Broken {
            what: format!("{MODELS_VAR}={other} names no PP-OCR models: use v4 or v6"),
            hint: INSTALL_HINT.into(),
        }),
    }
}
/// The command that installs them.
pub const INSTALL_HINT: &str = "run `scripts/install-deps` (it downloads them into ${XDG_DATA_HOME:-~/.local/share}/consentry/ppocr), set CONSENTRY_OCR_DIR to a folder holding them, or use `--ocr tesseract`";

/// Long side of the frame the detector sees.
pub const DET_SIDE: u32 = 736;
/// Rows of blank kept around a band's content, in the detector's rows (about
/// 50 px of a 1080x2400 frame): the detector sees a line's surroundings.
const BAND_MARGIN: u32 = 16;
/// How far a pixel may be from its row's first pixel in a blank row.
const BLANK_TOLERANCE: u8 = 12;
/// Pixels of the detector's map above this are text.
const DB_THRESH: f32 = 0.3;
/// A detected box whose mean probability is under this is dropped.
const BOX_THRESH: f32 = 0.5;
/// How far a box is grown back around its shrunk text kernel.
const UNCLIP: f32 = 1.6;
/// Height of the recognizer's input.
const REC_H: u32 = 48;
/// Recognised lines less sure than this are dropped.
const MIN_SCORE: f32 = 0.5;
/// Recognised pieces of lines kept per engine before the cache starts again.
const CACHE_LIMIT: usize = 8192;
/// Bands' boxes kept per engine before that cache starts again.
const BAND_CACHE_LIMIT: usize = 1024;

/// The folder holding the runtime and the models: `CONSENTRY_OCR_DIR`, else
/// `$XDG_DATA_HOME/consentry/ppocr`, else `~/.local/share/consentry/ppocr`.
pub fn model_dir() -> PathBuf {
    if let Some(d) = std::env::var_os(DIR_VAR).filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from(".local/share"));
    data.join("consentry/ppocr")
}

/// Checks that the runtime and both models are where consentry looks.
pub fn check() -> Result<PathBuf, OcrError> {
    let dir = model_dir();
    let (det, rec) = model_files()?;
    for f in [RUNTIME_LIB, det, rec] {
        if !dir.join(f).is_file() {
            return Err(OcrError::Missing {
                what: format!("PP-OCR file {f}"),
                path: dir.display().to_string(),
                hint: INSTALL_HINT.into(),
            });
        }
    }
    Ok(dir)
}

/// ONNX Runtime allows one environment per process: every engine shares it.
fn environment(lib: &Path) -> Result<Environment, OcrError> {
    static ENV: OnceLock<Result<Environment, String>> = OnceLock::new();
    ENV.get_or_init(|| {
        ort::init_from(lib)
            .map_err(|e| {
                format!(
                    "cannot load the ONNX Runtime library {}: {e}",
                    lib.display()
                )
            })?
            .with_name("consentry")
            .with_telemetry(false)
            .build()
            .map_err(|e| format!("cannot start ONNX Runtime: {e}"))
    })
    .clone()
    .map_err(|e| OcrError::Broken {
        what: e,
        hint: INSTALL_HINT.into(),
    })
}

fn session(env: &Environment, model: &Path) -> Result<Session, OcrError> {
    let broken = |e: String| OcrError::Broken {
        what: format!("cannot load the model {}: {e}", model.display()),
        hint: INSTALL_HINT.into(),
    };
    // One thread per session: consentry runs one engine per worker, a worker
    // per core.
    Session::builder(env)
        .map_err(|e| broken(e.to_string()))?
        .with_intra_threads(1)
        .map_err(|e| broken(e.to_string()))?
        .with_inter_threads(1)
        .map_err(|e| broken(e.to_string()))?
        .commit_from_file(model)
        .map_err(|e| broken(e.to_string()))
}

/// A PP-OCR engine: a detector and a recognizer session, and the pieces of
/// lines it has recognised so far by their pixels.
pub struct PpOcr {
    det: Session,
    rec: Session,
    /// Index 0 is the CTC blank; the last is a space.
    chars: Vec<String>,
    cache: HashMap<blake3::Hash, Piece>,
    /// The boxes found in each band seen, by the band's pixels and place.
    band_cache: HashMap<blake3::Hash, Vec<Rect>>,
    /// Crops recognised and crops answered from the cache, for benchmarks.
    pub stats: RecStats,
}

/// How many pieces of lines went through the recognizer and how many came
/// from its cache, and where an engine's time went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecStats {
    /// Pieces run through the recognizer.
    pub recognised: u64,
    /// Pieces answered from the cache.
    pub cached: u64,
    /// Time in the detector (its input, the network, the boxes).
    pub det_time: std::time::Duration,
    /// Of which in the detector's network.
    pub det_net: std::time::Duration,
    /// Time in the recognizer (crops, resizing, the network, decoding).
    pub rec_time: std::time::Duration,
    /// Bands with content in the frames (the detector ran on those not cached).
    pub bands: u64,
    /// Bands answered from the cache of bands seen before.
    pub bands_cached: u64,
    /// Detector rows it ran on.
    pub det_rows: u64,
    /// Detector rows of the frames (what it would have run on whole).
    pub frame_rows: u64,
    /// Long pieces read squeezed first.
    pub squeezed: u64,
    /// Of which read again at full width (not sure, or not all Chinese).
    pub squeeze_retried: u64,
}

impl PpOcr {
    /// Loads the runtime and the models from [`model_dir`].
    pub fn new() -> Result<PpOcr, OcrError> {
        let dir = check()?;
        Self::from_dir(&dir)
    }

    /// Loads the runtime and the models from `dir`.
    pub fn from_dir(dir: &Path) -> Result<PpOcr, OcrError> {
        let env = environment(&dir.join(RUNTIME_LIB))?;
        let (det_file, rec_file) = model_files()?;
        let det = session(&env, &dir.join(det_file))?;
        let rec = session(&env, &dir.join(rec_file))?;
        let list = rec
            .metadata()
            .ok()
            .and_then(|m| m.custom("character"))
            .ok_or_else(|| OcrError::Broken {
                what: format!(
                    "the recognizer {} has no character list in its metadata",
                    dir.join(rec_file).display()
                ),
                hint: INSTALL_HINT.into(),
            })?;
        let mut chars = vec![String::new()];
        chars.extend(list.lines().map(str::to_string));
        chars.push(" ".into());
        Ok(PpOcr {
            det,
            rec,
            chars,
            cache: HashMap::new(),
            band_cache: HashMap::new(),
            stats: RecStats::default(),
        })
    }

    /// Forgets every recognised line (the next frame is read as the first).
    pub fn forget(&mut self) {
        self.cache.clear();
        self.band_cache.clear();
    }

    /// The text line boxes the detector finds, in screen coordinates.
    ///
    /// The detector runs only on the bands of the frame that hold something:
    /// rows of one colour (the blank below a list, a dialog's scrim, a
    /// page's margins) cannot hold text. Each band keeps [`BAND_MARGIN`]
    /// rows of blank around what it holds, so the detector sees a line's
    /// surroundings; the cost follows the frame's content, not its size.
    /// Which bands a frame has depends on that frame alone, so a frame is
    /// read the same whatever came before it.
    pub fn detect(&mut self, img: &RgbaImage) -> Result<Vec<Rect>, OcrError> {
        let (w, h) = img.dimensions();
        if w < 8 || h < 8 {
            return Ok(Vec::new());
        }
        let t0 = std::time::Instant::now();
        let k = DET_SIDE as f32 / w.max(h) as f32;
        let round32 = |v: u32| (((v as f32 * k) / 32.0).round() as u32).max(1) * 32;
        let (dw, dh) = (round32(w), round32(h));
        let bands = content_bands(img, dh);
        self.stats.bands += bands.len() as u64;
        self.stats.frame_rows += u64::from(dh);
        let (sx, sy) = (w as f32 / dw as f32, h as f32 / dh as f32);
        let mut out: Vec<Rect> = Vec::new();
        for (r0, r1) in bands {
            // A band whose pixels were seen before, at the same place of a
            // frame of the same size, gives the same boxes: a dialog
            // appearing leaves the bands above and below it as they were.
            let (y0, y1) = (
                span(r0 as usize, dh as usize, h as usize).0,
                span(r1 as usize - 1, dh as usize, h as usize).1,
            );
            let mut hasher = blake3::Hasher::new();
            for v in [w, h, r0, r1] {
                hasher.update(&v.to_le_bytes());
            }
            hasher.update(&img.as_raw()[y0 * w as usize * 4..y1 * w as usize * 4]);
            let key = hasher.finalize();
            if let Some(boxes) = self.band_cache.get(&key) {
                self.stats.bands_cached += 1;
                out.extend(boxes.iter().copied());
                continue;
            }
            self.stats.det_rows += u64::from(r1 - r0);
            let first = out.len();
            let bh = r1 - r0;
            let n = (dw * bh) as usize;
            let data = det_input(img, dw, dh, r0, r1);
            let engine = |e: ort::Error| OcrError::Engine(format!("text detector: {e}"));
            let input = Tensor::from_array(([1usize, 3, bh as usize, dw as usize], data))
                .map_err(engine)?;
            let t1 = std::time::Instant::now();
            let res = self.det.run(ort::inputs![input]).map_err(engine)?;
            self.stats.det_net += t1.elapsed();
            let Some(map) = res.values().next() else {
                continue;
            };
            let (_, prob) = map.try_extract_tensor::<f32>().map_err(engine)?;
            if prob.len() != n {
                return Err(OcrError::Engine(format!(
                    "text detector: a map of {} values for a {dw}x{bh} input",
                    prob.len()
                )));
            }
            out.extend(
                db_boxes(prob, dw as usize, bh as usize)
                    .into_iter()
                    .map(|(x1, y1, x2, y2)| {
                        let (y1, y2) = (y1 + r0 as f32, y2 + r0 as f32);
                        Rect::from_corners(
                            ((x1 * sx).floor() as i32).clamp(0, w as i32),
                            ((y1 * sy).floor() as i32).clamp(0, h as i32),
                            ((x2 * sx).ceil() as i32).clamp(0, w as i32),
                            ((y2 * sy).ceil() as i32).clamp(0, h as i32),
                        )
                    })
                    .filter(|r| r.w >= 4 && r.h >= 4),
            );
            if self.band_cache.len() >= BAND_CACHE_LIMIT {
                self.band_cache.clear();
            }
            self.band_cache.insert(key, out[first..].to_vec());
        }
        out.sort_by_key(|r| (r.y, r.x));
        self.stats.det_time += t0.elapsed();
        Ok(out)
    }

    /// Recognises one line crop: its text and mean character probability,
    /// or `None` when nothing sure was read.
    ///
    /// A wide line is read in pieces split at its wide gaps ([`pieces`]):
    /// the recognizer's cost per pixel of input grows with the input's
    /// width (past about 300 px its working set leaves the cache), so a
    /// line read in pieces of about [`PIECE_W`] costs less, and a piece is
    /// a run of whole characters with blank on both sides, as a short line
    /// is. A piece seen before (by its pixels) is not run again.
    pub fn recognise(&mut self, crop: &RgbaImage) -> Result<Option<(String, f32)>, OcrError> {
        let (w, h) = crop.dimensions();
        if w == 0 || h == 0 {
            return Ok(None);
        }
        let spans = pieces(crop);
        let mut text = String::new();
        let (mut sum, mut count) = (0f32, 0usize);
        for &(x0, x1) in &spans {
            let piece = if spans.len() == 1 {
                self.piece(crop)?
            } else {
                self.piece(&imageops::crop_imm(crop, x0, 0, x1 - x0, h).to_image())?
            };
            let t = piece.text.trim();
            if t.is_empty() {
                continue;
            }
            // Pieces meet at a gap as wide as half the text's height: a
            // space between words of Latin script, nothing in Chinese.
            let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_graphic());
            if latin(text.chars().last()) && latin(t.chars().next()) {
                text.push(' ');
            }
            text.push_str(t);
            sum += piece.sum;
            count += piece.count;
        }
        if count == 0 || text.is_empty() {
            return Ok(None);
        }
        let score = sum / count as f32;
        Ok((score >= MIN_SCORE).then_some((text, score)))
    }

    /// One piece of a line through the recognizer, or from the cache.
    fn piece(&mut self, crop: &RgbaImage) -> Result<Piece, OcrError> {
        let mut hasher = blake3::Hasher::new();
        hasher.update(&crop.width().to_le_bytes());
        hasher.update(&crop.height().to_le_bytes());
        hasher.update(crop.as_raw());
        let key = hasher.finalize();
        if let Some(hit) = self.cache.get(&key) {
            self.stats.cached += 1;
            return Ok(hit.clone());
        }
        let t = std::time::Instant::now();
        // A long piece is read squeezed first: its Chinese text reads the
        // same at 0.6 of the width, for less than half the cost.
        let wide = REC_H as f32 * crop.width() as f32 / crop.height() as f32;
        let mut found = None;
        if wide >= SQUEEZE_FROM {
            let p = self.run_rec(crop, SQUEEZE)?;
            self.stats.squeezed += 1;
            if p.sure_chinese() {
                found = Some(p);
            } else {
                self.stats.squeeze_retried += 1;
            }
        }
        let found = match found {
            Some(p) => p,
            None => self.run_rec(crop, 1.0)?,
        };
        self.stats.rec_time += t.elapsed();
        self.stats.recognised += 1;
        if self.cache.len() >= CACHE_LIMIT {
            self.cache.clear();
        }
        self.cache.insert(key, found.clone());
        Ok(found)
    }

    /// The recognizer on a crop scaled to its height, `squeeze` times as
    /// wide as that scale makes it.
    fn run_rec(&mut self, crop: &RgbaImage, squeeze: f32) -> Result<Piece, OcrError> {
        let (w, h) = crop.dimensions();
        let rw = ((squeeze * REC_H as f32 * w as f32 / h as f32).ceil() as u32).clamp(16, 3200);
        let img = imageops::resize(crop, rw, REC_H, FilterType::Triangle);
        let n = (rw * REC_H) as usize;
        let mut data = vec![0f32; 3 * n];
        for (i, p) in img.pixels().enumerate() {
            for c in 0..3 {
                data[c * n + i] = (p.0[2 - c] as f32 / 255.0 - 0.5) / 0.5;
            }
        }
        let engine = |e: ort::Error| OcrError::Engine(format!("text recognizer: {e}"));
        let input =
            Tensor::from_array(([1usize, 3, REC_H as usize, rw as usize], data)).map_err(engine)?;
        let out = self.rec.run(ort::inputs![input]).map_err(engine)?;
        let mut piece = Piece {
            text: String::new(),
            sum: 0.0,
            count: 0,
            least: 1.0,
        };
        let Some(v) = out.values().next() else {
            return Ok(piece);
        };
        let (shape, probs) = v.try_extract_tensor::<f32>().map_err(engine)?;
        let classes = shape.last().copied().unwrap_or(0).max(0) as usize;
        if classes == 0 || classes != self.chars.len() {
            return Err(OcrError::Engine(format!(
                "text recognizer: {classes} classes for a list of {} characters",
                self.chars.len()
            )));
        }
        // Greedy CTC: the best class per step, repeats and blanks dropped.
        let mut prev = 0usize;
        for step in probs.chunks_exact(classes) {
            let (best, p) =
                step.iter()
                    .enumerate()
                    .fold((0, f32::MIN), |b, (i, &p)| if p > b.1 { (i, p) } else { b });
            if best != 0 && best != prev {
                piece.text.push_str(&self.chars[best]);
                piece.sum += p;
                piece.count += 1;
                piece.least = piece.least.min(p);
            }
            prev = best;
        }
        Ok(piece)
    }
}

/// What the recognizer read in one piece of a line: its characters and the
/// sum of their probabilities.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    sum: f32,
    count: usize,
    /// The least sure character's probability.
    least: f32,
}

impl Piece {
    /// Read surely, and all in Chinese script and punctuation: no Latin
    /// letter or digit, which squeezing could merge.
    fn sure_chinese(&self) -> bool {
        let t = self.text.trim();
        !t.is_empty()
            && !t.chars().any(|c| c.is_ascii_alphanumeric())
            && self.least >= 0.5
            && self.sum >= 0.9 * self.count as f32
    }
}

/// How much narrower a long piece is read first ([`PpOcr::recognise`]).
///
/// PP-OCR's recognizer was trained on lines resized to 320 px wide whatever
/// their length, so long lines of Chinese were squeezed in training; read
/// at 0.6 of its width, such a line reads the same (on the examples' frames
/// and the real screenshots, every squeezed read kept was the full-width
/// read) at under half the cost. Latin letters and digits are narrower and
/// need the full width: a squeezed read is kept only when it is all Chinese
/// script and punctuation, each character's probability at least 0.5 and
/// their mean at least 0.9; else the piece is read again at full width.
pub const SQUEEZE: f32 = 0.6;
/// Pieces at least this wide at the recognizer's height (about 5 Chinese
/// characters or more) are read squeezed first; on shorter ones the
/// recognizer's fixed cost per call is most of it.
pub const SQUEEZE_FROM: f32 = 200.0;

/// Width of the recognizer's input, in its pixels, that a wide line is
/// split towards.
pub const PIECE_W: u32 = 320;

/// Where a line crop is split for the recognizer: spans of columns
/// `[x0, x1)`, the whole crop when it is at most 1.25 [`PIECE_W`] wide (at
/// the recognizer's height) or has no wide gap. A split falls in the middle
/// of a gap of blank columns at least half as wide as the ink is high: such
/// gaps are between words, or after a full-width comma or stop; the gaps
/// between Chinese characters, and inside one (八, 川), are under a third of
/// it. Each piece is at least twice the ink's height wide, and as close to
/// [`PIECE_W`] as the gaps allow.
pub fn pieces(crop: &RgbaImage) -> Vec<(u32, u32)> {
    let (w, h) = crop.dimensions();
    let whole = vec![(0, w)];
    let scale = REC_H as f32 / h.max(1) as f32;
    let target = PIECE_W as f32 / scale;
    if (w as f32) <= target * 1.25 || h < 8 {
        return whole;
    }
    let Some(rule) = InkRule::of(crop, Rect::new(0, 0, w as i32, h as i32)) else {
        return whole;
    };
    let (w, h) = (w as i32, h as i32);
    // Which columns hold ink, and the rows the ink spans, in one pass.
    let mut cols = vec![false; w as usize];
    let (mut top, mut bottom) = (h, -1);
    for y in 0..h {
        for (x, col) in cols.iter_mut().enumerate() {
            if rule.ink(crop, x as i32, y) {
                *col = true;
                top = top.min(y);
                bottom = bottom.max(y);
            }
        }
    }
    let (Some(first), Some(last)) = (cols.iter().position(|&c| c), cols.iter().rposition(|&c| c))
    else {
        return whole;
    };
    let ink_h = bottom - top + 1;
    // Middles of the wide gaps, in order.
    let mut cuts: Vec<i32> = Vec::new();
    let mut run = 0;
    for (x, &ink) in cols.iter().enumerate().take(last + 1).skip(first) {
        if ink {
            if run * 2 >= ink_h {
                cuts.push(x as i32 - run / 2);
            }
            run = 0;
        } else {
            run += 1;
        }
    }
    let min = 2 * ink_h;
    let mut out = Vec::new();
    let mut start = 0;
    loop {
        if (w - start) as f32 <= target * 1.25 {
            break;
        }
        let ok = cuts
            .iter()
            .copied()
            .filter(|&c| c >= start + min && c <= w - min);
        let pick = ok
            .clone()
            .rfind(|&c| c as f32 <= start as f32 + target)
            .or_else(|| ok.clone().next());
        let Some(c) = pick else { break };
        out.push((start as u32, c as u32));
        start = c;
    }
    out.push((start as u32, w as u32));
    out
}

impl OcrEngine for PpOcr {
    fn name(&self) -> &'static str {
        "ppocr"
    }

    fn stats(&self) -> Option<RecStats> {
        Some(self.stats)
    }

    fn read(&mut self, img: &RgbaImage) -> Result<Vec<OcrLine>, OcrError> {
        let t = std::time::Instant::now();
        let boxes = self.detect(img)?;
        let before = self.stats;
        tracing::debug!("detected {} lines in {:?}", boxes.len(), t.elapsed());
        let mut lines = Vec::with_capacity(boxes.len());
        for b in boxes {
            // A checkbox or icon the detector joined to its label is not
            // text: the label is read on its own, as the layout expects.
            let b = match leading_box(img, b) {
                Some(text_x) => Rect::from_corners(text_x, b.y, b.right(), b.bottom()),
                None => b,
            };
            let c = line_crop(img, b);
            let crop =
                imageops::crop_imm(img, c.x as u32, c.y as u32, c.w as u32, c.h as u32).to_image();
            if let Some((text, score)) = self.recognise(&crop)? {
                lines.push(OcrLine {
                    text,
                    bounds: b,
                    confidence: score * 100.0,
                });
            }
        }
        tracing::debug!(
            "recognised {} crops, {} from the cache, in {:?} in all",
            self.stats.recognised - before.recognised,
            self.stats.cached - before.cached,
            t.elapsed()
        );
        Ok(lines)
    }
}

/// The crop a detected line is recognised from: the ink of the detector's
/// box, grown to the ink that touches it just outside the box, then a
/// margin of a quarter of the ink's height all round. The detector's box for
/// the same line moves by a few pixels from frame to frame (it sees a
/// downscaled frame) and may clip a faint row or column of it; the ink does
/// not move, so the same line gives the same crop, and the recognizer's
/// cache answers it. Ink is what differs from the box's border colour by
/// more than a quarter of the largest difference in the box (so dimmed text
/// counts). A box whose ink is much lower than the box (a dash, dots) keeps
/// its rows.
pub fn line_crop(img: &RgbaImage, b: Rect) -> Rect {
    let full = Rect::new(0, 0, img.width() as i32, img.height() as i32);
    let b = b.intersect(&full);
    if b.w < 4 || b.h < 4 {
        return b;
    }
    let Some(rule) = InkRule::of(img, b) else {
        return b;
    };
    let (mut x1, mut y1, mut x2, mut y2) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
    for y in b.y..b.bottom() {
        for x in b.x..b.right() {
            if rule.ink(img, x, y) {
                x1 = x1.min(x);
                x2 = x2.max(x);
                y1 = y1.min(y);
                y2 = y2.max(y);
            }
        }
    }
    if x1 > x2 {
        return b;
    }
    if (y2 - y1 + 1) * 2 < b.h {
        (y1, y2) = (b.y, b.bottom() - 1);
    } else {
        // Grow over ink that touches the ink's box from outside the
        // detector's box: a few pixels at most (its jitter).
        let reach = Rect::from_corners(
            b.x - (b.h / 8).max(3),
            b.y - (b.h / 8).max(3),
            b.right() + (b.h / 8).max(3),
            b.bottom() + (b.h / 8).max(3),
        )
        .intersect(&full);
        let row = |y: i32, x1: i32, x2: i32| (x1..=x2).any(|x| rule.ink(img, x, y));
        let col = |x: i32, y1: i32, y2: i32| (y1..=y2).any(|y| rule.ink(img, x, y));
        loop {
            let before = (x1, y1, x2, y2);
            if y1 > reach.y && row(y1 - 1, x1, x2) {
                y1 -= 1;
            }
            if y2 + 1 < reach.bottom() && row(y2 + 1, x1, x2) {
                y2 += 1;
            }
            if x1 > reach.x && col(x1 - 1, y1, y2) {
                x1 -= 1;
            }
            if x2 + 1 < reach.right() && col(x2 + 1, y1, y2) {
                x2 += 1;
            }
            if (x1, y1, x2, y2) == before {
                break;
            }
        }
    }
    let m = ((y2 - y1 + 1) as f32 * 0.25).round() as i32;
    Rect::from_corners(x1 - m, y1 - m, x2 + 1 + m, y2 + 1 + m).intersect(&full)
}

/// Where the text starts when a detected line begins with a square mark
/// standing apart from it (a checkbox, ticked or not, or a round one; an
/// icon): a blob about as tall as the text, about as wide as tall, mostly
/// ink along its outline, then a gap of at least 0.4 of the text's height. The
/// detector, seeing a band of the frame, sometimes joins such a mark to its
/// label; the label is then read without it, and the mark is left to the
/// layout (`checkbox_left_of`). `None` when the line starts with text.
pub fn leading_box(img: &RgbaImage, b: Rect) -> Option<i32> {
    let b = b.intersect(&Rect::new(0, 0, img.width() as i32, img.height() as i32));
    if b.w < 8 || b.h < 8 {
        return None;
    }
    let ink = ink_mask(img, b)?;
    let (w, h) = (b.w as usize, b.h as usize);
    let at = |x: usize, y: usize| ink[y * w + x];
    let col = |x: usize| (0..h).any(|y| at(x, y));
    // The first run of ink columns, and where the next begins.
    let x1 = (0..w).find(|&x| col(x))?;
    let x2 = (x1..w).find(|&x| !col(x))?; // exclusive
    let next = (x2..w).find(|&x| col(x))?;
    let ys: Vec<usize> = (0..h).filter(|&y| (x1..x2).any(|x| at(x, y))).collect();
    let (y1, y2) = (*ys.first()?, *ys.last()? + 1);
    let (bw, bh) = ((x2 - x1) as i32, (y2 - y1) as i32);
    // The rest of the line's ink height: the mark is about as tall.
    let rest: Vec<usize> = (0..h).filter(|&y| (next..w).any(|x| at(x, y))).collect();
    let th = (*rest.last()? - *rest.first()? + 1) as i32;
    let square = bw * 10 >= bh * 7 && bh * 10 >= bw * 7;
    let sized = bh * 10 >= th * 6 && bh * 10 <= th * 16 && bh >= 8;
    // Characters stand a tenth of their height apart; a mark and its label
    // much further.
    let apart = (next - x2) as i32 * 10 >= th * 4;
    if !(square && sized && apart) {
        return None;
    }
    // Mostly ink along its outline (a frame, filled or round), which a
    // glyph is not: a ring a tenth of its size thick.
    let t = (bh as usize / 10).max(2);
    let (mut on, mut all) = (0, 0);
    for y in y1..y2 {
        for x in x1..x2 {
            let ring = x < x1 + t || x >= x2 - t || y < y1 + t || y >= y2 - t;
            if ring {
                all += 1;
                on += usize::from(at(x, y));
            }
        }
    }
    // A label runs on for two characters or more; one glyph as wide as it
    // is high after a wide gap is letter-spaced text (「同 意」), not a mark
    // and its label.
    let last = (next..w).rev().find(|&x| col(x))?;
    let label = (last + 1 - next) as i32 * 10 >= th * 18;
    (on * 2 >= all && label).then(|| b.x + next as i32 - (th / 4).max(1))
}

/// What is ink near box `b`: a pixel that differs from the box's border
/// colour (its median) by more than a quarter of the largest difference in
/// the box, so dimmed text counts.
struct InkRule {
    bg: [u8; 3],
    threshold: u8,
}

impl InkRule {
    /// `None` when the box is about one colour.
    fn of(img: &RgbaImage, b: Rect) -> Option<InkRule> {
        let mut border: Vec<[u8; 4]> = Vec::with_capacity(2 * (b.w + b.h) as usize);
        for x in b.x..b.right() {
            border.push(px(img, x, b.y));
            border.push(px(img, x, b.bottom() - 1));
        }
        for y in b.y..b.bottom() {
            border.push(px(img, b.x, y));
            border.push(px(img, b.right() - 1, y));
        }
        let mut bg = [0u8; 3];
        for (c, v) in bg.iter_mut().enumerate() {
            let mut ch: Vec<u8> = border.iter().map(|p| p[c]).collect();
            let mid = ch.len() / 2;
            *v = *ch.select_nth_unstable(mid).1;
        }
        let mut rule = InkRule { bg, threshold: 0 };
        let most = (b.y..b.bottom())
            .flat_map(|y| (b.x..b.right()).map(move |x| (x, y)))
            .map(|(x, y)| rule.diff(img, x, y))
            .max()
            .unwrap_or(0);
        if most < 16 {
            return None;
        }
        rule.threshold = most / 4;
        Some(rule)
    }

    fn diff(&self, img: &RgbaImage, x: i32, y: i32) -> u8 {
        let p = px(img, x, y);
        (0..3).map(|c| p[c].abs_diff(self.bg[c])).max().unwrap_or(0)
    }

    fn ink(&self, img: &RgbaImage, x: i32, y: i32) -> bool {
        self.diff(img, x, y) > self.threshold
    }
}

fn px(img: &RgbaImage, x: i32, y: i32) -> [u8; 4] {
    let i = (y as usize * img.width() as usize + x as usize) * 4;
    let raw = img.as_raw();
    [raw[i], raw[i + 1], raw[i + 2], raw[i + 3]]
}

/// Which pixels of box `b` are ink ([`InkRule`]), row by row. `None` when
/// the box is about one colour.
fn ink_mask(img: &RgbaImage, b: Rect) -> Option<Vec<bool>> {
    let rule = InkRule::of(img, b)?;
    Some(
        (b.y..b.bottom())
            .flat_map(|y| (b.x..b.right()).map(move |x| (x, y)))
            .map(|(x, y)| rule.ink(img, x, y))
            .collect(),
    )
}

/// Which rows of the frame hold something, as bands of the detector's
/// `dh` rows: `[r0, r1)`, a multiple of 32 rows each, with at least
/// [`BAND_MARGIN`] rows around the rows that are not of one colour.
fn content_bands(img: &RgbaImage, dh: u32) -> Vec<(u32, u32)> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let dh = dh as usize;
    let raw = img.as_raw();
    // A row is blank when every pixel is within BLANK_TOLERANCE of its first
    // (JPEG noise on a flat fill stays under it; text does not).
    // Most pixels of a blank row are exactly its first: compared as one
    // word (colour, not alpha) before the tolerance.
    let blank = |y: usize| {
        let line = &raw[y * w * 4..(y + 1) * w * 4];
        let first = [line[0], line[1], line[2]];
        let rgb = |p: &[u8]| u32::from_le_bytes([p[0], p[1], p[2], 0]);
        let fw = rgb(line);
        line.chunks_exact(4)
            .all(|p| rgb(p) == fw || (0..3).all(|c| p[c].abs_diff(first[c]) <= BLANK_TOLERANCE))
    };
    // Detector rows with content (any of their source rows).
    let mut content = vec![false; dh];
    for (r, c) in content.iter_mut().enumerate() {
        let (a, b) = span(r, dh, h);
        *c = (a..b).any(|y| !blank(y));
    }
    // Each run of content grown by the margin; runs that then touch are
    // one band; a band is as many rows as the detector takes (a multiple
    // of 32), grown evenly on both sides.
    let m = BAND_MARGIN as usize;
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (r, _) in content.iter().enumerate().filter(|(_, c)| **c) {
        let (a, b) = (r.saturating_sub(m), (r + 1 + m).min(dh));
        match runs.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => runs.push((a, b)),
        }
    }
    let fit = |(a, b): (usize, usize)| {
        let n = (b - a).div_ceil(32) * 32;
        if n >= dh {
            return (0, dh);
        }
        let a = a.saturating_sub((n - (b - a)) / 2).min(dh - n);
        (a, a + n)
    };
    let mut bands: Vec<(usize, usize)> = Vec::new();
    for run in runs {
        let mut band = fit(run);
        while let Some(last) = bands.last().copied() {
            if band.0 > last.1 {
                break;
            }
            bands.pop();
            band = fit((last.0.min(band.0), last.1.max(band.1)));
        }
        bands.push(band);
    }
    let bands: Vec<(u32, u32)> = bands
        .into_iter()
        .map(|(a, b)| (a as u32, b as u32))
        .collect();
    bands
}

/// The source rows (or columns) `[a, b)` that detector row `i` of `dst`
/// averages, out of `src`.
fn span(i: usize, dst: usize, src: usize) -> (usize, usize) {
    let a = i * src / dst;
    let b = ((i + 1) * src / dst).max(a + 1).min(src);
    (a, b)
}

/// The detector's input for rows `[r0, r1)` of the frame averaged down to
/// `dw`x`dh` (each output pixel the mean of the source pixels it covers: as
/// good as a filtered resize for text this size, and one pass over the
/// frame), BGR as PaddleOCR's models were trained (OpenCV order), with
/// ImageNet mean and deviation applied in that order, planar. A row's
/// values do not depend on which rows are asked for.
fn det_input(img: &RgbaImage, dw: u32, dh: u32, r0: u32, r1: u32) -> Vec<f32> {
    const MEAN: [f32; 3] = [0.485, 0.456, 0.406];
    const STD: [f32; 3] = [0.229, 0.224, 0.225];
    let (w, h) = (img.width() as usize, img.height() as usize);
    let (dw, dh) = (dw as usize, dh as usize);
    let (r0, r1) = (r0 as usize, r1 as usize);
    let n = dw * (r1 - r0);
    let mut data = vec![0f32; 3 * n];
    let xs: Vec<(usize, usize)> = (0..dw).map(|x| span(x, dw, w)).collect();
    let raw = img.as_raw();
    // Sums in integers (exact), then one division per output pixel.
    let mut row = vec![[0u32; 3]; dw];
    for y in r0..r1 {
        let (y0, y1) = span(y, dh, h);
        row.iter_mut().for_each(|r| *r = [0; 3]);
        for sy in y0..y1 {
            let line = &raw[sy * w * 4..(sy + 1) * w * 4];
            for (acc, &(x0, x1)) in row.iter_mut().zip(&xs) {
                for p in line[x0 * 4..x1 * 4].chunks_exact(4) {
                    acc[0] += u32::from(p[2]);
                    acc[1] += u32::from(p[1]);
                    acc[2] += u32::from(p[0]);
                }
            }
        }
        for (x, (acc, &(x0, x1))) in row.iter().zip(&xs).enumerate() {
            let k = 1.0 / ((x1 - x0) * (y1 - y0)) as f32 / 255.0;
            for c in 0..3 {
                data[c * n + (y - r0) * dw + x] = (acc[c] as f32 * k - MEAN[c]) / STD[c];
            }
        }
    }
    data
}

/// DB post-processing on the detector's probability map: connected regions
/// above [`DB_THRESH`], scored by the mean probability of their box, grown
/// back by the unclip ratio. Boxes in map coordinates (x1, y1, x2, y2).
fn db_boxes(prob: &[f32], w: usize, h: usize) -> Vec<(f32, f32, f32, f32)> {
    let mut seen = vec![false; w * h];
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for start in 0..w * h {
        if seen[start] || prob[start] <= DB_THRESH {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let (mut x1, mut y1, mut x2, mut y2) = (w, h, 0, 0);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            x1 = x1.min(x);
            x2 = x2.max(x);
            y1 = y1.min(y);
            y2 = y2.max(y);
            for dy in -1i32..=1 {
                for dx in -1i32..=1 {
                    let (nx, ny) = (x as i32 + dx, y as i32 + dy);
                    if nx < 0 || ny < 0 || nx >= w as i32 || ny >= h as i32 {
                        continue;
                    }
                    let j = ny as usize * w + nx as usize;
                    if !seen[j] && prob[j] > DB_THRESH {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        // Like PaddleOCR, boxes are measured between pixel centres.
        let (bw, bh) = ((x2 - x1) as f32, (y2 - y1) as f32);
        if bw.min(bh) < 3.0 {
            continue;
        }
        let mut sum = 0f32;
        for y in y1..=y2 {
            sum += prob[y * w + x1..=y * w + x2].iter().sum::<f32>();
        }
        let score = sum / ((x2 - x1 + 1) * (y2 - y1 + 1)) as f32;
        if score < BOX_THRESH {
            continue;
        }
        let d = bw * bh * UNCLIP / (2.0 * (bw + bh));
        if bw.min(bh) + 2.0 * d < 5.0 {
            continue;
        }
        out.push((
            x1 as f32 - d,
            y1 as f32 - d,
            x2 as f32 + d + 1.0,
            y2 as f32 + d + 1.0,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::atomic::AtomicBool;

    use image::{Rgba, RgbaImage};
    use imageproc::drawing::{draw_filled_rect_mut, draw_hollow_rect_mut};
    use imageproc::rect::Rect as IRect;

    use super::{leading_box, line_crop, pieces};
    use crate::geom::Rect;

    /// A white strip with a square outline at x=20 (40 px), then "glyphs":
    /// 30 px high strokes `gap` px after it, 4 px apart.
    fn strip(mark: bool, gap: i32) -> RgbaImage {
        let mut img = RgbaImage::from_pixel(600, 80, Rgba([255, 255, 255, 255]));
        let ink = Rgba([90, 90, 90, 255]);
        if mark {
            for k in 0..3 {
                draw_hollow_rect_mut(
                    &mut img,
                    IRect::at(20 + k, 20 + k).of_size(40 - 2 * k as u32, 40 - 2 * k as u32),
                    ink,
                );
            }
        }
        let mut x = 60 + gap;
        for _ in 0..8 {
            draw_filled_rect_mut(&mut img, IRect::at(x, 25).of_size(8, 30), ink);
            draw_filled_rect_mut(&mut img, IRect::at(x + 8, 38).of_size(18, 4), ink);
            x += 30;
        }
        img
    }

    #[test]
    fn a_checkbox_joined_to_its_label_is_split_off() {
        let b = Rect::new(10, 10, 580, 60);
        let text_x = leading_box(&strip(true, 20), b).expect("the mark is split off");
        assert!((65..=80).contains(&text_x), "{text_x}");
        // Close to the text it is a glyph of the line, and a line without
        // a mark keeps its start.
        assert_eq!(leading_box(&strip(true, 4), b), None);
        assert_eq!(leading_box(&strip(false, 20), b), None);
    }

    /// 「同 意」 drawn letter-spaced on a real HarmonyOS dialog: 同 is square,
    /// text-high, framed on three sides and far from 意, but open below: a
    /// glyph, not a checkbox.
    #[test]
    fn a_letter_spaced_glyph_is_not_a_checkbox() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/screens/35_harmony_first_start_privacy_dialog_zh.png"
        );
        let img = image::open(path).unwrap().to_rgba8();
        assert_eq!(
            leading_box(&img, Rect::from_corners(248, 548, 282, 567)),
            None
        );
    }

    #[test]
    fn a_line_crop_follows_the_ink_not_the_box() {
        let img = strip(false, 20);
        let a = line_crop(&img, Rect::new(70, 12, 260, 58));
        let b = line_crop(&img, Rect::new(74, 16, 254, 50));
        assert_eq!(a, b);
        // The ink (x 80.., y 25..55) with a quarter of its height around it.
        assert_eq!((a.x, a.y, a.bottom()), (80 - 8, 25 - 8, 55 + 8));
        // A box that clips a few rows and columns of the ink gives the
        // same crop: the ink it touches is taken back.
        let clipped = line_crop(&img, Rect::new(83, 27, 230, 26));
        assert_eq!(clipped, a);
    }

    /// A crop 45 px high (ink 30 px, as `line_crop` cuts it) holding
    /// `glyphs` blocks 26 px wide 4 px apart, with a gap of `wide` px after
    /// block `after`.
    fn line(glyphs: i32, after: i32, wide: i32) -> RgbaImage {
        let w = 8 + glyphs * 30 + wide + 8;
        let mut img = RgbaImage::from_pixel(w as u32, 45, Rgba([255, 255, 255, 255]));
        let mut x = 8;
        for i in 0..glyphs {
            draw_filled_rect_mut(
                &mut img,
                IRect::at(x, 8).of_size(26, 30),
                Rgba([40, 40, 40, 255]),
            );
            x += 30;
            if i == after {
                x += wide - 4;
            }
        }
        img
    }

    #[test]
    fn a_wide_line_is_split_only_at_a_wide_gap() {
        // 24 blocks with a 20 px gap (two thirds of the ink's height) after
        // the tenth: split in its middle.
        let img = line(24, 9, 20);
        let w = img.width();
        let cut = 8 + 10 * 30 - 4 + 10;
        assert_eq!(pieces(&img), vec![(0, cut as u32), (cut as u32, w)]);
        // Gaps under half the ink's height are between or inside
        // characters: the line is read whole.
        assert_eq!(pieces(&line(24, 9, 12)), vec![(0, line(24, 9, 12).width())]);
        // A short line is read whole whatever its gaps.
        assert_eq!(pieces(&line(8, 3, 20)), vec![(0, line(8, 3, 20).width())]);
    }

    use crate::perception::{OcrKind, Perceiver, Words};
    use crate::screen::texts::merge_read;

    /// A frame reads the same whether the engine saw other frames before it
    /// (a scenario's stream: recognised crops cached, detector on bands) or
    /// reads it alone: nothing the engine keeps changes what it reads.
    #[test]
    fn a_frame_reads_the_same_in_a_stream_and_alone() {
        let scenarios: Vec<_> = crate::BUNDLED_SCENARIOS
            .iter()
            .filter(|(name, _)| ["compliant-bank.yaml", "popup-loop.yaml"].contains(name))
            .map(|(name, src)| crate::scenario::parse(std::path::Path::new(name), src).unwrap())
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let mut plan = crate::session::Plan::sim(scenarios, dir.path().to_path_buf(), 1);
        plan.ocr = OcrKind::Ppocr;
        let report = crate::session::execute(&plan, &AtomicBool::new(false), &|_| {}).unwrap();
        let mut stream = Perceiver::with_kind(OcrKind::Ppocr).unwrap();
        let words = Words::default();
        let (mut seen, mut compared) = (HashSet::new(), 0);
        let mut read_lines = HashSet::new();
        for run in &report.runs {
            for f in &run.frames {
                let bytes = std::fs::read(dir.path().join(&f.screenshot)).unwrap();
                let (in_stream, _) = stream.read_png(&bytes).unwrap();
                read_lines.extend(in_stream.lines.iter().map(|l| l.text.clone()));
                if !seen.insert(blake3::hash(&bytes)) {
                    continue;
                }
                let mut alone = Perceiver::with_kind(OcrKind::Ppocr).unwrap();
                let (by_itself, _) = alone.read_png(&bytes).unwrap();
                assert_eq!(
                    *in_stream, *by_itself,
                    "{}: read differently in the stream",
                    f.screenshot
                );
                let roles = |r: &super::super::Read| {
                    merge_read(r, &[], &words)
                        .into_iter()
                        .map(|t| (t.text, t.role))
                        .collect::<Vec<_>>()
                };
                assert_eq!(roles(&in_stream), roles(&by_itself));
                compared += 1;
            }
        }
        // Both scenarios show a consent dialog, a refusal and what follows.
        assert!(compared >= 6, "only {compared} distinct frames");
        let s = stream.engine_stats().unwrap();
        assert!(s.cached > 0, "{s:?}");
        // Long lines are read squeezed when all Chinese, again at full
        // width when not, and either way exactly (the compliant bank's
        // policy, read to its end).
        assert!(
            s.squeezed > s.squeeze_retried && s.squeeze_retried > 0,
            "{s:?}"
        );
        for want in [
            "本政策说明我们如何收集、使用、存储和共享您的个人信息",
            "您可以在“我的-设置-权限管理”中撤回授权，在“我的-账",
            "客服热线95588，电子邮件privacy@compliantbank.example",
        ] {
            assert!(read_lines.contains(want), "{want:?} not read exactly");
        }
    }
}

//! PP-OCR: PaddleOCR's mobile text detector (DB) and recognizer (CTC), v4,
//! in ONNX form, run single-threaded through ONNX Runtime (`ort`, loaded at
//! run time from the library `scripts/install-deps` fetches).
//!
//! Speed comes from the design, not from tuning: the detector sees the frame
//! downscaled to [`DET_SIDE`] px on its long side; each detected line's crop
//! is recognised once per engine (a crop seen before, by its pixels, is
//! answered from a cache), so the frames of a scenario, which repeat most of
//! their text, cost little more than the detector.

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
/// The variable naming the folder that holds the three files.
pub const DIR_VAR: &str = "CONSENTRY_OCR_DIR";
/// The command that installs them.
pub const INSTALL_HINT: &str = "run `scripts/install-deps` (it downloads them into ${XDG_DATA_HOME:-~/.local/share}/consentry/ppocr), set CONSENTRY_OCR_DIR to a folder holding them, or use `--ocr tesseract`";

/// Long side of the frame the detector sees.
pub const DET_SIDE: u32 = 736;
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
/// Recognised crops kept per engine before the cache starts again.
const CACHE_LIMIT: usize = 8192;

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
    for f in [RUNTIME_LIB, DET_MODEL, REC_MODEL] {
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

/// A PP-OCR engine: a detector and a recognizer session, and the lines it
/// has recognised so far by their crop's pixels.
pub struct PpOcr {
    det: Session,
    rec: Session,
    /// Index 0 is the CTC blank; the last is a space.
    chars: Vec<String>,
    cache: HashMap<blake3::Hash, Option<(String, f32)>>,
    /// Crops recognised and crops answered from the cache, for benchmarks.
    pub stats: RecStats,
}

/// How many line crops went through the recognizer and how many came from
/// its cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecStats {
    /// Crops run through the recognizer.
    pub recognised: u64,
    /// Crops answered from the cache.
    pub cached: u64,
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
        let det = session(&env, &dir.join(DET_MODEL))?;
        let rec = session(&env, &dir.join(REC_MODEL))?;
        let list = rec
            .metadata()
            .ok()
            .and_then(|m| m.custom("character"))
            .ok_or_else(|| OcrError::Broken {
                what: format!(
                    "the recognizer {} has no character list in its metadata",
                    dir.join(REC_MODEL).display()
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
            stats: RecStats::default(),
        })
    }

    /// Forgets every recognised line (the next frame is read as the first).
    pub fn forget(&mut self) {
        self.cache.clear();
    }

    /// The text line boxes the detector finds, in screen coordinates.
    pub fn detect(&mut self, img: &RgbaImage) -> Result<Vec<Rect>, OcrError> {
        let (w, h) = img.dimensions();
        if w < 8 || h < 8 {
            return Ok(Vec::new());
        }
        let k = DET_SIDE as f32 / w.max(h) as f32;
        let round32 = |v: u32| (((v as f32 * k) / 32.0).round() as u32).max(1) * 32;
        let (dw, dh) = (round32(w), round32(h));
        let n = (dw * dh) as usize;
        let data = det_input(img, dw, dh);
        let engine = |e: ort::Error| OcrError::Engine(format!("text detector: {e}"));
        let input =
            Tensor::from_array(([1usize, 3, dh as usize, dw as usize], data)).map_err(engine)?;
        let out = self.det.run(ort::inputs![input]).map_err(engine)?;
        let Some(map) = out.values().next() else {
            return Ok(Vec::new());
        };
        let (_, prob) = map.try_extract_tensor::<f32>().map_err(engine)?;
        if prob.len() != n {
            return Err(OcrError::Engine(format!(
                "text detector: a map of {} values for a {dw}x{dh} input",
                prob.len()
            )));
        }
        let boxes = db_boxes(prob, dw as usize, dh as usize);
        let (sx, sy) = (w as f32 / dw as f32, h as f32 / dh as f32);
        let mut out: Vec<Rect> = boxes
            .into_iter()
            .map(|(x1, y1, x2, y2)| {
                Rect::from_corners(
                    ((x1 * sx).floor() as i32).clamp(0, w as i32),
                    ((y1 * sy).floor() as i32).clamp(0, h as i32),
                    ((x2 * sx).ceil() as i32).clamp(0, w as i32),
                    ((y2 * sy).ceil() as i32).clamp(0, h as i32),
                )
            })
            .filter(|r| r.w >= 4 && r.h >= 4)
            .collect();
        out.sort_by_key(|r| (r.y, r.x));
        Ok(out)
    }

    /// Recognises one line crop: its text and mean character probability,
    /// or `None` when nothing sure was read. A crop seen before is not run again.
    pub fn recognise(&mut self, crop: &RgbaImage) -> Result<Option<(String, f32)>, OcrError> {
        let mut hasher = blake3::Hasher::new();
        hasher.update(&crop.width().to_le_bytes());
        hasher.update(&crop.height().to_le_bytes());
        hasher.update(crop.as_raw());
        let key = hasher.finalize();
        if let Some(hit) = self.cache.get(&key) {
            self.stats.cached += 1;
            return Ok(hit.clone());
        }
        let found = self.run_rec(crop)?;
        self.stats.recognised += 1;
        if self.cache.len() >= CACHE_LIMIT {
            self.cache.clear();
        }
        self.cache.insert(key, found.clone());
        Ok(found)
    }

    fn run_rec(&mut self, crop: &RgbaImage) -> Result<Option<(String, f32)>, OcrError> {
        let (w, h) = crop.dimensions();
        if w == 0 || h == 0 {
            return Ok(None);
        }
        let rw = ((REC_H as f32 * w as f32 / h as f32).ceil() as u32).clamp(16, 3200);
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
        let Some(v) = out.values().next() else {
            return Ok(None);
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
        let mut text = String::new();
        let (mut sum, mut count, mut prev) = (0f32, 0usize, 0usize);
        for step in probs.chunks_exact(classes) {
            let (best, p) =
                step.iter()
                    .enumerate()
                    .fold((0, f32::MIN), |b, (i, &p)| if p > b.1 { (i, p) } else { b });
            if best != 0 && best != prev {
                text.push_str(&self.chars[best]);
                sum += p;
                count += 1;
            }
            prev = best;
        }
        let text = text.trim().to_string();
        if count == 0 || text.is_empty() {
            return Ok(None);
        }
        let score = sum / count as f32;
        Ok((score >= MIN_SCORE).then_some((text, score)))
    }
}

impl OcrEngine for PpOcr {
    fn name(&self) -> &'static str {
        "ppocr"
    }

    fn read(&mut self, img: &RgbaImage) -> Result<Vec<OcrLine>, OcrError> {
        let t = std::time::Instant::now();
        let boxes = self.detect(img)?;
        let before = self.stats;
        tracing::debug!("detected {} lines in {:?}", boxes.len(), t.elapsed());
        let mut lines = Vec::with_capacity(boxes.len());
        for b in boxes {
            let crop =
                imageops::crop_imm(img, b.x as u32, b.y as u32, b.w as u32, b.h as u32).to_image();
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

/// The detector's input: the frame averaged down to `dw`x`dh` (each output
/// pixel the mean of the source pixels it covers: as good as a filtered
/// resize for text this size, and one pass over the frame), BGR as
/// PaddleOCR's models were trained (OpenCV order), with ImageNet mean and
/// deviation applied in that order, planar.
fn det_input(img: &RgbaImage, dw: u32, dh: u32) -> Vec<f32> {
    const MEAN: [f32; 3] = [0.485, 0.456, 0.406];
    const STD: [f32; 3] = [0.229, 0.224, 0.225];
    let (w, h) = (img.width() as usize, img.height() as usize);
    let (dw, dh) = (dw as usize, dh as usize);
    let n = dw * dh;
    let mut data = vec![0f32; 3 * n];
    let span = |i: usize, dst: usize, src: usize| {
        let a = i * src / dst;
        let b = ((i + 1) * src / dst).max(a + 1).min(src);
        (a, b)
    };
    let xs: Vec<(usize, usize)> = (0..dw).map(|x| span(x, dw, w)).collect();
    let raw = img.as_raw();
    let mut row = vec![[0f32; 3]; dw];
    for y in 0..dh {
        let (y0, y1) = span(y, dh, h);
        row.iter_mut().for_each(|r| *r = [0.0; 3]);
        for sy in y0..y1 {
            let line = &raw[sy * w * 4..(sy + 1) * w * 4];
            for (acc, &(x0, x1)) in row.iter_mut().zip(&xs) {
                for p in line[x0 * 4..x1 * 4].chunks_exact(4) {
                    acc[0] += p[2] as f32;
                    acc[1] += p[1] as f32;
                    acc[2] += p[0] as f32;
                }
            }
        }
        for (x, (acc, &(x0, x1))) in row.iter().zip(&xs).enumerate() {
            let k = 1.0 / ((x1 - x0) * (y1 - y0)) as f32 / 255.0;
            for c in 0..3 {
                data[c * n + y * dw + x] = (acc[c] * k - MEAN[c]) / STD[c];
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

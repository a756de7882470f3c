//! How each OCR line looks on the pixels: the button it sits in, its
//! contrast against its background, the checkbox drawn left of it; and
//! whether it is a fragment of a paragraph. This is what tells a control
//! from body text, and a suppressed refuse option from a real one, when
//! there is no view hierarchy (web content, mini programs, pictures).

use image::RgbaImage;
use serde::Serialize;

use super::ocr::{filled_regions, OcrLine};
use crate::geom::Rect;

/// How one OCR line looks.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Look {
    /// The filled button-like region the line sits in, if any.
    pub region: Option<Rect>,
    /// Contrast of the text against its background, 0 (invisible) to 1.
    pub contrast: f32,
    /// A checkbox drawn just left of the line: whether it is ticked.
    pub checked: Option<bool>,
}

fn lum(p: [u8; 4]) -> f32 {
    0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32
}

/// How each line looks, in the order of `lines`.
pub fn looks(img: &RgbaImage, lines: &[OcrLine]) -> Vec<Look> {
    if lines.is_empty() {
        return Vec::new();
    }
    let (w, h) = (img.width() as i32, img.height() as i32);
    // A full-width band at the top is a title bar, not a button.
    let regions: Vec<(Rect, bool)> = filled_regions(img)
        .into_iter()
        .filter(|(r, _)| !(r.y < h * 12 / 100 && r.w * 10 > w * 9))
        .collect();
    lines
        .iter()
        .map(|l| {
            // The smallest filled region around the line, no taller than a
            // button holding one line of text.
            let region = regions
                .iter()
                .map(|(r, _)| *r)
                .filter(|r| {
                    r.overlap_of_smaller(&l.bounds) > 0.8
                        && r.area() >= l.bounds.area()
                        && r.h <= 4 * l.bounds.h + 40
                })
                .min_by_key(|r| r.area());
            Look {
                region,
                contrast: contrast(img, &l.bounds),
                checked: checkbox_left_of(img, &l.bounds),
            }
        })
        .collect()
}

fn clamp(img: &RgbaImage, r: &Rect) -> Option<Rect> {
    let b = r.intersect(&Rect::new(0, 0, img.width() as i32, img.height() as i32));
    (b.w > 0 && b.h > 0).then_some(b)
}

/// Contrast of a text box: its background is the typical luminance along
/// the box's edge, its ink the luminance farthest from that (the 95th
/// percentile, so a stray pixel does not count).
pub fn contrast(img: &RgbaImage, r: &Rect) -> f32 {
    let Some(b) = clamp(img, r) else {
        return 0.0;
    };
    let px = |x: i32, y: i32| lum(img.get_pixel(x as u32, y as u32).0);
    let mut edge: Vec<f32> = Vec::new();
    for x in b.x..b.right() {
        edge.push(px(x, b.y));
        edge.push(px(x, b.bottom() - 1));
    }
    for y in b.y..b.bottom() {
        edge.push(px(b.x, y));
        edge.push(px(b.right() - 1, y));
    }
    // Order statistics by selection, not a full sort: this runs on every
    // line of every new frame.
    let mid = edge.len() / 2;
    let bg = *edge.select_nth_unstable_by(mid, f32::total_cmp).1;
    let mut d: Vec<f32> = Vec::with_capacity((b.w * b.h) as usize);
    for y in b.y..b.bottom() {
        for x in b.x..b.right() {
            d.push((px(x, y) - bg).abs());
        }
    }
    let k = (d.len() * 95 / 100).min(d.len() - 1);
    *d.select_nth_unstable_by(k, f32::total_cmp).1 / 255.0
}

/// A square box drawn just left of a text (a consent checkbox): `Some(true)`
/// when it is filled (ticked), `Some(false)` when only its outline is drawn,
/// `None` when there is no such box.
pub fn checkbox_left_of(img: &RgbaImage, r: &Rect) -> Option<bool> {
    let h = r.h.max(8);
    let area = clamp(
        img,
        &Rect::from_corners(r.x - h * 2, r.y - h / 3, r.x - 1, r.bottom() + h / 3),
    )?;
    let px = |x: i32, y: i32| lum(img.get_pixel(x as u32, y as u32).0);
    let mut all: Vec<f32> = Vec::new();
    for y in area.y..area.bottom() {
        for x in area.x..area.right() {
            all.push(px(x, y));
        }
    }
    let mid = all.len() / 2;
    let bg = *all.select_nth_unstable_by(mid, f32::total_cmp).1;
    let ink = |x: i32, y: i32| (px(x, y) - bg).abs() > 40.0;
    // The ink nearest the text: scan right to left for the first column
    // with ink, then take the connected columns.
    let col_ink = |x: i32| (area.y..area.bottom()).filter(|&y| ink(x, y)).count();
    let mut x2 = area.right() - 1;
    while x2 >= area.x && col_ink(x2) == 0 {
        x2 -= 1;
    }
    if x2 < area.x {
        return None;
    }
    let mut x1 = x2;
    while x1 > area.x && col_ink(x1 - 1) > 0 {
        x1 -= 1;
    }
    let (mut y1, mut y2) = (i32::MAX, i32::MIN);
    let mut count = 0;
    for y in area.y..area.bottom() {
        for x in x1..=x2 {
            if ink(x, y) {
                y1 = y1.min(y);
                y2 = y2.max(y);
                count += 1;
            }
        }
    }
    let (bw, bh) = (x2 - x1 + 1, y2 - y1 + 1);
    // A box about as tall as the text, roughly square.
    let square = bw * 10 >= bh * 6 && bh * 10 >= bw * 6;
    let sized = bh * 10 >= h * 4 && bh <= h * 2;
    if !(square && sized) {
        return None;
    }
    Some(count as f32 / (bw * bh) as f32 > 0.5)
}

/// Whether line `i` is a fragment of a paragraph: a line of about the same
/// height sits right above or below it, aligned with it and much longer.
/// The last line of a paragraph ("…请点击" / "同意。") is not a button.
pub fn in_paragraph(lines: &[OcrLine], i: usize) -> bool {
    let l = &lines[i].bounds;
    lines.iter().enumerate().any(|(j, o)| {
        let b = &o.bounds;
        if j == i || o.text.chars().count() < 10 {
            return false;
        }
        let similar = b.h * 10 >= l.h * 7 && b.h * 10 <= l.h * 14;
        let gap = if b.y >= l.bottom() {
            b.y - l.bottom()
        } else {
            l.y - b.bottom()
        };
        let adjacent = gap >= -l.h / 4 && gap * 10 < l.h * 8;
        let aligned = (b.x - l.x).abs() <= l.h * 3 / 2 || (b.right() - l.right()).abs() <= l.h;
        similar && adjacent && aligned && b.w * 10 > l.w * 18
    })
}

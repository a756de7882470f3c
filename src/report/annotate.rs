//! Annotated screenshots a reviewer can attach to a ticket: text boxes
//! coloured by role, the tap, and (thick, magenta) the boxes a verdict
//! relied on. Drawn with imageproc.

use image::{Rgba, RgbaImage};
use imageproc::drawing::{draw_filled_circle_mut, draw_hollow_circle_mut};

use crate::geom::Rect;
use crate::perception::Role;
use crate::trace::Frame;

use crate::screen::inspect::outline;
pub use crate::screen::inspect::role_color;

const EVIDENCE: Rgba<u8> = Rgba([255, 0, 212, 255]);

/// Draws a frame's annotations onto its screenshot.
pub fn annotate(img: &mut RgbaImage, frame: &Frame, highlights: &[Rect]) {
    for t in &frame.texts {
        outline(
            img,
            t.bounds,
            role_color(t.role),
            if t.role == Role::Other { 2 } else { 5 },
        );
    }
    for r in highlights {
        outline(img, *r, EVIDENCE, 12);
    }
    if let Some(tap) = &frame.tap {
        draw_filled_circle_mut(img, (tap.x, tap.y), 14, EVIDENCE);
        for k in 0..5 {
            draw_hollow_circle_mut(img, (tap.x, tap.y), 40 + k, EVIDENCE);
        }
    }
}

/// Where a frame's annotated copy goes: `frames/annotated/…` beside `frames/…`.
pub fn annotated_path(screenshot: &str) -> String {
    match screenshot.strip_prefix("frames/") {
        Some(rest) => format!("frames/annotated/{rest}"),
        None => format!("annotated-{screenshot}"),
    }
}

/// Writes annotated copies of a run's frames: the evidence frames of its
/// verdicts, or every frame with `all`. Returns how many were written.
pub fn write_run(
    run: &crate::report::Run,
    out_dir: &std::path::Path,
    all: bool,
) -> std::io::Result<usize> {
    use std::collections::BTreeMap;
    let mut wanted: BTreeMap<usize, Vec<Rect>> = BTreeMap::new();
    for v in &run.verdicts {
        for e in &v.evidence {
            wanted.entry(*e).or_default();
        }
        for h in &v.highlights {
            wanted.entry(h.frame).or_default().push(h.bounds);
        }
    }
    if all {
        for f in &run.frames {
            wanted.entry(f.index).or_default();
        }
    }
    let mut n = 0;
    for (index, highlights) in wanted {
        let Some(frame) = run.frames.get(index) else {
            continue;
        };
        let src = out_dir.join(&frame.screenshot);
        let mut img = match image::open(&src) {
            Ok(i) => i.to_rgba8(),
            Err(e) => {
                tracing::warn!("cannot annotate {}: {e}", src.display());
                continue;
            }
        };
        annotate(&mut img, frame, &highlights);
        let dst = out_dir.join(annotated_path(&frame.screenshot));
        if let Some(dir) = dst.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let png = crate::device::encode_png(&img).map_err(std::io::Error::other)?;
        std::fs::write(&dst, png)?;
        n += 1;
    }
    Ok(n)
}

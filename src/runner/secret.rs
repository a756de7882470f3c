//! Keeping typed secrets out of everything a run leaves behind. Once a
//! secret was typed, every later frame is scrubbed before it is saved or
//! read: the texts showing it (or lying in the field it was typed into) are
//! dropped, hierarchy nodes lose their text, and those regions of the
//! screenshot are pixelated past reading.

use std::io::Cursor;

use crate::device::HierarchyNode;
use crate::geom::Rect;
use crate::perception::TextItem;

/// `v` percent-encoded: every byte but ASCII letters, digits and `keep`.
fn percent(v: &str, keep: &str, upper: bool) -> String {
    v.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || keep.as_bytes().contains(&b) {
                (b as char).to_string()
            } else if upper {
                format!("%{b:02X}")
            } else {
                format!("%{b:02x}")
            }
        })
        .collect()
}

/// What the run knows about the secrets typed so far.
#[derive(Debug, Default, Clone)]
pub struct Secrets {
    values: Vec<String>,
    fields: Vec<Rect>,
}

/// What a masked secret looks like wherever it would have been shown.
pub use crate::scenario::MASK;

impl Secrets {
    /// Notes a secret typed into the field at `field` (when known).
    pub fn typed(&mut self, value: &str, field: Option<Rect>) {
        if !value.is_empty() && !self.values.iter().any(|v| v == value) {
            self.values.push(value.to_string());
        }
        if let Some(f) = field.filter(|f| f.w > 0 && f.h > 0) {
            if !self.fields.contains(&f) {
                self.fields.push(f);
            }
        }
    }

    /// Whether any secret was typed.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Replaces every secret in a message with [`MASK`]: as typed, and as
    /// the device command that typed it wrote it (`input text` spells a
    /// space %s, the shell quotes a quote as '\''), so an error quoting
    /// that command shows no secret either.
    pub fn redact(&self, text: &str) -> String {
        let mut forms: Vec<String> = Vec::new();
        for v in &self.values {
            let spaced = v.replace(' ', "%s");
            let mut all = vec![
                crate::device::shell_quote(&spaced),
                crate::device::shell_quote(v),
                spaced.replace('\'', r"'\''"),
                v.replace('\'', r"'\''"),
            ];
            // Percent-encoded, as a URL or an intent would carry it: every
            // byte but letters and digits, or all but RFC 3986's unreserved
            // ones; upper- or lower-case hex; a space also as `+`.
            for keep in ["", "-._~"] {
                for upper in [true, false] {
                    let enc = percent(v, keep, upper);
                    all.push(enc.replace("%20", "+"));
                    all.push(enc);
                }
            }
            all.push(spaced);
            all.push(v.clone());
            for f in all {
                if !f.is_empty() && !forms.contains(&f) {
                    forms.push(f);
                }
            }
        }
        // Longest first: a quoted form before the bare value inside it.
        forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
        forms
            .iter()
            .fold(text.to_string(), |t, v| t.replace(v.as_str(), MASK))
    }

    /// Whether a text read from the screen shows a secret: it contains one,
    /// or is one read with a few characters wrong (OCR).
    pub fn shows(&self, text: &str) -> bool {
        let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        self.values.iter().any(|v| {
            squeezed.contains(v.as_str())
                || text.contains(v.as_str())
                || (v.chars().count() >= 4 && strsim::normalized_levenshtein(&squeezed, v) >= 0.7)
        })
    }

    fn in_field(&self, r: &Rect) -> bool {
        self.fields
            .iter()
            .any(|f| f.intersect(r).area() * 2 >= r.area().max(1))
    }

    /// Scrubs hierarchy nodes before anything reads them: a node showing a
    /// secret (or a typed secret field still on screen) loses its text.
    /// Returns the regions to hide.
    pub fn scrub_nodes(&self, nodes: &mut [HierarchyNode]) -> Vec<Rect> {
        let mut hide = Vec::new();
        if self.is_empty() {
            return hide;
        }
        for n in nodes.iter_mut() {
            let typed_field = self.fields.contains(&n.bounds);
            if typed_field || self.shows(&n.text) || self.shows(&n.content_desc) {
                hide.push(n.bounds);
                n.text.clear();
                n.content_desc.clear();
            }
        }
        hide
    }

    /// Drops the texts that show a secret or lie in a secret field, and
    /// returns their regions.
    pub fn scrub_texts(&self, texts: &mut Vec<TextItem>) -> Vec<Rect> {
        let mut hide = Vec::new();
        if self.is_empty() {
            return hide;
        }
        texts.retain(|t| {
            let secret = self.shows(&t.text) || self.in_field(&t.bounds);
            if secret {
                hide.push(t.bounds);
            }
            !secret
        });
        hide
    }
}

/// Pixelates `regions` of a PNG past reading (blocks of 16 px, each one
/// colour) and encodes it again. A PNG that cannot be decoded is replaced
/// by nothing rather than kept with the secret in it.
pub fn hide_regions(png: &[u8], regions: &[Rect]) -> Vec<u8> {
    if regions.is_empty() {
        return png.to_vec();
    }
    let Ok(img) = image::load_from_memory_with_format(png, image::ImageFormat::Png) else {
        return Vec::new();
    };
    let mut img = img.to_rgba8();
    let (w, h) = (img.width() as i64, img.height() as i64);
    const BLOCK: i64 = 16;
    for r in regions {
        // A margin, so anti-aliased edges of the glyphs go too.
        let x0 = (r.x as i64 - 4).clamp(0, w);
        let y0 = (r.y as i64 - 4).clamp(0, h);
        let x1 = (r.x as i64 + r.w as i64 + 4).clamp(0, w);
        let y1 = (r.y as i64 + r.h as i64 + 4).clamp(0, h);
        let mut by = y0;
        while by < y1 {
            let mut bx = x0;
            while bx < x1 {
                let (ex, ey) = ((bx + BLOCK).min(x1), (by + BLOCK).min(y1));
                let mut sum = [0u64; 4];
                let mut n = 0u64;
                for y in by..ey {
                    for x in bx..ex {
                        let p = img.get_pixel(x as u32, y as u32).0;
                        for c in 0..4 {
                            sum[c] += p[c] as u64;
                        }
                        n += 1;
                    }
                }
                let avg = image::Rgba(sum.map(|s| (s / n.max(1)) as u8));
                for y in by..ey {
                    for x in bx..ex {
                        img.put_pixel(x as u32, y as u32, avg);
                    }
                }
                bx = ex;
            }
            by = (by + BLOCK).min(y1);
        }
    }
    let mut out = Vec::new();
    match img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png) {
        Ok(()) => out,
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_masked_as_the_device_command_wrote_it() {
        let mut s = Secrets::default();
        s.typed("correct horse 42", None);
        s.typed("pa'ss", None);
        for msg in [
            "adb: `input text correct%shorse%s42` failed",
            "adb: `input text 'pa'\\''ss'` failed",
            "typed pa'\\''ss",
            "typed correct horse 42",
        ] {
            let r = s.redact(msg);
            assert!(
                !r.contains("horse") && !r.contains("ss'") && !r.contains("pa'"),
                "{msg} -> {r}"
            );
            assert!(r.contains(MASK), "{r}");
        }
    }

    #[test]
    fn a_secret_is_found_whole_and_misread() {
        let mut s = Secrets::default();
        s.typed("hunter22", None);
        assert!(s.shows("hunter22"));
        assert!(s.shows("密码 hunter22"));
        assert!(s.shows("hunler22"), "one character misread by OCR");
        assert!(!s.shows("用户名"));
        assert_eq!(
            s.redact("input text hunter22 failed"),
            "input text •••••• failed"
        );
    }
}

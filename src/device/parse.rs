//! Parsers for what Android prints: `uiautomator dump` XML, `dumpsys window`
//! / `dumpsys activity` focus lines, `cmd appops get` and `getprop`. Each
//! accepts the variants seen on real phones (see tests/fixtures).

use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use crate::geom::Rect;

/// One node of a view hierarchy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HierarchyNode {
    /// `text` attribute.
    pub text: String,
    /// `content-desc` attribute.
    pub content_desc: String,
    /// `resource-id` attribute.
    pub resource_id: String,
    /// `class` attribute.
    pub class: String,
    /// `package` attribute.
    pub package: String,
    /// `bounds` attribute.
    pub bounds: Rect,
    /// Whether it reacts to taps.
    pub clickable: bool,
    /// Whether it is a checkbox-like control.
    pub checkable: bool,
    /// Whether it is checked.
    pub checked: bool,
    /// uiautomator marked it "not accessibility friendly" (clickable, no text).
    pub naf: bool,
    /// A password field: Android masks what is typed into it (`password="true"`).
    pub password: bool,
    /// It has the input focus (`focused="true"`).
    pub focused: bool,
    /// A text field's hint (`hint`, Android 8 and later), shown while it is empty.
    pub hint: String,
}

impl HierarchyNode {
    /// The label a person sees: the text, else the content description.
    pub fn label(&self) -> &str {
        if self.text.trim().is_empty() {
            self.content_desc.trim()
        } else {
            self.text.trim()
        }
    }
}

/// Why a hierarchy dump could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HierarchyError {
    /// uiautomator could not get an idle state (animations running).
    #[error("uiautomator could not get idle state")]
    NotIdle,
    /// The output holds no hierarchy.
    #[error("no view hierarchy in the dump: {0}")]
    Missing(String),
    /// The XML is malformed.
    #[error("malformed view hierarchy: {0}")]
    Malformed(String),
}

fn parse_bounds(s: &str) -> Option<Rect> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]").expect("static regex")
    });
    let c = re.captures(s)?;
    let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<i32>().ok());
    Some(Rect::from_corners(n(1)?, n(2)?, n(3)?, n(4)?))
}

/// The most XML nodes a hierarchy dump may hold; real screens have a few
/// hundred to a few thousand.
pub const MAX_HIERARCHY_NODES: u32 = 200_000;
/// The deepest view nesting accepted; real screens stay well under 100
/// levels. Checked before the XML parser (which recurses per level) runs.
pub const MAX_HIERARCHY_DEPTH: usize = 256;

/// How deep elements nest, by a scan of the tags (no recursion, no tree),
/// stopping as soon as `limit` is passed; the line where it was passed.
fn nesting_past(xml: &str, limit: usize) -> Option<usize> {
    let b = xml.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        match b.get(i) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(b'?') | Some(b'!') | None => {}
            Some(_) => {
                // To the tag's end, skipping quoted attribute values.
                let mut quote = None;
                let mut j = i;
                while j < b.len() {
                    match (quote, b[j]) {
                        (Some(q), c) if c == q => quote = None,
                        (None, b'"') | (None, b'\'') => quote = Some(b[j]),
                        (None, b'>') => break,
                        _ => {}
                    }
                    j += 1;
                }
                if j > i && b.get(j - 1) != Some(&b'/') {
                    depth += 1;
                    if depth > limit {
                        return Some(xml[..i].matches('\n').count() + 1);
                    }
                }
                i = j;
            }
        }
    }
    None
}

/// Parses `uiautomator dump` output: single- or multi-line, with or without
/// the `UI hierchary dumped to:` trailer, UTF-8 or UTF-16 with a BOM.
pub fn parse_hierarchy(raw: &[u8]) -> Result<Vec<HierarchyNode>, HierarchyError> {
    let text = decode_text(raw);
    if text.contains("could not get idle state") {
        return Err(HierarchyError::NotIdle);
    }
    let start = text
        .find("<?xml")
        .or_else(|| text.find("<hierarchy"))
        .ok_or_else(|| HierarchyError::Missing(text.trim().chars().take(120).collect()))?;
    let end = text
        .rfind("</hierarchy>")
        .map(|i| i + "</hierarchy>".len())
        .ok_or_else(|| HierarchyError::Missing("no </hierarchy>".into()))?;
    let xml = text
        .get(start..end)
        .filter(|_| start < end)
        .ok_or_else(|| HierarchyError::Malformed("`</hierarchy>` comes before its start".into()))?;
    if let Some(line) = nesting_past(xml, MAX_HIERARCHY_DEPTH) {
        return Err(HierarchyError::Malformed(format!(
            "views nested more than {MAX_HIERARCHY_DEPTH} deep (at line {line})"
        )));
    }
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_HIERARCHY_NODES,
    };
    let doc = roxmltree::Document::parse_with_options(xml, opts)
        .map_err(|e| HierarchyError::Malformed(e.to_string()))?;
    // Depth by node id, parents first (document order): linear, no recursion.
    let mut depth = vec![0usize; doc.descendants().count() + 1];
    for n in doc.descendants() {
        let d = n.parent().map_or(0, |p| {
            depth.get(p.id().get() as usize).copied().unwrap_or(0) + 1
        });
        if let Some(slot) = depth.get_mut(n.id().get() as usize) {
            *slot = d;
        }
        if d > MAX_HIERARCHY_DEPTH {
            return Err(HierarchyError::Malformed(format!(
                "views nested more than {MAX_HIERARCHY_DEPTH} deep (at line {})",
                doc.text_pos_at(n.range().start).row
            )));
        }
    }
    let mut out = Vec::new();
    // What one dump may hold of text in all: past it, nodes keep their
    // place and flags but lose their texts.
    let mut budget = MAX_DUMP_TEXT;
    for n in doc.descendants().filter(|n| n.has_tag_name("node")) {
        let b = |k: &str| n.attribute(k) == Some("true");
        let mut a = |k: &str, max: usize| {
            let t = clip(n.attribute(k).unwrap_or_default(), max.min(budget));
            budget -= t.len();
            t
        };
        out.push(HierarchyNode {
            text: a("text", MAX_NODE_TEXT),
            content_desc: a("content-desc", MAX_NODE_TEXT),
            resource_id: a("resource-id", MAX_NAME),
            class: a("class", MAX_NAME),
            package: a("package", MAX_NAME),
            bounds: n
                .attribute("bounds")
                .and_then(parse_bounds)
                .unwrap_or_default(),
            clickable: b("clickable"),
            checkable: b("checkable"),
            checked: b("checked"),
            naf: b("NAF"),
            password: b("password"),
            focused: b("focused"),
            hint: a("hint", MAX_NAME),
        });
    }
    Ok(out)
}

/// The longest name a device may give (a package, an activity, an app-op,
/// a permission, a view's class or id): a longer one is malformed.
pub const MAX_NAME: usize = 512;
/// The most text one view of a hierarchy dump keeps (a whole policy in one
/// text view fits).
pub const MAX_NODE_TEXT: usize = 128 << 10;
/// The most text one hierarchy dump keeps in all.
pub const MAX_DUMP_TEXT: usize = 512 << 10;

/// `s` cut to at most `max` bytes, at a character's boundary.
pub fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

/// The screen as `WIDTHxHEIGHT@DPI` from `wm size` and `wm density`
/// (the override when one is set, as apps see it).
pub fn parse_screen(size: &str, density: &str) -> Option<String> {
    let pick = |text: &str, key: &str| -> Option<String> {
        let line = |prefix: &str| {
            text.lines()
                .find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_string()))
        };
        line(&format!("Override {key}:"))
            .or_else(|| line(&format!("Physical {key}:")))
            .filter(|v| v.len() <= 32 && !v.is_empty())
    };
    let s = pick(size, "size")?;
    let (w, h) = s.split_once('x')?;
    let (w, h): (u32, u32) = (w.trim().parse().ok()?, h.trim().parse().ok()?);
    match pick(density, "density").and_then(|d| d.parse::<u32>().ok()) {
        Some(d) => Some(format!("{w}x{h}@{d}")),
        None => Some(format!("{w}x{h}")),
    }
}

/// `versionName` and `versionCode` of the first package `dumpsys package`
/// shows (`versionCode=621 minSdk=24 targetSdk=33`, `versionName=6.2.1`).
pub fn parse_app_version(raw: &[u8]) -> Option<crate::device::AppVersion> {
    let text = decode_text(raw);
    let field = |key: &str| {
        text.lines().find_map(|l| {
            let at = l.find(key)?;
            let v = l[at + key.len()..].split_whitespace().next()?.trim();
            (!v.is_empty() && v.len() <= 128).then(|| v.to_string())
        })
    };
    let code = field("versionCode=");
    let name = field("versionName=");
    if code.is_none() && name.is_none() {
        return None;
    }
    Some(crate::device::AppVersion {
        name: name.unwrap_or_default(),
        code: code.unwrap_or_default(),
    })
}

/// The packages of `pm list packages` (`package:com.x` lines).
pub fn parse_packages(raw: &[u8]) -> Vec<String> {
    decode_text(raw)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("package:"))
        .map(|p| p.split('=').next_back().unwrap_or(p).trim().to_string())
        .filter(|p| !p.is_empty() && p.len() <= MAX_NAME)
        .collect()
}

/// Decodes command output: UTF-16LE/BE when it starts with a BOM (a capture
/// redirected on Windows), else UTF-8 (lossy); CRLF becomes LF.
pub fn decode_text(raw: &[u8]) -> String {
    let s = if raw.starts_with(&[0xFF, 0xFE]) || raw.starts_with(&[0xFE, 0xFF]) {
        let le = raw[0] == 0xFF;
        let units: Vec<u16> = raw[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(raw.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(raw)).into_owned()
    };
    s.replace("\r\n", "\n")
}

/// The app in the foreground: package and fully qualified activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Foreground {
    /// Package name.
    pub package: String,
    /// Activity class, fully qualified.
    pub activity: String,
}

impl Foreground {
    fn from_component(c: &str) -> Option<Foreground> {
        let (pkg, act) = c.split_once('/')?;
        if pkg.is_empty() || act.is_empty() {
            return None;
        }
        let activity = if let Some(rest) = act.strip_prefix('.') {
            format!("{pkg}.{rest}")
        } else {
            act.to_string()
        };
        Some(Foreground {
            package: pkg.to_string(),
            activity,
        })
    }
}

fn component_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // `u0 pkg/act`, or on Android 4 just `pkg/act` after the hash; the
    // component ends at a space, comma, or brace.
    RE.get_or_init(|| Regex::new(r"([A-Za-z][\w.]*)/([\w.$]+)").expect("static regex"))
}

fn components(line: &str) -> Option<Foreground> {
    let c = component_re().captures(line)?;
    if c[1].len() > MAX_NAME || c[2].len() > MAX_NAME {
        return None;
    }
    Foreground::from_component(&format!("{}/{}", &c[1], &c[2]))
}

/// The activity `cmd package resolve-activity --brief` names for a
/// package (its last line, `pkg/.Activity`); `None` when it found none
/// (`No activity found`).
pub fn parse_resolved_activity(raw: &[u8], package: &str) -> Option<String> {
    let text = decode_text(raw);
    let line = text.lines().rev().map(str::trim).find(|l| !l.is_empty())?;
    let (pkg, act) = line.split_once('/')?;
    (pkg == package
        && !act.is_empty()
        && act.len() <= MAX_NAME
        && !act.contains(char::is_whitespace))
    .then(|| act.to_string())
}

/// Whether the focused window is a secure one (`FLAG_SECURE`: screenshots
/// and screen recordings show it black), from `dumpsys window windows`.
///
/// The focused window is the one `mCurrentFocus=` names or, when the output
/// has no such line, the last window titled with `focus` (`pkg/activity`).
/// Its flags are read from its `mAttrs`: by name (`fl=… SECURE …` on
/// Android 9 and later, `FLAG_SECURE` on some vendors' builds) or as the
/// hexadecimal mask of Android 5 to 8 (`fl=#81812100`, bit `0x2000`).
/// `None` when the output does not show the focused window's flags.
pub fn parse_window_secure(raw: &[u8], focus: Option<&Foreground>) -> Option<bool> {
    let text = decode_text(raw);
    // The window's token (`Window{1f72345 u0 pkg/act}` → `1f72345`).
    let token_of = |v: &str| -> Option<String> {
        let rest = v.trim().strip_prefix("Window{")?;
        let tok = rest.split([' ', '}']).next()?;
        (!tok.is_empty()).then(|| tok.to_string())
    };
    let focused_token = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("mCurrentFocus=").and_then(&token_of));
    let title = focus.map(|f| format!("{}/{}", f.package, f.activity));
    let mut in_focused = false;
    let mut found: Option<bool> = None;
    for line in text.lines() {
        let t = line.trim();
        if let Some(head) = t.strip_prefix("Window #") {
            // `Window #6 Window{4abfad2 u0 pkg/act}:`
            let window = head.split_once(' ').map_or("", |(_, w)| w);
            in_focused = match (&focused_token, &title) {
                (Some(tok), _) => token_of(window).as_deref() == Some(tok.as_str()),
                (None, Some(title)) => window
                    .split_whitespace()
                    .any(|w| w.trim_end_matches([':', '}']) == title),
                (None, None) => false,
            };
            continue;
        }
        if !in_focused {
            continue;
        }
        // The flags sit after ` fl=` (inside `mAttrs=WM.LayoutParams{…}` on
        // old releases, on a line of their own on new ones).
        let Some(i) = t
            .find(" fl=")
            .map(|i| i + 4)
            .or_else(|| t.starts_with("fl=").then_some(3))
        else {
            continue;
        };
        let flags = &t[i..];
        let secure = if let Some(hex) = flags.strip_prefix('#').or_else(|| flags.strip_prefix("0x"))
        {
            let digits: String = hex.chars().take_while(char::is_ascii_hexdigit).collect();
            match u32::from_str_radix(&digits, 16) {
                Ok(bits) => bits & 0x2000 != 0,
                Err(_) => continue,
            }
        } else {
            flags
                .split(|c: char| c.is_whitespace() || c == '}')
                .take_while(|w| !w.contains('='))
                .any(|w| w == "SECURE" || w == "FLAG_SECURE")
        };
        // The last window of that title is the one on top (a window list
        // is printed top first only on some releases: any secure one wins).
        found = Some(found.unwrap_or(false) || secure);
    }
    found
}

/// Finds the foreground app in `dumpsys window` (or `dumpsys activity
/// activities`) output, for Android 4 to 14: `mFocusedApp=`,
/// `mCurrentFocus=`, `mResumedActivity:`, `ResumedActivity:`,
/// `topResumedActivity=`, one line per display on multi-display devices.
pub fn parse_foreground(raw: &[u8]) -> Option<Foreground> {
    let text = decode_text(raw);
    let mut focused_apps = Vec::new();
    let mut current = Vec::new();
    let mut resumed = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        let value = |key: &str| t.strip_prefix(key).map(str::trim);
        if let Some(v) = value("mFocusedApp=") {
            if let Some(f) = components(v) {
                focused_apps.push(f);
            }
        } else if let Some(v) = value("mCurrentFocus=") {
            if let Some(f) = components(v) {
                current.push(f);
            }
        } else if let Some(v) = value("mResumedActivity:")
            .or_else(|| value("ResumedActivity:"))
            .or_else(|| value("topResumedActivity="))
            .or_else(|| value("Resumed:"))
            .or_else(|| value("mFocusedActivity:"))
        {
            if let Some(f) = components(v) {
                resumed.push(f);
            }
        }
    }
    // On multi-display devices a cover-screen launcher can hold focus on
    // display 1: prefer a focused app that also has the current focus, then
    // one that is not the system UI.
    if let Some(f) = focused_apps.iter().find(|f| current.contains(f)) {
        return Some(f.clone());
    }
    let not_system = |f: &&Foreground| f.package != "com.android.systemui";
    focused_apps
        .iter()
        .rev()
        .find(not_system)
        .or_else(|| resumed.iter().find(not_system))
        .or_else(|| current.iter().find(not_system))
        .or(focused_apps.first())
        .cloned()
}

/// One app-op record of a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct AppOp {
    /// Op name (COARSE_LOCATION, READ_CLIPBOARD …).
    pub op: String,
    /// Mode (allow, ignore, deny, default, foreground).
    pub mode: String,
    /// How long ago it was last allowed, in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_ms_ago: Option<u64>,
    /// How long ago it was last rejected, in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reject_ms_ago: Option<u64>,
    /// Whether it is running now.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub running: bool,
}

/// Twenty years, in milliseconds: the longest span a device's time can
/// plausibly give.
pub const MAX_PLAUSIBLE_MS: u64 = 20 * 366 * 86_400_000;

/// Parses Android's relative durations: `+2m3s456ms`, `+1d2h`, `-22d4h22m19s762ms`.
/// A span beyond [`MAX_PLAUSIBLE_MS`] is refused.
pub fn parse_android_duration(s: &str) -> Option<u64> {
    let s = s.trim().trim_start_matches(['+', '-']);
    if s.is_empty() {
        return None;
    }
    let mut total = 0u64;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let unit = if c == 'm' && chars.peek() == Some(&'s') {
            chars.next();
            "ms"
        } else {
            match c {
                'd' => "d",
                'h' => "h",
                'm' => "m",
                's' => "s",
                _ => return None,
            }
        };
        let v: u64 = num.parse().ok()?;
        num.clear();
        let scale = match unit {
            "d" => 86_400_000,
            "h" => 3_600_000,
            "m" => 60_000,
            "s" => 1000,
            _ => 1,
        };
        // Checked: a corrupt or hostile dump must not overflow.
        total = total.checked_add(v.checked_mul(scale)?)?;
    }
    if !num.is_empty() {
        return None;
    }
    // Beyond twenty years no phone's record is true: refused as malformed.
    (total <= MAX_PLAUSIBLE_MS).then_some(total)
}

/// The most app-op records one dump may yield; Android defines about 140 ops.
pub const MAX_APPOPS: usize = 4096;

/// Parses app-op records in either form Android prints:
/// - `cmd appops get <package>` (Android 8+; `appops get` before): one op
///   per line, `OP: mode; time=+… ago; rejectTime=+… ago; duration=…`,
///   skipping `Uid mode:` headers, `No operations.` and vendor decorations;
/// - `dumpsys appops [--package <package>]` (absolute times): an
///   `OP (mode):` header, then `Access: [fg-s] 2020-02-14 14:24:10.559
///   (-3d23h15m43s642ms)` / `Reject: [bg-s]2020-…` lines, grouped by
///   attribution tag (`null=[ … ]`); the newest access and rejection of each
///   op are kept. Uid-level `OP: mode=…` lines hold no access and are skipped.
///
/// Never panics; stops after [`MAX_APPOPS`] records.
pub fn parse_appops(raw: &[u8]) -> Vec<AppOp> {
    let text = decode_text(raw);
    if dumpsys_appops_re().is_match(&text) {
        return parse_dumpsys_appops(&text);
    }
    parse_appops_get(&text)
}

fn dumpsys_appops_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?m)^\s*([A-Z][A-Z0-9_]*)(?:\(\d+\))? \(([a-z]+)[^)]*\):\s*$")
            .expect("static regex")
    })
}

/// The `dumpsys appops` form (see [`parse_appops`]).
fn parse_dumpsys_appops(text: &str) -> Vec<AppOp> {
    static EVENT: OnceLock<Regex> = OnceLock::new();
    let event = EVENT.get_or_init(|| {
        Regex::new(r"^\s*(Access|Reject):\s*\[([a-z]+)[^\]]*\]\s*[^(]*\((-[0-9dhms]+)\)(.*)$")
            .expect("static regex")
    });
    let mut out: Vec<AppOp> = Vec::new();
    for line in text.lines() {
        if let Some(c) = dumpsys_appops_re().captures(line) {
            if out.len() >= MAX_APPOPS {
                break;
            }
            if c[1].len() > MAX_NAME || c[2].len() > MAX_NAME {
                continue;
            }
            out.push(AppOp {
                op: c[1].to_string(),
                mode: c[2].to_string(),
                access_ms_ago: None,
                reject_ms_ago: None,
                running: false,
            });
            continue;
        }
        if line.trim_start().starts_with("Package ") || line.trim_start().starts_with("Uid ") {
            // A new package or uid: its ops are not those of the op above.
            continue;
        }
        let Some(op) = out.last_mut() else { continue };
        if line.trim_start().starts_with("Running start at:") {
            op.running = true;
            continue;
        }
        let Some(c) = event.captures(line) else {
            continue;
        };
        let Some(ago) = parse_android_duration(&c[3]) else {
            continue;
        };
        let slot = if &c[1] == "Access" {
            &mut op.access_ms_ago
        } else {
            &mut op.reject_ms_ago
        };
        // The newest event is the one with the least time since.
        *slot = Some(slot.map_or(ago, |v| v.min(ago)));
    }
    out
}

/// The `cmd appops get` form (see [`parse_appops`]).
fn parse_appops_get(text: &str) -> Vec<AppOp> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^\s*([A-Z][A-Z0-9_]*)(?:\(\d+\))?:\s*([a-z]+)(.*)$").expect("static regex")
    });
    let mut out = Vec::new();
    for line in text.lines() {
        if out.len() >= MAX_APPOPS {
            break;
        }
        if line.trim_start().starts_with("Uid mode:")
            || line.trim_start().starts_with("Default mode:")
        {
            continue;
        }
        let Some(c) = re.captures(line) else { continue };
        if c[1].len() > MAX_NAME || c[2].len() > MAX_NAME {
            continue;
        }
        let rest = &c[3];
        if rest.starts_with('=') {
            // `OP: mode=ignore`: a uid-level mode of `dumpsys appops`, no access.
            continue;
        }
        let mut op = AppOp {
            op: c[1].to_string(),
            mode: c[2].to_string(),
            access_ms_ago: None,
            reject_ms_ago: None,
            running: rest.contains("(running)"),
        };
        for field in rest.split(';') {
            let field = field.trim();
            let value = |key: &str| {
                field
                    .strip_prefix(key)
                    .map(|v| {
                        v.trim_end_matches("(running)")
                            .trim()
                            .trim_end_matches("ago")
                            .trim()
                    })
                    .and_then(parse_android_duration)
            };
            if let Some(v) = value("time=") {
                op.access_ms_ago = Some(v);
            } else if let Some(v) = value("rejectTime=") {
                op.reject_ms_ago = Some(v);
            }
        }
        out.push(op);
    }
    out
}

/// One runtime permission of a package, as `dumpsys package` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RuntimePermission {
    /// Full name (`android.permission.ACCESS_FINE_LOCATION`).
    pub name: String,
    /// Whether it is granted.
    pub granted: bool,
    /// Android's flags (`USER_SET`, `USER_FIXED`, `GRANTED_BY_DEFAULT` …).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub flags: Vec<String>,
}

/// The most runtime permissions one dump may yield.
pub const MAX_PERMISSIONS: usize = 2048;

/// Parses the runtime permissions of `dumpsys package <package>`: the lines
/// `android.permission.X: granted=true|false[, flags=[ A|B ]]` indented under
/// the first `runtime permissions:` header (Android 6+, under `User 0:`; a
/// multi-user dump repeats the section per user and only the first is
/// read). The section ends at the first line indented no deeper than its
/// header. `None` when the output has no such section (Android 5 and older,
/// an unknown package, or an app that requests none).
pub fn parse_runtime_permissions(raw: &[u8]) -> Option<Vec<RuntimePermission>> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^\s*([\w.$-]+):\s*granted=(true|false)(?:,\s*flags=\[([^\]]*)\]?)?")
            .expect("static regex")
    });
    let text = decode_text(raw);
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut lines = text.lines();
    let header = lines.find(|l| l.trim() == "runtime permissions:")?;
    let depth = indent(header);
    let mut out = Vec::new();
    for line in lines {
        if line.trim().is_empty() {
            break;
        }
        if indent(line) <= depth || out.len() >= MAX_PERMISSIONS {
            break;
        }
        let Some(c) = re.captures(line) else { continue };
        if c[1].len() > MAX_NAME || c.get(3).is_some_and(|f| f.len() > MAX_NAME * 8) {
            continue;
        }
        out.push(RuntimePermission {
            name: c[1].to_string(),
            granted: &c[2] == "true",
            flags: c
                .get(3)
                .map(|f| {
                    f.as_str()
                        .split('|')
                        .map(str::trim)
                        .filter(|f| !f.is_empty())
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default(),
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_version_and_screen() {
        let v = parse_app_version(b"Packages:\n  Package [com.x] (1):\n    versionCode=621 minSdk=24 targetSdk=33\n    versionName=6.2.1\n").unwrap();
        assert_eq!((v.name.as_str(), v.code.as_str()), ("6.2.1", "621"));
        assert_eq!(parse_app_version(b"Unable to find package: com.y\n"), None);
        assert_eq!(
            parse_screen(
                "Physical size: 1080x2400\nOverride size: 720x1600\n",
                "Physical density: 440\n"
            )
            .as_deref(),
            Some("720x1600@440")
        );
        assert_eq!(
            parse_screen("Physical size: 1080x2400\n", "").as_deref(),
            Some("1080x2400")
        );
        assert_eq!(parse_screen("error", "Physical density: 440"), None);
    }

    #[test]
    fn what_a_device_says_is_bounded_where_it_is_parsed() {
        let huge = "A".repeat(15 << 20);
        let ops = format!("{huge}: allow; time=+1s ago\nCAMERA: allow; time=+2s ago\n");
        let got = parse_appops(ops.as_bytes());
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].op, "CAMERA");
        let focus = format!("mCurrentFocus=Window{{1 u0 com.x/{huge}}}\n");
        assert!(parse_foreground(focus.as_bytes()).is_none());
        let text = "字".repeat(200_000);
        let node = format!("<node text=\"{text}\" bounds=\"[0,0][1,1]\"/>");
        let xml = format!("<hierarchy>{}</hierarchy>", node.repeat(6));
        let nodes = parse_hierarchy(xml.as_bytes()).unwrap();
        assert_eq!(nodes.len(), 6);
        assert!(nodes[0].text.len() <= MAX_NODE_TEXT && nodes[0].text.starts_with('字'));
        let total: usize = nodes.iter().map(|n| n.text.len()).sum();
        assert!(total <= MAX_DUMP_TEXT);
        let perms = format!(
            "  runtime permissions:\n    {huge}: granted=true\n    android.permission.CAMERA: granted=false\n"
        );
        let got = parse_runtime_permissions(perms.as_bytes()).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].name, "android.permission.CAMERA");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_android_duration("+5m55s466ms"), Some(355_466));
        assert_eq!(
            parse_android_duration("-22d4h22m19s762ms"),
            Some(1_916_539_762)
        );
        assert_eq!(parse_android_duration("+2s889ms"), Some(2_889));
        assert_eq!(parse_android_duration("+x"), None);
    }

    #[test]
    fn appops_lines() {
        let ops = parse_appops(
            b"Uid mode: COARSE_LOCATION: foreground\nWAKE_LOCK: allow; time=+5m55s466ms ago; duration=+2s889ms\nAUTO_START: ignore; rejectTime=+7m6s72ms ago\nMIUIOP(10008): ignore; rejectTime=+1s ago\nNo operations.\n",
        );
        assert_eq!(ops.len(), 3);
        assert_eq!(ops[0].op, "WAKE_LOCK");
        assert_eq!(ops[0].access_ms_ago, Some(355_466));
        assert_eq!(ops[1].reject_ms_ago, Some(426_072));
        assert_eq!(ops[2].op, "MIUIOP");
    }

    #[test]
    fn a_malformed_dump_is_an_error_not_a_panic() {
        assert!(parse_hierarchy(b"</hierarchy> junk <hierarchy>").is_err());
        assert!(parse_hierarchy(b"<?xml </hierarchy>").is_err());
        assert!(
            parse_hierarchy("<hierarchy><node text='\u{202e}'/></hierarchy>".as_bytes()).is_ok()
        );
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing_the_stack() {
        let n = 5000;
        let xml = format!(
            "<hierarchy>{}{}</hierarchy>",
            "<node bounds='[0,0][1,1]'>".repeat(n),
            "</node>".repeat(n)
        );
        // On a small stack, as a worker thread has.
        let r = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(move || parse_hierarchy(xml.as_bytes()).map(|v| v.len()))
            .unwrap()
            .join()
            .expect("no stack overflow");
        assert!(matches!(r, Err(HierarchyError::Malformed(m)) if m.contains("nested more than")));
        let ok = format!(
            "<hierarchy>{}{}</hierarchy>",
            "<node>".repeat(200),
            "</node>".repeat(200)
        );
        assert_eq!(parse_hierarchy(ok.as_bytes()).map(|v| v.len()), Ok(200));
    }

    #[test]
    fn package_lists_in_both_forms() {
        assert_eq!(
            parse_packages(b"package:com.a\r\npackage:/data/app/x/base.apk=com.b\nnoise\n"),
            ["com.a", "com.b"]
        );
    }

    #[test]
    fn focus_variants() {
        let f = |s: &str| {
            parse_foreground(s.as_bytes()).map(|f| format!("{}/{}", f.package, f.activity))
        };
        assert_eq!(
            f("mCurrentFocus=Window{4330b6c0 com.android.settings/com.android.settings.SubSettings paused=false}").as_deref(),
            Some("com.android.settings/com.android.settings.SubSettings")
        );
        assert_eq!(
            f("mFocusedApp=ActivityRecord{16425300 u0 pkg/act, isShadow:false t10}").as_deref(),
            Some("pkg/act")
        );
        assert_eq!(
            f("mFocusedApp=ActivityRecord{1f72345 u0 com.mediatek.camera/.CameraLauncher} t12}\n  mCurrentFocus=Window{1651cd4 u0 NotificationShade}").as_deref(),
            Some("com.mediatek.camera/com.mediatek.camera.CameraLauncher")
        );
        assert_eq!(f("mFocusedApp=null"), None);
    }
}

/// Why raw `screencap` output could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RawScreencapError {
    /// Neither header form fits the size of the output.
    #[error("raw screencap output of {0} bytes fits neither the 12- nor the 16-byte header")]
    Size(usize),
    /// A pixel format this reader does not convert.
    #[error("raw screencap pixel format {0} is not supported (RGBA_8888, RGBX_8888, RGB_888, RGB_565, BGRA_8888 are)")]
    Format(u32),
}

/// Decodes raw `screencap` output (no `-p`): little-endian width, height,
/// format, then (Android 9+) a colour-space word, then the pixels. Which
/// header it has is told by the output's size.
pub fn parse_raw_screencap(raw: &[u8]) -> Result<image::RgbaImage, RawScreencapError> {
    let word = |i: usize| {
        raw.get(i..i + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let (Some(w), Some(h), Some(format)) = (word(0), word(4), word(8)) else {
        return Err(RawScreencapError::Size(raw.len()));
    };
    let bpp = match format {
        1 | 2 | 5 => 4,
        3 => 3,
        4 => 2,
        other => return Err(RawScreencapError::Format(other)),
    };
    let n = (w as usize)
        .checked_mul(h as usize)
        .and_then(|p| p.checked_mul(bpp))
        .ok_or(RawScreencapError::Size(raw.len()))?;
    let header = if raw.len() == 16 + n {
        16
    } else if raw.len() == 12 + n {
        12
    } else {
        return Err(RawScreencapError::Size(raw.len()));
    };
    let px = &raw[header..];
    let mut out = Vec::with_capacity(w as usize * h as usize * 4);
    match format {
        1 => out.extend_from_slice(px),
        2 => px
            .chunks_exact(4)
            .for_each(|p| out.extend_from_slice(&[p[0], p[1], p[2], 255])),
        3 => px
            .chunks_exact(3)
            .for_each(|p| out.extend_from_slice(&[p[0], p[1], p[2], 255])),
        4 => px.chunks_exact(2).for_each(|p| {
            let v = u16::from_le_bytes([p[0], p[1]]);
            let (r, g, b) = ((v >> 11) & 0x1f, (v >> 5) & 0x3f, v & 0x1f);
            out.extend_from_slice(&[
                (r * 255 / 31) as u8,
                (g * 255 / 63) as u8,
                (b * 255 / 31) as u8,
                255,
            ]);
        }),
        _ => px
            .chunks_exact(4)
            .for_each(|p| out.extend_from_slice(&[p[2], p[1], p[0], p[3]])),
    }
    image::RgbaImage::from_raw(w, h, out).ok_or(RawScreencapError::Size(raw.len()))
}

#[cfg(test)]
mod window_tests {
    use super::*;

    /// The three real `dumpsys window windows` outputs (Android 11, 12, 13)
    /// of the appium fixture, each a template literal of the test file.
    fn real_outputs() -> Vec<String> {
        let file = include_str!(
            "../../tests/fixtures/realdata/appium-android-driver_systems-bars.spec.ts"
        );
        file.split("const validWindowOutputA")
            .skip(1)
            .filter_map(|part| {
                part.split_once('`')
                    .and_then(|(_, rest)| rest.split_once('`'))
            })
            .map(|(body, _)| body.to_string())
            .collect()
    }

    fn fg(c: &str) -> Foreground {
        Foreground::from_component(c).unwrap()
    }

    #[test]
    fn real_outputs_show_the_launcher_is_not_secure() {
        let outs = real_outputs();
        assert_eq!(outs.len(), 3);
        let a11 = fg("com.google.android.apps.nexuslauncher/com.google.android.apps.nexuslauncher.NexusLauncherActivity");
        let a12 = fg("com.android.launcher3/com.android.launcher3.uioverrides.QuickstepLauncher");
        assert_eq!(
            parse_window_secure(outs[0].as_bytes(), Some(&a11)),
            Some(false)
        );
        assert_eq!(
            parse_window_secure(outs[1].as_bytes(), Some(&a12)),
            Some(false)
        );
        assert_eq!(
            parse_window_secure(outs[2].as_bytes(), Some(&a11)),
            Some(false)
        );
        // A window that is not there: nothing is known.
        let other = fg("com.example.bank/com.example.bank.LoginActivity");
        assert_eq!(parse_window_secure(outs[0].as_bytes(), Some(&other)), None);
        assert_eq!(parse_window_secure(outs[0].as_bytes(), None), None);
    }

    #[test]
    fn the_secure_flag_by_name_and_by_mask() {
        // The Android 12 output with the launcher's window made secure, as
        // Android prints a window with FLAG_SECURE among its flags.
        let a12 = &real_outputs()[1];
        let launcher =
            fg("com.android.launcher3/com.android.launcher3.uioverrides.QuickstepLauncher");
        let start = a12.find("Window #6 ").unwrap();
        let fl = start + a12[start..].find("fl=").unwrap() + 3;
        let secure = format!("{}SECURE {}", &a12[..fl], &a12[fl..]);
        assert_eq!(
            parse_window_secure(secure.as_bytes(), Some(&launcher)),
            Some(true)
        );
        // Another window's flag does not make the focused one secure.
        let first = a12.find("fl=").unwrap() + 3;
        let elsewhere = format!("{}SECURE {}", &a12[..first], &a12[first..]);
        assert_eq!(
            parse_window_secure(elsewhere.as_bytes(), Some(&launcher)),
            Some(false)
        );
        // `mCurrentFocus=` names the window by its token.
        let with_focus = format!("{secure}\n  mCurrentFocus=Window{{86a2d27 u0 com.android.launcher3/com.android.launcher3.uioverrides.QuickstepLauncher}}\n");
        assert_eq!(parse_window_secure(with_focus.as_bytes(), None), Some(true));
        // Android 5 to 8: one line of LayoutParams with a hexadecimal mask.
        let old = "  Window #3 Window{41f2a8 u0 com.example.bank/com.example.bank.PayActivity}:\n    mAttrs=WM.LayoutParams{(0,0)(fillxfill) sim=#20 ty=1 fl=#81812100 wanim=0x1030466 needsMenuKey=2}\n  mCurrentFocus=Window{41f2a8 u0 com.example.bank/com.example.bank.PayActivity}\n";
        assert_eq!(parse_window_secure(old.as_bytes(), None), Some(true));
        let open = old.replace("#81812100", "#81810100");
        assert_eq!(parse_window_secure(open.as_bytes(), None), Some(false));
        // A vendor's `FLAG_SECURE` name.
        let vendor = "  Window #0 Window{9 u0 com.example.bank/.Login}:\n    mAttrs={(0,0)(fillxfill) ty=BASE_APPLICATION\n      fl=LAYOUT_IN_SCREEN FLAG_SECURE HARDWARE_ACCELERATED\n  mCurrentFocus=Window{9 u0 com.example.bank/.Login}\n";
        assert_eq!(parse_window_secure(vendor.as_bytes(), None), Some(true));
        // Hostile output: no panic, nothing known.
        for junk in [
            "fl=",
            "Window #",
            "mCurrentFocus=Window{",
            "Window #1 Window{x u0 a/b}:\n fl=#zz",
        ] {
            assert_eq!(parse_window_secure(junk.as_bytes(), None), None);
        }
    }
}

#[cfg(test)]
mod raw_tests {
    use super::*;

    fn raw(header: &[u32], px: &[u8]) -> Vec<u8> {
        header
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .chain(px.iter().copied())
            .collect()
    }

    #[test]
    fn both_header_versions() {
        let px = [1, 2, 3, 4, 5, 6, 7, 8];
        let v2 = parse_raw_screencap(&raw(&[2, 1, 1, 0], &px)).unwrap();
        let v1 = parse_raw_screencap(&raw(&[2, 1, 1], &px)).unwrap();
        assert_eq!(v1, v2);
        assert_eq!(v1.get_pixel(1, 0).0, [5, 6, 7, 8]);
        let bgra = parse_raw_screencap(&raw(&[1, 1, 5, 0], &[10, 20, 30, 255])).unwrap();
        assert_eq!(bgra.get_pixel(0, 0).0, [30, 20, 10, 255]);
        assert_eq!(
            parse_raw_screencap(&raw(&[2, 1, 1, 0], &px[..7])),
            Err(RawScreencapError::Size(23))
        );
        assert_eq!(
            parse_raw_screencap(&raw(&[1, 1, 9], &[0; 4])),
            Err(RawScreencapError::Format(9))
        );
    }
}

#[cfg(test)]
mod appops_tests {
    use super::*;

    #[test]
    fn both_appops_forms_and_hostile_input() {
        // `cmd appops get` of Android 14 (relative times, `Uid mode:` first).
        let get = parse_appops(
            b"Uid mode: COARSE_LOCATION: foreground\nFINE_LOCATION: allow; time=+10m48s986ms ago\nGPS: allow; time=+10m48s966ms ago; duration=+27ms\nCAMERA: ignore\nACCESS_RESTRICTED_SETTINGS: default; rejectTime=+6h20m2s425ms ago\n",
        );
        assert_eq!(get.len(), 4);
        assert_eq!(get[0].access_ms_ago, Some(648_986));
        assert_eq!(get[2].access_ms_ago, None);
        // Android 9's `appops get` without ` ago`, and a running op.
        let old = parse_appops(
            b"COARSE_LOCATION: allow; time=+2d3h (running)\nCAMERA: allow; time=+5h30m\n",
        );
        assert_eq!(old[0].access_ms_ago, Some(2 * 86_400_000 + 3 * 3_600_000));
        assert!(old[0].running);
        assert_eq!(old[1].access_ms_ago, Some(5 * 3_600_000 + 30 * 60_000));
        // Overflowing durations are dropped, not a panic.
        assert_eq!(parse_android_duration("+99999999999999999d"), None);
        // Out of any plausible range: malformed, not 27 million years ago.
        assert_eq!(parse_android_duration("+9999999999d"), None);
        let huge = parse_appops(b"X: allow; time=+99999999999999999999d ago\n");
        assert_eq!(huge[0].access_ms_ago, None);
        // Bounded output.
        let many = "CAMERA: allow; time=+1s ago\n".repeat(MAX_APPOPS + 10);
        assert_eq!(parse_appops(many.as_bytes()).len(), MAX_APPOPS);
        // Garbage is no record.
        assert!(parse_appops(b"\xff\xfe\x00garbage(:\n  Access: [x\n").is_empty());
        assert_eq!(
            parse_runtime_permissions(b"runtime permissions:"),
            Some(Vec::new())
        );
    }
}

//! YAML loading with source positions, and the diagnostics users see for
//! mistakes in their own files (scenarios and simulated-app models).

use std::fmt;
use std::path::{Path, PathBuf};

use saphyr::ScalarOwned;
use saphyr_parser::{Event, Marker, Parser, ScanError};

/// A position in a source file: 1-based line and column, and the byte range
/// of the offending text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub col: usize,
    /// Byte offset of the start.
    pub offset: usize,
    /// Length in bytes of the offending text (at least 1 when rendered).
    pub len: usize,
}

/// A mistake in a user's file: where, what, and what would fix it.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The file the mistake is in.
    pub file: PathBuf,
    /// Where in the file.
    pub pos: Pos,
    /// What is wrong, in lowercase words.
    pub message: String,
    /// What to write instead, when we can tell.
    pub help: Option<String>,
    /// The whole source, for rendering the offending line.
    pub source: String,
}

impl Diagnostic {
    /// Renders the diagnostic as `file:line:col: error: message`, then the
    /// source line with a caret under the offending text, then the help.
    pub fn render(&self) -> String {
        let mut out = format!(
            "{}:{}:{}: {}: {}\n",
            self.file.display(),
            self.pos.line,
            self.pos.col,
            crate::t!("diag-error"),
            self.message
        );
        if let Some(line) = self.source.lines().nth(self.pos.line.saturating_sub(1)) {
            let line = line.strip_prefix('\u{feff}').unwrap_or(line);
            let gutter = self.pos.line.to_string();
            let pad = " ".repeat(gutter.len());
            // The caret goes under the offending text; count display columns
            // so CJK characters (two columns wide) line up.
            let prefix: String = line.chars().take(self.pos.col.saturating_sub(1)).collect();
            let width_before = display_width(&prefix);
            let text_len = self
                .source
                .get(self.pos.offset..self.pos.offset + self.pos.len)
                .map(|s| display_width(s.lines().next().unwrap_or("")))
                .unwrap_or(1)
                .max(1);
            out.push_str(&format!("{pad} |\n{gutter} | {line}\n{pad} | "));
            out.push_str(&" ".repeat(width_before));
            out.push_str(&"^".repeat(text_len));
            out.push('\n');
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("  = {}: {help}\n", crate::t!("diag-help")));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for Diagnostic {}

fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if (c as u32) >= 0x1100 && !c.is_ascii() {
                2
            } else {
                1
            }
        })
        .sum()
}

/// One YAML node with its position; a thin view over saphyr's marked tree.
#[derive(Debug, Clone)]
pub struct Node {
    /// Where the node starts and how long it is.
    pub pos: Pos,
    /// The value.
    pub value: Value,
}

/// The value of a YAML node.
#[derive(Debug, Clone)]
pub enum Value {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// Any string.
    Str(String),
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, keys kept in file order with their positions.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// What kind of value this is, for "expected X, found Y" messages.
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "a number",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// [`Node::kind`] in the process's language, for diagnostics.
    pub fn kind_name(&self) -> String {
        match &self.value {
            Value::Null => crate::t!("diag-kind-nothing"),
            Value::Bool(_) => crate::t!("diag-kind-boolean"),
            Value::Int(_) | Value::Float(_) => crate::t!("diag-kind-number"),
            Value::Str(_) => crate::t!("diag-kind-string"),
            Value::Seq(_) => crate::t!("diag-kind-list"),
            Value::Map(_) => crate::t!("diag-kind-mapping"),
        }
    }

    /// How many nodes this one holds, itself included.
    pub fn size(&self) -> usize {
        match &self.value {
            Value::Seq(items) => 1 + items.iter().map(Node::size).sum::<usize>(),
            Value::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|(k, v)| k.size() + v.size())
                    .sum::<usize>()
            }
            _ => 1,
        }
    }

    /// The string value of a scalar (numbers and booleans spelled as written).
    pub fn as_scalar_string(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// Converts to a JSON value (positions dropped), for typed decoding of
    /// files whose mistakes need not point at a column.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.as_scalar_string().unwrap_or_default(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// The largest YAML file read: far beyond any scenario or app model, small
/// enough that a stray multi-gigabyte file is refused at once.
pub const MAX_FILE_BYTES: usize = 4 << 20;
/// The most nodes (scalars, lists, mappings) one file may hold, aliases
/// expanded.
pub const MAX_NODES: usize = 250_000;
/// The deepest nesting of lists and mappings.
pub const MAX_DEPTH: usize = 64;
/// The most nodes that aliases (`*name`) may add by repeating their anchor:
/// enough to share a block of steps, too little for a "billion laughs".
pub const MAX_ALIAS_NODES: usize = 10_000;

/// The text without a leading UTF-8 byte-order mark, and the mark's length.
fn split_bom(source: &str) -> (&str, usize) {
    match source.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (source, 0),
    }
}

/// Turns the parser's (line, 0-based column) markers into byte offsets in
/// linear total time: markers arrive in file order, so a cursor is walked
/// forward instead of rescanning the file for each one.
struct Locator<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    cursor: (usize, usize, usize),
}

impl<'a> Locator<'a> {
    fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Locator {
            text,
            line_starts,
            cursor: (0, 0, 0),
        }
    }

    /// Byte offset of 1-based `line`, 0-based char column `col`.
    fn offset(&mut self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let (mut c, mut b) = if self.cursor.0 == line && self.cursor.1 <= col {
            (self.cursor.1, self.cursor.2)
        } else {
            (0, start)
        };
        let rest = self.text.get(b..).unwrap_or("");
        for ch in rest.chars() {
            if c >= col || ch == '\n' {
                break;
            }
            c += 1;
            b += ch.len_utf8();
        }
        self.cursor = (line, c, b);
        b
    }

    fn pos(&mut self, m: &Marker, bom: usize) -> Pos {
        Pos {
            line: m.line().max(1),
            col: m.col() + 1,
            offset: self.offset(m.line(), m.col()) + bom,
            len: 0,
        }
    }
}

/// Why a file is refused before or while it is parsed.
fn refuse(file: &Path, source: &str, pos: Pos, message: String, help: &str) -> Box<Diagnostic> {
    Box::new(Diagnostic {
        file: file.to_path_buf(),
        pos,
        message,
        help: Some(help.into()),
        source: source.to_string(),
    })
}

/// A collection being built: its start, its anchor, and its items so far.
struct Open {
    pos: Pos,
    anchor: usize,
    map: bool,
    items: Vec<Node>,
}

/// Parses one YAML document, keeping positions. A syntax error (bad
/// indentation, an unclosed quote) becomes a [`Diagnostic`], and so does a
/// file past the limits ([`MAX_FILE_BYTES`], [`MAX_NODES`], [`MAX_DEPTH`],
/// [`MAX_ALIAS_NODES`]) or a mapping with the same key twice. A leading
/// byte-order mark is ignored. Time and memory are linear in the input.
pub fn load(file: &Path, source: &str) -> Result<Node, Box<Diagnostic>> {
    let first = Pos {
        line: 1,
        col: 1,
        offset: 0,
        len: 1,
    };
    if source.len() > MAX_FILE_BYTES {
        return Err(refuse(
            file,
            "",
            first,
            format!(
                "the file is {} bytes, more than the {} a YAML file may have",
                source.len(),
                MAX_FILE_BYTES
            ),
            "split it into several files",
        ));
    }
    let (text, bom) = split_bom(source);
    // saphyr-parser 0.0.12 allocates without bound when the last line is a
    // directive (`%…`) with no line break after it: the scanner keeps
    // reading past the end of the input (a one-byte file `%` reached 4 GB
    // in 13 s). Upstream report, in their words: "Scanner: `%` directive at
    // EOF without a trailing newline loops allocating forever". A final
    // line break sidesteps it and changes nothing else a YAML reader sees.
    let owned;
    let text = if text.ends_with('\n') {
        text
    } else {
        owned = format!("{text}\n");
        owned.as_str()
    };
    let mut loc = Locator::new(text);
    let syntax_error = |loc: &mut Locator, e: ScanError| {
        let m = e.marker();
        let mut pos = loc.pos(m, bom);
        pos.len = 1;
        Box::new(Diagnostic {
            file: file.to_path_buf(),
            pos,
            message: crate::t!("diag-invalid-yaml", info = e.info()),
            help: Some(crate::t!("diag-check-indentation")),
            source: source.to_string(),
        })
    };

    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: Vec<Option<Node>> = Vec::new();
    let mut nodes = 0usize;
    let mut alias_nodes = 0usize;
    let mut done: Option<Node> = None;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| syntax_error(&mut loc, e))?;
        let mut pos = loc.pos(&span.start, bom);
        let (node, anchor) = match event {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(refuse(
                        file,
                        source,
                        Pos { len: 1, ..pos },
                        format!("lists and mappings are nested more than {MAX_DEPTH} deep"),
                        "flatten the structure",
                    ));
                }
                stack.push(Open {
                    pos,
                    anchor,
                    map: matches!(event, Event::MappingStart(..)),
                    items: Vec::new(),
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = stack.pop() else { continue };
                let end = loc.pos(&span.end, bom);
                let mut pos = open.pos;
                // A collection's span can cover many lines; point at its first line.
                let first_line_len = source[pos.offset.min(source.len())..]
                    .lines()
                    .next()
                    .map_or(0, str::len);
                pos.len = end.offset.saturating_sub(pos.offset).min(first_line_len);
                let value = if open.map {
                    let mut entries = Vec::with_capacity(open.items.len() / 2);
                    let mut seen = std::collections::HashMap::new();
                    let mut items = open.items.into_iter();
                    while let (Some(k), Some(v)) = (items.next(), items.next()) {
                        if let Some(name) = k.as_scalar_string() {
                            if let Some(line) = seen.insert(name.clone(), k.pos.line) {
                                return Err(refuse(
                                    file,
                                    source,
                                    Pos {
                                        len: k.pos.len.max(1),
                                        ..k.pos
                                    },
                                    format!("duplicate key `{name}`"),
                                    &format!(
                                        "`{name}` is already set on line {line}; keep one of them"
                                    ),
                                ));
                            }
                        }
                        entries.push((k, v));
                    }
                    Value::Map(entries)
                } else {
                    Value::Seq(open.items)
                };
                (Node { pos, value }, open.anchor)
            }
            Event::Scalar(v, style, anchor, tag) => {
                let end = loc.pos(&span.end, bom);
                pos.len = end.offset.saturating_sub(pos.offset);
                let value = match ScalarOwned::parse_from_cow_and_metadata(
                    v.clone(),
                    style,
                    tag.as_ref(),
                ) {
                    Some(s) => scalar(s),
                    // A core-schema tag the value does not fit (`!!int abc`): keep the text.
                    None => Value::Str(v.into_owned()),
                };
                (Node { pos, value }, anchor)
            }
            Event::Alias(id) => {
                let Some(Some(target)) = anchors.get(id) else {
                    return Err(refuse(
                        file,
                        source,
                        Pos { len: 1, ..pos },
                        "an alias refers to an anchor that is not defined before it".into(),
                        "define `&name` before using `*name`",
                    ));
                };
                let size = target.size();
                alias_nodes += size;
                if alias_nodes > MAX_ALIAS_NODES {
                    return Err(refuse(
                        file,
                        source,
                        Pos { len: 1, ..pos },
                        format!("aliases expand to more than {MAX_ALIAS_NODES} nodes"),
                        "repeat the content instead of nesting aliases of aliases",
                    ));
                }
                nodes += size - 1;
                let mut node = target.clone();
                node.pos = Pos { len: 1, ..pos };
                (node, 0)
            }
            Event::DocumentStart(_) if done.is_some() => {
                return Err(refuse(
                    file,
                    source,
                    Pos { len: 1, ..pos },
                    "a second YAML document starts here; a file holds one".into(),
                    "put each scenario in a file of its own (a folder of files runs them all)",
                ));
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => continue,
        };
        nodes += 1;
        if nodes > MAX_NODES {
            return Err(refuse(
                file,
                source,
                Pos { len: 1, ..node.pos },
                format!("the file has more than {MAX_NODES} values"),
                "split it into several files",
            ));
        }
        if anchor > 0 {
            if anchors.len() <= anchor {
                anchors.resize(anchor + 1, None);
            }
            anchors[anchor] = Some(node.clone());
        }
        match stack.last_mut() {
            Some(open) => open.items.push(node),
            None => done = Some(node),
        }
    }
    Ok(done.unwrap_or(Node {
        pos: Pos {
            line: 1,
            col: 1,
            offset: 0,
            len: 0,
        },
        value: Value::Null,
    }))
}

fn scalar(s: ScalarOwned) -> Value {
    match s {
        ScalarOwned::Null => Value::Null,
        ScalarOwned::Boolean(b) => Value::Bool(b),
        ScalarOwned::Integer(i) => Value::Int(i),
        ScalarOwned::FloatingPoint(f) => Value::Float(f.into_inner()),
        ScalarOwned::String(s) => Value::Str(s),
    }
}

/// The closest candidate to a mistyped word, if it is close enough to be a
/// likely typo ("did you mean `tap`?").
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3) && *d < word.len().max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_point_at_values() {
        let src = "app:\n  package: com.x\nsteps:\n  - tap: 同意\n";
        let doc = load(Path::new("s.yaml"), src).unwrap();
        let Value::Map(entries) = doc.value else {
            panic!("not a map")
        };
        let (_, steps) = &entries[1];
        let Value::Seq(items) = &steps.value else {
            panic!("not a seq")
        };
        let Value::Map(step) = &items[0].value else {
            panic!("not a map")
        };
        assert_eq!((step[0].0.pos.line, step[0].0.pos.col), (4, 5));
        assert_eq!((step[0].1.pos.line, step[0].1.pos.col), (4, 10));
        assert_eq!(&src[step[0].1.pos.offset..][..6], "同意");
    }

    #[test]
    fn suggestions_catch_typos_only() {
        let c = ["tap", "type", "back", "launch", "refuse"];
        assert_eq!(suggest("tapp", &c), Some("tap"));
        assert_eq!(suggest("lanch", &c), Some("launch"));
        assert_eq!(suggest("xyzzy", &c), None);
    }

    fn refused(src: &str) -> Box<Diagnostic> {
        load(Path::new("s.yaml"), src).expect_err("refused")
    }

    #[test]
    fn a_second_document_is_an_error_at_its_line() {
        let e = refused("app:\n  package: com.x\n---\nsteps: []\n");
        assert_eq!((e.pos.line, e.pos.col), (3, 1), "{}", e.render());
        assert!(e.message.contains("second YAML document"), "{}", e.message);
        // One document, its start and end marked, is fine.
        load(Path::new("s.yaml"), "---\na: 1\n...\n").unwrap();
    }

    #[test]
    fn a_last_line_directive_without_a_line_break_is_an_error_not_a_hang() {
        for src in ["%", "a: 1\n%", "%YAML", "%TAG"] {
            let _ = load(Path::new("s.yaml"), src);
        }
    }

    #[test]
    fn aliases_expand_within_a_budget() {
        let ok = load(Path::new("s.yaml"), "a: &x [1, 2]\nb: *x\n").unwrap();
        assert_eq!(ok.size(), 1 + (1 + 3) + (1 + 3));
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for c in "bcdefghi".chars() {
            let p = (c as u8 - 1) as char;
            bomb.push_str(&format!(
                "{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
            ));
        }
        let e = refused(&bomb);
        assert!(
            e.message.starts_with("aliases expand to more than"),
            "{}",
            e.message
        );
        assert_eq!(e.pos.line, 4);
    }

    #[test]
    fn nesting_and_duplicates_are_refused_where_they_are() {
        let deep = format!(
            "{}1{}",
            "[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        let e = refused(&deep);
        assert!(e.message.contains("nested more than"), "{}", e.message);
        let _ = refused(&"[".repeat(100_000));
        // Far deeper: refused (by saphyr-parser's own limit or ours), no overflow.
        let _ = refused(&format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)));
        let e = refused("a: 1\nb: 2\na: 3\n");
        assert_eq!((e.pos.line, e.pos.col), (3, 1));
        assert_eq!(e.message, "duplicate key `a`");
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_offsets_stay_in_the_file() {
        let src = "\u{feff}app: 1\nb: x\n";
        let doc = load(Path::new("s.yaml"), src).unwrap();
        let Value::Map(m) = doc.value else {
            panic!("not a map")
        };
        assert_eq!(m[0].0.as_scalar_string().as_deref(), Some("app"));
        assert_eq!(&src[m[1].1.pos.offset..][..1], "x");
    }

    #[test]
    fn positions_are_found_in_linear_time_on_one_long_line() {
        // 100,000 items on one line: a rescan per node would take minutes.
        let src = format!("[{}]", vec!["1"; 100_000].join(", "));
        let doc = load(Path::new("s.yaml"), &src).unwrap();
        let Value::Seq(items) = doc.value else {
            panic!("not a list")
        };
        assert_eq!(items[99_999].pos.offset, src.len() - 2);
    }
}

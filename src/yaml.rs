//! YAML loading with source positions, and the diagnostics users see for
//! mistakes in their own files (scenarios and simulated-app models).

use std::fmt;
use std::path::{Path, PathBuf};

use saphyr::{LoadableYamlNode, MarkedYamlOwned, ScalarOwned, YamlDataOwned};

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
            "{}:{}:{}: error: {}\n",
            self.file.display(),
            self.pos.line,
            self.pos.col,
            self.message
        );
        if let Some(line) = self.source.lines().nth(self.pos.line.saturating_sub(1)) {
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
            out.push_str(&format!("  = help: {help}\n"));
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

/// Parses one YAML document, keeping positions. A syntax error (bad
/// indentation, an unclosed quote) becomes a [`Diagnostic`].
pub fn load(file: &Path, source: &str) -> Result<Node, Box<Diagnostic>> {
    let docs = MarkedYamlOwned::load_from_str(source).map_err(|e| {
        let m = e.marker();
        let pos = pos_at(source, m.line(), m.col() + 1, 1);
        Box::new(Diagnostic {
            file: file.to_path_buf(),
            pos,
            message: format!("invalid YAML: {}", e.info()),
            help: Some(
                "check the indentation: list items start with `- ` and nested keys are indented under their parent"
                    .into(),
            ),
            source: source.to_string(),
        })
    })?;
    match docs.into_iter().next() {
        Some(doc) => Ok(convert(source, doc)),
        None => Ok(Node {
            pos: Pos {
                line: 1,
                col: 1,
                offset: 0,
                len: 0,
            },
            value: Value::Null,
        }),
    }
}

fn convert(source: &str, node: MarkedYamlOwned) -> Node {
    let start = node.span.start;
    let end = node.span.end;
    let mut pos = pos_at(source, start.line(), start.col() + 1, 0);
    let end_pos = pos_at(source, end.line(), end.col() + 1, 0);
    pos.len = end_pos.offset.saturating_sub(pos.offset);
    let value = match node.data {
        YamlDataOwned::Value(s) => scalar(s),
        YamlDataOwned::Representation(s, _, _) => Value::Str(s),
        YamlDataOwned::Sequence(items) => {
            Value::Seq(items.into_iter().map(|n| convert(source, n)).collect())
        }
        YamlDataOwned::Mapping(map) => Value::Map(
            map.into_iter()
                .map(|(k, v)| (convert(source, k), convert(source, v)))
                .collect(),
        ),
        YamlDataOwned::Tagged(_, inner) => convert(source, *inner).value,
        YamlDataOwned::Alias(_) | YamlDataOwned::BadValue => Value::Null,
    };
    if matches!(value, Value::Seq(_) | Value::Map(_)) {
        // A collection's span can cover many lines; point at its first line.
        let first_line_len = source[pos.offset.min(source.len())..]
            .lines()
            .next()
            .map_or(0, str::len);
        pos.len = pos.len.min(first_line_len);
    }
    Node { pos, value }
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

/// Byte offset of a 1-based (line, column-in-chars) position.
fn pos_at(source: &str, line: usize, col: usize, len: usize) -> Pos {
    let mut offset = 0;
    for (i, l) in source.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let in_line: usize = l
                .chars()
                .take(col.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            return Pos {
                line,
                col,
                offset: offset + in_line,
                len,
            };
        }
        offset += l.len();
    }
    Pos {
        line: line.max(1),
        col: col.max(1),
        offset: source.len(),
        len,
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
}

//! A message together with its language-free reason: the message id and
//! its arguments (numbers, frame indices, ids, text quoted from the
//! screen, and the reasons of the translated pieces it was built from).
//! [`said!`](crate::said) makes both from the same id and arguments, so a
//! verdict's `message` and its `reason` in report.json cannot drift apart.

use std::collections::BTreeMap;
use std::fmt;

use fluent_bundle::FluentValue;
use serde::{Deserialize, Serialize};

/// Why a verdict came out as it did, in no language: tools read this
/// whatever the language of the report's messages.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Reason {
    /// The message id of en.ftl / zh.ftl, or a stable code.
    pub code: String,
    /// Its arguments, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, Arg>,
}

impl Reason {
    /// Whether it is no reason at all (read from a report older than
    /// reasons).
    pub fn is_empty(&self) -> bool {
        self.code.is_empty()
    }
}

/// One argument of a [`Reason`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    /// A count, a frame index, a time in ms.
    Int(i64),
    /// A measured number.
    Num(f64),
    /// Text that is no translation: quoted from the screen, an id, a path.
    Text(String),
    /// A list of arguments (a message's enumeration).
    List(Vec<Arg>),
    /// A translated piece of the message, by its own reason.
    Reason(Reason),
}

/// A message in the process's language and its language-free reason.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Said {
    /// The message, in the process's language.
    pub text: String,
    /// The same message, language-free.
    pub reason: Reason,
}

impl Said {
    /// The message `id` with `args`, in the process's language.
    pub fn new(id: &str, args: Vec<(&str, (Arg, FluentValue<'static>))>) -> Said {
        let mut fluent = Vec::with_capacity(args.len());
        let mut map = BTreeMap::new();
        for (k, (a, v)) in args {
            map.insert(k.to_string(), a);
            fluent.push((k, v));
        }
        Said {
            text: super::message(super::current(), id, &fluent),
            reason: Reason {
                code: id.to_string(),
                args: map,
            },
        }
    }

    /// No piece at all: an empty text where a message has an optional
    /// part (it reads as an empty text in the reason).
    pub fn none() -> Said {
        Said {
            text: String::new(),
            reason: Reason::default(),
        }
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Text that needs no translation (quoted from the screen, an id),
    /// standing where a piece of message could: code `verbatim`.
    pub fn verbatim(text: impl Into<String>) -> Said {
        let text = text.into();
        Said {
            reason: Reason {
                code: "verbatim".into(),
                args: BTreeMap::from([("text".to_string(), Arg::Text(text.clone()))]),
            },
            text,
        }
    }

    /// The text, with `f` applied, and the same reason: for a wrapper that
    /// changes only the layout (a bracket, a line break).
    pub fn map_text(self, f: impl FnOnce(String) -> String) -> Said {
        Said {
            text: f(self.text),
            reason: self.reason,
        }
    }
}

impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<Said> for String {
    fn from(s: Said) -> String {
        s.text
    }
}

/// A list of arguments joined into one text (an enumeration inside a
/// message): the text joins the items' texts, the reason keeps the items.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// The items' texts, joined.
    pub text: String,
    /// The items.
    pub items: Vec<Arg>,
}

impl Listed {
    /// `items` joined by `sep`.
    pub fn join<I: IntoArg>(items: impl IntoIterator<Item = I>, sep: &str) -> Listed {
        let mut texts = Vec::new();
        let mut args = Vec::new();
        for i in items {
            let (a, v) = i.into_arg();
            texts.push(fluent_text(&v));
            args.push(a);
        }
        Listed {
            text: texts.join(sep),
            items: args,
        }
    }

    /// The same items with a text of the caller's own layout.
    pub fn with_text(self, text: String) -> Listed {
        Listed {
            text,
            items: self.items,
        }
    }
}

fn fluent_text(v: &FluentValue<'_>) -> String {
    match v {
        FluentValue::String(s) => s.to_string(),
        FluentValue::Number(n) => n.as_string().into_owned(),
        _ => String::new(),
    }
}

/// A value that can be an argument of [`said!`](crate::said): its
/// language-free form and its form for Fluent.
pub trait IntoArg {
    /// Both forms.
    fn into_arg(self) -> (Arg, FluentValue<'static>);
}

macro_rules! int_arg {
    ($($t:ty),*) => {$(
        impl IntoArg for $t {
            fn into_arg(self) -> (Arg, FluentValue<'static>) {
                (Arg::Int(self as i64), FluentValue::from(self))
            }
        }
    )*};
}
int_arg!(u8, u16, u32, u64, usize, i32, i64);

impl IntoArg for f64 {
    fn into_arg(self) -> (Arg, FluentValue<'static>) {
        (Arg::Num(self), FluentValue::from(self))
    }
}

impl IntoArg for &str {
    fn into_arg(self) -> (Arg, FluentValue<'static>) {
        (
            Arg::Text(self.to_string()),
            FluentValue::from(self.to_string()),
        )
    }
}

impl IntoArg for &&str {
    fn into_arg(self) -> (Arg, FluentValue<'static>) {
        (*self).into_arg()
    }
}

impl IntoArg for &usize {
    fn into_arg(self) -> (Arg, FluentValue<'static>) {
        (*self).into_arg()
    }
}

impl IntoArg for String {
    fn into_arg(self) -> (Arg, FluentValue<'static>) {
        (Arg::Text(self.clone()), FluentValue::from(self))
    }
}

impl IntoArg for &String {
    fn into_arg(self) -> (Arg, FluentValue<'static>) {
        self.as_str().into_arg()
    }
}

impl IntoArg for Said {
    fn into_arg(self) -> (Arg, FluentValue<'static>) {
        if self.reason.code.is_empty() {
            return self.text.into_arg();
        }
        (Arg::Reason(self.reason), FluentValue::from(self.text))
    }
}

impl IntoArg for &Said {
    fn into_arg(self) -> (Arg, FluentValue<'static>) {
        self.clone().into_arg()
    }
}

/// No piece: an empty text.
impl IntoArg for Option<Said> {
    fn into_arg(self) -> (Arg, FluentValue<'static>) {
        match self {
            Some(s) => s.into_arg(),
            None => String::new().into_arg(),
        }
    }
}

impl IntoArg for Listed {
    fn into_arg(self) -> (Arg, FluentValue<'static>) {
        (Arg::List(self.items), FluentValue::from(self.text))
    }
}

impl IntoArg for &Listed {
    fn into_arg(self) -> (Arg, FluentValue<'static>) {
        self.clone().into_arg()
    }
}

/// A message in the process's language together with its language-free
/// [`Reason`]: `said!("no-popup-loop-loop", n = 2, through = piece)`.
/// Arguments are numbers, text that is no translation, or other
/// [`Said`] pieces (kept in the reason by their own id and arguments).
#[macro_export]
macro_rules! said {
    ($id:literal) => {
        $crate::i18n::Said::new($id, Vec::new())
    };
    ($id:literal, $($k:ident = $v:expr),+ $(,)?) => {
        $crate::i18n::Said::new(
            $id,
            vec![$((stringify!($k), $crate::i18n::IntoArg::into_arg($v))),+],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_keeps_the_pieces_by_id_and_reads_back() {
        let piece = crate::said!("evidence-op-contacts");
        let s = crate::said!("evidence-op-name", op = "READ_CONTACTS", meaning = piece);
        assert_eq!(s.reason.code, "evidence-op-name");
        assert_eq!(
            s.reason.args["meaning"],
            Arg::Reason(Reason {
                code: "evidence-op-contacts".into(),
                args: BTreeMap::new()
            })
        );
        let json = serde_json::to_string(&s.reason).unwrap();
        assert_eq!(
            json,
            r#"{"code":"evidence-op-name","args":{"meaning":{"code":"evidence-op-contacts"},"op":"READ_CONTACTS"}}"#
        );
        let back: Reason = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s.reason);
        let n: Reason =
            serde_json::from_str(r#"{"code":"x","args":{"n":3,"f":1.5,"l":[1,"a"]}}"#).unwrap();
        assert_eq!(n.args["n"], Arg::Int(3));
        assert_eq!(n.args["f"], Arg::Num(1.5));
        assert_eq!(
            n.args["l"],
            Arg::List(vec![Arg::Int(1), Arg::Text("a".into())])
        );
    }
}

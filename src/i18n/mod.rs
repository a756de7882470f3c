//! The languages people read consentry in: English and Chinese. Every text
//! for people that is translated lives in one Fluent file per language
//! (`en.ftl`, `zh.ftl`, embedded); code names a message by its id with
//! [`t!`](crate::t). A test fails when an id is in one file and not the
//! other, or when code names an id neither has.
//!
//! The language is chosen once per process: `--lang zh|en`, else the
//! locale (`LC_ALL`, `LC_MESSAGES`, `LANG`: `zh…` gives Chinese), else
//! English. report.json keeps its English keys and ids whatever the language.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

mod reason;
pub use reason::{Arg, IntoArg, Listed, Reason, Said};

/// A language of the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Chinese (简体中文).
    Zh,
}

/// The Fluent source of each language.
pub const SOURCES: [(Lang, &str); 2] = [
    (Lang::En, include_str!("en.ftl")),
    (Lang::Zh, include_str!("zh.ftl")),
];

impl Lang {
    /// The language the locale asks for: the first of `LC_ALL`,
    /// `LC_MESSAGES`, `LANG` that is set and not empty; `zh…` is Chinese.
    pub fn from_env() -> Lang {
        let var = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty());
        Lang::from_locale(var.as_deref().unwrap_or(""))
    }

    /// The language of a locale name (`zh_CN.UTF-8`, `en_US`, `C`).
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// Its BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Sets the language of this process.
pub fn set(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::SeqCst);
}

/// The language of this process.
pub fn current() -> Lang {
    match CURRENT.load(Ordering::SeqCst) {
        1 => Lang::Zh,
        _ => Lang::En,
    }
}

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: [OnceLock<FluentBundle<FluentResource>>; 2] =
        [OnceLock::new(), OnceLock::new()];
    BUNDLES[lang as usize].get_or_init(|| {
        let src = SOURCES[lang as usize].1;
        let res = FluentResource::try_new(src.to_string())
            .unwrap_or_else(|(_, e)| panic!("{}.ftl does not parse: {e:?}", lang.tag()));
        let id: unic_langid::LanguageIdentifier = lang.tag().parse().expect("a language tag");
        let mut b = FluentBundle::new_concurrent(vec![id]);
        // Plain text: no Unicode isolation marks around arguments (they
        // would show in terminals and spreadsheets).
        b.set_use_isolating(false);
        b.add_resource(res)
            .unwrap_or_else(|e| panic!("{}.ftl: {e:?}", lang.tag()));
        b
    })
}

/// The message `id` in `lang`, with `args`; the id itself when the message
/// is missing (a test makes sure none is).
pub fn message(lang: Lang, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let b = bundle(lang);
    let Some(pattern) = b.get_message(id).and_then(|m| m.value()) else {
        return id.to_string();
    };
    let mut fa = FluentArgs::new();
    for (k, v) in args {
        fa.set(*k, v.clone());
    }
    let mut errors = Vec::new();
    b.format_pattern(pattern, Some(&fa), &mut errors)
        .into_owned()
}

/// Whether `lang` has the message `id`.
pub fn has(lang: Lang, id: &str) -> bool {
    bundle(lang).has_message(id)
}

/// The ids of the messages of a Fluent source, in order.
pub fn ids(source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|l| {
            let (id, _) = l.split_once('=')?;
            let id = id.trim_end();
            (!l.starts_with([' ', '#', '.', '\t'])
                && !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .then(|| id.to_string())
        })
        .collect()
}

/// A message in the process's language: `t!("status-pass")`, or with
/// arguments `t!("summary-totals", runs = 3, pass = 2)`.
#[macro_export]
macro_rules! t {
    ($id:literal) => {
        $crate::i18n::message($crate::i18n::current(), $id, &[])
    };
    ($id:literal, $($k:ident = $v:expr),+ $(,)?) => {
        $crate::i18n::message(
            $crate::i18n::current(),
            $id,
            &[$((stringify!($k), fluent_bundle::FluentValue::from($v))),+],
        )
    };
}

/// A message in a given language: `tl!(lang, "status-pass")`.
#[macro_export]
macro_rules! tl {
    ($lang:expr, $id:literal) => {
        $crate::i18n::message($lang, $id, &[])
    };
    ($lang:expr, $id:literal, $($k:ident = $v:expr),+ $(,)?) => {
        $crate::i18n::message(
            $lang,
            $id,
            &[$((stringify!($k), fluent_bundle::FluentValue::from($v))),+],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_messages() {
        let en = ids(SOURCES[0].1);
        let zh = ids(SOURCES[1].1);
        assert!(en.len() > 40, "{}", en.len());
        for id in &en {
            assert!(zh.contains(id), "`{id}` is in en.ftl and not in zh.ftl");
            assert!(has(Lang::Zh, id) && has(Lang::En, id), "{id} parses");
        }
        for id in &zh {
            assert!(en.contains(id), "`{id}` is in zh.ftl and not in en.ftl");
        }
    }

    #[test]
    fn every_id_the_code_names_exists() {
        // The ids inside t!(…) and tl!(…, …) in the sources.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![root];
        let mut named = Vec::new();
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    let s = std::fs::read_to_string(&p).unwrap();
                    let calls = s
                        .match_indices("t!(")
                        .chain(s.match_indices("tl!("))
                        .chain(s.match_indices("said!("));
                    for (i, m) in calls {
                        let before = s[..i].chars().next_back();
                        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                            continue;
                        }
                        let rest = &s[i + m.len()..];
                        let rest = rest.split_once('"').map(|(_, r)| r).unwrap_or("");
                        let id: String = rest
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                            .collect();
                        if !id.is_empty()
                            && rest.starts_with(&id)
                            && rest[id.len()..].starts_with('"')
                        {
                            named.push((p.display().to_string(), id));
                        }
                    }
                }
            }
        }
        assert!(named.len() > 10, "{named:?}");
        for (file, id) in named {
            assert!(
                has(Lang::En, &id),
                "{file} names `{id}`, which en.ftl lacks"
            );
            assert!(
                has(Lang::Zh, &id),
                "{file} names `{id}`, which zh.ftl lacks"
            );
        }
    }

    #[test]
    fn every_rule_has_a_name_in_both_languages() {
        for r in crate::rules::RuleId::ALL {
            for lang in [Lang::En, Lang::Zh] {
                let id = format!("rule-{}", r.id());
                assert!(has(lang, &id), "{} lacks `{id}`", lang.tag());
            }
        }
        assert_eq!(crate::rules::RuleId::ALL[0].name_in(Lang::Zh), "明示同意");
    }

    #[test]
    fn the_locale_chooses_the_language() {
        assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Lang::Zh);
        assert_eq!(Lang::from_locale("zh_TW"), Lang::Zh);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("C"), Lang::En);
        assert_eq!(Lang::from_locale(""), Lang::En);
        assert_eq!(message(Lang::Zh, "status-fail", &[]), "不通过");
        assert_eq!(
            message(
                Lang::En,
                "summary-report",
                &[("path", "out/report.json".into())]
            ),
            "report: out/report.json"
        );
    }
}

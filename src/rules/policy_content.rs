//! `policy-content`, 7.1(b) and 7.6: the processing rules, read to their
//! end, are left to a reviewer with hints: which elements a policy must
//! have were found (with the sentences quoted) and which not. Elements are
//! matched by the word families real Chinese and English policies use, not
//! by one policy's wording; a hint is where to look, not a verdict.

use super::{Outcome, Rule, Section, Status};
use crate::i18n::{Listed, Said};
use crate::trace::{PolicyText, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "policy-content",
    clause: "7.1(b), 7.6",
    default_on: false,
    fails_when:
        "required elements are missing from the policy (manual: the text and hints are gathered)",
    by_a_person: true,
    section: Section::Seven,
    level2: false,
    check: Some(judge),
};

/// One element a policy must have, and the words that show it.
#[derive(Debug, Clone, Copy)]
pub struct Element {
    /// A stable id (`retention`).
    pub id: &'static str,
    /// What it is, for reviewers.
    pub name: &'static str,
    /// Word families, Chinese (matched as written) and English (lowercase).
    pub words: &'static [&'static str],
}

/// The elements of GB/T 35273—2020 5.5(a) that 7.6 refers to, and 7.1(b)'s
/// highlighting of sensitive data; children (7.1(g)) is `minor-rules`'.
pub const ELEMENTS: &[Element] = &[
    Element {
        id: "processor",
        name: "who processes (name of the processor)",
        words: &[
            "有限公司",
            "股份公司",
            "有限责任公司",
            "集团",
            "运营者",
            "运营方",
            "运营主体",
            "个人信息处理者",
            "以下简称“我们”",
            "以下简称\"我们\"",
            "以下简称我们",
            "注册地址",
            "co., ltd",
            "co.,ltd",
            "ltd.",
            "inc.",
            "llc",
            "gmbh",
            "operated by",
            "controller",
        ],
    },
    Element {
        id: "purposes",
        name: "purposes",
        words: &[
            "目的",
            "用于",
            "为了",
            "为向您提供",
            "以便",
            "用途",
            "purpose",
            "we use your",
            "in order to",
            "used to",
            "so that we",
        ],
    },
    Element {
        id: "data-types",
        name: "types of personal data collected",
        words: &[
            "收集您的",
            "收集的信息",
            "个人信息类型",
            "信息类型",
            "我们会收集",
            "我们收集",
            "收集以下",
            "手机号",
            "姓名",
            "身份证",
            "设备信息",
            "设备标识",
            "位置信息",
            "we collect",
            "information we collect",
            "types of",
            "categories of",
            "collect the following",
        ],
    },
    Element {
        id: "sensitive",
        name: "sensitive personal data (its highlighting must be seen on the frames)",
        words: &[
            "敏感个人信息",
            "敏感信息",
            "生物识别",
            "人脸",
            "指纹",
            "银行卡",
            "金融账户",
            "行踪轨迹",
            "医疗健康",
            "身份证件号码",
            "sensitive personal",
            "sensitive data",
            "sensitive information",
            "biometric",
        ],
    },
    Element {
        id: "sharing",
        name: "sharing, third parties and SDKs",
        words: &[
            "第三方",
            "共享",
            "委托处理",
            "委托",
            "转让",
            "公开披露",
            "合作方",
            "合作伙伴",
            "SDK",
            "提供给",
            "third part",
            "share",
            "sdk",
            "partner",
            "disclose",
        ],
    },
    Element {
        id: "retention",
        name: "retention period and place",
        words: &[
            "保存期限",
            "存储期限",
            "保留期限",
            "保存期间",
            "保存时间",
            "存储时间",
            "保存",
            "保留",
            "存储于",
            "存储在",
            "存放",
            "境内",
            "删除或匿名化",
            "匿名化处理",
            "retain",
            "retention",
            "store your",
            "stored",
            "kept for",
            "keep your",
        ],
    },
    Element {
        id: "rights",
        name: "the user's rights and how to exercise them",
        words: &[
            "查阅",
            "复制",
            "更正",
            "补充",
            "删除您的",
            "撤回",
            "注销",
            "您的权利",
            "行使",
            "your rights",
            "access",
            "correct",
            "rectif",
            "erasure",
            "withdraw",
            "portability",
            "delete your",
        ],
    },
    Element {
        id: "contact",
        name: "contact",
        // Not 电话 / 邮箱 / phone alone: the user's own number and address
        // are data collected, not a way to reach the processor.
        words: &[
            "联系我们",
            "联系方式",
            "客服",
            "联系电话",
            "邮件至",
            "发送邮件",
            "电子邮件",
            "热线",
            "来信",
            "个人信息保护负责人",
            "投诉",
            "@",
            "contact us",
            "contact our",
            "write to us",
            "call us",
            "email us",
            "e-mail us",
            "data protection officer",
        ],
    },
];

/// 7.1(g): rules for children under 14.
pub const CHILDREN: Element = Element {
    id: "children",
    name: "children under 14",
    words: &[
        "不满14周岁",
        "不满十四周岁",
        "未满14周岁",
        "未满十四周岁",
        "14周岁以下",
        "十四周岁以下",
        "14岁以下",
        "未成年人",
        "儿童",
        "监护人",
        "children",
        "child",
        "minor",
        "under 14",
        "under the age",
        "under 13",
        "parent",
        "guardian",
    ],
};

/// What was found of one element.
#[derive(Debug, Clone, PartialEq)]
pub struct Hint {
    /// The element.
    pub id: &'static str,
    /// Its name.
    pub name: &'static str,
    /// Sentences that show it, quoted (at most two), in the policy's order.
    pub quotes: Vec<String>,
}

/// The longest quote, in characters.
const QUOTE_MAX: usize = 140;

/// The policy's sentences: split at sentence ends and line breaks.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            out.push(std::mem::take(&mut cur));
            continue;
        }
        cur.push(c);
        let english_end =
            matches!(c, '.' | '!' | '?' | ';') && chars.peek().is_none_or(|n| n.is_whitespace());
        if matches!(c, '。' | '！' | '？' | '；') || english_end {
            out.push(std::mem::take(&mut cur));
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| s.chars().filter(|c| c.is_alphanumeric()).count() >= 4)
        .collect()
}

fn quote(s: &str) -> String {
    if s.chars().count() <= QUOTE_MAX {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(QUOTE_MAX).collect::<String>())
    }
}

/// Finds one element in the sentences: those hitting the most of its
/// words, at most two, in the policy's order.
pub fn find(e: &Element, sentences: &[String]) -> Hint {
    let mut scored: Vec<(usize, usize)> = sentences
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let lower = s.to_lowercase();
            let hits = e
                .words
                .iter()
                .filter(|w| {
                    if w.is_ascii() {
                        lower.contains(&w.to_lowercase())
                    } else {
                        s.contains(*w)
                    }
                })
                .count();
            (hits > 0).then_some((i, hits))
        })
        .collect();
    // The sentences hitting most words; a heading (五、未成年人保护) only
    // when no sentence says more.
    let short = |i: usize| sentences[i].chars().count() < 12;
    if scored.iter().any(|&(i, _)| !short(i)) {
        scored.retain(|&(i, _)| !short(i));
    }
    scored.sort_by_key(|&(i, hits)| (std::cmp::Reverse(hits), i));
    scored.truncate(2);
    scored.sort();
    Hint {
        id: e.id,
        name: e.name,
        quotes: scored.iter().map(|&(i, _)| quote(&sentences[i])).collect(),
    }
}

/// The hints for every element of a policy text.
pub fn hints(text: &str) -> Vec<Hint> {
    let s = sentences(text);
    ELEMENTS.iter().map(|e| find(e, &s)).collect()
}

/// The longest policy text captured in the run.
pub(crate) fn longest(trace: &Trace) -> Option<&PolicyText> {
    trace
        .policies
        .iter()
        .filter(|p| !p.text.trim().is_empty())
        .max_by_key(|p| p.text.chars().count())
}

/// What to add when no policy text was captured.
pub(crate) fn no_text() -> Said {
    crate::said!("policy-content-no-text")
}

/// How the text was read, for messages: `「隐私政策」 (1,234 characters, read
/// to its end over 6 frames)`.
pub(crate) fn read_note(p: &PolicyText) -> Said {
    crate::said!(
        "policy-content-read-note",
        title = if p.title.is_empty() {
            crate::said!("policy-content-the-policy")
        } else {
            Said::verbatim(p.title.as_str())
        },
        chars = p.text.chars().count(),
        read = if p.complete {
            crate::said!("policy-content-read-to-end")
        } else {
            crate::said!("policy-content-stopped-early")
        },
        frames = p.frames.len()
    )
}

/// An element's id as messages name it, in the process's language
/// (`processor`, …; 处理者 …).
fn element_word(id: &str) -> Said {
    match id {
        "processor" => crate::said!("policy-content-element-processor"),
        "purposes" => crate::said!("policy-content-element-purposes"),
        "data-types" => crate::said!("policy-content-element-data-types"),
        "sensitive" => crate::said!("policy-content-element-sensitive"),
        "sharing" => crate::said!("policy-content-element-sharing"),
        "retention" => crate::said!("policy-content-element-retention"),
        "rights" => crate::said!("policy-content-element-rights"),
        "contact" => crate::said!("policy-content-element-contact"),
        other => Said::verbatim(other),
    }
}

fn judge(trace: &Trace) -> Outcome {
    let Some(p) = longest(trace) else {
        return Outcome::plain(Status::Inconclusive, Vec::new(), no_text());
    };
    let hints = hints(&p.text);
    let found: Vec<Said> = hints
        .iter()
        .filter(|h| !h.quotes.is_empty())
        .map(|h| element_word(h.id))
        .collect();
    let missing: Vec<Said> = hints
        .iter()
        .filter(|h| h.quotes.is_empty())
        .map(|h| element_word(h.id))
        .collect();
    let sep = crate::t!("evidence-list-sep");
    Outcome::plain(
        Status::Manual,
        p.frames.clone(),
        crate::said!(
            "policy-content-manual",
            note = read_note(p),
            found = if found.is_empty() {
                crate::said!("policy-content-none-found")
            } else {
                crate::said!("policy-content-found", list = Listed::join(found, &sep))
            },
            missing = if missing.is_empty() {
                crate::said!("policy-content-all-found")
            } else {
                crate::said!(
                    "policy-content-not-found",
                    list = Listed::join(missing, &sep)
                )
            },
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_by_their_word_families() {
        let text = "ACME Co., Ltd. operates this app.\nWe collect your phone number in order to verify you. We may share it with third parties such as payment SDKs. We retain it for 3 years.\n若您是不满十四周岁的未成年人，请在监护人陪同下阅读。";
        let h = hints(text);
        let got = |id: &str| {
            h.iter()
                .find(|x| x.id == id)
                .map(|x| x.quotes.len())
                .unwrap_or(0)
        };
        for id in [
            "processor",
            "purposes",
            "data-types",
            "sharing",
            "retention",
        ] {
            assert!(got(id) > 0, "{id}: {h:?}");
        }
        assert_eq!(got("contact"), 0, "{h:?}");
        assert_eq!(find(&CHILDREN, &sentences(text)).quotes.len(), 1);
    }

    #[test]
    fn sentences_split_at_ends_and_breaks() {
        let s =
            sentences("一、信息收集\n我们收集手机号。我们用于登录；Contact us at a@b.c. Thanks!");
        assert_eq!(
            s,
            [
                "一、信息收集",
                "我们收集手机号。",
                "我们用于登录；",
                "Contact us at a@b.c.",
                "Thanks!"
            ]
        );
    }
}

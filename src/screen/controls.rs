//! The controls of a screen: what a user can tap, with its role. A text
//! that is a control (a button, a checkbox's sentence, a link) is one; the
//! links inside a sentence (《用户服务协议》 in 已阅读并同意《用户服务协议》
//! 《隐私政策》, Privacy Policy in "read the Privacy Policy, Terms &
//! Conditions …") are controls of their own, with the part of the line they
//! cover.

use serde::Serialize;

use crate::geom::Rect;
use crate::perception::{words::normalize, Role, Source, TextItem, Words};

/// One control of a screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Control {
    /// Its label.
    pub text: String,
    /// What it does: `agree`, `vague`, `refuse`, `weak-refuse`, `policy`,
    /// `agreement` or `checkbox`.
    pub role: Role,
    /// The label's box (for a link inside a line, the part it covers).
    pub bounds: Rect,
    /// The tappable region (button or clickable node), when one was found.
    pub region: Option<Rect>,
    /// Contrast of the label against its background, 0 to 1 (OCR texts).
    pub contrast: Option<f32>,
    /// For a checkbox: whether it is ticked, when that could be seen.
    pub checked: Option<bool>,
    /// `ocr` or `hierarchy`.
    pub source: Source,
    /// The text it belongs to (its index in the screen's texts).
    pub text_index: usize,
}

impl Control {
    fn of(t: &TextItem, i: usize) -> Control {
        Control {
            text: t.text.clone(),
            role: t.role,
            bounds: t.bounds,
            region: t.region,
            contrast: t.contrast,
            checked: t.checked,
            source: t.source,
            text_index: i,
        }
    }
}

/// Brackets Chinese apps put around a document's name.
const BRACKETS: &[(char, char)] = &[
    ('《', '》'),
    ('「', '」'),
    ('『', '』'),
    ('【', '】'),
    ('“', '”'),
    ('〈', '〉'),
];

/// Endings of a document's name (协议, 政策, 条款 …).
const DOC_ENDS: &[&str] = &[
    "协议",
    "政策",
    "条款",
    "规则",
    "声明",
    "指引",
    "须知",
    "说明",
    "授权书",
];

/// The role of a document named inside a sentence: the processing rules
/// (隐私, 个人信息, privacy) or another agreement.
fn doc_role(name: &str, words: &Words) -> Option<Role> {
    let n = normalize(name);
    if n.chars().count() < 2 {
        return None;
    }
    let lower = n.to_lowercase();
    if words.is_processing_rules(name)
        || ((n.contains("隐私") || n.contains("个人信息"))
            && DOC_ENDS.iter().any(|e| n.contains(e)))
        || lower.contains("privacy")
    {
        return Some(Role::Policy);
    }
    if words.mentions_agreement(name)
        || (n.chars().count() >= 4 && DOC_ENDS.iter().any(|e| n.ends_with(e)))
        || ["agreement", "terms", "conditions", "eula"]
            .iter()
            .any(|e| lower.contains(e))
    {
        return Some(Role::Agreement);
    }
    None
}

/// Character ranges (start, end) of the document names in a line: bracketed
/// names (《…》「…」), then the names of the word lists and English
/// document names (Privacy Policy, Terms & Conditions, Another Agreement)
/// outside brackets. Names joined by 及 / 和 / 与 outside brackets are one
/// link (服务协议及个人信息处理规则).
pub fn doc_spans(text: &str, words: &Words) -> Vec<(usize, usize, Role)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<(usize, usize, Role)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some(&(open, close)) = BRACKETS.iter().find(|(o, _)| *o == chars[i]) {
            // A name closes with its bracket, or where OCR lost it (the
            // line's end, or the next opening bracket); a quotation mark
            // must close (“…” quotes anything).
            let end = (i + 1..chars.len())
                .find(|&k| chars[k] == close || BRACKETS.iter().any(|(o, _)| *o == chars[k]))
                .unwrap_or(chars.len());
            let closed = end < chars.len() && chars[end] == close;
            let name: String = chars[i + 1..end].iter().collect();
            let short = normalize(&name).chars().count() <= 24;
            let role = (short && (closed || open != '“'))
                .then(|| doc_role(&name, words))
                .flatten();
            if let Some(role) = role {
                let stop = if end < chars.len() && chars[end] == close {
                    end + 1
                } else {
                    end
                };
                out.push((i, stop, role));
            }
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    if !out.is_empty() {
        return out;
    }
    // No brackets: the names the lists know, and English document names.
    static EN: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)\b(?:privacy\s+(?:policy|notice|statement)|cookie\s+policy|terms\s*(?:&|and|of)\s*(?:conditions|service|use)|(?:user|license|licence|service|another|end\s+user\s+license)\s+agreement|eula)\b",
        )
        .ok()
    });
    // A Chinese document named right after 同意 / 阅读 / 查看 without
    // brackets (登录即同意移动统一认证服务条款并…).
    static ZH: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?:同意|阅读|查看|详见|了解)(?:并(?:同意|阅读))?([\p{Han}A-Za-z0-9]{2,16}?(?:协议|政策|条款|规则|声明|指引))",
        )
        .ok()
    });
    let mut spans: Vec<(usize, usize, Role)> = Vec::new();
    if let Some(re) = ZH.as_ref() {
        for c in re.captures_iter(text) {
            if let Some(m) = c.get(1) {
                // Not a verb's tail (阅读并勾选协议: 勾选 is no name).
                let name = m.as_str();
                if name.starts_with(['并', '和', '及', '与'])
                    || ["勾选", "阅读", "同意"].iter().any(|w| name.contains(w))
                {
                    continue;
                }
                let s = text[..m.start()].chars().count();
                let e = s + m.as_str().chars().count();
                if let Some(role) = doc_role(m.as_str(), words) {
                    spans.push((s, e, role));
                }
            }
        }
    }
    if let Some(re) = EN.as_ref() {
        for m in re.find_iter(text) {
            let s = text[..m.start()].chars().count();
            let e = s + m.as_str().chars().count();
            if let Some(role) = doc_role(m.as_str(), words) {
                spans.push((s, e, role));
            }
        }
    }
    for (list, role) in [
        (&words.policy, Role::Policy),
        (&words.agreement, Role::Agreement),
    ] {
        for w in list.iter() {
            for (b, _) in text.match_indices(w.as_str()) {
                let s = text[..b].chars().count();
                let e = s + w.chars().count();
                if !spans.iter().any(|&(a, z, _)| s < z && a < e) {
                    spans.push((s, e, role));
                }
            }
        }
    }
    spans.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    // Longest first at each start; drop spans inside another.
    let mut kept: Vec<(usize, usize, Role)> = Vec::new();
    for sp in spans {
        if kept.iter().any(|&(a, z, _)| sp.0 >= a && sp.1 <= z) {
            continue;
        }
        kept.push(sp);
    }
    // 服务协议及个人信息处理规则: one link.
    let mut joined: Vec<(usize, usize, Role)> = Vec::new();
    for sp in kept {
        if let Some(last) = joined.last_mut() {
            let between: String = chars[last.1..sp.0].iter().collect();
            if ["及", "和", "与", "以及"].contains(&between.trim()) && !text.is_ascii() {
                last.1 = sp.1;
                if sp.2 == Role::Policy {
                    last.2 = Role::Policy;
                }
                continue;
            }
        }
        joined.push(sp);
    }
    joined
}

/// The box of characters `s..e` of a line of `n` characters, by their
/// share of its width.
fn part(b: Rect, s: usize, e: usize, n: usize) -> Rect {
    let n = n.max(1) as i32;
    let x1 = b.x + b.w * s as i32 / n;
    let x2 = b.x + b.w * e as i32 / n;
    Rect::new(x1, b.y, (x2 - x1).max(1), b.h)
}

/// The controls of a screen's texts, top to bottom: every text with a role,
/// and the document links inside a text block that carries links: a
/// consent checkbox's sentence, names in brackets (《…》), a list of two
/// documents or more, or a short notice that going on agrees (at most
/// four lines: a longer one is the document's own prose). A name that runs
/// over two lines is one link, boxed on its first line.
pub fn controls(texts: &[TextItem], words: &Words) -> Vec<Control> {
    let mut out: Vec<Control> = texts
        .iter()
        .enumerate()
        .filter(|(_, t)| t.role != Role::Other)
        .map(|(i, t)| Control::of(t, i))
        .collect();
    for block in super::texts::blocks(texts) {
        let (text, starts) = super::texts::joined(texts, &block);
        // A checkbox's label is its whole sentence, over all its lines.
        if let Some(c) = out
            .iter_mut()
            .find(|c| c.role == Role::Checkbox && block.first() == Some(&c.text_index))
        {
            c.text = text.clone();
            c.bounds = block
                .iter()
                .map(|&i| texts[i].bounds)
                .reduce(|a, b| a.union(&b))
                .unwrap_or(c.bounds);
        }
        let spans = doc_spans(&text, words);
        if spans.is_empty() {
            continue;
        }
        // The block is the link itself (a 《隐私政策》 line, a title).
        if let [(s, e, _)] = spans[..] {
            let rest: String = text
                .chars()
                .enumerate()
                .filter(|(k, _)| *k < s || *k >= e)
                .map(|(_, c)| c)
                .collect();
            if normalize(&rest).chars().count() <= 2 {
                continue;
            }
        }
        let bracketed = text.contains(['《', '「', '『', '【']);
        let checkbox = block.iter().any(|&i| texts[i].role == Role::Checkbox);
        let listed = checkbox || bracketed || in_a_list(&text, &spans);
        let spans: Vec<(usize, usize, Role)> = if listed {
            spans
        } else {
            objects_of_agreeing(&text, spans)
        };
        for (s, e, role) in spans {
            // The line the name starts on, and the part of it it covers.
            let k = starts.iter().rposition(|&st| st <= s).unwrap_or(0);
            let i = block[k];
            let t = &texts[i];
            let line_start = starts[k];
            let line_len = t.text.trim().chars().count();
            let (a, z) = (s - line_start, (e - line_start).min(line_len));
            let label: String = text.chars().skip(s).take(e - s).collect();
            // The whole line is the name: a link line (its role says so)
            // or a title.
            if normalize(&t.text) == normalize(&label) {
                continue;
            }
            out.push(Control {
                text: label,
                role,
                bounds: part(t.bounds, a, z, line_len),
                region: None,
                contrast: t.contrast,
                checked: None,
                source: t.source,
                text_index: i,
            });
        }
    }
    out.sort_by_key(|c| (c.bounds.y, c.bounds.x));
    out
}

/// Whether two of the names follow each other with only a separator
/// between them (Privacy Policy, Terms & Conditions, Another Agreement):
/// a list of documents to read, not names met in prose.
fn in_a_list(text: &str, spans: &[(usize, usize, Role)]) -> bool {
    let chars: Vec<char> = text.chars().collect();
    spans
        .windows(2)
        .any(|w| only_a_separator(&chars, w[0].1, w[1].0))
}

/// Whether characters `from..to` hold nothing but a list's separator (a
/// comma, 、, 和, 及, and, &).
fn only_a_separator(chars: &[char], from: usize, to: usize) -> bool {
    let between: String = chars[from.min(to)..to].iter().collect();
    let b = between
        .trim()
        .trim_matches(|c: char| ",，、;；".contains(c))
        .trim();
    ["和", "及", "与", "以及", "and", "or", "&", ""].contains(&b.to_lowercase().as_str())
}

/// The document names a sentence agrees to: each right after 同意 /
/// agree to / accept (a few words between at most: "agree to the ArchaSoft
/// Privacy Policy"), and those joined to one of them by 和 / 及 / and.
fn objects_of_agreeing(text: &str, spans: Vec<(usize, usize, Role)>) -> Vec<(usize, usize, Role)> {
    let chars: Vec<char> = text.chars().collect();
    let lower = text.to_lowercase();
    let mut verbs: Vec<usize> = Vec::new();
    for w in ["同意", "agree to", "agree with", "accept", "consent to"] {
        for (b, _) in lower.match_indices(w) {
            if w == "同意" && lower[..b].ends_with('不') {
                continue;
            }
            verbs.push(lower[..b].chars().count() + w.chars().count());
        }
    }
    let mut out: Vec<(usize, usize, Role)> = Vec::new();
    for sp in spans {
        let after_verb = verbs.iter().any(|&v| {
            v <= sp.0 && {
                let between: String = chars[v..sp.0].iter().collect();
                between.split_whitespace().count() <= 3 && normalize(&between).chars().count() <= 12
            }
        });
        let chained = out
            .last()
            .is_some_and(|l| only_a_separator(&chars, l.1, sp.0));
        if after_verb || chained {
            out.push(sp);
        }
    }
    out
}

/// Whether a control offers a way on without agreeing on a login page
/// (跳过, 游客模式, 暂不登录, Skip …) or refuses outright.
pub fn is_way_out(t: &TextItem, words: &Words) -> bool {
    matches!(t.role, Role::Refuse | Role::WeakRefuse) || is_way_out_label(&t.text, words)
}

/// Whether a label declines: a refusal, or a way on without agreeing.
pub fn is_way_out_label(label: &str, words: &Words) -> bool {
    let n = normalize(label);
    n.chars().count() <= 10
        && [
            "游客",
            "随便看看",
            "先逛逛",
            "暂不登录",
            "跳过",
            "以后再说",
            "稍后",
            "skip",
            "guest",
            "notnow",
            "later",
        ]
        .iter()
        .any(|w| n.contains(w))
        || is_refusal_label(label, words)
}

/// Whether a control's label refuses, by meaning: a refuse word, or a short
/// label that starts with a negation (不…, 拒绝…, 暂不…, No …) or leaves
/// (退出应用, 离开).
pub fn is_refusal_label(label: &str, words: &Words) -> bool {
    if matches!(words.role(label), Role::Refuse | Role::WeakRefuse) {
        return true;
    }
    let n = normalize(label);
    let len = n.chars().count();
    if len == 0 || len > 12 {
        return false;
    }
    let lower = label.trim().to_lowercase();
    let english = [
        "no ",
        "no,",
        "not ",
        "don't",
        "do not",
        "maybe later",
        "exit",
        "quit",
        "leave",
    ];
    let chinese = ["不", "拒绝", "暂不", "以后", "稍后", "残忍", "放弃"];
    chinese.iter().any(|p| n.starts_with(p))
        || english.iter().any(|p| lower.starts_with(p))
        || lower == "no"
        || ["拒绝", "不同意", "退出", "离开", "仍不", "关闭应用"]
            .iter()
            .any(|w| n.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_by_meaning() {
        let w = Words::default();
        for l in [
            "不同意",
            "仍不同意",
            "退出应用",
            "暂不授权",
            "不同意并离开",
            "No thanks",
            "放弃使用",
            "仍然拒绝",
            "Exit app",
        ] {
            assert!(is_refusal_label(l, &w), "{l}");
        }
        for l in [
            "同意并继续",
            "查看协议",
            "我的",
            "Notice",
            "请您在点击同意之前仔细阅读相关条款",
        ] {
            assert!(!is_refusal_label(l, &w), "{l}");
        }
    }

    fn spans(t: &str) -> Vec<(String, Role)> {
        doc_spans(t, &Words::default())
            .into_iter()
            .map(|(s, e, r)| (t.chars().skip(s).take(e - s).collect(), r))
            .collect()
    }

    #[test]
    fn links_inside_a_sentence() {
        assert_eq!(
            spans("已阅读并同意《用户服务协议》《备考隐私协议》和"),
            [
                ("《用户服务协议》".to_string(), Role::Agreement),
                ("《备考隐私协议》".to_string(), Role::Policy)
            ]
        );
        assert_eq!(
            spans("阅读并同意服务协议及个人信息处理规则"),
            [("服务协议及个人信息处理规则".to_string(), Role::Policy)]
        );
        assert_eq!(
            spans("Policy,Terms & Conditions,Another Agreement,"),
            [
                ("Terms & Conditions".to_string(), Role::Agreement),
                ("Another Agreement".to_string(), Role::Agreement)
            ]
        );
        // A bracket OCR lost still ends the name.
        assert_eq!(
            spans("意「**账号服务与隐私政策」和「服务协议]"),
            [
                ("「**账号服务与隐私政策」".to_string(), Role::Policy),
                ("「服务协议]".to_string(), Role::Agreement)
            ]
        );
        assert!(spans("欢迎使用我的应用").is_empty());
    }
}

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
const BRACKETS: &[(char, char)] = &[('《', '》'), ('「', '」'), ('『', '』'), ('【', '】'), ('“', '”'), ('〈', '〉')];

/// Endings of a document's name (协议, 政策, 条款 …).
const DOC_ENDS: &[&str] = &["协议", "政策", "条款", "规则", "声明", "指引", "须知", "说明", "授权书"];

/// The role of a document named inside a sentence: the processing rules
/// (隐私, 个人信息, privacy) or another agreement.
fn doc_role(name: &str, words: &Words) -> Option<Role> {
    let n = normalize(name);
    if n.chars().count() < 2 {
        return None;
    }
    let lower = n.to_lowercase();
    if words.is_processing_rules(name)
        || ((n.contains("隐私") || n.contains("个人信息")) && DOC_ENDS.iter().any(|e| n.contains(e)))
        || lower.contains("privacy")
    {
        return Some(Role::Policy);
    }
    if words.mentions_agreement(name)
        || DOC_ENDS.iter().any(|e| n.ends_with(e))
        || ["agreement", "terms", "conditions", "eula"].iter().any(|e| lower.contains(e))
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
        if let Some(&(_, close)) = BRACKETS.iter().find(|(o, _)| *o == chars[i]) {
            // A name closes with its bracket, or where OCR lost it (the
            // line's end, or the next opening bracket).
            let end = (i + 1..chars.len())
                .find(|&k| chars[k] == close || BRACKETS.iter().any(|(o, _)| *o == chars[k]))
                .unwrap_or(chars.len());
            let name: String = chars[i + 1..end].iter().collect();
            if let Some(role) = doc_role(&name, words) {
                let stop = if end < chars.len() && chars[end] == close { end + 1 } else { end };
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
    let mut spans: Vec<(usize, usize, Role)> = Vec::new();
    if let Some(re) = EN.as_ref() {
        for m in re.find_iter(text) {
            let s = text[..m.start()].chars().count();
            let e = s + m.as_str().chars().count();
            if let Some(role) = doc_role(m.as_str(), words) {
                spans.push((s, e, role));
            }
        }
    }
    for (list, role) in [(&words.policy, Role::Policy), (&words.agreement, Role::Agreement)] {
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
/// and the document links inside a sentence (a consent checkbox's
/// sentence, a notice, a line of a consent dialog) that is not itself one
/// link.
pub fn controls(texts: &[TextItem], words: &Words) -> Vec<Control> {
    let mut out = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        if t.role != Role::Other {
            out.push(Control::of(t, i));
        }
        // Links inside a line: only on lines that are more than the link
        // (a checkbox's sentence, a notice, a paragraph's line), and not
        // on a title naming one document.
        if t.is_choice() {
            continue;
        }
        let spans = doc_spans(&t.text, words);
        let n = t.text.chars().count();
        let whole = |s: usize, e: usize| {
            let rest: String = t
                .text
                .chars()
                .enumerate()
                .filter(|(k, _)| *k < s || *k >= e)
                .map(|(_, c)| c)
                .collect();
            normalize(&rest).chars().count() <= 2
        };
        if spans.len() == 1 && whole(spans[0].0, spans[0].1) {
            continue; // the line is the link (or a title naming it)
        }
        if t.role == Role::Other && !is_consent_context(&t.text) && spans.len() < 2 {
            continue;
        }
        for (s, e, role) in spans {
            let label: String = t.text.chars().skip(s).take(e - s).collect();
            out.push(Control {
                text: label,
                role,
                bounds: part(t.bounds, s, e, n),
                region: None,
                contrast: t.contrast,
                checked: None,
                source: t.source,
                text_index: i,
            });
        }
    }
    out
}

/// Whether a line is of the kind that carries links: it asks to read or
/// agree (阅读, 同意, 查看, read, agree) or lists documents.
fn is_consent_context(text: &str) -> bool {
    let n = normalize(text).to_lowercase();
    ["阅读", "同意", "查看", "详见", "了解", "read", "agree", "review", "see", "our", "和", "及"]
        .iter()
        .any(|w| n.contains(w))
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

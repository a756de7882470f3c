//! The purpose a screen states for what it asks (7.2(a)): 「用于查找附近网点」,
//! "to show branches near you". A stock phrase (为了给您提供更好的服务,
//! 提升用户体验, to improve your experience) names nothing whatever follows
//! it: purposes are read clause by clause, and a clause ends at any of
//! Chinese or English punctuation, commas included.

/// A statement of why something is asked, found in a screen's text.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    /// A purpose that names what it is for (「用于查找附近网点」, "to show
    /// branches near you").
    Specific(String),
    /// Only a stock phrase that names nothing (「用于为您提供相关服务」,
    /// "to improve your experience"): 7.2(a) asks for the purpose itself.
    Vague(String),
}

/// Markers that introduce a purpose, in the many ways Chinese and English
/// apps word it. A marker must be followed (or, for 需要, preceded) by
/// what it is for; the clause is kept for the message.
static PURPOSE_AFTER: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(concat!(
        r"(?i)(?:用于|用来|用以|以便|便于|为了|目的是|目的为|从而|以供|以用于|",
        r"以(?:为您|为你|向您|向你|帮助|保障|确保|完成|提供|实现|识别|验证|核实|查找|推荐|展示|判断|计算|匹配)|",
        r"为(?:您|你)?(?:推荐|展示|查找|计算|匹配|完成|办理|验证|核实|识别|保障|确保|判断|定位|检测)|",
        r"为(?:向|给)(?:您|你)|",
        r"\b(?:used|needed|required|necessary|uses? it|needs? it)\s+(?:to|for)\b|\bso (?:that|we|you)\b|\bin order to\b|",
        r"\bto (?:show|find|locate|scan|verify|recommend|help|take|record|send|display|check|confirm|deliver|protect|detect|identify|calculate|match|offer|let|enable|upload|save|share|call|contact|pay|log in|sign in|provide|improve|enhance|give|support|ensure|make|keep|personali[sz]e)\b|",
        r"\bfor (?:finding|showing|scanning|verifying|locating|uploading|recommending|detecting|identity|payments?|navigation)\b)",
        r"(?P<what>[^。；;！!？?\n，,、：:]{0,40})"
    ))
    .ok()
});

/// 「查找附近网点需要获取您的位置」, 「在您使用扫一扫时，需要使用相机」:
/// the function comes before 需要.
static PURPOSE_BEFORE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?P<what>(?:使用|进行|办理|查看|查找|扫描|扫码|拍摄|拍照|上传|识别|验证|认证|导航|定位|搜索|绑定|开户|转账|支付|缴费|录制|视频|语音|刷脸)[^。；;！!？?\n，,]{0,20})(?:时|时候|前|过程中|功能)?[，,]?\s*(?:我们)?(?:需要|需|将需要|必须)",
    )
    .ok()
});

/// Words of stock purposes that name nothing; a clause made only of these
/// (and particles) is vague.
const VAGUE_PURPOSE: &[&str] = &[
    "为您",
    "为你",
    "向您",
    "向你",
    "给您",
    "您",
    "你",
    "我们",
    "提供",
    "提升",
    "改善",
    "优化",
    "改进",
    "保障",
    "保证",
    "确保",
    "更好地",
    "更好的",
    "更好",
    "更加",
    "更优质的",
    "优质的",
    "优质",
    "相关的",
    "相关",
    "正常的",
    "正常",
    "完整的",
    "完整",
    "必要的",
    "必要",
    "基础",
    "基本",
    "全部",
    "各项",
    "服务",
    "体验",
    "功能",
    "产品",
    "用户",
    "应用",
    "本应用",
    "本app",
    "app",
    "运行",
    "使用",
    "的",
    "和",
    "及",
    "与",
    "等",
    "质量",
    "稳定",
    "安全",
    "provide",
    "providing",
    "improve",
    "improving",
    "better",
    "a",
    "an",
    "the",
    "your",
    "our",
    "you",
    "us",
    "services",
    "service",
    "experience",
    "features",
    "feature",
    "app",
    "to",
    "for",
    "and",
    "of",
    "with",
    "work",
    "properly",
    "normally",
    "enhance",
];

/// Whether a purpose clause names nothing beyond stock words.
fn vague(clause: &str) -> bool {
    let mut rest = clause.to_lowercase();
    rest.retain(|c| {
        !c.is_whitespace() && !c.is_ascii_punctuation() && !"，、“”‘’（）()《》".contains(c)
    });
    let mut words: Vec<&str> = VAGUE_PURPOSE.to_vec();
    // Longest first, so 更好的 goes before 更好.
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    for w in words {
        rest = rest.replace(w, "");
    }
    rest.chars().count() <= 1
}

/// The system's own question on its permission dialog ("Allow X to access
/// this device's location?", 「要允许“X”访问…吗？」) says what is asked, not
/// why; it never counts as a purpose.
fn system_question(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    (t.starts_with("allow ") || t.starts_with("要允许") || t.starts_with("允许"))
        && (t.ends_with('?') || t.ends_with('？'))
}

/// The purpose a text states, if any: specific before vague.
pub fn purpose_in(text: &str) -> Option<Purpose> {
    if system_question(text) {
        return None;
    }
    let mut found_vague = None;
    for clause in text.split(['。', '；', ';', '！', '!', '\n']) {
        let mut hits: Vec<String> = Vec::new();
        for re in [&*PURPOSE_AFTER, &*PURPOSE_BEFORE].into_iter().flatten() {
            for c in re.captures_iter(clause) {
                let what = c.name("what").map_or("", |m| m.as_str());
                let all = c.get(0).map_or("", |m| m.as_str());
                // 「为了您的账户安全」 names little, but a marker with
                // nothing after it names nothing at all.
                if vague(what) {
                    found_vague.get_or_insert_with(|| all.trim().to_string());
                } else {
                    hits.push(all.trim().to_string());
                }
            }
        }
        if let Some(h) = hits.into_iter().next() {
            return Some(Purpose::Specific(h));
        }
    }
    found_vague.map(Purpose::Vague)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stock_phrase_is_no_purpose_whatever_follows_it() {
        for t in [
            "为了给您提供更好的服务，我们需要获取您的位置信息",
            "为了给您提供更好的服务,我们需要获取您的位置信息",
            "为您提供相关服务，需要使用相机",
            "用于提升用户体验：请允许访问通讯录",
            "To improve your experience, we need your location",
        ] {
            assert!(
                matches!(purpose_in(t), Some(Purpose::Vague(_)) | None),
                "{t}: {:?}",
                purpose_in(t)
            );
        }
        for t in [
            "用于查找附近网点，需要获取您的位置",
            "查找附近网点需要获取您的位置",
            "We use your location to show branches near you",
        ] {
            assert!(
                matches!(purpose_in(t), Some(Purpose::Specific(_))),
                "{t}: {:?}",
                purpose_in(t)
            );
        }
    }
}

//! The words that give a control its role on a consent screen, from the
//! table in section7-rules.md. A scenario may add its own (`words:`).

use serde::{Deserialize, Serialize};

/// What a piece of text on a consent screen is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// A clear agree control (同意, 同意并继续 …).
    Agree,
    /// A vague acknowledgement (好的, 我知道了 …), not a clear agree.
    Vague,
    /// A clear refuse control (不同意, 拒绝 …).
    Refuse,
    /// A weak refuse control (取消, 关闭 …).
    WeakRefuse,
    /// A link to the processing rules (隐私政策 …).
    Policy,
    /// The label of a consent checkbox (我已阅读并同意 …).
    Checkbox,
    /// Anything else.
    Other,
}

impl Role {
    /// The role's name as reports spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agree => "agree",
            Role::Vague => "vague",
            Role::Refuse => "refuse",
            Role::WeakRefuse => "weak-refuse",
            Role::Policy => "policy",
            Role::Checkbox => "checkbox",
            Role::Other => "other",
        }
    }
}

/// The word lists used to recognise roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    /// Clear agree labels.
    pub agree: Vec<String>,
    /// Vague acknowledgement labels.
    pub vague: Vec<String>,
    /// Clear refuse labels.
    pub refuse: Vec<String>,
    /// Weak refuse labels.
    pub weak_refuse: Vec<String>,
    /// Names of the processing rules (matched inside a label too).
    pub policy: Vec<String>,
    /// Consent checkbox texts (matched as a prefix).
    pub checkbox: Vec<String>,
}

fn owned(words: &[&str]) -> Vec<String> {
    words.iter().map(|s| s.to_string()).collect()
}

impl Default for Words {
    fn default() -> Self {
        Words {
            agree: owned(&[
                "同意",
                "我同意",
                "同意并继续",
                "同意并进入",
                "同意并使用",
                "接受",
                "接受并继续",
                "允许",
                "始终允许",
                "仅在使用中允许",
                "仅在使用该应用时允许",
                "仅限这一次",
                "本次运行允许",
                "授权",
                "Agree",
                "Accept",
                "Allow",
            ]),
            vague: owned(&[
                "好的",
                "好",
                "我知道了",
                "知道了",
                "确定",
                "继续",
                "进入",
                "开始使用",
                "立即体验",
                "OK",
                "Got it",
                "Continue",
            ]),
            refuse: owned(&[
                "不同意",
                "拒绝",
                "暂不同意",
                "不同意并退出",
                "暂不使用",
                "不允许",
                "禁止",
                "仍不同意",
                "以后再说",
                "取消授权",
                "Disagree",
                "Decline",
                "Reject",
                "Deny",
                "Don't allow",
            ]),
            weak_refuse: owned(&[
                "取消", "关闭", "跳过", "返回", "稍后", "Not now", "Later", "Close",
            ]),
            policy: owned(&[
                "隐私政策",
                "隐私协议",
                "隐私权政策",
                "个人信息保护政策",
                "隐私保护指引",
                "个人信息处理规则",
                "用户协议",
                "服务协议",
                "Privacy Policy",
            ]),
            checkbox: owned(&[
                "我已阅读并同意",
                "已阅读并同意",
                "阅读并同意",
                "I have read and agree",
            ]),
        }
    }
}

/// Normalises a label for matching: no spaces, no surrounding punctuation,
/// ASCII letters lowercased.
pub fn normalize(s: &str) -> String {
    let t: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .trim_matches(|c: char| "《》「」【】[]()（）<>\"'“”‘’.,，。:：;；!！?？·•|".contains(c))
        .to_lowercase();
    t
}

impl Words {
    /// Adds a scenario's own words to the defaults.
    pub fn extend(&mut self, other: &WordsPatch) {
        for (dst, src) in [
            (&mut self.agree, &other.agree),
            (&mut self.vague, &other.vague),
            (&mut self.refuse, &other.refuse),
            (&mut self.weak_refuse, &other.weak_refuse),
            (&mut self.policy, &other.policy),
            (&mut self.checkbox, &other.checkbox),
        ] {
            for w in src {
                if !dst.contains(w) {
                    dst.push(w.clone());
                }
            }
        }
    }

    /// The role of a whole label. A label matches a control role only when it
    /// is that word entirely (不同意 contains 同意, so substrings do not count);
    /// policy names count inside a longer label (《隐私政策》, 查看隐私政策).
    pub fn role(&self, label: &str) -> Role {
        let n = normalize(label);
        if n.is_empty() {
            return Role::Other;
        }
        let is = |list: &[String]| list.iter().any(|w| normalize(w) == n);
        // OCR misreads a character now and then (该 as 沪): a long label one
        // substitution away from a known one counts too.
        let near = |list: &[String]| {
            let len = n.chars().count();
            len >= 5
                && list.iter().any(|w| {
                    let w = normalize(w);
                    w.chars().count() == len
                        && w.chars().zip(n.chars()).filter(|(a, b)| a != b).count() <= 1
                })
        };
        for exact in [true, false] {
            let m = |list: &[String]| if exact { is(list) } else { near(list) };
            if m(&self.refuse) {
                return Role::Refuse;
            }
            if m(&self.agree) {
                return Role::Agree;
            }
            if m(&self.vague) {
                return Role::Vague;
            }
            if m(&self.weak_refuse) {
                return Role::WeakRefuse;
            }
        }
        if self.checkbox.iter().any(|w| n.starts_with(&normalize(w))) {
            return Role::Checkbox;
        }
        // A policy link is short: the name, maybe in 《》 or with a verb.
        if n.chars().count() <= 16 && self.policy.iter().any(|w| n.contains(&normalize(w))) {
            return Role::Policy;
        }
        Role::Other
    }

    /// Whether a text names the processing rules anywhere in it.
    pub fn mentions_policy(&self, text: &str) -> bool {
        let n = normalize(text);
        self.policy.iter().any(|w| n.contains(&normalize(w)))
    }
}

/// Words a scenario adds, per role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WordsPatch {
    /// More clear agree labels.
    pub agree: Vec<String>,
    /// More vague labels.
    pub vague: Vec<String>,
    /// More clear refuse labels.
    pub refuse: Vec<String>,
    /// More weak refuse labels.
    pub weak_refuse: Vec<String>,
    /// More policy names.
    pub policy: Vec<String>,
    /// More checkbox texts.
    pub checkbox: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_labels_only() {
        let w = Words::default();
        assert_eq!(w.role("不同意"), Role::Refuse);
        assert_eq!(w.role("同意并继续"), Role::Agree);
        assert_eq!(w.role("我知道了"), Role::Vague);
        assert_eq!(w.role("《隐私政策》"), Role::Policy);
        assert_eq!(w.role("我已阅读并同意《隐私政策》"), Role::Checkbox);
        assert_eq!(w.role("请您在点击同意之前仔细阅读"), Role::Other);
        assert_eq!(w.role("Got it"), Role::Vague);
        assert_eq!(w.role(" 拒 绝 "), Role::Refuse);
        assert_eq!(
            w.role("仅在使用沪应用时允许"),
            Role::Agree,
            "one misread character"
        );
        assert_eq!(w.role("不同意"), Role::Refuse);
        assert_eq!(
            w.role("我不知道了"),
            Role::Other,
            "an insertion is not a misread"
        );
    }
}

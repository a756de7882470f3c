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
    /// A link to the processing rules, the privacy policy itself (隐私政策,
    /// 个人信息保护政策 …): what `policy-reachable` must reach.
    Policy,
    /// A link to another agreement (用户协议, 服务协议 …): part of a consent
    /// prompt, but not the processing rules.
    Agreement,
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
            Role::Agreement => "agreement",
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
    /// Names of other agreements (matched inside a label too).
    pub agreement: Vec<String>,
    /// Consent checkbox texts (matched as a prefix).
    pub checkbox: Vec<String>,
    /// Names of a place or control where the user withdraws authorizations
    /// (权限管理, 撤回同意 …), matched inside a label: what
    /// `revocation-reachable`'s search looks for.
    pub revocation: Vec<String>,
    /// Names of deleting the account or personal data (注销账号, 删除个人信息
    /// …), matched inside a label: what `account-deletion-reachable`'s
    /// search looks for.
    pub deletion: Vec<String>,
    /// Words of entries likely to ask for a permission or a face (扫一扫,
    /// 附近, 刷脸 …), most likely first, matched inside a label: what
    /// `consentry audit`'s crawl opens first.
    pub likely: Vec<String>,
    /// Whole labels of a control that goes on past an app's own notice
    /// before a permission dialog (去开启, 确定 …): what the audit's crawl
    /// taps there.
    pub go_on: Vec<String>,
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
                "Only this time",
                "While using the app",
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
                "取消",
                "关闭",
                "跳过",
                "返回",
                "稍后",
                "退出",
                "退出应用",
                "Not now",
                "Later",
                "Close",
            ]),
            policy: owned(&[
                "隐私政策",
                "隐私协议",
                "隐私权政策",
                "隐私声明",
                "隐私条款",
                "个人信息保护政策",
                "个人信息保护指引",
                "隐私保护指引",
                "个人信息处理规则",
                "Privacy Policy",
                "Privacy Notice",
            ]),
            agreement: owned(&[
                "用户协议",
                "服务协议",
                "用户服务协议",
                "注册协议",
                "平台规则",
                "使用协议",
                "许可协议",
                "Terms of Service",
                "Terms of Use",
                "User Agreement",
            ]),
            checkbox: owned(&[
                "我已阅读并同意",
                "已阅读并同意",
                "阅读并同意",
                "I have read and agree",
            ]),
            // Menu wording varies: 权限管理 / 权限设置 / 系统权限 / 应用权限 /
            // 授权管理 / 隐私设置 / 隐私管理 / 个人信息授权 …, and the
            // control itself: 撤回同意, 撤回授权, 撤销授权, 关闭授权.
            revocation: owned(&[
                "权限管理",
                "权限设置",
                "系统权限",
                "应用权限",
                "授权管理",
                "隐私设置",
                "隐私管理",
                "个人信息授权",
                "撤回同意",
                "撤回授权",
                "撤销授权",
                "撤销同意",
                "关闭授权",
                "取消授权",
                "撤回隐私",
                "Permission management",
                "Manage permissions",
                "App permissions",
                "Permissions",
                "Privacy settings",
                "Withdraw consent",
                "Revoke",
            ]),
            // 账号 and 帐号 are both in daily use, as are 账户 / 帐户.
            deletion: owned(&[
                "注销账号",
                "注销帐号",
                "注销账户",
                "注销帐户",
                "账号注销",
                "帐号注销",
                "账户注销",
                "帐户注销",
                "注销用户",
                "删除账号",
                "删除帐号",
                "删除账户",
                "删除个人信息",
                "删除个人数据",
                "删除我的数据",
                "注销须知",
                "Delete account",
                "Delete my account",
                "Close account",
                "Deactivate account",
                "Account deletion",
                "Delete my data",
            ]),
            likely: owned(&[
                "扫一扫",
                "扫码",
                "刷脸",
                "人脸",
                "附近",
                "网点",
                "地图",
                "定位",
                "位置",
                "拍照",
                "相机",
                "相册",
                "上传",
                "头像",
                "通讯录",
                "联系人",
                "录音",
                "语音",
                "开户",
                "实名",
                "认证",
                "转账",
                "银行卡",
                "Scan",
                "Face",
                "Nearby",
                "Map",
                "Location",
                "Photo",
                "Camera",
                "Upload",
                "Avatar",
                "Contact",
                "Transfer",
            ]),
            go_on: owned(&[
                "去开启",
                "立即开启",
                "开启",
                "去授权",
                "授权",
                "确定",
                "好的",
                "继续",
                "下一步",
                "允许",
                "OK",
                "Continue",
                "Allow",
                "Next",
            ]),
        }
    }
}

/// Names of runtime permissions and the data they guard, as settings
/// screens list them (位置信息, 相机 …), for telling a list of permissions
/// from any other list.
pub const PERMISSION_NAMES: &[&str] = &[
    "位置",
    "定位",
    "相机",
    "摄像头",
    "拍照",
    "通讯录",
    "联系人",
    "麦克风",
    "录音",
    "存储",
    "相册",
    "照片",
    "文件",
    "电话",
    "设备信息",
    "日历",
    "短信",
    "通知",
    "蓝牙",
    "剪切板",
    "剪贴板",
    "应用列表",
    "运动健康",
    "身体传感器",
    "面容",
    "指纹",
    "location",
    "camera",
    "contacts",
    "microphone",
    "storage",
    "photos",
    "phone",
    "calendar",
    "sms",
    "notifications",
    "bluetooth",
];

/// Words that say whether a permission is granted, or lead to where it is
/// changed (已开启, 未授权, 去设置 …), shown beside a permission's name.
pub const GRANT_STATES: &[&str] = &[
    "已开启",
    "未开启",
    "已关闭",
    "已授权",
    "未授权",
    "已允许",
    "未允许",
    "已禁止",
    "去设置",
    "去开启",
    "去关闭",
    "前往设置",
    "仅使用期间允许",
    "使用时允许",
    "始终允许",
    "询问",
    "允许",
    "禁止",
    "开启",
    "关闭",
    "allowed",
    "denied",
    "not allowed",
    "on",
    "off",
];

/// Full-width ASCII forms (ＯＫ, ！, （）) as their half-width selves.
fn half_width(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// Marks that frame a label rather than belong to it: brackets, quotes,
/// arrows, bullets, and what OCR reads from a button's edge or an icon
/// beside it.
const EDGE: &str =
    "《》「」【】[]()（）<>〈〉\"'“”‘’.,，。、:：;；!！?？·•|丨｜_-—–~～›»«‹→←>×✓√*#";

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// Normalises a label for matching: half-width forms, no spaces, no
/// surrounding punctuation or edge noise, ASCII letters lowercased.
pub fn normalize(s: &str) -> String {
    let mut chars: Vec<char> = s
        .chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    loop {
        let before = chars.len();
        while chars.first().is_some_and(|c| EDGE.contains(*c)) {
            chars.remove(0);
        }
        while chars.last().is_some_and(|c| EDGE.contains(*c)) {
            chars.pop();
        }
        // A lone Latin stroke glued to Chinese text is a button border or a
        // divider read as a letter (l同意, 拒绝1).
        let stroke = |c: Option<&char>| c.is_some_and(|c| "li1!".contains(*c));
        if chars.len() > 1 && stroke(chars.first()) && is_cjk(chars[1]) {
            chars.remove(0);
        }
        let n = chars.len();
        if n > 1 && stroke(chars.last()) && is_cjk(chars[n - 2]) {
            chars.pop();
        }
        if chars.len() == before {
            break;
        }
    }
    chars.into_iter().collect()
}

/// Words that start a refusal (negation first: 不同意 contains 同意).
const REFUSE_START: &[&str] = &[
    "不同意",
    "不允许",
    "不授权",
    "不接受",
    "不开启",
    "不需要",
    "不用",
    "不了",
    "拒绝",
    "残忍拒绝",
    "暂不",
    "暂时不",
    "先不",
    "仍不",
    "仍然不",
    "还是不",
    "以后再说",
    "禁止",
    "don't",
    "dont",
    "do not",
    "deny",
    "decline",
    "reject",
    "disagree",
    "refuse",
    "not allow",
    "never",
];
/// Words that put the choice off: present, but weaker than a refusal.
const WEAK_START: &[&str] = &[
    "取消",
    "关闭",
    "跳过",
    "返回",
    "稍后",
    "以后",
    "下次",
    "再想想",
    "我再想想",
    "忽略",
    "ignore",
    "maybe later",
    "later",
    "not now",
    "cancel",
    "close",
    "skip",
    "back",
    "remind me later",
];
/// Words of a clear agreement, anywhere in a short label once negation was ruled out.
const AGREE_HAS: &[&str] = &[
    "同意", "允许", "接受", "授权", "agree", "accept", "allow", "consent",
];
/// Words of going on without saying yes to anything.
/// Words of going on without saying yes to anything. Only unambiguous
/// ones: 好的 and 开始 also begin app names and headings (好的理财), so they
/// count as whole labels only (the `vague` list).
const VAGUE_START: &[&str] = &[
    "我知道了",
    "知道了",
    "确定",
    "确认",
    "继续",
    "下一步",
    "去设置",
    "去开启",
    "立即开启",
    "前往设置",
    "ok",
    "got it",
    "continue",
    "next",
    "go to settings",
    "open settings",
];
/// Short labels that start like a refusal but are a "don't ask again" box.
const NOT_CONTROLS: &[&str] = &[
    "不再提示",
    "不再询问",
    "不再显示",
    "不再弹出",
    "don't ask again",
    "do not ask again",
    "don't show again",
    "donotaskagain",
    "don'taskagain",
    "don'tshowagain",
];

/// Longest label (in characters, normalised) read as a control by meaning.
const LABEL_MAX: usize = 12;

impl Words {
    /// The words these have beyond the defaults (a scenario's own), so a
    /// report can judge its frames again with them.
    pub fn beyond_defaults(&self) -> WordsPatch {
        let d = Words::default();
        let more = |mine: &[String], base: &[String]| -> Vec<String> {
            mine.iter().filter(|w| !base.contains(w)).cloned().collect()
        };
        WordsPatch {
            agree: more(&self.agree, &d.agree),
            vague: more(&self.vague, &d.vague),
            refuse: more(&self.refuse, &d.refuse),
            weak_refuse: more(&self.weak_refuse, &d.weak_refuse),
            policy: more(&self.policy, &d.policy),
            agreement: more(&self.agreement, &d.agreement),
            checkbox: more(&self.checkbox, &d.checkbox),
            revocation: more(&self.revocation, &d.revocation),
            deletion: more(&self.deletion, &d.deletion),
            likely: more(&self.likely, &d.likely),
            go_on: more(&self.go_on, &d.go_on),
        }
    }

    /// Adds a scenario's own words to the defaults.
    pub fn extend(&mut self, other: &WordsPatch) {
        for (dst, src) in [
            (&mut self.agree, &other.agree),
            (&mut self.vague, &other.vague),
            (&mut self.refuse, &other.refuse),
            (&mut self.weak_refuse, &other.weak_refuse),
            (&mut self.policy, &other.policy),
            (&mut self.agreement, &other.agreement),
            (&mut self.checkbox, &other.checkbox),
            (&mut self.revocation, &other.revocation),
            (&mut self.deletion, &other.deletion),
            (&mut self.likely, &other.likely),
            (&mut self.go_on, &other.go_on),
        ] {
            for w in src {
                if !dst.contains(w) {
                    dst.push(w.clone());
                }
            }
        }
    }

    /// The role of a whole label, by what its words mean.
    ///
    /// First the word lists, whole label only (不同意 contains 同意, so a
    /// substring does not count), allowing one misread character in a long
    /// label. Then, for a short label that is not a sentence, its meaning:
    /// negation first (不 / 拒绝 / 暂不 / No … starts a refusal, however it
    /// goes on: 暂不授权, 不同意并离开), then putting off (稍后设置, Maybe
    /// later), then agreement (同意并使用, I accept), then going on (去设置).
    /// Checkbox texts match as a prefix; policy and agreement names inside a
    /// short label (《隐私政策》, 查看用户协议).
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
        let len = n.chars().count();
        // A policy link is short: the name, maybe in 《》 or with a verb.
        if len <= 16 && self.policy.iter().any(|w| n.contains(&normalize(w))) {
            return Role::Policy;
        }
        if len <= 16 && self.agreement.iter().any(|w| n.contains(&normalize(w))) {
            return Role::Agreement;
        }
        self.meaning(label, &n)
    }

    /// The role of a short label by its words' meaning (`n` is it normalised).
    fn meaning(&self, label: &str, n: &str) -> Role {
        // English labels are read as words, Chinese as characters.
        let ascii = n.is_ascii();
        let tokens: Vec<String> = label
            .chars()
            .map(half_width)
            .map(|c| if c == '’' { '\'' } else { c })
            .flat_map(char::to_lowercase)
            .collect::<String>()
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        let long = if ascii {
            tokens.len() > 7
        } else {
            n.chars().count() > LABEL_MAX
        };
        // A sentence (a comma or full stop inside) is body text, not a
        // label; English labels may have a comma ("Yes, I agree"). A
        // question is a title (允许“Push”发送通知？, 是否允许…, Allow X to
        // access your contacts?), and so is an exclamation of more than a
        // word or two (Welcome to …!).
        let raw = label.trim();
        let sentence = if ascii {
            n.contains(['.', ';'])
        } else {
            n.contains([',', '，', '。', '；', ';'])
        };
        let question =
            raw.contains(['?', '？']) || (!ascii && (n.starts_with("是否") || n.ends_with('吗')));
        let exclaims = raw.contains(['!', '！']) && (!ascii || tokens.len() > 2);
        if long || sentence || question || exclaims {
            return Role::Other;
        }
        let starts = |list: &[&str]| {
            list.iter().any(|w| {
                if ascii && w.is_ascii() {
                    let ws: Vec<&str> = w.split(' ').collect();
                    // "I accept", "Yes, I agree": a leading I/yes does not change the meaning.
                    let t: Vec<&str> = tokens
                        .iter()
                        .map(String::as_str)
                        .skip_while(|t| ["i", "yes", "ok"].contains(t) && !ws.contains(t))
                        .collect();
                    t.len() >= ws.len() && t.iter().zip(&ws).all(|(a, b)| a == b)
                } else {
                    !ascii && n.starts_with(w)
                }
            })
        };
        let has = |list: &[&str]| {
            list.iter().any(|w| {
                if ascii && w.is_ascii() {
                    tokens.iter().any(|t| t.starts_with(w))
                } else {
                    !ascii && n.contains(w)
                }
            })
        };
        if starts(NOT_CONTROLS) {
            return Role::Other;
        }
        // English "No" refuses alone, before a comma ("No, thanks") or as
        // "No thanks"; "No permissions granted" states something.
        let lower = raw.to_lowercase();
        let english_no = ascii
            && tokens.first().is_some_and(|t| t == "no")
            && (tokens.len() == 1
                || lower.trim_start_matches("no").trim_start().starts_with(',')
                || tokens.get(1).is_some_and(|t| t.starts_with("thank")));
        // 暂不 / 先不 put a choice off; they refuse when what they put off is
        // consenting (暂不同意, 暂不授权), else they are a way out (暂不升级).
        let put_off = ["暂不", "暂时不", "先不"]
            .iter()
            .find_map(|p| n.strip_prefix(p))
            .is_some_and(|rest| {
                !["同意", "授权", "允许", "接受", "开启", "使用", "提供"]
                    .iter()
                    .any(|v| rest.starts_with(v))
            });
        if put_off {
            return Role::WeakRefuse;
        }
        if english_no || starts(REFUSE_START) || n.contains("不同意") || n.contains("不允许")
        {
            return Role::Refuse;
        }
        if starts(WEAK_START) {
            return Role::WeakRefuse;
        }
        // "I accept", "我同意", "同意并使用", "仅在使用中允许", "确认授权".
        let negated = if ascii {
            tokens
                .iter()
                .any(|t| t == "not" || t == "no" || t.ends_with("n't"))
        } else {
            ["不", "未", "没", "非"].iter().any(|w| n.contains(w))
        };
        // A noun phrase names a page or a setting, not a choice (授权管理,
        // 允许通知设置, 同意书说明).
        let noun = [
            "管理", "设置", "说明", "记录", "列表", "详情", "规则", "协议", "政策", "指引",
        ]
        .iter()
        .any(|w| n.ends_with(w));
        // English: the verb itself starts the label (Agree, I accept,
        // Allow all the time), or a leading Yes; a word inside a name or a
        // sentence (Read&Agree Sample, Agreement before you use …) is not
        // a choice. Chinese: the word anywhere in a short label.
        let agrees = if ascii {
            let first = tokens
                .iter()
                .map(String::as_str)
                .find(|t| !["i", "ok", "sure"].contains(t));
            first.is_some_and(|t| AGREE_HAS.contains(&t) || t == "yes")
        } else {
            has(AGREE_HAS)
        };
        if agrees && !negated && !noun {
            return Role::Agree;
        }
        if starts(VAGUE_START) && !negated {
            return Role::Vague;
        }
        Role::Other
    }

    /// Whether a text names the processing rules (the privacy policy itself:
    /// 隐私政策, 个人信息保护政策, Privacy Policy …) anywhere in it. Another
    /// agreement (用户协议 …) is not the processing rules.
    pub fn is_processing_rules(&self, text: &str) -> bool {
        let n = normalize(text);
        self.policy.iter().any(|w| n.contains(&normalize(w)))
    }

    /// Whether a text names another agreement (用户协议, 服务协议 …).
    pub fn mentions_agreement(&self, text: &str) -> bool {
        let n = normalize(text);
        self.agreement.iter().any(|w| n.contains(&normalize(w)))
    }

    /// The other agreement a text names, the longest name that fits
    /// (用户服务协议 rather than 服务协议).
    pub fn agreement_named(&self, text: &str) -> Option<&str> {
        let n = normalize(text);
        self.agreement
            .iter()
            .filter(|w| n.contains(&normalize(w)))
            .max_by_key(|w| w.chars().count())
            .map(String::as_str)
    }

    /// The way to withdraw authorizations a text names (权限管理, 撤回同意 …),
    /// the longest that fits.
    pub fn revocation_named(&self, text: &str) -> Option<&str> {
        longest_inside(&self.revocation, text)
    }

    /// The deletion of the account or personal data a text names (注销账号,
    /// 删除个人信息 …), the longest that fits.
    pub fn deletion_named(&self, text: &str) -> Option<&str> {
        longest_inside(&self.deletion, text)
    }

    /// Whether a text names the processing rules or another agreement:
    /// what makes a screen with agree/refuse a consent prompt.
    pub fn mentions_policy(&self, text: &str) -> bool {
        self.is_processing_rules(text) || self.mentions_agreement(text)
    }
}

/// The longest word of a list found inside a text (normalised), for English
/// words only as whole words (`Revoke` in "Revoke access", not "irrevocable").
fn longest_inside<'a>(list: &'a [String], text: &str) -> Option<&'a str> {
    let n = normalize(text);
    let lower = text.to_lowercase();
    list.iter()
        .filter(|w| {
            if w.is_ascii() {
                let w = w.to_lowercase();
                lower.match_indices(&w).any(|(i, _)| {
                    let before = lower[..i].chars().next_back();
                    let after = lower[i + w.len()..].chars().next();
                    !before.is_some_and(|c| c.is_ascii_alphanumeric())
                        && !after.is_some_and(|c| c.is_ascii_alphanumeric())
                })
            } else {
                n.contains(&normalize(w))
            }
        })
        .max_by_key(|w| w.chars().count())
        .map(String::as_str)
}

/// Words a scenario adds, per role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
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
    /// More names of other agreements.
    pub agreement: Vec<String>,
    /// More checkbox texts.
    pub checkbox: Vec<String>,
    /// More names of a way to withdraw authorizations.
    pub revocation: Vec<String>,
    /// More names of deleting the account or personal data.
    pub deletion: Vec<String>,
    /// More words of entries likely to ask for a permission or a face.
    pub likely: Vec<String>,
    /// More labels that go on past an app's own notice.
    pub go_on: Vec<String>,
}

impl WordsPatch {
    /// Whether it adds nothing.
    pub fn is_empty(&self) -> bool {
        *self == WordsPatch::default()
    }
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

    #[test]
    fn labels_by_meaning() {
        let w = Words::default();
        for (label, role) in [
            ("暂不授权", Role::Refuse),
            ("不同意并离开", Role::Refuse),
            ("不同意并退出APP", Role::Refuse),
            ("暂不开启", Role::Refuse),
            ("拒绝并退出", Role::Refuse),
            ("No thanks", Role::Refuse),
            ("Don’t allow", Role::Refuse),
            ("DO NOT AGREE", Role::Refuse),
            ("稍后设置", Role::WeakRefuse),
            ("Maybe later", Role::WeakRefuse),
            ("我再想想", Role::WeakRefuse),
            ("同意并使用", Role::Agree),
            ("同意并继续使用", Role::Agree),
            ("我已知晓并同意", Role::Agree),
            ("I accept", Role::Agree),
            ("Yes, I agree", Role::Agree),
            ("ACCEPT ALL", Role::Agree),
            ("确认授权", Role::Agree),
            ("去设置", Role::Vague),
            ("立即开启", Role::Vague),
            ("好的理财", Role::Other),
            ("授权管理", Role::Other),
            ("退出保险", Role::Other),
            ("退出应用", Role::WeakRefuse),
            ("开始理财", Role::Other),
            ("ＯＫ", Role::Vague),
            ("不再提示", Role::Other),
            ("Don't ask again", Role::Other),
            ("Notifications", Role::Other),
            ("《用户协议》", Role::Agreement),
            ("《隐私政策》", Role::Policy),
            ("查看个人信息保护指引", Role::Policy),
        ] {
            assert_eq!(w.role(label), role, "{label}");
        }
    }

    #[test]
    fn punctuation_width_and_edge_noise() {
        let w = Words::default();
        assert_eq!(w.role("【同意】"), Role::Agree);
        assert_eq!(w.role("｢不同意｣"), Role::Refuse);
        assert_eq!(w.role("同意并继续 >"), Role::Agree);
        assert_eq!(w.role("|拒绝"), Role::Refuse);
        assert_eq!(w.role("l不同意"), Role::Refuse);
        assert_eq!(w.role("（暂不同意）"), Role::Refuse);
        assert_eq!(w.role("Ｉ ａｃｃｅｐｔ"), Role::Agree);
    }

    #[test]
    fn body_text_is_not_a_control() {
        let w = Words::default();
        for t in [
            "请您在点击同意之前仔细阅读并充分理解",
            "如您同意，请点击同意开始接受我们的服务",
            "点击不同意将无法使用本应用的全部功能",
            "We need your consent, please read it carefully.",
        ] {
            assert_eq!(w.role(t), Role::Other, "{t}");
        }
    }

    #[test]
    fn processing_rules_are_not_other_agreements() {
        let w = Words::default();
        assert!(w.is_processing_rules("《个人信息保护政策》"));
        assert!(w.is_processing_rules("Privacy Policy"));
        assert!(!w.is_processing_rules("《用户协议》"));
        assert!(!w.is_processing_rules("Terms of Service"));
        assert!(w.mentions_agreement("用户服务协议"));
        assert!(
            w.mentions_policy("《用户协议》"),
            "both make a consent prompt"
        );
    }
}

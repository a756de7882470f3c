//! What kind of screen a frame shows: one answer for `inspect`, the
//! runner's prompt handling, the rules and the report.

use serde::Serialize;

use super::permission::{self, Vendor};
use super::View;
use crate::perception::{words::normalize, Role, TextItem};

/// What a screen is, for consent testing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A consent prompt: a choice next to the processing rules or an
    /// agreement (a first-launch dialog, a consent page).
    ConsentPrompt,
    /// A login or register page that asks consent: an agreement box, or a
    /// notice that logging in agrees (登录即同意 …).
    LoginConsent,
    /// A runtime-permission dialog: the system's or a vendor's, or an
    /// app's own that asks for permissions (allow / deny).
    PermissionDialog,
    /// A host app's authorization sheet for a mini program.
    HostAuthorization,
    /// The text of the privacy policy or another agreement.
    PolicyText,
    /// A settings page or menu.
    Settings,
    /// A face capture screen (liveness check).
    FaceCapture,
    /// A screen where a login password, a payment password or a gesture is
    /// entered (see [`super::auth::auth_screen`]).
    Authentication,
    /// None of these.
    Plain,
}

impl Kind {
    /// The name JSON and the terminal use.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ConsentPrompt => "consent-prompt",
            Kind::LoginConsent => "login-consent",
            Kind::PermissionDialog => "permission-dialog",
            Kind::HostAuthorization => "host-authorization",
            Kind::PolicyText => "policy-text",
            Kind::Settings => "settings",
            Kind::FaceCapture => "face-capture",
            Kind::Authentication => "authentication",
            Kind::Plain => "plain",
        }
    }

    /// What kind of prompt it is, if it asks the user for consent.
    pub fn prompt(self) -> Option<PromptKind> {
        match self {
            Kind::ConsentPrompt => Some(PromptKind::Consent),
            Kind::LoginConsent => Some(PromptKind::Login),
            Kind::PermissionDialog => Some(PromptKind::Permission),
            _ => None,
        }
    }
}

/// What kind of prompt a frame shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// A consent dialog or page: agree and the processing rules.
    Consent,
    /// A login or register page with a consent checkbox.
    Login,
    /// The system's runtime-permission dialog.
    Permission,
}

/// Whether a label is a login / register action (登录, 本机号码一键登录,
/// 注册, Log in, Sign up …), not an agreement's name.
pub fn is_login_action(label: &str) -> bool {
    let n = normalize(label);
    let len = n.chars().count();
    if len == 0
        || len > 14
        || ["协议", "政策", "条款", "规则"]
            .iter()
            .any(|w| n.contains(w))
    {
        return false;
    }
    [
        "登录",
        "登陆",
        "注册",
        "login",
        "signin",
        "signup",
        "register",
        "createaccount",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// Whether a line is a consent notice: it says that reading or going on
/// agrees to named rules (已同意并阅读《用户协议》和《隐私政策》, 登录即同意…
/// 服务条款, 即代表您已同意, By continuing you agree to the Terms …).
pub fn is_consent_notice(text: &str, words: &crate::perception::Words) -> bool {
    let n = normalize(text);
    let lower = text.to_lowercase();
    let agrees = (n.contains("同意") && !n.contains("不同意"))
        || lower.contains("agree to")
        || lower.contains("you agree")
        || lower.contains("you accept");
    let names = words.mentions_policy(text)
        || words.mentions_agreement(text)
        || n.contains('《')
        || ["协议", "条款", "政策", "规则", "声明", "terms", "policy"]
            .iter()
            .any(|w| n.contains(w));
    agrees && names
}

/// Whether a screen names the privacy policy or another agreement (by
/// roles, or the names of section7-rules.md), or shows a consent box.
pub fn names_rules(view: &View) -> bool {
    view.texts.iter().any(|t| {
        matches!(t.role, Role::Policy | Role::Agreement | Role::Checkbox)
            || view.words.mentions_policy(&t.text)
    })
}

/// Words of a face capture (liveness) screen.
const FACE: &[&str] = &[
    "脸",
    "面部",
    "正对",
    "眨眨眼",
    "眨眼",
    "张张嘴",
    "张嘴",
    "摇摇头",
    "摇头",
    "点点头",
    "点头",
    "活体",
    "face",
    "blink",
    "smile",
    "turnyourhead",
    "nod",
];

/// Words of settings pages and menus.
const SETTINGS: &[&str] = &[
    "设置",
    "关于",
    "隐私",
    "权限",
    "通知",
    "清除缓存",
    "缓存",
    "退出登录",
    "版本",
    "帮助",
    "反馈",
    "账号与安全",
    "账号管理",
    "个人信息",
    "注销",
    "settings",
    "about",
    "privacy",
    "permission",
    "notifications",
    "storage",
    "version",
    "help",
    "feedback",
    "account",
    "advanced",
    "appinfo",
];

fn has(view: &View, r: Role) -> bool {
    view.texts.iter().any(|t| t.role == r)
}

/// What kind of screen the view shows.
pub fn kind(view: &View) -> Kind {
    let agree_like = has(view, Role::Agree) || has(view, Role::Vague);
    let refuse_like = has(view, Role::Refuse) || has(view, Role::WeakRefuse);
    let system = view.foreground.and_then(permission::drawn_by);
    if system.is_some() && (agree_like || has(view, Role::Refuse)) {
        return Kind::PermissionDialog;
    }
    let names = names_rules(view);
    if view.mini_program
        && system.is_none()
        && has(view, Role::Agree)
        && has(view, Role::Refuse)
        && !names
        && view.texts.iter().any(|t| permission::host_asks(&t.text))
    {
        return Kind::HostAuthorization;
    }
    let login = view.texts.iter().any(|t| is_login_action(&t.text));
    if agree_like && names {
        return Kind::ConsentPrompt;
    }
    // Sentences run over lines: questions and notices are read per block.
    let blocks: Vec<String> = super::texts::blocks(view.texts)
        .iter()
        .map(|b| super::texts::joined(view.texts, b).0)
        .collect();
    let notice = blocks.iter().any(|b| is_consent_notice(b, view.words));
    if login && (has(view, Role::Checkbox) || notice) {
        return Kind::LoginConsent;
    }
    if has(view, Role::Refuse) && names {
        // OCR may miss the agree button beside a clear refuse.
        return Kind::ConsentPrompt;
    }
    // An app's own permission dialog (a rationale before the system's) or
    // the system's without a known package: a permission question and a
    // choice.
    let question = blocks.iter().any(|b| permission::asks(b));
    if question && (has(view, Role::Agree) || agree_like && refuse_like) {
        return Kind::PermissionDialog;
    }
    // A choice about personal data (Can we use your data …?, 个人信息 …)
    // or a notice that going on agrees: consent asked without naming a
    // document.
    let personal = blocks.iter().any(|b| speaks_of_personal_data(b));
    if agree_like && (notice || personal && refuse_like) {
        return Kind::ConsentPrompt;
    }
    if is_face_capture(view.texts) {
        return Kind::FaceCapture;
    }
    if super::auth::auth_screen(view.texts, view.inputs).is_some() {
        return Kind::Authentication;
    }
    if is_policy_text(view) {
        return Kind::PolicyText;
    }
    if is_settings(view.texts) {
        return Kind::Settings;
    }
    Kind::Plain
}

/// Whether a text speaks of collecting or using personal data.
fn speaks_of_personal_data(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "个人信息",
        "隐私",
        "收集",
        "your data",
        "personal data",
        "your privacy",
        "personal information",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Who drew the permission dialog in front, when the foreground says.
pub fn vendor(view: &View) -> Option<Vendor> {
    view.foreground.and_then(permission::drawn_by)
}

/// Lines that are not the status bar: words of two letters or more.
fn wordy(t: &TextItem) -> bool {
    t.text.chars().filter(|c| c.is_alphabetic()).count() >= 2
}

/// A face capture screen: liveness instructions, and little else to read.
fn is_face_capture(texts: &[TextItem]) -> bool {
    let lines: Vec<&TextItem> = texts.iter().filter(|t| wordy(t)).collect();
    let face = lines
        .iter()
        .filter(|t| {
            let n = normalize(&t.text);
            n.chars().count() <= 24 && FACE.iter().any(|w| n.contains(w))
        })
        .count();
    face >= 1 && lines.len() <= 8 && !texts.iter().any(|t| t.is_choice())
}

/// The text of a policy: near the top a title that names the processing
/// rules or an agreement, then many lines of prose and no choice.
fn is_policy_text(view: &View) -> bool {
    let lines: Vec<&TextItem> = view.texts.iter().filter(|t| wordy(t)).collect();
    let titled = lines.iter().take(4).any(|t| {
        let n = normalize(&t.text);
        n.chars().count() <= 24
            && (view.words.is_processing_rules(&t.text)
                || view.words.mentions_agreement(&t.text)
                || [
                    "隐私",
                    "协议",
                    "条款",
                    "声明",
                    "privacy",
                    "terms",
                    "policy",
                    "agreement",
                ]
                .iter()
                .any(|w| n.contains(w)))
    });
    let prose = lines
        .iter()
        .filter(|t| normalize(&t.text).chars().count() >= 16)
        .count();
    titled && prose >= 5 && !lines.iter().any(|t| t.is_choice())
}

/// A settings page or menu: rows of short entries, three or more of them
/// a setting (清除缓存, 关于, Notifications …) or a permission's name.
fn is_settings(texts: &[TextItem]) -> bool {
    let rows: Vec<String> = texts
        .iter()
        .filter(|t| wordy(t) && !t.is_choice())
        .map(|t| normalize(&t.text).to_lowercase())
        .filter(|n| n.chars().count() <= 12)
        .collect();
    let setting = |n: &String| {
        SETTINGS.iter().any(|w| n.starts_with(w) || n.ends_with(w))
            || crate::perception::words::PERMISSION_NAMES
                .iter()
                .any(|w| n == w)
    };
    if rows.len() >= 4 && rows.iter().filter(|n| setting(n)).count() >= 3 {
        return true;
    }
    // A page titled as settings (设置, 关于, App info, Camera permission)
    // with entries under its title.
    let bottom = texts.iter().map(|t| t.bounds.bottom()).max().unwrap_or(0);
    let title = texts
        .iter()
        .filter(|t| wordy(t) && t.bounds.bottom() * 18 >= bottom)
        .min_by_key(|t| (t.bounds.y, t.bounds.x))
        .filter(|t| t.bounds.y * 6 < bottom)
        .map(|t| t.text.to_lowercase());
    let titled = title.is_some_and(|t| {
        let n = normalize(&t);
        let english: Vec<&str> = t
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        n.chars().count() <= 16
            && SETTINGS_TITLES.iter().any(|w| {
                if w.is_ascii() {
                    english.contains(w) || n == *w
                } else {
                    n.starts_with(w) || n.ends_with(w)
                }
            })
    });
    // Its entries: short lines, radio options (Allow / Deny) included.
    let entries = rows.len() + texts.iter().filter(|t| t.is_choice()).count();
    titled && entries >= 3
}

/// Titles of settings pages and menus.
const SETTINGS_TITLES: &[&str] = &[
    "设置",
    "关于",
    "隐私设置",
    "权限",
    "通用",
    "账号与安全",
    "我的",
    "settings",
    "about",
    "appinfo",
    "permission",
    "permissions",
    "preferences",
];

/// Whether a screen is a consent prompt in the narrow sense the data rules
/// use for "the moment of consent": an agree-like control next to the
/// processing rules, an agreement or a consent box.
pub fn is_consent_prompt(view: &View) -> bool {
    (has(view, Role::Agree) || has(view, Role::Vague)) && names_rules(view)
}

/// Whether a screen is a login page asking consent with a consent box.
pub fn is_login_prompt(texts: &[TextItem]) -> bool {
    texts.iter().any(|t| t.role == Role::Checkbox) && texts.iter().any(|t| is_login_action(&t.text))
}

/// Whether a screen asks for a choice about consent (an agree or checkbox,
/// or a vague control next to a refusal, beside a mention of the rules):
/// never what a search looks for. A settings screen may show a vague word
/// (去设置 beside a permission) and a link to the policy without asking
/// anything, so a vague control counts only next to a refusal.
pub fn asks_choice(texts: &[TextItem], words: &crate::perception::Words) -> bool {
    let has = |roles: &[Role]| texts.iter().any(|t| roles.contains(&t.role));
    let mentions = texts.iter().any(|t| {
        matches!(t.role, Role::Policy | Role::Checkbox | Role::Agreement)
            || words.mentions_policy(&t.text)
    });
    mentions
        && (has(&[Role::Checkbox, Role::Agree])
            || (has(&[Role::Vague]) && has(&[Role::Refuse, Role::WeakRefuse])))
}

/// A dialog's name for messages: its first plain line (温馨提示), else
/// `a confirmation dialog`.
pub fn dialog_title(f: &crate::trace::Frame) -> String {
    // Not the status bar's clock, not a misread icon: a word or two. The
    // hierarchy holds only the dialog's own texts; OCR also reads what the
    // dialog dims, so it comes second.
    let title = |t: &&TextItem| {
        t.role == Role::Other
            && (2..=16).contains(&normalize(&t.text).chars().count())
            && t.text.chars().filter(|c| c.is_alphabetic()).count() >= 2
    };
    f.texts
        .iter()
        .filter(|t| t.source == crate::perception::Source::Hierarchy)
        .find(title)
        .or_else(|| f.texts.iter().filter(|t| t.confidence >= 80.0).find(title))
        .map(|t| format!("「{}」", t.text))
        .unwrap_or_else(|| "a confirmation dialog".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_actions_are_not_agreements() {
        for l in [
            "登录",
            "本机号码一键登录",
            "登录/注册",
            "Log in",
            "Sign up",
            "注册",
        ] {
            assert!(is_login_action(l), "{l}");
        }
        for l in [
            "《注册协议》",
            "用户协议",
            "我的",
            "登录后可查看更多内容，快来登录吧",
        ] {
            assert!(!is_login_action(l), "{l}");
        }
    }
}

//! Screens where the user proves who they are: a login or payment password
//! box and what it shows, a payment keypad, a gesture pad, and what a failed
//! login says. The rules of Section 6 that a screen shows (6.1.3(b),
//! 6.6.1(g), 6.6.7, 6.6.8(b)) ask here.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::device::HierarchyNode;
use crate::geom::Rect;
use crate::perception::words::normalize;
use crate::perception::TextItem;

/// The characters password boxes draw in place of what was typed.
pub const MASK_CHARS: &[char] = &[
    '•', '●', '*', '＊', '·', '∙', '⋅', '﹡', '⚫', '◦', '○', '◉',
];

/// What a text box shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "shows")]
pub enum Shows {
    /// Nothing, or only its hint.
    Empty,
    /// Only mask characters, all the same one.
    Masked {
        /// How many.
        count: usize,
    },
    /// Mask characters, one and the same, but for the last character in
    /// clear: Android's "show passwords" setting echoes the last typed
    /// character for a moment before masking it too.
    Echo {
        /// How many masks.
        count: usize,
    },
    /// Only mask characters, but not one and the same.
    MixedMasks {
        /// How many.
        count: usize,
    },
    /// Some characters in clear (with or without masks beside them).
    Clear {
        /// How many characters are in clear.
        clear: usize,
        /// How many are masks.
        masks: usize,
    },
}

impl Shows {
    /// What a box's text shows, its hint and label aside.
    pub fn of(text: &str, hint: &str, label: &str) -> Shows {
        let t = text.trim();
        if t.is_empty() || t == hint.trim() || t == label.trim() {
            return Shows::Empty;
        }
        let chars: Vec<char> = t.chars().filter(|c| !c.is_whitespace()).collect();
        let masks = chars.iter().filter(|c| MASK_CHARS.contains(c)).count();
        let clear = chars.len() - masks;
        let first = chars.first().copied();
        if clear == 1
            && masks >= 1
            && chars.last().is_some_and(|c| !MASK_CHARS.contains(c))
            && chars[..chars.len() - 1].iter().all(|c| Some(*c) == first)
        {
            return Shows::Echo { count: masks };
        }
        if clear > 0 {
            return Shows::Clear { clear, masks };
        }
        if chars.iter().all(|c| Some(*c) == first) {
            Shows::Masked { count: masks }
        } else {
            Shows::MixedMasks { count: masks }
        }
    }

    /// Whether the box holds something.
    pub fn is_empty(self) -> bool {
        self == Shows::Empty
    }
}

/// A text box on the screen as the device showed it, before any typed
/// secret was hidden from the saved frame: where it is, what names it,
/// whether it is a password box and what it shows. Never the secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputBox {
    /// Where it is.
    pub bounds: Rect,
    /// A password box: the hierarchy marks it (`password="true"`), or its
    /// hint or label names a password.
    pub password: bool,
    /// What names it: its hint, else the label beside or above it.
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub label: String,
    /// What it shows.
    #[serde(flatten)]
    pub shows: Shows,
    /// The run typed into it.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub typed: bool,
}

impl InputBox {
    /// How a reviewer names it: `the box 请输入登录密码`.
    pub fn describe(&self) -> String {
        if self.label.is_empty() {
            format!("the box at {},{}", self.bounds.x, self.bounds.y)
        } else {
            format!("the box 「{}」", self.label)
        }
    }
}

/// Whether a box's hint or label names a password (登录密码, 支付密码,
/// 交易密码, PIN, Password …), not a one-time code (验证码, 动态密码).
pub fn names_password(label: &str) -> bool {
    let n = normalize(label).to_lowercase();
    if n.is_empty() || n.chars().count() > 24 {
        return false;
    }
    if [
        "验证码",
        "动态密码",
        "短信密码",
        "校验码",
        "otp",
        "verificationcode",
        "忘记",
        "forgot",
    ]
    .iter()
    .any(|w| n.contains(w))
    {
        return false;
    }
    ["密码", "口令", "password", "passcode", "pin码"]
        .iter()
        .any(|w| n.contains(w))
        || (n.starts_with("pin") && n.chars().count() <= 12)
}

/// The text boxes of a hierarchy (`EditText` and its kin), with what each
/// shows and what names it. `typed_into`: the boxes the run typed into.
pub fn input_boxes(
    nodes: &[HierarchyNode],
    texts: &[TextItem],
    typed_into: &[Rect],
) -> Vec<InputBox> {
    let mut out: Vec<InputBox> = Vec::new();
    for n in nodes {
        let is_box = n.password
            || n.class.ends_with("EditText")
            || n.class.ends_with("AutoCompleteTextView")
            || n.class.ends_with("TextInputEditText");
        if !is_box || n.bounds.w <= 0 || n.bounds.h <= 0 {
            continue;
        }
        if out.iter().any(|b| b.bounds == n.bounds) {
            continue;
        }
        let label = if !n.hint.trim().is_empty() {
            n.hint.trim().to_string()
        } else if !n.content_desc.trim().is_empty() {
            n.content_desc.trim().to_string()
        } else {
            label_beside(&n.bounds, texts).unwrap_or_default()
        };
        let shows = Shows::of(&n.text, &n.hint, &label);
        // An empty box's text is its hint on older releases.
        let label = if label.is_empty() && shows.is_empty() {
            n.text.trim().to_string()
        } else {
            label
        };
        out.push(InputBox {
            bounds: n.bounds,
            password: n.password || names_password(&label),
            label,
            shows,
            typed: typed_into.iter().any(|r| same_box(r, &n.bounds)),
        });
    }
    out
}

fn same_box(a: &Rect, b: &Rect) -> bool {
    a == b || a.contains(b.center().0, b.center().1) && b.contains(a.center().0, a.center().1)
}

/// The label a form puts left of a box on its row, or right above it.
fn label_beside(b: &Rect, texts: &[TextItem]) -> Option<String> {
    let (_, cy) = b.center();
    let left = texts
        .iter()
        .filter(|t| {
            let (tx, ty) = t.bounds.center();
            t.bounds.right() <= b.x + b.w / 4
                && tx < b.x + b.w / 2
                && (ty - cy).abs() <= b.h / 2
                && t.text.chars().count() <= 12
        })
        .max_by_key(|t| t.bounds.right());
    let above = || {
        texts
            .iter()
            .filter(|t| {
                t.bounds.bottom() <= b.y
                    && b.y - t.bounds.bottom() <= b.h
                    && t.bounds.x < b.right()
                    && t.bounds.right() > b.x
                    && t.text.chars().count() <= 12
            })
            .max_by_key(|t| t.bounds.bottom())
    };
    left.or_else(above).map(|t| t.text.trim().to_string())
}

/// What is entered on a screen where the user proves who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthKind {
    /// A login password.
    LoginPassword,
    /// A payment or transaction password (a box, or a keypad of digits).
    PaymentPassword,
    /// A gesture drawn on a grid of dots.
    Gesture,
}

impl AuthKind {
    /// For messages.
    pub fn describe(self) -> &'static str {
        match self {
            AuthKind::LoginPassword => "a login password",
            AuthKind::PaymentPassword => "a payment password",
            AuthKind::Gesture => "a gesture",
        }
    }
}

fn is_payment(s: &str) -> bool {
    let n = normalize(s).to_lowercase();
    ["支付", "交易", "付款", "转账", "取款", "payment", "pay"]
        .iter()
        .any(|w| n.contains(w))
}

/// A whole line that asks for a password or a gesture: 请输入支付密码,
/// 输入登录密码, 请绘制手势密码, Enter your password. A line that only
/// mentions one (忘记密码, 修改登录密码, 设置手势密码 in a menu) is not.
static ASKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(请)?(输入|验证|确认|键入)(您的|你的)?(6位|六位)?(数字)?(登录|支付|交易|付款|取款|查询)?密码$|^(请)?(绘制|画出|输入)(您的|你的)?(手势密码|手势|解锁图案|解锁手势)$|^(please)?(enter|type|confirm)(your)?(login|payment|6-digit)?(password|passcode|pin)$|^draw(your)?(unlock)?pattern$",
    )
    .expect("a valid pattern")
});

/// What is entered on a screen where the user proves who they are, if it
/// is one: a password box (marked or named), a line asking for a password
/// over a keypad of digits, or a gesture pad's prompt.
pub fn auth_screen(texts: &[TextItem], inputs: &[InputBox]) -> Option<AuthKind> {
    let asks: Vec<&TextItem> = texts
        .iter()
        .filter(|t| ASKS.is_match(normalize(&t.text).trim_end_matches(['：', ':', '。', '.'])))
        .collect();
    if asks.iter().any(|t| {
        let n = normalize(&t.text);
        n.contains("手势") || n.contains("图案") || n.contains("pattern")
    }) {
        return Some(AuthKind::Gesture);
    }
    let title_pays = asks.iter().any(|t| is_payment(&t.text));
    if let Some(b) = inputs.iter().find(|b| b.password) {
        return Some(if is_payment(&b.label) || title_pays {
            AuthKind::PaymentPassword
        } else {
            AuthKind::LoginPassword
        });
    }
    // A keypad of digits: the keys 0 to 9 each a text of its own.
    let keys = ('0'..='9')
        .filter(|d| texts.iter().any(|t| t.text.trim() == d.to_string()))
        .count();
    if !asks.is_empty() && keys >= 8 {
        return Some(
            if title_pays || asks.iter().all(|t| !normalize(&t.text).contains("登录")) {
                AuthKind::PaymentPassword
            } else {
                AuthKind::LoginPassword
            },
        );
    }
    // Read from the pixels alone: a box labelled as a password (its hint,
    // 密码 / 请输入密码 / Password, a line of its own) beside a login or
    // confirm button.
    let hint = texts.iter().any(|t| {
        let n = normalize(&t.text);
        let n = n.trim();
        names_password(n) && n.chars().count() <= 10 && !n.contains("设置") && !n.contains("修改")
    });
    let submit = texts.iter().any(|t| {
        let n = normalize(&t.text);
        [
            "登录",
            "登陆",
            "确定",
            "确认",
            "下一步",
            "login",
            "signin",
            "confirm",
            "next",
        ]
        .iter()
        .any(|w| n == *w)
    });
    if hint && submit {
        return Some(if title_pays {
            AuthKind::PaymentPassword
        } else {
            AuthKind::LoginPassword
        });
    }
    if !asks.is_empty() && inputs.iter().any(|b| b.typed) {
        return Some(if title_pays {
            AuthKind::PaymentPassword
        } else {
            AuthKind::LoginPassword
        });
    }
    None
}

/// What a message after a failed login gives away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gives {
    /// Nothing: 账号或密码错误.
    Nothing,
    /// Whether the account exists (未注册, 用户不存在, 密码错误 alone):
    /// the words that tell.
    Existence(String),
    /// Personal data (a phone or card number, masked or not, a name).
    PersonalData(String),
}

/// Whether a line reads as a failed login's message (错误, 失败, 不正确,
/// 未注册, incorrect, invalid …).
pub fn is_failure_message(text: &str) -> bool {
    let n = normalize(text).to_lowercase();
    let len = n.chars().count();
    if !(3..=80).contains(&len) {
        return false;
    }
    [
        "错误",
        "失败",
        "不正确",
        "有误",
        "不匹配",
        "不存在",
        "未注册",
        "没有注册",
        "尚未注册",
        "不一致",
        "已锁定",
        "被锁定",
        "incorrect",
        "invalid",
        "wrong",
        "failed",
        "notfound",
        "doesn'texist",
        "doesnotexist",
        "notregistered",
        "noaccount",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// What a failed login's message gives away.
pub fn login_error_gives(text: &str) -> Gives {
    let n = normalize(text).to_lowercase();
    if let Some(w) = [
        "未注册",
        "没有注册",
        "尚未注册",
        "不存在",
        "未找到该",
        "查无此",
        "已注册",
        "notregistered",
        "noaccount",
        "doesn'texist",
        "doesnotexist",
        "notfound",
        "unknownuser",
        "unknownaccount",
    ]
    .iter()
    .find(|w| n.contains(*w))
    {
        return Gives::Existence((*w).to_string());
    }
    // The password said wrong, with no doubt left about the account
    // (密码错误 alone; 账号或密码错误 leaves it).
    let pw_wrong = (n.contains("密码")
        && ["错误", "不正确", "有误", "不对"]
            .iter()
            .any(|w| n.contains(w)))
        || (n.contains("password")
            && ["incorrect", "wrong", "invalid"]
                .iter()
                .any(|w| n.contains(w)));
    if pw_wrong {
        let account = [
            "账号",
            "帐号",
            "账户",
            "帐户",
            "用户名",
            "手机号",
            "username",
            "account",
            "email",
            "user",
        ]
        .iter()
        .any(|a| n.contains(a));
        let either = ["或", "/", "or", "和", "及"]
            .iter()
            .any(|e| n.replace("password", "").contains(e));
        if !(account && either) {
            return Gives::Existence(normalize(text));
        }
    }
    if let Some(f) = super::identifiers::unmasked(text).into_iter().next() {
        return Gives::PersonalData(f.masked());
    }
    if let Some(f) = super::identifiers::masked(text).into_iter().next() {
        let shown: String = text.chars().skip(f.start).take(f.end - f.start).collect();
        return Gives::PersonalData(shown);
    }
    Gives::Nothing
}

/// Whether a screen confirms a transfer's payee, where the user must see
/// the account number in full to check it (收款人, 收款账号, 确认转账).
pub fn confirms_payee(texts: &[TextItem]) -> bool {
    let has = |ws: &[&str]| {
        texts.iter().any(|t| {
            let n = normalize(&t.text).to_lowercase();
            ws.iter().any(|w| n.contains(w))
        })
    };
    has(&[
        "收款人",
        "收款账号",
        "收款账户",
        "收款方",
        "对方账户",
        "对方账号",
        "payee",
        "recipient",
    ]) && has(&["确认", "转账", "付款", "confirm", "transfer"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::perception::{Role, Source};

    fn t(text: &str, x: i32, y: i32, w: i32, h: i32) -> TextItem {
        TextItem {
            text: text.into(),
            bounds: Rect { x, y, w, h },
            source: Source::Ocr,
            confidence: 90.0,
            role: Role::Other,
            checked: None,
            region: None,
            contrast: None,
        }
    }

    fn node(class: &str, text: &str, hint: &str, password: bool, r: Rect) -> HierarchyNode {
        HierarchyNode {
            text: text.into(),
            content_desc: String::new(),
            resource_id: String::new(),
            class: class.into(),
            package: "com.example".into(),
            bounds: r,
            clickable: true,
            checkable: false,
            checked: false,
            naf: false,
            password,
            focused: false,
            hint: hint.into(),
        }
    }

    #[test]
    fn what_a_box_shows() {
        assert_eq!(Shows::of("", "请输入密码", ""), Shows::Empty);
        assert_eq!(Shows::of("请输入密码", "请输入密码", ""), Shows::Empty);
        assert_eq!(Shows::of("••••••", "", ""), Shows::Masked { count: 6 });
        assert_eq!(Shows::of("•••••*", "", ""), Shows::MixedMasks { count: 6 });
        assert_eq!(Shows::of("•••••a", "", ""), Shows::Echo { count: 5 });
        assert_eq!(
            Shows::of("••a••", "", ""),
            Shows::Clear { clear: 1, masks: 4 }
        );
        assert_eq!(
            Shows::of("hunter2", "", ""),
            Shows::Clear { clear: 7, masks: 0 }
        );
    }

    #[test]
    fn password_boxes_by_flag_hint_and_label() {
        let r = |y| Rect {
            x: 200,
            y,
            w: 600,
            h: 100,
        };
        let nodes = [
            node("android.widget.EditText", "", "请输入手机号", false, r(100)),
            node(
                "android.widget.EditText",
                "••••",
                "请输入登录密码",
                true,
                r(300),
            ),
            node("android.widget.EditText", "abcd", "", false, r(500)),
            node("android.widget.EditText", "", "短信验证码", false, r(700)),
            node(
                "android.widget.TextView",
                "密码",
                "",
                false,
                Rect {
                    x: 20,
                    y: 500,
                    w: 120,
                    h: 100,
                },
            ),
        ];
        let texts = [t("密码", 20, 510, 120, 80)];
        let boxes = input_boxes(&nodes, &texts, &[r(500)]);
        assert_eq!(boxes.len(), 4);
        assert!(!boxes[0].password);
        assert!(boxes[1].password);
        assert_eq!(boxes[1].shows, Shows::Masked { count: 4 });
        // A box labelled 密码 on its left is a password box, even unmarked.
        assert!(boxes[2].password && boxes[2].typed);
        assert_eq!(boxes[2].label, "密码");
        assert_eq!(boxes[2].shows, Shows::Clear { clear: 4, masks: 0 });
        assert!(!boxes[3].password, "a one-time code is no password");
        for no in [
            "忘记密码",
            "短信验证码",
            "动态密码",
            "设置",
            "请输入手机号",
            "",
        ] {
            assert!(!names_password(no), "{no}");
        }
        for yes in [
            "密码",
            "请输入登录密码",
            "支付密码",
            "Password",
            "PIN",
            "交易密码",
        ] {
            assert!(names_password(yes), "{yes}");
        }
    }

    #[test]
    fn auth_screens_and_what_only_mentions_a_password() {
        // WeChat's payment sheet: a title asking for the payment password
        // over a keypad.
        let mut pay = vec![t("请输入支付密码", 300, 600, 400, 60)];
        for (k, d) in "1234567890".chars().enumerate() {
            pay.push(t(
                &d.to_string(),
                100 + (k as i32 % 3) * 300,
                1400 + (k as i32 / 3) * 150,
                40,
                60,
            ));
        }
        assert_eq!(auth_screen(&pay, &[]), Some(AuthKind::PaymentPassword));
        // A login page read from pixels: a 密码 hint and a 登录 button.
        let login = [
            t("登录界面", 0, 100, 300, 60),
            t("帐号", 80, 400, 100, 50),
            t("密码", 80, 550, 100, 50),
            t("登录", 400, 800, 100, 50),
        ];
        assert_eq!(auth_screen(&login, &[]), Some(AuthKind::LoginPassword));
        let gesture = [t("请绘制手势密码", 200, 300, 400, 60)];
        assert_eq!(auth_screen(&gesture, &[]), Some(AuthKind::Gesture));
        // A security settings menu mentions passwords without asking one.
        let menu = [
            t("账户与安全", 0, 100, 300, 60),
            t("修改登录密码", 40, 300, 300, 60),
            t("设置手势密码", 40, 400, 300, 60),
            t("忘记密码", 40, 500, 300, 60),
            t("确定", 400, 800, 100, 50),
        ];
        assert_eq!(auth_screen(&menu, &[]), None);
        // A keypad of amounts is no password keypad without the question.
        let amounts: Vec<TextItem> = pay[1..].to_vec();
        assert_eq!(auth_screen(&amounts, &[]), None);
    }

    #[test]
    fn what_a_failed_login_gives_away() {
        for vague in [
            "账号或密码错误",
            "用户名或密码不正确，请重新输入",
            "登录失败，请稍后重试",
            "Incorrect username or password",
            "账号或密码错误，您还可以尝试4次",
        ] {
            assert!(is_failure_message(vague), "{vague}");
            assert_eq!(login_error_gives(vague), Gives::Nothing, "{vague}");
        }
        for tells in [
            "该手机号未注册",
            "用户不存在",
            "密码错误",
            "There is no account with that email",
            "密码错误，还可以尝试4次",
            "The password you entered is incorrect",
        ] {
            assert!(
                matches!(login_error_gives(tells), Gives::Existence(_)),
                "{tells}"
            );
        }
        assert_eq!(
            login_error_gives("该手机号未注册"),
            Gives::Existence("未注册".into())
        );
        assert!(matches!(
            login_error_gives("登录失败，该账户绑定手机138****5678"),
            Gives::PersonalData(_)
        ));
        assert!(!is_failure_message("登录"));
        assert!(confirms_payee(&[
            t("确认转账", 0, 0, 100, 40),
            t("收款人 张三", 0, 100, 100, 40)
        ]));
        assert!(!confirms_payee(&[t("我的银行卡", 0, 0, 100, 40)]));
    }
}

//! App models for the simulated device: files that describe an app's
//! screens, what each tap does, and how the app behaves around consent.
//! The format is documented in `docs/sim-apps.md`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

/// One simulated app (or a mini program inside a host app).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppModel {
    /// Android package name; for a mini program, the host's package.
    pub package: String,
    /// Name shown on the launcher.
    pub label: String,
    /// Activity started by `am start -n package/activity`.
    #[serde(default = "default_activity")]
    pub launch_activity: String,
    /// Set for a mini program: the deep link that opens it inside its host.
    #[serde(default)]
    pub deeplink: Option<String>,
    /// The build: models with the same package and a higher `version` are
    /// newer builds, installed by a scenario's `install: {version: N}`.
    #[serde(default = "one")]
    pub version: u32,
    /// For a newer build: the screen shown on its first launch when the
    /// user consented to an earlier build (the notice that the rules
    /// changed); agreeing there consents to this build. Without it the
    /// new build goes straight to `home_screen`.
    #[serde(default)]
    pub update_screen: Option<String>,
    /// Screen shown on a launch while the user has not yet consented.
    pub first_screen: String,
    /// Screen shown on a launch after the user consented (default: `first_screen`).
    #[serde(default)]
    pub home_screen: Option<String>,
    /// Screen shown after agreeing to the consent dialog.
    #[serde(default)]
    pub after_agree: Option<String>,
    /// What the app does when the user refuses.
    #[serde(default)]
    pub on_refuse: Refusal,
    /// When the app touches protected data (Android app-ops).
    #[serde(default)]
    pub appops: Vec<AppOpUse>,
    /// False for web content (mini programs, WebViews): the view hierarchy
    /// then carries no text and only OCR can read the screen.
    #[serde(default = "yes")]
    pub hierarchy: bool,
    /// Android runtime permissions the app asks for, with the system's own dialog.
    #[serde(default)]
    pub permissions: Vec<PermissionUse>,
    /// How the app draws itself: font, button look, corners.
    #[serde(default)]
    pub look: Look,
    /// The screens, by id.
    pub screens: BTreeMap<String, Screen>,
}

/// How an app draws itself, so that screens vary as real apps do.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Look {
    /// The font.
    #[serde(default)]
    pub font: FontChoice,
    /// How `primary` buttons are drawn: `primary` (filled), `outlined` or
    /// `text`; `secondary` buttons become text-only when this is `text`.
    #[serde(default)]
    pub buttons: Option<ButtonStyle>,
    /// Corners of buttons and dialog cards.
    #[serde(default)]
    pub shape: ButtonShape,
}

impl Look {
    /// Corner radius of a dialog card.
    pub fn card_radius(&self, d: &super::render::Display) -> i32 {
        match self.shape {
            ButtonShape::Square => 0,
            ButtonShape::Rounded => d.u(24),
            ButtonShape::Pill => d.u(48),
        }
    }
}

/// A font a simulated app may use (each from a Debian package).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FontChoice {
    /// The first CJK font installed (WenQuanYi Micro Hei).
    #[default]
    Default,
    /// WenQuanYi Micro Hei (`fonts-wqy-microhei`).
    Microhei,
    /// WenQuanYi Zen Hei (`fonts-wqy-zenhei`).
    Zenhei,
    /// Noto Sans CJK SC, Android's own (`fonts-noto-cjk`).
    Noto,
    /// Noto Sans CJK SC Bold (`fonts-noto-cjk`).
    NotoBold,
}

impl FontChoice {
    /// Every font an app model may choose.
    pub const ALL: [FontChoice; 5] = [
        FontChoice::Default,
        FontChoice::Microhei,
        FontChoice::Zenhei,
        FontChoice::Noto,
        FontChoice::NotoBold,
    ];

    /// The name app models use.
    pub fn name(self) -> &'static str {
        match self {
            FontChoice::Default => "default",
            FontChoice::Microhei => "microhei",
            FontChoice::Zenhei => "zenhei",
            FontChoice::Noto => "noto",
            FontChoice::NotoBold => "noto-bold",
        }
    }
}

/// Corners of buttons and cards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ButtonShape {
    /// Square corners.
    #[default]
    Square,
    /// Slightly rounded.
    Rounded,
    /// Fully rounded ends (and round checkboxes).
    Pill,
}

/// A runtime permission an app asks for, shown in the system's dialog.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionUse {
    /// `location`, `camera`, `contacts`, `phone`, `storage`, `microphone`.
    pub permission: Permission,
    /// `launch` (at start-up) or `consent` (right after agreeing); or
    /// give `screen` instead.
    #[serde(default)]
    pub when: Option<OpWhen>,
    /// Asked when this screen is shown (the function that needs it).
    #[serde(default)]
    pub screen: Option<String>,
    /// Asked again while not granted: at every launch (with `when`), or
    /// each time its screen is shown (with `screen`). Without it a
    /// permission is asked until answered, then never again.
    #[serde(default)]
    pub again: bool,
    /// The reason line a vendor's dialog (`miui`) or a host's sheet
    /// (`host`) shows under its question; Android's own dialog has no
    /// room for an app's text.
    #[serde(default)]
    pub purpose: Option<String>,
    /// A screen of the app shown before the system's dialog, saying why;
    /// its `action: request` item brings up the dialog.
    #[serde(default)]
    pub explain: Option<String>,
    /// Granted without asking (`silent: true`): the app gets it without any
    /// dialog, as a pre-grant or a vendor's auto-grant would give it.
    #[serde(default)]
    pub silent: bool,
    /// The system's look: `aosp` (centred dialog) or `miui` (bottom sheet);
    /// `host` for a mini program: its host app's authorization sheet.
    #[serde(default)]
    pub style: PermissionStyle,
}

impl PermissionUse {
    /// Whether it is asked at this moment of the app's life.
    pub fn asked_at(&self, when: OpWhen) -> bool {
        self.screen.is_none() && self.when == Some(when)
    }
}

/// A runtime permission group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// ACCESS_FINE/COARSE_LOCATION.
    Location,
    /// CAMERA.
    Camera,
    /// READ_CONTACTS.
    Contacts,
    /// READ_PHONE_STATE.
    Phone,
    /// READ_EXTERNAL_STORAGE.
    Storage,
    /// RECORD_AUDIO.
    Microphone,
}

impl Permission {
    /// The app-op Android records when the permission is used.
    pub fn op(self) -> &'static str {
        match self {
            Permission::Location => "COARSE_LOCATION",
            Permission::Camera => "CAMERA",
            Permission::Contacts => "READ_CONTACTS",
            Permission::Phone => "READ_PHONE_STATE",
            Permission::Storage => "READ_EXTERNAL_STORAGE",
            Permission::Microphone => "RECORD_AUDIO",
        }
    }

    /// What AOSP's dialog says the app wants, in Chinese.
    pub fn what_zh(self) -> &'static str {
        match self {
            Permission::Location => "获取此设备的位置信息",
            Permission::Camera => "拍摄照片和录制视频",
            Permission::Contacts => "访问您的通讯录",
            Permission::Phone => "拨打电话和管理通话",
            Permission::Storage => "访问您设备上的照片和媒体",
            Permission::Microphone => "录制音频",
        }
    }

    /// The manifest permissions `dumpsys package` lists for it.
    pub fn manifest(self) -> &'static [&'static str] {
        match self {
            Permission::Location => &[
                "android.permission.ACCESS_FINE_LOCATION",
                "android.permission.ACCESS_COARSE_LOCATION",
            ],
            Permission::Camera => &["android.permission.CAMERA"],
            Permission::Contacts => &["android.permission.READ_CONTACTS"],
            Permission::Phone => &["android.permission.READ_PHONE_STATE"],
            Permission::Storage => &["android.permission.READ_EXTERNAL_STORAGE"],
            Permission::Microphone => &["android.permission.RECORD_AUDIO"],
        }
    }

    /// What a host app's authorization sheet says the mini program wants.
    pub fn host_zh(self) -> &'static str {
        match self {
            Permission::Location => "获取你的位置信息",
            Permission::Camera => "使用你的摄像头",
            Permission::Contacts => "获取你的通讯录",
            Permission::Phone => "获取你的手机号",
            Permission::Storage => "保存图片或视频到你的相册",
            Permission::Microphone => "使用你的麦克风",
        }
    }

    /// What MIUI's sheet calls the permission.
    pub fn name_zh(self) -> &'static str {
        match self {
            Permission::Location => "定位",
            Permission::Camera => "相机",
            Permission::Contacts => "通讯录",
            Permission::Phone => "电话",
            Permission::Storage => "存储",
            Permission::Microphone => "麦克风",
        }
    }
}

/// Whose permission dialog the device shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PermissionStyle {
    /// Android's own (com.android.permissioncontroller): a centred dialog.
    #[default]
    Aosp,
    /// Xiaomi MIUI's (com.lbe.security.miui): a bottom sheet.
    Miui,
    /// A mini program's host app (WeChat): its own authorization sheet
    /// (「XX 申请 获取你的位置信息」, 拒绝 / 允许), drawn inside the host.
    Host,
}

fn default_activity() -> String {
    ".MainActivity".into()
}

fn yes() -> bool {
    true
}

fn one() -> u32 {
    1
}

/// What happens after the user taps a refuse control.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Refusal {
    /// How many times the consent screen comes back before `then` happens:
    /// a number, or `forever`.
    #[serde(default)]
    pub reprompt: Reprompt,
    /// Virtual milliseconds after the refusal before the consent screen comes
    /// back (0: at once).
    #[serde(default)]
    pub reprompt_delay_ms: u64,
    /// What the app does once it stops re-prompting.
    #[serde(default)]
    pub then: AfterRefusal,
    /// The screen shown when `then` is `continue` (basic mode).
    #[serde(default)]
    pub to: Option<String>,
    /// A confirmation dialog shown after refusing the consent prompt (温馨提示:
    /// 仍不同意 / 同意并继续); refusing there applies the rest of `on_refuse`.
    #[serde(default)]
    pub confirm: Option<String>,
    /// The consent prompt comes back whenever the app is brought to the
    /// front again (a launch), never by itself.
    #[serde(default)]
    pub reprompt_on_launch: bool,
    /// A toast shown right after the refusal.
    #[serde(default)]
    pub toast: Option<String>,
}

impl Default for Refusal {
    fn default() -> Self {
        Self {
            reprompt: Reprompt::Times(0),
            reprompt_delay_ms: 0,
            then: AfterRefusal::Continue,
            to: None,
            confirm: None,
            reprompt_on_launch: false,
            toast: None,
        }
    }
}

/// How often the consent screen is shown again after a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reprompt {
    /// This many more times, then `then`.
    Times(u32),
    /// Every time: the user can never get past it by refusing.
    Forever,
}

impl Default for Reprompt {
    fn default() -> Self {
        Reprompt::Times(0)
    }
}

impl<'de> Deserialize<'de> for Reprompt {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        match v {
            serde_json::Value::Number(n) => n
                .as_u64()
                .map(|n| Reprompt::Times(n as u32))
                .ok_or_else(|| serde::de::Error::custom("reprompt must be a whole number")),
            serde_json::Value::String(s) if s == "forever" => Ok(Reprompt::Forever),
            other => Err(serde::de::Error::custom(format!(
                "reprompt must be a number or `forever`, not {other}"
            ))),
        }
    }
}

/// What an app does once the user has refused for good.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterRefusal {
    /// Goes on in basic mode (shows `to`).
    #[default]
    Continue,
    /// Finishes its activities: the launcher comes to the foreground.
    Exit,
    /// Kills its own process.
    Kill,
    /// A mini program closes itself: the host goes back to its chat list.
    Close,
}

/// When an app touches a protected operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppOpUse {
    /// App-op name as `cmd appops` prints it (COARSE_LOCATION, READ_CLIPBOARD …).
    pub op: String,
    /// `launch` (as soon as the process starts), `consent` (after agreeing)
    /// or `background` (when the app leaves the foreground, e.g. on home).
    pub when: OpWhen,
    /// Repeats at this interval from then on (`5s`, `500ms`) while the
    /// process lives; for `background`, while the app stays in the background.
    #[serde(default)]
    pub every: Option<String>,
}

impl AppOpUse {
    /// The repeat interval in milliseconds, if any (checked at load).
    pub fn every_ms(&self) -> Option<u64> {
        self.every
            .as_deref()
            .and_then(crate::scenario::parse_duration)
            .map(|d| d.as_millis() as u64)
            .filter(|&ms| ms > 0)
    }
}

/// The moment an app-op is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpWhen {
    /// When the process starts, before any consent.
    Launch,
    /// Right after the user agrees.
    Consent,
    /// When the app leaves the foreground while its process lives (home key).
    Background,
}

/// One screen of an app.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Screen {
    /// Activity name reported as focused while this screen shows.
    #[serde(default)]
    pub activity: Option<String>,
    /// Title in the top bar (or, for a dialog, at the top of the card).
    #[serde(default)]
    pub title: Option<String>,
    /// A dialog card drawn over another screen, dimmed.
    #[serde(default)]
    pub dialog: bool,
    /// A bottom sheet: like a dialog, anchored to the bottom edge.
    #[serde(default)]
    pub sheet: bool,
    /// The screen drawn behind a dialog.
    #[serde(default)]
    pub over: Option<String>,
    /// This screen is the consent prompt: refusing it applies `on_refuse`.
    #[serde(default)]
    pub consent: bool,
    /// The contents, top to bottom.
    #[serde(default)]
    pub items: Vec<Item>,
    /// Where the back key goes (default: the previous screen).
    #[serde(default)]
    pub back: Option<String>,
    /// App-ops the app accesses each time this screen is shown (a
    /// face-capture screen opens the camera: `[CAMERA]`).
    #[serde(default)]
    pub appops: Vec<String>,
    /// A secure window (`FLAG_SECURE`): `screencap` gives black where it
    /// is, `dumpsys window` lists `SECURE` among its flags; the view
    /// hierarchy still shows it.
    #[serde(default)]
    pub secure: bool,
    /// The screen gives way to another by itself after a time (a splash
    /// screen, a countdown ad): `next: {after: 3s, to: consent}`.
    #[serde(default)]
    pub next: Option<Next>,
    /// A toast shown when the screen is shown (a launch's 欢迎回来).
    #[serde(default)]
    pub toast: Option<String>,
}

/// A screen that gives way to another by itself.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Next {
    /// After how long (`3s`, `1500ms`).
    pub after: String,
    /// The screen shown then, in its place.
    pub to: String,
}

impl Next {
    /// The delay in milliseconds (checked at load).
    pub fn after_ms(&self) -> Option<u64> {
        crate::scenario::parse_duration(&self.after).map(|d| d.as_millis() as u64)
    }
}

/// One thing on a screen.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Paragraph text.
    #[serde(default)]
    pub text: Option<String>,
    /// Section heading.
    #[serde(default)]
    pub heading: Option<String>,
    /// A tappable link inside text.
    #[serde(default)]
    pub link: Option<String>,
    /// A checkbox with this label.
    #[serde(default)]
    pub checkbox: Option<String>,
    /// Whether the checkbox starts checked.
    #[serde(default)]
    pub checked: bool,
    /// A button with this label.
    #[serde(default)]
    pub button: Option<String>,
    /// Button look: `primary` (filled), `secondary` (grey), `faint` (small, pale text).
    #[serde(default)]
    pub style: ButtonStyle,
    /// A menu row with this label (and a chevron).
    #[serde(default)]
    pub entry: Option<String>,
    /// For an entry: a grey value at the row's right end (已开启, 去设置).
    #[serde(default)]
    pub value: Option<String>,
    /// A settings row with this label and a toggle switch at its right end
    /// (`android.widget.Switch` in the hierarchy); tapping flips it.
    #[serde(default)]
    pub switch: Option<String>,
    /// Whether the switch starts on.
    #[serde(default)]
    pub on: bool,
    /// What a tap does while the user has not consented (refused, or never
    /// answered): the function is blocked. Unset: it works either way.
    #[serde(default)]
    pub needs_consent: Option<Blocked>,
    /// Buttons side by side.
    #[serde(default)]
    pub row: Vec<Item>,
    /// A text field with this hint.
    #[serde(default)]
    pub input: Option<String>,
    /// For an input: a password field (`password="true"`): what is typed
    /// shows as one • per character. Without it the field shows what is
    /// typed in clear, whatever its hint says.
    #[serde(default)]
    pub password: bool,
    /// For an input: what was typed stays when the user leaves the screen
    /// and comes back. Without it a password field is emptied when its
    /// screen is left (other fields keep their text).
    #[serde(default)]
    pub keep: bool,
    /// Resource id (default: generated from the position).
    #[serde(default)]
    pub id: Option<String>,
    /// Tapping goes to this screen.
    #[serde(default)]
    pub to: Option<String>,
    /// Tapping does this.
    #[serde(default)]
    pub action: Option<Action>,
    /// Tapping shows this toast (for `agree`: when a consent box is not ticked).
    #[serde(default)]
    pub toast: Option<String>,
    /// A bottom tab bar: its tabs (`{tab: 首页, to: home}`), fixed at the
    /// screen's bottom edge.
    #[serde(default)]
    pub tabs: Vec<Item>,
    /// A tab's label (inside `tabs`).
    #[serde(default)]
    pub tab: Option<String>,
    /// An icon button with no text: `close` (✕) or `back` (←); the view
    /// hierarchy names it by its content description (关闭, 返回), as
    /// Android apps do.
    #[serde(default)]
    pub icon: Option<Icon>,
    /// Where an icon sits on its line: `left` (default) or `right` (first
    /// item of a dialog: its top right corner).
    #[serde(default)]
    pub place: Place,
    /// The item's own text colour (`"#e02020"`).
    #[serde(default)]
    pub color: Option<String>,
}

/// An icon button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Icon {
    /// ✕, content description 关闭.
    Close,
    /// ←, content description 返回.
    Back,
}

impl Icon {
    /// The content description Android apps give it.
    pub fn description(self) -> &'static str {
        match self {
            Icon::Close => "关闭",
            Icon::Back => "返回",
        }
    }
}

/// Where an icon sits on its line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// At the left.
    #[default]
    Left,
    /// At the right.
    Right,
}

/// Parses `#rrggbb`.
pub fn parse_color(s: &str) -> Option<[u8; 3]> {
    let h = s.strip_prefix('#')?;
    if h.len() != 6 || !h.is_ascii() {
        return None;
    }
    let v = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some([v(0)?, v(2)?, v(4)?])
}

/// How a function refuses to open without consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Blocked {
    /// Shows the item's `toast` (default 请先同意隐私政策后使用) and stays.
    Toast,
    /// Shows the consent prompt (`first_screen`) again.
    Prompt,
    /// Nothing happens.
    Ignore,
}

/// What a tap on an item does besides navigating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The user consents.
    Agree,
    /// The user refuses (applies `on_refuse`).
    Refuse,
    /// Same as the back key.
    Back,
    /// The app finishes itself.
    Exit,
    /// Grants the permission a system permission dialog asks for.
    Allow,
    /// Denies the permission a system permission dialog asks for.
    Deny,
    /// On a permission's `explain` screen: brings up the system's dialog.
    Request,
}

/// How a button is drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ButtonStyle {
    /// Filled with the accent colour, white text.
    #[default]
    Primary,
    /// Light grey fill, dark text.
    Secondary,
    /// An accent-coloured outline, accent text.
    Outlined,
    /// Accent text only, no fill or outline (as AOSP's dialog buttons).
    Text,
    /// No fill, small pale text: a visually suppressed choice.
    Faint,
}

impl Item {
    /// The label of a tappable item, if it is one.
    pub fn label(&self) -> Option<&str> {
        self.button
            .as_deref()
            .or(self.tab.as_deref())
            .or(self.link.as_deref())
            .or(self.entry.as_deref())
            .or(self.checkbox.as_deref())
            .or(self.switch.as_deref())
    }
}

/// Why an app model could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The file could not be read.
    #[error("cannot read app model {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The YAML is malformed.
    #[error("{0}")]
    Yaml(Box<crate::yaml::Diagnostic>),
    /// The YAML is well-formed but not an app model.
    #[error("{path}: not a valid app model: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

impl AppModel {
    /// Parses an app model from YAML text and checks that every screen it
    /// names exists.
    pub fn parse(path: &Path, source: &str) -> Result<AppModel, ModelError> {
        let node = crate::yaml::load(path, source).map_err(ModelError::Yaml)?;
        let model: AppModel =
            serde_json::from_value(node.to_json()).map_err(|e| ModelError::Invalid {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
        model.check().map_err(|message| ModelError::Invalid {
            path: path.display().to_string(),
            message,
        })?;
        Ok(model)
    }

    fn check(&self) -> Result<(), String> {
        let exists = |id: &str, what: &str| -> Result<(), String> {
            if self.screens.contains_key(id) {
                Ok(())
            } else {
                Err(format!("{what} names screen `{id}`, which is not defined"))
            }
        };
        exists(&self.first_screen, "first_screen")?;
        for (name, s) in [
            ("update_screen", &self.update_screen),
            ("home_screen", &self.home_screen),
            ("after_agree", &self.after_agree),
            ("on_refuse.to", &self.on_refuse.to),
        ] {
            if let Some(id) = s {
                exists(id, name)?;
            }
        }
        if let Some(c) = &self.on_refuse.confirm {
            exists(c, "on_refuse.confirm")?;
        }
        for (id, screen) in &self.screens {
            for it in &screen.items {
                if let Some(c) = it.color.as_deref().filter(|c| parse_color(c).is_none()) {
                    return Err(format!(
                        "screen `{id}`: `color: {c}` is not a colour written `#rrggbb`"
                    ));
                }
                for t in &it.tabs {
                    if t.tab.is_none() {
                        return Err(format!("screen `{id}`: each of `tabs` needs `tab: LABEL`"));
                    }
                    if let Some(to) = &t.to {
                        exists(to, &format!("screen `{id}`'s tab"))?;
                    }
                }
            }
            if let Some(n) = &screen.next {
                exists(&n.to, &format!("screen `{id}`'s next.to"))?;
                if n.after_ms().is_none_or(|ms| ms < 100) {
                    return Err(format!(
                        "screen `{id}`: `next.after: {}` is not a duration of at least 100ms (`3s`, `1500ms`)",
                        n.after
                    ));
                }
            }
        }
        for u in &self.appops {
            if u.every.is_some() && u.every_ms().is_none_or(|ms| ms < 100) {
                return Err(format!(
                    "app-op `{}`: `every: {}` is not a duration of at least 100ms (`5s`, `500ms`)",
                    u.op,
                    u.every.as_deref().unwrap_or_default()
                ));
            }
        }
        for (k, p) in self.permissions.iter().enumerate() {
            let name = format!("permission {} ({:?})", k + 1, p.permission).to_lowercase();
            match (&p.when, &p.screen) {
                (None, None) => {
                    return Err(format!(
                        "{name} needs `when: launch|consent` or `screen: SCREEN`"
                    ))
                }
                (Some(_), Some(_)) => {
                    return Err(format!("{name} has both `when` and `screen`: give one"))
                }
                (Some(OpWhen::Background), _) => {
                    return Err(format!(
                        "{name}: a permission cannot be asked in the background (`when: launch|consent`)"
                    ))
                }
                _ => {}
            }
            if let Some(s) = &p.screen {
                exists(s, &format!("{name} screen"))?;
            }
            if let Some(s) = &p.explain {
                exists(s, &format!("{name} explain"))?;
            }
            if p.purpose.is_some() && p.style == PermissionStyle::Aosp {
                return Err(format!(
                    "{name}: Android's own dialog (`style: aosp`) shows no text of the app's; put the purpose on an `explain` screen, or use `style: miui` or `host`"
                ));
            }
            if p.style == PermissionStyle::Host && self.deeplink.is_none() {
                return Err(format!(
                    "{name}: `style: host` is the authorization sheet of a mini program's host app; this model has no `deeplink`"
                ));
            }
        }
        for (id, screen) in &self.screens {
            if let Some(o) = &screen.over {
                exists(o, &format!("screen `{id}` over"))?;
            }
            if let Some(b) = &screen.back {
                exists(b, &format!("screen `{id}` back"))?;
            }
            for item in screen
                .items
                .iter()
                .flat_map(|i| std::iter::once(i).chain(&i.row))
            {
                if let Some(to) = &item.to {
                    exists(to, &format!("an item of screen `{id}`"))?;
                }
            }
        }
        Ok(())
    }

    /// The screen shown on a launch, given whether the user consented.
    pub fn launch_screen(&self, consented: bool) -> &str {
        if consented {
            self.home_screen.as_deref().unwrap_or(&self.first_screen)
        } else {
            &self.first_screen
        }
    }

    /// The activity reported for a screen.
    pub fn activity_of(&self, screen: &str) -> String {
        let a = self
            .screens
            .get(screen)
            .and_then(|s| s.activity.clone())
            .unwrap_or_else(|| self.launch_activity.clone());
        if let Some(rest) = a.strip_prefix('.') {
            format!("{}.{rest}", self.package)
        } else {
            a
        }
    }
}

//! Permission dialogs: who draws them (one list of vendors and packages),
//! which permissions they ask for, and a host app's authorization sheet for
//! a mini program.

use crate::device::Foreground;
use crate::perception::TextItem;

/// Who drew a runtime-permission dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Vendor {
    /// AOSP's or Google's permission controller.
    Aosp,
    /// Xiaomi MIUI / HyperOS.
    Miui,
    /// OPPO ColorOS, OnePlus OxygenOS, realme UI.
    ColorOs,
    /// vivo OriginOS / Funtouch OS, iQOO.
    Vivo,
    /// Huawei EMUI / HarmonyOS, Honor MagicOS.
    Huawei,
    /// Samsung One UI.
    Samsung,
    /// Meizu Flyme.
    Flyme,
}

impl Vendor {
    /// The name reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Vendor::Aosp => "AOSP/Google",
            Vendor::Miui => "MIUI/HyperOS",
            Vendor::ColorOs => "ColorOS",
            Vendor::Vivo => "OriginOS/vivo",
            Vendor::Huawei => "EMUI/HarmonyOS",
            Vendor::Samsung => "One UI",
            Vendor::Flyme => "Flyme",
        }
    }
}

/// Packages that draw the system's runtime-permission dialogs over an app,
/// and who they belong to: the one list the runner, the rules and
/// `inspect` share.
pub const PERMISSION_UI: &[(&str, Vendor)] = &[
    ("com.android.permissioncontroller", Vendor::Aosp),
    ("com.google.android.permissioncontroller", Vendor::Aosp),
    ("com.android.packageinstaller", Vendor::Aosp),
    ("com.google.android.packageinstaller", Vendor::Aosp),
    ("com.samsung.android.permissioncontroller", Vendor::Samsung),
    ("com.lbe.security.miui", Vendor::Miui),
    ("com.miui.securitycenter", Vendor::Miui),
    ("com.coloros.securitypermission", Vendor::ColorOs),
    ("com.oplus.securitypermission", Vendor::ColorOs),
    ("com.huawei.systemmanager", Vendor::Huawei),
    ("com.hihonor.systemmanager", Vendor::Huawei),
    ("com.vivo.permissionmanager", Vendor::Vivo),
    ("com.iqoo.secure", Vendor::Vivo),
    ("com.meizu.safe", Vendor::Flyme),
];

/// Who drew the window in front, when it is a permission controller's:
/// by its package, or by an activity that grants permissions.
pub fn drawn_by(fg: &Foreground) -> Option<Vendor> {
    PERMISSION_UI
        .iter()
        .find(|(p, _)| *p == fg.package)
        .map(|(_, v)| *v)
        .or_else(|| {
            fg.activity
                .contains("GrantPermissions")
                .then_some(Vendor::Aosp)
        })
}

/// Permission groups a dialog's text names, by the words vendors use.
const GROUPS: &[(&str, &[&str])] = &[
    ("location", &["位置", "定位", "location"]),
    ("camera", &["相机", "拍摄", "拍照", "摄像头", "camera"]),
    ("contacts", &["通讯录", "联系人", "contacts"]),
    ("call log", &["通话记录", "call log"]),
    (
        "phone",
        &["拨打电话", "电话权限", "设备信息", "phone calls"],
    ),
    (
        "storage",
        &[
            "存储",
            "照片和媒体",
            "相册",
            "文件",
            "storage",
            "photos and media",
        ],
    ),
    (
        "microphone",
        &["麦克风", "录音", "录制音频", "microphone", "record audio"],
    ),
    ("SMS", &["短信", "sms"]),
    ("calendar", &["日历", "calendar"]),
    ("phone number", &["手机号", "phone number"]),
    (
        "profile",
        &[
            "昵称、头像",
            "昵称和头像",
            "用户信息",
            "nickname",
            "profile photo",
        ],
    ),
    ("body sensors", &["身体传感器", "body sensors"]),
    ("notifications", &["通知", "notifications"]),
];

/// The permission groups a text names.
pub fn groups_in(text: &str) -> Vec<&'static str> {
    let text = text.to_lowercase();
    GROUPS
        .iter()
        .filter(|(_, words)| words.iter().any(|w| text.contains(w)))
        .map(|(g, _)| *g)
        .collect()
}

/// A host app's request on behalf of a mini program, in its words.
const HOST_ASK: &str = r"(?i)申请(?:获取|使用|获得|访问|调用|授权)|(?:获取|使用)(?:你|您)的|wants? to (?:use|access|get)|would like to (?:use|access|get)|requests? (?:access|permission)";

/// A line that asks for a permission or for data: 允许…访问/使用/获取…,
/// 要允许…吗, …申请获取…, 是否允许…, Allow X to access …, X wants to use ….
pub fn asks(text: &str) -> bool {
    static ASK: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(&format!(
            "{}|{HOST_ASK}",
            r"(?i)^\s*(?:是否|要)?允许.{1,40}(?:访问|使用|获取|读取|发送|拍摄|录制|调用|开启|查看|拨打|管理|在后台)|想(?:要)?(?:获取|访问|使用)|\ballow\b.{1,40}\bto\s+(?:access|use|send|take|record|make|find|get|read|know)|wants? to send|would like to send|needs? (?:the )?following permissions|allow following permissions"
        ))
        .ok()
    });
    ASK.as_ref().is_some_and(|re| re.is_match(text))
}

/// Whether a line is a host app's request on behalf of a mini program
/// (WeChat's 「XX 申请 获取你的位置信息」, Alipay's 「申请获取以下权限」).
pub fn host_asks(text: &str) -> bool {
    static ASK: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(HOST_ASK).ok());
    ASK.as_ref().is_some_and(|re| re.is_match(text))
}

/// The texts of a host authorization sheet: from its request line down
/// (what is above is the mini program's page, dimmed behind it), with the
/// title row (the mini program's name) just above it.
pub fn host_sheet_texts(texts: &[TextItem]) -> Option<Vec<&TextItem>> {
    let top = texts
        .iter()
        .filter(|t| host_asks(&t.text))
        .map(|t| t.bounds.y)
        .min()?;
    let above = texts
        .iter()
        .filter(|t| t.bounds.y < top)
        .map(|t| t.bounds.h)
        .max()
        .unwrap_or(0);
    Some(
        texts
            .iter()
            .filter(|t| t.bounds.y >= top - above * 2)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_questions_in_both_languages() {
        for q in [
            "允许“Push”发送通知?",
            "要允许“银行”访问您的位置信息吗？",
            "是否允许版本更新向您发送通知？",
            "Allow PermissionX to access your contacts?",
            "Allow AppUpdate to send you notifications?",
            "某某小程序 申请获取你的位置信息",
            "PermissionX needs following permissions to continue",
        ] {
            assert!(asks(q), "{q}");
        }
        for q in [
            "允许",
            "Allow",
            "我的",
            "欢迎使用我的应用",
            "App permissions",
        ] {
            assert!(!asks(q), "{q}");
        }
    }

    #[test]
    fn vendors_by_package_or_activity() {
        let fg = |p: &str, a: &str| Foreground {
            package: p.into(),
            activity: a.into(),
        };
        assert_eq!(
            drawn_by(&fg("com.lbe.security.miui", ".X")),
            Some(Vendor::Miui)
        );
        assert_eq!(
            drawn_by(&fg("com.example", "com.example.GrantPermissionsActivity")),
            Some(Vendor::Aosp)
        );
        assert_eq!(drawn_by(&fg("com.example", ".Main")), None);
    }
}

//! The simulated Android device: app models rendered to real screenshots,
//! with a view hierarchy, focus, processes and app-op records. It answers
//! the same shell commands an Android device answers (`screencap -p`,
//! `uiautomator dump`, `dumpsys window`, `input tap`, `am start` …), so the
//! driver that talks to a real device drives it unchanged.

pub mod adbd;
pub mod model;
pub mod render;
mod transport;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::{Duration, Instant};

use image::RgbaImage;

use crate::geom::Rect;
use model::{
    Action, AfterRefusal, AppModel, Blocked, ButtonStyle, Item, ModelError, OpWhen,
    PermissionStyle, Reprompt, Screen,
};
pub use render::{Display, Theme};
use render::{Layout, Node, NodeKind};

/// The bundled example apps, by file name.
pub const BUNDLED_APPS: &[(&str, &str)] = &[
    (
        "compliant-bank.yaml",
        include_str!("apps/compliant-bank.yaml"),
    ),
    (
        "compliant-bank-v2.yaml",
        include_str!("apps/compliant-bank-v2.yaml"),
    ),
    ("no-refuse.yaml", include_str!("apps/no-refuse.yaml")),
    ("vague-agree.yaml", include_str!("apps/vague-agree.yaml")),
    ("prechecked.yaml", include_str!("apps/prechecked.yaml")),
    ("popup-loop.yaml", include_str!("apps/popup-loop.yaml")),
    (
        "exit-on-refuse.yaml",
        include_str!("apps/exit-on-refuse.yaml"),
    ),
    (
        "kill-on-refuse.yaml",
        include_str!("apps/kill-on-refuse.yaml"),
    ),
    ("policy-deep.yaml", include_str!("apps/policy-deep.yaml")),
    (
        "wechat-miniprogram.yaml",
        include_str!("apps/wechat-miniprogram.yaml"),
    ),
    ("hostile-text.yaml", include_str!("apps/hostile-text.yaml")),
    // One example per Section 7 rule beyond the core four (scenarios/<theme>/).
    (
        "no-first-launch-notice.yaml",
        include_str!("apps/no-first-launch-notice.yaml"),
    ),
    (
        "upfront-permission.yaml",
        include_str!("apps/upfront-permission.yaml"),
    ),
    (
        "bundled-permissions.yaml",
        include_str!("apps/bundled-permissions.yaml"),
    ),
    ("silent-grant.yaml", include_str!("apps/silent-grant.yaml")),
    (
        "collect-before-consent.yaml",
        include_str!("apps/collect-before-consent.yaml"),
    ),
    (
        "background-location.yaml",
        include_str!("apps/background-location.yaml"),
    ),
    (
        "frequent-location.yaml",
        include_str!("apps/frequent-location.yaml"),
    ),
    (
        "mini-no-purpose.yaml",
        include_str!("apps/mini-no-purpose.yaml"),
    ),
    (
        "reprompt-on-launch.yaml",
        include_str!("apps/reprompt-on-launch.yaml"),
    ),
    (
        "face-no-notice.yaml",
        include_str!("apps/face-no-notice.yaml"),
    ),
    (
        "silent-update.yaml",
        include_str!("apps/silent-update.yaml"),
    ),
    (
        "silent-update-v2.yaml",
        include_str!("apps/silent-update-v2.yaml"),
    ),
    (
        "reward-prompt.yaml",
        include_str!("apps/reward-prompt.yaml"),
    ),
    // The rights to withdraw, delete and keep using (scenarios/rights/), and
    // a thin policy (scenarios/notices/thin-policy.yaml).
    (
        "no-revocation.yaml",
        include_str!("apps/no-revocation.yaml"),
    ),
    (
        "no-account-deletion.yaml",
        include_str!("apps/no-account-deletion.yaml"),
    ),
    (
        "functions-blocked.yaml",
        include_str!("apps/functions-blocked.yaml"),
    ),
    ("thin-policy.yaml", include_str!("apps/thin-policy.yaml")),
    (
        "unmasked-card.yaml",
        include_str!("apps/unmasked-card.yaml"),
    ),
    (
        "password-in-clear.yaml",
        include_str!("apps/password-in-clear.yaml"),
    ),
    (
        "capturable-login.yaml",
        include_str!("apps/capturable-login.yaml"),
    ),
    (
        "telling-login-error.yaml",
        include_str!("apps/telling-login-error.yaml"),
    ),
    (
        "password-kept.yaml",
        include_str!("apps/password-kept.yaml"),
    ),
];

const LAUNCHER_PKG: &str = "com.android.launcher3";
const LAUNCHER_ACTIVITY: &str = "com.android.launcher3.uioverrides.QuickstepLauncher";
const WECHAT_HOST: &str = include_str!("apps/host-wechat.yaml");
/// Android's own permission dialog.
const AOSP_PERMISSIONS: &str = "com.android.permissioncontroller";
/// Xiaomi MIUI's permission dialog.
const MIUI_PERMISSIONS: &str = "com.lbe.security.miui";

fn is_system(pkg: &str) -> bool {
    pkg == AOSP_PERMISSIONS || pkg == MIUI_PERMISSIONS
}

/// Adds the system's permission dialogs (AOSP's and MIUI's) for every
/// permission an installed app asks for: one screen per request.
fn add_permission_dialogs(apps: &mut Vec<AppModel>) -> HashMap<(usize, String), PermissionRequest> {
    let mut requests = HashMap::new();
    let mut systems: Vec<(PermissionStyle, AppModel)> = Vec::new();
    let mut host_sheets = Vec::new();
    for (a, app) in apps.iter().enumerate() {
        for (k, p) in app.permissions.iter().enumerate() {
            let id = format!("request_{a}_{k}");
            if p.style == PermissionStyle::Host {
                // The host's sheet is part of the mini program's own screens.
                host_sheets.push((a, id, p.permission, p.purpose.clone(), k));
                continue;
            }
            let location = p.permission == model::Permission::Location;
            let button = |label: &str, action: Action, style: ButtonStyle| Item {
                button: Some(label.to_string()),
                action: Some(action),
                style,
                ..Default::default()
            };
            let screen = match p.style {
                PermissionStyle::Aosp | PermissionStyle::Host => {
                    let mut items = vec![Item {
                        heading: Some(format!(
                            "要允许“{}”{}吗？",
                            app.label,
                            p.permission.what_zh()
                        )),
                        ..Default::default()
                    }];
                    if location {
                        items.push(button(
                            "仅在使用该应用时允许",
                            Action::Allow,
                            ButtonStyle::Text,
                        ));
                        items.push(button("仅限这一次", Action::Allow, ButtonStyle::Text));
                    } else {
                        items.push(button("允许", Action::Allow, ButtonStyle::Text));
                    }
                    items.push(button("不允许", Action::Deny, ButtonStyle::Text));
                    Screen {
                        activity: Some(
                            "com.android.permissioncontroller.permission.ui.GrantPermissionsActivity"
                                .into(),
                        ),
                        dialog: true,
                        items,
                        ..Default::default()
                    }
                }
                PermissionStyle::Miui => {
                    // Without the app's own reason, MIUI shows its stock line.
                    let mut items = vec![Item {
                        text: Some(match &p.purpose {
                            Some(why) => format!(
                                "“{}”申请获取{}权限，{why}",
                                app.label,
                                p.permission.name_zh()
                            ),
                            None => format!(
                                "“{}”申请获取{}权限，用于为您提供相关服务",
                                app.label,
                                p.permission.name_zh()
                            ),
                        }),
                        ..Default::default()
                    }];
                    if location {
                        items.push(button("始终允许", Action::Allow, ButtonStyle::Secondary));
                        items.push(button(
                            "仅在使用中允许",
                            Action::Allow,
                            ButtonStyle::Secondary,
                        ));
                    } else {
                        items.push(button("允许", Action::Allow, ButtonStyle::Secondary));
                    }
                    items.push(button("拒绝", Action::Deny, ButtonStyle::Secondary));
                    Screen {
                        activity: Some(
                            "com.android.packageinstaller.permission.ui.GrantPermissionsActivity"
                                .into(),
                        ),
                        title: Some(format!("{}权限", p.permission.name_zh())),
                        sheet: true,
                        items,
                        ..Default::default()
                    }
                }
            };
            let slot = match systems.iter().position(|(s, _)| *s == p.style) {
                Some(i) => i,
                None => {
                    let (package, shape) = match p.style {
                        PermissionStyle::Miui => (MIUI_PERMISSIONS, model::ButtonShape::Pill),
                        _ => (AOSP_PERMISSIONS, model::ButtonShape::Rounded),
                    };
                    systems.push((
                        p.style,
                        AppModel {
                            package: package.into(),
                            label: "权限".into(),
                            version: 1,
                            update_screen: None,
                            launch_activity: ".GrantPermissionsActivity".into(),
                            deeplink: None,
                            first_screen: id.clone(),
                            home_screen: None,
                            after_agree: None,
                            on_refuse: Default::default(),
                            appops: Vec::new(),
                            hierarchy: true,
                            permissions: Vec::new(),
                            look: model::Look {
                                shape,
                                ..Default::default()
                            },
                            screens: Default::default(),
                        },
                    ));
                    systems.len() - 1
                }
            };
            systems[slot].1.screens.insert(id.clone(), screen);
            requests.insert(
                (apps.len() + slot, id),
                PermissionRequest { app: a, index: k },
            );
        }
    }
    for (a, id, permission, purpose, k) in host_sheets {
        let app = &mut apps[a];
        // WeChat's sheet: who asks, what for, the developer's declared
        // reason, then 拒绝 / 允许 side by side.
        let mut items = vec![
            Item {
                text: Some(format!("{} 申请", app.label)),
                ..Default::default()
            },
            Item {
                heading: Some(permission.host_zh().to_string()),
                ..Default::default()
            },
        ];
        if let Some(why) = purpose {
            items.push(Item {
                text: Some(why),
                ..Default::default()
            });
        }
        items.push(Item {
            row: vec![
                Item {
                    button: Some("拒绝".into()),
                    action: Some(Action::Deny),
                    style: ButtonStyle::Secondary,
                    ..Default::default()
                },
                Item {
                    button: Some("允许".into()),
                    action: Some(Action::Allow),
                    ..Default::default()
                },
            ],
            ..Default::default()
        });
        app.screens.insert(
            id.clone(),
            Screen {
                activity: Some(app.launch_activity.clone()),
                sheet: true,
                items,
                ..Default::default()
            },
        );
        requests.insert((a, id), PermissionRequest { app: a, index: k });
    }
    apps.extend(systems.into_iter().map(|(_, m)| m));
    requests
}

/// Loads the bundled example apps.
pub fn bundled_apps() -> Result<Vec<AppModel>, ModelError> {
    BUNDLED_APPS
        .iter()
        .map(|(name, src)| AppModel::parse(Path::new(&format!("sim/apps/{name}")), src))
        .collect()
}

/// Loads app models from files.
pub fn load_apps(paths: &[std::path::PathBuf]) -> Result<Vec<AppModel>, ModelError> {
    let mut out = Vec::new();
    for p in paths {
        let src = crate::files::read_text(p, crate::files::MAX_TEXT, "app model").map_err(|e| {
            ModelError::Read {
                path: p.display().to_string(),
                source: match e {
                    crate::files::ReadError::Io { source, .. } => source,
                    other => std::io::Error::other(other.to_string()),
                },
            }
        })?;
        out.push(AppModel::parse(p, &src)?);
    }
    Ok(out)
}

#[derive(Debug, Clone, Default)]
struct AppState {
    consented: bool,
    /// The build (model `version`) the user last consented to.
    consented_version: u32,
    refusals: u32,
    /// Permissions already answered (index into the model's `permissions`).
    answered: std::collections::BTreeSet<usize>,
    /// Permissions granted (index into the model's `permissions`).
    granted: std::collections::BTreeSet<usize>,
    checked: HashMap<(String, usize), bool>,
    typed: HashMap<(String, usize), String>,
}

#[derive(Debug, Clone)]
struct OpRecord {
    mode: &'static str,
    /// The last access; `None` when only the mode was set (a permission
    /// answered in a dialog is no access).
    last_ms: Option<u64>,
}

/// An app-op an app uses again and again (`every:` in its model).
#[derive(Debug, Clone)]
struct Periodic {
    pkg: String,
    op: String,
    from_ms: u64,
    every_ms: u64,
    /// When it stopped (the process died, or the app came back to the front
    /// for a background use).
    until_ms: Option<u64>,
    background: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    app: usize,
    screen: String,
    /// How far its content is scrolled, in pixels.
    scroll: i32,
}

impl Entry {
    fn new(app: usize, screen: impl Into<String>) -> Entry {
        Entry {
            app,
            screen: screen.into(),
            scroll: 0,
        }
    }
}

/// A system permission dialog: which app asked, for which of its permissions.
#[derive(Debug, Clone, Copy)]
struct PermissionRequest {
    app: usize,
    index: usize,
}

/// How the simulated clock advances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// Waits cost nothing: time moves only when the driver sleeps (in-process runs).
    Virtual,
    /// Real time (when served to a real adb server).
    Real,
}

/// The most characters a text field of the simulated device holds.
pub const MAX_TYPED: usize = 4096;
/// The most dump files the simulated device keeps (a new one past it replaces another).
pub const MAX_FILES: usize = 32;

/// The kinds of command a phone answers at its own pace: what `--latency`
/// sets one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandKind {
    /// `screencap` (the phone compresses a PNG, or copies raw pixels).
    Screencap,
    /// `uiautomator dump`.
    Hierarchy,
    /// `dumpsys window …`, `dumpsys activity …`.
    Dumpsys,
    /// `pidof`.
    Pidof,
    /// `cmd appops get`, `dumpsys appops`.
    Appops,
    /// `dumpsys package`, `cmd package`, `pm`.
    Package,
    /// `input …` and typing by broadcast.
    Input,
    /// Everything else (`am`, `getprop`, `wm`, the shell's own commands).
    Other,
}

impl CommandKind {
    /// Every kind, in the order `--latency` names them.
    pub const ALL: [CommandKind; 8] = [
        CommandKind::Screencap,
        CommandKind::Hierarchy,
        CommandKind::Dumpsys,
        CommandKind::Pidof,
        CommandKind::Appops,
        CommandKind::Package,
        CommandKind::Input,
        CommandKind::Other,
    ];

    /// The name `--latency` knows it by.
    pub fn name(self) -> &'static str {
        match self {
            CommandKind::Screencap => "screencap",
            CommandKind::Hierarchy => "hierarchy",
            CommandKind::Dumpsys => "dumpsys",
            CommandKind::Pidof => "pidof",
            CommandKind::Appops => "appops",
            CommandKind::Package => "package",
            CommandKind::Input => "input",
            CommandKind::Other => "other",
        }
    }

    /// The kind of a shell command line.
    pub fn of(command: &str) -> CommandKind {
        let words: Vec<&str> = command.split_whitespace().take(3).collect();
        match words.as_slice() {
            ["screencap", ..] => CommandKind::Screencap,
            ["uiautomator", ..] => CommandKind::Hierarchy,
            ["cmd", "appops", ..] | ["dumpsys", "appops", ..] => CommandKind::Appops,
            ["cmd", "package", ..] | ["dumpsys", "package", ..] | ["pm", ..] => {
                CommandKind::Package
            }
            ["dumpsys", ..] => CommandKind::Dumpsys,
            ["pidof", ..] => CommandKind::Pidof,
            ["input", ..] => CommandKind::Input,
            ["am", "broadcast", ..] if command.contains("ADB_INPUT_TEXT") => CommandKind::Input,
            _ => CommandKind::Other,
        }
    }
}

/// Latency the simulated device adds to commands, to model real devices:
/// one figure per [`CommandKind`]; a kind not given takes `other`'s.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Latency {
    given: [Option<Duration>; 8],
}

impl Latency {
    /// What a command of this kind waits.
    pub fn of(&self, kind: CommandKind) -> Duration {
        let at = |k: CommandKind| self.given[k as usize];
        at(kind).or(at(CommandKind::Other)).unwrap_or_default()
    }

    /// What this command line waits.
    pub fn of_command(&self, command: &str) -> Duration {
        self.of(CommandKind::of(command))
    }

    /// Sets one kind's latency.
    pub fn set(&mut self, kind: CommandKind, d: Duration) {
        self.given[kind as usize] = Some(d);
    }

    /// Parses `screencap=400ms,hierarchy=1500ms,other=80ms`: any of the
    /// kinds screencap, hierarchy, dumpsys, pidof, appops, package, input,
    /// other.
    pub fn parse(s: &str) -> Result<Latency, String> {
        let mut l = Latency::default();
        for part in s.split(',').filter(|p| !p.trim().is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}`: expected KIND=DURATION"))?;
            let d = crate::scenario::parse_duration(v.trim())
                .ok_or_else(|| format!("`{v}` is not a duration like 300ms or 1s"))?;
            let kind = CommandKind::ALL
                .into_iter()
                .find(|c| c.name() == k.trim())
                .ok_or_else(|| {
                    let names: Vec<&str> = CommandKind::ALL.iter().map(|c| c.name()).collect();
                    format!("unknown latency kind `{}` ({})", k.trim(), names.join(", "))
                })?;
            l.set(kind, d);
        }
        Ok(l)
    }
}

/// One simulated Android device.
pub struct Sim {
    apps: Vec<AppModel>,
    state: Vec<AppState>,
    procs: BTreeMap<String, u32>,
    ops: BTreeMap<String, BTreeMap<String, OpRecord>>,
    periodic: Vec<Periodic>,
    stack: Vec<Entry>,
    timers: Vec<(u64, usize)>,
    clock: Clock,
    virtual_ms: u64,
    started: Instant,
    next_pid: u32,
    files: HashMap<String, Vec<u8>>,
    /// Latency added to commands.
    pub latency: Latency,
    serial: String,
    display: Display,
    /// A toast and when it disappears (device ms).
    toast: Option<(String, u64)>,
    /// System permission dialog screens: (system app, screen id) → request.
    requests: HashMap<(usize, String), PermissionRequest>,
    /// How many of `apps` are apps (the rest are the system's dialogs).
    user_apps: usize,
    /// Builds not installed: newer versions of installed apps' models.
    builds: Vec<AppModel>,
    /// The text field with the input focus: (app, screen, item).
    focus: Option<(usize, String, usize)>,
    /// Screens that give way by themselves: (when, app, screen, next screen).
    handovers: Vec<(u64, usize, String, String)>,
}

pub use crate::device::{encode_png, ShellOutput};
pub use transport::{sim_device, sim_device_on, SimTransport};

impl Sim {
    /// A device with these apps installed (plus a launcher and a WeChat host).
    pub fn new(serial: &str, mut apps: Vec<AppModel>, clock: Clock) -> Result<Sim, ModelError> {
        if apps.iter().any(|a| a.deeplink.is_some())
            && !apps
                .iter()
                .any(|a| a.package == "com.tencent.mm" && a.deeplink.is_none())
        {
            apps.push(AppModel::parse(
                Path::new("sim/apps/host-wechat.yaml"),
                WECHAT_HOST,
            )?);
        }
        // Of several builds of one app, the lowest version is installed;
        // the others wait for an `install`.
        let mut builds = Vec::new();
        let mut installed: Vec<AppModel> = Vec::new();
        for a in apps {
            let same = installed
                .iter()
                .position(|b| b.package == a.package && b.deeplink == a.deeplink);
            match same {
                Some(i) if a.version < installed[i].version => {
                    builds.push(std::mem::replace(&mut installed[i], a));
                }
                Some(i) if a.version != installed[i].version => builds.push(a),
                _ => installed.push(a),
            }
        }
        let mut apps = installed;
        let user_apps = apps.len();
        let requests = add_permission_dialogs(&mut apps);
        let state = vec![AppState::default(); apps.len()];
        Ok(Sim {
            apps,
            state,
            procs: BTreeMap::new(),
            ops: BTreeMap::new(),
            periodic: Vec::new(),
            stack: Vec::new(),
            timers: Vec::new(),
            clock,
            virtual_ms: 0,
            started: Instant::now(),
            next_pid: 4100,
            files: HashMap::new(),
            latency: Latency::default(),
            serial: serial.to_string(),
            display: Display::default(),
            toast: None,
            requests,
            user_apps,
            builds,
            focus: None,
            handovers: Vec::new(),
        })
    }

    /// Installs another build of an installed app over it, as `adb
    /// install -r` does: the app is stopped, its data (consent, grants)
    /// kept. `Err` says why not.
    pub fn install_build(&mut self, package: &str, version: u32) -> Result<(), String> {
        let Some(b) = self
            .builds
            .iter()
            .position(|m| m.package == package && m.version == version)
        else {
            let known: Vec<String> = self
                .builds
                .iter()
                .chain(&self.apps[..self.user_apps])
                .filter(|m| m.package == package)
                .map(|m| m.version.to_string())
                .collect();
            return Err(if known.is_empty() {
                format!("no app model of {package} on this device")
            } else {
                format!(
                    "no version {version} of {package}; the device has version(s) {}",
                    known.join(", ")
                )
            });
        };
        let m = self.builds.remove(b);
        self.install_model(m)
    }

    /// Installs an app model over the installed app with its package.
    fn install_model(&mut self, model: AppModel) -> Result<(), String> {
        let Some(i) = self.apps[..self.user_apps]
            .iter()
            .position(|m| m.package == model.package && m.deeplink == model.deeplink)
        else {
            return Err(format!(
                "{} is not installed: a new build installs over an installed app",
                model.package
            ));
        };
        let pkg = model.package.clone();
        self.force_stop(&pkg);
        // The system's dialogs are rebuilt for the new build's permissions.
        self.stack.retain(|e| e.app < self.user_apps);
        let old = std::mem::replace(&mut self.apps[i], model);
        self.builds.push(old);
        self.apps.truncate(self.user_apps);
        self.state.truncate(self.user_apps);
        self.requests = add_permission_dialogs(&mut self.apps);
        self.state.resize(self.apps.len(), AppState::default());
        Ok(())
    }

    /// Installs an app model sent as a package file (`cmd package install
    /// -S SIZE` with the file on its input): on the simulated device an
    /// "APK" is an app model's YAML.
    pub fn install_file(&mut self, bytes: &[u8]) -> ShellOutput {
        let text = String::from_utf8_lossy(bytes);
        match AppModel::parse(Path::new("install.yaml"), &text) {
            Ok(m) => match self.install_model(m) {
                Ok(()) => ShellOutput::ok("Success\n"),
                Err(e) => ShellOutput::ok(format!("Failure [INSTALL_FAILED_INVALID_APK: {e}]\n")),
            },
            Err(e) => ShellOutput::ok(format!(
                "Failure [INSTALL_PARSE_FAILED_NOT_APK: the simulated device installs app models (YAML): {e}]\n"
            )),
        }
    }

    /// Gives the device another screen size, density or theme.
    pub fn with_display(mut self, d: Display) -> Sim {
        self.display = d;
        self
    }

    /// The device's screen.
    pub fn display(&self) -> Display {
        self.display
    }

    /// The device serial.
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// Milliseconds since the device booted.
    pub fn now_ms(&self) -> u64 {
        match self.clock {
            Clock::Virtual => self.virtual_ms,
            Clock::Real => self.started.elapsed().as_millis() as u64,
        }
    }

    /// Lets time pass on the device.
    pub fn sleep(&mut self, d: Duration) {
        match self.clock {
            Clock::Virtual => self.virtual_ms += d.as_millis() as u64,
            Clock::Real => std::thread::sleep(d),
        }
        self.fire_timers();
    }

    fn delay(&mut self, d: Duration) {
        if !d.is_zero() {
            self.sleep(d);
        }
    }

    fn fire_timers(&mut self) {
        let now = self.now_ms();
        if self.toast.as_ref().is_some_and(|(_, until)| *until <= now) {
            self.toast = None;
        }
        let (due, later): (Vec<_>, Vec<_>) = self.timers.drain(..).partition(|(t, _)| *t <= now);
        self.timers = later;
        for (_, app) in due {
            // The consent prompt comes back only while the app is in front.
            if self.stack.last().is_some_and(|e| e.app == app) {
                let screen = self.apps[app].first_screen.clone();
                self.stack.push(Entry::new(app, screen));
            }
        }
        // A splash screen or countdown ad gives way, if still on top.
        let (due, later): (Vec<_>, Vec<_>) =
            self.handovers.drain(..).partition(|(t, ..)| *t <= now);
        self.handovers = later;
        for (_, app, from, to) in due {
            if self
                .stack
                .last()
                .is_some_and(|e| e.app == app && e.screen == from)
            {
                self.stack.pop();
                self.stack.push(Entry::new(app, to.clone()));
                self.shown(app, &to);
            }
        }
    }

    /// Runs one shell command as `adb shell` would.
    pub fn shell(&mut self, command: &str) -> ShellOutput {
        let before = self.top().cloned();
        let out = self.shell_inner(command);
        if let Some(left) = before {
            self.left_behind(&left);
        }
        out
    }

    /// After a command: when the screen that was on top is no longer (the
    /// user went back, or on to another page, not just opened a dialog
    /// over it), its password fields forget what was typed, unless the
    /// model says they `keep` it; the input focus goes.
    fn left_behind(&mut self, left: &Entry) {
        let now = self.top().cloned();
        if now
            .as_ref()
            .is_some_and(|n| n.app == left.app && n.screen == left.screen)
        {
            return;
        }
        let overlay = now.as_ref().is_some_and(|n| {
            n.app == left.app
                && self.apps[n.app]
                    .screens
                    .get(&n.screen)
                    .is_some_and(|s| s.dialog || s.sheet)
                && self
                    .stack
                    .iter()
                    .any(|e| e.app == left.app && e.screen == left.screen)
        });
        if overlay {
            return;
        }
        if let Some(screen) = self
            .apps
            .get(left.app)
            .and_then(|a| a.screens.get(&left.screen))
        {
            let forget: Vec<usize> = screen
                .items
                .iter()
                .enumerate()
                .filter(|(_, it)| it.input.is_some() && it.password && !it.keep)
                .map(|(i, _)| i)
                .collect();
            for i in forget {
                self.state[left.app].typed.remove(&(left.screen.clone(), i));
            }
        }
        if self
            .focus
            .as_ref()
            .is_some_and(|(a, s, _)| *a == left.app && *s == left.screen)
        {
            self.focus = None;
        }
    }

    /// What a text field shows: what was typed (one • a character in a
    /// password field), or `None` while it is empty.
    fn input_text(&self, app: usize, screen: &str, i: usize) -> Option<String> {
        let typed = self.state[app].typed.get(&(screen.to_string(), i))?;
        if typed.is_empty() {
            return None;
        }
        let password = self.apps[app]
            .screens
            .get(screen)
            .and_then(|s| s.items.get(i))
            .is_some_and(|it| it.password);
        Some(if password {
            "•".repeat(typed.chars().count())
        } else {
            typed.clone()
        })
    }

    /// Whether the screen on top is a secure window.
    fn top_secure(&self) -> bool {
        self.top().is_some_and(|e| {
            self.apps[e.app]
                .screens
                .get(&e.screen)
                .is_some_and(|s| s.secure)
        })
    }

    fn shell_inner(&mut self, command: &str) -> ShellOutput {
        self.fire_timers();
        let args = split_command(command);
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        if argv.iter().any(|a| matches!(*a, "&&" | ";" | ">")) {
            return self.script(&argv);
        }
        self.run_argv(&argv)
    }

    /// A line of commands as the device's `sh` runs it: `a && b` (b only
    /// when a succeeded), `a ; b`, and `cmd > file` (what the device lock
    /// sends). Outputs are joined; the status is the last command's.
    fn script(&mut self, argv: &[&str]) -> ShellOutput {
        let mut out = ShellOutput::ok("");
        let mut skip = false;
        let mut rest = argv;
        while !rest.is_empty() {
            let end = rest
                .iter()
                .position(|a| matches!(*a, "&&" | ";"))
                .unwrap_or(rest.len());
            let (seg, sep) = (&rest[..end], rest.get(end).copied());
            rest = rest.get(end + 1..).unwrap_or(&[]);
            if !skip && !seg.is_empty() {
                let r = match seg.iter().position(|a| *a == ">") {
                    Some(k) => {
                        let r = self.run_argv(&seg[..k]);
                        match seg.get(k + 1) {
                            Some(target) if r.status == 0 => self.write_file(target, r.stdout),
                            Some(_) => r,
                            None => ShellOutput::err("sh: syntax error: no file after >"),
                        }
                    }
                    None => self.run_argv(seg),
                };
                out.stdout.extend_from_slice(&r.stdout);
                out.status = r.status;
            }
            // After `&&` a failure skips on to the next `;`.
            skip = match sep {
                Some("&&") => skip || out.status != 0,
                _ => false,
            };
        }
        out
    }

    /// `> file`: only in a folder that exists (the device's own, or one
    /// made with `mkdir`).
    fn write_file(&mut self, path: &str, bytes: Vec<u8>) -> ShellOutput {
        let parent = path.rsplit_once('/').map_or("", |(p, _)| p);
        let known = ["/sdcard", "/data/local/tmp", "/dev"].contains(&parent)
            || self.files.contains_key(&format!("{parent}/"));
        if !known {
            return ShellOutput::err(format!(
                "sh: can't create {path}: No such file or directory"
            ));
        }
        if self.files.len() >= MAX_FILES * 4 && !self.files.contains_key(path) {
            return ShellOutput::err(format!("sh: can't create {path}: No space left on device"));
        }
        if path != "/dev/null" {
            self.files.insert(path.to_string(), bytes);
        }
        ShellOutput::ok("")
    }

    fn run_argv(&mut self, argv: &[&str]) -> ShellOutput {
        match argv {
            ["screencap", rest @ ..] => {
                let lat = self.latency.of(CommandKind::Screencap);
                self.delay(lat);
                match self.screenshot() {
                    Ok(img) if rest.contains(&"-p") => match encode_png(&img) {
                        Ok(png) => ShellOutput::ok(png),
                        Err(e) => ShellOutput::err(e),
                    },
                    Ok(img) => ShellOutput::ok(raw_framebuffer(&img)),
                    Err(e) => ShellOutput::err(e),
                }
            }
            ["uiautomator", "dump", rest @ ..] => {
                let lat = self.latency.of(CommandKind::Hierarchy);
                self.delay(lat);
                let path = rest.first().copied().unwrap_or("/sdcard/window_dump.xml");
                match self.hierarchy_xml() {
                    Ok(xml) if path == "/dev/tty" => {
                        ShellOutput::ok(format!("{xml}UI hierchary dumped to: /dev/tty\n"))
                    }
                    Ok(xml) => {
                        // The device keeps at most MAX_FILES dumps.
                        if self.files.len() >= MAX_FILES && !self.files.contains_key(path) {
                            let dump = self.files.keys().find(|k| k.ends_with(".xml")).cloned();
                            if let Some(old) = dump {
                                self.files.remove(&old);
                            }
                        }
                        self.files.insert(path.to_string(), xml.into_bytes());
                        ShellOutput::ok(format!("UI hierchary dumped to: {path}\n"))
                    }
                    Err(e) => ShellOutput::err(e),
                }
            }
            other => {
                let lat = self.latency.of_command(&other.join(" "));
                self.delay(lat);
                self.command(other)
            }
        }
    }

    fn command(&mut self, argv: &[&str]) -> ShellOutput {
        match argv {
            ["cat", path] => match self.files.get(*path) {
                Some(b) => ShellOutput::ok(b.clone()),
                None => ShellOutput::err(format!("cat: {path}: No such file or directory")),
            },
            ["rm", paths @ ..] => {
                for p in paths.iter().filter(|p| !p.starts_with('-')) {
                    let dir = format!("{}/", p.trim_end_matches('/'));
                    self.files.retain(|k, _| k != p && !k.starts_with(&dir));
                }
                ShellOutput::ok("")
            }
            ["mkdir", path] => {
                let dir = format!("{}/", path.trim_end_matches('/'));
                match self.files.entry(dir) {
                    std::collections::hash_map::Entry::Occupied(_) => {
                        ShellOutput::err(format!("mkdir: '{path}': File exists"))
                    }
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(Vec::new());
                        ShellOutput::ok("")
                    }
                }
            }
            ["date", "+%s"] => {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                // On the virtual clock, time the driver let pass counts too.
                let extra = match self.clock {
                    Clock::Virtual => self.virtual_ms / 1000,
                    Clock::Real => 0,
                };
                ShellOutput::ok(format!("{}\n", now + extra))
            }
            ["echo", rest @ ..] => ShellOutput::ok(format!("{}\n", rest.join(" "))),
            ["dumpsys", "window", ..] => ShellOutput::ok(self.dumpsys_window()),
            ["dumpsys", "activity", ..] => ShellOutput::ok(self.dumpsys_activity()),
            ["input", rest @ ..] => self.input(rest),
            ["am", "start", rest @ ..] => self.am_start(rest),
            ["am", "force-stop", pkg] => {
                self.force_stop(pkg);
                ShellOutput::ok("")
            }
            ["am", "broadcast", rest @ ..] => self.broadcast(rest),
            ["pm", "list", "packages", ..] => {
                let mut pkgs: Vec<&str> = self.apps.iter().map(|a| a.package.as_str()).collect();
                pkgs.sort_unstable();
                pkgs.dedup();
                ShellOutput::ok(
                    pkgs.iter()
                        .map(|p| format!("package:{p}\n"))
                        .collect::<String>(),
                )
            }
            ["pm", "clear", pkg] => {
                self.force_stop(pkg);
                for (i, a) in self.apps.iter().enumerate() {
                    if a.package == *pkg {
                        self.state[i] = AppState::default();
                    }
                }
                self.ops.remove(*pkg);
                self.periodic.retain(|p| p.pkg != *pkg);
                ShellOutput::ok("Success\n")
            }
            // The simulated device's own way to install another build of
            // an app model; a real device has no such command.
            ["sim-install", pkg, version] => match version.parse::<u32>() {
                Ok(v) => match self.install_build(pkg, v) {
                    Ok(()) => ShellOutput::ok("Success\n"),
                    Err(e) => ShellOutput::ok(format!("Failure [{e}]\n")),
                },
                Err(_) => ShellOutput::ok(format!("Failure [not a version: {version}]\n")),
            },
            ["cmd", "package", "resolve-activity", .., pkg] => {
                match self
                    .apps
                    .iter()
                    .find(|a| a.package == *pkg && a.deeplink.is_none())
                {
                    Some(a) => {
                        let act = match a.launch_activity.strip_prefix('.') {
                            Some(rest) => format!("{pkg}.{rest}"),
                            None => a.launch_activity.clone(),
                        };
                        ShellOutput::ok(format!(
                            "priority=0 preferredOrder=0 match=0x108000 specificIndex=-1 isDefault=false\n{pkg}/{act}\n"
                        ))
                    }
                    None => ShellOutput::ok("No activity found\n"),
                }
            }
            ["pidof", pkg] => match self.procs.get(*pkg) {
                Some(pid) => ShellOutput::ok(format!("{pid}\n")),
                None => ShellOutput {
                    stdout: Vec::new(),
                    status: 1,
                },
            },
            ["cmd", "appops", "get", pkg] | ["appops", "get", pkg] => {
                ShellOutput::ok(self.appops_text(pkg))
            }
            ["dumpsys", "package", pkg] => match self.dumpsys_package(pkg) {
                Some(text) => ShellOutput::ok(text),
                None => ShellOutput::ok(format!("Unable to find package: {pkg}\n")),
            },
            ["getprop"] => ShellOutput::ok(
                PROPS
                    .iter()
                    .map(|(k, v)| format!("[{k}]: [{v}]\n"))
                    .collect::<String>(),
            ),
            ["getprop", key] => ShellOutput::ok(format!(
                "{}\n",
                PROPS.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v)
            )),
            ["wm", "size"] => ShellOutput::ok(format!(
                "Physical size: {}x{}\n",
                self.display.width, self.display.height
            )),
            ["wm", "density"] => {
                ShellOutput::ok(format!("Physical density: {}\n", self.display.density))
            }
            [cmd, ..] => ShellOutput {
                stdout: format!("/system/bin/sh: {cmd}: inaccessible or not found\n").into_bytes(),
                status: 127,
            },
            [] => ShellOutput::ok(""),
        }
    }

    fn input(&mut self, args: &[&str]) -> ShellOutput {
        match args {
            ["tap", x, y] => match (x.parse::<f64>(), y.parse::<f64>()) {
                (Ok(x), Ok(y)) => {
                    self.tap(x as i32, y as i32);
                    ShellOutput::ok("")
                }
                _ => ShellOutput::err("Error: invalid arguments for command: tap"),
            },
            ["swipe", x1, y1, x2, y2, ..] => {
                match (
                    x1.parse::<f64>(),
                    y1.parse::<f64>(),
                    x2.parse::<f64>(),
                    y2.parse::<f64>(),
                ) {
                    (Ok(x1), Ok(y1), Ok(_), Ok(y2)) => {
                        self.swipe(x1 as i32, y1 as i32, y2 as i32);
                        ShellOutput::ok("")
                    }
                    _ => ShellOutput::err("Error: invalid arguments for command: swipe"),
                }
            }
            ["keyevent", key] => {
                match *key {
                    "4" | "KEYCODE_BACK" => self.back(),
                    "3" | "KEYCODE_HOME" => self.home(),
                    _ => {}
                }
                ShellOutput::ok("")
            }
            ["text", text] => {
                self.type_text(&text.replace("%s", " "));
                ShellOutput::ok("")
            }
            _ => ShellOutput::err("Error: Unknown command"),
        }
    }

    fn broadcast(&mut self, args: &[&str]) -> ShellOutput {
        // The ADBKeyBoard convention for typing text `input text` cannot:
        // am broadcast -a ADB_INPUT_TEXT --es msg '中文'
        if let Some(i) = args.iter().position(|a| *a == "--es") {
            if args.get(i + 1) == Some(&"msg") {
                if let Some(text) = args.get(i + 2) {
                    self.type_text(text);
                }
            }
        }
        ShellOutput::ok("Broadcasting: Intent { act=ADB_INPUT_TEXT flg=0x400000 }\nBroadcast completed: result=0\n")
    }

    fn am_start(&mut self, args: &[&str]) -> ShellOutput {
        let flag = |name: &str| {
            args.iter()
                .position(|a| *a == name)
                .and_then(|i| args.get(i + 1))
                .copied()
        };
        if let Some(component) = flag("-n") {
            let pkg = component.split('/').next().unwrap_or_default();
            let Some(app) = self
                .apps
                .iter()
                .position(|a| a.package == pkg && a.deeplink.is_none())
            else {
                return ShellOutput::err(format!(
                    "Error: Activity class {{{component}}} does not exist."
                ));
            };
            self.launch(app);
            return ShellOutput::ok(format!("Starting: Intent {{ cmp={component} }}\n"));
        }
        if let Some(url) = flag("-d") {
            let Some(app) = self
                .apps
                .iter()
                .position(|a| a.deeplink.as_deref().is_some_and(|d| url.starts_with(d)))
            else {
                return ShellOutput::err(format!(
                    "Error: Activity not started, unable to resolve Intent {{ act=android.intent.action.VIEW dat={url} }}"
                ));
            };
            let host_pkg = self.apps[app].package.clone();
            if let Some(host) = self
                .apps
                .iter()
                .position(|a| a.package == host_pkg && a.deeplink.is_none())
            {
                if !self.stack.iter().any(|e| e.app == host) {
                    self.launch(host);
                }
            }
            self.launch(app);
            return ShellOutput::ok(format!(
                "Starting: Intent {{ act=android.intent.action.VIEW dat={url} }}\n"
            ));
        }
        ShellOutput::err("Error: no component or data given")
    }

    fn launch(&mut self, app: usize) {
        let pkg = self.apps[app].package.clone();
        if !self.procs.contains_key(&pkg) {
            self.next_pid += 37;
            self.procs.insert(pkg.clone(), self.next_pid);
        }
        let pkg_now = self.apps[app].package.clone();
        self.stop_periodic(&pkg_now, true);
        self.use_ops(app, OpWhen::Launch);
        if self.state[app].consented {
            // An app the user consented to does on every start what it
            // began doing after consent.
            self.use_ops(app, OpWhen::Consent);
        }
        if self.stack.iter().any(|e| e.app == app) {
            // Bring the existing task to the front.
            let (mine, rest): (Vec<_>, Vec<_>) = self.stack.drain(..).partition(|e| e.app == app);
            self.stack = rest;
            self.stack.extend(mine);
            let st = &self.state[app];
            let on_top = self.top_is_prompt(app);
            if self.apps[app].on_refuse.reprompt_on_launch
                && !st.consented
                && st.refusals > 0
                && !on_top
            {
                // Asks again each time the app comes to the front.
                let screen = self.apps[app].first_screen.clone();
                self.stack.push(Entry::new(app, screen));
            }
        } else {
            let st = &self.state[app];
            let model = &self.apps[app];
            let screen = match &model.update_screen {
                // The first launch of a newer build after consent to an
                // older one: the notice that the rules changed.
                Some(u) if st.consented && st.consented_version < model.version => u.clone(),
                _ => model.launch_screen(st.consented).to_string(),
            };
            self.stack.push(Entry::new(app, screen.clone()));
            self.shown(app, &screen);
        }
        self.ask_permissions(app, OpWhen::Launch);
    }

    fn top_is_prompt(&self, app: usize) -> bool {
        self.stack
            .last()
            .is_some_and(|e| e.app == app && self.is_prompt(app, &e.screen))
    }

    /// Whether a screen is the consent prompt or its confirmation dialog.
    fn is_prompt(&self, app: usize, screen: &str) -> bool {
        let a = &self.apps[app];
        a.screens.get(screen).is_some_and(|s| s.consent)
            || a.on_refuse.confirm.as_deref() == Some(screen)
    }

    /// Shows the system's permission dialog for each permission the app asks
    /// for at this moment and the user has not answered.
    fn ask_permissions(&mut self, app: usize, when: OpWhen) {
        // A permission asked after consent with `again` is asked again on
        // every later launch while it is not granted.
        let relaunch = when == OpWhen::Launch && self.state[app].consented;
        self.ask_matching(app, |p| {
            p.asked_at(when) || (relaunch && p.again && p.asked_at(OpWhen::Consent))
        });
    }

    /// What showing a screen does besides drawing it: the app-ops it uses
    /// and the permissions asked on it.
    fn shown(&mut self, app: usize, screen: &str) {
        let (next, toast) = self.apps[app]
            .screens
            .get(screen)
            .map(|s| (s.next.clone(), s.toast.clone()))
            .unwrap_or_default();
        if let Some(n) = next {
            let at = self.now_ms() + n.after_ms().unwrap_or(1000);
            self.handovers.push((at, app, screen.to_string(), n.to));
        }
        if let Some(t) = toast {
            self.show_toast(&t);
        }
        let ops = self.apps[app]
            .screens
            .get(screen)
            .map(|s| s.appops.clone())
            .unwrap_or_default();
        if !ops.is_empty() {
            let now = self.now_ms();
            let pkg = self.apps[app].package.clone();
            let rec = self.ops.entry(pkg).or_default();
            for op in ops {
                rec.insert(
                    op,
                    OpRecord {
                        mode: "allow",
                        last_ms: Some(now),
                    },
                );
            }
        }
        self.ask_matching(app, |p| p.screen.as_deref() == Some(screen));
    }

    /// Shows the system's permission dialog (or the app's explain screen
    /// first) for each permission that `asked` picks and that is due: not
    /// yet answered, or `again` and not granted.
    fn ask_matching(&mut self, app: usize, asked: impl Fn(&model::PermissionUse) -> bool) {
        let silent: Vec<usize> = self.apps[app]
            .permissions
            .iter()
            .enumerate()
            .filter(|(_, p)| asked(p) && p.silent)
            .map(|(i, _)| i)
            .collect();
        for i in silent {
            self.state[app].granted.insert(i);
            self.state[app].answered.insert(i);
        }
        let st = &self.state[app];
        let pending: Vec<usize> = self.apps[app]
            .permissions
            .iter()
            .enumerate()
            .filter(|(i, p)| {
                asked(p) && (!st.answered.contains(i) || (p.again && !st.granted.contains(i)))
            })
            .map(|(i, _)| i)
            .collect();
        // Android shows one request at a time; the first asked is on top.
        for index in pending.into_iter().rev() {
            if let Some(explain) = self.apps[app].permissions[index].explain.clone() {
                if !self
                    .stack
                    .iter()
                    .any(|e| e.app == app && e.screen == explain)
                {
                    self.stack.push(Entry::new(app, explain));
                }
                continue;
            }
            self.request(app, index);
        }
    }

    /// Brings up the dialog of one permission request.
    fn request(&mut self, app: usize, index: usize) {
        let found = self
            .requests
            .iter()
            .find(|(_, r)| r.app == app && r.index == index)
            .map(|((sys, screen), _)| (*sys, screen.clone()));
        if let Some((sys, screen)) = found {
            if !self
                .stack
                .iter()
                .any(|e| e.app == sys && e.screen == screen)
            {
                self.stack.push(Entry::new(sys, screen));
            }
        }
    }

    fn swipe(&mut self, x: i32, y1: i32, y2: i32) {
        let d = self.display;
        let Some(top) = self.stack.last().cloned() else {
            return;
        };
        let Ok(layout) = self.layout_of(&top) else {
            return;
        };
        // A swipe scrolls the content it starts on (a dialog's own content;
        // outside a dialog's card nothing scrolls).
        let inside = match layout.card {
            Some(card) => card.contains(x, y1),
            None => y1 >= d.status_h(),
        };
        if !inside || layout.max_scroll == 0 {
            return;
        }
        if let Some(e) = self.stack.last_mut() {
            e.scroll = (e.scroll + (y1 - y2)).clamp(0, layout.max_scroll);
        }
    }

    fn show_toast(&mut self, text: &str) {
        self.toast = Some((text.to_string(), self.now_ms() + 2000));
    }

    fn use_ops(&mut self, app: usize, when: OpWhen) {
        let now = self.now_ms();
        let pkg = self.apps[app].package.clone();
        let uses: Vec<(String, Option<u64>)> = self.apps[app]
            .appops
            .iter()
            .filter(|u| u.when == when)
            .map(|u| (u.op.clone(), u.every_ms()))
            .collect();
        for (op, every) in uses {
            if let Some(every_ms) = every {
                // Started once per process (or per stay in the background).
                let running = self
                    .periodic
                    .iter()
                    .any(|p| p.pkg == pkg && p.op == op && p.until_ms.is_none());
                if !running {
                    self.periodic.push(Periodic {
                        pkg: pkg.clone(),
                        op: op.clone(),
                        from_ms: now,
                        every_ms,
                        until_ms: None,
                        background: when == OpWhen::Background,
                    });
                }
            }
            self.ops.entry(pkg.clone()).or_default().insert(
                op,
                OpRecord {
                    mode: "allow",
                    last_ms: Some(now),
                },
            );
        }
    }

    /// The home key: every app leaves the foreground; those whose process
    /// lives are now in the background.
    fn home(&mut self) {
        let mut apps: Vec<usize> = self.stack.iter().map(|e| e.app).collect();
        apps.dedup();
        self.stack.clear();
        for app in apps {
            if self.procs.contains_key(&self.apps[app].package) {
                self.use_ops(app, OpWhen::Background);
            }
        }
    }

    /// Stops repeated app-op uses of a package: all of them, or only those
    /// that run while it is in the background.
    fn stop_periodic(&mut self, pkg: &str, only_background: bool) {
        let now = self.now_ms();
        for p in &mut self.periodic {
            if p.pkg == pkg && p.until_ms.is_none() && (p.background || !only_background) {
                p.until_ms = Some(now);
            }
        }
    }

    fn force_stop(&mut self, pkg: &str) {
        self.stop_periodic(pkg, false);
        self.procs.remove(pkg);
        self.stack.retain(|e| self.apps[e.app].package != pkg);
        self.timers.retain(|(_, a)| self.apps[*a].package != pkg);
    }

    /// The entries drawn: the topmost full screen and the dialogs above it.
    fn top(&self) -> Option<&Entry> {
        self.stack.last()
    }

    fn layout_of(&self, e: &Entry) -> Result<Layout, String> {
        let app = &self.apps[e.app];
        let screen = app
            .screens
            .get(&e.screen)
            .ok_or_else(|| format!("screen `{}` missing", e.screen))?;
        render::layout(&self.display, app, &e.screen, screen)
    }

    /// The top entry's nodes as they show now (scrolled, clipped).
    fn visible_nodes(&self, e: &Entry) -> Result<(Layout, Vec<Node>), String> {
        let layout = self.layout_of(e)?;
        let nodes = layout.visible(e.scroll);
        Ok((layout, nodes))
    }

    fn tap(&mut self, x: i32, y: i32) {
        let Some(top) = self.top().cloned() else {
            return;
        };
        let Ok((_, nodes)) = self.visible_nodes(&top) else {
            return;
        };
        // Only the top window takes taps: under a dialog, nothing happens.
        let Some(node) = nodes
            .iter()
            .rev()
            .find(|n| n.clickable() && n.rect.contains(x, y))
            .cloned()
        else {
            return;
        };
        let Some((i, j)) = node.item else { return };
        let app = self.apps[top.app].clone();
        let Some(screen) = app.screens.get(&top.screen) else {
            return;
        };
        let Some(item) = screen.items.get(i).map(|it| match j {
            Some(j) => it
                .row
                .get(j)
                .or(it.tabs.get(j))
                .cloned()
                .unwrap_or_else(|| it.clone()),
            None => it.clone(),
        }) else {
            return;
        };
        let is_prompt = self.is_prompt(top.app, &top.screen);
        if node.kind == NodeKind::Checkbox || node.kind == NodeKind::Switch {
            let key = (top.screen.clone(), i);
            let initial = item.checked || item.on;
            let st = &mut self.state[top.app];
            let v = st.checked.get(&key).copied().unwrap_or(initial);
            st.checked.insert(key, !v);
            return;
        }
        if node.kind == NodeKind::Input {
            self.focus = Some((top.app, top.screen.clone(), i));
            return;
        }
        match item.action {
            Some(Action::Agree) => {
                let all_checked = screen.items.iter().enumerate().all(|(k, it)| {
                    it.checkbox.is_none()
                        || self.state[top.app]
                            .checked
                            .get(&(top.screen.clone(), k))
                            .copied()
                            .unwrap_or(it.checked)
                });
                if !all_checked {
                    // The app asks to tick the box first.
                    if let Some(t) = &item.toast {
                        self.show_toast(t);
                    }
                    return;
                }
                self.state[top.app].consented = true;
                self.state[top.app].consented_version = self.apps[top.app].version;
                self.use_ops(top.app, OpWhen::Consent);
                self.pop_consent(top.app);
                if !screen.consent {
                    // Consent given on an ordinary page (a login page): leave it.
                    self.stack
                        .retain(|e| !(e.app == top.app && e.screen == top.screen));
                }
                let next = item
                    .to
                    .clone()
                    .or_else(|| app.after_agree.clone())
                    .or_else(|| app.home_screen.clone());
                if let Some(s) = next {
                    if !self
                        .stack
                        .last()
                        .is_some_and(|e| e.app == top.app && e.screen == s)
                    {
                        self.stack.push(Entry::new(top.app, s.clone()));
                        self.shown(top.app, &s);
                    }
                }
                self.ask_permissions(top.app, OpWhen::Consent);
            }
            Some(Action::Refuse) => {
                if let Some(t) = &item.toast {
                    self.show_toast(t);
                }
                let confirm = app.on_refuse.confirm.clone();
                match confirm {
                    // The first refusal opens the confirmation dialog.
                    Some(c) if screen.consent && c != top.screen => {
                        self.pop_consent(top.app);
                        self.stack.push(Entry::new(top.app, c));
                    }
                    _ => self.refuse(top.app, is_prompt),
                }
            }
            Some(Action::Back) => self.back(),
            Some(Action::Request) => {
                // The explain screen gives way to the system's dialog.
                let index = self.apps[top.app]
                    .permissions
                    .iter()
                    .position(|p| p.explain.as_deref() == Some(top.screen.as_str()));
                self.stack.pop();
                if let Some(index) = index {
                    self.request(top.app, index);
                }
            }
            Some(Action::Exit) => self.stack.retain(|e| e.app != top.app),
            Some(a @ (Action::Allow | Action::Deny)) => {
                if let Some(req) = self.requests.get(&(top.app, top.screen.clone())).copied() {
                    self.state[req.app].answered.insert(req.index);
                    let op = self.apps[req.app].permissions[req.index].permission.op();
                    let pkg = self.apps[req.app].package.clone();
                    let mode = if a == Action::Allow {
                        "allow"
                    } else {
                        "ignore"
                    };
                    if a == Action::Allow {
                        self.state[req.app].granted.insert(req.index);
                    } else {
                        self.state[req.app].granted.remove(&req.index);
                    }
                    // Answering sets the mode; it is no access.
                    let rec = self.ops.entry(pkg).or_default();
                    rec.entry(op.to_string())
                        .and_modify(|r| r.mode = mode)
                        .or_insert(OpRecord {
                            mode,
                            last_ms: None,
                        });
                }
                self.stack.pop();
            }
            None => {
                if let Some(b) = item
                    .needs_consent
                    .filter(|_| !self.state[top.app].consented)
                {
                    // A function that will not work without consent.
                    match b {
                        Blocked::Toast => {
                            let t = item.toast.as_deref().unwrap_or("请先同意隐私政策后使用");
                            self.show_toast(t);
                        }
                        Blocked::Prompt => {
                            let screen = app.first_screen.clone();
                            self.stack.push(Entry::new(top.app, screen));
                        }
                        Blocked::Ignore => {}
                    }
                    return;
                }
                if let Some(t) = &item.toast {
                    self.show_toast(t);
                }
                if let Some(to) = item.to {
                    if self.is_prompt(top.app, &to) {
                        // Back to the consent prompt (查看协议, 再想想): one prompt at a time.
                        self.pop_consent(top.app);
                    }
                    self.stack.push(Entry::new(top.app, to.clone()));
                    self.shown(top.app, &to);
                }
            }
        }
    }

    fn pop_consent(&mut self, app: usize) {
        let keep: Vec<bool> = self
            .stack
            .iter()
            .map(|e| e.app != app || !self.is_prompt(app, &e.screen))
            .collect();
        let mut k = keep.into_iter();
        self.stack.retain(|_| k.next().unwrap_or(true));
    }

    fn refuse(&mut self, app: usize, from_consent: bool) {
        self.state[app].refusals += 1;
        let r = self.apps[app].on_refuse.clone();
        if let Some(t) = &r.toast {
            self.show_toast(t);
        }
        let n = self.state[app].refusals;
        let again = from_consent
            && match r.reprompt {
                Reprompt::Forever => true,
                Reprompt::Times(k) => n <= k,
            };
        if again {
            if r.reprompt_delay_ms == 0 {
                // The prompt is dismissed and shown again at once.
                self.pop_consent(app);
                let screen = self.apps[app].first_screen.clone();
                self.stack.push(Entry::new(app, screen));
            } else {
                self.pop_consent(app);
                if let Some(to) = r.to.clone() {
                    self.stack.push(Entry::new(app, to));
                }
                let at = self.now_ms() + r.reprompt_delay_ms;
                self.timers.push((at, app));
            }
            return;
        }
        match r.then {
            AfterRefusal::Continue => {
                self.pop_consent(app);
                if let Some(to) = r.to {
                    if !self
                        .stack
                        .last()
                        .is_some_and(|e| e.app == app && e.screen == to)
                    {
                        self.stack.push(Entry::new(app, to));
                    }
                }
            }
            AfterRefusal::Exit | AfterRefusal::Close => self.stack.retain(|e| e.app != app),
            AfterRefusal::Kill => {
                let pkg = self.apps[app].package.clone();
                self.force_stop(&pkg);
            }
        }
    }

    fn back(&mut self) {
        let Some(top) = self.top().cloned() else {
            return;
        };
        if let Some(req) = self.requests.get(&(top.app, top.screen.clone())).copied() {
            // Back on a permission dialog denies it, as on Android.
            self.state[req.app].answered.insert(req.index);
            self.stack.pop();
            return;
        }
        let app = &self.apps[top.app];
        let screen = app.screens.get(&top.screen);
        if self.is_prompt(top.app, &top.screen) {
            return; // consent prompts are not cancelable
        }
        if let Some(b) = screen.and_then(|s| s.back.clone()) {
            self.stack.pop();
            self.stack.push(Entry::new(top.app, b));
        } else {
            self.stack.pop();
        }
    }

    fn type_text(&mut self, text: &str) {
        let Some(top) = self.top().cloned() else {
            return;
        };
        let Some(screen) = self.apps[top.app].screens.get(&top.screen) else {
            return;
        };
        // The focused field, else the first one (as a page that focuses
        // its first field on opening).
        let focused = self
            .focus
            .as_ref()
            .filter(|(a, s, _)| *a == top.app && *s == top.screen)
            .map(|(_, _, i)| *i)
            .filter(|i| screen.items.get(*i).is_some_and(|it| it.input.is_some()));
        if let Some(i) = focused.or_else(|| screen.items.iter().position(|it| it.input.is_some())) {
            let field = self.state[top.app]
                .typed
                .entry((top.screen.clone(), i))
                .or_default();
            // A field holds at most MAX_TYPED characters, like a real
            // one's maxLength: typing more changes nothing.
            let room = MAX_TYPED.saturating_sub(field.chars().count());
            field.extend(text.chars().take(room));
        }
    }

    /// The foreground package and activity.
    pub fn foreground(&self) -> (String, String) {
        match self.top() {
            Some(e) => {
                let app = &self.apps[e.app];
                (app.package.clone(), app.activity_of(&e.screen))
            }
            None => (LAUNCHER_PKG.into(), LAUNCHER_ACTIVITY.into()),
        }
    }

    /// Renders what the screen shows now.
    pub fn screenshot(&self) -> Result<RgbaImage, String> {
        let d = &self.display;
        let mut img = render::blank(d)?;
        let is_overlay = |e: &Entry| {
            self.apps[e.app]
                .screens
                .get(&e.screen)
                .is_some_and(|s| s.dialog || s.sheet)
        };
        // Draw from the topmost full-screen entry upwards; dialogs dim what is below.
        let start = self.stack.iter().rposition(|e| !is_overlay(e)).unwrap_or(0);
        if self.stack.is_empty() {
            let labels: Vec<&str> = self
                .apps
                .iter()
                .filter(|a| a.deeplink.is_none() && !is_system(&a.package))
                .map(|a| a.label.as_str())
                .collect();
            render::draw_launcher(d, &mut img, &labels)?;
        }
        for (k, e) in self.stack.iter().enumerate().skip(start) {
            let app = &self.apps[e.app];
            let Some(screen) = app.screens.get(&e.screen) else {
                continue;
            };
            if screen.dialog || screen.sheet {
                let own_below = k > 0 && self.stack[k - 1].app == e.app;
                if !own_below {
                    // Nothing of this app below: draw what the dialog sits over.
                    if let Some(over) = screen
                        .over
                        .as_ref()
                        .and_then(|o| app.screens.get(o).map(|s| (o, s)))
                    {
                        let l = render::layout(d, app, over.0, over.1)?;
                        render::draw(
                            d,
                            &mut img,
                            app,
                            over.1,
                            &l,
                            0,
                            &|_| false,
                            app.deeplink.is_some(),
                        )?;
                    }
                }
                render::dim(&mut img);
            }
            let mut layout = self.layout_of(e)?;
            let state = &self.state[e.app];
            let checked = |i: usize| {
                state
                    .checked
                    .get(&(e.screen.clone(), i))
                    .copied()
                    .unwrap_or_else(|| screen.items.get(i).is_some_and(|it| it.checked || it.on))
            };
            for n in &mut layout.nodes {
                if n.kind == NodeKind::Input {
                    if let Some(t) = n
                        .item
                        .and_then(|(i, _)| self.input_text(e.app, &e.screen, i))
                    {
                        n.text = t;
                    }
                }
            }
            render::draw(
                d,
                &mut img,
                app,
                screen,
                &layout,
                e.scroll,
                &checked,
                app.deeplink.is_some(),
            )?;
        }
        if self.top_secure() {
            // A secure window is captured black; a toast and the status
            // bar, drawn by the system in windows of their own, are not
            // part of it.
            for p in img.pixels_mut() {
                *p = image::Rgba([0, 0, 0, 255]);
            }
        }
        if let Some((t, _)) = &self.toast {
            render::draw_toast(d, &mut img, t)?;
        }
        render::draw_status_bar(d, &mut img)?;
        Ok(img)
    }

    /// The view hierarchy as `uiautomator dump` writes it: only what is on
    /// the screen (content scrolled out of sight is not listed).
    pub fn hierarchy_xml(&self) -> Result<String, String> {
        let d = &self.display;
        let mut xml = String::from(
            "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\">",
        );
        xml.push_str(&format!(
            "<node index=\"0\" text=\"\" resource-id=\"\" class=\"android.widget.FrameLayout\" package=\"com.android.systemui\" content-desc=\"\" checkable=\"false\" checked=\"false\" clickable=\"false\" enabled=\"true\" focusable=\"false\" focused=\"false\" scrollable=\"false\" long-clickable=\"false\" password=\"false\" selected=\"false\" bounds=\"[0,0][{},{}]\" />",
            d.width,
            d.status_h()
        ));
        let full = Rect::new(0, 0, d.width as i32, d.height as i32);
        match self.top() {
            None => {
                xml.push_str(&node_open(
                    0,
                    "",
                    "",
                    "android.widget.FrameLayout",
                    LAUNCHER_PKG,
                    false,
                    None,
                    full,
                ));
                xml.push_str("</node>");
            }
            Some(e) => {
                let app = &self.apps[e.app];
                let (layout, nodes) = self.visible_nodes(e)?;
                let root = layout.card.unwrap_or(full);
                xml.push_str(&node_open(
                    1,
                    "",
                    "",
                    "android.widget.FrameLayout",
                    &app.package,
                    false,
                    None,
                    root,
                ));
                if !app.hierarchy {
                    // Web content: the WebView is there, its text is not.
                    xml.push_str(&node_open(
                        0,
                        "",
                        "",
                        "android.webkit.WebView",
                        &app.package,
                        false,
                        None,
                        root,
                    ));
                    xml.push_str("</node>");
                } else {
                    let screen = app.screens.get(&e.screen);
                    let (fixed, scrolled): (Vec<&Node>, Vec<&Node>) =
                        nodes.iter().partition(|n| !n.scrolls);
                    let write = |xml: &mut String, k: usize, n: &Node| {
                        let class = match n.kind {
                            NodeKind::Button => "android.widget.Button",
                            NodeKind::Checkbox => "android.widget.CheckBox",
                            NodeKind::Input => "android.widget.EditText",
                            _ => "android.widget.TextView",
                        };
                        let checked =
                            matches!(n.kind, NodeKind::Checkbox | NodeKind::Switch).then(|| {
                                n.item.is_some_and(|(i, _)| {
                                    self.state[e.app]
                                        .checked
                                        .get(&(e.screen.clone(), i))
                                        .copied()
                                        .unwrap_or_else(|| {
                                            screen
                                                .and_then(|s| s.items.get(i))
                                                .is_some_and(|it| it.checked || it.on)
                                        })
                                })
                            });
                        if n.kind == NodeKind::Switch {
                            // A settings row: a clickable row holding its
                            // label and the Switch widget, as SwitchPreference lays out.
                            xml.push_str(&node_open(
                                k,
                                "",
                                &n.id,
                                "android.widget.LinearLayout",
                                &app.package,
                                true,
                                None,
                                n.rect,
                            ));
                            xml.push_str(&node_open(
                                0,
                                &n.text,
                                &format!("{}:id/switch_label", app.package),
                                "android.widget.TextView",
                                &app.package,
                                false,
                                None,
                                Rect::new(n.rect.x + d.margin(), n.rect.y, n.rect.w / 2, n.rect.h),
                            ));
                            xml.push_str("</node>");
                            xml.push_str(&node_open(
                                1,
                                "",
                                &format!("{}:id/switchWidget", app.package),
                                "android.widget.Switch",
                                &app.package,
                                false,
                                checked,
                                render::switch_track(d, n.rect),
                            ));
                            xml.push_str("</node></node>");
                            return;
                        }
                        if n.kind == NodeKind::Icon {
                            // An icon button: no text, named by its
                            // content description.
                            let open = node_open(
                                k,
                                "",
                                &n.id,
                                "android.widget.ImageButton",
                                &app.package,
                                true,
                                None,
                                n.rect,
                            )
                            .replacen(
                                "content-desc=\"\"",
                                &format!("content-desc=\"{}\"", xml_escape(&n.text)),
                                1,
                            );
                            xml.push_str(&open);
                            xml.push_str("</node>");
                            return;
                        }
                        if n.kind == NodeKind::Input {
                            // A text field: what was typed (masked in a
                            // password field), else its hint, as
                            // uiautomator reports an empty field.
                            let item = n
                                .item
                                .and_then(|(i, _)| screen.and_then(|s| s.items.get(i)));
                            let shown = n
                                .item
                                .and_then(|(i, _)| self.input_text(e.app, &e.screen, i));
                            let focused = n.item.is_some_and(|(i, _)| {
                                self.focus.as_ref() == Some(&(e.app, e.screen.clone(), i))
                            });
                            let open = node_open(
                                k,
                                shown.as_deref().unwrap_or(&n.text),
                                &n.id,
                                class,
                                &app.package,
                                true,
                                None,
                                n.rect,
                            )
                            .replacen(
                                "password=\"false\"",
                                &format!(
                                    "password=\"{}\" hint=\"{}\"",
                                    item.is_some_and(|it| it.password),
                                    xml_escape(
                                        item.and_then(|it| it.input.as_deref()).unwrap_or_default()
                                    )
                                ),
                                1,
                            )
                            .replacen(
                                "focused=\"false\"",
                                &format!("focused=\"{focused}\""),
                                1,
                            );
                            xml.push_str(&open);
                            xml.push_str("</node>");
                            return;
                        }
                        xml.push_str(&node_open(
                            k,
                            &n.text,
                            &n.id,
                            class,
                            &app.package,
                            n.clickable(),
                            checked,
                            n.rect,
                        ));
                        xml.push_str("</node>");
                    };
                    for (k, n) in fixed.iter().enumerate() {
                        write(&mut xml, k, n);
                    }
                    if layout.max_scroll > 0 {
                        // Content that does not fit sits in a scrolling container.
                        xml.push_str(
                            &node_open(
                                fixed.len(),
                                "",
                                "",
                                "android.widget.ScrollView",
                                &app.package,
                                false,
                                None,
                                layout.viewport,
                            )
                            .replace("scrollable=\"false\"", "scrollable=\"true\""),
                        );
                        for (k, n) in scrolled.iter().enumerate() {
                            write(&mut xml, k, n);
                        }
                        xml.push_str("</node>");
                    } else {
                        for (k, n) in scrolled.iter().enumerate() {
                            write(&mut xml, fixed.len() + k, n);
                        }
                    }
                }
                xml.push_str("</node>");
            }
        }
        xml.push_str("</hierarchy>");
        Ok(xml)
    }

    fn dumpsys_window(&self) -> String {
        let (pkg, act) = self.foreground();
        let short = act
            .strip_prefix(&format!("{pkg}."))
            .map_or(act.clone(), |s| format!(".{s}"));
        let hash = 0x1f72345 + self.stack.len() as u32 * 7919;
        format!(
            "WINDOW MANAGER WINDOWS (dumpsys window windows)\n  Window #0 Window{{{hash:x} u0 {pkg}/{act}}}:\n    mDisplayId=0 rootTaskId=12 mSession=Session{{a1b2c3 {pid}:u0a10090}} mClient=android.os.BinderProxy@5e1f\n    mOwnerUid=10090 showForAllUsers=false package={pkg} appop=NONE\n    mAttrs={{(0,0)(fillxfill) sim={{adjust=resize forwardNavigation}} ty=BASE_APPLICATION fmt=TRANSLUCENT wanim=0x10302f8\n      fl=LAYOUT_IN_SCREEN LAYOUT_INSET_DECOR SPLIT_TOUCH HARDWARE_ACCELERATED DRAWS_SYSTEM_BAR_BACKGROUNDS{secure}\n      pfl=USE_BLAST INSET_PARENT_FRAME_BY_IME\n      bhv=DEFAULT\n      fitTypes=STATUS_BARS NAVIGATION_BARS CAPTION_BAR}}\n\n  mGlobalConfiguration={{1.0 ?mcc?mnc [zh_CN] ldltr sw411dp w411dp h842dp 420dpi nrml long port finger -keyb/v/h -nav/h winConfig={{ mBounds=Rect(0, 0 - {w}, {h}) }}}}\n  mHasPermanentDpad=false\n  mTopFocusedDisplayId=0\n  mCurrentFocus=Window{{{hash:x} u0 {pkg}/{act}}}\n  mFocusedApp=ActivityRecord{{{hash2:x} u0 {pkg}/{short} t12}}\n",
            pid = self.procs.get(&pkg).copied().unwrap_or(0),
            hash2 = hash ^ 0xabcdef,
            secure = if self.top_secure() { " SECURE" } else { "" },
            w = self.display.width,
            h = self.display.height,
        )
    }

    fn dumpsys_activity(&self) -> String {
        let (pkg, act) = self.foreground();
        let short = act
            .strip_prefix(&format!("{pkg}."))
            .map_or(act.clone(), |s| format!(".{s}"));
        format!(
            "ACTIVITY MANAGER ACTIVITIES (dumpsys activity activities)\nDisplay #0 (activities from top to bottom):\n  * Task{{5d2e1f #12 type=standard A=10090:{pkg} U=0 visible=true visibleRequested=true mode=fullscreen translucent=false sz=1}}\n    * Hist  #0: ActivityRecord{{9c1d2e u0 {pkg}/{short} t12}}\n\n  Resumed activities in task display areas (from top to bottom):\n    Resumed: ActivityRecord{{9c1d2e u0 {pkg}/{short} t12}}\n\n  ResumedActivity: ActivityRecord{{9c1d2e u0 {pkg}/{short} t12}}\n"
        )
    }

    fn appops_text(&self, pkg: &str) -> String {
        let now = self.now_ms();
        let mut ops = self.ops.get(pkg).cloned().unwrap_or_default();
        // Repeated uses: the last repetition up to now (or to when they stopped).
        for p in self.periodic.iter().filter(|p| p.pkg == pkg) {
            let end = p.until_ms.unwrap_or(now).min(now);
            if end < p.from_ms {
                continue;
            }
            let last = p.from_ms + (end - p.from_ms) / p.every_ms * p.every_ms;
            let rec = ops.entry(p.op.clone()).or_insert(OpRecord {
                mode: "allow",
                last_ms: None,
            });
            rec.last_ms = Some(rec.last_ms.map_or(last, |l| l.max(last)));
        }
        if ops.is_empty() {
            return "No operations.\n".into();
        }
        ops.iter()
            .map(|(op, r)| match r.last_ms {
                Some(t) => format!(
                    "{op}: {}; time={} ago\n",
                    r.mode,
                    format_android_duration(now.saturating_sub(t))
                ),
                None => format!("{op}: {}\n", r.mode),
            })
            .collect()
    }

    /// `dumpsys package <pkg>` as Android 13 prints it, cut to what matters:
    /// requested, install and runtime permissions with their grant state.
    fn dumpsys_package(&self, pkg: &str) -> Option<String> {
        let (i, app) = self
            .apps
            .iter()
            .enumerate()
            .find(|(_, a)| a.package == pkg)?;
        let st = &self.state[i];
        let mut requested = String::from("      android.permission.INTERNET\n");
        let mut runtime = String::new();
        for (k, p) in app.permissions.iter().enumerate() {
            let granted = st.granted.contains(&k);
            let flags = if p.silent {
                "GRANTED_BY_DEFAULT"
            } else if st.answered.contains(&k) {
                "USER_SET|USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED"
            } else {
                "USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED"
            };
            for name in p.permission.manifest() {
                requested.push_str(&format!("      {name}\n"));
                runtime.push_str(&format!(
                    "        {name}: granted={granted}, flags=[ {flags}]\n"
                ));
            }
        }
        let version = app.version.max(1);
        Some(format!(
            "Packages:\n  Package [{pkg}] (5e1f0a2):\n    userId=10090\n    pkg=Package{{9c1d2e {pkg}}}\n    versionCode={version} minSdk=24 targetSdk=33\n    versionName={version}.0.0\n    requested permissions:\n{requested}    install permissions:\n      android.permission.INTERNET: granted=true\n    User 0: ceDataInode=1504712 installed=true hidden=false suspended=false distractionFlags=0 stopped=false notLaunched=false enabled=0 instant=false virtual=false\n      gids=[3003]\n      runtime permissions:\n{runtime}\n"
        ))
    }
}

const PROPS: &[(&str, &str)] = &[
    ("ro.product.model", "consentry-sim"),
    ("ro.product.manufacturer", "consentry"),
    ("ro.product.name", "sim"),
    ("ro.product.device", "sim"),
    ("ro.build.version.release", "13"),
    ("ro.build.version.sdk", "33"),
];

/// Android's relative duration format, e.g. `+2m3s456ms`.
pub fn format_android_duration(ms: u64) -> String {
    let (d, rem) = (ms / 86_400_000, ms % 86_400_000);
    let (h, rem) = (rem / 3_600_000, rem % 3_600_000);
    let (m, rem) = (rem / 60_000, rem % 60_000);
    let (s, ms) = (rem / 1000, rem % 1000);
    let mut out = String::from("+");
    for (v, u) in [(d, "d"), (h, "h"), (m, "m"), (s, "s")] {
        if v > 0 || out.len() > 1 {
            out.push_str(&format!("{v}{u}"));
        }
    }
    out.push_str(&format!("{ms}ms"));
    out
}

#[allow(clippy::too_many_arguments)]
fn node_open(
    index: usize,
    text: &str,
    id: &str,
    class: &str,
    pkg: &str,
    clickable: bool,
    checked: Option<bool>,
    r: Rect,
) -> String {
    format!(
        "<node index=\"{index}\" text=\"{}\" resource-id=\"{}\" class=\"{class}\" package=\"{pkg}\" content-desc=\"\" checkable=\"{}\" checked=\"{}\" clickable=\"{clickable}\" enabled=\"true\" focusable=\"{clickable}\" focused=\"false\" scrollable=\"false\" long-clickable=\"false\" password=\"false\" selected=\"false\" bounds=\"[{},{}][{},{}]\">",
        xml_escape(text),
        xml_escape(id),
        checked.is_some(),
        checked.unwrap_or(false),
        r.x,
        r.y,
        r.right(),
        r.bottom()
    )
}

fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            '\n' => o.push_str("&#10;"),
            c if !crate::report::junit::xml_char(c) => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

/// The raw `screencap` format (Android 9+): width, height, format, colour
/// space as little-endian u32, then RGBA pixels.
pub fn raw_framebuffer(img: &RgbaImage) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + img.as_raw().len());
    for v in [img.width(), img.height(), 1, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(img.as_raw());
    out
}

/// Splits a shell command line into words, honouring single and double quotes
/// and backslashes as `sh` does for the commands adb sends.
pub fn split_command(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut has = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                has = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    cur.push(c);
                }
            }
            '"' => {
                has = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => {
                            if let Some(n) = chars.next() {
                                cur.push(n);
                            }
                        }
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                has = true;
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            c if c.is_whitespace() => {
                if has {
                    out.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
            c => {
                has = true;
                cur.push(c);
            }
        }
    }
    if has {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_is_modelled_per_kind_of_command() {
        let l =
            Latency::parse("screencap=400ms, hierarchy=1500ms,appops=120ms,other=80ms").unwrap();
        let ms = |c: &str| l.of_command(c).as_millis();
        assert_eq!(ms("screencap -p"), 400);
        assert_eq!(ms("screencap"), 400);
        assert_eq!(ms("uiautomator dump /dev/tty"), 1500);
        assert_eq!(ms("cmd appops get com.example.bank"), 120);
        assert_eq!(ms("dumpsys appops --package com.example.bank"), 120);
        // Kinds not given take `other`'s.
        assert_eq!(ms("dumpsys package com.example.bank"), 80);
        assert_eq!(ms("dumpsys window displays"), 80);
        assert_eq!(ms("pidof com.example.bank"), 80);
        assert_eq!(ms("input tap 1 2"), 80);
        assert_eq!(CommandKind::of("pm clear x"), CommandKind::Package);
        assert_eq!(
            CommandKind::of("cmd package resolve-activity"),
            CommandKind::Package
        );
        assert_eq!(
            CommandKind::of("dumpsys activity activities"),
            CommandKind::Dumpsys
        );
        assert_eq!(
            CommandKind::of("am broadcast -a ADB_INPUT_TEXT --es msg 你好"),
            CommandKind::Input
        );
        assert_eq!(CommandKind::of("am start -n a/.B"), CommandKind::Other);
        assert_eq!(Latency::default().of_command("screencap"), Duration::ZERO);
        let e = Latency::parse("gpu=1s").unwrap_err();
        assert!(
            e.contains("unknown latency kind `gpu`") && e.contains("appops, package, input"),
            "{e}"
        );
        assert!(Latency::parse("screencap")
            .unwrap_err()
            .contains("KIND=DURATION"));
        assert!(Latency::parse("screencap=fast")
            .unwrap_err()
            .contains("not a duration"));
    }

    #[test]
    fn split_handles_quotes() {
        assert_eq!(split_command("screencap '-p'"), vec!["screencap", "-p"]);
        assert_eq!(
            split_command("am broadcast -a ADB_INPUT_TEXT --es msg '你好 世界'"),
            vec![
                "am",
                "broadcast",
                "-a",
                "ADB_INPUT_TEXT",
                "--es",
                "msg",
                "你好 世界"
            ]
        );
        assert_eq!(
            split_command(r#"input text "a\"b""#),
            vec!["input", "text", "a\"b"]
        );
    }

    #[test]
    fn android_durations() {
        assert_eq!(format_android_duration(123_456), "+2m3s456ms");
        assert_eq!(format_android_duration(5), "+5ms");
        assert_eq!(format_android_duration(3_600_000), "+1h0m0s0ms");
    }

    const LONG: &str = r#"
package: com.example.long
label: 长文银行
first_screen: consent
home_screen: home
on_refuse: {confirm: confirm, reprompt: forever}
screens:
  splash: {title: 长文银行}
  home: {title: 首页, items: [{text: 欢迎}]}
  consent:
    dialog: true
    consent: true
    over: splash
    title: 用户协议与隐私政策
    items:
      - text: 第一段。我们收集您的手机号码、身份证件号码和银行卡号，用于开户和转账。我们收集您的手机号码、身份证件号码和银行卡号。
      - text: 第二段。我们收集您的手机号码、身份证件号码和银行卡号，用于开户和转账。我们收集您的手机号码、身份证件号码和银行卡号。
      - text: 第三段。我们收集您的手机号码、身份证件号码和银行卡号，用于开户和转账。我们收集您的手机号码、身份证件号码和银行卡号。
      - text: 第四段。我们收集您的手机号码、身份证件号码和银行卡号，用于开户和转账。我们收集您的手机号码、身份证件号码和银行卡号。
      - text: 第五段。我们收集您的手机号码、身份证件号码和银行卡号，用于开户和转账。我们收集您的手机号码、身份证件号码和银行卡号。
      - {button: 同意并继续, action: agree}
      - {button: 不同意, action: refuse, style: secondary}
  confirm:
    dialog: true
    over: splash
    title: 温馨提示
    items:
      - {button: 仍不同意, action: refuse}
      - {button: 查看协议, to: consent}
"#;

    fn small() -> Sim {
        let app = AppModel::parse(Path::new("long.yaml"), LONG).unwrap();
        let d = Display {
            width: 720,
            height: 1280,
            density: 320,
            theme: Theme::Dark,
        };
        let mut sim = Sim::new("t", vec![app], Clock::Virtual)
            .unwrap()
            .with_display(d);
        sim.shell("am start -n com.example.long/.MainActivity");
        sim
    }

    fn node_of(sim: &Sim, text: &str) -> Option<Rect> {
        let xml = sim.hierarchy_xml().unwrap();
        crate::device::parse::parse_hierarchy(xml.as_bytes())
            .unwrap()
            .into_iter()
            .find(|n| n.text == text)
            .map(|n| n.bounds)
    }

    #[test]
    fn password_fields_mask_focus_and_forget_and_secure_screens_capture_black() {
        let apps = bundled_apps().unwrap();
        let mut sim = Sim::new("t", apps, Clock::Virtual).unwrap();
        sim.shell("pm clear com.example.compliantbank");
        sim.shell("am start -n com.example.compliantbank/.SplashActivity");
        let nodes = |sim: &Sim| {
            crate::device::parse::parse_hierarchy(sim.hierarchy_xml().unwrap().as_bytes()).unwrap()
        };
        let tap = |sim: &mut Sim, text: &str| {
            let n = nodes(sim)
                .into_iter()
                .find(|n| n.text == text)
                .unwrap_or_else(|| panic!("{text}"));
            let (x, y) = n.bounds.center();
            sim.shell(&format!("input tap {x} {y}"));
        };
        tap(&mut sim, "同意并继续");
        tap(&mut sim, "我的");
        tap(&mut sim, "登录/注册");
        // Not secure yet: the login screen below is.
        let focus =
            crate::device::parse::parse_foreground(&sim.shell("dumpsys window windows").stdout);
        let win = sim.shell("dumpsys window windows").stdout;
        assert_eq!(
            crate::device::parse::parse_window_secure(&win, focus.as_ref()),
            Some(true)
        );
        let shot = sim.screenshot().unwrap();
        let (w, h) = shot.dimensions();
        assert_eq!(
            shot.get_pixel(w / 2, h / 2).0,
            [0, 0, 0, 255],
            "a secure window captures black"
        );
        tap(&mut sim, "请输入登录密码");
        sim.shell("input text pa%ss");
        let pw = nodes(&sim).into_iter().find(|n| n.password).unwrap();
        assert_eq!(pw.text, "••••", "pa%ss is typed as `pa s`");
        assert!(pw.focused && pw.hint == "请输入登录密码");
        let phone = nodes(&sim)
            .into_iter()
            .find(|n| n.hint == "请输入手机号")
            .unwrap();
        assert_eq!(
            phone.text, "请输入手机号",
            "typing went into the focused field only"
        );
        // Leaving the page empties the password field; coming back shows its hint.
        tap(&mut sim, "忘记密码");
        sim.shell("input keyevent 4");
        let pw = nodes(&sim).into_iter().find(|n| n.password).unwrap();
        assert_eq!(pw.text, "请输入登录密码");
        assert!(!pw.focused);
        // Another app's screen is not secure.
        sim.shell("input keyevent 4");
        let win = sim.shell("dumpsys window windows").stdout;
        let focus = crate::device::parse::parse_foreground(&win);
        assert_eq!(
            crate::device::parse::parse_window_secure(&win, focus.as_ref()),
            Some(false)
        );
    }

    #[test]
    fn a_long_dialog_scrolls_and_lists_only_what_shows() {
        let mut sim = small();
        assert_eq!(
            String::from_utf8(sim.shell("wm size").stdout).unwrap(),
            "Physical size: 720x1280\n"
        );
        assert_eq!(
            String::from_utf8(sim.shell("wm density").stdout).unwrap(),
            "Physical density: 320\n"
        );
        let img = sim.screenshot().unwrap();
        assert_eq!(img.dimensions(), (720, 1280));
        // Below the fold: not listed, and a tap where it would be does nothing.
        assert!(node_of(&sim, "不同意").is_none());
        assert!(sim.hierarchy_xml().unwrap().contains("scrollable=\"true\""));
        sim.shell("input tap 360 1500");
        assert_eq!(sim.foreground().1, "com.example.long.MainActivity");
        for _ in 0..4 {
            sim.shell("input swipe 360 900 360 400 300");
        }
        let refuse = node_of(&sim, "不同意").expect("scrolled into view");
        assert!(refuse.bottom() <= 1280);
        let (x, y) = refuse.center();
        sim.shell(&format!("input tap {x} {y}"));
        // The confirmation dialog; 查看协议 goes back to the consent dialog.
        let back = node_of(&sim, "查看协议").expect("the confirmation dialog shows");
        let (x, y) = back.center();
        sim.shell(&format!("input tap {x} {y}"));
        assert!(node_of(&sim, "仍不同意").is_none());
        assert!(sim.hierarchy_xml().unwrap().contains("第一段"));
    }

    const V1: &str = r#"
package: com.example.v
label: 版本银行
first_screen: consent
home_screen: home
screens:
  consent:
    consent: true
    dialog: true
    over: home
    items:
      - {text: 请阅读《隐私政策》}
      - {button: 同意, action: agree, to: home}
  home: {title: 首页, items: [{text: 欢迎}]}
"#;

    #[test]
    fn a_newer_build_installs_over_the_app_and_keeps_its_data() {
        let v1 = AppModel::parse(Path::new("v1.yaml"), V1).unwrap();
        let v2_src = V1
            .replace("label: 版本银行", "label: 版本银行\nversion: 2\nupdate_screen: update")
            .replace(
                "  home: {title: 首页",
                "  update:\n    consent: true\n    items: [{text: 我们更新了《隐私政策》}, {button: 同意, action: agree, to: home}]\n  home: {title: 首页",
            );
        let v2 = AppModel::parse(Path::new("v2.yaml"), &v2_src).unwrap();
        // Given newest first, the oldest is still the one installed.
        let mut sim = Sim::new("t", vec![v2, v1], Clock::Virtual).unwrap();
        let texts = |sim: &Sim| sim.hierarchy_xml().unwrap();
        sim.shell("am start -n com.example.v/.MainActivity");
        let (x, y) = node_of(&sim, "同意").unwrap().center();
        sim.shell(&format!("input tap {x} {y}"));
        assert!(texts(&sim).contains("欢迎"));
        let out = sim.shell("sim-install com.example.v 3");
        assert!(String::from_utf8_lossy(&out.stdout)
            .contains("no version 3 of com.example.v; the device has version(s) 2, 1"));
        let out = sim.shell("sim-install com.example.v 2");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "Success\n");
        // Installing stops the app; its first launch shows the update notice.
        assert_eq!(sim.foreground().0, LAUNCHER_PKG);
        sim.shell("am start -n com.example.v/.MainActivity");
        assert!(texts(&sim).contains("我们更新了《隐私政策》"));
        // A package file is an app model; a broken one is refused.
        let out = sim.install_file(b"not: [a model");
        assert!(String::from_utf8_lossy(&out.stdout)
            .starts_with("Failure [INSTALL_PARSE_FAILED_NOT_APK"));
        assert!(install_size_ok());
    }

    fn install_size_ok() -> bool {
        super::adbd::install_size("cmd package install -r -S 1234") == Some(1234)
            && super::adbd::install_size("cmd package list packages").is_none()
    }

    #[test]
    fn bundled_apps_load() {
        let apps = bundled_apps().unwrap();
        assert!(apps.len() >= 9);
    }
}

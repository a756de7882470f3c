//! Scenario files: YAML that says which app to test, what to do with it and
//! which rules to check. Parsing turns a file into a [`Scenario`] the
//! runner can trust; every mistake becomes a [`Diagnostic`] that names file,
//! line and column. The format is documented in `docs/scenarios.md`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::perception::words::{Words, WordsPatch};
use crate::rules::{RuleId, Section};
use crate::yaml::{self, Diagnostic, Node, Value};

/// A scenario, validated.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file it came from.
    pub path: PathBuf,
    /// Its name (default: the file name).
    pub name: String,
    /// The app under test.
    pub app: AppTarget,
    /// Clear the app's data before the first launch.
    pub clear_data: bool,
    /// What to do.
    pub steps: Vec<Step>,
    /// Which rules to check.
    pub rules: Vec<RuleId>,
    /// Role words, defaults plus the scenario's own.
    pub words: Words,
    /// The app's basic functions (`basic_functions: [理财产品, 行情]`): what
    /// `check_functions` opens after a refusal.
    pub basic_functions: Vec<String>,
    /// Written by `consentry audit`, not read from a file: a step that
    /// cannot be done (no prompt to refuse, no entry to open) is noted and
    /// the run goes on, since the audit does not know the app.
    pub tolerant: bool,
    /// The sha256 of the scenario file as read (hex), so a report says
    /// exactly which file ran; empty for a scenario made in code.
    pub sha256: String,
}

pub use crate::trace::{AppTarget, Target};

/// One step, with the line it was written on.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// What to do.
    pub kind: StepKind,
    /// 1-based line in the scenario file.
    pub line: usize,
}

/// What to tap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TapTarget {
    /// The control showing this text (hierarchy or OCR).
    Text(String),
    /// The view with this resource id.
    Id(String),
    /// A point on the screen.
    Point(i32, i32),
}

/// What is shown in place of a secret.
pub const MASK: &str = "••••••";

/// Text a `type` step enters; a secret one (a password) is never shown:
/// not in reports, progress lines, logs or its `Debug` form.
#[derive(Clone, PartialEq, Eq)]
pub struct TypedText {
    value: String,
    secret: bool,
}

impl TypedText {
    /// Text that may be shown.
    pub fn plain(value: impl Into<String>) -> Self {
        TypedText {
            value: value.into(),
            secret: false,
        }
    }

    /// Text that must not be shown.
    pub fn secret(value: impl Into<String>) -> Self {
        TypedText {
            value: value.into(),
            secret: true,
        }
    }

    /// The text to type.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Whether it is secret.
    pub fn is_secret(&self) -> bool {
        self.secret
    }

    /// What may be shown of it.
    pub fn shown(&self) -> &str {
        if self.secret {
            MASK
        } else {
            &self.value
        }
    }
}

impl std::fmt::Debug for TypedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.shown())
    }
}

/// The things a scenario can do.
#[derive(Debug, Clone, PartialEq)]
pub enum StepKind {
    /// Start the app (or open the mini program), optionally after clearing its data.
    Launch {
        /// Clear app data first.
        clear_data: bool,
    },
    /// Force-stop the app.
    Stop,
    /// Clear the app's data.
    ClearData,
    /// Tap something.
    Tap(TapTarget),
    /// Type text into the focused field.
    Type(TypedText),
    /// Press back.
    Back,
    /// Press home: the app goes to the background (its process lives on).
    Home,
    /// Wait.
    Wait(Duration),
    /// Wait until a text is visible.
    WaitFor {
        /// The text.
        text: String,
        /// How long at most.
        timeout: Duration,
    },
    /// Capture frames for a while (catches prompts that come back).
    Observe {
        /// How long.
        duration: Duration,
        /// Time between frames.
        interval: Duration,
    },
    /// Find the consent dialog's agree control and tap it.
    Agree,
    /// Find the consent dialog's refuse control and tap it.
    Refuse,
    /// Fail the scenario unless a text is visible.
    AssertVisible(String),
    /// Fail the scenario if a text is visible.
    AssertNotVisible(String),
    /// Search for the privacy policy from the current screen.
    ExplorePolicy {
        /// Most taps deep to search.
        max_taps: u32,
    },
    /// Search from the current screen for a target (`explore: {find:
    /// revocation, max_taps: 4}`).
    Explore {
        /// What to look for.
        target: Target,
        /// Most taps deep to search.
        max_taps: u32,
    },
    /// Open each of these functions from the current screen, judge whether
    /// it opened, and come back (`check_functions`).
    CheckFunctions(Vec<String>),
    /// Scroll the current screen (the privacy policy) to its end and keep
    /// its whole text (`read_policy`).
    ReadPolicy,
    /// Refuse the consent prompt, stopping at the first confirmation dialog
    /// (`refuse: {through_confirmations: false}`).
    RefuseOnce,
    /// Swipe (`swipe: up`, `scroll: down`, or from one point to another).
    Swipe(Swipe),
    /// Marks where a phase of an audit begins (`consentry audit`; not
    /// written in scenario files): frames after it carry its name.
    Phase(String),
    /// Opens the functions the current screen offers (its tabs, grid and
    /// list entries), each found on the screen, and comes back
    /// (`consentry audit`'s `check_functions` on an app it does not know).
    DiscoverFunctions {
        /// Most functions to open.
        max: usize,
    },
    /// A bounded crawl of the app's functions from the current screen,
    /// trying first the entries likely to ask for a permission or a face;
    /// each permission dialog is refused, each app's own notice before one
    /// agreed (`consentry audit`).
    Crawl {
        /// Most taps in all.
        max_taps: u32,
    },
    /// While a permission dialog (the system's, a vendor's, a host's
    /// sheet) is in front, refuse it.
    DenyPermissions,
    /// On a consent prompt: open the privacy policy it links to, read it to
    /// its end, come back (`consentry audit`).
    ReadPromptPolicy,
    /// Open the login page (an entry 登录/注册 on the screen or one level
    /// below it), look at it, come back (`consentry audit`).
    OpenLogin,
    /// While a splash screen or ad shows its skip control (跳过 3, Skip),
    /// wait for it to give way, without tapping it (`consentry audit`).
    WaitOutSplash,
    /// Install another build of the app over it, keeping its data.
    Install {
        /// Which build.
        build: InstallBuild,
        /// The scenario says the new build's processing rules changed
        /// (what `reconsent-on-change` needs to know).
        policy_changed: bool,
    },
}

/// The build an `install` step installs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstallBuild {
    /// A package file (an APK on a real device; an app model's YAML on the
    /// simulated one), resolved against the scenario's folder.
    Apk(PathBuf),
    /// A version of the simulated app's model.
    Version(u32),
}

impl InstallBuild {
    /// `version 2`, `app-v2.apk`.
    pub fn describe(&self) -> String {
        match self {
            InstallBuild::Version(v) => format!("version {v}"),
            InstallBuild::Apk(p) => p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
        }
    }
}

/// A swipe on the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swipe {
    /// The finger moves this way across the middle of the screen (`up`
    /// shows what is below).
    Direction(SwipeDirection),
    /// From one point to another, in pixels, taking this many milliseconds.
    Points {
        /// Start x.
        x1: i32,
        /// Start y.
        y1: i32,
        /// End x.
        x2: i32,
        /// End y.
        y2: i32,
        /// Duration in ms.
        ms: u64,
    },
}

/// Which way a finger moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwipeDirection {
    /// Towards the top: the content scrolls to what is below.
    Up,
    /// Towards the bottom.
    Down,
    /// Towards the left.
    Left,
    /// Towards the right.
    Right,
}

impl StepKind {
    /// The step's name as written in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            StepKind::Launch { .. } => "launch",
            StepKind::Stop => "stop",
            StepKind::ClearData => "clear_data",
            StepKind::Tap(_) => "tap",
            StepKind::Type(_) => "type",
            StepKind::Back => "back",
            StepKind::Home => "home",
            StepKind::Wait(_) => "wait",
            StepKind::WaitFor { .. } => "wait_for",
            StepKind::Observe { .. } => "observe",
            StepKind::Agree => "agree",
            StepKind::Refuse => "refuse",
            StepKind::AssertVisible(_) => "assert_visible",
            StepKind::AssertNotVisible(_) => "assert_not_visible",
            StepKind::ExplorePolicy { .. } => "explore_policy",
            StepKind::Explore { .. } => "explore",
            StepKind::CheckFunctions(_) => "check_functions",
            StepKind::ReadPolicy => "read_policy",
            StepKind::RefuseOnce => "refuse",
            StepKind::Swipe(_) => "swipe",
            StepKind::Install { .. } => "install",
            StepKind::Phase(_) => "phase",
            StepKind::DiscoverFunctions { .. } => "check_functions",
            StepKind::Crawl { .. } => "crawl",
            StepKind::DenyPermissions => "deny_permissions",
            StepKind::ReadPromptPolicy => "read_policy",
            StepKind::OpenLogin => "open the login page",
            StepKind::WaitOutSplash => "wait out the splash screen",
        }
    }

    /// A short description for timelines: `tap 同意`, `wait_for 首页`.
    pub fn describe(&self) -> String {
        let ms = |d: &Duration| format!("{}ms", d.as_millis());
        match self {
            StepKind::Launch { clear_data: true } => "launch (clear data)".into(),
            StepKind::Tap(TapTarget::Text(t)) => format!("tap \"{t}\""),
            StepKind::Tap(TapTarget::Id(t)) => format!("tap id {t}"),
            StepKind::Tap(TapTarget::Point(x, y)) => format!("tap {x},{y}"),
            StepKind::Type(t) if t.is_secret() => "type (secret)".into(),
            StepKind::Type(t) => format!("type \"{}\"", t.value()),
            StepKind::Wait(d) => format!("wait {}", ms(d)),
            StepKind::WaitFor { text, .. } => format!("wait_for \"{text}\""),
            StepKind::Observe { duration, .. } => format!("observe {}", ms(duration)),
            StepKind::AssertVisible(t) => format!("assert_visible \"{t}\""),
            StepKind::AssertNotVisible(t) => format!("assert_not_visible \"{t}\""),
            StepKind::ExplorePolicy { max_taps } => format!("explore_policy (max {max_taps} taps)"),
            StepKind::Explore { target, max_taps } => {
                format!("explore {} (max {max_taps} taps)", target.as_str())
            }
            StepKind::RefuseOnce => "refuse (first dialog only)".into(),
            StepKind::Phase(p) => format!("phase {p}"),
            StepKind::DiscoverFunctions { max } => {
                format!("check_functions (those the screen offers, up to {max})")
            }
            StepKind::Crawl { max_taps } => format!("crawl (max {max_taps} taps)"),
            StepKind::CheckFunctions(f) => format!("check_functions {}", f.join(", ")),
            StepKind::Install {
                build,
                policy_changed,
            } => format!(
                "install {}{}",
                build.describe(),
                if *policy_changed {
                    " (rules changed)"
                } else {
                    ""
                }
            ),
            StepKind::Swipe(Swipe::Direction(d)) => format!("swipe {d:?}").to_lowercase(),
            StepKind::Swipe(Swipe::Points { x1, y1, x2, y2, .. }) => {
                format!("swipe {x1},{y1} to {x2},{y2}")
            }
            other => other.name().into(),
        }
    }
}

/// The longest any one step may wait or watch: one hour. The run budgets
/// (`--max-wait`, `--max-frames`) bound a whole scenario further.
pub const MAX_DURATION: Duration = Duration::from_secs(3600);
/// The largest tap coordinate accepted, in pixels.
pub const MAX_COORDINATE: i32 = 20_000;

/// The step names, for suggestions.
pub const STEP_NAMES: &[&str] = &[
    "launch",
    "stop",
    "clear_data",
    "tap",
    "type",
    "back",
    "home",
    "wait",
    "wait_for",
    "observe",
    "agree",
    "refuse",
    "assert_visible",
    "assert_not_visible",
    "explore_policy",
    "explore",
    "check_functions",
    "read_policy",
    "swipe",
    "scroll",
    "install",
];

const TOP_KEYS: &[&str] = &[
    "name",
    "app",
    "clear_data",
    "steps",
    "rules",
    "words",
    "basic_functions",
];
const APP_KEYS: &[&str] = &["package", "host", "activity", "deeplink"];
const WORD_KEYS: &[&str] = &[
    "agree",
    "vague",
    "refuse",
    "weak_refuse",
    "policy",
    "agreement",
    "checkbox",
    "revocation",
    "deletion",
    "likely",
    "go_on",
];

/// Why scenarios could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file or folder could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A scenario has a mistake.
    #[error("{0}")]
    Invalid(Box<Diagnostic>),
    /// A folder holds no scenario.
    #[error("no scenario files (*.yaml, *.yml) in {0}")]
    Empty(PathBuf),
}

/// Loads scenario files and every `*.yaml`/`*.yml` in folders and their
/// subfolders (scenarios grouped by theme), sorted by path.
pub fn load_paths(paths: &[PathBuf]) -> Result<Vec<Scenario>, LoadError> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            collect_yaml(p, &mut found, 0)?;
            if found.is_empty() {
                return Err(LoadError::Empty(p.clone()));
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    files
        .iter()
        .map(|f| {
            let src = read_source(f)?;
            parse(f, &src).map_err(LoadError::Invalid)
        })
        .collect()
}

/// Folders nested deeper than this are not searched (a symlink loop ends
/// here instead of recursing forever).
const MAX_FOLDER_DEPTH: usize = 8;

/// Every `*.yaml`/`*.yml` under `dir`; hidden folders (`.git`) are skipped.
fn collect_yaml(dir: &Path, found: &mut Vec<PathBuf>, depth: usize) -> Result<(), LoadError> {
    let entries = std::fs::read_dir(dir).map_err(|source| LoadError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for f in entries.filter_map(Result::ok).map(|e| e.path()) {
        let hidden = f
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if f.is_dir() {
            if !hidden && depth < MAX_FOLDER_DEPTH {
                collect_yaml(&f, found, depth + 1)?;
            }
        } else if matches!(f.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            // A broken symlink is kept, so reading it reports it instead
            // of the folder silently losing a scenario.
            found.push(f);
        }
    }
    Ok(())
}

/// Reads a YAML file, at most [`yaml::MAX_FILE_BYTES`] of it (a bigger
/// file is refused by the loader without being read whole).
pub fn read_source(f: &Path) -> Result<String, LoadError> {
    use std::io::Read;
    let io = |source| LoadError::Io {
        path: f.to_path_buf(),
        source,
    };
    // A FIFO or a device is refused before it is opened (opening a FIFO
    // waits for a writer); a big file is read only to the loader's bound.
    if let Err(e) = crate::files::check(f, u64::MAX, "scenario") {
        return Err(match e {
            crate::files::ReadError::Io { source, .. } => io(source),
            other => io(std::io::Error::other(other.to_string())),
        });
    }
    let file = std::fs::File::open(f).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(yaml::MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > yaml::MAX_FILE_BYTES {
        // Cut mid-character perhaps; the loader refuses it for its size.
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    String::from_utf8(bytes).map_err(|e| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        ))
    })
}

struct Ctx<'a> {
    file: &'a Path,
    source: &'a str,
}

type Res<T> = Result<T, Box<Diagnostic>>;

impl Ctx<'_> {
    fn err(
        &self,
        node: &Node,
        message: impl Into<String>,
        help: Option<String>,
    ) -> Box<Diagnostic> {
        let mut pos = node.pos;
        pos.len = pos.len.max(1);
        Box::new(Diagnostic {
            file: self.file.to_path_buf(),
            pos,
            message: message.into(),
            help,
            source: self.source.to_string(),
        })
    }

    fn map<'n>(&self, node: &'n Node, what: &str) -> Res<&'n [(Node, Node)]> {
        match &node.value {
            Value::Map(m) => Ok(m),
            _ => Err(self.err(
                node,
                crate::t!(
                    "diag-must-be-mapping",
                    what = what,
                    found = node.kind_name()
                ),
                None,
            )),
        }
    }

    fn check_keys(&self, map: &[(Node, Node)], allowed: &[&str], what: &str) -> Res<()> {
        for (k, _) in map {
            let name = k.as_scalar_string().unwrap_or_default();
            if !allowed.contains(&name.as_str()) {
                let help = match yaml::suggest(&name, allowed) {
                    Some(s) => crate::t!("diag-did-you-mean", s = s),
                    None => crate::t!("diag-takes", what = what, keys = allowed.join(", ")),
                };
                return Err(self.err(
                    k,
                    crate::t!("diag-unknown-key", name = name.as_str(), what = what),
                    Some(help),
                ));
            }
        }
        Ok(())
    }

    fn string(&self, node: &Node, what: &str) -> Res<String> {
        match &node.value {
            Value::Str(s) if !s.trim().is_empty() => Ok(s.clone()),
            Value::Str(_) => {
                Err(self.err(node, crate::t!("diag-must-not-be-empty", what = what), None))
            }
            Value::Int(_) | Value::Float(_) => Ok(node.as_scalar_string().unwrap_or_default()),
            _ => Err(self.err(
                node,
                crate::t!("diag-must-be-string", what = what, found = node.kind_name()),
                None,
            )),
        }
    }

    fn boolean(&self, node: &Node, what: &str) -> Res<bool> {
        match node.value {
            Value::Bool(b) => Ok(b),
            _ => Err(self.err(
                node,
                crate::t!("diag-must-be-bool", what = what, found = node.kind_name()),
                None,
            )),
        }
    }

    fn int(&self, node: &Node, what: &str) -> Res<i64> {
        match node.value {
            Value::Int(i) => Ok(i),
            _ => Err(self.err(
                node,
                crate::t!("diag-must-be-int", what = what, found = node.kind_name()),
                None,
            )),
        }
    }

    fn duration(&self, node: &Node, what: &str) -> Res<Duration> {
        let bad = || {
            self.err(
                node,
                crate::t!("diag-must-be-duration", what = what),
                Some(crate::t!("diag-bare-number-seconds")),
            )
        };
        let secs = match &node.value {
            Value::Int(i) if *i >= 0 => *i as f64,
            Value::Float(f) if *f >= 0.0 && f.is_finite() => *f,
            Value::Str(s) => parse_duration(s).ok_or_else(bad)?.as_secs_f64(),
            _ => return Err(bad()),
        };
        if secs > MAX_DURATION.as_secs_f64() {
            return Err(self.err(
                node,
                format!(
                    "{what} is longer than {} minutes, the longest a step may last",
                    MAX_DURATION.as_secs() / 60
                ),
                Some("split a long watch into several steps, or check the unit (`500ms`, `2s`, `1m`)".into()),
            ));
        }
        Ok(Duration::from_secs_f64(secs))
    }

    /// A screen coordinate: a whole number from 0 to [`MAX_COORDINATE`].
    fn coordinate(&self, node: &Node, what: &str) -> Res<i32> {
        let v = self.int(node, what)?;
        if !(0..=MAX_COORDINATE as i64).contains(&v) {
            return Err(self.err(
                node,
                crate::t!(
                    "diag-must-be-coordinate",
                    what = what,
                    max = MAX_COORDINATE,
                    found = v
                ),
                None,
            ));
        }
        Ok(v as i32)
    }

    fn string_list(&self, node: &Node, what: &str) -> Res<Vec<String>> {
        match &node.value {
            Value::Seq(items) => items.iter().map(|i| self.string(i, what)).collect(),
            Value::Str(_) => Ok(vec![self.string(node, what)?]),
            _ => Err(self.err(
                node,
                crate::t!(
                    "diag-must-be-strings",
                    what = what,
                    found = node.kind_name()
                ),
                None,
            )),
        }
    }
}

fn get<'n>(map: &'n [(Node, Node)], key: &str) -> Option<&'n Node> {
    map.iter()
        .find(|(k, _)| k.as_scalar_string().as_deref() == Some(key))
        .map(|(_, v)| v)
}

/// Parses one scenario file's text.
pub fn parse(file: &Path, source: &str) -> Res<Scenario> {
    parse_inner(file, source, true)
}

/// Parses a part of a scenario that `consentry audit` adds to its own
/// (`--login`, `--words`): `steps:` and `words:` as in a scenario, `app:`
/// not needed (the audit knows its app).
pub fn parse_part(file: &Path, source: &str) -> Res<Scenario> {
    parse_inner(file, source, false)
}

fn parse_inner(file: &Path, source: &str, needs_app: bool) -> Res<Scenario> {
    let cx = Ctx { file, source };
    let doc = yaml::load(file, source)?;
    if matches!(doc.value, Value::Null) {
        return Err(cx.err(
            &doc,
            "the scenario file is empty",
            Some("a scenario needs `app:` and `steps:`".into()),
        ));
    }
    let top = cx.map(&doc, "a scenario")?;
    cx.check_keys(top, TOP_KEYS, "a scenario")?;

    let app = match get(top, "app") {
        Some(app_node) => parse_app(&cx, app_node)?,
        None if !needs_app => AppTarget {
            package: String::new(),
            activity: None,
            deeplink: None,
        },
        None => {
            return Err(cx.err(
                &doc,
                crate::t!("diag-missing-app"),
                Some(crate::t!("diag-missing-app-help")),
            ))
        }
    };

    let name = match get(top, "name") {
        Some(n) => cx.string(n, "`name`")?,
        None => file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let clear_data = match get(top, "clear_data") {
        Some(n) => cx.boolean(n, "`clear_data`")?,
        None => false,
    };

    let empty = Node {
        pos: doc.pos,
        value: Value::Seq(Vec::new()),
    };
    let steps_node = get(top, "steps")
        .or((!needs_app).then_some(&empty))
        .ok_or_else(|| {
            cx.err(
                &doc,
                "missing `steps:`: what should the scenario do?",
                Some("add a list such as `steps:\\n  - launch\\n  - refuse`".into()),
            )
        })?;
    let Value::Seq(items) = &steps_node.value else {
        return Err(cx.err(
            steps_node,
            format!(
                "`steps` must be a list (lines starting with `- `), found {}",
                steps_node.kind()
            ),
            None,
        ));
    };
    let basic_functions = match get(top, "basic_functions") {
        Some(n) => cx.string_list(n, "`basic_functions`")?,
        None => Vec::new(),
    };
    let steps = items
        .iter()
        .map(|s| parse_step(&cx, s, &basic_functions))
        .collect::<Res<Vec<_>>>()?;

    let rules = match get(top, "rules") {
        None => RuleId::defaults(),
        // `rules: all`: every rule of Section 7 this version checks (a
        // compliant app's scenario, or a nightly that wants the whole of
        // Section 7); Section 6's rules are added by listing them or their
        // group (`rules: [all, section6]`).
        Some(n) if matches!(&n.value, Value::Str(s) if s == "all") => {
            RuleId::of_section(Section::Seven)
        }
        Some(n) => {
            let Value::Seq(items) = &n.value else {
                return Err(cx.err(
                    n,
                    format!(
                        "`rules` must be a list of rule ids and groups (`all`, `section6`, `section7`) or `all`, found {}",
                        n.kind()
                    ),
                    None,
                ));
            };
            let mut out = Vec::new();
            for item in items {
                let id = cx.string(item, "a rule id")?;
                let group = match id.as_str() {
                    "all" | "section7" => Some(Section::Seven),
                    "section6" => Some(Section::Six),
                    _ => None,
                };
                if let Some(section) = group {
                    for rule in RuleId::of_section(section) {
                        if !out.contains(&rule) {
                            out.push(rule);
                        }
                    }
                    continue;
                }
                let rule = RuleId::from_id(&id).ok_or_else(|| {
                    let ids: Vec<&str> = RuleId::ALL
                        .iter()
                        .map(|r| r.id())
                        .chain(["all", "section6", "section7"])
                        .collect();
                    let help = match yaml::suggest(&id, &ids) {
                        Some(s) => crate::t!("diag-did-you-mean", s = s),
                        None => crate::t!("diag-known-rules", rules = ids.join(", ")),
                    };
                    cx.err(
                        item,
                        crate::t!("diag-unknown-rule", id = id.as_str()),
                        Some(help),
                    )
                })?;
                if !rule.implemented() {
                    return Err(cx.err(item, format!("rule `{id}` is defined in section7-rules.md but not checked by this version"), Some(format!("checked rules: {}", RuleId::ALL.iter().filter(|r| r.implemented()).map(|r| r.id()).collect::<Vec<_>>().join(", ")))));
                }
                if !out.contains(&rule) {
                    out.push(rule);
                }
            }
            out
        }
    };

    let mut words = Words::default();
    if let Some(n) = get(top, "words") {
        let m = cx.map(n, "`words`")?;
        cx.check_keys(m, WORD_KEYS, "`words`")?;
        let list = |k: &str| -> Res<Vec<String>> {
            get(m, k).map_or(Ok(Vec::new()), |v| {
                cx.string_list(v, &format!("`words.{k}`"))
            })
        };
        words.extend(&WordsPatch {
            agree: list("agree")?,
            vague: list("vague")?,
            refuse: list("refuse")?,
            weak_refuse: list("weak_refuse")?,
            policy: list("policy")?,
            agreement: list("agreement")?,
            checkbox: list("checkbox")?,
            revocation: list("revocation")?,
            deletion: list("deletion")?,
            likely: list("likely")?,
            go_on: list("go_on")?,
        });
    }

    Ok(Scenario {
        path: file.to_path_buf(),
        name,
        app,
        clear_data,
        steps,
        rules,
        words,
        basic_functions,
        tolerant: false,
        sha256: {
            use sha2::Digest;
            sha2::Sha256::digest(source.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        },
    })
}

fn parse_app(cx: &Ctx, node: &Node) -> Res<AppTarget> {
    let m = cx.map(node, "`app`")?;
    cx.check_keys(m, APP_KEYS, "`app`")?;
    let package = get(m, "package")
        .map(|n| cx.string(n, "`app.package`"))
        .transpose()?;
    let host = get(m, "host")
        .map(|n| cx.string(n, "`app.host`"))
        .transpose()?;
    let deeplink = get(m, "deeplink")
        .map(|n| cx.string(n, "`app.deeplink`"))
        .transpose()?;
    let activity = get(m, "activity")
        .map(|n| cx.string(n, "`app.activity`"))
        .transpose()?;
    let package = match (package, host) {
        (Some(_), Some(_)) => {
            return Err(cx.err(
                node,
                "`app` has both `package` and `host`",
                Some(
                    "use `package` for an app, `host` (with `deeplink`) for a mini program".into(),
                ),
            ))
        }
        (Some(p), None) => p,
        (None, Some(h)) => {
            if deeplink.is_none() {
                return Err(cx.err(
                    node,
                    "a mini program (`host:`) needs `deeplink:`, the link that opens it",
                    None,
                ));
            }
            h
        }
        (None, None) => {
            return Err(cx.err(
                node,
                "`app` needs `package:` (or `host:` and `deeplink:` for a mini program)",
                None,
            ))
        }
    };
    if !package.contains('.') || package.contains(char::is_whitespace) {
        let n = get(m, "package").or_else(|| get(m, "host")).unwrap_or(node);
        return Err(cx.err(
            n,
            format!("`{package}` is not an Android package name"),
            Some("package names look like `com.example.bank`".into()),
        ));
    }
    Ok(AppTarget {
        package,
        activity,
        deeplink,
    })
}

fn parse_step(cx: &Ctx, node: &Node, basic_functions: &[String]) -> Res<Step> {
    let line = node.pos.line;
    let (name_node, arg) = match &node.value {
        Value::Str(_) => (node, None),
        Value::Map(m) if m.len() == 1 => (&m[0].0, Some(&m[0].1)),
        Value::Map(m) if m.is_empty() => return Err(cx.err(node, "empty step", None)),
        Value::Map(m) => {
            return Err(cx.err(
                &m[1].0,
                "a step has one name; this line continues the step above",
                Some("start each step with `- `, e.g. `- tap: 同意` then `- back`".into()),
            ))
        }
        _ => {
            return Err(cx.err(
                node,
                format!(
                    "a step must be a name like `back` or `tap: 同意`, found {}",
                    node.kind()
                ),
                None,
            ))
        }
    };
    let name = name_node.as_scalar_string().unwrap_or_default();
    let unknown = || {
        let help = match yaml::suggest(&name, STEP_NAMES) {
            Some(s) => crate::t!("diag-did-you-mean", s = s),
            None => crate::t!("diag-steps-are", steps = STEP_NAMES.join(", ")),
        };
        cx.err(
            name_node,
            crate::t!("diag-unknown-step", name = name.as_str()),
            Some(help),
        )
    };
    if !STEP_NAMES.contains(&name.as_str()) {
        return Err(unknown());
    }
    let arg_is_null = arg.is_none_or(|a| matches!(a.value, Value::Null));
    let need = |what: &str| -> Res<&Node> {
        arg.filter(|_| !arg_is_null).ok_or_else(|| {
            cx.err(
                name_node,
                crate::t!("diag-step-needs", name = name.as_str(), what = what),
                Some(crate::t!("diag-write-step-value", name = name.as_str())),
            )
        })
    };
    let no_arg = |kind: StepKind| -> Res<StepKind> {
        match arg {
            Some(a) if !matches!(a.value, Value::Null) => Err(cx.err(
                a,
                crate::t!("diag-step-takes-no-value", name = name.as_str()),
                Some(crate::t!("diag-write-step", name = name.as_str())),
            )),
            _ => Ok(kind),
        }
    };
    let opts = |allowed: &[&str]| -> Res<&[(Node, Node)]> {
        match arg {
            Some(a) if !arg_is_null => {
                let m = cx.map(a, &format!("the options of `{name}`"))?;
                cx.check_keys(m, allowed, &format!("`{name}`"))?;
                Ok(m)
            }
            _ => Ok(&[]),
        }
    };
    let kind = match name.as_str() {
        "launch" => {
            let m = opts(&["clear_data"])?;
            StepKind::Launch {
                clear_data: get(m, "clear_data")
                    .map(|n| cx.boolean(n, "`clear_data`"))
                    .transpose()?
                    .unwrap_or(false),
            }
        }
        "stop" => no_arg(StepKind::Stop)?,
        "clear_data" => no_arg(StepKind::ClearData)?,
        "back" => no_arg(StepKind::Back)?,
        "home" => no_arg(StepKind::Home)?,
        "agree" => no_arg(StepKind::Agree)?,
        "read_policy" => no_arg(StepKind::ReadPolicy)?,
        "check_functions" => {
            let list = match arg.filter(|_| !arg_is_null) {
                Some(a) => cx.string_list(a, "the functions to check")?,
                None => basic_functions.to_vec(),
            };
            if list.is_empty() {
                return Err(cx.err(
                    name_node,
                    "`check_functions` has no function to check",
                    Some("declare them at the top (`basic_functions: [理财产品, 行情]`) or list them here (`- check_functions: [理财产品]`)".into()),
                ));
            }
            StepKind::CheckFunctions(list)
        }
        "refuse" => {
            let m = opts(&["through_confirmations"])?;
            let through = get(m, "through_confirmations")
                .map(|n| cx.boolean(n, "`through_confirmations`"))
                .transpose()?
                .unwrap_or(true);
            if through {
                StepKind::Refuse
            } else {
                StepKind::RefuseOnce
            }
        }
        "swipe" | "scroll" => {
            let a = need(
                "a direction (`up`, `down`, `left`, `right`) or `{from: [x, y], to: [x, y]}`",
            )?;
            match &a.value {
                Value::Map(m) => {
                    cx.check_keys(m, &["from", "to", "duration"], &format!("`{name}`"))?;
                    let point = |key: &str| -> Res<(i32, i32)> {
                        let n = get(m, key).ok_or_else(|| {
                            cx.err(a, format!("`{name}` needs `{key}: [x, y]`"), None)
                        })?;
                        match &n.value {
                            Value::Seq(v) if v.len() == 2 => {
                                Ok((cx.int(&v[0], "x")? as i32, cx.int(&v[1], "y")? as i32))
                            }
                            _ => Err(cx.err(n, format!("`{key}` must be `[x, y]`"), None)),
                        }
                    };
                    let (x1, y1) = point("from")?;
                    let (x2, y2) = point("to")?;
                    let ms = get(m, "duration")
                        .map(|n| cx.duration(n, "`duration`"))
                        .transpose()?
                        .map_or(300, |d| d.as_millis() as u64);
                    StepKind::Swipe(Swipe::Points { x1, y1, x2, y2, ms })
                }
                _ => {
                    let d = cx.string(a, "a direction")?;
                    // `scroll: down` shows what is below: the finger moves up.
                    let dir = match (name.as_str(), d.as_str()) {
                        ("swipe", "up") | ("scroll", "down") => SwipeDirection::Up,
                        ("swipe", "down") | ("scroll", "up") => SwipeDirection::Down,
                        ("swipe", "left") | ("scroll", "right") => SwipeDirection::Left,
                        ("swipe", "right") | ("scroll", "left") => SwipeDirection::Right,
                        _ => {
                            return Err(cx.err(
                                a,
                                format!(
                                    "`{name}` takes `up`, `down`, `left` or `right`, not `{d}`"
                                ),
                                None,
                            ))
                        }
                    };
                    StepKind::Swipe(Swipe::Direction(dir))
                }
            }
        }
        "tap" => {
            let a = need("what to tap: a text, `{id: ...}` or `{x: .., y: ..}`")?;
            match &a.value {
                Value::Map(m) => {
                    cx.check_keys(m, &["text", "id", "x", "y"], "`tap`")?;
                    if let Some(t) = get(m, "text") {
                        StepKind::Tap(TapTarget::Text(cx.string(t, "`tap.text`")?))
                    } else if let Some(i) = get(m, "id") {
                        StepKind::Tap(TapTarget::Id(cx.string(i, "`tap.id`")?))
                    } else {
                        let x = get(m, "x").ok_or_else(|| {
                            cx.err(a, "`tap` needs `text`, `id`, or both `x` and `y`", None)
                        })?;
                        let y = get(m, "y")
                            .ok_or_else(|| cx.err(a, "`tap` with `x` needs `y` too", None))?;
                        StepKind::Tap(TapTarget::Point(
                            cx.coordinate(x, "`tap.x`")?,
                            cx.coordinate(y, "`tap.y`")?,
                        ))
                    }
                }
                _ => StepKind::Tap(TapTarget::Text(cx.string(a, "the text to tap")?)),
            }
        }
        "type" => {
            let a = need("the text to type, `{secret: ENV_VAR}` or `{text: .., secret: true}`")?;
            match &a.value {
                Value::Map(m) => {
                    cx.check_keys(m, &["text", "secret"], "`type`")?;
                    match (get(m, "text"), get(m, "secret")) {
                        (Some(t), s) => {
                            let secret = s.map(|s| cx.boolean(s, "`type.secret` with `text`")).transpose()?.unwrap_or(false);
                            let text = cx.string(t, "`type.text`")?;
                            StepKind::Type(if secret { TypedText::secret(text) } else { TypedText::plain(text) })
                        }
                        (None, Some(var)) => {
                            let name = cx.string(var, "`type.secret`, the environment variable holding the secret")?;
                            let value = std::env::var(&name).map_err(|_| {
                                cx.err(
                                    var,
                                    format!("the environment variable `{name}` is not set"),
                                    Some(format!("set it before the run (`export {name}=...`); its value is typed and never shown")),
                                )
                            })?;
                            if value.is_empty() {
                                return Err(cx.err(var, format!("the environment variable `{name}` is empty"), None));
                            }
                            StepKind::Type(TypedText::secret(value))
                        }
                        (None, None) => {
                            return Err(cx.err(a, "`type` needs `text` or `secret`", Some("`- type: {secret: PASSWORD_ENV}` types the value of an environment variable".into())))
                        }
                    }
                }
                _ => StepKind::Type(TypedText::plain(cx.string(a, "the text to type")?)),
            }
        }
        "wait" => StepKind::Wait(cx.duration(need("a duration, e.g. `wait: 2s`")?, "`wait`")?),
        "wait_for" => {
            let a = need("a text, or `{text: .., timeout: ..}`")?;
            match &a.value {
                Value::Map(m) => {
                    cx.check_keys(m, &["text", "timeout"], "`wait_for`")?;
                    let t =
                        get(m, "text").ok_or_else(|| cx.err(a, "`wait_for` needs `text`", None))?;
                    StepKind::WaitFor {
                        text: cx.string(t, "`wait_for.text`")?,
                        timeout: get(m, "timeout")
                            .map(|n| cx.duration(n, "`timeout`"))
                            .transpose()?
                            .unwrap_or(Duration::from_secs(10)),
                    }
                }
                _ => StepKind::WaitFor {
                    text: cx.string(a, "the text to wait for")?,
                    timeout: Duration::from_secs(10),
                },
            }
        }
        "observe" => {
            let a = need("`{duration: .., interval: ..}` or a duration")?;
            match &a.value {
                Value::Map(m) => {
                    cx.check_keys(m, &["duration", "interval"], "`observe`")?;
                    let d = get(m, "duration")
                        .ok_or_else(|| cx.err(a, "`observe` needs `duration`", None))?;
                    let duration = cx.duration(d, "`observe.duration`")?;
                    let interval = get(m, "interval")
                        .map(|n| cx.duration(n, "`observe.interval`"))
                        .transpose()?
                        .unwrap_or(Duration::from_millis(500));
                    if interval.is_zero() {
                        return Err(cx.err(
                            get(m, "interval").unwrap_or(a),
                            "`interval` must be more than 0",
                            None,
                        ));
                    }
                    StepKind::Observe { duration, interval }
                }
                _ => StepKind::Observe {
                    duration: cx.duration(a, "`observe`")?,
                    interval: Duration::from_millis(500),
                },
            }
        }
        "assert_visible" => {
            StepKind::AssertVisible(cx.string(need("the text that must be visible")?, "the text")?)
        }
        "assert_not_visible" => StepKind::AssertNotVisible(
            cx.string(need("the text that must not be visible")?, "the text")?,
        ),
        "explore_policy" => {
            let m = opts(&["max_taps"])?;
            StepKind::ExplorePolicy {
                max_taps: max_taps(cx, m)?,
            }
        }
        "explore" => {
            let a = need("what to find: `{find: revocation, max_taps: 4}` or `revocation`")?;
            let (find, m): (&Node, &[(Node, Node)]) = match &a.value {
                Value::Map(m) => {
                    cx.check_keys(m, &["find", "max_taps"], "`explore`")?;
                    let f = get(m, "find").ok_or_else(|| {
                        cx.err(
                            a,
                            "`explore` needs `find:` (policy, revocation or account_deletion)",
                            None,
                        )
                    })?;
                    (f, m)
                }
                _ => (a, &[]),
            };
            let name = cx.string(find, "`explore.find`")?;
            let target = target_named(&name).ok_or_else(|| {
                let names = ["policy", "revocation", "account_deletion"];
                let help = match yaml::suggest(&name, &names) {
                    Some(s) => crate::t!("diag-did-you-mean", s = s),
                    None => format!("`find` takes: {}", names.join(", ")),
                };
                cx.err(find, format!("unknown search target `{name}`"), Some(help))
            })?;
            StepKind::Explore {
                target,
                max_taps: max_taps(cx, m)?,
            }
        }
        "install" => {
            let a = need("`{version: N}` (simulator) or `{apk: PATH}` (device), with `policy_changed: true` when the new build's rules changed")?;
            let m = opts(&["version", "apk", "policy_changed"])?;
            let policy_changed = get(m, "policy_changed")
                .map(|n| cx.boolean(n, "`policy_changed`"))
                .transpose()?
                .unwrap_or(false);
            let build = match (get(m, "version"), get(m, "apk")) {
                (Some(_), Some(_)) => {
                    return Err(cx.err(
                        a,
                        "`install` takes `version` or `apk`, not both",
                        Some("`version` names a simulated app model's build; `apk` a package file for a real device".into()),
                    ))
                }
                (Some(v), None) => {
                    let n = cx.int(v, "`version`")?;
                    if !(1..=1_000_000).contains(&n) {
                        return Err(cx.err(v, "`version` must be a whole number from 1", None));
                    }
                    InstallBuild::Version(n as u32)
                }
                (None, Some(p)) => {
                    let rel = cx.string(p, "`apk`")?;
                    let path = cx
                        .file
                        .parent()
                        .map_or_else(|| PathBuf::from(&rel), |d| d.join(&rel));
                    if !path.is_file() {
                        return Err(cx.err(
                            p,
                            format!("no package file `{}`", path.display()),
                            Some("`apk` is a path relative to the scenario file".into()),
                        ));
                    }
                    InstallBuild::Apk(path)
                }
                (None, None) => {
                    return Err(cx.err(
                        a,
                        "`install` needs `version: N` (simulator) or `apk: PATH` (device)",
                        None,
                    ))
                }
            };
            StepKind::Install {
                build,
                policy_changed,
            }
        }
        _ => return Err(unknown()),
    };
    Ok(Step { kind, line })
}

/// A search's `max_taps` (default 4, the depth 7.1(d) allows the policy).
fn max_taps(cx: &Ctx, m: &[(Node, Node)]) -> Res<u32> {
    match get(m, "max_taps") {
        Some(n) => {
            let v = cx.int(n, "`max_taps`")?;
            if !(1..=10).contains(&v) {
                return Err(cx.err(
                    n,
                    "`max_taps` must be between 1 and 10",
                    Some("T/NIFA 33-2025 7.1(d) asks for 4".into()),
                ));
            }
            Ok(v as u32)
        }
        None => Ok(4),
    }
}

/// A search target by the name scenario files use (`account_deletion` or
/// `account-deletion`).
fn target_named(name: &str) -> Option<Target> {
    let n = name.trim().replace('-', "_");
    Target::ALL
        .into_iter()
        .find(|t| t.as_str().replace('-', "_") == n)
}

/// Parses `300ms`, `1.5s`, `2s`, `1m` (a bare number is seconds).
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (num, scale) = if let Some(n) = s.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60.0)
    } else {
        (s, 1.0)
    };
    let v: f64 = num.trim().parse().ok()?;
    Duration::try_from_secs_f64(v * scale).ok()
}

/// The scenarios of shard `k` of `n` (1-based): a stable share decided by
/// each scenario file's name, so every machine of a split suite agrees on
/// it without talking to the others, and adding a scenario moves no other.
pub fn shard(scenarios: Vec<Scenario>, k: usize, n: usize) -> Vec<Scenario> {
    scenarios
        .into_iter()
        .filter(|s| shard_of(s, n) == k)
        .collect()
}

/// Which shard (1-based, of `n`) a scenario belongs to.
pub fn shard_of(s: &Scenario, n: usize) -> usize {
    // FNV-1a: fixed, unlike std's randomly seeded hasher.
    let name = s.path.file_name().map_or_else(
        || s.path.display().to_string(),
        |f| f.to_string_lossy().into_owned(),
    );
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % n.max(1) as u64) as usize + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(src: &str) -> Res<Scenario> {
        parse(Path::new("t.yaml"), src)
    }

    #[test]
    fn parses_every_step() {
        let s = p("app:\n  package: com.x.y\n  activity: .Main\nsteps:\n  - launch: {clear_data: true}\n  - tap: 同意\n  - tap: {id: 'com.x:id/ok'}\n  - tap: {x: 10, y: 20}\n  - type: 你好\n  - back\n  - wait: 500ms\n  - wait_for: {text: 首页, timeout: 3s}\n  - observe: {duration: 2s, interval: 250ms}\n  - agree\n  - refuse\n  - assert_visible: 首页\n  - assert_not_visible: 弹窗\n  - explore_policy: {max_taps: 4}\n  - stop\n  - clear_data\n").unwrap();
        assert_eq!(s.steps.len(), 16);
        assert_eq!(
            s.steps[1],
            Step {
                kind: StepKind::Tap(TapTarget::Text("同意".into())),
                line: 6
            }
        );
        assert_eq!(s.rules, RuleId::defaults());
    }

    #[test]
    fn rules_all_is_section_7_and_groups_add_section_6() {
        let s = p("app:\n  package: com.x.y\nrules: all\nsteps:\n  - launch\n").unwrap();
        let seven: Vec<RuleId> = RuleId::ALL
            .into_iter()
            .filter(|r| r.implemented() && r.rule().section == Section::Seven)
            .collect();
        assert_eq!(s.rules, seven);
        let both =
            p("app:\n  package: com.x.y\nrules: [all, section6]\nsteps:\n  - launch\n").unwrap();
        let every: Vec<RuleId> = RuleId::ALL
            .into_iter()
            .filter(|r| r.implemented())
            .collect();
        assert_eq!(both.rules, every);
        let some = p("app:\n  package: com.x.y\nrules: [no-popup-loop, section6, masked-identifiers]\nsteps:\n  - launch\n").unwrap();
        let ids: Vec<&str> = some.rules.iter().map(|r| r.id()).collect();
        assert_eq!(ids[0], "no-popup-loop");
        assert_eq!(
            ids.len(),
            1 + RuleId::of_section(Section::Six).len(),
            "{ids:?}"
        );
        let e = p("app:\n  package: com.x.y\nrules: some\nsteps:\n  - launch\n").unwrap_err();
        assert_eq!((e.pos.line, e.pos.col), (3, 8));
        assert!(
            e.message.contains("list of rule ids and groups"),
            "{}",
            e.message
        );
        let e = p("app:\n  package: com.x.y\nrules: [section5]\nsteps:\n  - launch\n").unwrap_err();
        assert!(
            e.help.as_deref().unwrap_or_default().contains("section6"),
            "{:?}",
            e.help
        );
    }

    #[test]
    fn the_audits_words_are_words_like_the_others() {
        let s = p("app:\n  package: com.x.y\nwords: {likely: [理财测评], go_on: [立即体验]}\nsteps:\n  - launch\n").unwrap();
        assert_eq!(s.words.likely.last().map(String::as_str), Some("理财测评"));
        assert!(
            s.words.likely.iter().any(|w| w == "扫一扫"),
            "the defaults stay"
        );
        assert!(s.words.go_on.iter().any(|w| w == "立即体验"));
        let part = parse_part(Path::new("w.yaml"), "words: {likely: [理财测评]}\n").unwrap();
        assert!(part.steps.is_empty() && part.words.likely.iter().any(|w| w == "理财测评"));
    }

    #[test]
    fn folders_are_searched_with_their_subfolders() {
        let dir = tempfile::tempdir().unwrap();
        let src = "app:\n  package: com.x.y\nsteps:\n  - launch\n";
        std::fs::create_dir_all(dir.path().join("theme/deeper")).unwrap();
        std::fs::create_dir_all(dir.path().join(".hidden")).unwrap();
        for f in [
            "b.yaml",
            "theme/a.yml",
            "theme/deeper/c.yaml",
            ".hidden/d.yaml",
        ] {
            std::fs::write(dir.path().join(f), src).unwrap();
        }
        std::fs::write(dir.path().join("theme/notes.txt"), "not a scenario").unwrap();
        let got: Vec<String> = load_paths(&[dir.path().to_path_buf()])
            .unwrap()
            .iter()
            .map(|s| {
                s.path
                    .strip_prefix(dir.path())
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(got, ["b.yaml", "theme/a.yml", "theme/deeper/c.yaml"]);
    }

    #[test]
    fn typo_gets_suggestion() {
        let e = p("app:\n  package: com.x.y\nsteps:\n  - tapp: 同意\n").unwrap_err();
        assert_eq!((e.pos.line, e.pos.col), (4, 5));
        assert_eq!(e.help.as_deref(), Some("did you mean `tap`?"));
    }
}

//! The process exit codes, in one place (README, "Exit codes").

/// How a `consentry` invocation ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Every verdict passed (or is only manual / inconclusive); `diff`: no regression.
    Ok = 0,
    /// A rule failed or a step could not be done; `diff`: a regression.
    Failed = 1,
    /// A usage or scenario-file error: nothing ran.
    Usage = 2,
    /// A device or infrastructure error, or the run was interrupted.
    Infra = 3,
}

impl Exit {
    /// The numeric code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e.code())
    }
}

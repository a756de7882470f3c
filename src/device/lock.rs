//! One run at a time on a device: before a run drives a device over adb it
//! takes a lock kept on the device itself (a folder in `/data/local/tmp`),
//! so two consentry processes, on one machine or on two machines of a farm
//! sharing a phone, never drive it at once and give each other's taps to
//! each other's verdicts.
//!
//! The lock is the folder [`LOCK_DIR`]: `mkdir` takes it or fails at once,
//! on every Android. Inside, `owner` says who holds it (a token, then a line
//! for people) and `beat` the device's clock (`date +%s`) at the holder's
//! last heartbeat, every [`HEARTBEAT`]. A lock whose beat is older than
//! [`STALE`] by the device's own clock (its holder was killed, or lost the
//! device) is taken over. A run waits for a held lock up to `--lock-wait`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{DeviceError, Transport};

/// The lock folder on the device.
pub const LOCK_DIR: &str = "/data/local/tmp/consentry.lock";
/// How often the holder says it is alive.
pub const HEARTBEAT: Duration = Duration::from_secs(10);
/// A lock with no heartbeat for this long is taken over.
pub const STALE: Duration = Duration::from_secs(60);

/// Why a device could not be locked.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another run holds it, and kept it for all of `--lock-wait`.
    #[error("{serial} is in use by {holder} (last heartbeat {age}); waited {waited:.0?} (--lock-wait): wait longer with --lock-wait, or stop that run")]
    Held {
        serial: String,
        holder: String,
        age: String,
        waited: Duration,
    },
    /// The device did not answer.
    #[error(transparent)]
    Device(#[from] DeviceError),
}

/// Who holds the lock, as read from the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// The holder's token (first line of `owner`).
    pub token: String,
    /// Who it is, for people (second line of `owner`).
    pub who: String,
    /// Seconds since its last heartbeat, by the device's clock.
    pub age: Option<u64>,
}

/// What the device says of the lock, from one `cat`: the owner file, a
/// separator, the beat, a separator, the device's time.
pub fn parse_holder(raw: &[u8]) -> Option<Holder> {
    let text = String::from_utf8_lossy(raw);
    let mut parts = text.split(SEP);
    let owner = parts.next()?;
    let beat = parts.next().and_then(|b| b.trim().parse::<u64>().ok());
    let now = parts.next().and_then(|n| n.trim().parse::<u64>().ok());
    let mut lines = owner.lines();
    let token = lines.next()?.trim();
    if token.is_empty() || token.starts_with("cat:") {
        return None;
    }
    Some(Holder {
        token: super::parse::clip(token, 128),
        who: super::parse::clip(lines.next().unwrap_or("").trim(), 512),
        age: match (beat, now) {
            (Some(b), Some(n)) => Some(n.saturating_sub(b)),
            _ => None,
        },
    })
}

const SEP: &str = "--consentry-lock--";

/// A lock held on a device: a thread renews its heartbeat until it is
/// dropped, which gives the lock back.
pub struct DeviceLock {
    stop: Arc<AtomicBool>,
    beat: Option<std::thread::JoinHandle<()>>,
}

impl Drop for DeviceLock {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.beat.take() {
            let _ = t.join();
        }
    }
}

/// Who this process is, for the `owner` file: a token no other run has,
/// then a line naming the machine, the process and when it started.
pub fn owner() -> (String, String) {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "unknown host".into());
    let pid = std::process::id();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let token = format!("{host}-{pid}-{nanos:x}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let who = format!(
        "consentry {} (pid {pid} on {host}, since {})",
        env!("CARGO_PKG_VERSION"),
        chrono::Utc::now().format("%Y-%m-%d %H:%M:%S UTC")
    );
    (token, who)
}

fn read_holder(t: &mut dyn Transport) -> Result<Option<Holder>, DeviceError> {
    let out = t.shell(&format!(
        "cat {LOCK_DIR}/owner ; echo {SEP} ; cat {LOCK_DIR}/beat ; echo {SEP} ; date +%s"
    ))?;
    Ok(parse_holder(&out.stdout))
}

fn try_take(t: &mut dyn Transport, token: &str, who: &str) -> Result<bool, DeviceError> {
    let who = super::shell_quote(&format!("{token}\n{who}"));
    let out = t.shell(&format!(
        "mkdir {LOCK_DIR} && echo {who} > {LOCK_DIR}/owner && date +%s > {LOCK_DIR}/beat && echo consentry-lock-taken"
    ))?;
    Ok(String::from_utf8_lossy(&out.stdout).contains("consentry-lock-taken"))
}

/// Takes the lock on the device `t` reaches, waiting up to `wait`
/// for another run to give it back (or for its lock to go stale), and
/// keeps it alive until the returned guard is dropped.
pub fn acquire(
    mut t: Box<dyn Transport>,
    wait: Duration,
    cancel: &AtomicBool,
) -> Result<DeviceLock, LockError> {
    let (token, who) = owner();
    let start = Instant::now();
    // When a lock with no readable heartbeat was first seen (its holder
    // died between mkdir and writing it): stale after STALE of ours.
    let mut unreadable_since: Option<(String, Instant)> = None;
    loop {
        if try_take(t.as_mut(), &token, &who)? {
            break;
        }
        let holder = read_holder(t.as_mut())?;
        let stale = match &holder {
            Some(h) => match h.age {
                Some(age) => age > STALE.as_secs(),
                None => {
                    let since = match &unreadable_since {
                        Some((tok, at)) if *tok == h.token => *at,
                        _ => {
                            unreadable_since = Some((h.token.clone(), Instant::now()));
                            Instant::now()
                        }
                    };
                    since.elapsed() > STALE
                }
            },
            // Taken between our mkdir and cat, or a folder with no owner.
            None => {
                let since = match &unreadable_since {
                    Some((tok, at)) if tok.is_empty() => *at,
                    _ => {
                        unreadable_since = Some((String::new(), Instant::now()));
                        Instant::now()
                    }
                };
                since.elapsed() > STALE
            }
        };
        if stale {
            // Taken over: the folder goes, and mkdir decides between any
            // runs taking it over at once.
            tracing::warn!(
                "taking over a stale lock on {}: {}",
                t.serial(),
                holder.as_ref().map_or("no owner", |h| h.who.as_str())
            );
            t.shell(&format!("rm -r {LOCK_DIR}"))?;
            unreadable_since = None;
            continue;
        }
        if start.elapsed() >= wait || cancel.load(Ordering::SeqCst) {
            let h = holder.unwrap_or(Holder {
                token: String::new(),
                who: "another run".into(),
                age: None,
            });
            return Err(LockError::Held {
                serial: t.serial().to_string(),
                holder: if h.who.is_empty() { h.token } else { h.who },
                age: h.age.map_or("unknown".into(), |a| format!("{a} s ago")),
                waited: start.elapsed(),
            });
        }
        std::thread::sleep(Duration::from_secs(2).min(wait.saturating_sub(start.elapsed())));
    }
    let stop = Arc::new(AtomicBool::new(false));
    let beat = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut last = Instant::now();
            while !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(200));
                if last.elapsed() < HEARTBEAT {
                    continue;
                }
                last = Instant::now();
                // Renewed only while it is still ours.
                if matches!(read_holder(t.as_mut()), Ok(Some(h)) if h.token == token) {
                    let _ = t.shell(&format!("date +%s > {LOCK_DIR}/beat"));
                }
            }
            if matches!(read_holder(t.as_mut()), Ok(Some(h)) if h.token == token) {
                let _ = t.shell(&format!("rm -r {LOCK_DIR}"));
            }
        })
    };
    Ok(DeviceLock {
        stop,
        beat: Some(beat),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holder_is_read_with_its_age() {
        let raw = format!("tok-1\nconsentry 0.1 (pid 7 on farm-3)\n{SEP}\n1000\n{SEP}\n1042\n");
        let h = parse_holder(raw.as_bytes()).unwrap();
        assert_eq!(h.token, "tok-1");
        assert_eq!(h.who, "consentry 0.1 (pid 7 on farm-3)");
        assert_eq!(h.age, Some(42));
        let none = format!("cat: {LOCK_DIR}/owner: No such file or directory\n{SEP}\n{SEP}\n5\n");
        assert_eq!(parse_holder(none.as_bytes()), None);
        assert_eq!(parse_holder(b""), None);
    }
}

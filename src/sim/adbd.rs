//! The simulated device as an adbd on a TCP port: the device side of the
//! ADB protocol (CNXN, OPEN, OKAY, WRTE, CLSE; services `shell:` and
//! `exec:`), so the real adb server connects to it like to an emulator
//! (`adb connect 127.0.0.1:5555`) and every adb command reaches [`Sim::shell`].
//!
//! Framing follows AOSP's protocol.txt: a 24-byte little-endian header
//! (command, arg0, arg1, payload length, payload checksum, command ^
//! 0xffffffff), then the payload.
//!
//! A well-behaved daemon: at most [`MAX_CONNECTIONS`] connections at once
//! (more are closed at once), one that has not sent its CNXN within
//! [`HANDSHAKE_TIMEOUT`] is dropped, a connection silent for [`IDLE_TIMEOUT`] or
//! stalling mid-message for [`MESSAGE_TIMEOUT`] is closed, at most
//! [`MAX_STREAMS`] open streams per connection, and the device lock is held
//! only while a command runs: its modelled latency is waited out unlocked,
//! so one slow command never stalls the other clients.

use std::collections::{HashMap, VecDeque};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::Sim;

const A_CNXN: u32 = 0x4e58_4e43;
const A_OPEN: u32 = 0x4e45_504f;
const A_OKAY: u32 = 0x5941_4b4f;
const A_CLSE: u32 = 0x4553_4c43;
const A_WRTE: u32 = 0x4554_5257;
const A_AUTH: u32 = 0x4854_5541;
const VERSION: u32 = 0x0100_0001;
const MAX_PAYLOAD: usize = 1024 * 1024;

/// The most connections served at once.
pub const MAX_CONNECTIONS: usize = 16;
/// A connection that sends nothing for this long is closed (the adb server
/// reconnects when it needs the device again).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(600);
/// Once a message has begun, the rest of it must arrive within this.
pub const MESSAGE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a new connection may take to send its CNXN.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);
/// The most streams one connection may keep open.
pub const MAX_STREAMS: usize = 64;

/// What the device tells the host about itself in its CNXN banner.
pub const BANNER: &str =
    "device::ro.product.name=sim;ro.product.model=consentry-sim;ro.product.device=sim;features=";

/// Faults to inject, for tests of how the driver copes.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Drop the connection and stop serving after this many commands.
    pub drop_after: Option<usize>,
}

/// One ADB message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Command constant.
    pub command: u32,
    /// First argument.
    pub arg0: u32,
    /// Second argument.
    pub arg1: u32,
    /// Payload.
    pub payload: Vec<u8>,
}

impl Message {
    fn new(command: u32, arg0: u32, arg1: u32, payload: Vec<u8>) -> Self {
        Self {
            command,
            arg0,
            arg1,
            payload,
        }
    }

    /// Encodes header and payload.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(24 + self.payload.len());
        let sum: u32 = self
            .payload
            .iter()
            .map(|b| *b as u32)
            .fold(0u32, u32::wrapping_add);
        for v in [
            self.command,
            self.arg0,
            self.arg1,
            self.payload.len() as u32,
            sum,
            self.command ^ 0xffff_ffff,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.payload);
        out
    }

    /// Reads one message; `Ok(None)` at end of stream.
    pub fn read(r: &mut impl Read) -> std::io::Result<Option<Message>> {
        let mut h = [0u8; 24];
        match r.read_exact(&mut h) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        Self::finish_read(h, r).map(Some)
    }

    /// Reads one message from a socket: waits up to `idle` for its first
    /// byte, then [`MESSAGE_TIMEOUT`] for the rest.
    fn read_timed(conn: &mut TcpStream, idle: Duration) -> std::io::Result<Option<Message>> {
        let mut h = [0u8; 24];
        conn.set_read_timeout(Some(idle))?;
        loop {
            match conn.read(&mut h[..1]) {
                Ok(0) => return Ok(None),
                Ok(_) => break,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        conn.set_read_timeout(Some(MESSAGE_TIMEOUT))?;
        conn.read_exact(&mut h[1..])?;
        Self::finish_read(h, conn).map(Some)
    }

    /// Checks a header and reads the payload it announces.
    fn finish_read(h: [u8; 24], r: &mut impl Read) -> std::io::Result<Message> {
        let word = |i: usize| u32::from_le_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
        let (command, arg0, arg1, len, magic) =
            (word(0), word(4), word(8), word(12) as usize, word(20));
        if magic != command ^ 0xffff_ffff || len > MAX_PAYLOAD {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "not an ADB message",
            ));
        }
        let mut payload = vec![0u8; len];
        r.read_exact(&mut payload)?;
        Ok(Message {
            command,
            arg0,
            arg1,
            payload,
        })
    }
}

struct Stream {
    remote: u32,
    pending: VecDeque<Vec<u8>>,
}

/// A streamed install receiving its package.
struct Upload {
    remote: u32,
    size: usize,
    bytes: Vec<u8>,
}

/// The most bytes a streamed install may send to the simulated device.
const MAX_UPLOAD: usize = 64 << 20;

/// For `cmd package install … -S SIZE` (how `adb install` streams a
/// package): the size to read from the stream's input.
pub(crate) fn install_size(command: &str) -> Option<usize> {
    let words: Vec<&str> = command.split_whitespace().collect();
    if words.get(..3) != Some(&["cmd", "package", "install"][..]) {
        return None;
    }
    let at = words.iter().position(|w| *w == "-S")?;
    words
        .get(at + 1)?
        .parse::<usize>()
        .ok()
        .filter(|&n| n > 0 && n <= MAX_UPLOAD)
}

/// Serves one simulated device on a listener until a fault stops it.
pub fn serve(listener: TcpListener, sim: Sim, faults: Faults) -> std::io::Result<()> {
    let sim = Arc::new(Mutex::new(sim));
    let commands = Arc::new(AtomicUsize::new(0));
    let stopped = Arc::new(AtomicBool::new(false));
    let open = Arc::new(AtomicUsize::new(0));
    for conn in listener.incoming() {
        if stopped.load(Ordering::SeqCst) {
            break;
        }
        let conn = match conn {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("accept failed: {e}");
                continue;
            }
        };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            tracing::warn!("refused a connection: {MAX_CONNECTIONS} are open already");
            drop(conn);
            continue;
        }
        let (sim, commands, stop, faults, open) = (
            sim.clone(),
            commands.clone(),
            stopped.clone(),
            faults.clone(),
            open.clone(),
        );
        std::thread::spawn(move || {
            if let Err(e) = connection(conn, &sim, &commands, &faults, &stop) {
                tracing::debug!("adb connection ended: {e}");
            }
            open.fetch_sub(1, Ordering::SeqCst);
        });
        if stopped.load(Ordering::SeqCst) {
            break;
        }
    }
    Ok(())
}

/// The writing half of a connection, shared by the command threads.
type Writer = Arc<Mutex<TcpStream>>;

fn send(w: &Writer, m: Message) -> std::io::Result<()> {
    w.lock()
        .unwrap_or_else(|p| p.into_inner())
        .write_all(&m.encode())
}

fn connection(
    conn: TcpStream,
    sim: &Arc<Mutex<Sim>>,
    commands: &AtomicUsize,
    faults: &Faults,
    stopped: &AtomicBool,
) -> std::io::Result<()> {
    let _ = conn.set_nodelay(true);
    conn.set_write_timeout(Some(MESSAGE_TIMEOUT))?;
    let mut reader = conn.try_clone()?;
    let writer: Writer = Arc::new(Mutex::new(conn));
    // Streams whose output is being sent, and commands still running: each
    // command runs on a thread of its own, so a slow one never keeps this
    // loop from serving the next.
    let streams: Arc<Mutex<HashMap<u32, Stream>>> = Arc::new(Mutex::new(HashMap::new()));
    let running = Arc::new(AtomicUsize::new(0));
    let lock_streams =
        |s: &Mutex<HashMap<u32, Stream>>| s.lock().unwrap_or_else(|p| p.into_inner()).len();
    let mut next_id = 1u32;
    let mut max_payload = 4096usize;
    // Streamed installs waiting for their package bytes, by local id.
    let mut uploads: HashMap<u32, Upload> = HashMap::new();
    // A host first says who it is (CNXN) within HANDSHAKE_TIMEOUT; a
    // connection that does not is dropped, so idle sockets cannot hold the
    // device's connection slots.
    let mut connected = false;
    loop {
        let idle = if connected {
            IDLE_TIMEOUT
        } else {
            HANDSHAKE_TIMEOUT
        };
        let Some(m) = Message::read_timed(&mut reader, idle)? else {
            break;
        };
        if !connected && m.command != A_CNXN {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "the host spoke before its CNXN",
            ));
        }
        match m.command {
            A_CNXN | A_AUTH => {
                // This device never asks for a key; a host that offers one
                // anyway is told who we are again.
                if m.command == A_CNXN {
                    max_payload = (m.arg1 as usize).clamp(4096, MAX_PAYLOAD);
                    connected = true;
                }
                let banner = Message::new(
                    A_CNXN,
                    VERSION,
                    MAX_PAYLOAD as u32,
                    BANNER.as_bytes().to_vec(),
                );
                send(&writer, banner)?;
            }
            A_OPEN => {
                let remote = m.arg0;
                let service = String::from_utf8_lossy(&m.payload)
                    .trim_end_matches('\0')
                    .to_string();
                let n = commands.fetch_add(1, Ordering::SeqCst) + 1;
                if faults.drop_after.is_some_and(|k| n > k) {
                    // Fault: the device vanishes (cable pulled, emulator killed).
                    stopped.store(true, Ordering::SeqCst);
                    if let Ok(w) = writer.lock() {
                        let _ = w.shutdown(std::net::Shutdown::Both);
                    }
                    tracing::warn!("fault injection: dropped the connection at command {n}");
                    std::process::exit(0);
                }
                let command = service
                    .strip_prefix("exec:")
                    .or_else(|| service.strip_prefix("shell:"))
                    .filter(|c| !c.trim().is_empty())
                    .map(str::to_string);
                let busy = lock_streams(&streams) + running.load(Ordering::SeqCst) + uploads.len();
                let Some(command) = command.filter(|_| busy < MAX_STREAMS) else {
                    // Interactive shells, sync:, reboot: … are not offered,
                    // nor more than MAX_STREAMS streams at once.
                    send(&writer, Message::new(A_CLSE, 0, remote, Vec::new()))?;
                    continue;
                };
                let local = next_id;
                next_id = next_id.wrapping_add(1).max(1);
                if let Some(size) = install_size(&command) {
                    // A streamed install (`adb install`): the package comes
                    // as the stream's input; it runs once all of it arrived.
                    uploads.insert(
                        local,
                        Upload {
                            remote,
                            size,
                            bytes: Vec::new(),
                        },
                    );
                    send(&writer, Message::new(A_OKAY, local, remote, Vec::new()))?;
                    continue;
                }
                let (sim, writer, streams, running) = (
                    sim.clone(),
                    writer.clone(),
                    streams.clone(),
                    running.clone(),
                );
                running.fetch_add(1, Ordering::SeqCst);
                std::thread::spawn(move || {
                    let out = run_unlocked_latency(&sim, &command);
                    let mut pending: VecDeque<Vec<u8>> =
                        out.stdout.chunks(max_payload).map(<[u8]>::to_vec).collect();
                    let first = pending.pop_front();
                    if first.is_some() {
                        // Registered before the first write, so the host's
                        // OKAY for it finds the stream.
                        streams
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .insert(local, Stream { remote, pending });
                    }
                    running.fetch_sub(1, Ordering::SeqCst);
                    let _ = send(&writer, Message::new(A_OKAY, local, remote, Vec::new()));
                    let _ = match first {
                        Some(chunk) => send(&writer, Message::new(A_WRTE, local, remote, chunk)),
                        None => send(&writer, Message::new(A_CLSE, local, remote, Vec::new())),
                    };
                });
            }
            A_OKAY => {
                // The host took our last write: send the next, or close.
                let local = m.arg1;
                let next = {
                    let mut st = streams.lock().unwrap_or_else(|p| p.into_inner());
                    match st.get_mut(&local) {
                        Some(s) => match s.pending.pop_front() {
                            Some(chunk) => Some(Message::new(A_WRTE, local, s.remote, chunk)),
                            None => {
                                let remote = s.remote;
                                st.remove(&local);
                                Some(Message::new(A_CLSE, local, remote, Vec::new()))
                            }
                        },
                        None => None,
                    }
                };
                if let Some(msg) = next {
                    send(&writer, msg)?;
                }
            }
            A_WRTE => {
                // Input to a command (stdin): taken and acknowledged.
                send(&writer, Message::new(A_OKAY, m.arg1, m.arg0, Vec::new()))?;
                let local = m.arg1;
                let done = match uploads.get_mut(&local) {
                    Some(u) => {
                        u.bytes.extend_from_slice(&m.payload);
                        u.bytes.len() >= u.size
                    }
                    None => false,
                };
                if let Some(u) = done.then(|| uploads.remove(&local)).flatten() {
                    let out = sim
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .install_file(&u.bytes[..u.size]);
                    let mut pending: VecDeque<Vec<u8>> =
                        out.stdout.chunks(max_payload).map(<[u8]>::to_vec).collect();
                    match pending.pop_front() {
                        Some(chunk) => {
                            streams.lock().unwrap_or_else(|p| p.into_inner()).insert(
                                local,
                                Stream {
                                    remote: u.remote,
                                    pending,
                                },
                            );
                            send(&writer, Message::new(A_WRTE, local, u.remote, chunk))?;
                        }
                        None => send(&writer, Message::new(A_CLSE, local, u.remote, Vec::new()))?,
                    }
                }
            }
            A_CLSE => {
                uploads.remove(&m.arg1);
                let gone = streams
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&m.arg1);
                if let Some(s) = gone {
                    send(&writer, Message::new(A_CLSE, m.arg1, s.remote, Vec::new()))?;
                }
            }
            other => tracing::debug!("ignored ADB message {other:#x}"),
        }
    }
    Ok(())
}

/// Runs a command after waiting out its modelled latency without the
/// lock: the device is held only for the command itself, so commands on
/// other streams run meanwhile, as on a phone. The answer is the device as
/// the latency ends (a phone's `cmd appops` reports "… ago" from when it
/// ran, after its start-up).
fn run_unlocked_latency(sim: &Mutex<Sim>, command: &str) -> super::ShellOutput {
    let lock = || sim.lock().unwrap_or_else(|p| p.into_inner());
    let latency = lock().latency.of_command(command);
    std::thread::sleep(latency);
    let mut s = lock();
    let saved = std::mem::take(&mut s.latency);
    let out = s.shell(command);
    s.latency = saved;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip() {
        let m = Message::new(A_WRTE, 3, 7, b"hello".to_vec());
        let bytes = m.encode();
        assert_eq!(&bytes[..4], b"WRTE");
        assert_eq!(Message::read(&mut &bytes[..]).unwrap(), Some(m));
    }

    #[test]
    fn bad_magic_is_refused() {
        let mut bytes = Message::new(A_OKAY, 1, 2, Vec::new()).encode();
        bytes[20] ^= 1;
        assert!(Message::read(&mut &bytes[..]).is_err());
    }
}

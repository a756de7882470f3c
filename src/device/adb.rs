//! Devices behind an adb server: an emulator, a phone over USB or TCP, or
//! the simulated device served by `consentry sim serve`.
//!
//! Every request is spoken by hand on the server's smart socket, with a
//! deadline on every read and write: server-level requests (version, device
//! list, `adb connect`) and one `exec:` stream per device command (a
//! `shell:` PTY would rewrite the bytes of a PNG). Nothing here ever starts
//! an adb server, so `--adb-server` names the only server used.
//!
//! What a device prints is read up to a cap per command
//! ([`output_cap`]): a device that streams without end costs a bounded
//! buffer and a clear error, not the machine's memory.

use std::io::{Read, Write};
use std::net::{SocketAddr, SocketAddrV4, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use super::{DeviceError, ShellOutput, Transport};

/// The default adb server address.
pub const DEFAULT_SERVER: &str = "127.0.0.1:5037";

/// Where the adb server is: `--adb-server`, else `ADB_SERVER_SOCKET`
/// (`tcp:host:port`), else `ANDROID_ADB_SERVER_PORT` on localhost, else 5037.
pub fn server_address(flag: Option<&str>) -> Result<SocketAddrV4, DeviceError> {
    let text = match flag {
        Some(f) => f.to_string(),
        None => match std::env::var("ADB_SERVER_SOCKET") {
            Ok(s) => s.trim_start_matches("tcp:").to_string(),
            Err(_) => match std::env::var("ANDROID_ADB_SERVER_PORT") {
                Ok(p) => format!("127.0.0.1:{p}"),
                Err(_) => DEFAULT_SERVER.to_string(),
            },
        },
    };
    let bad = |detail: String| DeviceError::Server {
        addr: text.clone(),
        detail,
    };
    let addrs: Vec<SocketAddr> = text
        .to_socket_addrs()
        .map_err(|e| bad(format!("not a host:port address ({e})")))?
        .collect();
    addrs
        .into_iter()
        .find_map(|a| match a {
            SocketAddr::V4(v4) => Some(v4),
            SocketAddr::V6(_) => None,
        })
        .ok_or_else(|| bad("no IPv4 address".into()))
}

/// One adb server.
#[derive(Debug, Clone)]
pub struct AdbServer {
    addr: SocketAddrV4,
    timeout: Duration,
}

/// A device as the server lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Serial.
    pub serial: String,
    /// `device`, `offline`, `unauthorized` …
    pub state: String,
}

impl AdbServer {
    /// A server at this address.
    pub fn new(addr: SocketAddrV4) -> Self {
        Self {
            addr,
            timeout: Duration::from_secs(20),
        }
    }

    /// The address.
    pub fn addr(&self) -> SocketAddrV4 {
        self.addr
    }

    fn server_error(&self, detail: impl std::fmt::Display) -> DeviceError {
        DeviceError::Server {
            addr: self.addr.to_string(),
            detail: detail.to_string(),
        }
    }

    /// One host request answered with a length-prefixed payload
    /// (`host:version`, `host:devices`, `host:connect:…`).
    fn host_query(&self, service: &str) -> Result<String, DeviceError> {
        let mut s = TcpStream::connect_timeout(&SocketAddr::V4(self.addr), Duration::from_secs(3))
            .map_err(|e| self.server_error(e))?;
        let t = Some(Duration::from_secs(10));
        let _ = s.set_read_timeout(t);
        let _ = s.set_write_timeout(t);
        let io = |e: StreamError| match e {
            StreamError::Failed(m) => self.server_error(m),
            StreamError::Timeout => self.server_error("no answer within 10 s"),
            StreamError::Io(e) => self.server_error(e),
        };
        request(&mut s, service).map_err(io)?;
        let msg = read_hex_payload(&mut s).map_err(io)?;
        Ok(String::from_utf8_lossy(&msg).into_owned())
    }

    /// Checks that a server answers (without starting one).
    pub fn ping(&self) -> Result<(), DeviceError> {
        self.host_query("host:version").map(drop)
    }

    /// The devices it knows.
    pub fn devices(&self) -> Result<Vec<Listed>, DeviceError> {
        let text = self.host_query("host:devices")?;
        Ok(parse_device_list(&text))
    }

    /// `adb connect host:port`.
    pub fn connect(&self, device: SocketAddrV4) -> Result<(), DeviceError> {
        let answer = self.host_query(&format!("host:connect:{device}"))?;
        if answer.contains("connected to") {
            Ok(())
        } else {
            Err(self.server_error(format!("adb connect {device}: {}", answer.trim())))
        }
    }

    /// Checks that `serial` is connected and usable.
    pub fn check_device(&self, serial: &str) -> Result<(), DeviceError> {
        let list = self.devices()?;
        match list.iter().find(|d| d.serial == serial) {
            Some(d) if d.state == "device" => Ok(()),
            Some(d) if d.state == "unauthorized" => Err(DeviceError::Unauthorized {
                serial: serial.into(),
            }),
            Some(d) => Err(DeviceError::Offline {
                serial: serial.into(),
                detail: format!("the adb server lists it as `{}`", d.state),
            }),
            None => Err(DeviceError::NotFound {
                serial: serial.into(),
                detail: if list.is_empty() {
                    "the adb server lists no device: start an emulator (`emulator -avd NAME`), plug in a phone with USB debugging on, or `adb connect HOST:PORT`".into()
                } else {
                    format!(
                        "connected: {}",
                        list.iter()
                            .map(|d| format!("{} ({})", d.serial, d.state))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
            }),
        }
    }

    /// Opens a stream to a device service (`exec:…`, `shell:…`).
    fn open(
        &self,
        serial: &str,
        service: &str,
        deadline: Instant,
    ) -> Result<TcpStream, DeviceError> {
        let mut s = TcpStream::connect_timeout(&SocketAddr::V4(self.addr), Duration::from_secs(3))
            .map_err(|e| self.server_error(e))?;
        let left = deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1));
        let _ = s.set_read_timeout(Some(left));
        let _ = s.set_write_timeout(Some(left));
        let _ = s.set_nodelay(true);
        request(&mut s, &format!("host:transport:{serial}"))
            .map_err(|e| self.device_error(serial, service, e))?;
        request(&mut s, service).map_err(|e| self.device_error(serial, service, e))?;
        Ok(s)
    }

    fn device_error(&self, serial: &str, command: &str, e: StreamError) -> DeviceError {
        match e {
            StreamError::Failed(msg) if msg.contains("unauthorized") => DeviceError::Unauthorized {
                serial: serial.into(),
            },
            StreamError::Failed(msg)
                if msg.contains("not found")
                    || msg.contains("offline")
                    || msg.contains("no devices") =>
            {
                DeviceError::Offline {
                    serial: serial.into(),
                    detail: msg,
                }
            }
            StreamError::Failed(msg) => match self.check_device(serial) {
                // The server refused the stream because the device is gone.
                Err(gone) => gone,
                Ok(()) => DeviceError::Command {
                    serial: serial.into(),
                    command: command.into(),
                    output: msg,
                },
            },
            StreamError::Timeout => DeviceError::Timeout {
                serial: serial.into(),
                command: command.into(),
                secs: self.timeout.as_secs_f64(),
            },
            StreamError::Io(e) => DeviceError::Offline {
                serial: serial.into(),
                detail: format!("connection lost: {e}"),
            },
        }
    }
}

enum StreamError {
    Failed(String),
    Timeout,
    Io(std::io::Error),
}

impl From<std::io::Error> for StreamError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => StreamError::Timeout,
            _ => StreamError::Io(e),
        }
    }
}

/// The lines of `host:devices`: `serial<TAB>state`.
pub fn parse_device_list(text: &str) -> Vec<Listed> {
    text.lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let serial = f.next()?.to_string();
            let state = f.next().unwrap_or("unknown").to_lowercase();
            Some(Listed { serial, state })
        })
        .collect()
}

/// The most bytes a host reply or a FAIL message may carry (a 4-digit hex length).
const MAX_HOST_REPLY: usize = 0xffff;

/// Reads a `%04x`-length-prefixed payload.
fn read_hex_payload(s: &mut TcpStream) -> Result<Vec<u8>, StreamError> {
    let mut len = [0u8; 4];
    s.read_exact(&mut len)?;
    let n = std::str::from_utf8(&len)
        .ok()
        .and_then(|t| usize::from_str_radix(t, 16).ok())
        .ok_or_else(|| {
            StreamError::Failed(format!("bad length {:?}", String::from_utf8_lossy(&len)))
        })?;
    let mut msg = vec![0u8; n.min(MAX_HOST_REPLY)];
    s.read_exact(&mut msg)?;
    Ok(msg)
}

/// The most bytes read from one device command: a raw screenshot of a
/// 1440×3200 screen is 18 MB, so a screencap may send 64 MiB; anything
/// else (a hierarchy dump, dumpsys) 16 MiB. Past the cap the command fails
/// with a device error instead of buffering on.
pub fn output_cap(command: &str) -> usize {
    if command.starts_with("screencap") {
        64 << 20
    } else {
        16 << 20
    }
}

/// Sends one smart-socket request (`%04x` length + text) and reads OKAY/FAIL.
fn request(s: &mut TcpStream, what: &str) -> Result<(), StreamError> {
    s.write_all(format!("{:04x}{what}", what.len()).as_bytes())?;
    let mut status = [0u8; 4];
    s.read_exact(&mut status)?;
    match &status {
        b"OKAY" => Ok(()),
        b"FAIL" => {
            let msg = read_hex_payload(s)?;
            Err(StreamError::Failed(
                String::from_utf8_lossy(&msg).into_owned(),
            ))
        }
        other => Err(StreamError::Failed(format!(
            "unexpected reply {:?}",
            String::from_utf8_lossy(other)
        ))),
    }
}

/// A device behind an adb server.
pub struct AdbTransport {
    server: AdbServer,
    serial: String,
}

impl AdbTransport {
    /// Drives `serial` through `server`, after checking that it is there.
    pub fn connect(server: AdbServer, serial: &str) -> Result<AdbTransport, DeviceError> {
        server.check_device(serial)?;
        Ok(AdbTransport {
            server,
            serial: serial.to_string(),
        })
    }

    /// Sets the per-command timeout.
    pub fn with_timeout(mut self, t: Duration) -> Self {
        self.server.timeout = t;
        self
    }
}

impl AdbTransport {
    /// Runs one command on a stream of its own.
    fn exec(&self, command: &str) -> Result<ShellOutput, DeviceError> {
        let deadline = Instant::now() + self.server.timeout;
        let service = format!("exec:{command}");
        let mut s = self.server.open(&self.serial, &service, deadline)?;
        self.read_output(&mut s, command, deadline)
    }

    /// Reads a command's whole output until the device closes the stream,
    /// within the deadline and at most [`output_cap`] bytes.
    fn read_output(
        &self,
        s: &mut TcpStream,
        command: &str,
        deadline: Instant,
    ) -> Result<ShellOutput, DeviceError> {
        let mut out = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        let cap = output_cap(command);
        loop {
            if Instant::now() > deadline {
                return Err(self
                    .server
                    .device_error(&self.serial, command, StreamError::Timeout));
            }
            match s.read(&mut buf) {
                Ok(0) => break,
                Ok(n) if out.len() + n > cap => {
                    return Err(DeviceError::Command {
                        serial: self.serial.clone(),
                        command: command.into(),
                        output: format!(
                            "the device sent more than {} MiB, the most this command may print",
                            cap >> 20
                        ),
                    })
                }
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.server.device_error(&self.serial, command, e.into())),
            }
        }
        // `exec:` carries no exit status; the driver reads failures from the output.
        Ok(ShellOutput {
            stdout: out,
            status: 0,
        })
    }
}

impl Transport for AdbTransport {
    fn serial(&self) -> &str {
        &self.serial
    }

    fn shell(&mut self, command: &str) -> Result<ShellOutput, DeviceError> {
        self.exec(command)
    }

    fn shell_all(&mut self, commands: &[String]) -> Vec<Result<ShellOutput, DeviceError>> {
        if commands.len() < 2 {
            return commands.iter().map(|c| self.exec(c)).collect();
        }
        // One stream each, all open at once: the server multiplexes them
        // over its one connection to the device.
        let this = &*self;
        std::thread::scope(|scope| {
            let running: Vec<_> = commands
                .iter()
                .map(|c| scope.spawn(move || this.exec(c)))
                .collect();
            running
                .into_iter()
                .zip(commands)
                .map(|(h, c)| {
                    h.join().unwrap_or_else(|_| {
                        Err(DeviceError::Command {
                            serial: this.serial.clone(),
                            command: c.clone(),
                            output: "the command's reader stopped".into(),
                        })
                    })
                })
                .collect()
        })
    }

    fn shell_input(&mut self, command: &str, input: &[u8]) -> Result<ShellOutput, DeviceError> {
        // A package may take a while to send and install.
        let deadline = Instant::now() + self.server.timeout.max(Duration::from_secs(120));
        let service = format!("exec:{command}");
        let mut s = self.server.open(&self.serial, &service, deadline)?;
        s.write_all(input)
            .map_err(|e| self.server.device_error(&self.serial, command, e.into()))?;
        self.read_output(&mut s, command, deadline)
    }

    fn check(&mut self) -> Result<(), DeviceError> {
        self.server.check_device(&self.serial)
    }
}

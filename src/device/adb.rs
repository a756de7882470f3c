//! Devices behind an adb server: an emulator, a phone over USB or TCP, or
//! the simulated device served by `consentry sim serve`.
//!
//! Server-level requests (version, device list, `adb connect`) go through
//! the `adb_client` crate. Each device command is an `exec:` stream opened
//! by hand on the server's smart socket, because `adb_client` sets no
//! timeout on its sockets and its `shell:` path would let a PTY rewrite the
//! bytes of a PNG; here every read and write has a deadline.

use std::io::{Read, Write};
use std::net::{SocketAddr, SocketAddrV4, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use adb_client::server::ADBServer;

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

    /// Checks that a server answers (without starting one).
    pub fn ping(&self) -> Result<(), DeviceError> {
        TcpStream::connect_timeout(&SocketAddr::V4(self.addr), Duration::from_secs(3))
            .map_err(|e| self.server_error(e))?;
        ADBServer::new(self.addr)
            .version()
            .map(drop)
            .map_err(|e| self.server_error(e))
    }

    /// The devices it knows.
    pub fn devices(&self) -> Result<Vec<Listed>, DeviceError> {
        self.ping()?;
        let list = ADBServer::new(self.addr)
            .devices()
            .map_err(|e| self.server_error(e))?;
        Ok(list
            .into_iter()
            .map(|d| Listed {
                serial: d.identifier,
                state: d.state.to_string().to_lowercase(),
            })
            .collect())
    }

    /// `adb connect host:port`.
    pub fn connect(&self, device: SocketAddrV4) -> Result<(), DeviceError> {
        self.ping()?;
        ADBServer::new(self.addr)
            .connect_device(device)
            .map_err(|e| self.server_error(e))
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

/// Sends one smart-socket request (`%04x` length + text) and reads OKAY/FAIL.
fn request(s: &mut TcpStream, what: &str) -> Result<(), StreamError> {
    s.write_all(format!("{:04x}{what}", what.len()).as_bytes())?;
    let mut status = [0u8; 4];
    s.read_exact(&mut status)?;
    match &status {
        b"OKAY" => Ok(()),
        b"FAIL" => {
            let mut len = [0u8; 4];
            s.read_exact(&mut len)?;
            let n =
                usize::from_str_radix(std::str::from_utf8(&len).unwrap_or("0"), 16).unwrap_or(0);
            let mut msg = vec![0u8; n];
            s.read_exact(&mut msg)?;
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

impl Transport for AdbTransport {
    fn serial(&self) -> &str {
        &self.serial
    }

    fn shell(&mut self, command: &str) -> Result<ShellOutput, DeviceError> {
        let deadline = Instant::now() + self.server.timeout;
        let service = format!("exec:{command}");
        let mut s = self.server.open(&self.serial, &service, deadline)?;
        let mut out = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            if Instant::now() > deadline {
                return Err(self
                    .server
                    .device_error(&self.serial, command, StreamError::Timeout));
            }
            match s.read(&mut buf) {
                Ok(0) => break,
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

    fn check(&mut self) -> Result<(), DeviceError> {
        self.server.check_device(&self.serial)
    }
}

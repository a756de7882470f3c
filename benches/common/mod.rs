//! What the benches through adb share: a private adb server and simulated
//! devices served behind it at a phone's latencies.

use std::net::TcpListener;
use std::process::Command;
use std::time::Duration;

use consentry::device::adb::AdbServer;

/// A private adb server on a free port; `None` (said) when adb is missing.
pub fn start_adb_server() -> Option<(AdbServer, u16)> {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let started = Command::new("adb")
        .arg("start-server")
        .env("ANDROID_ADB_SERVER_PORT", port.to_string())
        .status()
        .is_ok_and(|s| s.success());
    if !started {
        eprintln!("adb is not installed: apt-get install adb");
        return None;
    }
    let server = AdbServer::new(format!("127.0.0.1:{port}").parse().unwrap());
    Some((server, port))
}

/// Stops the adb server started on `port`.
pub fn stop_adb_server(port: u16) {
    let _ = Command::new("adb")
        .arg("kill-server")
        .env("ANDROID_ADB_SERVER_PORT", port.to_string())
        .status();
}

/// Serves a simulated device with the bundled apps at `latency` on its
/// own port and thread, connects it to `server` and waits until it is
/// listed; returns its serial.
pub fn serve_sim(server: &AdbServer, latency: &consentry::sim::Latency) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let serial = listener.local_addr().unwrap().to_string();
    let mut sim = consentry::sim::Sim::new(
        &serial,
        consentry::sim::bundled_apps().unwrap(),
        consentry::sim::Clock::Real,
    )
    .unwrap();
    sim.latency = latency.clone();
    std::thread::spawn(move || consentry::sim::adbd::serve(listener, sim, Default::default()));
    server.connect(serial.parse().unwrap()).unwrap();
    for _ in 0..50 {
        if server.check_device(&serial).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    serial
}

//! The in-process simulated device behind the [`Transport`] seam: the
//! runner drives it through the same [`AndroidDevice`] as a real phone.

use std::time::Duration;

use super::Sim;
use crate::device::{AndroidDevice, DeviceError, ShellOutput, Transport};

/// The in-process simulated device as a transport.
pub struct SimTransport {
    sim: Sim,
}

impl SimTransport {
    /// Wraps a simulated device.
    pub fn new(sim: Sim) -> Self {
        Self { sim }
    }
}

impl Transport for SimTransport {
    fn serial(&self) -> &str {
        self.sim.serial()
    }

    fn shell(&mut self, command: &str) -> Result<ShellOutput, DeviceError> {
        Ok(self.sim.shell(command))
    }

    fn sleep(&mut self, d: Duration) {
        self.sim.sleep(d)
    }

    fn shell_input(&mut self, command: &str, input: &[u8]) -> Result<ShellOutput, DeviceError> {
        if command.starts_with("cmd package install") {
            return Ok(self.sim.install_file(input));
        }
        Ok(self.sim.shell(command))
    }

    fn clock_ms(&self) -> Option<u64> {
        (self.sim.clock == crate::sim::Clock::Virtual).then(|| self.sim.now_ms())
    }
}

/// A simulated device with the bundled example apps and `extra` app models,
/// on the default screen.
pub fn sim_device(
    serial: &str,
    extra: Vec<crate::sim::model::AppModel>,
) -> Result<AndroidDevice<SimTransport>, crate::sim::model::ModelError> {
    sim_device_on(serial, extra, crate::sim::Display::default())
}

/// A simulated device with the bundled example apps and `extra` app models,
/// on the given screen.
pub fn sim_device_on(
    serial: &str,
    extra: Vec<crate::sim::model::AppModel>,
    display: crate::sim::Display,
) -> Result<AndroidDevice<SimTransport>, crate::sim::model::ModelError> {
    let mut apps = crate::sim::bundled_apps()?;
    apps.extend(extra);
    let sim = Sim::new(serial, apps, crate::sim::Clock::Virtual)?.with_display(display);
    // In process, raw pixels would only add a copy: the PNG is encoded
    // here either way.
    Ok(AndroidDevice::new(SimTransport::new(sim)).with_screencap(crate::device::Screencap::Png))
}

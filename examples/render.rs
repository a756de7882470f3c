fn main() {
    let apps = consentry::sim::bundled_apps().unwrap();
    let mut sim = consentry::sim::Sim::new("sim", apps, consentry::sim::Clock::Virtual).unwrap();
    let cmds: Vec<String> = std::env::args().skip(1).collect();
    for c in &cmds {
        let out = sim.shell(c);
        if c.starts_with("screencap") {
            std::fs::write("/tmp/shot.png", &out.stdout).unwrap();
        } else {
            println!("$ {c}\n{}", String::from_utf8_lossy(&out.stdout));
        }
    }
}

//! The Debian packages consentry needs: one list, the `packages=( … )`
//! array of `scripts/install-deps`, which that script installs and every
//! error that names a missing package points to.

/// The install script as shipped, embedded at build time.
const SCRIPT: &str = include_str!("../scripts/install-deps");

/// The packages of `scripts/install-deps`'s list, in its order.
pub fn apt_packages() -> Vec<&'static str> {
    SCRIPT
        .lines()
        .skip_while(|l| l.trim() != "packages=(")
        .skip(1)
        .take_while(|l| l.trim() != ")")
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|p| !p.is_empty())
        .collect()
}

/// What to tell a user who lacks `package`: the command that installs it
/// and the script that installs everything consentry uses.
pub fn install_hint(package: &str) -> String {
    format!("install it with `apt-get install {package}` (`scripts/install-deps` installs every package consentry uses)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::model::FontChoice;

    fn assert_listed(package: &str, named_by: &str) {
        assert!(
            apt_packages().contains(&package),
            "{named_by} names the package `{package}`, which the list in scripts/install-deps lacks: it would not be installed"
        );
    }

    #[test]
    fn every_font_the_simulated_device_offers_is_on_the_list() {
        for choice in FontChoice::ALL {
            if let Some(package) = crate::sim::render::font_package(choice) {
                assert_listed(package, &format!("the app-model font `{}`", choice.name()));
            }
        }
        for (_, _, package) in crate::sim::render::FONT_PATHS {
            assert_listed(package, "the default font's search list");
        }
    }

    #[test]
    fn every_ocr_language_is_on_the_list() {
        for lang in crate::perception::ocr::LANGUAGES.split('+') {
            assert_listed(
                &crate::perception::ocr::language_package(lang),
                "the OCR languages",
            );
        }
    }

    /// Every package named in the code, the tests and the benches (`apt-get
    /// install X` in hints and messages, "Debian package `X`") is listed.
    #[test]
    fn every_package_named_in_code_is_on_the_list() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["src", "tests", "benches"] {
            collect_rs(&root.join(dir), &mut files);
        }
        let mut named = Vec::new();
        // This file's own examples are not the code's.
        files.retain(|f| !f.ends_with("src/deps.rs"));
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            for package in named_packages(&text) {
                assert_listed(&package, &file.display().to_string());
                named.push(package);
            }
        }
        for expected in ["adb", "chromium", "libxml2-utils", "tesseract-ocr"] {
            assert!(
                named.iter().any(|p| p == expected),
                "{expected} not found in {named:?}"
            );
        }
    }

    /// The packages a text names: the words after `apt-get install` up to
    /// the end of the command, and the word in "Debian package `X`".
    /// Placeholders (`{package}`, `tesseract-ocr-{pkg}`) are skipped.
    fn named_packages(text: &str) -> Vec<String> {
        let word = |w: &str| -> (String, bool) {
            let p: String = w
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "-.+".contains(*c))
                .collect();
            let whole = p.len() == w.len();
            (p, whole)
        };
        let mut out = Vec::new();
        for (i, _) in text.match_indices("apt-get install ") {
            for w in text[i + 16..].split_whitespace() {
                if w.starts_with('-') {
                    continue;
                }
                let (p, whole) = word(w);
                if !p.is_empty() && !p.ends_with('-') {
                    out.push(p);
                }
                if !whole {
                    break;
                }
            }
        }
        for (i, _) in text.match_indices("Debian package `") {
            let (p, _) = word(&text[i + 16..]);
            if !p.is_empty() {
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn packages_are_read_from_hints() {
        assert_eq!(
            named_packages("x `apt-get install -y adb chromium` or `apt-get install {package}` (Debian package `libxml2-utils`) apt-get install tesseract-ocr-{pkg}"),
            ["adb", "chromium", "libxml2-utils"]
        );
    }

    fn collect_rs(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect_rs(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
}

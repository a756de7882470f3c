//! `consentry merge`: joins reports (typically shards of one suite run on
//! several machines) into one folder: report.json, index.html, junit.xml
//! and the frames, each source's frames under `frames/mK/`.

use std::path::{Path, PathBuf};

use super::{annotate::annotated_path, Report};

/// Why reports could not be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A report could not be read.
    #[error("{0}")]
    Read(String),
    /// Writing failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// What.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// A screenshot path of a report as a plain relative path inside its
/// folder: no root, no `..`, no `.`; else `None`.
fn inside(shot: &str) -> Option<PathBuf> {
    use std::path::Component;
    let p = Path::new(shot);
    let mut clean = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(n) => clean.push(n),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!clean.as_os_str().is_empty()).then_some(clean)
}

/// The file a report's screenshot path names, when it is a regular file of
/// a screenshot's size inside the report's folder (symbolic links are
/// resolved, and must stay inside too).
fn source_in(dir: &Path, shot: &str) -> Option<PathBuf> {
    let rel = inside(shot)?;
    let root = dir.canonicalize().ok()?;
    let real = root.join(rel).canonicalize().ok()?;
    (real.starts_with(&root)
        && crate::files::check(&real, crate::files::MAX_IMAGE, "screenshot").is_ok())
    .then_some(real)
}

fn relocate(shot: &str, k: usize) -> String {
    let shot = inside(shot).map_or_else(
        || "outside".to_string(),
        |p| p.to_string_lossy().replace('\\', "/"),
    );
    let shot = shot.as_str();
    match shot.strip_prefix("frames/") {
        Some(rest) => format!("frames/m{k}/{rest}"),
        None => format!("frames/m{k}/{shot}"),
    }
}

fn copy(src: &Path, dst: &Path) -> Result<(), MergeError> {
    // The merged folder may be a shard's own: a file is never copied onto
    // itself (which would empty it).
    if dst.canonicalize().is_ok_and(|d| d == src) {
        return Ok(());
    }
    if let Some(d) = dst.parent() {
        std::fs::create_dir_all(d).map_err(|source| MergeError::Write {
            path: d.to_path_buf(),
            source,
        })?;
    }
    std::fs::copy(src, dst)
        .map(drop)
        .map_err(|source| MergeError::Write {
            path: dst.to_path_buf(),
            source,
        })
}

/// Merges the reports into `out` and returns the merged report.
pub fn merge(reports: &[PathBuf], out: &Path) -> Result<Report, MergeError> {
    std::fs::create_dir_all(out).map_err(|source| MergeError::Write {
        path: out.to_path_buf(),
        source,
    })?;
    let mut merged: Option<Report> = None;
    for (i, path) in reports.iter().enumerate() {
        let k = i + 1;
        let mut r = Report::read_json(path).map_err(MergeError::Read)?;
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        for run in &mut r.runs {
            let frames = run.frames.iter_mut().chain(
                run.failed_attempts
                    .iter_mut()
                    .flat_map(|a| a.frames.iter_mut()),
            );
            for f in frames {
                let new = relocate(&f.screenshot, k);
                if let Some(src) = source_in(dir, &f.screenshot) {
                    copy(&src, &out.join(&new))?;
                }
                if let Some(ann) = source_in(dir, &annotated_path(&f.screenshot)) {
                    copy(&ann, &out.join(annotated_path(&new)))?;
                }
                f.screenshot = new;
            }
        }
        merged = Some(match merged {
            None => r,
            Some(mut m) => {
                m.started = m.started.min(r.started);
                m.finished = m.finished.max(r.finished);
                m.complete &= r.complete;
                m.runs.extend(r.runs);
                for d in r.devices {
                    match m.devices.iter_mut().find(|x| x.serial == d.serial) {
                        Some(x) => {
                            x.scenarios += d.scenarios;
                            x.put_aside = x.put_aside.take().or(d.put_aside);
                        }
                        None => m.devices.push(d),
                    }
                }
                m
            }
        });
    }
    let merged = merged.ok_or_else(|| MergeError::Read("no report to merge".into()))?;
    merged.write_all(out).map_err(|source| MergeError::Write {
        path: out.to_path_buf(),
        source,
    })?;
    Ok(merged)
}

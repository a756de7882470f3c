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

fn relocate(shot: &str, k: usize) -> String {
    match shot.strip_prefix("frames/") {
        Some(rest) => format!("frames/m{k}/{rest}"),
        None => format!("frames/m{k}/{shot}"),
    }
}

fn copy(src: &Path, dst: &Path) -> Result<(), MergeError> {
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
        let dir = path.parent().unwrap_or(Path::new("."));
        for run in &mut r.runs {
            let frames = run.frames.iter_mut().chain(
                run.failed_attempts
                    .iter_mut()
                    .flat_map(|a| a.frames.iter_mut()),
            );
            for f in frames {
                let new = relocate(&f.screenshot, k);
                let src = dir.join(&f.screenshot);
                if src.is_file() {
                    copy(&src, &out.join(&new))?;
                }
                let ann = dir.join(annotated_path(&f.screenshot));
                if ann.is_file() {
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

//! Reading a file a user named: a regular file, no bigger than what its
//! kind can be, read with that bound. A FIFO, a device (`/dev/zero`), a
//! socket or a folder is refused at once, from its metadata, before it is
//! opened (opening a FIFO blocks until a writer comes).

use std::io::Read;
use std::path::Path;

/// At most this much of a report.json, a view hierarchy or a words file.
pub const MAX_TEXT: u64 = 256 << 20;
/// At most this much of a screenshot given to `inspect`.
pub const MAX_IMAGE: u64 = 64 << 20;
/// At most this much of an APK to install.
pub const MAX_APK: u64 = 2 << 30;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is {kind}, not a regular file: give the path of a file")]
    NotAFile { path: String, kind: &'static str },
    #[error("{path} is {size} bytes, more than the {limit} bytes a {what} may be")]
    TooBig {
        path: String,
        size: u64,
        limit: u64,
        what: &'static str,
    },
}

fn kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// Checks that `path` is a regular file of at most `limit` bytes, without
/// opening it; returns its size.
pub fn check(path: &Path, limit: u64, what: &'static str) -> Result<u64, ReadError> {
    let shown = crate::report::terminal::printable(&path.display().to_string());
    let meta = std::fs::metadata(path).map_err(|source| ReadError::Io {
        path: shown.clone(),
        source,
    })?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile {
            path: shown,
            kind: kind(&meta),
        });
    }
    if meta.len() > limit {
        return Err(ReadError::TooBig {
            path: shown,
            size: meta.len(),
            limit,
            what,
        });
    }
    Ok(meta.len())
}

/// Reads a regular file of at most `limit` bytes (`what` names its kind in
/// the error: "report.json", "view hierarchy").
pub fn read(path: &Path, limit: u64, what: &'static str) -> Result<Vec<u8>, ReadError> {
    check(path, limit, what)?;
    let shown = || crate::report::terminal::printable(&path.display().to_string());
    let file = std::fs::File::open(path).map_err(|source| ReadError::Io {
        path: shown(),
        source,
    })?;
    let mut bytes = Vec::new();
    // A file that grew since it was checked is still read only to its bound.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| ReadError::Io {
            path: shown(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooBig {
            path: shown(),
            size: bytes.len() as u64,
            limit,
            what,
        });
    }
    Ok(bytes)
}

/// Reads a regular UTF-8 text file of at most `limit` bytes.
pub fn read_text(path: &Path, limit: u64, what: &'static str) -> Result<String, ReadError> {
    let bytes = read(path, limit, what)?;
    String::from_utf8(bytes).map_err(|e| ReadError::Io {
        path: crate::report::terminal::printable(&path.display().to_string()),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_fifos_and_folders_are_refused_without_being_opened() {
        let e = read(Path::new("/dev/zero"), MAX_TEXT, "report.json").unwrap_err();
        assert!(e.to_string().contains("a character device"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        // Opening it would block forever: the refusal comes first.
        let e = read(&fifo, MAX_TEXT, "screenshot").unwrap_err();
        assert!(e.to_string().contains("FIFO"), "{e}");
        let e = read(dir.path(), MAX_TEXT, "screenshot").unwrap_err();
        assert!(e.to_string().contains("a folder"), "{e}");
    }

    #[test]
    fn a_file_over_its_bound_is_refused_from_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.apk");
        let f = std::fs::File::create(&p).unwrap();
        // Sparse: 8 GB that take no disk.
        f.set_len(8 << 30).unwrap();
        let e = read(&p, MAX_APK, "APK").unwrap_err();
        assert!(matches!(e, ReadError::TooBig { .. }), "{e}");
        assert!(e.to_string().contains("APK"), "{e}");
        std::fs::write(&p, b"ok").unwrap();
        assert_eq!(read(&p, MAX_APK, "APK").unwrap(), b"ok");
    }
}

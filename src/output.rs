//! Writing results: atomically (temp file in the same folder, sync, rename), and never over a
//! file cloudready did not write unless forced.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Writes `bytes` to `path` atomically. An existing file is replaced only when `force` is set or
/// `is_ours` recognises its content as cloudready's own earlier output.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    force: bool,
    is_ours: impl Fn(&[u8]) -> bool,
) -> Result<()> {
    write_atomic_with(
        path,
        force,
        |p| is_ours(&std::fs::read(p).unwrap_or_default()),
        |f| f.write_all(bytes),
    )
}

/// Streams output to `path` atomically: `fill` writes into a buffered temporary file beside it,
/// which replaces `path` only once complete and synced, so a large result never has to sit in
/// memory and a failure part-way leaves the old file as it was. `is_ours` is given the
/// existing file's path (it reads only what it needs to recognise cloudready's output).
pub fn write_atomic_streaming(
    path: &Path,
    force: bool,
    is_ours: impl Fn(&Path) -> bool,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    write_atomic_with(path, force, is_ours, |f| {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
        fill(&mut w)?;
        w.flush()
    })
}

/// Up to `n` bytes from the start of `path` (empty when it cannot be read).
pub fn head(path: &Path, n: u64) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    if let Ok(f) = std::fs::File::open(path) {
        let _ = f.take(n).read_to_end(&mut out);
    }
    out
}

/// The one implementation behind both writers, with the step that fills the temporary file
/// given, so a test can make it fail part-way (a full disk, a lost mount) and prove the target
/// is untouched.
fn write_atomic_with(
    path: &Path,
    force: bool,
    is_ours: impl Fn(&Path) -> bool,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<()> {
    let shown = path.display().to_string();
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(Error::Io {
                path: shown,
                message: "is a directory; give a file name".into(),
            });
        }
        Ok(_) if !force && !is_ours(path) => {
            return Err(Error::Io {
                path: shown,
                message: "exists and was not written by cloudready; pass --force to overwrite it"
                    .into(),
            });
        }
        _ => {}
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(Error::Io {
                path: shown,
                message: format!("{} is a file, not a folder", dir.display()),
            });
        }
        Err(_) => {
            return Err(Error::Io {
                path: shown,
                message: format!("folder {} does not exist; create it first", dir.display()),
            });
        }
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let mut tmp = None;
    for attempt in 0..100u32 {
        let candidate = dir.join(format!(
            ".{name}.cloudready-{}-{attempt}.tmp",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(f) => {
                tmp = Some((candidate, f));
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                let why = Error::io(&shown, &e);
                let why = match &why {
                    Error::Io { message, .. } => message.clone(),
                    other => other.to_string(),
                };
                return Err(Error::Io {
                    path: shown,
                    message: format!("cannot create a file in {}: {why}", dir.display()),
                });
            }
        }
    }
    let Some((tmp_path, mut f)) = tmp else {
        return Err(Error::Io {
            path: shown,
            message: "could not create a temporary file beside it".into(),
        });
    };
    let result = fill(&mut f).and_then(|_| f.sync_all()).and_then(|_| {
        drop(f);
        std::fs::rename(&tmp_path, path)
    });
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp_path);
        return Err(Error::io(&shown, &e));
    }
    // Make the rename itself durable where the platform allows.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_foreign_files_and_replaces_own() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.json");
        std::fs::write(&p, b"precious").unwrap();
        let err = write_atomic(&p, b"new", false, |b| b.starts_with(b"ours")).unwrap_err();
        assert!(err.to_string().contains("--force"));
        assert_eq!(std::fs::read(&p).unwrap(), b"precious");
        write_atomic(&p, b"ours 1", true, |_| false).unwrap();
        write_atomic(&p, b"ours 2", false, |b| b.starts_with(b"ours")).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"ours 2");
        // No temporary files are left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// The write fails after the temporary file exists and holds part of the new bytes: the
    /// target keeps its old bytes exactly and no temporary file is left.
    #[test]
    fn a_failed_write_leaves_the_old_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.json");
        std::fs::write(&p, b"old complete content").unwrap();
        let err = write_atomic_with(
            &p,
            true,
            |_| true,
            |f| {
                f.write_all(b"new")?;
                f.sync_all()?;
                Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
            },
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("out.json") && msg.contains("no space left"),
            "{msg}"
        );
        assert_eq!(std::fs::read(&p).unwrap(), b"old complete content");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "temporary file left behind: {left:?}");
        // And with no earlier file, a failed write leaves nothing at all.
        let q = dir.path().join("fresh.json");
        write_atomic_with(
            &q,
            false,
            |_| false,
            |_| Err(std::io::Error::other("disk went away")),
        )
        .unwrap_err();
        assert!(!q.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // The same call without the fault replaces the whole file.
        write_atomic_with(&p, true, |_| true, |f| f.write_all(b"new content")).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new content");
    }

    /// A streamed write that fails after many blocks (the serializer or the disk gave up)
    /// leaves the old file exactly as it was.
    #[test]
    fn a_failed_stream_leaves_the_old_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.json");
        std::fs::write(&p, b"old").unwrap();
        let err = write_atomic_streaming(
            &p,
            false,
            |old| head(old, 2) == b"ol",
            |w| {
                for _ in 0..1000 {
                    w.write_all(&[b'x'; 4096])?;
                }
                Err(std::io::Error::other("stopped"))
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("stopped"), "{err}");
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write_atomic_streaming(
            &p,
            false,
            |old| head(old, 2) == b"ol",
            |w| w.write_all(b"new"),
        )
        .unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        // Not ours any more by the test's rule, so not replaced without force.
        write_atomic_streaming(
            &p,
            false,
            |old| head(old, 2) == b"ol",
            |w| w.write_all(b"again"),
        )
        .unwrap_err();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
    }

    #[test]
    fn parent_that_is_a_file_is_an_error_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain");
        std::fs::write(&file, b"x").unwrap();
        let err = write_atomic(&file.join("out.json"), b"y", false, |_| false).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("plain/out.json") && msg.contains("not a folder"),
            "{msg}"
        );
    }

    #[test]
    fn missing_folder_is_an_error_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nope/out.json");
        let err = write_atomic(&p, b"x", false, |_| false).unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
    }
}

//! The atomic write: a temporary file in the same folder, filled, synced and renamed over the
//! target, which is replaced only when it is cloudready's own (see [`Seal::owns`]) or the run
//! says to overwrite it.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::seal::{Seal, Sealer};
use super::{Overwrite, device, signals};
use crate::error::{Error, Result};

/// What the path names once links are followed: where the bytes go.
enum Place {
    /// A regular file (or nothing yet) at this path.
    File {
        real: PathBuf,
        existing: Option<std::fs::Metadata>,
    },
    /// A character device or a pipe, written in place.
    Stream(PathBuf),
}

/// Writes through `fill` to `path` atomically, or into a device, a pipe or the process's own
/// standard streams. `fill` is given so that a test can make it fail part-way (a full disk, a
/// lost mount) and prove the target is untouched.
pub(super) fn write_atomic_with(
    path: &Path,
    overwrite: Overwrite,
    seal: Seal,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let shown = path.display().to_string();
    if let Some(own) = device::own_stream(path) {
        return own.write(&shown, fill);
    }
    match place(path, &shown)? {
        Place::Stream(p) => device::write_stream(&p, &shown, fill),
        Place::File { real, existing } => {
            // Known to be ours before writing: an existing file that is not is replaced only
            // by the very same bytes.
            let ours = existing.is_none() || overwrite == Overwrite::Always || seal.owns(&real);
            let tmp = temp_beside(&real, &shown, existing.as_ref())?;
            let tmp = fill_temp(tmp, seal, fill).map_err(|e| Error::io(&shown, e))?;
            if !ours && !same_bytes(tmp.path(), &real) {
                return Err(Error::file(
                    shown,
                    "exists and was not written by cloudready (or was edited since); pass --force to overwrite it",
                ));
            }
            commit(tmp, &real, &shown)
        }
    }
}

/// Where `path` leads, refused when nothing can be written there (a folder, a block device).
fn place(path: &Path, shown: &str) -> Result<Place> {
    // A device or a pipe, however it is reached (the kernel follows `/dev/fd/N` and the like
    // itself): a stream.
    if let Ok(m) = std::fs::metadata(path)
        && device::is_stream(&m)
    {
        return Ok(Place::Stream(path.to_path_buf()));
    }
    let real = resolve(path).map_err(|e| Error::io(shown, e))?;
    let existing = std::fs::metadata(&real).ok();
    let refuse = |message: &str| Err(Error::file(shown, message));
    match &existing {
        Some(m) if m.is_dir() => refuse("is a directory; give a file name"),
        Some(m) if device::is_stream(m) => Ok(Place::Stream(real)),
        Some(m) if device::is_block_device(m) => {
            refuse("is a block device; cloudready writes files, pipes and terminals only")
        }
        _ => Ok(Place::File { real, existing }),
    }
}

/// `path`, with symbolic links followed to the file they name (which may not exist yet), so a
/// write replaces the target and the link stays.
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let t = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if t.is_relative() => dir.join(t),
                    _ => t,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(std::io::Error::other(
        "symbolic link loop (too many levels of symbolic links); point at the real file",
    ))
}

/// The folder the target is in, which must exist: the temporary file goes there, so the
/// rename never crosses a file system.
fn folder_of(real: &Path, shown: &str) -> Result<PathBuf> {
    let dir = match real.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let message = match std::fs::metadata(&dir) {
        Ok(m) if m.is_dir() => return Ok(dir),
        Ok(_) => format!("{} is a file, not a folder", dir.display()),
        Err(_) => format!("folder {} does not exist; create it first", dir.display()),
    };
    Err(Error::file(shown, message))
}

/// The start of the temporary file's name: short enough beside any name the file system
/// allows (a 245-byte name plus the suffix would pass the 255-byte limit).
fn temp_prefix(name: &str) -> String {
    let mut end = name.len().min(64);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!(".{}.cloudready-{}-", &name[..end], std::process::id())
}

/// A temporary file being filled, known to the signal handler while it lives.
struct Temp {
    file: tempfile::NamedTempFile,
    _tracked: Vec<signals::Tracked>,
}

impl Temp {
    fn path(&self) -> &Path {
        self.file.path()
    }
}

/// A new temporary file beside `real`, with the old file's permissions (a 0600 report stays
/// private; a new file gets the usual ones, not a temporary file's 0600).
fn temp_beside(real: &Path, shown: &str, existing: Option<&std::fs::Metadata>) -> Result<Temp> {
    let dir = folder_of(real, shown)?;
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let prefix = temp_prefix(&name);
    let mut tracked = Vec::new();
    let file = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .make_in(&dir, |candidate| {
            // Known to the signal handler before it exists, so no signal falls between the two.
            tracked.push(signals::Tracked::new(candidate));
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(candidate)
        })
        .map_err(|e| {
            let why = crate::error::describe_io(&e);
            Error::file(
                shown,
                format!("cannot create a file in {}: {why}", dir.display()),
            )
        })?;
    if let Some(m) = existing {
        let _ = file.as_file().set_permissions(m.permissions());
    }
    Ok(Temp {
        file,
        _tracked: tracked,
    })
}

/// Fills the temporary file, sealed as `seal` says, and syncs it. A failure removes it.
fn fill_temp(
    mut tmp: Temp,
    seal: Seal,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<Temp> {
    let f = tmp.file.as_file_mut();
    match seal {
        Seal::Add(t) => {
            let mut s = Sealer::new(f, t);
            fill(&mut s)?;
            s.finish()?;
        }
        Seal::None | Seal::Present(_) | Seal::Package(_) => fill(f)?,
    }
    f.sync_all()?;
    Ok(tmp)
}

/// Renames the complete temporary file over the target, and makes the rename durable where
/// the platform allows.
fn commit(tmp: Temp, real: &Path, shown: &str) -> Result<()> {
    let Temp { file, _tracked } = tmp;
    file.persist(real).map_err(|e| Error::io(shown, e.error))?;
    if let Some(dir) = real.parent()
        && let Ok(d) = std::fs::File::open(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })
    {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Whether two regular files hold the same bytes (compared as streams).
fn same_bytes(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    if !mb.is_file() || ma.len() != mb.len() {
        return false;
    }
    let (Ok(fa), Ok(fb)) = (std::fs::File::open(a), std::fs::File::open(b)) else {
        return false;
    };
    let (mut ra, mut rb) = (
        std::io::BufReader::with_capacity(1 << 16, fa),
        std::io::BufReader::with_capacity(1 << 16, fb),
    );
    let (mut ba, mut bb) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = match ra.read(&mut ba) {
            Ok(n) => n,
            Err(_) => return false,
        };
        if n == 0 {
            return rb.read(&mut bb[..1]).is_ok_and(|m| m == 0);
        }
        if rb.read_exact(&mut bb[..n]).is_err() || ba[..n] != bb[..n] {
            return false;
        }
    }
}

#[cfg(test)]
pub(super) fn temp_name_for_test(name: &str) -> String {
    temp_prefix(name) + "XXXXXX.tmp"
}

//! Outputs that are not files: the process's own standard streams, character devices and
//! pipes (`/dev/stdout`, a FIFO). They are written as streams: never read, never replaced, and
//! never sealed, since nothing there is anybody's file.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// One of the process's own standard streams, named as a path.
pub(super) enum OwnStream {
    Stdout,
    Stderr,
}

/// The standard stream `path` names, by any of its names: written through the open
/// descriptor, so `-o /dev/stdout >> log` appends as the shell arranged.
pub(super) fn own_stream(path: &Path) -> Option<OwnStream> {
    let p = path.as_os_str();
    if p == "-" || p == "/dev/stdout" || p == "/dev/fd/1" || p == "/proc/self/fd/1" {
        Some(OwnStream::Stdout)
    } else if p == "/dev/stderr" || p == "/dev/fd/2" || p == "/proc/self/fd/2" {
        Some(OwnStream::Stderr)
    } else {
        None
    }
}

impl OwnStream {
    pub(super) fn write(
        self,
        shown: &str,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        match self {
            OwnStream::Stdout => to_stdout(shown, fill),
            OwnStream::Stderr => {
                let mut se = std::io::stderr().lock();
                fill(&mut se)
                    .and_then(|_| se.flush())
                    .map_err(|e| Error::io(shown, e))
            }
        }
    }
}

/// Writes to standard output. A closed pipe (`| head`) is the reader's choice, not an error.
pub(super) fn to_stdout(
    shown: &str,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let mut so = std::io::stdout().lock();
    match fill(&mut so).and_then(|_| so.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(|e| Error::io(shown, e)),
    }
}

/// A character device or a pipe: written as a stream in place.
pub(super) fn is_stream(m: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = m.file_type();
        t.is_char_device() || t.is_fifo() || t.is_socket()
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        false
    }
}

#[cfg(unix)]
pub(super) fn is_block_device(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    m.file_type().is_block_device()
}

#[cfg(not(unix))]
pub(super) fn is_block_device(_: &std::fs::Metadata) -> bool {
    false
}

/// Writes into a character device or a pipe as it is: no temporary file, no ownership check
/// (nothing there can be lost), never read. A reader that goes away is its own choice.
pub(super) fn write_stream(
    real: &Path,
    shown: &str,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(real)
        .map_err(|e| Error::io(shown, e))?;
    match fill(&mut f).and_then(|_| f.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(|e| Error::io(shown, e)),
    }
}

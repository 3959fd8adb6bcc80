//! Writing results: atomically (temp file in the same folder, sync, rename), and never over a
//! file cloudready did not write unless forced.
//!
//! A file is cloudready's own when it carries the seal a run wrote into it and nobody has edited
//! it since: a SHA-256 of everything above the seal, in a comment (YAML, markdown, HTML, XML) or
//! a last key (JSON, SARIF, JSON Schema). Formats with no room for one (CSV, the terminal table,
//! plain-text reports) are replaced without `--force` only when the old bytes are exactly the
//! new ones, so a re-run is always allowed and nothing a person typed is ever lost.
//!
//! Character devices and pipes (`/dev/stdout`, a FIFO) are written as streams: never read,
//! never replaced. `-o -` is standard output. A symbolic link is written through to its target,
//! and a replaced file keeps its permissions. An interrupted write (SIGINT, SIGTERM, SIGHUP)
//! removes its temporary file.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Where a seal goes in one format: `open`, the hex digest, `close`, at the very end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trailer {
    open: &'static str,
    close: &'static str,
    /// The document is a JSON object: the seal is its last key, so the closing `}` (and the
    /// blank space around it) is held back, left out of the digest and written after the key.
    json: bool,
}

/// How an output format proves a file is cloudready's own.
#[derive(Debug, Clone, Copy)]
pub enum Seal {
    /// Nowhere to put one (CSV, plain text): an existing file is replaced only when its bytes
    /// are exactly the new ones.
    None,
    /// Appended to the output as it is written.
    Add(Trailer),
    /// Already written by the renderer (the strategy document carries it on stdout too): only
    /// checked.
    Present(Trailer),
    /// A binary package (`.xlsx`, `.docx`) that carries its seal inside: the renderer wrote
    /// it, and this checks an existing file.
    Package(fn(&Path) -> bool),
}

impl Seal {
    /// A YAML comment.
    pub const YAML: Seal = Seal::Add(Trailer {
        open: "# cloudready:output sha256:",
        close: "\n",
        json: false,
    });
    /// An HTML/XML comment: markdown, HTML, JUnit XML.
    pub const MARKUP: Seal = Seal::Add(MARKUP);
    /// The strategy document, sealed by its renderer.
    pub const STRATEGY: Seal = Seal::Present(MARKUP);
    /// A last key `cloudready_seal` in the top-level object.
    pub const JSON: Seal = Seal::Add(Trailer {
        open: ",\n\"cloudready_seal\": \"sha256:",
        close: "\"\n}\n",
        json: true,
    });
    /// SARIF allows no unknown top-level key: the seal sits in the log's property bag.
    pub const SARIF: Seal = Seal::Add(Trailer {
        open: ",\n\"properties\": {\"cloudready_seal\": \"sha256:",
        close: "\"}\n}\n",
        json: true,
    });
    /// Plain-text reports (the table, `check --format text|github`, `diff --format text`): a
    /// last line of its own.
    pub const TEXT: Seal = Seal::Add(Trailer {
        open: "cloudready:output sha256:",
        close: "\n",
        json: false,
    });
    /// A roff comment line: man pages.
    pub const ROFF: Seal = Seal::Add(Trailer {
        open: ".\\\" cloudready:output sha256:",
        close: "\n",
        json: false,
    });
    /// JSON Schema's own comment keyword, which validators ignore.
    pub const JSON_SCHEMA: Seal = Seal::Add(Trailer {
        open: ",\n\"$comment\": \"cloudready:output sha256:",
        close: "\"\n}\n",
        json: true,
    });
}

/// Every seal cloudready writes: a file carrying any of them, unedited, is cloudready's own
/// whatever format replaces it.
fn all_trailers() -> impl Iterator<Item = Trailer> {
    [
        Seal::YAML,
        Seal::MARKUP,
        Seal::JSON,
        Seal::SARIF,
        Seal::TEXT,
        Seal::JSON_SCHEMA,
        Seal::ROFF,
    ]
    .into_iter()
    .filter_map(|s| match s {
        Seal::Add(t) | Seal::Present(t) => Some(t),
        Seal::None | Seal::Package(_) => None,
    })
}

const MARKUP: Trailer = Trailer {
    open: "<!-- cloudready:output sha256:",
    close: " -->\n",
    json: false,
};

/// Writes `bytes` to `path` atomically (or into a device or pipe, or to stdout for `-`). An
/// existing file is replaced only when `force` is set or it is cloudready's own by `seal`.
pub fn write_atomic(path: &Path, bytes: &[u8], force: bool, seal: Seal) -> Result<()> {
    write_atomic_streaming(path, force, seal, |w| w.write_all(bytes))
}

/// Streams output to `path` atomically: `fill` writes into a buffered temporary file beside it,
/// which replaces `path` only once complete and synced, so a large result never has to sit in
/// memory and a failure part-way leaves the old file as it was.
pub fn write_atomic_streaming(
    path: &Path,
    force: bool,
    seal: Seal,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    write_atomic_with(path, force, seal, |f| {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
        fill(&mut w)?;
        w.flush()
    })
}

/// The strategy format an `-o` extension other than `.html`/`.htm` can mean: markdown for
/// `.md`, `.markdown` and `.txt`; anything else (`.pdf`, `.docx`) is refused rather than filled
/// with markdown under a name that promises another format.
pub fn markdown_or_refuse(ext: &str) -> Result<crate::render::strategy::DocFormat> {
    if ["md", "markdown", "txt"]
        .iter()
        .any(|m| ext.eq_ignore_ascii_case(m))
    {
        return Ok(crate::render::strategy::DocFormat::Markdown);
    }
    if ext.eq_ignore_ascii_case("docx") {
        return Ok(crate::render::strategy::DocFormat::Docx);
    }
    Err(Error::Usage(format!(
        "cloudready writes the strategy as markdown (.md), HTML (.html) or Word (.docx), not .{ext}; name the file so, or pass --format to write one of them under this name (for a PDF, print the HTML from a browser)"
    )))
}

/// Up to `n` bytes from the start of `path` (empty when it cannot be read). Only regular files
/// are read: a device or a pipe could block or never end.
pub fn head(path: &Path, n: u64) -> Vec<u8> {
    let mut out = Vec::new();
    if std::fs::metadata(path).is_ok_and(|m| m.is_file())
        && let Ok(f) = std::fs::File::open(path)
    {
        let _ = f.take(n).read_to_end(&mut out);
    }
    out
}

/// Whether the regular file at `path` carries `trailer` with the digest of everything above
/// it. Reads the end, then hashes the rest as a stream: memory stays flat for any size.
pub fn is_sealed(path: &Path, trailer: Trailer) -> bool {
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(len) = f.metadata().map(|m| m.len()) else {
        return false;
    };
    let tail_len = len.min(512);
    let mut tail = Vec::new();
    if f.seek(SeekFrom::Start(len - tail_len)).is_err()
        || (&mut f).take(tail_len).read_to_end(&mut tail).is_err()
    {
        return false;
    }
    let Ok(tail) = std::str::from_utf8(&tail) else {
        return false;
    };
    let Some(rest) = tail.strip_suffix(trailer.close) else {
        return false;
    };
    let Some(at) = rest.rfind(trailer.open) else {
        return false;
    };
    let hex = &rest[at + trailer.open.len()..];
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return false;
    }
    let body_len = len - tail_len + at as u64;
    let mut hash = Sha256::new();
    if f.seek(SeekFrom::Start(0)).is_err()
        || std::io::copy(&mut (&mut f).take(body_len), &mut HashWriter(&mut hash)).is_err()
    {
        return false;
    }
    hex_of(&hash.finalize()) == hex
}

struct HashWriter<'h>(&'h mut Sha256);

impl Write for HashWriter<'_> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.update(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn hex_of(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Passes output through while hashing it, then closes it with the seal.
struct Sealer<'w> {
    out: &'w mut dyn Write,
    hash: Sha256,
    trailer: Trailer,
    last: Option<u8>,
    /// JSON only: the blank space and closing brace at the end so far, held back.
    held: Vec<u8>,
}

impl<'w> Sealer<'w> {
    fn new(out: &'w mut dyn Write, trailer: Trailer) -> Self {
        Sealer {
            out,
            hash: Sha256::new(),
            trailer,
            last: None,
            held: Vec::new(),
        }
    }
    fn pass(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.out.write_all(b)?;
        self.hash.update(b);
        if let Some(&l) = b.last() {
            self.last = Some(l);
        }
        Ok(())
    }
    fn finish(mut self) -> std::io::Result<()> {
        if self.trailer.json {
            let held = std::mem::take(&mut self.held);
            if !held.contains(&b'}') {
                // Not an object after all: written as it came, unsealed.
                return self.out.write_all(&held);
            }
        } else if self.last.is_some_and(|l| l != b'\n') {
            self.pass(b"\n")?;
        }
        let hex = hex_of(&self.hash.finalize_reset());
        write!(self.out, "{}{hex}{}", self.trailer.open, self.trailer.close)
    }
}

impl Write for Sealer<'_> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.write_all(b)?;
        Ok(b.len())
    }
    fn write_all(&mut self, b: &[u8]) -> std::io::Result<()> {
        if !self.trailer.json {
            return self.pass(b);
        }
        self.held.extend_from_slice(b);
        // Hold back only the end that may be `<space> } <space>`; pass the rest on.
        let h = &self.held;
        let space = |c: u8| matches!(c, b' ' | b'\n' | b'\r' | b'\t');
        let mut k = h.len();
        while k > 0 && space(h[k - 1]) {
            k -= 1;
        }
        if k > 0 && h[k - 1] == b'}' {
            k -= 1;
            while k > 0 && space(h[k - 1]) {
                k -= 1;
            }
        }
        if k > 0 {
            let rest = self.held.split_off(k);
            let pass = std::mem::replace(&mut self.held, rest);
            self.pass(&pass)?;
        }
        Ok(())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
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

/// A character device or a pipe: written as a stream in place.
fn is_stream(m: &std::fs::Metadata) -> bool {
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
fn is_block_device(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    m.file_type().is_block_device()
}

#[cfg(not(unix))]
fn is_block_device(_: &std::fs::Metadata) -> bool {
    false
}

/// The temporary file's name: short enough beside any name the file system allows (a
/// 245-byte name plus the suffix would pass the 255-byte limit).
fn temp_name(name: &str, attempt: u32) -> String {
    let mut end = name.len().min(64);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        ".{}.cloudready-{}-{attempt}.tmp",
        &name[..end],
        std::process::id()
    )
}

/// The one implementation behind both writers, with the step that fills the temporary file
/// given, so a test can make it fail part-way (a full disk, a lost mount) and prove the target
/// is untouched.
fn write_atomic_with(
    path: &Path,
    force: bool,
    seal: Seal,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let shown = path.display().to_string();
    // The process's own standard streams, by any of their names: written through the open
    // descriptor, so `-o /dev/stdout >> log` appends as the shell arranged.
    let p = path.as_os_str();
    if p == "-" || p == "/dev/stdout" || p == "/dev/fd/1" || p == "/proc/self/fd/1" {
        let mut so = std::io::stdout().lock();
        return match fill(&mut so).and_then(|_| so.flush()) {
            // A closed pipe (`| head`) is the reader's choice, not an error.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            r => r.map_err(|e| Error::io(&shown, e)),
        };
    }
    if p == "/dev/stderr" || p == "/dev/fd/2" || p == "/proc/self/fd/2" {
        let mut se = std::io::stderr().lock();
        return fill(&mut se)
            .and_then(|_| se.flush())
            .map_err(|e| Error::io(&shown, e));
    }
    // A device or a pipe, however it is reached (the kernel follows `/dev/fd/N` and the like
    // itself): a stream.
    if let Ok(m) = std::fs::metadata(path)
        && is_stream(&m)
    {
        return write_stream(path, &shown, seal, fill);
    }
    let real = resolve(path).map_err(|e| Error::io(&shown, e))?;
    let existing = std::fs::metadata(&real).ok();
    match &existing {
        Some(m) if m.is_dir() => {
            return Err(Error::file(shown, "is a directory; give a file name"));
        }
        Some(m) if is_stream(m) => return write_stream(&real, &shown, seal, fill),
        Some(m) if is_block_device(m) => {
            return Err(Error::file(
                shown,
                "is a block device; cloudready writes files, pipes and terminals only",
            ));
        }
        _ => {}
    }
    // Known to be ours before writing: sealed (in any of our formats) and unedited. Otherwise
    // an existing file is replaced only by the very same bytes.
    let ours = existing.is_none()
        || force
        || all_trailers().any(|t| is_sealed(&real, t))
        || matches!(seal, Seal::Package(check) if check(&real));
    let dir = match real.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match std::fs::metadata(&dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(Error::file(
                shown,
                format!("{} is a file, not a folder", dir.display()),
            ));
        }
        Err(_) => {
            return Err(Error::file(
                shown,
                format!("folder {} does not exist; create it first", dir.display()),
            ));
        }
    }
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let mut tmp = None;
    for attempt in 0..100u32 {
        let candidate = dir.join(temp_name(&name, attempt));
        // Known to the signal handler before it exists, so no signal falls between the two.
        let guard = signals::Tracked::new(&candidate);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(f) => {
                tmp = Some((candidate, f, guard));
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                let why = crate::error::describe_io(&e);
                return Err(Error::file(
                    shown,
                    format!("cannot create a file in {}: {why}", dir.display()),
                ));
            }
        }
    }
    let Some((tmp_path, mut f, _guard)) = tmp else {
        return Err(Error::file(
            shown,
            "could not create a temporary file beside it",
        ));
    };
    // The replacement keeps the old file's permissions (a 0600 report stays private).
    if let Some(m) = &existing {
        let _ = f.set_permissions(m.permissions());
    }
    let result = (|| {
        match seal {
            Seal::Add(t) => {
                let mut s = Sealer::new(&mut f, t);
                fill(&mut s)?;
                s.finish()?;
            }
            Seal::None | Seal::Present(_) | Seal::Package(_) => fill(&mut f)?,
        }
        f.sync_all()
    })();
    drop(f);
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp_path);
        return Err(Error::io(&shown, e));
    }
    if !ours && !same_bytes(&tmp_path, &real) {
        let _ = std::fs::remove_file(&tmp_path);
        return Err(Error::file(
            shown,
            "exists and was not written by cloudready (or was edited since); pass --force to overwrite it",
        ));
    }
    if let Err(e) = std::fs::rename(&tmp_path, &real) {
        let _ = std::fs::remove_file(&tmp_path);
        return Err(Error::io(&shown, e));
    }
    // Make the rename itself durable where the platform allows.
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Writes into a character device or a pipe as it is: no temporary file, no ownership check
/// (nothing there can be lost), never read. A reader that goes away is its own choice.
fn write_stream(
    real: &Path,
    shown: &str,
    seal: Seal,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(real)
        .map_err(|e| Error::io(shown, e))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
    // As on standard output: no seal, the stream is nobody's file.
    let _ = seal;
    match fill(&mut w).and_then(|_| w.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(|e| Error::io(shown, e)),
    }
}

/// Whether two regular files hold the same bytes (compared as streams).
fn same_bytes(a: &Path, b: &Path) -> bool {
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

/// Temporary files removed when the process is told to stop (SIGINT, SIGTERM, SIGHUP): the
/// target is intact either way, and a half-written copy of hundreds of MB must not stay.
mod signals {
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    static TEMPS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

    /// A temporary file known to the signal handler for as long as this lives.
    pub struct Tracked(PathBuf);

    impl Tracked {
        pub fn new(p: &Path) -> Self {
            install();
            if let Ok(mut t) = TEMPS.lock() {
                t.push(p.to_path_buf());
            }
            Tracked(p.to_path_buf())
        }
    }

    impl Drop for Tracked {
        fn drop(&mut self) {
            if let Ok(mut t) = TEMPS.lock() {
                t.retain(|p| *p != self.0);
            }
        }
    }

    /// Removes every tracked file; then the process ends as the signal would have ended it.
    #[cfg(unix)]
    fn install() {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            else {
                return;
            };
            std::thread::spawn(move || {
                if let Some(sig) = signals.forever().next() {
                    if let Ok(t) = TEMPS.lock() {
                        for p in t.iter() {
                            let _ = std::fs::remove_file(p);
                        }
                    }
                    let _ = signal_hook::low_level::emulate_default_handler(sig);
                    std::process::exit(128 + sig);
                }
            });
        });
    }

    #[cfg(not(unix))]
    fn install() {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(p: &Path) -> String {
        String::from_utf8(std::fs::read(p).unwrap()).unwrap()
    }

    #[test]
    fn refuses_foreign_files_and_replaces_own() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.yaml");
        std::fs::write(&p, b"precious: 1\n").unwrap();
        let err = write_atomic(&p, b"new: 1\n", false, Seal::YAML).unwrap_err();
        assert!(err.to_string().contains("--force"));
        assert_eq!(read(&p), "precious: 1\n");
        write_atomic(&p, b"ours: 1\n", true, Seal::YAML).unwrap();
        assert!(read(&p).starts_with("ours: 1\n# cloudready:output sha256:"));
        write_atomic(&p, b"ours: 2\n", false, Seal::YAML).unwrap();
        assert!(read(&p).starts_with("ours: 2\n"));
        // Edited since: no longer ours.
        let edited = read(&p).replace("ours: 2", "ours: 3");
        std::fs::write(&p, edited).unwrap();
        write_atomic(&p, b"ours: 4\n", false, Seal::YAML).unwrap_err();
        // No temporary files are left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// A phrase a person may type is not a seal; the seal of other content is not either.
    #[test]
    fn a_copied_seal_line_does_not_make_a_file_ours() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("notes.md");
        write_atomic(&p, b"# Cloud readiness: mine\n", false, Seal::MARKUP).unwrap();
        let sealed = read(&p);
        let seal_line = sealed.lines().last().unwrap();
        std::fs::write(
            &p,
            format!("# Cloud readiness: my own notes\n{seal_line}\n"),
        )
        .unwrap();
        write_atomic(&p, b"x\n", false, Seal::MARKUP).unwrap_err();
        assert!(read(&p).contains("my own notes"));
    }

    #[test]
    fn json_seal_is_a_last_key_and_the_document_stays_json() {
        let dir = tempfile::tempdir().unwrap();
        for (seal, key) in [
            (Seal::JSON, "/cloudready_seal"),
            (Seal::SARIF, "/properties/cloudready_seal"),
            (Seal::JSON_SCHEMA, "/$comment"),
        ] {
            let p = dir.path().join("out.json");
            let _ = std::fs::remove_file(&p);
            // Pretty and compact, in many small writes as a serializer makes them.
            for doc in ["{\n  \"a\": [1, 2]\n}\n", "{\"a\":[1,2]}"] {
                write_atomic_streaming(&p, true, seal, |w| {
                    for b in doc.as_bytes() {
                        w.write_all(&[*b])?;
                    }
                    Ok(())
                })
                .unwrap();
                let v: serde_json::Value = serde_json::from_str(&read(&p)).unwrap();
                assert_eq!(v["a"][1], 2);
                assert!(
                    v.pointer(key)
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .contains("sha256:"),
                    "{}",
                    read(&p)
                );
                assert!(is_sealed(
                    &p,
                    match seal {
                        Seal::Add(t) => t,
                        _ => unreachable!(),
                    }
                ));
                write_atomic(&p, doc.as_bytes(), false, seal).unwrap();
            }
        }
    }

    /// Formats with no seal: the same bytes again are fine, different ones need --force.
    #[test]
    fn unsealed_formats_are_replaced_only_by_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        write_atomic(&p, b"id,name\na,A\n", false, Seal::None).unwrap();
        write_atomic(&p, b"id,name\na,A\n", false, Seal::None).unwrap();
        let err = write_atomic(&p, b"id,name\nb,B\n", false, Seal::None).unwrap_err();
        assert!(err.to_string().contains("--force"), "{err}");
        assert_eq!(read(&p), "id,name\na,A\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// The write fails after the temporary file exists and holds part of the new bytes: the
    /// target keeps its old bytes exactly and no temporary file is left.
    #[test]
    fn a_failed_write_leaves_the_old_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.json");
        std::fs::write(&p, b"old complete content").unwrap();
        let err = write_atomic_with(&p, true, Seal::None, |f| {
            f.write_all(b"new")?;
            Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
        })
        .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("out.json") && msg.contains("no space left"),
            "{msg}"
        );
        assert_eq!(read(&p), "old complete content");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "temporary file left behind: {left:?}");
        // And with no earlier file, a failed write leaves nothing at all.
        let q = dir.path().join("fresh.json");
        write_atomic_with(&q, false, Seal::None, |_| {
            Err(std::io::Error::other("disk went away"))
        })
        .unwrap_err();
        assert!(!q.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write_atomic_with(&p, true, Seal::None, |f| f.write_all(b"new content")).unwrap();
        assert_eq!(read(&p), "new content");
    }

    #[test]
    fn a_failed_stream_leaves_the_old_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.json");
        std::fs::write(&p, b"old").unwrap();
        let err = write_atomic_streaming(&p, true, Seal::JSON, |w| {
            for _ in 0..1000 {
                w.write_all(&[b'x'; 4096])?;
            }
            Err(std::io::Error::other("stopped"))
        })
        .unwrap_err();
        assert!(err.to_string().contains("stopped"), "{err}");
        assert_eq!(read(&p), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn parent_that_is_a_file_is_an_error_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain");
        std::fs::write(&file, b"x").unwrap();
        let err = write_atomic(&file.join("out.json"), b"y", false, Seal::None).unwrap_err();
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
        let err = write_atomic(&p, b"x", false, Seal::None).unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn keeps_mode_and_writes_through_symlinks() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.md");
        write_atomic(&target, b"one\n", false, Seal::MARKUP).unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink("real.md", &link).unwrap();
        write_atomic(&link, b"two\n", false, Seal::MARKUP).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(read(&target).starts_with("two\n"));
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        // A dangling link is written through too: the file it names appears.
        let dangling = dir.path().join("dangling.md");
        std::os::unix::fs::symlink("later.md", &dangling).unwrap();
        write_atomic(&dangling, b"three\n", false, Seal::MARKUP).unwrap();
        assert!(read(&dir.path().join("later.md")).starts_with("three\n"));
    }

    #[test]
    fn a_name_near_the_limit_still_gets_a_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir
            .path()
            .join(format!("{}.md", "é".repeat(60) + &"n".repeat(120)));
        write_atomic(&p, b"x\n", false, Seal::MARKUP).unwrap();
        assert!(read(&p).starts_with("x\n"));
        assert!(temp_name(&"é".repeat(200), 0).len() < 100);
    }
}

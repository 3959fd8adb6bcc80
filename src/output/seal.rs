//! Seals: how a file proves cloudready wrote it and nobody has edited it since. A SHA-256 of
//! everything above the seal sits in a comment (YAML, markdown, HTML, XML, roff, the text
//! reports) or a last key (JSON, SARIF, JSON Schema); Office packages carry theirs inside
//! ([`super::package`]).

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

/// What comes before a seal's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// The seal gets a line of its own: a missing last line break is added first.
    OwnLine,
    /// A document ending without a line break (markdown whose last line is its protective
    /// marking) gets the seal on that same line, so the marking stays the last visible line.
    SameLine,
    /// The document is a JSON object: the seal is its last key, so the closing `}` (and the
    /// blank space around it) is held back, left out of the digest and written after the key.
    JsonKey,
}

/// Where a seal goes in one format: `open`, the hex digest, `close`, at the very end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trailer {
    open: &'static str,
    close: &'static str,
    ending: Ending,
}

const MARKUP: Trailer = Trailer {
    open: "<!-- cloudready:output sha256:",
    close: " -->\n",
    ending: Ending::OwnLine,
};

impl Trailer {
    /// The strategy document's seal: the markup comment, on the marking's line when the
    /// document ends without a line break.
    pub const STRATEGY: Trailer = Trailer {
        ending: Ending::SameLine,
        ..MARKUP
    };
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
        ending: Ending::OwnLine,
    });
    /// An HTML/XML comment: markdown, HTML, JUnit XML.
    pub const MARKUP: Seal = Seal::Add(MARKUP);
    /// The strategy document, sealed by its renderer.
    pub const STRATEGY: Seal = Seal::Present(Trailer::STRATEGY);
    /// A last key `cloudready_seal` in the top-level object.
    pub const JSON: Seal = Seal::Add(Trailer {
        open: ",\n\"cloudready_seal\": \"sha256:",
        close: "\"\n}\n",
        ending: Ending::JsonKey,
    });
    /// SARIF allows no unknown top-level key: the seal sits in the log's property bag.
    pub const SARIF: Seal = Seal::Add(Trailer {
        open: ",\n\"properties\": {\"cloudready_seal\": \"sha256:",
        close: "\"}\n}\n",
        ending: Ending::JsonKey,
    });
    /// Plain-text reports (the table, `check --format text|github`, `diff --format text`): a
    /// last line of its own.
    pub const TEXT: Seal = Seal::Add(Trailer {
        open: "cloudready:output sha256:",
        close: "\n",
        ending: Ending::OwnLine,
    });
    /// A roff comment line: man pages.
    pub const ROFF: Seal = Seal::Add(Trailer {
        open: ".\\\" cloudready:output sha256:",
        close: "\n",
        ending: Ending::OwnLine,
    });
    /// JSON Schema's own comment keyword, which validators ignore.
    pub const JSON_SCHEMA: Seal = Seal::Add(Trailer {
        open: ",\n\"$comment\": \"cloudready:output sha256:",
        close: "\"\n}\n",
        ending: Ending::JsonKey,
    });
    /// An Office package sealed in its custom properties.
    pub const OFFICE: Seal = Seal::Package(super::package::file_is_sealed);

    /// Whether the existing file at `path` is cloudready's own: sealed (in any of the formats
    /// cloudready writes, so a run in one format may replace another's output) and unedited.
    pub fn owns(self, path: &Path) -> bool {
        all_trailers().any(|t| is_sealed(path, t))
            || matches!(self, Seal::Package(check) if check(path))
    }
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
    let Some(at) = seal_at(&tail, trailer) else {
        return false;
    };
    let hex = &tail[at + trailer.open.len()..tail.len() - trailer.close.len()];
    let body_len = len - tail_len + at as u64;
    let mut hash = Sha256::new();
    if f.seek(SeekFrom::Start(0)).is_err()
        || std::io::copy(&mut (&mut f).take(body_len), &mut HashWriter(&mut hash)).is_err()
    {
        return false;
    }
    hex_of(&hash.finalize()).as_bytes() == hex
}

/// Where in `tail` a well-formed `trailer` starts, if it ends `tail`.
fn seal_at(tail: &[u8], trailer: Trailer) -> Option<usize> {
    let tail = std::str::from_utf8(tail).ok()?;
    let rest = tail.strip_suffix(trailer.close)?;
    let at = rest.rfind(trailer.open)?;
    let hex = &rest[at + trailer.open.len()..];
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then_some(at)
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

pub(crate) fn hex_of(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Passes output through while hashing it, then closes it with the seal, so a streamed
/// document is sealed without being held in memory.
pub struct Sealer<'w> {
    out: &'w mut dyn Write,
    hash: Sha256,
    trailer: Trailer,
    last: Option<u8>,
    /// JSON only: the blank space and closing brace at the end so far, held back.
    held: Vec<u8>,
}

impl<'w> Sealer<'w> {
    pub fn new(out: &'w mut dyn Write, trailer: Trailer) -> Self {
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

    /// Writes the seal after everything passed through.
    pub fn finish(mut self) -> std::io::Result<()> {
        match self.trailer.ending {
            Ending::JsonKey => {
                let held = std::mem::take(&mut self.held);
                if !held.contains(&b'}') {
                    // Not an object after all: written as it came, unsealed.
                    self.out.write_all(&held)?;
                    return self.out.flush();
                }
            }
            Ending::OwnLine if self.last.is_some_and(|l| l != b'\n') => self.pass(b"\n")?,
            Ending::OwnLine => {}
            Ending::SameLine => match self.last {
                Some(b'\n') => {}
                Some(_) => self.pass(b" ")?,
                None => self.pass(b"\n")?,
            },
        }
        let hex = hex_of(&self.hash.finalize_reset());
        write!(self.out, "{}{hex}{}", self.trailer.open, self.trailer.close)?;
        self.out.flush()
    }
}

impl Write for Sealer<'_> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.write_all(b)?;
        Ok(b.len())
    }
    fn write_all(&mut self, b: &[u8]) -> std::io::Result<()> {
        if self.trailer.ending != Ending::JsonKey {
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

use crate::diagnostic::{Diagnostic, Sources};

/// What stops a run. Every variant is the user's to fix, so each maps to exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input: one or more diagnostics pointing into the files in `sources`.
    #[error("{} problem(s) in the input", .diagnostics.len())]
    Invalid {
        sources: Box<Sources>,
        diagnostics: Vec<Diagnostic>,
    },
    /// A file could not be read or written; `source` is the operating system's reason.
    #[error("{target}: {}", describe_io(.source))]
    Io {
        target: String,
        source: std::io::Error,
    },
    /// A file refused for a reason of cloudready's own (a folder where a file belongs, over the
    /// input limit, not UTF-8, already there), said as what to do about it.
    #[error("{target}: {message}")]
    File { target: String, message: String },
    /// Arguments that do not fit together.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// The sources move in: an error is made once, at the end of a stage that owns them.
    pub fn invalid(sources: Sources, diagnostics: Vec<Diagnostic>) -> Self {
        Error::Invalid {
            sources: Box::new(sources),
            diagnostics,
        }
    }
    pub fn io(target: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            target: target.into(),
            source,
        }
    }
    pub fn file(target: impl Into<String>, message: impl Into<String>) -> Self {
        Error::File {
            target: target.into(),
            message: message.into(),
        }
    }
    /// Renders for a terminal: diagnostics with snippets, or a one-line message.
    pub fn render(&self, color: bool) -> String {
        match self {
            Error::Invalid {
                sources,
                diagnostics,
            } => {
                let mut out = String::new();
                for d in diagnostics {
                    out.push_str(&d.render(sources, color));
                    out.push('\n');
                }
                let n = diagnostics
                    .iter()
                    .filter(|d| d.severity == crate::diagnostic::Severity::Error)
                    .count();
                out.push_str(&format!(
                    "{n} error{} found; nothing was written\n",
                    if n == 1 { "" } else { "s" }
                ));
                out
            }
            other => format!("error: {}\n", crate::text::clean(&other.to_string())),
        }
    }
}

/// ELOOP, which has no stable `ErrorKind` yet: 40 on Linux, 62 on the BSDs and macOS.
#[cfg(any(target_os = "linux", target_os = "android"))]
const ELOOP: i32 = 40;
#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
const ELOOP: i32 = 62;
#[cfg(not(unix))]
const ELOOP: i32 = -1;

/// An I/O error said as what it means for the file, without the OS's error number.
pub fn describe_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file or directory".into(),
        PermissionDenied => "permission denied".into(),
        IsADirectory => "is a directory, not a file".into(),
        NotADirectory => "a part of the path is a file, not a folder".into(),
        StorageFull => "no space left on the device; nothing was written".into(),
        ReadOnlyFilesystem => "the file system is read-only".into(),
        _ if e.raw_os_error() == Some(ELOOP) => {
            "symbolic link loop (too many levels of symbolic links); point at the real file".into()
        }
        _ => e.to_string(),
    }
}

pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_keep_their_cause() {
        let e = Error::io("a.yaml", std::io::Error::from_raw_os_error(ELOOP));
        assert!(
            e.to_string().starts_with("a.yaml: symbolic link loop"),
            "{e}"
        );
        let Error::Io { source, .. } = &e else {
            panic!("not an I/O error")
        };
        assert_eq!(source.raw_os_error(), Some(ELOOP));
        assert!(std::error::Error::source(&e).is_some());
        let e = Error::io("b", std::io::ErrorKind::NotFound.into());
        assert_eq!(e.to_string(), "b: no such file or directory");
    }
}

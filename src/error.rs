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
    /// A file could not be read or written.
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    /// Arguments that do not fit together.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn invalid(sources: &Sources, diagnostics: Vec<Diagnostic>) -> Self {
        Error::Invalid {
            sources: Box::new(sources.clone()),
            diagnostics,
        }
    }
    pub fn io(path: impl Into<String>, e: &std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            message: describe_io(e),
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

fn describe_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file or directory".into(),
        PermissionDenied => "permission denied".into(),
        IsADirectory => "is a directory, not a file".into(),
        NotADirectory => "a part of the path is a file, not a folder".into(),
        StorageFull => "no space left on the device; nothing was written".into(),
        ReadOnlyFilesystem => "the file system is read-only".into(),
        // ELOOP has no stable ErrorKind yet; its text is the same on every Unix.
        _ if e.to_string().contains("symbolic links") => {
            "symbolic link loop (too many levels of symbolic links); point at the real file".into()
        }
        _ => e.to_string(),
    }
}

pub type Result<T> = std::result::Result<T, Error>;

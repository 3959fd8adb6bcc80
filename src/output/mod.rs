//! Writing results: where they go ([`Output`]), atomically (temp file in the same folder,
//! sync, rename), and never over a file cloudready did not write unless told to.
//!
//! A file is cloudready's own when it carries the seal a run wrote into it and nobody has edited
//! it since ([`seal`], [`package`] for the Office formats). Formats with no room for one (CSV,
//! the terminal table, plain-text reports) are replaced without `--force` only when the old
//! bytes are exactly the new ones, so a re-run is always allowed and nothing a person typed is
//! ever lost.
//!
//! Character devices and pipes (`/dev/stdout`, a FIFO) are written as streams: never read,
//! never replaced (`device.rs`). `-o -` is standard output. A symbolic link is written through to
//! its target, and a replaced file keeps its permissions. An interrupted write (SIGINT, SIGTERM,
//! SIGHUP) removes its temporary file (`signals.rs`).

mod atomic;
mod device;
pub mod package;
pub mod seal;
mod signals;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use seal::{Seal, Sealer, Trailer, is_sealed};

use crate::error::Result;

/// Whether an existing file that is not cloudready's own may be replaced (`--force`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Overwrite {
    /// Only a file cloudready wrote and nobody edited since, or one holding the same bytes.
    #[default]
    Ours,
    /// Whatever is there.
    Always,
}

impl Overwrite {
    /// `--force` as given on the command line.
    pub fn forced(force: bool) -> Overwrite {
        if force {
            Overwrite::Always
        } else {
            Overwrite::Ours
        }
    }
}

/// Where a command's result goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Standard output (no `-o`).
    Stdout,
    /// `-o FILE`: written atomically (or into the device or pipe it names; `-` is standard
    /// output).
    File(PathBuf),
}

/// Where a result goes and what it may replace there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub target: Target,
    pub overwrite: Overwrite,
}

impl Output {
    /// Standard output.
    pub fn stdout() -> Output {
        Output {
            target: Target::Stdout,
            overwrite: Overwrite::Ours,
        }
    }

    /// The file at `path`.
    pub fn file(path: impl Into<PathBuf>, overwrite: Overwrite) -> Output {
        Output {
            target: Target::File(path.into()),
            overwrite,
        }
    }

    /// `-o` as given: standard output without one.
    pub fn new(path: Option<&PathBuf>, overwrite: Overwrite) -> Output {
        match path {
            Some(p) => Output::file(p.clone(), overwrite),
            None => Output {
                target: Target::Stdout,
                overwrite,
            },
        }
    }

    /// The file written, if not standard output.
    pub fn path(&self) -> Option<&Path> {
        match &self.target {
            Target::File(p) => Some(p),
            Target::Stdout => None,
        }
    }

    /// Whether the result goes to standard output without `-o` (where the terminal's colour
    /// and width apply).
    pub fn is_stdout(&self) -> bool {
        self.target == Target::Stdout
    }

    /// Writes text for people or tools, with no control character left that could drive a
    /// terminal (colour escapes the renderer chose stay).
    pub fn write_text(&self, text: &str, seal: Seal) -> Result<()> {
        let text = &*crate::text::clean_keeping_colour(text);
        self.write_bytes(text.as_bytes(), seal)
    }

    /// Writes `bytes` as they are.
    pub fn write_bytes(&self, bytes: &[u8], seal: Seal) -> Result<()> {
        self.stream(seal, |w| w.write_all(bytes))
    }

    /// Streams the result: into a temporary file beside the target, which replaces it only
    /// once complete and synced, so a large result never has to sit in memory and a failure
    /// part-way leaves the old file as it was. `fill` should buffer its own small writes.
    pub fn stream(
        &self,
        seal: Seal,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        match &self.target {
            Target::Stdout => device::to_stdout("<stdout>", fill),
            Target::File(p) => atomic::write_atomic_with(p, self.overwrite, seal, fill),
        }
    }
}

/// Writes `bytes` to `path` atomically (or into a device or pipe, or to stdout for `-`). An
/// existing file is replaced only when `overwrite` allows or it is cloudready's own by `seal`.
pub fn write_atomic(path: &Path, bytes: &[u8], overwrite: Overwrite, seal: Seal) -> Result<()> {
    Output::file(path, overwrite).write_bytes(bytes, seal)
}

#[cfg(test)]
mod tests {
    use super::atomic::write_atomic_with;
    use super::*;

    fn read(p: &Path) -> String {
        String::from_utf8(std::fs::read(p).unwrap()).unwrap()
    }

    #[test]
    fn refuses_foreign_files_and_replaces_own() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.yaml");
        std::fs::write(&p, b"precious: 1\n").unwrap();
        let err = write_atomic(&p, b"new: 1\n", Overwrite::Ours, Seal::YAML).unwrap_err();
        assert!(err.to_string().contains("--force"));
        assert_eq!(read(&p), "precious: 1\n");
        write_atomic(&p, b"ours: 1\n", Overwrite::Always, Seal::YAML).unwrap();
        assert!(read(&p).starts_with("ours: 1\n# cloudready:output sha256:"));
        write_atomic(&p, b"ours: 2\n", Overwrite::Ours, Seal::YAML).unwrap();
        assert!(read(&p).starts_with("ours: 2\n"));
        // Edited since: no longer ours.
        let edited = read(&p).replace("ours: 2", "ours: 3");
        std::fs::write(&p, edited).unwrap();
        write_atomic(&p, b"ours: 4\n", Overwrite::Ours, Seal::YAML).unwrap_err();
        // No temporary files are left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// A phrase a person may type is not a seal; the seal of other content is not either.
    #[test]
    fn a_copied_seal_line_does_not_make_a_file_ours() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("notes.md");
        write_atomic(
            &p,
            b"# Cloud readiness: mine\n",
            Overwrite::Ours,
            Seal::MARKUP,
        )
        .unwrap();
        let sealed = read(&p);
        let seal_line = sealed.lines().last().unwrap();
        std::fs::write(
            &p,
            format!("# Cloud readiness: my own notes\n{seal_line}\n"),
        )
        .unwrap();
        write_atomic(&p, b"x\n", Overwrite::Ours, Seal::MARKUP).unwrap_err();
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
                Output::file(&p, Overwrite::Always)
                    .stream(seal, |w| {
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
                write_atomic(&p, doc.as_bytes(), Overwrite::Ours, seal).unwrap();
            }
        }
    }

    /// Formats with no seal: the same bytes again are fine, different ones need --force.
    #[test]
    fn unsealed_formats_are_replaced_only_by_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        write_atomic(&p, b"id,name\na,A\n", Overwrite::Ours, Seal::None).unwrap();
        write_atomic(&p, b"id,name\na,A\n", Overwrite::Ours, Seal::None).unwrap();
        let err = write_atomic(&p, b"id,name\nb,B\n", Overwrite::Ours, Seal::None).unwrap_err();
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
        let err = write_atomic_with(&p, Overwrite::Always, Seal::None, |f| {
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
        write_atomic_with(&q, Overwrite::Ours, Seal::None, |_| {
            Err(std::io::Error::other("disk went away"))
        })
        .unwrap_err();
        assert!(!q.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write_atomic_with(&p, Overwrite::Always, Seal::None, |f| {
            f.write_all(b"new content")
        })
        .unwrap();
        assert_eq!(read(&p), "new content");
    }

    #[test]
    fn a_failed_stream_leaves_the_old_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.json");
        std::fs::write(&p, b"old").unwrap();
        let err = Output::file(&p, Overwrite::Always)
            .stream(Seal::JSON, |w| {
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
        let err =
            write_atomic(&file.join("out.json"), b"y", Overwrite::Ours, Seal::None).unwrap_err();
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
        let err = write_atomic(&p, b"x", Overwrite::Ours, Seal::None).unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn keeps_mode_and_writes_through_symlinks() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.md");
        write_atomic(&target, b"one\n", Overwrite::Ours, Seal::MARKUP).unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink("real.md", &link).unwrap();
        write_atomic(&link, b"two\n", Overwrite::Ours, Seal::MARKUP).unwrap();
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
        write_atomic(&dangling, b"three\n", Overwrite::Ours, Seal::MARKUP).unwrap();
        assert!(read(&dir.path().join("later.md")).starts_with("three\n"));
    }

    #[test]
    fn a_name_near_the_limit_still_gets_a_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir
            .path()
            .join(format!("{}.md", "é".repeat(60) + &"n".repeat(120)));
        write_atomic(&p, b"x\n", Overwrite::Ours, Seal::MARKUP).unwrap();
        assert!(read(&p).starts_with("x\n"));
        assert!(atomic::temp_name_for_test(&"é".repeat(200)).len() < 100);
    }
}

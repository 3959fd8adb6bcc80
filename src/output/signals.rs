//! Temporary files removed when the process is told to stop (SIGINT, SIGTERM, SIGHUP): the
//! target is intact either way, and a half-written copy of hundreds of MB must not stay.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

static TEMPS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A temporary file known to the signal handler for as long as this lives.
pub(super) struct Tracked(PathBuf);

impl Tracked {
    pub(super) fn new(p: &Path) -> Self {
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
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
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

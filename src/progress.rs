//! The progress bar of a long run, on standard error: workloads read (with how much of the
//! input) and then scored. Only on a terminal, never with `--quiet`, and only once a run has
//! taken a second, so a quick run never flashes one. [`start`] is the one place it is created;
//! without it every hook is a no-op, as in tests and library use.

use std::io::IsTerminal as _;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A run shorter than this shows no bar.
const DELAY: Duration = Duration::from_secs(1);
/// Test-only: overrides [`DELAY`] (in milliseconds), so the progress tests can see the bar
/// on a small inventory instead of one that runs past a second. Not a user setting: it is
/// undocumented in `--help` and may change.
const DELAY_VAR: &str = "CLOUDREADY_PROGRESS_DELAY_MS";
/// Hooks update the bar once per this many workloads.
const EVERY: usize = 512;

struct Bar {
    bar: ProgressBar,
    since: Instant,
    delay: Duration,
    shown: AtomicBool,
}

static BAR: OnceLock<Bar> = OnceLock::new();

/// Enables the bar for this process if standard error is a terminal and the run is not quiet.
pub fn start(quiet: bool) {
    if quiet || !std::io::stderr().is_terminal() {
        return;
    }
    let _ = BAR.set(Bar {
        bar: ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()),
        since: Instant::now(),
        delay: delay(std::env::var(DELAY_VAR).ok().as_deref()),
        shown: AtomicBool::new(false),
    });
}

/// The delay before the bar shows: [`DELAY`] unless `setting` is a number of milliseconds.
fn delay(setting: Option<&str>) -> Duration {
    setting
        .and_then(|ms| ms.trim().parse().ok())
        .map_or(DELAY, Duration::from_millis)
}

/// The bar, once the run has lasted long enough to deserve it.
fn due(count: usize, last: bool) -> Option<&'static Bar> {
    let b = BAR.get()?;
    if !last && !count.is_multiple_of(EVERY) {
        return None;
    }
    if !b.shown.load(Ordering::Relaxed) {
        if b.since.elapsed() < b.delay {
            return None;
        }
        b.shown.store(true, Ordering::Relaxed);
        if b.bar.is_finished() {
            // Shown again after `clear`: this phase's clock starts now.
            b.bar.reset();
        }
        b.bar.set_draw_target(ProgressDrawTarget::stderr());
    }
    Some(b)
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

/// `workloads` read so far, the parser `at` byte `at` of `total`.
pub fn read(workloads: usize, at: usize, total: usize) {
    let Some(b) = due(workloads, false) else {
        return;
    };
    if b.bar.length() != Some(total as u64) {
        b.bar.set_style(style(
            "reading   [{bar:30}] {percent:>3}%  {msg} workloads  {elapsed}",
        ));
        b.bar.set_length(total as u64);
    }
    b.bar.set_position(at as u64);
    b.bar.set_message(workloads.to_string());
}

/// `done` of `total` workloads scored.
pub fn scored(done: usize, total: usize) {
    let Some(b) = due(done, done == total) else {
        return;
    };
    if b.bar.length() != Some(total as u64) || b.bar.message() != "scored" {
        b.bar.set_style(style(
            "scoring   [{bar:30}] {percent:>3}%  {pos}/{len} workloads  {elapsed}",
        ));
        b.bar.set_message("scored");
        b.bar.set_length(total as u64);
    }
    b.bar.set_position(done as u64);
}

/// Takes the bar off the screen before a command writes its output; a later phase that runs
/// long enough shows it again.
pub fn clear() {
    if let Some(b) = BAR.get()
        && b.shown.swap(false, Ordering::Relaxed)
    {
        b.bar.finish_and_clear();
        b.bar.set_draw_target(ProgressDrawTarget::hidden());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_is_one_second_unless_set_in_milliseconds() {
        assert_eq!(delay(None), DELAY);
        assert_eq!(delay(Some("0")), Duration::ZERO);
        assert_eq!(delay(Some(" 250 ")), Duration::from_millis(250));
        assert_eq!(delay(Some("soon")), DELAY);
        assert_eq!(delay(Some("-5")), DELAY);
    }
}

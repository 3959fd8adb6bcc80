//! Shared copies of the short texts a run repeats.

use std::sync::Arc;

/// One copy of each short text a run repeats (owners, labels, dependency ids), shared by every
/// workload that holds it. Bounded: past its capacity, new texts are kept unshared.
#[derive(Default)]
pub struct Interner {
    set: std::collections::HashSet<Arc<str>>,
}

impl Interner {
    /// Distinct texts kept for sharing; enough for the owners and labels of any portfolio.
    const CAPACITY: usize = 1 << 16;
    /// Longer texts (descriptions) rarely repeat.
    const LONGEST: usize = 64;

    pub fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.set.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        if s.len() <= Self::LONGEST && self.set.len() < Self::CAPACITY {
            self.set.insert(a.clone());
        }
        a
    }
}

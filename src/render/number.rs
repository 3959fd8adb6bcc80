//! How a number is shown to people: one rule, used by every output (table, CSV, markdown, the
//! strategy's text, cards and heatmap, `diff`, `check` messages). JSON and YAML keep the
//! document's one-decimal values.
//!
//! Scores are shown as whole numbers **rounded down**. A band is decided on the one-decimal
//! score (ready from 75.0), so 74.6 is "conditional" and shows as 74: a shown number never
//! reaches a threshold its band has not reached. Rounding to nearest would show 75 beside
//! "conditional", and two renderers rounding halves differently (54.5 → 54 or 55) is how
//! outputs came to disagree.

/// A score (0–100) as shown: the whole number at or below it.
pub fn score(x: f64) -> i64 {
    // The document's values carry one decimal; 1e-6 absorbs binary noise such as 28.999999…
    (x + 1e-6).floor() as i64
}

/// A score for a cell: `87`, or `–` when unknown.
pub fn score_cell(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_string(), |v| score(v).to_string())
}

/// A share (0–1, e.g. confidence) as a whole percentage, rounded down like scores.
pub fn percent(share: f64) -> i64 {
    score(share * 100.0)
}

/// A change between two shown scores, as the difference of what is shown (so `54 → 60` reads
/// `+6`, never `+5.5`).
pub fn delta(old: f64, new: f64) -> i64 {
    score(new) - score(old)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_down_so_the_band_is_never_contradicted() {
        assert_eq!(score(74.6), 74);
        assert_eq!(score(74.9), 74);
        assert_eq!(score(75.0), 75);
        assert_eq!(score(54.5), 54);
        assert_eq!(score(0.0), 0);
        assert_eq!(score(100.0), 100);
        assert_eq!(score_cell(None), "–");
        assert_eq!(score_cell(Some(49.9)), "49");
    }

    #[test]
    fn binary_noise_does_not_lose_a_point() {
        assert_eq!(percent(0.29), 29);
        assert_eq!(percent(0.57), 57);
        assert_eq!(score(0.1 + 0.2 + 74.7), 75);
        assert_eq!(delta(54.5, 60.0), 6);
    }
}

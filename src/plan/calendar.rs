//! The plan on a calendar: wave 0 (the foundations) starts the month after the reference date,
//! each wave follows for `wave_months`, and quarters are named the calendar's way or the
//! Australian financial year's. Planning (the capacity risk) and the strategy's roadmap both
//! read months from here, so a wave ends in the same month wherever it is shown.

use crate::config::Quarters;
use crate::inventory::Date;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Months since year 0, so month arithmetic is integer arithmetic.
pub fn month_index(d: Date) -> i64 {
    d.year as i64 * 12 + d.month as i64 - 1
}

pub fn month_label(m: i64) -> String {
    format!("{} {}", MONTHS[m.rem_euclid(12) as usize], m.div_euclid(12))
}

/// Where the waves fall, in months (see [`month_index`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Calendar {
    /// The first month of wave 0 (of wave 1 when there is no wave 0).
    pub start: i64,
    pub foundation_months: i64,
    pub wave_months: i64,
    pub quarters: Quarters,
}

impl Calendar {
    /// The calendar of a plan whose reference date is `reference`.
    pub fn new(reference: Date, foundation_months: u32, wave_months: u32, q: Quarters) -> Self {
        Calendar {
            start: month_index(reference) + 1,
            foundation_months: foundation_months as i64,
            wave_months: wave_months.max(1) as i64,
            quarters: q,
        }
    }

    /// The first and last month of `wave`: 0 the foundations (`None` when they take no
    /// months), 1.. the migration waves after them.
    pub fn span(&self, wave: u32) -> Option<(i64, i64)> {
        if wave == 0 {
            return (self.foundation_months > 0)
                .then(|| (self.start, self.start + self.foundation_months - 1));
        }
        let from = self.start + self.foundation_months + (wave as i64 - 1) * self.wave_months;
        Some((from, from + self.wave_months - 1))
    }

    /// Whether support ending on `eos` ends before `wave` is over: in its last month or
    /// earlier, since a wave's work may run to the month's end.
    pub fn ends_before(&self, eos: Date, wave: u32) -> bool {
        self.span(wave)
            .is_some_and(|(_, to)| month_index(eos) <= to)
    }

    /// The quarter month `m` falls in: `2027 Q1` (January to March), or on the Australian
    /// financial year `2026–27 Q3` (its third quarter, January to March 2027).
    pub fn quarter(&self, m: i64) -> String {
        let (year, month) = (m.div_euclid(12), m.rem_euclid(12));
        match self.quarters {
            Quarters::Calendar => format!("{year} Q{}", month / 3 + 1),
            Quarters::Financial => {
                // July starts the financial year that ends the next June.
                let fy_start = if month >= 6 { year } else { year - 1 };
                let q = (month + 6).rem_euclid(12) / 3 + 1;
                format!("{fy_start}–{:02} Q{q}", (fy_start + 1).rem_euclid(100))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal(q: Quarters) -> Calendar {
        Calendar::new(Date::parse("2026-11-01").unwrap(), 3, 6, q)
    }

    #[test]
    fn wave_zero_comes_first_and_pushes_the_waves_back() {
        let c = cal(Quarters::Calendar);
        let (f0, f1) = c.span(0).unwrap();
        assert_eq!(
            (month_label(f0), month_label(f1)),
            ("Dec 2026".into(), "Feb 2027".into())
        );
        let (w0, w1) = c.span(1).unwrap();
        assert_eq!(
            (month_label(w0), month_label(w1)),
            ("Mar 2027".into(), "Aug 2027".into())
        );
        assert_eq!(month_label(c.span(2).unwrap().0), "Sep 2027");
        let none = Calendar::new(Date::parse("2026-11-01").unwrap(), 0, 6, Quarters::Calendar);
        assert_eq!(none.span(0), None);
        assert_eq!(month_label(none.span(1).unwrap().0), "Dec 2026");
    }

    #[test]
    fn support_ending_in_a_waves_last_month_ends_before_the_wave() {
        let c = cal(Quarters::Calendar);
        assert!(c.ends_before(Date::parse("2027-08-31").unwrap(), 1));
        assert!(!c.ends_before(Date::parse("2027-09-01").unwrap(), 1));
        assert!(c.ends_before(Date::parse("2020-01-01").unwrap(), 1));
    }

    #[test]
    fn financial_year_quarters_start_in_july() {
        let fy = cal(Quarters::Financial);
        let m = |s: &str| month_index(Date::parse(s).unwrap());
        assert_eq!(fy.quarter(m("2026-07-01")), "2026–27 Q1");
        assert_eq!(fy.quarter(m("2026-12-31")), "2026–27 Q2");
        assert_eq!(fy.quarter(m("2027-01-15")), "2026–27 Q3");
        assert_eq!(fy.quarter(m("2027-06-30")), "2026–27 Q4");
        assert_eq!(fy.quarter(m("2099-08-01")), "2099–00 Q1");
        let cy = cal(Quarters::Calendar);
        assert_eq!(cy.quarter(m("2027-01-15")), "2027 Q1");
        assert_eq!(cy.quarter(m("2026-12-31")), "2026 Q4");
    }
}

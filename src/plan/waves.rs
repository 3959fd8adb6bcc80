//! Migration waves: dependency groups (strongly connected components) move together, never
//! before a group they depend on; what is past or near its end of support first (and what it
//! depends on with it), then ready and low-criticality groups first, at most `max_per_wave`
//! workloads and at most `max_points` effort points a wave.
//!
//! Rules chosen here (documented in the README):
//! - Workloads that stay (retire, retain) get no wave and hold nothing back: a retained system
//!   stays reachable where it is; a retired one's dependants must do without it.
//! - A group may share a wave with a group it depends on (it never moves earlier).
//! - A group larger than `max_per_wave` or `max_points` still moves whole, in a wave of its own.
//!
//! Kahn's algorithm over the groups with a priority queue: O((n + e) log n).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::graph::DependencyGraph;

/// What orders groups that are free to move: lower sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Priority {
    /// 0 past end of support, 1 within a year of it, 2 otherwise (the 2025 policy puts legacy
    /// decommissioning first).
    pub urgency: u8,
    /// 0 ready, 1 conditional, 2 not ready, 3 unknown.
    pub band: u8,
    /// 0 low .. 3 critical (4 when unknown).
    pub criticality: u8,
}

/// How big a wave may be: workloads, and effort points when `max_points` is set.
#[derive(Debug, Clone, Copy)]
pub struct Capacity<'a> {
    pub max_per_wave: usize,
    pub max_points: Option<f64>,
    /// Each workload's effort points.
    pub points: &'a [f64],
}

/// `movers[i]`: workload `i` moves (has a wave). Returns each workload's wave (1-based).
pub fn assign(
    graph: &DependencyGraph,
    movers: &[bool],
    priority: &[Priority],
    cap: Capacity,
) -> Vec<Option<u32>> {
    let n = movers.len();
    let max = cap.max_per_wave.max(1);
    let points_of = |i: usize| cap.points.get(i).copied().unwrap_or(0.0);
    let comps = graph.components();
    let mut comp_of = vec![0usize; n];
    for (c, members) in comps.iter().enumerate() {
        for &m in members {
            comp_of[m] = c;
        }
    }
    // Groups: the movers of each component.
    let groups: Vec<Vec<usize>> = comps
        .iter()
        .map(|c| c.iter().copied().filter(|&i| movers[i]).collect())
        .collect();
    let g = groups.len();
    // Edges between groups that move: dependency group -> dependant group.
    let mut dependants: Vec<Vec<usize>> = vec![Vec::new(); g];
    let mut waiting = vec![0usize; g];
    for (i, deps) in graph.edges.iter().enumerate() {
        if !movers[i] {
            continue;
        }
        let to = comp_of[i];
        for &j in deps {
            let from = comp_of[j];
            if from != to && movers[j] {
                dependants[from].push(to);
            }
        }
    }
    for list in &mut dependants {
        list.sort_unstable();
        list.dedup();
        for &to in list.iter() {
            waiting[to] += 1;
        }
    }
    // A group's priority is its most urgent member's urgency, then its least ready, most
    // critical member's band and criticality; ties by first member (workloads are sorted by
    // id), so the result is deterministic.
    let key = |c: usize| {
        let ps = groups[c].iter().map(|&i| priority[i]);
        let worst = Priority {
            urgency: ps.clone().map(|p| p.urgency).min().unwrap_or(2),
            band: ps.clone().map(|p| p.band).max().unwrap_or(0),
            criticality: ps.map(|p| p.criticality).max().unwrap_or(0),
        };
        Reverse((worst, groups[c].first().copied().unwrap_or(usize::MAX), c))
    };
    let mut heap: BinaryHeap<_> = (0..g)
        .filter(|&c| waiting[c] == 0 && !groups[c].is_empty())
        .map(key)
        .collect();
    let mut wave = vec![None; n];
    let (mut current, mut used, mut used_points) = (1u32, 0usize, 0.0f64);
    let release = |c: usize, heap: &mut BinaryHeap<_>, waiting: &mut Vec<usize>| {
        for &to in &dependants[c] {
            waiting[to] -= 1;
            if waiting[to] == 0 {
                heap.push(key(to));
            }
        }
    };
    while let Some(Reverse((_, _, c))) = heap.pop() {
        let size = groups[c].len();
        let points: f64 = groups[c].iter().map(|&i| points_of(i)).sum();
        let over_points = cap
            .max_points
            .is_some_and(|m| used_points + points > m + 1e-9);
        if used > 0 && (used + size > max || over_points) {
            current += 1;
            used = 0;
            used_points = 0.0;
        }
        for &i in &groups[c] {
            wave[i] = Some(current);
        }
        used += size;
        used_points += points;
        release(c, &mut heap, &mut waiting);
    }
    wave
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Priority = Priority {
        urgency: 2,
        band: 0,
        criticality: 0,
    };

    fn by_count(max_per_wave: usize) -> Capacity<'static> {
        Capacity {
            max_per_wave,
            max_points: None,
            points: &[],
        }
    }

    #[test]
    fn dependants_never_move_earlier_and_cycles_move_together() {
        // 0 -> 1 -> 2 <-> 3; max 1 per wave forces one group per wave.
        let g = DependencyGraph {
            edges: vec![vec![1], vec![2], vec![3], vec![2]],
        };
        let w = assign(&g, &[true; 4], &[P; 4], by_count(1));
        assert_eq!(w[2], w[3]);
        assert!(w[1] > w[2] && w[0] > w[1], "{w:?}");
        assert_eq!(w, vec![Some(3), Some(2), Some(1), Some(1)]);
    }

    #[test]
    fn ready_first_and_stayers_get_no_wave() {
        let g = DependencyGraph {
            edges: vec![vec![], vec![], vec![0]],
        };
        let not_ready = Priority {
            urgency: 2,
            band: 2,
            criticality: 0,
        };
        // 0 stays; 2 depends on it but is not held back; 1 is not ready so goes last.
        let w = assign(&g, &[false, true, true], &[P, not_ready, P], by_count(1));
        assert_eq!(w, vec![None, Some(2), Some(1)]);
    }

    #[test]
    fn past_end_of_support_moves_first_even_when_not_ready() {
        let g = DependencyGraph {
            edges: vec![vec![], vec![]],
        };
        let due = Priority {
            urgency: 0,
            band: 2,
            criticality: 3,
        };
        let w = assign(&g, &[true, true], &[P, due], by_count(1));
        assert_eq!(w, vec![Some(2), Some(1)]);
    }

    #[test]
    fn a_group_larger_than_a_wave_moves_whole_in_its_own_wave() {
        // 0 <-> 1 <-> 2 is one group of three; 3 is alone; max 2 a wave.
        let g = DependencyGraph {
            edges: vec![vec![1], vec![2], vec![0], vec![]],
        };
        let w = assign(&g, &[true; 4], &[P; 4], by_count(2));
        assert_eq!(w[0], w[1]);
        assert_eq!(w[1], w[2]);
        assert_ne!(w[0], w[3]);
    }

    #[test]
    fn effort_points_size_the_waves_and_the_count_limit_still_holds() {
        // Four independent workloads of 8, 3, 3 and 1 points.
        let g = DependencyGraph {
            edges: vec![vec![], vec![], vec![], vec![]],
        };
        let points = [8.0, 3.0, 3.0, 1.0];
        let cap = |max_per_wave, max_points| Capacity {
            max_per_wave,
            max_points,
            points: &points,
        };
        // 10 points a wave: 8 fills wave 1 but for nothing over 2; 3 + 3 + 1 fit wave 2.
        let w = assign(&g, &[true; 4], &[P; 4], cap(10, Some(10.0)));
        assert_eq!(w, vec![Some(1), Some(2), Some(2), Some(2)]);
        // Without a point budget all four share one wave.
        let w = assign(&g, &[true; 4], &[P; 4], cap(10, None));
        assert_eq!(w, vec![Some(1); 4]);
        // The count limit still holds under a large point budget.
        let w = assign(&g, &[true; 4], &[P; 4], cap(2, Some(100.0)));
        assert_eq!(w, vec![Some(1), Some(1), Some(2), Some(2)]);
        // A workload bigger than the budget still moves, alone.
        let w = assign(&g, &[true; 4], &[P; 4], cap(10, Some(5.0)));
        assert_eq!(w, vec![Some(1), Some(2), Some(3), Some(3)]);
    }
}

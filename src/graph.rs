//! The dependency graph between workloads: lookups by index, strongly connected components
//! (workloads that depend on each other move together) in linear time.

use crate::inventory::Workload;

pub struct DependencyGraph {
    /// `edges[i]` = indices of the workloads `i` depends on.
    pub edges: Vec<Vec<usize>>,
}

impl DependencyGraph {
    /// `workloads` must be sorted by id (as in an `Inventory`); unknown ids are skipped.
    pub fn new(workloads: &[Workload]) -> Self {
        let edges = workloads
            .iter()
            .map(|w| {
                let mut e: Vec<usize> = w
                    .dependencies()
                    .iter()
                    .filter_map(|(d, _)| workloads.binary_search_by(|x| x.id.as_str().cmp(d)).ok())
                    .collect();
                e.sort_unstable();
                e.dedup();
                e
            })
            .collect();
        DependencyGraph { edges }
    }

    /// Strongly connected components in reverse topological order: every component comes after
    /// the components it depends on. Iterative Tarjan, so a long chain cannot overflow the stack.
    pub fn components(&self) -> Vec<Vec<usize>> {
        let n = self.edges.len();
        const UNSEEN: usize = usize::MAX;
        let mut index = vec![UNSEEN; n];
        let mut low = vec![0; n];
        let mut on_stack = vec![false; n];
        let mut stack = Vec::new();
        let mut out = Vec::new();
        let mut next = 0;
        let mut call: Vec<(usize, usize)> = Vec::new();
        for root in 0..n {
            if index[root] != UNSEEN {
                continue;
            }
            call.push((root, 0));
            while let Some(&mut (v, ref mut ei)) = call.last_mut() {
                if *ei == 0 && index[v] == UNSEEN {
                    index[v] = next;
                    low[v] = next;
                    next += 1;
                    stack.push(v);
                    on_stack[v] = true;
                }
                if let Some(&w) = self.edges[v].get(*ei) {
                    *ei += 1;
                    if index[w] == UNSEEN {
                        call.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                    continue;
                }
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    comp.sort_unstable();
                    out.push(comp);
                }
            }
        }
        out
    }

    /// Components of more than one workload (cycles), ordered by their first member.
    pub fn cycles(&self) -> Vec<Vec<usize>> {
        let mut c: Vec<Vec<usize>> = self
            .components()
            .into_iter()
            .filter(|c| c.len() > 1)
            .collect();
        c.sort();
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: Vec<Vec<usize>>) -> DependencyGraph {
        DependencyGraph { edges }
    }

    #[test]
    fn components_come_after_their_dependencies() {
        // 0 -> 1 -> 2 <-> 3
        let g = graph(vec![vec![1], vec![2], vec![3], vec![2]]);
        let c = g.components();
        assert_eq!(c, vec![vec![2, 3], vec![1], vec![0]]);
        assert_eq!(g.cycles(), vec![vec![2, 3]]);
    }

    #[test]
    fn long_chain_does_not_overflow() {
        let n = 200_000;
        let g = graph(
            (0..n)
                .map(|i| if i + 1 < n { vec![i + 1] } else { vec![] })
                .collect(),
        );
        let c = g.components();
        assert_eq!(c.len(), n);
        assert_eq!(c[0], vec![n - 1]);
    }
}

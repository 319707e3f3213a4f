//! The `after:` graph of a plan, for questions one item's own links cannot
//! answer: which items wait on it, how much work finishing it frees, and
//! an order in which every item comes after those it waits on. Loading
//! refuses cycles, so every walk here ends.

use chrono::NaiveDate;

use super::is_done;
use crate::model::Roadmap;

/// Who waits on whom, both ways.
#[derive(Debug, Clone)]
pub struct Graph {
    /// For each item, the items that name it in their `after:`, in plan
    /// order.
    pub dependents: Vec<Vec<usize>>,
}

impl Graph {
    pub fn new(map: &Roadmap) -> Graph {
        let mut dependents = vec![Vec::new(); map.items.len()];
        for (i, item) in map.items.iter().enumerate() {
            for &j in &item.after {
                dependents[j].push(i);
            }
        }
        Graph { dependents }
    }

    /// For each of `roots`, how many items wait on it, directly or through
    /// others, counting and going through only the items `open` admits
    /// (each once, however many ways lead to it). With `open` as "not
    /// done", this is how much work finishing the root frees to move.
    pub fn waiting_on(&self, roots: &[usize], open: impl Fn(usize) -> bool) -> Vec<usize> {
        // One mark per item, stamped with the root's number, so each walk
        // costs what it visits and not the size of the plan.
        let mut seen = vec![usize::MAX; self.dependents.len()];
        let mut todo = Vec::new();
        roots
            .iter()
            .enumerate()
            .map(|(n, &root)| {
                let mut count = 0;
                seen[root] = n;
                todo.push(root);
                while let Some(i) = todo.pop() {
                    for &d in &self.dependents[i] {
                        if seen[d] != n && open(d) {
                            seen[d] = n;
                            count += 1;
                            todo.push(d);
                        }
                    }
                }
                count
            })
            .collect()
    }
}

/// Every item, each after all those it waits on; among items free to go
/// next, plan order. (Kahn's algorithm.)
pub fn topological(map: &Roadmap) -> Vec<usize> {
    let graph = Graph::new(map);
    let mut left: Vec<usize> = map.items.iter().map(|i| i.after.len()).collect();
    let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<usize>> = left
        .iter()
        .enumerate()
        .filter(|(_, n)| **n == 0)
        .map(|(i, _)| std::cmp::Reverse(i))
        .collect();
    let mut order = Vec::with_capacity(map.items.len());
    while let Some(std::cmp::Reverse(i)) = ready.pop() {
        order.push(i);
        for &d in &graph.dependents[i] {
            left[d] -= 1;
            if left[d] == 0 {
                ready.push(std::cmp::Reverse(d));
            }
        }
    }
    debug_assert_eq!(order.len(), map.items.len(), "loading refuses cycles");
    order
}

/// The items `item` waits on that are not done as of the date.
pub fn pending(map: &Roadmap, item: usize, as_of: NaiveDate) -> Vec<usize> {
    map.items[item]
        .after
        .iter()
        .copied()
        .filter(|&j| !is_done(&map.items[j], as_of))
        .collect()
}

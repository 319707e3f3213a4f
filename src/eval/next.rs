//! The `next` report: the work that can be picked up now, most urgent
//! first.

use chrono::NaiveDate;
use serde::Serialize;

use super::deps::Graph;
use super::items::ItemRow;
use super::{Counts, Selection, State, is_done};
use crate::model::Roadmap;

#[derive(Debug, Clone, Serialize)]
pub struct Next {
    pub as_of: NaiveDate,
    /// What can be started now, most urgent first.
    pub items: Vec<NextRow>,
    /// The selected items, by state: how much is under way, waiting or
    /// blocked besides.
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize)]
pub struct NextRow {
    #[serde(flatten)]
    pub item: ItemRow,
    /// How many items not done wait on this one, directly or through
    /// others: the work that finishing it lets move.
    pub unblocks: usize,
}

/// The items that can be started now: not done, started or blocked,
/// nothing left to wait on, and their window open; that is, `ready`, or
/// `overdue` with nothing in its way (late work that can still be done
/// comes first). The most urgent first: the earliest deadline, then the
/// one that frees the most work, then plan order.
pub fn next(map: &Roadmap, sel: &Selection, as_of: NaiveDate) -> Next {
    let mut counts = Counts::default();
    let mut picks = Vec::new();
    for (i, item) in map.items.iter().enumerate() {
        if !sel.admits(item) {
            continue;
        }
        counts.add_item(map, item, as_of);
        let free = match State::of(map, item, as_of) {
            State::Ready => true,
            State::Overdue => {
                item.started.is_none_or(|d| d > as_of)
                    && item.after.iter().all(|&j| is_done(&map.items[j], as_of))
                    && as_of >= item.window.first_day(map.start)
            }
            _ => false,
        };
        if free {
            picks.push(i);
        }
    }
    let open = |j: usize| !is_done(&map.items[j], as_of);
    let unblocks = Graph::new(map).waiting_on(&picks, open);
    let mut items: Vec<(usize, NextRow)> = picks
        .into_iter()
        .zip(unblocks)
        .map(|(i, unblocks)| {
            let item = ItemRow::new(map, &map.items[i], as_of);
            (i, NextRow { item, unblocks })
        })
        .collect();
    items.sort_by_key(|(i, r)| (r.item.due, std::cmp::Reverse(r.unblocks), *i));
    Next {
        as_of,
        items: items.into_iter().map(|(_, r)| r).collect(),
        counts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::deps::topological;
    use crate::eval::tests::{d, plan};

    fn ids(map: &Roadmap, as_of: &str) -> Vec<(String, usize)> {
        next(map, &Selection::default(), d(as_of))
            .items
            .into_iter()
            .map(|r| (r.item.id, r.unblocks))
            .collect()
    }

    #[test]
    fn the_earliest_deadline_first_then_the_most_work_freed_then_plan_order() {
        let map = plan(
            "      - months: 1-3
        items:
          - {id: plain, area: A, title: Frees nothing}
          - {id: hub, area: A, title: Frees three}
          - {id: two, area: A, title: Frees two}
          - {id: urgent, area: A, title: Due first, due: 2026-02-01}
          - {id: also-plain, area: A, title: Frees nothing either}
      - months: 4-6
        items:
          - {id: x, area: A, title: X, after: [hub, two]}
          - {id: y, area: A, title: Y, after: [x]}
          - {id: z, area: A, title: Z, after: [hub]}
          - {id: w, area: A, title: W, after: [two]}
",
        );
        assert_eq!(
            ids(&map, "2026-01-10"),
            [
                ("urgent".to_string(), 0),
                ("hub".to_string(), 3),
                ("two".to_string(), 3),
                ("plain".to_string(), 0),
                ("also-plain".to_string(), 0),
            ]
        );
    }

    #[test]
    fn only_work_that_can_start_now_and_late_work_with_nothing_in_its_way() {
        let map = plan(
            "      - months: 1-2
        items:
          - {id: late, area: A, title: Late but free}
          - {id: late-waiting, area: A, title: Late and waiting, after: [busy]}
          - {id: busy, area: A, title: Under way, started: 2026-01-05}
          - {id: stuck, area: A, title: Blocked, blocked: why}
          - {id: done, area: A, title: Done, done: 2026-01-07}
          - {id: freed, area: A, title: Was waiting on done, after: [done]}
      - months: 4-5
        items:
          - {id: later, area: A, title: Not open yet}
          - {id: ready, area: A, title: Open now, due: 2026-04-02}
",
        );
        // On 2026-03-10 the first period is over; the second not open.
        assert_eq!(
            ids(&map, "2026-03-10"),
            [("late".to_string(), 0), ("freed".to_string(), 0)]
        );
        let n = next(&map, &Selection::default(), d("2026-04-01"));
        assert_eq!(n.items[0].item.state, State::Overdue);
        let order: Vec<&str> = n.items.iter().map(|r| r.item.id.as_str()).collect();
        assert_eq!(order, ["late", "freed", "ready", "later"]);
        assert_eq!(
            (n.counts.started, n.counts.waiting, n.counts.blocked),
            (0, 0, 1),
            "busy is overdue, late-waiting too"
        );
    }

    #[test]
    fn finishing_an_item_frees_only_work_not_done_each_once() {
        let map = plan(
            "      - months: 1-2
        items:
          - {id: root, area: A, title: Root}
          - {id: left, area: A, title: Left, after: [root]}
          - {id: right, area: A, title: Right, after: [root], done: 2026-01-02}
          - {id: join, area: A, title: Join, after: [left, right]}
          - {id: past-done, area: A, title: After a done one, after: [right]}
",
        );
        let g = Graph::new(&map);
        let open = |j: usize| !is_done(&map.items[j], d("2026-01-05"));
        // left, and join once though two ways lead to it; right is done and
        // what waits on it alone (past-done) is not root's to free.
        assert_eq!(g.waiting_on(&[0, 1, 2], open), [2, 1, 2]);
        let order = topological(&map);
        let pos = |id: &str| order.iter().position(|&i| map.items[i].id == id).unwrap();
        assert!(pos("root") < pos("left") && pos("left") < pos("join"));
        assert!(pos("right") < pos("join") && pos("right") < pos("past-done"));
        assert_eq!(order.len(), 5);
    }

    #[test]
    fn an_owner_filter_picks_that_owners_work_whatever_the_case() {
        let map = plan(
            "      - months: 1-2
        items:
          - {id: a, area: A, title: A, owner: Ana}
          - {id: b, area: A, title: B, owner: Ben}
          - {id: c, area: A, title: C}
",
        );
        let sel = Selection {
            owner: Some("ana".into()),
            ..Selection::default()
        };
        let n = next(&map, &sel, d("2026-01-05"));
        let order: Vec<&str> = n.items.iter().map(|r| r.item.id.as_str()).collect();
        assert_eq!(order, ["a"]);
        assert_eq!(n.counts.total, 1);
    }
}

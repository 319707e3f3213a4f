//! `after:` links between items: read with each item, resolved once every
//! track file is read (an item may wait on one defined later, or in
//! another file), and refused when they name no item or go round in a
//! cycle, whose items would wait on each other forever.

use std::collections::{HashMap, VecDeque};

use rustc_hash::FxHashMap;
use std::path::PathBuf;

use super::decode::Ctx;
use super::yaml::{Kind, Node};
use super::{Builder, Seen};
use crate::diag::{Diagnostic, Diagnostics, Pos, suggest};

/// The `after:` links read so far.
#[derive(Default)]
pub struct Links {
    links: Vec<Link>,
    /// The text of each file that holds links: their diagnostics quote it,
    /// and it is gone by the time links are resolved. Only files with
    /// `after:` are kept.
    sources: Vec<(PathBuf, String)>,
}

/// `from` waits on `to`, written at `pos` of `sources[source]`.
struct Link {
    from: String,
    to: String,
    pos: Pos,
    source: usize,
}

/// Read item `from`'s `after:`: one id, or a list of them.
pub(super) fn read_after(b: &mut Builder, ctx: &mut Ctx, from: &str, node: &Node) {
    let nodes: &[Node] = match &node.kind {
        Kind::Seq(items) => items,
        Kind::Scalar(_) => std::slice::from_ref(node),
        _ => {
            ctx.error(
                node.pos,
                format!(
                    "`after` should be an item id or a list of them, found {}",
                    node.describe()
                ),
                Some("e.g. `after: [shop-oven, shop-lease]`".into()),
            );
            return;
        }
    };
    let links = &mut b.after;
    if links.sources.last().is_none_or(|(f, _)| *f != ctx.file) {
        links.sources.push((ctx.file.clone(), ctx.src.to_string()));
    }
    let source = links.sources.len() - 1;
    let mut named: Vec<String> = Vec::new();
    for n in nodes {
        let Some(to) = ctx.id(n, "item id") else {
            continue;
        };
        if named.contains(&to) {
            ctx.error(
                n.pos,
                format!("`{to}` is listed twice in `after`"),
                Some("list each item it waits on once".into()),
            );
            continue;
        }
        named.push(to.clone());
        links.links.push(Link {
            from: from.to_string(),
            to,
            pos: n.pos,
            source,
        });
    }
}

/// Turn the links into [`Item::after`](crate::model::Item::after)
/// indices; report unknown ids (with a did-you-mean) and every cycle (with
/// its whole loop).
pub(super) fn resolve(b: &mut Builder, diags: &mut Diagnostics) {
    let links = std::mem::take(&mut b.after);
    if links.links.is_empty() {
        return;
    }
    let report = |diags: &mut Diagnostics, l: &Link, message: String, hint: String| {
        let (file, src) = &links.sources[l.source];
        diags.push(
            Diagnostic::new(file, Some(l.pos), message)
                .with_hint(Some(hint))
                .with_source(src),
        );
    };
    let mut edges: Vec<(usize, usize, usize)> = Vec::new();
    {
        // FxHash: ids are the plan's own, and a big plan has many links.
        let index: FxHashMap<&str, usize> = b
            .map
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.id.as_str(), i))
            .collect();
        let mut known: Option<Vec<&str>> = None;
        for (k, l) in links.links.iter().enumerate() {
            match index.get(l.to.as_str()) {
                Some(&to) => {
                    if let Some(&from) = index.get(l.from.as_str()) {
                        edges.push((from, to, k));
                    }
                }
                // An item whose own definition was broken, or a file of
                // items that did not parse, was reported already.
                None if b.broken.contains(&Seen::Item)
                    || b.seen.contains_key(&(Seen::Item, l.to.clone())) => {}
                None => {
                    let known = known.get_or_insert_with(|| b.ids(Seen::Item));
                    let hint = suggest(&l.to, known.iter().copied()).unwrap_or_else(|| {
                        "`after:` lists the ids of items of this plan (`roadmap items` shows them)"
                            .into()
                    });
                    report(
                        diags,
                        l,
                        format!("unknown item `{}` in `after` of `{}`", l.to, l.from),
                        hint,
                    );
                }
            }
        }
    }
    for &(from, to, _) in &edges {
        b.map.items[from].after.push(to);
    }
    let adj: Vec<&[usize]> = b.map.items.iter().map(|i| i.after.as_slice()).collect();
    let loops = cycles(&adj);
    if loops.is_empty() {
        return;
    }
    let link_of: HashMap<(usize, usize), usize> =
        edges.iter().map(|&(f, t, k)| ((f, t), k)).collect();
    for lp in loops {
        let ids: Vec<&str> = lp.iter().map(|&i| b.map.items[i].id.as_str()).collect();
        let l = &links.links[link_of[&(lp[0], lp[1])]];
        let hint = if lp.len() == 2 {
            format!(
                "an item cannot wait on itself: remove `{}` from its `after:`",
                ids[0]
            )
        } else {
            "each item waits on the next, so none of them can ever start: remove one of these `after:` links".into()
        };
        report(
            diags,
            l,
            format!("dependency cycle: {}", ids.join(" → ")),
            hint,
        );
    }
}

/// One loop of each group of items that wait on each other, as item
/// indices from its first item (in file order) back to it: `[a, b, a]`,
/// or `[a, a]` for an item that waits on itself. Tarjan's algorithm,
/// without recursion: a chain of 100,000 items must not overflow the stack.
fn cycles(adj: &[&[usize]]) -> Vec<Vec<usize>> {
    const NONE: usize = usize::MAX;
    let n = adj.len();
    let mut index = vec![NONE; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut calls: Vec<(usize, usize)> = Vec::new();
    let mut next = 0;
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for root in 0..n {
        if index[root] != NONE || adj[root].is_empty() {
            continue;
        }
        macro_rules! enter {
            ($v:expr) => {{
                let v = $v;
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
                calls.push((v, 0));
            }};
        }
        enter!(root);
        while let Some(&(v, e)) = calls.last() {
            if let Some(&w) = adj[v].get(e) {
                calls.last_mut().expect("a call").1 += 1;
                if index[w] == NONE {
                    enter!(w);
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(u, _)) = calls.last() {
                low[u] = low[u].min(low[v]);
            }
            if low[v] == index[v] {
                let mut group = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    group.push(w);
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 || adj[v].contains(&v) {
                    groups.push(group);
                }
            }
        }
    }
    let mut loops: Vec<Vec<usize>> = groups.iter().map(|g| shortest_loop(adj, g)).collect();
    loops.sort_unstable();
    loops
}

/// The shortest loop through the first member of `group` (a strongly
/// connected group of items) that stays inside it.
fn shortest_loop(adj: &[&[usize]], group: &[usize]) -> Vec<usize> {
    let start = *group.iter().min().expect("a group has members");
    if adj[start].contains(&start) {
        return vec![start, start];
    }
    let inside: std::collections::HashSet<usize> = group.iter().copied().collect();
    let mut parent: HashMap<usize, usize> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in adj[v] {
            if w == start {
                let mut path = vec![start];
                let mut at = v;
                while at != start {
                    path.push(at);
                    at = parent[&at];
                }
                path[1..].reverse();
                path.push(start);
                return path;
            }
            if inside.contains(&w) && !parent.contains_key(&w) {
                parent.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    unreachable!("every member of a strongly connected group leads back to it")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loops(edges: &[&[usize]]) -> Vec<Vec<usize>> {
        cycles(edges)
    }

    #[test]
    fn finds_each_loop_once_from_its_first_item() {
        // 0 → 1 → 2 → 0, and 3 on its own waiting on 1.
        assert_eq!(loops(&[&[1], &[2], &[0], &[1]]), [vec![0, 1, 2, 0]]);
        // Two loops, and a self-loop.
        assert_eq!(
            loops(&[&[1], &[0], &[3], &[2], &[4]]),
            [vec![0, 1, 0], vec![2, 3, 2], vec![4, 4]]
        );
        // A loop entered from the middle still starts at its first item.
        assert_eq!(loops(&[&[], &[2], &[3], &[1], &[2]]), [vec![1, 2, 3, 1]]);
    }

    #[test]
    fn a_chain_or_a_diamond_is_no_loop() {
        assert!(loops(&[&[1, 2], &[3], &[3], &[]]).is_empty());
        let chain: Vec<Vec<usize>> = (0..100_000).map(|i| vec![i + 1]).take(99_999).collect();
        let mut adj: Vec<&[usize]> = chain.iter().map(Vec::as_slice).collect();
        adj.push(&[]);
        assert!(loops(&adj).is_empty());
    }

    #[test]
    fn the_loop_reported_is_the_shortest_through_its_first_item() {
        // 0 → 1 → 2 → 3 → 0 and 0 → 3: the short way round is 0 → 3 → 0.
        assert_eq!(loops(&[&[1, 3], &[2], &[3], &[0]]), [vec![0, 3, 0]]);
    }
}

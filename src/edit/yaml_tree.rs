//! Finding an item in a track file's node tree, and comparing trees while
//! ignoring positions.

use crate::load::yaml::{Kind, Node};

/// Where an item sits: `tracks[t].periods[p].items[i]`.
#[derive(Debug, Clone, Copy)]
pub struct ItemPath {
    track: usize,
    period: usize,
    item: usize,
}

pub(super) fn get<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match &node.kind {
        Kind::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
        _ => None,
    }
}

fn get_mut<'a>(node: &'a mut Node, key: &str) -> Option<&'a mut Node> {
    match &mut node.kind {
        Kind::Map(entries) => entries
            .iter_mut()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v),
        _ => None,
    }
}

pub(super) fn seq(node: Option<&Node>) -> &[Node] {
    match node.map(|n| &n.kind) {
        Some(Kind::Seq(items)) => items,
        _ => &[],
    }
}

/// Find the item with `id` in a file holding `tracks:`.
pub fn item_path(root: &Node, id: &str) -> Option<ItemPath> {
    for (t, track) in seq(get(root, "tracks")).iter().enumerate() {
        for (p, period) in seq(get(track, "periods")).iter().enumerate() {
            for (i, item) in seq(get(period, "items")).iter().enumerate() {
                if let Some(Kind::Scalar(s)) = get(item, "id").map(|n| &n.kind)
                    && s.text == id
                {
                    return Some(ItemPath {
                        track: t,
                        period: p,
                        item: i,
                    });
                }
            }
        }
    }
    None
}

impl ItemPath {
    pub fn node<'a>(&self, root: &'a Node) -> &'a Node {
        let track = &seq(get(root, "tracks"))[self.track];
        let period = &seq(get(track, "periods"))[self.period];
        &seq(get(period, "items"))[self.item]
    }

    pub fn node_mut<'a>(&self, root: &'a mut Node) -> &'a mut Node {
        let nth = |node: &'a mut Node, key: &str, i: usize| -> &'a mut Node {
            match &mut get_mut(node, key)
                .expect("path was found in this tree")
                .kind
            {
                Kind::Seq(items) => &mut items[i],
                _ => unreachable!("path was found in this tree"),
            }
        };
        let track = nth(root, "tracks", self.track);
        let period = nth(track, "periods", self.period);
        nth(period, "items", self.item)
    }
}

/// Equal as data: same kinds, texts, keys and order; positions ignored.
pub fn same_tree(a: &Node, b: &Node) -> bool {
    match (&a.kind, &b.kind) {
        (Kind::Null, Kind::Null) => true,
        (Kind::Scalar(x), Kind::Scalar(y)) => x.text == y.text && x.typed == y.typed,
        (Kind::Seq(x), Kind::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_tree(a, b))
        }
        (Kind::Map(x), Kind::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka.name == kb.name && same_tree(va, vb))
        }
        _ => false,
    }
}

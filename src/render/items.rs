//! Drawing the `items` report.

use super::Style;
use super::status::item_grid;
use crate::cli::Format;
use crate::eval::items::ItemRow;

/// `items --format json`: an object, so fields can be added beside the
/// list without breaking a script.
#[derive(serde::Serialize)]
pub struct Listing<'a> {
    pub as_of: chrono::NaiveDate,
    pub items: &'a [ItemRow],
}

pub fn text(rows: &[ItemRow], format: Format, style: Style, width: usize) -> String {
    if rows.is_empty() {
        return "No items match.\n".to_string();
    }
    let mut out = item_grid(rows, true).render(format, style, width);
    let done = rows.iter().filter(|r| r.done.is_some()).count();
    out.push_str(&format!(
        "\n{} · {done} done · {} overdue\n",
        super::plural(rows.len(), "item"),
        rows.iter().filter(|r| r.overdue).count()
    ));
    out
}

//! Markdown as GitHub renders it, within GitHub's limits: the finishing
//! pass every `--format markdown` report goes through (blank lines around
//! tables, so a line under a table is not read as a broken row of it), long
//! lists of ids folded into `<details>` and cut to a readable length, and a
//! size budget that keeps a report well under the 1 MiB GitHub accepts in a
//! job's step summary. The committed markdownlint-cli2 configuration
//! (`tests/markdownlint/.markdownlint-cli2.yaml`) says which of its rules
//! are relaxed and why; `tests/cli/markdown.rs` lints every report with it
//! and renders each with a GFM renderer.

use std::fmt::Write as _;

/// A list of ids is wrapped to lines of about this many characters: the
/// Markdown stays readable as text, and no line runs on (GitHub joins the
/// lines of a paragraph anyway).
pub const LINE: usize = 100;

/// Up to this many ids are written inline after their label; more are
/// folded into `<details>`, so a long list does not push the rest of the
/// report off the page.
pub const INLINE_IDS: usize = 10;

/// A folded list names at most this many ids, then how many more there
/// are and the command that lists them: a 100k-item plan had 20,000 open
/// items in one gate.
pub const IDS: usize = 250;

/// A Markdown table has at most this many rows, then a line saying how
/// many were left out: more is not read in a summary, and a 100k-item
/// listing was 15 MB.
pub const ROWS: usize = 250;

/// A report longer than this is cut at a line, with a note saying so: the
/// lists above keep every report on the bundled and generated plans far
/// below it, so this only guards what no list cap foresaw. GitHub rejects
/// a step summary over 1 MiB whole; this leaves room for several reports
/// appended to the same one.
pub const BUDGET: usize = 128 * 1024;

/// The last touches every Markdown report gets, in one place so that no
/// command can forget them: a blank line before and after each table (a
/// line right under a table is otherwise read as a row of it, with cells
/// missing), one blank line between blocks, and one newline at the end.
/// Code fences are left as they are.
pub fn finish(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut fence: Option<&str> = None;
    // The kind of the last line written, to decide on blank lines.
    #[derive(PartialEq)]
    enum Last {
        Start,
        Blank,
        Row,
        Other,
    }
    let mut last = Last::Start;
    for line in text.lines() {
        if let Some(marker) = fence {
            out.push_str(line);
            out.push('\n');
            if line.trim_start().starts_with(marker) && line.trim() == marker {
                fence = None;
            }
            last = Last::Other;
            continue;
        }
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            if last != Last::Start {
                last = Last::Blank;
            }
            continue;
        }
        let row = line.starts_with('|');
        match last {
            Last::Start => {}
            Last::Blank => out.push('\n'),
            // A table starts or ends here: it needs a blank line.
            Last::Row if !row => out.push('\n'),
            Last::Other if row => out.push('\n'),
            _ => {}
        }
        out.push_str(line);
        out.push('\n');
        last = if row { Last::Row } else { Last::Other };
        for marker in ["```", "~~~"] {
            if trimmed.starts_with(marker) {
                fence = Some(marker);
            }
        }
    }
    out
}

/// `text` cut at a line to fit `budget` bytes, with a note saying how much
/// was left out, when it is longer; else `text` itself. In Markdown a cut
/// inside a code fence or a `<details>` block closes it, so what follows
/// renders as meant.
pub fn cap(text: &str, budget: usize, markdown: bool) -> String {
    if text.len() <= budget {
        return text.to_string();
    }
    // Room for the note and the closing lines.
    let room = budget.saturating_sub(512);
    let mut end = 0;
    for (i, _) in text.match_indices('\n') {
        if i + 1 > room {
            break;
        }
        end = i + 1;
    }
    let kept = &text[..end];
    let left = text[end..].lines().count();
    let mut out = kept.to_string();
    let why = if markdown {
        "to stay well under the 1 MiB GitHub accepts in a step summary"
    } else {
        "as GITHUB_STEP_SUMMARY is set and GitHub accepts at most 1 MiB in a step summary"
    };
    let note = format!(
        "This report was cut here, {left} lines before its end, {why}; `--format json` \
         gives all of it."
    );
    if markdown {
        let mut fence = false;
        let mut open_details = 0usize;
        for line in kept.lines() {
            let t = line.trim_start();
            if t.starts_with("```") {
                fence = !fence;
            } else if !fence {
                open_details += t.matches("<details>").count();
                open_details = open_details.saturating_sub(t.matches("</details>").count());
            }
        }
        if fence {
            out.push_str("```\n");
        }
        for _ in 0..open_details {
            out.push_str("\n</details>\n");
        }
        let _ = write!(out, "\n*{note}*\n");
    } else {
        let _ = writeln!(out, "… {note}");
    }
    out
}

/// Text for an HTML element's content (a `<summary>`): `&`, `<` and `>`
/// would otherwise be read as markup.
pub fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `entries` joined with ", " into lines of about [`LINE`] characters.
pub fn wrapped(entries: &[String]) -> String {
    let mut out = String::new();
    let mut col = 0;
    for (i, e) in entries.iter().enumerate() {
        let last = i + 1 == entries.len();
        let piece = if last { e.clone() } else { format!("{e},") };
        if col > 0 && col + 1 + piece.len() > LINE {
            out.push('\n');
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(&piece);
        col += piece.len();
    }
    out
}

/// A list of ids: `label: a, b, c` on its own when short, else a
/// `<details>` block with `summary`, holding at most [`IDS`] of them and,
/// when some were left out, how many and `all`, the command that lists
/// them all. Each id is written as code (ids are letters, digits, `-` and
/// `_`, and read best that way). A short list's lines after the first
/// start with `indent` (for one inside a list item).
pub fn ids(label: &str, summary: &str, ids: &[&str], all: &str, indent: &str) -> String {
    let code: Vec<String> = ids.iter().take(IDS).map(|id| format!("`{id}`")).collect();
    list(label, summary, &code, ids.len(), Some(all), indent)
}

/// The first [`IDS`] of `total` entries (already Markdown), as [`ids`]
/// writes them. Ends with a newline; blank lines around it are the
/// caller's (or [`finish`]'s).
pub fn list(
    label: &str,
    summary: &str,
    entries: &[String],
    total: usize,
    all: Option<&str>,
    indent: &str,
) -> String {
    let entries = &entries[..entries.len().min(IDS)];
    if total <= INLINE_IDS {
        let lines = wrapped(entries).replace('\n', &format!("\n{indent}"));
        return format!("{label}: {lines}\n");
    }
    let mut out = format!("<details><summary>{}</summary>\n\n", html(summary));
    out.push_str(&wrapped(entries));
    out.push('\n');
    let more = total - entries.len();
    if more > 0 {
        match all {
            Some(all) => {
                let _ = write!(out, "\n… and {more} more: `{all}`\n");
            }
            None => {
                let _ = write!(out, "\n… and {more} more\n");
            }
        }
    }
    out.push_str("\n</details>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_get_blank_lines_around_them() {
        let text = "Heading\n| a |\n|---|\n| 1 |\n… and 3 more\n\n\n\nend";
        assert_eq!(
            finish(text),
            "Heading\n\n| a |\n|---|\n| 1 |\n\n… and 3 more\n\nend\n"
        );
        // Fenced text is left alone, blank lines and all.
        let fenced = "```mermaid\ngantt\n\n\n| not a row\n```\n| a |\n";
        assert_eq!(
            finish(fenced),
            "```mermaid\ngantt\n\n\n| not a row\n```\n\n| a |\n"
        );
        assert_eq!(finish("\n\nx\n\n"), "x\n");
    }

    #[test]
    fn a_long_report_is_cut_with_a_note_and_its_blocks_closed() {
        let mut text = String::from("<details><summary>many</summary>\n\n");
        for i in 0..1000 {
            let _ = writeln!(text, "line {i}");
        }
        let cut = cap(&text, 2000, true);
        assert!(cut.len() <= 2000, "{}", cut.len());
        assert!(cut.contains("\n</details>\n"), "{cut}");
        let left: usize = cut
            .lines()
            .last()
            .unwrap()
            .split_whitespace()
            .find_map(|w| w.parse().ok())
            .unwrap();
        let kept = cut.lines().filter(|l| l.starts_with("line ")).count();
        assert_eq!(kept + left, 1000);
        // Within the budget, nothing changes.
        assert_eq!(cap("short\n", 2000, true), "short\n");
        let fenced = format!("```mermaid\n{}", "task\n".repeat(1000));
        assert!(cap(&fenced, 1000, true).contains("task\n```\n"));
    }

    #[test]
    fn long_id_lists_fold_and_stop() {
        let few = ["a", "b"];
        assert_eq!(
            ids("Open", "2 open", &few, "roadmap items", ""),
            "Open: `a`, `b`\n"
        );
        let many: Vec<String> = (0..300).map(|i| format!("item-{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let out = ids("Open", "300 open items", &many, "roadmap items --open", "");
        assert!(out.starts_with("<details><summary>300 open items</summary>\n\n`item-0`, "));
        assert!(out.contains("`item-249`\n\n… and 50 more: `roadmap items --open`\n"));
        assert!(!out.contains("item-250"));
        assert!(out.ends_with("\n</details>\n"));
        assert!(out.lines().all(|l| l.len() <= LINE + 20), "{out}");
    }

    #[test]
    fn summaries_escape_markup() {
        assert_eq!(html("<b> & co"), "&lt;b&gt; &amp; co");
    }
}

//! Diagnostics: what is wrong with the user's input, where, and how to fix it.
//!
//! Every problem found while loading a roadmap or an input file becomes a
//! [`Diagnostic`] carrying `file:line:col`, a message and an optional hint.
//! Loaders push into a [`Diagnostics`] list instead of stopping at the first
//! problem, so a user fixes everything in one edit-run cycle (the lesson of
//! hledger #2203).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A position in a text file: 1-based line and column (in characters), plus
/// the byte offset and length of the offending token for snippets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u64,
    pub col: u64,
    pub offset: usize,
    pub len: usize,
}

impl Pos {
    /// The position `delta` bytes into the scalar that starts at `self` in
    /// `src`, for pointing inside a scalar (e.g. at one word of an alert
    /// condition). Exact for plain and simply quoted one-line scalars,
    /// which is where we use it.
    pub fn shifted(self, src: &str, delta: usize, len: usize) -> Pos {
        let rest = src.get(self.offset..).unwrap_or("");
        let quote = usize::from(rest.starts_with(['"', '\'']));
        let chars = rest
            .get(quote..quote + delta)
            .map_or(delta, |s| s.chars().count());
        Pos {
            line: self.line,
            col: self.col + (quote + chars) as u64,
            offset: self.offset + quote + delta,
            len,
        }
    }
}

/// One problem with the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// `None` when the problem concerns the file as a whole (missing, unreadable).
    pub pos: Option<Pos>,
    pub message: String,
    pub hint: Option<String>,
    /// The source line the position points into, for the excerpt.
    pub excerpt: Option<String>,
}

impl Diagnostic {
    pub fn new(file: impl Into<PathBuf>, pos: Option<Pos>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            pos,
            message: message.into(),
            hint: None,
            excerpt: None,
        }
    }

    pub fn with_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// `file:line:col`; `file:line` for a whole line (a CSV row, col 0);
    /// just `file` when there is no position.
    pub fn location(&self) -> String {
        match self.pos {
            Some(p) if p.col == 0 => format!("{}:{}", self.file.display(), p.line),
            Some(p) => format!("{}:{}:{}", self.file.display(), p.line, p.col),
            None => self.file.display().to_string(),
        }
    }

    /// Attach the source line the position points into. The byte offset
    /// finds it directly when known; otherwise the line number does.
    pub fn with_source(mut self, source: &str) -> Self {
        if let Some(p) = self.pos
            && p.line > 0
        {
            let line =
                if p.offset > 0 && p.offset <= source.len() && source.is_char_boundary(p.offset) {
                    let start = source[..p.offset].rfind('\n').map_or(0, |i| i + 1);
                    let end = source[p.offset..]
                        .find('\n')
                        .map_or(source.len(), |i| p.offset + i);
                    Some(&source[start..end])
                } else {
                    source.lines().nth((p.line - 1) as usize)
                };
            self.excerpt = line.map(|l| {
                l.trim_end_matches('\r')
                    .trim_start_matches('\u{feff}')
                    .to_string()
            });
        }
        self
    }

    /// Render for a terminal: `file:line:col: message`, the excerpt with a
    /// caret under the problem, then the hint.
    pub fn render(&self, style: &crate::render::Style) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            "{}: {}",
            style.bold(&visible(&self.location())),
            style.red(&visible(&self.message))
        );
        if let (Some(p), Some(line)) = (self.pos, &self.excerpt) {
            let gutter = p.line.to_string();
            let pad = " ".repeat(gutter.len());
            let col = p.col.saturating_sub(1) as usize;
            // Column 0 stands for the whole line (a CSV row).
            let len = if p.col == 0 { line.len() } else { p.len };
            // Columns count characters while the token length is in bytes:
            // walk the line so a non-ASCII token gets the right number of carets.
            let mut bytes = 0;
            let width = line
                .chars()
                .skip(col)
                .take_while(|c| {
                    let more = bytes < len;
                    bytes += c.len_utf8();
                    more
                })
                .count()
                .max(1);
            let (line, indent, carets) = clip(line, col, width);
            let _ = write!(
                out,
                "\n{pad} {}\n{} {} {line}\n{pad} {} {}{}",
                style.dim("|"),
                style.dim(&gutter),
                style.dim("|"),
                style.dim("|"),
                " ".repeat(indent),
                style.red(&"^".repeat(carets)),
            );
        }
        if let Some(h) = &self.hint {
            let _ = write!(out, "\n  {} {}", style.cyan("hint:"), visible(h));
        }
        out
    }
}

/// How many terminal columns of a source line an excerpt shows: a
/// minified file or a megabyte-long CSV row must not flood the terminal.
const EXCERPT: usize = 100;

/// The part of `line` around the characters `col..col + width` that fits
/// [`EXCERPT`] columns, with `…` where it was cut; control characters
/// shown as visible symbols (a tab as one space), one per character.
/// Returns the text, then the terminal columns before the token and the
/// columns it takes (at least one): positions count characters, but a
/// CJK character or an emoji takes two columns, and the carets must land
/// under it.
fn clip(line: &str, col: usize, width: usize) -> (String, usize, usize) {
    let cols = |c: &char| unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
    let chars: Vec<char> = visible(line).chars().collect();
    // Columns before each character, so any span is a subtraction (a
    // line can be a megabyte long).
    let before: Vec<usize> = std::iter::once(0)
        .chain(chars.iter().scan(0, |sum, c| {
            *sum += cols(c);
            Some(*sum)
        }))
        .collect();
    let span = |from: usize, to: usize| before[to] - before[from];
    // A position past the end of the line (a missing value) keeps its
    // distance from it.
    let past = col.saturating_sub(chars.len());
    let col = col.min(chars.len());
    let mut end = (col + width).min(chars.len());
    let (mut from, mut to) = (0, chars.len());
    if span(0, chars.len()) > EXCERPT {
        // A token wider than the excerpt shows its start.
        while end > col + 1 && span(col, end) > EXCERPT {
            end -= 1;
        }
        // Context on both sides, half the room each, the rest to
        // whichever side has more.
        let room = EXCERPT.saturating_sub(span(col, end));
        from = col;
        while from > 0 && span(from - 1, col) <= room / 2 {
            from -= 1;
        }
        to = end;
        while to < chars.len() && span(from, to + 1) <= EXCERPT {
            to += 1;
        }
        while from > 0 && span(from - 1, to) <= EXCERPT {
            from -= 1;
        }
    }
    let mut text: String = chars[from..to].iter().collect();
    let mut indent = span(from, col) + past;
    if from > 0 {
        text.insert(0, '…');
        indent += 1;
    }
    if to < chars.len() {
        text.push('…');
    }
    (text, indent, span(col, end).max(1))
}

/// `text` with control characters (a NUL, an escape sequence that would
/// clear the screen or retitle the terminal) replaced by their visible
/// Unicode symbols (`␀`, `␛`): input is shown, never obeyed.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\n' => c,
                '\t' => ' ',
                '\x7f' => '\u{2421}',
                c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
                c if c.is_control() => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

/// Every problem found in one run, in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Order by file, then position, so output is stable whatever order the
    /// checks ran in.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.pos.map(|p| (p.line, p.col)))
                .cmp(&(&b.file, b.pos.map(|p| (p.line, p.col))))
        });
        self.0.dedup();
    }
}

/// The candidate closest to `word`, if it is close enough to be a plausible
/// typo: "did you mean `cac`?".
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// The candidate `word` is most plausibly a typo of.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_l = word.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = levenshtein(&word_l, &c.to_lowercase());
        // Allow roughly one edit per three characters, at least one.
        let limit = (word.chars().count().max(c.chars().count()) / 3).max(1);
        let prefix = c.len() > 2 && (c.starts_with(&word_l) || word_l.starts_with(c));
        // Ties go to the alphabetically first candidate, so the hint does
        // not depend on the order candidates come in.
        if (d <= limit || prefix) && best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Edit distance counting a swap of two neighbours as one edit (`cca` is
/// one typo away from `cac`): the optimal string alignment distance.
fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// Show `path` relative to the current directory when it is inside it, so
/// messages read `roadmap/kpis.yaml:3:5` rather than a long absolute path.
pub fn display_path(path: &Path) -> PathBuf {
    if path.is_relative() {
        return path.to_path_buf();
    }
    match std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
    {
        // The current folder itself.
        Some(p) if p.as_os_str().is_empty() => PathBuf::from("."),
        Some(p) => p,
        None => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The excerpt line and the caret line of `line` with the token of
    /// `len` bytes at 1-based character column `col`.
    fn excerpt(line: &str, col: u64, len: usize) -> (String, String) {
        let pos = Pos {
            line: 7,
            col,
            offset: 0,
            len,
        };
        let out = Diagnostic::new("f.yaml", Some(pos), "bad")
            .with_source(&format!("{}{line}\n", "\n".repeat(6)))
            .render(&crate::render::Style::new(false));
        let lines: Vec<&str> = out.lines().collect();
        (lines[2].to_string(), lines[3].to_string())
    }

    /// The terminal column `needle` starts at in `line`.
    fn column_of(line: &str, needle: &str) -> usize {
        crate::render::display_width(&line[..line.find(needle).unwrap()])
    }

    #[test]
    fn carets_land_under_the_token_after_wide_characters_and_tabs() {
        for line in [
            "title: 中文标题, monts: 1",
            "- {title: 🚀 launch 发射, monts: 1-2}",
            "\tkey:\t中文\tmonts: 1",
            "名字：中文 monts",
        ] {
            // As YAML reports it: in characters.
            let col = line[..line.find("monts").unwrap()].chars().count() + 1;
            let (text, carets) = excerpt(line, col as u64, 5);
            assert_eq!(
                column_of(&carets, "^^^^^"),
                column_of(&text, "monts"),
                "\n{text}\n{carets}"
            );
            assert!(!carets.contains("^^^^^^"), "{carets}");
        }
    }

    #[test]
    fn a_wide_token_gets_a_caret_per_column() {
        let (text, carets) = excerpt("area: 厨房, title: x", 7, "厨房".len());
        assert!(text.ends_with("area: 厨房, title: x"), "{text}");
        assert_eq!(column_of(&carets, "^"), column_of(&text, "厨房"));
        assert!(carets.ends_with(" ^^^^"), "{carets}");
    }

    #[test]
    fn a_long_wide_line_is_cut_to_the_excerpt_around_the_token() {
        let line = format!("{}monts{}", "中".repeat(300), "文".repeat(300));
        let (text, carets) = excerpt(&line, 301, 5);
        let width = crate::render::display_width(&text);
        // The excerpt, the gutter and the two `…`.
        assert!(width <= EXCERPT + 6, "{width}: {text}");
        assert!(text.contains("…中") && text.contains("文…"), "{text}");
        assert_eq!(column_of(&carets, "^^^^^"), column_of(&text, "monts"));
    }

    #[test]
    fn suggests_close_ids_only() {
        let ids = ["cac", "revenue", "leads", "lead_conversion"];
        assert_eq!(suggest("cca", ids), Some("did you mean `cac`?".into()));
        assert_eq!(
            suggest("revenu", ids),
            Some("did you mean `revenue`?".into())
        );
        assert_eq!(suggest("lead", ids), Some("did you mean `leads`?".into()));
        assert_eq!(suggest("zzzzzz", ids), None);
    }

    #[test]
    fn levenshtein_counts_edits() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("días", "dias"), 1);
        assert_eq!(levenshtein("cca", "cac"), 1);
    }
}

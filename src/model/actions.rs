//! Alert actions as they are carried out: the steps an action takes (its
//! `run:` command, its `notify:` webhook), how one attempt at a step ended,
//! the rows of the `actions.csv` log, and webhook URLs whose `${VAR}`s are
//! filled from the environment when they are used, never from the file.

use std::fmt;

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

/// How many attempts a step gets in one firing episode: the first, and two
/// retries on later runs. A daily schedule so tries for three days, which
/// rides out a webhook that is down for a day without calling a broken
/// script for as long as the alert fires.
pub const MAX_ATTEMPTS: usize = 3;

/// One thing an action does when its alert fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// Run the `run:` command.
    Run,
    /// POST to the `notify:` URL.
    Notify,
}

impl Step {
    pub fn name(self) -> &'static str {
        match self {
            Step::Run => "run",
            Step::Notify => "notify",
        }
    }

    pub fn parse(text: &str) -> Option<Step> {
        match text {
            "run" => Some(Step::Run),
            "notify" => Some(Step::Notify),
            _ => None,
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Step {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// How one attempt at a step ended, as the log writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The command exited 0, or the webhook answered 2xx.
    Ok,
    /// The command exited with this non-zero code (`exit 3`).
    Exit(i32),
    /// The webhook answered this status (`http 500`).
    Http(u16),
    /// It took longer than the action's `timeout:` and was stopped.
    Timeout,
    /// It could not be done at all: the program did not start, was killed
    /// by a signal, the host could not be reached.
    Error,
}

impl Outcome {
    pub fn is_ok(self) -> bool {
        self == Outcome::Ok
    }

    /// Read back what [`Display`](fmt::Display) wrote.
    pub fn parse(text: &str) -> Option<Outcome> {
        let number = |prefix: &str| text.strip_prefix(prefix)?.parse().ok();
        match text {
            "ok" => Some(Outcome::Ok),
            "timeout" => Some(Outcome::Timeout),
            "error" => Some(Outcome::Error),
            _ => match number("exit ") {
                Some(0) => None,
                Some(code) => Some(Outcome::Exit(code)),
                None => number("http ")
                    .and_then(|s: i32| u16::try_from(s).ok())
                    .filter(|s| (100..=999).contains(s) && !(200..300).contains(s))
                    .map(Outcome::Http),
            },
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Ok => f.write_str("ok"),
            Outcome::Exit(code) => write!(f, "exit {code}"),
            Outcome::Http(status) => write!(f, "http {status}"),
            Outcome::Timeout => f.write_str("timeout"),
            Outcome::Error => f.write_str("error"),
        }
    }
}

impl Serialize for Outcome {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What one attempt did: how it ended, and what it printed (a command's
/// standard output and error, interleaved; a webhook's answer or why there
/// was none), already cut to a bounded size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub outcome: Outcome,
    pub output: String,
}

/// How long the log's excerpt of an attempt's output is, in characters.
pub const EXCERPT_CHARS: usize = 160;

impl Attempt {
    /// The end of the output on one line, as the log keeps it: lines
    /// joined with ` ⏎ `, control characters made visible, at most
    /// [`EXCERPT_CHARS`] characters (the end, where a failure says why).
    /// One line, because `merge=union` merges lines: a quoted line break
    /// would be torn apart by a merge.
    pub fn excerpt(&self) -> String {
        let lines: Vec<&str> = self
            .output
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let joined = lines.join(" ⏎ ");
        let joined = crate::diag::visible(&joined).replace('\n', " ");
        let count = joined.chars().count();
        match count > EXCERPT_CHARS {
            true => {
                let tail: String = joined.chars().skip(count - (EXCERPT_CHARS - 1)).collect();
                format!("…{}", tail.trim_start())
            }
            false => joined,
        }
    }
}

/// One row of `actions.csv`: one attempt at one step of an action, for one
/// alert's firing episode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub alert: String,
    /// The first day of the firing episode the attempt was for.
    pub episode: NaiveDate,
    pub action: String,
    pub step: Step,
    /// The as-of date of the run that made the attempt.
    pub as_of: NaiveDate,
    /// When the attempt was made (UTC, RFC 3339), as the clock said.
    pub at: String,
    pub outcome: Outcome,
    /// The start of the attempt's output, on one line.
    pub output: String,
    /// Its line in `actions.csv`, for messages.
    pub line: u64,
}

/// A `notify:` URL with `${NAME}` placeholders, which are filled from the
/// environment when the webhook is called: a webhook URL is a secret (who
/// has it can post to the channel), so it belongs in CI's secrets, not in
/// git.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlTemplate {
    /// As written in alerts.yaml, placeholders and all: the only form
    /// shown in reports and logs.
    pub text: String,
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Var(String),
}

/// A `${NAME}` of a [`UrlTemplate`] that the environment does not set (or
/// sets to nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingVar(pub String);

/// Why a URL template cannot be read: where (byte offset and length) and
/// what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub at: usize,
    pub len: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl UrlTemplate {
    /// Read `text`: literal text and `${NAME}` placeholders, NAME being
    /// letters, digits and `_`, not starting with a digit. The URL must
    /// start with `http://` or `https://`, or with a placeholder (the whole
    /// URL from a secret, the usual case), whose value is checked when it
    /// is used.
    pub fn parse(text: &str) -> Result<UrlTemplate, TemplateError> {
        let mut parts = Vec::new();
        let mut rest = text;
        let mut offset = 0;
        while let Some(at) = rest.find("${") {
            if at > 0 {
                parts.push(Part::Text(rest[..at].to_string()));
            }
            let after = &rest[at + 2..];
            let Some(end) = after.find('}') else {
                return Err(TemplateError {
                    at: offset + at,
                    len: 2,
                    message: "`${` is not closed by `}`".into(),
                    hint: Some("write a variable as `${NAME}`".into()),
                });
            };
            let name = &after[..end];
            let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                return Err(TemplateError {
                    at: offset + at,
                    len: name.len() + 3,
                    message: format!("`${{{name}}}` is not a variable name"),
                    hint: Some(
                        "a variable name is letters, digits and `_`, e.g. `${SLACK_WEBHOOK_URL}`"
                            .into(),
                    ),
                });
            }
            parts.push(Part::Var(name.to_string()));
            offset += at + 2 + end + 1;
            rest = &after[end + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        if let Some(Part::Text(first)) = parts.first() {
            let lower = first.to_ascii_lowercase();
            if !["http://", "https://"].iter().any(|s| lower.starts_with(s)) {
                return Err(TemplateError {
                    at: 0,
                    len: text.len(),
                    message: format!("`{text}` is not an http:// or https:// URL"),
                    hint: Some(
                        "write the webhook's URL, or take all of it from the environment: \
                         `notify: ${ROADMAP_WEBHOOK_URL}`"
                            .into(),
                    ),
                });
            }
        }
        if parts.is_empty() {
            return Err(TemplateError {
                at: 0,
                len: 0,
                message: "`notify` is empty".into(),
                hint: None,
            });
        }
        Ok(UrlTemplate {
            text: text.to_string(),
            parts,
        })
    }

    /// The names of its placeholders, in order.
    pub fn vars(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var(name) => Some(name.as_str()),
            Part::Text(_) => None,
        })
    }

    /// The URL with each placeholder replaced by `lookup(NAME)`, and the
    /// values used (to keep them out of anything printed or logged).
    pub fn expand(
        &self,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<(String, Vec<(String, String)>), MissingVar> {
        let mut url = String::new();
        let mut secrets = Vec::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => url.push_str(t),
                Part::Var(name) => {
                    let value = lookup(name)
                        .filter(|v| !v.is_empty())
                        .ok_or_else(|| MissingVar(name.clone()))?;
                    url.push_str(&value);
                    secrets.push((name.clone(), value));
                }
            }
        }
        Ok((url, secrets))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "HOOK" => Some("https://hooks.example.com/T0/B1/xyz".into()),
            "TOKEN" => Some("s3cret".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn placeholders_are_filled_from_the_lookup_and_reported_as_secrets() {
        let t = UrlTemplate::parse("${HOOK}").unwrap();
        assert_eq!(
            t.expand(env).unwrap().0,
            "https://hooks.example.com/T0/B1/xyz"
        );
        let t = UrlTemplate::parse("https://example.com/hook?token=${TOKEN}&x=1").unwrap();
        let (url, secrets) = t.expand(env).unwrap();
        assert_eq!(url, "https://example.com/hook?token=s3cret&x=1");
        assert_eq!(secrets, [("TOKEN".to_string(), "s3cret".to_string())]);
        assert_eq!(t.vars().collect::<Vec<_>>(), ["TOKEN"]);
        // A literal URL has nothing to fill.
        let t = UrlTemplate::parse("http://127.0.0.1:9/x").unwrap();
        assert_eq!(t.expand(env).unwrap().0, "http://127.0.0.1:9/x");
    }

    #[test]
    fn a_missing_or_empty_variable_is_named() {
        let t = UrlTemplate::parse("${NOPE}").unwrap();
        assert_eq!(t.expand(env), Err(MissingVar("NOPE".into())));
        let t = UrlTemplate::parse("https://x/${EMPTY}").unwrap();
        assert_eq!(t.expand(env), Err(MissingVar("EMPTY".into())));
    }

    #[test]
    fn bad_templates_say_where() {
        let e = UrlTemplate::parse("https://x/${TOKEN").unwrap_err();
        assert_eq!(
            (e.at, e.message.as_str()),
            (10, "`${` is not closed by `}`")
        );
        let e = UrlTemplate::parse("https://x/${1A}").unwrap_err();
        assert_eq!(e.at, 10);
        assert!(e.message.contains("not a variable name"), "{e:?}");
        let e = UrlTemplate::parse("ftp://x/y").unwrap_err();
        assert!(e.message.contains("not an http"), "{e:?}");
        assert!(UrlTemplate::parse("hooks.slack.com/services/x").is_err());
        assert!(UrlTemplate::parse("HTTPS://x").is_ok());
    }

    #[test]
    fn excerpts_are_one_line_and_keep_the_end() {
        let a = |output: &str| Attempt {
            outcome: Outcome::Exit(1),
            output: output.into(),
        };
        assert_eq!(a("").excerpt(), "");
        assert_eq!(
            a("starting\r\n\n  step 2\nerror: \x1b[31mdisk full\t!\n").excerpt(),
            "starting ⏎ step 2 ⏎ error: ␛[31mdisk full !"
        );
        let long = format!("{}\nthe reason", "x".repeat(500));
        let e = a(&long).excerpt();
        assert_eq!(e.chars().count(), EXCERPT_CHARS);
        assert!(e.starts_with('…') && e.ends_with("x ⏎ the reason"), "{e}");
    }

    #[test]
    fn outcomes_read_back_what_they_write() {
        for o in [
            Outcome::Ok,
            Outcome::Exit(3),
            Outcome::Exit(-1),
            Outcome::Http(500),
            Outcome::Http(301),
            Outcome::Timeout,
            Outcome::Error,
        ] {
            assert_eq!(Outcome::parse(&o.to_string()), Some(o));
        }
        // `exit 0` and a 2xx are written `ok`; anything else is not ours.
        for bad in ["exit 0", "http 204", "http 70000", "exit", "fine", "OK"] {
            assert_eq!(Outcome::parse(bad), None, "{bad}");
        }
    }
}

//! Posting an action's `notify:` webhook: one blocking HTTP POST of the
//! alert's JSON, within the action's time limit. A 2xx answer is success;
//! redirects are not followed (a webhook that moved is a failure to fix,
//! and following one would turn the POST into a GET without the alert).
//!
//! The URL holds a secret: it is never part of what this returns, and the
//! values of the variables it was made from are blanked out of any error
//! text before it is printed or logged.

use std::time::Duration;

use crate::model::actions::{Attempt, Outcome};

/// How much of an answer's body is read: a webhook says `ok` or why not.
const READ_LIMIT: u64 = 16 * 1024;

/// POST `body` (JSON) to `url` within `timeout`. `secrets` are the
/// (variable, value) pairs `url` was made from, and `shown` is the URL as
/// written, `${VAR}`s and all.
pub fn post(
    url: &str,
    shown: &str,
    secrets: &[(String, String)],
    body: &[u8],
    timeout: Duration,
) -> Attempt {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(format!("roadmap/{}", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let sent = agent
        .post(url)
        .header("Content-Type", "application/json")
        .send(body);
    let (outcome, output) = match sent {
        Ok(mut answer) => {
            let status = answer.status().as_u16();
            let text = answer
                .body_mut()
                .with_config()
                .limit(READ_LIMIT)
                .read_to_string()
                .unwrap_or_default();
            let outcome = match status {
                200..=299 => Outcome::Ok,
                s => Outcome::Http(s),
            };
            (outcome, text)
        }
        Err(ureq::Error::Timeout(_)) => (
            Outcome::Timeout,
            format!("no answer within {}", secs(timeout)),
        ),
        Err(ureq::Error::Io(e)) if e.kind() == std::io::ErrorKind::TimedOut => (
            Outcome::Timeout,
            format!("no answer within {}", secs(timeout)),
        ),
        Err(e) => (Outcome::Error, e.to_string()),
    };
    Attempt {
        outcome,
        output: scrub(&output, url, shown, secrets),
    }
}

fn secs(d: Duration) -> String {
    format!("{} s", d.as_secs())
}

/// `text` with the URL and the variables' values replaced by how they are
/// written (`${SLACK_WEBHOOK_URL}`). Values shorter than four characters
/// are left: blanking every `1` in a message would hide more than it
/// protects.
pub fn scrub(text: &str, url: &str, shown: &str, secrets: &[(String, String)]) -> String {
    let mut out = text.replace(url, shown);
    for (name, value) in secrets {
        if value.chars().count() >= 4 {
            out = out.replace(value.as_str(), &format!("${{{name}}}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_blanked_out_of_messages() {
        let secrets = [
            (
                "HOOK".to_string(),
                "https://hooks.example.com/T0/B1/xyz".to_string(),
            ),
            ("N".to_string(), "1".to_string()),
        ];
        let text = "bad uri: https://hooks.example.com/T0/B1/xyz (1 of 1)";
        assert_eq!(
            scrub(text, &secrets[0].1, "${HOOK}", &secrets),
            "bad uri: ${HOOK} (1 of 1)"
        );
        let secrets = [("TOKEN".to_string(), "s3cret-token".to_string())];
        assert_eq!(
            scrub(
                "GET https://x/?t=s3cret-token refused; s3cret-token",
                "https://x/?t=s3cret-token",
                "https://x/?t=${TOKEN}",
                &secrets
            ),
            "GET https://x/?t=${TOKEN} refused; ${TOKEN}"
        );
    }
}

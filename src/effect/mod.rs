//! Effects on the world outside the roadmap's files: running an action's
//! command ([`command`]) and posting its webhook ([`webhook`]). Only `cmd`
//! calls these, and only for `alerts --act`; everything that decides what
//! to run is in `eval`, which stays pure.
//!
//! Both return an [`Attempt`](crate::model::actions::Attempt): how it
//! ended and what it printed, bounded in size. Neither fails: a command
//! that cannot start, or a host that cannot be reached, is an attempt
//! that ended in `error`, logged and retried like any other failure.

pub mod command;
pub mod webhook;

/// How much of what an attempt printed is kept: the end of it, where the
/// reason for a failure usually is.
pub const KEEP_OUTPUT: usize = 64 * 1024;

/// The last [`KEEP_OUTPUT`] bytes of `bytes` as text, starting on a
/// character boundary.
fn tail(bytes: &[u8]) -> String {
    let from = bytes.len().saturating_sub(KEEP_OUTPUT);
    let text = String::from_utf8_lossy(&bytes[from..]);
    match from {
        0 => text.into_owned(),
        // A cut may split a character: drop what is left of it.
        _ => text.trim_start_matches('\u{fffd}').to_string(),
    }
}

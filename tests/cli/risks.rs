//! Being built in this change.

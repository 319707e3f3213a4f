//! `roadmap check` (being built in this change).

use std::io::Write;

use crate::cli::CheckArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_args: &CheckArgs, _ctx: &Context, _out: &mut dyn Write) -> Result<()> {
    Err(Error::usage("`roadmap check` is not built yet", None))
}

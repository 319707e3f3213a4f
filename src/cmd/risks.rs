//! `roadmap risks` (being built in this change).

use std::io::Write;

use crate::cli::RisksArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_args: &RisksArgs, _ctx: &Context, _out: &mut dyn Write) -> Result<()> {
    Err(Error::usage("`roadmap risks` is not built yet", None))
}

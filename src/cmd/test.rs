//! `roadmap test` (being built in this change).

use std::io::Write;

use crate::cli::TestArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_args: &TestArgs, _ctx: &Context, _out: &mut dyn Write) -> Result<()> {
    Err(Error::usage("`roadmap test` is not built yet", None))
}

//! `roadmap kpis` (being built in this change).

use std::io::Write;

use crate::cli::KpisArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_args: &KpisArgs, _ctx: &Context, _out: &mut dyn Write) -> Result<()> {
    Err(Error::usage("`roadmap kpis` is not built yet", None))
}

//! `roadmap alerts` (being built in this change).

use std::io::Write;

use crate::cli::AlertsArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_args: &AlertsArgs, _ctx: &Context, _out: &mut dyn Write) -> Result<()> {
    Err(Error::usage("`roadmap alerts` is not built yet", None))
}

//! `pruv init`

use std::path::Path;

use super::Context;
use super::args::Format;
use super::output::emit;
use crate::error::{ExitCode, Result};
use crate::store::{STORE_DIR, Store};

/// Creates `.pruv/` in DIR (default: the working directory), or the store
/// named by --store / PRUV_STORE. Running it again is harmless.
pub fn run(ctx: &Context, dir: Option<&Path>) -> Result<ExitCode> {
    let target = match (dir, ctx.named_store()) {
        (Some(dir), _) => ctx.cwd.join(dir).join(STORE_DIR),
        (None, Some(named)) => named,
        (None, None) => ctx.cwd.join(STORE_DIR),
    };
    let (store, created) = Store::init(&target)?;
    match ctx.format {
        Format::Json => super::output::emit_json(&serde_json::json!({
            "store": store.dir(),
            "created": created,
        }))?,
        _ if created => emit(&format!("Initialized empty pruv store in {}\n", store.dir().display()))?,
        _ => emit(&format!("pruv store already exists in {}\n", store.dir().display()))?,
    }
    Ok(ExitCode::Ok)
}

//! `pruv log [PATH]`: the scans recorded for a tree, newest first.

use std::path::Path;

use super::Context;
use super::args::{Format, LogArgs};
use super::files::write_atomic;
use super::output::{BOLD, DIM, WARN, emit, emit_json, pad, paint, short_hash};
use super::scan::store_for;
use crate::core::json;
use crate::error::{Error, ExitCode, Result};
use crate::store::ScanRecord;

pub fn run(ctx: &Context, args: &LogArgs) -> Result<ExitCode> {
    let root = ctx.cwd.join(args.path.as_deref().unwrap_or(Path::new(".")));
    let root = root.canonicalize().map_err(|e| Error::io(&root, e))?;
    let key = root.display().to_string();
    let Some(store) = store_for(ctx, &root)? else {
        return Err(Error::InvalidInput(format!(
            "no scans recorded for {key}: there is no pruv store there; `pruv scan` records one"
        )));
    };
    if let Some(file) = &args.chain {
        let chain_id = store.history_chain(&key)?.ok_or_else(|| {
            Error::InvalidInput(format!(
                "no scan history for {key} in {}; `pruv scan` starts one",
                store.dir().display()
            ))
        })?;
        let chain = store.load(&chain_id)?;
        write_atomic(&ctx.cwd.join(file), json::pretty(&chain.to_document(None)).as_bytes())?;
    }
    let mut scans = store.scans(&key)?;
    if let Some(limit) = args.limit {
        scans.truncate(limit);
    }
    match ctx.format {
        Format::Json => emit_json(&scans)?,
        _ if scans.is_empty() => emit(&format!("no scans recorded for {key}; `pruv scan` records one\n"))?,
        _ => emit(&render(&scans))?,
    }
    Ok(ExitCode::Ok)
}

fn render(scans: &[ScanRecord]) -> String {
    let mut out = paint(
        BOLD,
        format!(
            "{}  {}  {}  {:>7}  {:>8}  {}",
            pad("SCAN", 8),
            pad("SCANNED AT (UTC)", 20),
            pad("COMMIT", 10),
            "FILES",
            "SERVICES",
            "GRAPH"
        ),
    );
    out.push('\n');
    for (i, scan) in scans.iter().enumerate() {
        let commit = scan.git_commit.as_deref().map_or_else(|| "-".to_owned(), |c| c.chars().take(10).collect());
        // Rows are newest first: the scan before this one is the next row.
        let changed = scans.get(i + 1).is_some_and(|older| older.graph_hash != scan.graph_hash);
        let mut line = format!(
            "{}  {}  {}  {:>7}  {:>8}  {}",
            pad(&scan.id, 8),
            pad(&scan.scanned_at, 20),
            pad(&commit, 10),
            scan.files,
            scan.services,
            short_hash(&scan.graph_hash)
        );
        if changed {
            line += &format!("  {}", paint(WARN, "architecture changed"));
        }
        if let Some(rev) = &scan.git_rev {
            line += &format!("  {}", paint(DIM, format!("(--rev {rev})")));
        }
        out += &line;
        out.push('\n');
    }
    out
}

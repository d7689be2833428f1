//! `pruv checkpoint create|list|preview|restore` and `pruv undo`.

use super::Context;
use super::args::{CheckpointCommand, Format};
use super::output::{DIM, OK, emit, emit_json, escape_controls, paint, plural};
use crate::checkpoint::{self, Preview, Restored};
use crate::error::{Error, ExitCode, Result};

/// Walker threads for the tree snapshots: 0 is one per core, as for `pruv scan`.
const ONE_PER_CORE: usize = 0;

pub fn run(ctx: &Context, command: &CheckpointCommand) -> Result<ExitCode> {
    match command {
        CheckpointCommand::Create { name, dir } => {
            let dir = ctx.cwd.join(dir.as_deref().unwrap_or(std::path::Path::new(".")));
            let mut store = ctx.open_store()?;
            let info = checkpoint::create(&mut store, &dir, name.as_deref().unwrap_or("checkpoint"), ONE_PER_CORE)?;
            match ctx.format {
                Format::Json => emit_json(&info)?,
                _ => emit(&format!(
                    "{}  checkpoint {} of {}: {}, {} bytes ({} new {})\n",
                    info.id,
                    escape_controls(&info.name),
                    escape_controls(&info.root),
                    plural(info.files as usize, "file", "files"),
                    info.bytes,
                    info.new_blobs.unwrap_or(0),
                    if info.new_blobs == Some(1) { "blob" } else { "blobs" }
                ))?,
            }
            Ok(ExitCode::Ok)
        }
        CheckpointCommand::List => {
            let store = ctx.read_store()?;
            let all = store.checkpoints()?;
            match ctx.format {
                Format::Json => emit_json(&all)?,
                _ => {
                    let mut out = String::new();
                    for c in &all {
                        out += &format!(
                            "{}  {}  {:<24}  {:>6} files  {}\n",
                            c.id,
                            c.created_at,
                            escape_controls(&c.name),
                            c.files,
                            escape_controls(&c.root)
                        );
                    }
                    if all.is_empty() {
                        out += "no checkpoints; `pruv checkpoint create` makes one\n";
                    }
                    emit(&out)?
                }
            }
            Ok(ExitCode::Ok)
        }
        CheckpointCommand::Preview { checkpoint: id, dir } => {
            let store = ctx.read_store()?;
            let dir = dir.as_ref().map(|d| ctx.cwd.join(d));
            let preview = checkpoint::preview(&store, id, dir.as_deref(), ONE_PER_CORE)?;
            match ctx.format {
                Format::Json => emit_json(&preview)?,
                _ => emit(&render_preview(&preview))?,
            }
            Ok(ExitCode::Ok)
        }
        CheckpointCommand::Restore { checkpoint: id, dir, force } => {
            let mut store = ctx.open_store()?;
            let dir = dir.as_ref().map(|d| ctx.cwd.join(d));
            let restored = checkpoint::restore(&mut store, id, dir.as_deref(), *force, ONE_PER_CORE)?;
            report_restore(ctx, &restored)
        }
    }
}

fn render_preview(p: &Preview) -> String {
    if p.is_empty() {
        return format!(
            "{} {} already matches checkpoint {}\n",
            paint(OK, "✓"),
            escape_controls(&p.root),
            p.checkpoint
        );
    }
    let mut out = format!("restoring checkpoint {} to {} would:\n", p.checkpoint, escape_controls(&p.root));
    for (label, paths) in [("write back", &p.added), ("remove", &p.removed), ("change", &p.modified)] {
        for path in paths {
            out += &format!("  {label:<10}  {}\n", escape_controls(path));
        }
    }
    for (path, diff) in &p.diffs {
        out += &format!("\n{}\n", paint(DIM, format!("── {}", escape_controls(path))));
        out += &escape_diff(diff);
    }
    out
}

/// A diff's lines with control characters escaped, the line breaks kept.
fn escape_diff(diff: &str) -> String {
    diff.split_inclusive('\n')
        .map(|line| match line.strip_suffix('\n') {
            Some(body) => format!("{}\n", escape_controls(body)),
            None => escape_controls(line),
        })
        .collect()
}

fn report_restore(ctx: &Context, r: &Restored) -> Result<ExitCode> {
    match ctx.format {
        Format::Json => emit_json(r)?,
        _ => emit(&format!(
            "{} restored {} to checkpoint {}: {} written, {} removed; tree hash {} verified (the tree before is checkpoint {})\n",
            paint(OK, "✓"),
            escape_controls(&r.root),
            r.checkpoint,
            r.written.len(),
            r.removed.len(),
            &r.tree_hash[..12.min(r.tree_hash.len())],
            r.saved_first
        ))?,
    }
    Ok(ExitCode::Ok)
}

/// `pruv undo`: the checkpoint the last `run --checkpoint` in `chain` took, restored.
pub fn undo(ctx: &Context, chain: &str, force: bool) -> Result<ExitCode> {
    let mut store = ctx.open_store()?;
    let info = store.resolve(chain)?;
    let runs = store.load(&info.id)?;
    let last = runs.entries.iter().rev().find_map(|entry| {
        let state = entry.y_state.as_ref()?.as_object()?;
        let id = state.get("checkpoint")?.as_str()?.to_owned();
        Some((entry.index, id))
    });
    let Some((index, id)) = last else {
        return Err(Error::InvalidInput(format!(
            "no run in chain {chain} took a checkpoint; `pruv run --watch DIR --checkpoint -- CMD` takes one"
        )));
    };
    let restored = checkpoint::restore(&mut store, &id, None, force, ONE_PER_CORE)?;
    if ctx.format != Format::Json {
        eprintln!("undoing entry {index} of {}", escape_controls(chain));
    }
    report_restore(ctx, &restored)
}

//! `pruv chain new|list|append|show|export|import`

use serde::Serialize;

use super::Context;
use super::args::{AppendArgs, ChainCommand, Format};
use super::files::{json_argument, read_json, write_atomic};
use super::output::{BOLD, DIM, OK, emit, emit_json, pad, paint, plural, short_hash};
use crate::core::chain::{Chain, ChainDocument};
use crate::core::entry::Transition;
use crate::core::json::{self, Value};
use crate::core::time::rfc3339;
use crate::core::verify::{VerifyOptions, verify_document};
use crate::error::{Error, ExitCode, Result};

pub fn run(ctx: &Context, command: &ChainCommand) -> Result<ExitCode> {
    match command {
        ChainCommand::New { name } => new(ctx, name),
        ChainCommand::List => list(ctx),
        ChainCommand::Append(args) => append(ctx, args),
        ChainCommand::Show { chain } => show(ctx, chain),
        ChainCommand::Export { chain, output, sign } => export(ctx, chain, output.as_deref(), sign.as_deref()),
        ChainCommand::Import { file, name } => import(ctx, file, name.as_deref()),
    }?;
    Ok(ExitCode::Ok)
}

#[derive(Serialize)]
struct Created<'a> {
    id: &'a str,
    name: &'a str,
}

fn new(ctx: &Context, name: &str) -> Result<()> {
    let mut store = ctx.open_store()?;
    let id = store.create_chain(name)?;
    match ctx.format {
        Format::Json => emit_json(&Created { id: &id, name }),
        _ => emit(&format!("{id}\n")),
    }
}

fn list(ctx: &Context) -> Result<()> {
    let store = ctx.read_store()?;
    let chains = store.list()?;
    if ctx.format == Format::Json {
        return emit_json(&chains);
    }
    if chains.is_empty() {
        return emit(&format!("no chains in {}; `pruv chain new NAME` creates one\n", store.dir().display()));
    }
    let name_width = chains.iter().map(|c| c.name.chars().count()).max().unwrap_or(0).max(4);
    let mut out = paint(
        BOLD,
        format!("{}  {}  {:>7}  {:<13}  {}", pad("NAME", name_width), pad("ID", 12), "ENTRIES", "HEAD", "LAST ENTRY"),
    );
    out.push('\n');
    for chain in &chains {
        out += &format!(
            "{}  {}  {:>7}  {:<13}  {}\n",
            pad(&chain.name, name_width),
            pad(&chain.id, 12),
            chain.length,
            short_hash(&chain.head),
            chain.last_entry_at.as_deref().unwrap_or("-")
        );
    }
    emit(&out)
}

fn append(ctx: &Context, args: &AppendArgs) -> Result<()> {
    // Read every input before touching the store, so bad input writes nothing.
    let state = args.state.as_deref().map(|s| json_argument("--state", s)).transpose()?;
    let metadata = match args.metadata.as_deref().map(|m| json_argument("--metadata", m)).transpose()? {
        None => Value::empty_object(),
        Some(value @ Value::Object(_)) => value,
        Some(other) => {
            return Err(Error::InvalidInput(format!("--metadata must be a JSON object, found {}", other.kind())));
        }
    };
    let key = args.sign.as_deref().map(super::files::load_secret_key).transpose()?;
    let mut store = ctx.open_store()?;
    let chain = store.resolve(&args.chain)?;
    let mut transition = Transition::new(args.op.clone(), state);
    transition.status = args.status.as_str().to_owned();
    transition.metadata = metadata;
    let entry = store.append(&chain.id, transition, key.as_ref())?;
    match ctx.format {
        Format::Json => emit(&json::pretty(&entry.to_value())),
        _ => emit(&format!("{} entry {} of {}: {}\n", paint(OK, "appended"), entry.index, chain.name, entry.xy)),
    }
}

fn show(ctx: &Context, name_or_id: &str) -> Result<()> {
    let store = ctx.read_store()?;
    let info = store.resolve(name_or_id)?;
    let chain = store.load(&info.id)?;
    match ctx.format {
        Format::Json => emit(&json::pretty(&chain.to_document(None))),
        _ => emit(&render_chain(&chain)),
    }
}

fn render_chain(chain: &Chain) -> String {
    let mut out = format!(
        "{} ({}) · {} · head {}\n",
        paint(BOLD, format!("chain {}", chain.name)),
        chain.id,
        plural(chain.entries.len(), "entry", "entries"),
        short_hash(chain.head())
    );
    if chain.entries.is_empty() {
        return out;
    }
    let op_width = chain.entries.iter().map(|e| e.operation.chars().count()).max().unwrap_or(0).max(9);
    let index_width = chain.entries.len().saturating_sub(1).to_string().len().max(1);
    out += &paint(
        DIM,
        format!(
            "{:>index_width$}  {}  {}  {}  {}  {}",
            "#",
            pad("TIME (UTC)", 27),
            pad("OPERATION", op_width),
            pad("STATUS", 7),
            pad("Y", 13),
            "SIGNED BY"
        ),
    );
    out.push('\n');
    for entry in &chain.entries {
        out += &format!(
            "{:>index_width$}  {}  {}  {}  {}  {}\n",
            entry.index,
            pad(&rfc3339(entry.timestamp.as_f64()), 27),
            pad(&entry.operation, op_width),
            pad(&entry.status, 7),
            pad(&short_hash(&entry.y), 13),
            entry.signature.as_ref().map_or("-", |_| entry.signer_id.as_deref().unwrap_or("(unnamed)"))
        );
    }
    out
}

#[derive(Serialize)]
struct Exported<'a> {
    path: &'a std::path::Path,
    id: &'a str,
    entries: usize,
    head: &'a str,
    signed_head: bool,
}

fn export(
    ctx: &Context,
    name_or_id: &str,
    output: Option<&std::path::Path>,
    sign: Option<&std::path::Path>,
) -> Result<()> {
    let key = sign.map(super::files::load_secret_key).transpose()?;
    let store = ctx.read_store()?;
    let info = store.resolve(name_or_id)?;
    let chain = store.load(&info.id)?;
    let document = json::pretty(&chain.to_document(key.as_ref()));
    let Some(path) = output else {
        return emit(&document);
    };
    write_atomic(path, document.as_bytes())?;
    let summary =
        Exported { path, id: &chain.id, entries: chain.entries.len(), head: chain.head(), signed_head: key.is_some() };
    match ctx.format {
        Format::Json => emit_json(&summary),
        _ => emit(&format!(
            "exported {} ({} entries{}) to {}\n",
            chain.name,
            chain.entries.len(),
            if key.is_some() { ", signed head" } else { "" },
            path.display()
        )),
    }
}

fn import(ctx: &Context, file: &str, rename: Option<&str>) -> Result<()> {
    let (value, origin) = read_json(file)?;
    let document =
        ChainDocument::from_value(value).map_err(|source| Error::Document { origin: origin.clone(), source })?;
    let report = verify_document(&document, &VerifyOptions::default());
    if !report.intact {
        return Err(Error::Broken {
            origin,
            problems: report.problems.len(),
            first_break: report.first_break.map_or_else(|| "the document level".into(), |i| format!("entry {i}")),
        });
    }
    let mut chain = document
        .into_chain()
        .ok_or_else(|| Error::InvalidInput(format!("{origin}: the chain document has no `id`")))?;
    if let Some(name) = rename {
        chain.name = name.to_owned();
    }
    let mut store = ctx.open_store()?;
    store.import(&chain)?;
    match ctx.format {
        Format::Json => emit_json(&Created { id: &chain.id, name: &chain.name }),
        _ => emit(&format!("{}\n", chain.id)),
    }
}

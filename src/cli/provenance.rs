//! `pruv provenance origin|transition|verify|list`, and the transition
//! that `pruv scan --provenance` records.

use std::path::Path;

use serde::Serialize;

use super::Context;
use super::args::Format;
use super::output::{BAD, BOLD, DIM, emit, emit_json, escape_controls, pad, paint, plural, short_hash};
use super::trust_args::{OriginArgs, ProvenanceCommand, ScanProvenanceArgs};
use super::verdict::{chain_line, headline, mark, warn};
use crate::core::chain::Chain;
use crate::core::sign::SecretKey;
use crate::core::time;
use crate::error::{Error, ExitCode, Result};
use crate::provenance::verify::ProvenanceReport;
use crate::provenance::{self, ARTIFACT_TYPE, CHAIN_PREFIX, Origin, Provenance, Source};
use crate::scan::model::{SCAN_FORMAT, ScanDocument};
use crate::store::{self, Store};
use crate::typed_state::{find_typed_chain, list_typed_chains};

pub fn run(ctx: &Context, command: &ProvenanceCommand) -> Result<ExitCode> {
    match command {
        ProvenanceCommand::Origin(args) => origin(ctx, args),
        ProvenanceCommand::Transition { artifact, file, agent, reason, sign } => {
            let (after, _) = crate::bounded::hash_file(&ctx.cwd.join(file), &file.display().to_string())?;
            let key = sign.as_deref().map(super::files::load_secret_key).transpose()?;
            let mut store = ctx.open_store()?;
            let recorded = transition(&mut store, artifact, agent, reason, &after, None, key.as_ref())?;
            match ctx.format {
                Format::Json => emit_json(&recorded)?,
                _ => emit(&format!("{}\n", recorded.describe()))?,
            }
            Ok(ExitCode::Ok)
        }
        ProvenanceCommand::Verify { artifact } => verify(ctx, artifact),
        ProvenanceCommand::List => list(ctx),
    }
}

/// The artifact chain `argument` names, or an error with a hint.
fn find(store: &Store, argument: &str) -> Result<Chain> {
    find_typed_chain(store, argument, CHAIN_PREFIX, ARTIFACT_TYPE)?
        .ok_or_else(|| Error::UnknownArtifact { name: argument.to_owned(), store: store.dir().to_owned() })
}

fn origin(ctx: &Context, args: &OriginArgs) -> Result<ExitCode> {
    let scopes: Vec<String> = args.scopes.iter().flat_map(|s| s.split(',')).map(|s| s.trim().to_owned()).collect();
    let (content_hash, source) = match (&args.scan, &args.file) {
        (Some(path), _) => {
            let document = read_scan(&ctx.cwd.join(path), &path.display().to_string())?;
            (document.tree_hash.clone(), Source::Scan { root: document.root, graph_hash: document.graph_hash })
        }
        (None, Some(file)) => {
            let (hash, _) = crate::bounded::hash_file(&ctx.cwd.join(file), &file.display().to_string())?;
            (hash, Source::File { file: file.display().to_string() })
        }
        (None, None) => return Err(Error::InvalidInput("give the artifact's FILE, or --scan PATH".into())),
    };
    let origin = Origin {
        artifact: args.name.clone(),
        owner: args.owner.clone(),
        classification: args.classification.clone(),
        scopes: scopes.into_iter().filter(|s| !s.is_empty()).collect(),
        content_hash,
        source,
    };
    origin.validate().map_err(Error::InvalidInput)?;
    let key = args.sign.as_deref().map(super::files::load_secret_key).transpose()?;
    let mut store = ctx.open_store()?;
    let name = provenance::chain_name(&args.name);
    let id = store.create_chain(&name)?;
    store.append(&id, provenance::origin(&origin), key.as_ref())?;
    match ctx.format {
        Format::Json => emit_json(&serde_json::json!({ "id": id, "name": name, "content_hash": origin.content_hash }))?,
        _ => emit(&format!("{id}\n"))?,
    }
    Ok(ExitCode::Ok)
}

/// A codebase's scan: a directory is scanned now; a file is read as a
/// `pruv.scan/1` document (`pruv scan --format json` output).
fn read_scan(path: &Path, label: &str) -> Result<ScanDocument> {
    if path.is_dir() {
        let outcome = crate::scan::scan(path, label, &crate::scan::ScanOptions::default())?;
        if !outcome.warnings.is_empty() {
            warn(&format!("{}: {}", label, plural(outcome.warnings.len(), "file skipped", "files skipped")));
        }
        return Ok(outcome.document);
    }
    let text = super::files::read_path_text(path, label)?;
    let document: ScanDocument = serde_json::from_str(&text).map_err(|e| {
        Error::InvalidInput(format!(
            "{label}: not a {SCAN_FORMAT} document ({e}); pass a directory or `pruv scan --format json` output"
        ))
    })?;
    if document.format != SCAN_FORMAT {
        return Err(Error::InvalidInput(format!("{label}: format {:?} is not {SCAN_FORMAT}", document.format)));
    }
    Ok(document)
}

#[derive(Serialize)]
struct Recorded {
    id: String,
    name: String,
    entry: u64,
    xy: String,
    before: String,
    after: String,
    agent: provenance::AgentVerdict,
}

impl Recorded {
    fn describe(&self) -> String {
        let verdict = if self.agent.authorized {
            "authorized".to_owned()
        } else {
            format!("UNAUTHORIZED: {}", escape_controls(&self.agent.reasons.join("; ")))
        };
        format!(
            "recorded transition as entry {} of {} ({}): {} → {}, {verdict}",
            self.entry,
            self.name,
            self.id,
            short_hash(&self.before),
            short_hash(&self.after)
        )
    }
}

/// Appends a transition to `artifact` by `agent`; recorded whatever the
/// verdict on the agent, with a warning when it is unauthorized.
fn transition(
    store: &mut Store,
    artifact: &str,
    agent: &str,
    reason: &str,
    after: &str,
    graph_hash: Option<&str>,
    key: Option<&SecretKey>,
) -> Result<Recorded> {
    let chain = find(store, artifact)?;
    let agent_chain = super::identity::find(store, agent)?;
    let provenance = Provenance::from_chain(&chain).map_err(|e| Error::InvalidInput(format!("{}: {e}", chain.name)))?;
    let (next, verdict) = provenance
        .transition(&agent_chain, after, reason, graph_hash, time::now().as_f64())
        .map_err(Error::InvalidInput)?;
    let before = provenance.current_hash().to_owned();
    let entry = store.append(&chain.id, next, key)?;
    if !verdict.authorized {
        warn(&format!("{agent} is not authorized to change {}: {}", chain.name, verdict.reasons.join("; ")));
    }
    Ok(Recorded {
        id: chain.id,
        name: chain.name,
        entry: entry.index,
        xy: entry.xy,
        before,
        after: after.to_owned(),
        agent: verdict,
    })
}

/// `pruv scan --provenance ARTIFACT --agent ID --reason R`: the scan
/// becomes a transition of the codebase's artifact (before: its last tree
/// hash; after: this one; with the graph hash). Reported on stderr, since
/// stdout carries the scan.
pub(crate) fn record_scan(
    ctx: &Context,
    args: &ScanProvenanceArgs,
    root: &Path,
    document: &ScanDocument,
) -> Result<()> {
    let (Some(artifact), Some(agent), Some(reason)) = (&args.provenance, &args.agent, &args.reason) else {
        return Ok(());
    };
    let mut store = match ctx.named_store() {
        Some(named) => Store::open(&named)?,
        None => Store::open(store::locate(None, None, root)?.path())?,
    };
    if document.stats.skipped > 0 {
        warn(&format!("the recorded scan is {}", super::scan_render::skipped_summary(document)));
    }
    let recorded =
        transition(&mut store, artifact, agent, reason, &document.tree_hash, Some(&document.graph_hash), None)?;
    eprintln!("{}", recorded.describe());
    Ok(())
}

fn verify(ctx: &Context, argument: &str) -> Result<ExitCode> {
    let store = ctx.read_store()?;
    let chain = find(&store, argument)?;
    let report = provenance::verify::verify(&chain, &store)?;
    match ctx.format {
        Format::Json => emit_json(&report)?,
        _ => emit(&render(&chain.name, &report))?,
    }
    Ok(if report.ok { ExitCode::Ok } else { ExitCode::VerificationFailed })
}

fn render(name: &str, report: &ProvenanceReport) -> String {
    let mut out = headline(report.ok, &format!("artifact {name}"), &report.chain_id);
    out += &chain_line("chain", &report.chain);
    if let Some(artifact) = &report.artifact {
        out += &format!(
            "  owner {} · classification {} · origin {} · now {}\n",
            artifact.owner,
            artifact.classification.as_deref().unwrap_or("-"),
            short_hash(&artifact.origin_hash),
            short_hash(&artifact.current_hash)
        );
    }
    let linked = report.transitions.iter().all(|t| t.linked);
    out += &format!("  {} each transition starts where the last one ended\n", mark(linked));
    // "2 transitions by authorized agents (1 unauthorized)" read as a contradiction.
    let authorized = report.transitions.len().saturating_sub(report.unauthorized.len());
    out += &format!(
        "  {} {} of {} by authorized agents\n",
        mark(report.unauthorized.is_empty()),
        authorized,
        plural(report.transitions.len(), "transition", "transitions"),
    );
    for t in &report.transitions {
        let who = t.agent.name.as_deref().unwrap_or(&t.agent.id);
        let verdict = if t.agent.authorized {
            paint(DIM, "authorized")
        } else {
            paint(BAD, format!("unauthorized: {}", escape_controls(&t.agent.reasons.join("; "))))
        };
        // The reason is free text from the command line: escaped.
        out += &format!(
            "    entry {}  {}  {}  {}  {verdict}\n",
            t.entry,
            t.at,
            pad(&escape_controls(who), 12),
            escape_controls(&t.reason)
        );
    }
    for problem in &report.problems {
        out += &format!("  {} entry {}: {}\n", paint(BAD, "problem:"), problem.entry, problem.message);
    }
    out
}

fn list(ctx: &Context) -> Result<ExitCode> {
    let store = ctx.read_store()?;
    let listed: Vec<serde_json::Value> = list_typed_chains(&store, CHAIN_PREFIX, ARTIFACT_TYPE)?
        .iter()
        .filter_map(|chain| {
            let provenance = Provenance::from_chain(chain).ok()?;
            Some(serde_json::json!({
                "id": chain.id,
                "name": provenance.origin.artifact,
                "owner": provenance.origin.owner,
                "transitions": provenance.steps.len(),
                "current_hash": provenance.current_hash(),
            }))
        })
        .collect();
    if ctx.format == Format::Json {
        emit_json(&listed)?;
        return Ok(ExitCode::Ok);
    }
    if listed.is_empty() {
        emit("no artifacts; `pruv provenance origin FILE --name N --owner O` starts one\n")?;
        return Ok(ExitCode::Ok);
    }
    let mut out = paint(BOLD, format!("{}  {}  {:>11}  CURRENT", pad("ID", 12), pad("NAME", 24), "TRANSITIONS"));
    out.push('\n');
    for item in &listed {
        let text = |k: &str| item[k].as_str().unwrap_or("-").to_owned();
        out += &format!(
            "{}  {}  {:>11}  {}\n",
            pad(&text("id"), 12),
            pad(&text("name"), 24),
            item["transitions"],
            short_hash(&text("current_hash"))
        );
    }
    emit(&out)?;
    Ok(ExitCode::Ok)
}

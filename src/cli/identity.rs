//! `pruv identity register|act|revoke|verify|list`

use serde::Serialize;

use super::Context;
use super::args::Format;
use super::output::{BAD, BOLD, DIM, OK, WARN, emit, emit_json, escape_controls, pad, paint, plural};
use super::trust_args::{IdentityCommand, RegisterArgs};
use super::verdict::{chain_line, headline, warn};
use crate::core::chain::Chain;
use crate::core::time::{self, rfc3339};
use crate::error::{Error, ExitCode, Result};
use crate::identity::verify::IdentityReport;
use crate::identity::{self, CHAIN_PREFIX, IDENTITY_TYPE, Identity, Registration, scope};
use crate::store::Store;
use crate::typed_state::{find_typed_chain, list_typed_chains};

pub fn run(ctx: &Context, command: &IdentityCommand) -> Result<ExitCode> {
    match command {
        IdentityCommand::Register(args) => register(ctx, args),
        IdentityCommand::Act { identity, action, scope, sign } => act(ctx, identity, action, scope, sign.as_deref()),
        IdentityCommand::Revoke { identity, reason, sign } => revoke(ctx, identity, reason, sign.as_deref()),
        IdentityCommand::Verify { identity } => verify(ctx, identity),
        IdentityCommand::List => list(ctx),
    }
}

/// The identity chain `argument` names, or an error with a hint.
pub(crate) fn find(store: &Store, argument: &str) -> Result<Chain> {
    find_typed_chain(store, argument, CHAIN_PREFIX, IDENTITY_TYPE)?
        .ok_or_else(|| Error::UnknownIdentity { name: argument.to_owned(), store: store.dir().to_owned() })
}

#[derive(Serialize)]
struct Created<'a> {
    id: &'a str,
    name: &'a str,
}

fn register(ctx: &Context, args: &RegisterArgs) -> Result<ExitCode> {
    let scopes = scope::parse_patterns(args.scopes.iter().map(String::as_str)).map_err(Error::InvalidInput)?;
    let registration = Registration {
        name: args.name.clone(),
        owner: args.owner.clone(),
        scopes,
        purpose: args.purpose.clone(),
        framework: args.framework.clone(),
        valid_from: args.valid_from,
        valid_until: args.valid_until,
    };
    registration.validate().map_err(Error::InvalidInput)?;
    let key = args.sign.as_deref().map(super::files::load_secret_key).transpose()?;
    let mut store = ctx.open_store()?;
    let name = identity::chain_name(&args.name);
    let id = store.create_chain(&name)?;
    store.append(&id, identity::register(&registration), key.as_ref())?;
    match ctx.format {
        Format::Json => emit_json(&Created { id: &id, name: &name })?,
        _ => emit(&format!("{id}\n"))?,
    }
    Ok(ExitCode::Ok)
}

#[derive(Serialize)]
struct Recorded<'a> {
    id: &'a str,
    name: &'a str,
    entry: u64,
    xy: &'a str,
    in_scope: bool,
    authorized: bool,
    reason: Option<String>,
}

fn act(
    ctx: &Context,
    argument: &str,
    action: &str,
    action_scope: &str,
    sign: Option<&std::path::Path>,
) -> Result<ExitCode> {
    scope::validate_name(action_scope).map_err(|e| Error::InvalidInput(format!("--scope: {e}")))?;
    let key = sign.map(super::files::load_secret_key).transpose()?;
    let mut store = ctx.open_store()?;
    let chain = find(&store, argument)?;
    let identity = Identity::from_chain(&chain).map_err(|e| Error::InvalidInput(format!("{}: {e}", chain.name)))?;
    let now = time::now().as_f64();
    let assessment = identity.assess(now, action_scope);
    let entry = store.append(&chain.id, identity.act(action, action_scope, now), key.as_ref())?;
    let reason = assessment.standing.reason();
    if !assessment.in_scope {
        warn(&format!(
            "{action_scope} is outside {}'s scopes ({})",
            identity.registration.name,
            identity.registration.scopes.join(", ")
        ));
    }
    if let Some(reason) = &reason {
        warn(&format!("{} is not authorized: {reason}", identity.registration.name));
    }
    let recorded = Recorded {
        id: &chain.id,
        name: &chain.name,
        entry: entry.index,
        xy: &entry.xy,
        in_scope: assessment.in_scope,
        authorized: assessment.authorized(),
        reason,
    };
    match ctx.format {
        Format::Json => emit_json(&recorded)?,
        _ => emit(&format!(
            "recorded act as entry {} of {} ({}): {}, {}\n",
            entry.index,
            chain.name,
            chain.id,
            if recorded.in_scope { "in scope" } else { "OUT OF SCOPE" },
            if recorded.authorized { "identity active" } else { "UNAUTHORIZED" }
        ))?,
    }
    Ok(ExitCode::Ok)
}

fn revoke(ctx: &Context, argument: &str, reason: &str, sign: Option<&std::path::Path>) -> Result<ExitCode> {
    let key = sign.map(super::files::load_secret_key).transpose()?;
    let mut store = ctx.open_store()?;
    let chain = find(&store, argument)?;
    let identity = Identity::from_chain(&chain).map_err(|e| Error::InvalidInput(format!("{}: {e}", chain.name)))?;
    let transition = identity.revoke(reason, time::now().as_f64()).map_err(Error::InvalidInput)?;
    let entry = store.append(&chain.id, transition, key.as_ref())?;
    match ctx.format {
        Format::Json => emit_json(
            &serde_json::json!({ "id": chain.id, "name": chain.name, "entry": entry.index, "revoked_at": rfc3339(entry.timestamp.as_f64()) }),
        )?,
        _ => emit(&format!("revoked {} ({}) as entry {}\n", chain.name, chain.id, entry.index))?,
    }
    Ok(ExitCode::Ok)
}

fn verify(ctx: &Context, argument: &str) -> Result<ExitCode> {
    let store = ctx.read_store()?;
    let chain = find(&store, argument)?;
    let report = identity::verify::verify(&chain, time::now().as_f64());
    match ctx.format {
        Format::Json => emit_json(&report)?,
        _ => emit(&render(&chain.name, &report))?,
    }
    Ok(if report.ok { ExitCode::Ok } else { ExitCode::VerificationFailed })
}

fn render(name: &str, report: &IdentityReport) -> String {
    let mut out = headline(report.ok, &format!("identity {name}"), &report.chain_id);
    out += &chain_line("chain", &report.chain);
    if let (Some(view), Some(status)) = (&report.identity, &report.status) {
        out += &format!(
            "  owner {} · purpose {} · scopes {}\n",
            escape_controls(&view.owner),
            escape_controls(&view.purpose),
            escape_controls(&view.scopes.join(", "))
        );
        if view.valid_from.is_some() || view.valid_until.is_some() {
            let bound = |t: &Option<String>| t.clone().unwrap_or_else(|| "-".into());
            out += &format!("  valid from {} until {}\n", bound(&view.valid_from), bound(&view.valid_until));
        }
        let detail = status.detail.as_deref().map_or_else(String::new, |d| format!(" ({d})"));
        let styled = if status.status == "active" { paint(OK, status.status) } else { paint(WARN, status.status) };
        out += &format!("  status: {styled}{detail}\n");
    }
    let in_scope = report.actions.iter().filter(|a| a.in_scope).count();
    out += &format!(
        "  {}: {in_scope} in scope, {} out of scope, {} unauthorized\n",
        plural(report.actions.len(), "action", "actions"),
        report.actions.len() - in_scope,
        report.actions.iter().filter(|a| !a.authorized).count()
    );
    for action in &report.actions {
        let flags = match (action.in_scope, action.authorized) {
            (true, true) => paint(DIM, "ok"),
            (false, true) => paint(BAD, "out of scope"),
            (true, false) => paint(BAD, "unauthorized"),
            (false, false) => paint(BAD, "out of scope, unauthorized"),
        };
        // Actions and reasons are free text from the command line: escaped.
        let reason = action.reason.as_deref().map_or_else(String::new, |r| format!(" — {}", escape_controls(r)));
        out += &format!(
            "    entry {}  {}  {}  {}  {flags}{reason}\n",
            action.entry,
            action.at,
            pad(&escape_controls(&action.scope), 16),
            escape_controls(&action.action)
        );
    }
    for problem in &report.problems {
        out += &format!("  {} entry {}: {}\n", paint(BAD, "problem:"), problem.entry, problem.message);
    }
    out
}

#[derive(Serialize)]
struct Listed {
    id: String,
    name: String,
    owner: String,
    scopes: Vec<String>,
    status: &'static str,
    actions: usize,
}

fn list(ctx: &Context) -> Result<ExitCode> {
    let store = ctx.read_store()?;
    let now = time::now().as_f64();
    let listed: Vec<Listed> = list_typed_chains(&store, CHAIN_PREFIX, IDENTITY_TYPE)?
        .iter()
        .filter_map(|chain| {
            let identity = Identity::from_chain(chain).ok()?;
            let actions = identity.events.iter().filter(|e| matches!(e.event, Ok(identity::Event::Act(_)))).count();
            Some(Listed {
                id: chain.id.clone(),
                name: identity.registration.name.clone(),
                owner: identity.registration.owner.clone(),
                scopes: identity.registration.scopes.clone(),
                status: identity.standing_at(now).label(),
                actions,
            })
        })
        .collect();
    if ctx.format == Format::Json {
        emit_json(&listed)?;
        return Ok(ExitCode::Ok);
    }
    if listed.is_empty() {
        emit("no identities; `pruv identity register NAME --owner O --scope S --purpose P` creates one\n")?;
        return Ok(ExitCode::Ok);
    }
    let width = listed.iter().map(|l| l.name.chars().count()).max().unwrap_or(0).max(4);
    let mut out = paint(
        BOLD,
        format!("{}  {}  {}  {}  SCOPES", pad("NAME", width), pad("ID", 12), pad("STATUS", 13), pad("ACTIONS", 7)),
    );
    out.push('\n');
    for l in &listed {
        out += &format!(
            "{}  {}  {}  {:>7}  {}\n",
            pad(&l.name, width),
            pad(&l.id, 12),
            pad(l.status, 13),
            l.actions,
            l.scopes.join(",")
        );
    }
    emit(&out)?;
    Ok(ExitCode::Ok)
}

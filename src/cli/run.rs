//! `pruv run -- CMD`: runs the command, passes its output and exit code
//! through, and appends its execution event to a chain.

use super::Context;
use super::approval::{Asked, ask, gate};
use super::args::{Format, RunArgs};
use super::output::escape_controls;
use crate::core::entry::Transition;
use crate::error::{Error, Result};
use crate::run::{Ended, Request};

pub fn run(ctx: &Context, args: &RunArgs) -> Result<u8> {
    let mut attributes = Vec::new();
    for pair in &args.attributes {
        let Some((key, value)) = pair.split_once('=').filter(|(k, _)| !k.trim().is_empty()) else {
            return Err(Error::InvalidInput(format!("--attr {pair:?}: write KEY=VALUE")));
        };
        attributes.push((key.trim().to_owned(), value.to_owned()));
    }
    let key = args.sign.as_deref().map(super::files::load_secret_key).transpose()?;
    if let Some(dir) = &args.watch
        && !ctx.cwd.join(dir).is_dir()
    {
        return Err(Error::InvalidInput(format!("--watch {}: not a directory", dir.display())));
    }
    // The store and chain first: a run that cannot be recorded is not started.
    let mut store = ctx.open_store()?;
    let chain = match store.resolve(&args.chain) {
        // An id, or a name: the chain that is there.
        Ok(info) => info.id,
        Err(Error::UnknownChain { .. }) => store.chain_named(&args.chain)?,
        Err(other) => return Err(other),
    };
    let gate = gate(ctx, args)?;
    let action = args.action.clone().unwrap_or_else(|| "run".to_owned());
    let approval = if gate.needs_approval(&action) {
        match ask(&mut store, &chain, &gate, args, &action, &ctx.cwd)? {
            Asked::Approved(approval) => Some(approval),
            Asked::Stop(code) => return Ok(code),
        }
    } else {
        None
    };
    let agent = match &args.agent {
        Some(name) => {
            let found = crate::typed_state::find_typed_chain(
                &store,
                name,
                crate::identity::CHAIN_PREFIX,
                crate::identity::IDENTITY_TYPE,
            )?;
            let id = found.as_ref().map_or_else(|| name.clone(), |c| c.id.clone());
            let verdict = crate::provenance::judge_agent(
                found.as_ref(),
                &id,
                crate::core::time::now().as_f64(),
                std::slice::from_ref(&action),
            );
            if !verdict.authorized {
                eprintln!(
                    "warning: agent {}: {}; the run is recorded as unauthorized",
                    escape_controls(name),
                    escape_controls(&verdict.reasons.join("; "))
                );
            }
            let text = serde_json::to_string(&verdict).expect("a verdict serialises");
            Some(crate::core::json::parse(&text).expect("serde_json writes JSON"))
        }
        None => None,
    };
    let threads = args.threads.unwrap_or(0);
    let watched_root = args.watch.as_ref().map(|dir| crate::checkpoint::root_of(&ctx.cwd.join(dir))).transpose()?;
    let checkpoint = match (&watched_root, args.checkpoint) {
        (Some((absolute, _)), true) => Some(crate::checkpoint::create(&mut store, absolute, "before run", threads)?.id),
        _ => None,
    };
    let hashes = match &watched_root {
        Some((_, root)) => Some(store.file_hashes(root)?),
        None => None,
    };
    let request = Request {
        argv: args.command.clone(),
        cwd: ctx.cwd.clone(),
        env: std::env::vars_os().collect(),
        intent: args.intent.clone(),
        action: args.action.clone(),
        attributes,
        redact: args.redact.clone(),
        watch: args.watch.clone(),
        checkpoint,
        approval,
        agent,
        hashes: hashes.as_ref(),
        threads,
    };
    let outcome = crate::run::execute(&request, std::io::stdout(), std::io::stderr())?;
    let mut transition = Transition::new(args.action.as_deref().unwrap_or("run"), Some(outcome.state.clone()));
    transition.x_state = outcome.before.clone();
    if outcome.ended != Ended::Exited(0) {
        transition.status = "failed".into();
    }
    let entry = store.append(&chain, transition, key.as_ref())?;
    if let (Some((_, root)), Some(hashes)) = (&watched_root, &hashes) {
        store.save_file_hashes(root, hashes)?;
    }
    // The tree as the run left it is what a later restore compares against.
    if let (Some((_, root)), Some(after)) = (
        &watched_root,
        outcome
            .state
            .as_object()
            .and_then(|s| s.get("tree"))
            .and_then(|t| t.as_object())
            .and_then(|t| t.get("after"))
            .and_then(|a| a.as_str()),
    ) {
        store.record_tree(root, after, "run")?;
    }
    if ctx.format == Format::Json {
        // Data on stdout would mix with the command's; the record goes to stderr.
        let mut err = std::io::stderr();
        let _ = std::io::Write::write_all(&mut err, crate::core::json::pretty(&outcome.state).as_bytes());
        let _ = std::io::Write::write_all(&mut err, b"\n");
    } else if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let changed = outcome.changes.as_ref().map_or_else(String::new, |c| {
            format!(", {} added, {} removed, {} modified", c.added.len(), c.removed.len(), c.modified.len())
        });
        eprintln!("pruv: recorded as entry {} of {}{changed}", entry.index, escape_controls(&args.chain));
    }
    Ok(outcome.ended.exit_code())
}

//! `pruv run -- CMD`: runs the command, passes its output and exit code
//! through, and appends its execution event to a chain.

use std::time::{Duration, Instant};

use super::Context;
use super::args::{DecideArgs, Format, RunArgs};
use super::output::{OK, emit, escape_controls, paint};
use crate::core::entry::Transition;
use crate::core::json::Value;
use crate::error::{Error, ExitCode, Result};
use crate::run::approval::{self, Decision, Gate, WebhookError};
use crate::run::{Ended, Request};
use crate::store::Store;
use crate::typed_state::{object, optional};

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
        Ok(info) => info.id,
        Err(Error::UnknownChain { .. }) => match store.create_chain(&args.chain) {
            Ok(id) => id,
            // Another run created it meanwhile.
            Err(Error::ChainExists { id, .. }) => id,
            Err(other) => return Err(other),
        },
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
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
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

/// `[run]` of pruv.toml in the working directory, with the command line's additions.
fn gate(ctx: &Context, args: &RunArgs) -> Result<Gate> {
    let policy = ctx.cwd.join(crate::policy::POLICY_FILE);
    let mut gate =
        if policy.is_file() { approval::from_policy(&policy).map_err(Error::Policy)? } else { Gate::default() };
    if !args.approve.is_empty() {
        let extra = crate::identity::scope::parse_patterns(args.approve.iter().map(String::as_str))
            .map_err(|e| Error::InvalidInput(format!("--approve: {e}")))?;
        gate.actions.extend(extra);
    }
    if let Some(url) = &args.approval_webhook {
        approval::check_url(url).map_err(|e| Error::InvalidInput(format!("--approval-webhook: {e}")))?;
        gate.webhook = Some(url.clone());
    }
    if let Some(seconds) = args.approval_timeout {
        gate.timeout = Some(Duration::from_secs(seconds));
    }
    Ok(gate)
}

enum Asked {
    /// What the run's event records of the approval.
    Approved(Value),
    /// The command does not run; pruv exits with this code.
    Stop(u8),
}

/// Records the pending request, obtains a decision (webhook, or `pruv
/// approve`/`deny` from another process), and records the outcome.
fn ask(
    store: &mut Store,
    chain: &str,
    gate: &Gate,
    args: &RunArgs,
    action: &str,
    cwd: &std::path::Path,
) -> Result<Asked> {
    let env: Vec<(String, String)> = std::env::vars_os()
        .map(|(k, v)| (k.to_string_lossy().into_owned(), v.to_string_lossy().into_owned()))
        .collect();
    let redactor = crate::run::redact::Redactor::new(env.iter().map(|(k, v)| (k.as_str(), v.as_str())), &args.redact);
    let request = approval::Request {
        id: crate::run::new_id()?,
        action: action.to_owned(),
        intent: args.intent.clone(),
        argv: args.command.iter().map(|a| redactor.redact(&a.to_string_lossy())).collect(),
        cwd: cwd.display().to_string(),
        correlation_id: env.iter().find(|(k, _)| k == crate::run::CORRELATION_ENV).map(|(_, v)| v.clone()),
        requested_at: crate::core::time::rfc3339(crate::core::time::now().as_f64()),
    };
    let mut pending = Transition::new("approval.request", Some(request.to_state()));
    pending.status = "pending".into();
    let entry = store.append(chain, pending, None)?;
    let timeout = gate.timeout();
    let (outcome, decision, via) = match &gate.webhook {
        Some(url) => match approval::ask_webhook(url, &request, &entry.y, chain, timeout) {
            Ok(decision) => (judge(&decision, gate), Some(decision), "webhook"),
            Err(WebhookError::TimedOut) => ("timed_out".to_owned(), None, "webhook"),
            Err(WebhookError::BadAnswer(why)) => (format!("invalid: the webhook's answer: {why}"), None, "webhook"),
            Err(WebhookError::Unreachable(why)) => (format!("unreachable: {why}"), None, "webhook"),
        },
        None => {
            eprintln!(
                "pruv: {action} needs approval; waiting up to {} s for `pruv approve {} --key KEYFILE` (or `pruv deny`)",
                timeout.as_secs(),
                request.id
            );
            match wait_for_decision(store, chain, entry.index, &request.id, timeout)? {
                Some(decision) => (judge(&decision, gate), Some(decision), "cli"),
                None => ("timed_out".to_owned(), None, "cli"),
            }
        }
    };
    let approved = outcome == "approved";
    let (kind, why) = outcome.split_once(": ").map_or((outcome.as_str(), None), |(k, w)| (k, Some(w)));
    let state = object([
        ("type", approval::OUTCOME_TYPE.into()),
        ("request", request.id.as_str().into()),
        ("request_entry", entry.index.into()),
        ("entry_y", entry.y.as_str().into()),
        ("outcome", kind.into()),
        ("detail", optional(why)),
        ("via", via.into()),
        ("decision", decision.as_ref().map_or(Value::Null, Decision::to_state)),
        ("decidedAt", crate::core::time::rfc3339(crate::core::time::now().as_f64()).into()),
    ]);
    let mut recorded = Transition::new(if approved { "approved" } else { "denied" }, Some(state));
    if !approved {
        recorded.status = "failed".into();
    }
    store.append(chain, recorded, None)?;
    if approved {
        let approver = decision.as_ref().map(|d| d.approver.as_str());
        return Ok(Asked::Approved(object([
            ("request", request.id.as_str().into()),
            ("approver", optional(approver)),
            ("via", via.into()),
        ])));
    }
    let message = match kind {
        "denied" => format!("denied by {}", decision.as_ref().map_or("?", |d| d.approver.as_str())),
        "timed_out" => format!("no decision within {} s", timeout.as_secs()),
        _ => outcome.clone(),
    };
    eprintln!("error: {action} was not approved ({}); the command did not run", escape_controls(&message));
    Ok(Asked::Stop(if kind == "unreachable" {
        ExitCode::MissingDependency.code()
    } else {
        ExitCode::ApprovalRequired.code()
    }))
}

/// `approved`, `denied`, or `invalid: why` for a decision that does not hold.
fn judge(decision: &Decision, gate: &Gate) -> String {
    match decision.check(gate) {
        Err(why) => format!("invalid: {why}"),
        Ok(()) if decision.approved => "approved".into(),
        Ok(()) => "denied".into(),
    }
}

/// Polls the chain for a decision on `request` recorded after `after`.
fn wait_for_decision(
    store: &Store,
    chain: &str,
    after: u64,
    request: &str,
    timeout: Duration,
) -> Result<Option<Decision>> {
    let deadline = Instant::now() + timeout;
    let mut seen = after;
    loop {
        for entry in store.entries_after(chain, seen)? {
            seen = entry.index;
            if let Some(decision) =
                entry.y_state.as_ref().and_then(Decision::from_state).filter(|d| d.request == request)
            {
                return Ok(Some(decision));
            }
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// `pruv approve|deny REQUEST --key KEY`: a signed decision on a waiting run.
pub fn decide(ctx: &Context, args: &DecideArgs, approved: bool) -> Result<ExitCode> {
    let key = super::files::load_secret_key(&args.key)?;
    let mut store = ctx.open_store()?;
    let chain = store.resolve(&args.chain)?;
    let entries = store.load(&chain.id)?.entries;
    let field = |e: &crate::core::entry::Entry, k: &str| {
        e.y_state.as_ref().and_then(|s| s.as_object()).and_then(|m| m.get(k)).and_then(Value::as_str).map(str::to_owned)
    };
    let is_request = |e: &crate::core::entry::Entry| {
        field(e, "type").as_deref() == Some(approval::REQUEST_TYPE)
            && (field(e, "request").as_deref() == Some(args.request.as_str()) || e.index.to_string() == args.request)
    };
    let pending = entries.iter().find(|e| is_request(e)).ok_or_else(|| {
        Error::InvalidInput(format!("no approval request {:?} in chain {}", args.request, args.chain))
    })?;
    let request = field(pending, "request").unwrap_or_default();
    let decided = entries.iter().any(|e| {
        e.index > pending.index
            && matches!(field(e, "type").as_deref(), Some(approval::OUTCOME_TYPE) | Some(approval::DECISION_TYPE))
            && field(e, "request").as_deref() == Some(request.as_str())
    });
    if decided {
        return Err(Error::InvalidInput(format!("request {request} was already decided; nothing is waiting for it")));
    }
    let mut decision = Decision {
        request: request.clone(),
        entry_y: pending.y.clone(),
        approved,
        approver: key.signer_id.clone(),
        reason: args.reason.clone(),
        public_key: None,
        signature: None,
    };
    decision.sign(&key);
    let entry = store.append(&chain.id, Transition::new("approval.decision", Some(decision.to_state())), Some(&key))?;
    if ctx.format == Format::Json {
        super::output::emit_json(
            &serde_json::json!({ "request": request, "approved": approved, "entry": entry.index }),
        )?;
    } else {
        let verdict = if approved { "approved" } else { "denied" };
        emit(&format!(
            "{} {verdict} request {request} as {} (entry {})\n",
            paint(OK, "✓"),
            escape_controls(&key.signer_id),
            entry.index
        ))?;
    }
    Ok(ExitCode::Ok)
}

//! The approval gate of `pruv run` (asking a webhook, or waiting for
//! `pruv approve`/`deny`), and `pruv approve|deny` themselves.

use std::time::{Duration, Instant};

use super::Context;
use super::args::{DecideArgs, Format, RunArgs};
use super::output::{OK, emit, escape_controls, paint};
use crate::core::entry::Transition;
use crate::core::json::Value;
use crate::error::{Error, ExitCode, Result};
use crate::run::approval::{self, Decision, Gate, WebhookError};
use crate::store::Store;
use crate::typed_state::{object, optional};

/// `[run]` of pruv.toml in the working directory, with the command line's additions.
pub fn gate(ctx: &Context, args: &RunArgs) -> Result<Gate> {
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

pub enum Asked {
    /// What the run's event records of the approval.
    Approved(Value),
    /// The command does not run; pruv exits with this code.
    Stop(u8),
}

/// Records the pending request, obtains a decision (webhook, or `pruv
/// approve`/`deny` from another process), and records the outcome.
pub fn ask(
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

//! `pruv ledger new|deposit|withdraw|transfer|sign|balances|history|verify|receipt|import`.

use std::path::Path;

use serde::Serialize;

use super::Context;
use super::args::Format;
use super::files::load_secret_key;
use super::ledger_args::{AccountArgs, LedgerCommand, PaymentArgs};
use super::output::{BAD, DIM, OK, WARN, emit, emit_json, escape_controls, paint};
use super::verdict::mark;
use crate::core::chain::Chain;
use crate::core::entry::Entry;
use crate::core::sign::SecretKey;
use crate::core::time;
use crate::error::{Error, ExitCode, Result};
use crate::ledger::amount::{Currency, format_amount, parse_amount};
use crate::ledger::plan::Intent;
use crate::ledger::state::{Operation, Payment, Setup};
use crate::ledger::verify::{self as ledger_verify, LedgerReport};
use crate::ledger::{self, CHAIN_PREFIX, LEDGER_TYPE};
use crate::receipt::{Inputs, Receipt};
use crate::store::Store;
use crate::typed_state::find_typed_chain;

pub fn run(ctx: &Context, command: &LedgerCommand) -> Result<ExitCode> {
    if !matches!(command, LedgerCommand::Receipt { .. }) && !matches!(ctx.format, Format::Text | Format::Json) {
        return Err(Error::InvalidInput(format!(
            "`pruv ledger` writes text or json (svg and html are for `pruv ledger receipt`), not {}",
            ctx.format.name()
        )));
    }
    match command {
        LedgerCommand::New { name, currencies, overdraft, policy } => {
            new(ctx, name, currencies, overdraft, policy.as_deref())
        }
        LedgerCommand::Deposit(AccountArgs { ledger, account, amount, common, source }) => {
            let moves = Moves { from: None, to: Some(account), amount, source: source.as_deref(), memo: None };
            pay(ctx, ledger, common, moves, &[])
        }
        LedgerCommand::Withdraw(AccountArgs { ledger, account, amount, common, source }) => {
            let moves = Moves { from: Some(account), to: None, amount, source: source.as_deref(), memo: None };
            pay(ctx, ledger, common, moves, &[])
        }
        LedgerCommand::Transfer { ledger, from, to, amount, common, memo, approvers } => {
            let keys = approvers.iter().map(|p| load_secret_key(p)).collect::<Result<Vec<_>>>()?;
            let moves = Moves { from: Some(from), to: Some(to), amount, source: None, memo: memo.as_deref() };
            pay(ctx, ledger, common, moves, &keys)
        }
        LedgerCommand::Sign { ledger, index, key } => {
            let key = load_secret_key(key)?;
            let mut store = ctx.open_store()?;
            let id = resolve(&store, ledger)?;
            let recorded =
                store.ledger_append(&id, &[Intent::Approve { transfer: *index, approver: &key }], None, &|_| None)?;
            report_recorded(ctx, &store.ledger_setup(&id)?, &recorded)
        }
        LedgerCommand::Balances { ledger, at } => balances(ctx, ledger, at.as_deref()),
        LedgerCommand::History { ledger, account } => history(ctx, ledger, account.as_deref()),
        LedgerCommand::Verify { ledger } => {
            let store = ctx.read_store()?;
            let chain = find(&store, ledger)?;
            let report = ledger_verify::verify(&chain);
            show_report(ctx, &report)
        }
        LedgerCommand::Receipt { ledger, index, sign, output } => {
            receipt(ctx, ledger, *index, sign.as_deref(), output.as_deref())
        }
        LedgerCommand::Import { ledger, file } => import(ctx, ledger, file),
    }
}

fn find(store: &Store, argument: &str) -> Result<Chain> {
    find_typed_chain(store, argument, CHAIN_PREFIX, LEDGER_TYPE)?.ok_or_else(|| no_ledger(store, argument))
}

fn no_ledger(store: &Store, argument: &str) -> Error {
    Error::InvalidInput(format!(
        "no ledger named {argument:?} in {}; `pruv ledger new {argument}` opens one",
        store.dir().display()
    ))
}

/// The ledger's chain id, without loading the chain.
fn resolve(store: &Store, argument: &str) -> Result<String> {
    for candidate in [format!("{CHAIN_PREFIX}{argument}"), argument.to_owned()] {
        match store.resolve(&candidate) {
            Ok(info) => return Ok(info.id),
            Err(Error::UnknownChain { .. }) => continue,
            Err(other) => return Err(other),
        }
    }
    Err(no_ledger(store, argument))
}

fn new(
    ctx: &Context,
    name: &str,
    currencies: &[String],
    overdraft: &[String],
    policy: Option<&Path>,
) -> Result<ExitCode> {
    let mut parsed: Vec<Currency> = Vec::new();
    for code in currencies.iter().flat_map(|c| c.split(',')) {
        let currency = Currency::parse(code).map_err(Error::InvalidInput)?;
        if !parsed.contains(&currency) {
            parsed.push(currency);
        }
    }
    let policy_path = match policy {
        Some(path) => Some(ctx.cwd.join(path)),
        None => Some(ctx.cwd.join(crate::policy::POLICY_FILE)).filter(|p| p.is_file()),
    };
    let controls = match &policy_path {
        Some(path) => ledger::controls::from_policy(path).map_err(Error::Policy)?,
        None => None,
    };
    let setup = Setup { name: name.to_owned(), currencies: parsed, overdraft: overdraft.to_vec(), controls };
    setup.validate().map_err(Error::InvalidInput)?;
    let mut store = ctx.open_store()?;
    let id = store.open_ledger(&setup, None)?;
    match ctx.format {
        Format::Json => emit_json(&serde_json::json!({ "id": id, "name": ledger::chain_name(name) }))?,
        _ => {
            let codes: Vec<&str> = setup.currencies.iter().map(|c| c.code()).collect();
            let controls = setup.controls.as_ref().map_or_else(String::new, |c| {
                format!("; transfers above the threshold need {} of {} approvers", c.required, c.approvers.len())
            });
            emit(&format!("opened ledger {name} ({id}) in {}{controls}\n", codes.join(", ")))?
        }
    }
    Ok(ExitCode::Ok)
}

/// What a deposit, withdrawal or transfer command moves, as typed.
struct Moves<'a> {
    from: Option<&'a String>,
    to: Option<&'a String>,
    amount: &'a str,
    source: Option<&'a str>,
    memo: Option<&'a str>,
}

fn pay(
    ctx: &Context,
    ledger: &str,
    common: &PaymentArgs,
    moves: Moves<'_>,
    approvers: &[SecretKey],
) -> Result<ExitCode> {
    let mut store = ctx.open_store()?;
    let id = resolve(&store, ledger)?;
    let setup = store.ledger_setup(&id)?;
    let currency = match &common.currency {
        Some(code) => Currency::parse(code).map_err(Error::InvalidInput)?,
        None => match setup.currencies.as_slice() {
            [only] => *only,
            several => {
                let codes: Vec<&str> = several.iter().map(|c| c.code()).collect();
                return Err(Error::InvalidInput(format!(
                    "ledger {ledger} holds {}; say which with --currency",
                    codes.join(", ")
                )));
            }
        },
    };
    let amount = parse_amount(moves.amount, currency).map_err(Error::InvalidInput)?;
    let payment = Payment {
        source: moves.source.map(str::to_owned),
        reference: common.reference.clone(),
        memo: moves.memo.map(str::to_owned),
        ..Payment::new(currency, amount, moves.from.map(String::as_str), moves.to.map(String::as_str))
    };
    let intent = Intent::Pay { payment, approvers: approvers.iter().collect() };
    let recorded = store.ledger_append(&id, &[intent], None, &|_| None)?;
    report_recorded(ctx, &setup, &recorded)
}

#[derive(Serialize)]
struct Recorded {
    entry: u64,
    operation: &'static str,
    status: &'static str,
    currency: &'static str,
    amount: String,
    from: Option<String>,
    to: Option<String>,
    /// Balances after, of the accounts it touched (none while pending).
    balances: std::collections::BTreeMap<String, String>,
    approvals: usize,
    approvals_needed: u32,
    /// The transfer an approval approves.
    approves: Option<u64>,
    xy: String,
}

fn report_recorded(ctx: &Context, setup: &Setup, recorded: &[(Entry, Operation)]) -> Result<ExitCode> {
    let views: Vec<Recorded> = recorded
        .iter()
        .map(|(entry, op)| Recorded {
            entry: entry.index,
            operation: op.kind.as_str(),
            status: if op.applied { "applied" } else { "pending" },
            currency: op.payment.currency.code(),
            amount: format_amount(op.payment.amount, op.payment.currency),
            from: op.payment.from.clone(),
            to: op.payment.to.clone(),
            balances: op.after.as_ref().map_or_else(Default::default, |after| {
                after.accounts.iter().map(|(a, v)| (a.clone(), format_amount(*v, op.payment.currency))).collect()
            }),
            approvals: op.approvals.len(),
            approvals_needed: setup.approvals_needed(&op.payment),
            approves: op.approves,
            xy: entry.xy.clone(),
        })
        .collect();
    let pending = views.iter().filter(|v| v.status == "pending").count();
    match ctx.format {
        Format::Json if views.len() == 1 => emit_json(&views[0])?,
        Format::Json => emit_json(&views)?,
        _ => {
            let mut out = String::new();
            for v in views.iter().take(20) {
                let route = match (&v.from, &v.to) {
                    (Some(from), Some(to)) => format!("{from} → {to}"),
                    (None, Some(to)) => format!("into {to}"),
                    (Some(from), None) => format!("out of {from}"),
                    (None, None) => String::new(),
                };
                let balances: Vec<String> = v.balances.iter().map(|(a, b)| format!("{a} {b}")).collect();
                let after = if balances.is_empty() { String::new() } else { format!(" ({})", balances.join(", ")) };
                out += &format!(
                    "entry {}: {} {} {} {}\n",
                    v.entry,
                    v.operation,
                    v.amount,
                    v.currency,
                    escape_controls(&format!("{route}{after}"))
                );
                match (v.status, v.approves) {
                    ("pending", None) => {
                        out += &format!(
                            "  {} waits for approval ({} of {}): `pruv ledger sign {} {} --key KEYFILE`\n",
                            paint(WARN, "pending:"),
                            v.approvals,
                            v.approvals_needed,
                            escape_controls(&setup.name),
                            v.entry
                        )
                    }
                    ("pending", Some(transfer)) => {
                        out += &format!(
                            "  {} entry {transfer} needs more approvals (it needs {})\n",
                            paint(WARN, "pending:"),
                            v.approvals_needed
                        )
                    }
                    _ => {}
                }
            }
            if views.len() > 20 {
                out += &format!("… and {} more\n", views.len() - 20);
            }
            emit(&out)?
        }
    }
    Ok(if pending > 0 { ExitCode::ApprovalRequired } else { ExitCode::Ok })
}

/// The entry index that `at` (an index or an RFC 3339 time) names: the last entry at or before it.
fn entry_at(chain: &Chain, at: &str) -> Result<u64> {
    if let Ok(index) = at.parse::<u64>() {
        if index as usize >= chain.entries.len() {
            return Err(Error::InvalidInput(format!(
                "--at {index}: ledger {} has entries 0 to {}",
                chain.name,
                chain.entries.len().saturating_sub(1)
            )));
        }
        return Ok(index);
    }
    let seconds = time::parse_rfc3339(at).map_err(|e| {
        Error::InvalidInput(format!("--at {at:?} is neither an entry index nor an RFC 3339 time ({e})"))
    })?;
    let last = chain.entries.iter().take_while(|e| e.timestamp.as_f64() <= seconds).last();
    last.map(|e| e.index)
        .ok_or_else(|| Error::InvalidInput(format!("--at {at}: ledger {} was opened after that time", chain.name)))
}

fn balances(ctx: &Context, ledger: &str, at: Option<&str>) -> Result<ExitCode> {
    let store = ctx.read_store()?;
    let chain = find(&store, ledger)?;
    let last = at.map(|a| entry_at(&chain, a)).transpose()?.unwrap_or(u64::MAX);
    let (report, _) = ledger_verify::replay_until(&chain, last);
    if !report.valid {
        return show_report(ctx, &report);
    }
    #[derive(Serialize)]
    struct View<'a> {
        ledger: &'a str,
        as_of_entry: u64,
        balances: &'a std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
        totals: &'a std::collections::BTreeMap<String, String>,
    }
    let as_of = last.min(report.entries.saturating_sub(1));
    match ctx.format {
        Format::Json => emit_json(&View {
            ledger: &report.name,
            as_of_entry: as_of,
            balances: &report.balances,
            totals: &report.totals,
        })?,
        _ => {
            let mut out = format!("ledger {} as of entry {as_of}\n", escape_controls(&report.name));
            let width = report.balances.keys().map(|a| a.chars().count()).max().unwrap_or(0).max(5);
            for (account, currencies) in &report.balances {
                for (currency, value) in currencies {
                    out += &format!("  {:<width$}  {value:>18} {currency}\n", escape_controls(account));
                }
            }
            for (currency, value) in &report.totals {
                out += &paint(DIM, format!("  {:<width$}  {value:>18} {currency}", "total")).to_string();
                out.push('\n');
            }
            emit(&out)?
        }
    }
    Ok(ExitCode::Ok)
}

fn history(ctx: &Context, ledger: &str, account: Option<&str>) -> Result<ExitCode> {
    let store = ctx.read_store()?;
    let chain = find(&store, ledger)?;
    #[derive(Serialize)]
    struct Line {
        entry: u64,
        time: String,
        operation: String,
        status: &'static str,
        currency: &'static str,
        amount: String,
        from: Option<String>,
        to: Option<String>,
        reference: Option<String>,
        approves: Option<u64>,
    }
    let mut lines = Vec::new();
    for entry in chain.entries.iter().skip(1) {
        let Ok(op) = Operation::from_states(entry.x_state.as_ref(), entry.y_state.as_ref()) else { continue };
        let touches = |a: &str| op.payment.from.as_deref() == Some(a) || op.payment.to.as_deref() == Some(a);
        if account.is_some_and(|a| !touches(a)) {
            continue;
        }
        lines.push(Line {
            entry: entry.index,
            time: time::rfc3339_seconds(entry.timestamp.as_f64()),
            operation: op.kind.as_str().to_owned(),
            status: if op.applied { "applied" } else { "pending" },
            currency: op.payment.currency.code(),
            amount: format_amount(op.payment.amount, op.payment.currency),
            from: op.payment.from.clone(),
            to: op.payment.to.clone(),
            reference: op.payment.reference.clone(),
            approves: op.approves,
        });
    }
    match ctx.format {
        Format::Json => emit_json(&lines)?,
        _ => {
            let mut out = String::new();
            for l in &lines {
                let dash = |v: &Option<String>| v.as_deref().map_or_else(|| "-".into(), escape_controls);
                let status = if l.status == "pending" { format!(" {}", paint(WARN, "pending")) } else { String::new() };
                let approves = l.approves.map_or_else(String::new, |t| format!(" of entry {t}"));
                out += &format!(
                    "{:>6}  {}  {:<8}{approves}  {:>14} {}  {} → {}  {}{status}\n",
                    l.entry,
                    l.time,
                    l.operation,
                    l.amount,
                    l.currency,
                    dash(&l.from),
                    dash(&l.to),
                    dash(&l.reference)
                );
            }
            if lines.is_empty() {
                out += "no operations\n";
            }
            emit(&out)?
        }
    }
    Ok(ExitCode::Ok)
}

/// The verdict, as the original SDK reports it: payment count, verified
/// n/n, all valid, final balances, total volume; or where it stops balancing.
pub fn render_report(report: &LedgerReport) -> String {
    let mut out = String::new();
    if report.valid {
        out += &format!(
            "{} ledger {} verifies: {} payments, verified {}/{}, all valid\n",
            paint(OK, "✓"),
            escape_controls(&report.name),
            report.deposits + report.withdrawals + report.transfers,
            report.verified,
            report.entries
        );
    } else {
        let problem = report.problem.as_ref().map_or_else(String::new, |p| escape_controls(&p.to_string()));
        out += &format!(
            "{} ledger {} {}: verified {}/{}\n  {}\n",
            paint(BAD, "✗"),
            escape_controls(&report.name),
            paint(BAD, "does not balance"),
            report.verified,
            report.entries,
            problem
        );
    }
    out += &format!(
        "  {} deposits, {} withdrawals, {} transfers, {} approvals{}\n",
        report.deposits,
        report.withdrawals,
        report.transfers,
        report.approvals,
        if report.pending.is_empty() {
            String::new()
        } else {
            format!(
                "; waiting for approval: entries {}",
                report.pending.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
            )
        }
    );
    let as_of = if report.valid { "final balances" } else { "balances before the problem" };
    out += &format!("  {as_of}:\n");
    let width = report.balances.keys().map(|a| a.chars().count()).max().unwrap_or(0);
    for (account, currencies) in &report.balances {
        for (currency, value) in currencies {
            out += &format!("    {:<width$}  {value:>18} {currency}\n", escape_controls(account));
        }
    }
    for (currency, value) in &report.volume {
        out += &format!("  total volume: {value} {currency}\n");
    }
    out
}

fn show_report(ctx: &Context, report: &LedgerReport) -> Result<ExitCode> {
    match ctx.format {
        Format::Json => emit_json(report)?,
        _ => emit(&render_report(report))?,
    }
    Ok(if report.valid { ExitCode::Ok } else { ExitCode::VerificationFailed })
}

fn receipt(
    ctx: &Context,
    ledger: &str,
    index: Option<u64>,
    sign: Option<&Path>,
    output: Option<&Path>,
) -> Result<ExitCode> {
    let key = sign.map(load_secret_key).transpose()?;
    let store = ctx.read_store()?;
    let chain = find(&store, ledger)?;
    let timestamp = time::rfc3339_seconds(time::now().as_f64());
    let inputs = Inputs { identities: &store, scan: None, claimed_scan_data: None, ledger_entry: index, timestamp };
    let receipt = super::receipt::write(ctx, Receipt::build(&chain, &inputs)?, key.as_ref(), output)?;
    Ok(if receipt.all_passed() { ExitCode::Ok } else { ExitCode::VerificationFailed })
}

fn import(ctx: &Context, ledger: &str, file: &Path) -> Result<ExitCode> {
    let origin = file.display().to_string();
    let bytes = crate::bounded::read_file(&ctx.cwd.join(file), &origin, crate::bounded::max_input()?)?;
    let payments = ledger::import::payments(&bytes, &origin).map_err(Error::InvalidInput)?;
    let mut store = ctx.open_store()?;
    let id = resolve(&store, ledger)?;
    let setup = store.ledger_setup(&id)?;
    let intents: Vec<Intent<'_>> =
        payments.into_iter().map(|payment| Intent::Pay { payment, approvers: Vec::new() }).collect();
    let recorded = store.ledger_append(&id, &intents, None, &|i| Some(format!("{origin} row {}", i + 2)))?;
    if ctx.format == Format::Text {
        let pending = recorded.iter().filter(|(_, op)| !op.applied).count();
        let first = recorded.first().map_or(0, |(e, _)| e.index);
        let last = recorded.last().map_or(0, |(e, _)| e.index);
        emit(&format!(
            "{} imported {} rows into ledger {} as entries {first} to {last}{}\n",
            mark(true),
            recorded.len(),
            escape_controls(&setup.name),
            if pending > 0 { format!("; {pending} wait for approval") } else { String::new() }
        ))?;
        return Ok(if pending > 0 { ExitCode::ApprovalRequired } else { ExitCode::Ok });
    }
    report_recorded(ctx, &setup, &recorded)
}

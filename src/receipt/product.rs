//! `product_data` and the checks for each kind of chain, and the lines a
//! person reads, derived from that data.

use serde::Serialize;

use super::{Check, Inputs, Kind};
use crate::core::chain::Chain;
use crate::core::hash::short_hash;
use crate::core::json::{self, Map, Value};
use crate::core::time::{parse_rfc3339, rfc3339};
use crate::error::{Error, Result};
use crate::identity::verify::EntryProblem;
use crate::typed_state::object;

pub struct Product {
    pub data: Value,
    pub checks: Vec<Check>,
    pub identity_chains: Vec<Chain>,
}

pub fn derive(kind: Kind, chain: &Chain, inputs: &Inputs<'_>) -> Result<Product> {
    match kind {
        Kind::Chain => Ok(plain(chain)),
        Kind::Identity => identity(chain, &inputs.timestamp),
        Kind::Provenance => provenance(chain, inputs),
        Kind::Scan => scan(chain, inputs),
        Kind::Ledger => ledger(chain, inputs.ledger_entry),
        Kind::Run => runs(chain, inputs),
    }
}

/// A report struct as a JSON value (through serde; these hold no floats).
fn to_value(value: &impl Serialize) -> Value {
    let text = serde_json::to_string(value).expect("reports serialise");
    json::parse(&text).expect("serde_json writes JSON")
}

fn check(label: String, passed: bool, detail: Option<String>) -> Check {
    Check { label, passed, detail: detail.filter(|_| !passed) }
}

fn readable_check(problems: &[EntryProblem]) -> Check {
    let detail = problems.first().map(|p| format!("entry {}: {}", p.entry, p.message));
    check("Every entry reads as what it claims to be".into(), problems.is_empty(), detail)
}

fn plain(chain: &Chain) -> Product {
    let mut operations: Vec<String> = Vec::new();
    for entry in &chain.entries {
        if !operations.contains(&entry.operation) {
            operations.push(entry.operation.clone());
        }
    }
    let time =
        |entry: Option<&crate::core::entry::Entry>| entry.map_or(Value::Null, |e| rfc3339(e.timestamp.as_f64()).into());
    let data = object([
        ("name", chain.name.as_str().into()),
        ("operations", crate::typed_state::strings(&operations)),
        ("signed_entries", (chain.entries.iter().filter(|e| e.signature.is_some()).count() as u64).into()),
        ("first_entry_at", time(chain.entries.first())),
        ("last_entry_at", time(chain.entries.last())),
    ]);
    Product { data, checks: vec![], identity_chains: vec![] }
}

fn identity(chain: &Chain, timestamp: &str) -> Result<Product> {
    let now = parse_rfc3339(timestamp).map_err(|e| Error::InvalidInput(format!("receipt timestamp: {e}")))?;
    let report = crate::identity::verify::verify(chain, now);
    let mut checks = vec![readable_check(&report.problems)];
    let mut data = Map::new();
    if let (Some(view), Some(status)) = (&report.identity, &report.status) {
        if let Value::Object(fields) = to_value(view) {
            data.extend(fields);
        }
        data.insert("status".into(), status.status.into());
        data.insert("status_detail".into(), status.detail.as_deref().map_or(Value::Null, Value::from));
        let total = report.actions.len();
        let outside: Vec<_> = report.actions.iter().filter(|a| !a.in_scope).collect();
        let refused: Vec<_> = report.actions.iter().filter(|a| !a.authorized).collect();
        data.insert(
            "actions".into(),
            object([
                ("total", (total as u64).into()),
                ("in_scope", ((total - outside.len()) as u64).into()),
                ("out_of_scope", (outside.len() as u64).into()),
                ("unauthorized", (refused.len() as u64).into()),
            ]),
        );
        data.insert("out_of_scope_actions".into(), to_value(&outside));
        data.insert("unauthorized_actions".into(), to_value(&refused));
        let name = |a: &&crate::identity::verify::ActionCheck| format!("entry {} ({})", a.entry, a.scope);
        checks.push(check(
            format!("Every action in scope: {}/{total}", total - outside.len()),
            outside.is_empty(),
            Some(outside.iter().map(name).collect::<Vec<_>>().join(", ")),
        ));
        checks.push(check(
            format!("Every action authorized when taken: {}/{total}", total - refused.len()),
            refused.is_empty(),
            refused.first().map(|a| format!("entry {}: {}", a.entry, a.reason.as_deref().unwrap_or("unauthorized"))),
        ));
    }
    data.insert("problems".into(), to_value(&report.problems));
    Ok(Product { data: Value::Object(data), checks, identity_chains: vec![] })
}

fn provenance(chain: &Chain, inputs: &Inputs<'_>) -> Result<Product> {
    let report = crate::provenance::verify::verify(chain, inputs.identities)?;
    let mut checks = vec![readable_check(&report.problems)];
    let mut data = Map::new();
    let mut identity_chains: Vec<Chain> = Vec::new();
    for transition in &report.transitions {
        if identity_chains.iter().all(|c| c.id != transition.agent.id)
            && let Some(found) = inputs.identities.identity_chain(&transition.agent.id)?
        {
            identity_chains.push(found);
        }
    }
    if let Some(artifact) = &report.artifact {
        if let Value::Object(fields) = to_value(artifact) {
            data.extend(fields);
        }
        let total = report.transitions.len();
        let unlinked: Vec<u64> = report.transitions.iter().filter(|t| !t.linked).map(|t| t.entry).collect();
        checks.push(check(
            "Each transition starts where the last one ended".into(),
            unlinked.is_empty(),
            Some(format!("entries {unlinked:?}")),
        ));
        let refused: Vec<_> = report.transitions.iter().filter(|t| !t.agent.authorized).collect();
        checks.push(check(
            format!("Every agent authorized when it acted: {}/{total}", total - refused.len()),
            refused.is_empty(),
            refused.first().map(|t| {
                let who = t.agent.name.as_deref().unwrap_or(&t.agent.id);
                format!("entry {} by {who}: {}", t.entry, t.agent.reasons.join("; "))
            }),
        ));
        data.insert("transitions".into(), to_value(&report.transitions));
        let unauthorized = refused.iter().map(|t| {
            object([
                ("entry", t.entry.into()),
                ("agent", t.agent.id.as_str().into()),
                ("reasons", crate::typed_state::strings(&t.agent.reasons)),
            ])
        });
        data.insert("unauthorized".into(), Value::Array(unauthorized.collect()));
    }
    data.insert("problems".into(), to_value(&report.problems));
    Ok(Product { data: Value::Object(data), checks, identity_chains })
}

/// The scan facts the scan chain itself records: from its closing entry,
/// and the tree hash recomputed from its file entries.
struct Recorded {
    root: String,
    files: u64,
    tree_hash: String,
    graph_hash: String,
    recomputed_tree_hash: String,
    file_entries: u64,
}

fn recorded_scan(chain: &Chain) -> Option<Recorded> {
    let (last, files) = chain.entries.split_last()?;
    let state = last.y_state.as_ref()?.as_object()?;
    let text = |field: &str| state.get(field).and_then(Value::as_str).map(str::to_owned);
    let file_states: Vec<(String, String)> = files
        .iter()
        .filter_map(|e| {
            let s = e.y_state.as_ref()?.as_object()?;
            Some((s.get("sha256")?.as_str()?.to_owned(), s.get("path")?.as_str()?.to_owned()))
        })
        .collect();
    Some(Recorded {
        root: text("root")?,
        files: state.get("files").and_then(Value::as_number).and_then(|n| n.as_u64())?,
        tree_hash: text("tree_hash")?,
        graph_hash: text("graph_hash")?,
        recomputed_tree_hash: crate::scan::graph::tree_hash(file_states.iter().map(|(h, p)| (h.as_str(), p.as_str()))),
        file_entries: files.len() as u64,
    })
}

fn scan(chain: &Chain, inputs: &Inputs<'_>) -> Result<Product> {
    let recorded = recorded_scan(chain);
    let mut data = match (inputs.scan, inputs.claimed_scan_data) {
        (Some(document), _) => scan_details(document),
        (None, Some(Value::Object(claimed))) => claimed.clone(),
        (None, _) => Map::new(),
    };
    let holds = recorded.as_ref().is_some_and(|r| r.files == r.file_entries && r.tree_hash == r.recomputed_tree_hash);
    if let Some(r) = &recorded {
        // What the chain records wins over any claim about it.
        data.insert("root".into(), r.root.as_str().into());
        data.insert("files".into(), r.files.into());
        data.insert("tree_hash".into(), r.tree_hash.as_str().into());
        data.insert("graph_hash".into(), r.graph_hash.as_str().into());
    }
    let checks = vec![check(
        "The tree hash is the hash of every file the chain lists".into(),
        holds,
        Some("the scan chain's files do not give its tree hash".into()),
    )];
    Ok(Product { data: Value::Object(data), checks, identity_chains: vec![] })
}

/// Runs recorded by `pruv run`: the task, the agent judged again from its
/// identity chain as of each run's start, duration, actions and the last state.
fn runs(chain: &Chain, inputs: &Inputs<'_>) -> Result<Product> {
    let mut identity_chains: Vec<Chain> = Vec::new();
    let (mut count, mut ok, mut duration_ms, mut approvals) = (0u64, 0u64, 0u64, 0u64);
    let mut actions: Vec<String> = Vec::new();
    let (mut task, mut agent_name, mut state) = (Value::Null, Value::Null, Value::Null);
    let mut disputed: Vec<String> = Vec::new();
    let mut unauthorized: Vec<String> = Vec::new();
    for entry in &chain.entries {
        let Some(run) = entry.y_state.as_ref().and_then(Value::as_object) else { continue };
        if run.get("type").and_then(Value::as_str) != Some(crate::run::RUN_TYPE) {
            continue;
        }
        count += 1;
        let status = run.get("status").and_then(Value::as_str).unwrap_or("error");
        ok += u64::from(status == "ok");
        duration_ms += run.get("durationMs").and_then(Value::as_number).and_then(|n| n.as_u64()).unwrap_or(0);
        approvals += u64::from(run.get("approval").is_some_and(|a| !matches!(a, Value::Null)));
        if !actions.contains(&entry.operation) {
            actions.push(entry.operation.clone());
        }
        if let Some(intent) = run.get("intent").filter(|i| !matches!(i, Value::Null)) {
            task = intent.clone();
        }
        let exit = run
            .get("output")
            .and_then(Value::as_object)
            .and_then(|o| o.get("exitCode"))
            .map_or("-".into(), json::compact);
        state = format!("{status} (exit {exit})").into();
        let Some(Value::Object(recorded)) = run.get("agent") else { continue };
        let id = recorded.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
        let started = run.get("startedAt").and_then(Value::as_str).and_then(|t| parse_rfc3339(t).ok()).unwrap_or(0.0);
        let identity = inputs.identities.identity_chain(&id)?;
        if let Some(found) = &identity
            && identity_chains.iter().all(|c| c.id != found.id)
        {
            identity_chains.push(found.clone());
        }
        let verdict =
            crate::provenance::judge_agent(identity.as_ref(), &id, started, std::slice::from_ref(&entry.operation));
        let judged = to_value(&verdict);
        if Some(&judged) != run.get("agent") {
            disputed.push(format!("entry {}", entry.index));
        }
        if !verdict.authorized {
            unauthorized.push(format!(
                "entry {} by {}: {}",
                entry.index,
                verdict.name.as_deref().unwrap_or(&id),
                verdict.reasons.join("; ")
            ));
        }
        agent_name = verdict.name.map_or_else(|| Value::from(id.as_str()), Value::from);
    }
    let data = object([
        ("task", task),
        ("agent", agent_name),
        ("runs", count.into()),
        ("succeeded", ok.into()),
        ("failed", (count - ok).into()),
        ("approved_runs", approvals.into()),
        ("duration_ms", duration_ms.into()),
        ("actions", crate::typed_state::strings(&actions)),
        ("state", state),
        ("unauthorized", crate::typed_state::strings(&unauthorized)),
    ]);
    let checks = vec![
        check(
            "Every recorded verdict on an agent is what its identity chain gives".into(),
            disputed.is_empty(),
            Some(format!("recorded verdicts differ at {}", disputed.join(", "))),
        ),
        check(
            format!("Every agent authorized when it ran: {}/{count}", count - unauthorized.len() as u64),
            unauthorized.is_empty(),
            unauthorized.first().cloned(),
        ),
    ];
    Ok(Product { data, checks, identity_chains })
}

/// A payment receipt: entry `entry` (default: the last operation) with its
/// accounts' balances before and after, judged by replaying the ledger.
fn ledger(chain: &Chain, entry: Option<u64>) -> Result<Product> {
    use crate::ledger::state::Operation;
    let last = chain.entries.len().saturating_sub(1) as u64;
    let index = entry.unwrap_or(last);
    if index == 0 || index > last {
        return Err(Error::InvalidInput(format!(
            "ledger {} has no operation at entry {index}; its operations are entries 1 to {last}",
            chain.name
        )));
    }
    let report = crate::ledger::verify::verify(chain);
    let recorded = &chain.entries[index as usize];
    let operation = Operation::from_states(recorded.x_state.as_ref(), recorded.y_state.as_ref()).ok();
    let holds_here = report.problem.as_ref().is_none_or(|p| p.entry > index);
    let mut data = Map::new();
    data.insert("ledger".into(), report.name.as_str().into());
    data.insert("entry".into(), index.into());
    if let Some(op) = &operation {
        let currency = op.payment.currency;
        let amount = crate::ledger::amount::format_amount(op.payment.amount, currency);
        let balances = |side: &Option<crate::ledger::state::Balances>| {
            side.as_ref().map_or(Value::Null, |b| {
                Value::Object(
                    b.accounts
                        .iter()
                        .map(|(a, v)| (a.clone(), crate::ledger::amount::format_amount(*v, currency).into()))
                        .collect(),
                )
            })
        };
        let text = |value: &Option<String>| value.as_deref().map_or(Value::Null, Value::from);
        data.insert("type".into(), op.kind.as_str().into());
        data.insert("status".into(), if op.applied { "applied" } else { "pending" }.into());
        data.insert("source".into(), text(&op.payment.source));
        data.insert("reference".into(), text(&op.payment.reference));
        data.insert("memo".into(), text(&op.payment.memo));
        data.insert("sender".into(), text(&op.payment.from));
        data.insert("recipient".into(), text(&op.payment.to));
        data.insert("amount".into(), amount.as_str().into());
        data.insert("currency".into(), currency.code().into());
        data.insert("display_amount".into(), format!("{}{amount} {}", currency.symbol(), currency.code()).into());
        data.insert("balances_before".into(), balances(&op.before));
        data.insert("balances_after".into(), balances(&op.after));
        data.insert("approvals".into(), (op.approvals.len() as u64).into());
        data.insert("recorded_at".into(), rfc3339(recorded.timestamp.as_f64()).into());
    }
    data.insert("balanced".into(), (operation.is_some() && holds_here).into());
    data.insert("ledger_verified".into(), format!("{}/{}", report.verified, report.entries).into());
    let checks = vec![
        check(
            "Entry reads as a ledger operation".into(),
            operation.is_some(),
            Some(format!("entry {index} holds no ledger operation")),
        ),
        check(
            "Balanced: conservation held at this entry".into(),
            operation.is_some() && holds_here,
            report.problem.as_ref().map(|p| p.to_string()),
        ),
        check(
            format!("Ledger verifies: {}/{} entries balance", report.verified, report.entries),
            report.valid,
            report.problem.as_ref().map(|p| p.to_string()),
        ),
    ];
    Ok(Product { data: Value::Object(data), checks, identity_chains: vec![] })
}

fn scan_details(document: &crate::scan::model::ScanDocument) -> Map {
    use crate::scan::model::EnvStatus;
    let services: Vec<Value> = document
        .services
        .iter()
        .map(|s| {
            object([
                ("name", s.name.as_str().into()),
                ("kind", s.kind.as_str().into()),
                ("language", s.language.as_deref().map_or(Value::Null, Value::from)),
                ("framework", s.framework.as_deref().map_or(Value::Null, Value::from)),
            ])
        })
        .collect();
    let count = |status: EnvStatus| document.env_vars.iter().filter(|v| v.status == status).count() as u64;
    let mut data = Map::new();
    data.insert("scanned_at".into(), document.scanned_at.as_str().into());
    data.insert("services".into(), Value::Array(services));
    data.insert("connections".into(), (document.connections.len() as u64).into());
    data.insert(
        "env".into(),
        object([
            ("total", (document.env_vars.len() as u64).into()),
            ("defined", count(EnvStatus::Defined).into()),
            ("missing", count(EnvStatus::Missing).into()),
            ("unused", count(EnvStatus::Unused).into()),
            ("shared", (document.env_vars.iter().filter(|v| v.shared).count() as u64).into()),
        ]),
    );
    data
}

/// The value at `path` below `value`, `null` where there is none.
fn lookup<'a>(value: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(value, |at, key| at.as_object().and_then(|m| m.get(*key)).unwrap_or(&Value::Null))
}

/// A value as a person reads it: text as is, lists joined, nothing as `-`.
fn display(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "),
        other => json::compact(other),
    }
}

/// The (label, value) lines of a receipt, read from its product data.
pub fn facts(kind: Kind, data: &Value) -> Vec<(String, String)> {
    let text = |path: &[&str]| display(lookup(data, path));
    let line = |label: &str, value: String| (label.to_owned(), value);
    match kind {
        Kind::Chain => vec![
            line("Chain", text(&["name"])),
            line("Operations", text(&["operations"])),
            line("Signed entries", text(&["signed_entries"])),
            line("Period", format!("{} to {}", text(&["first_entry_at"]), text(&["last_entry_at"]))),
        ],
        Kind::Identity => {
            let status = match text(&["status_detail"]).as_str() {
                "-" => text(&["status"]),
                detail => format!("{} ({detail})", text(&["status"])),
            };
            vec![
                line("Identity", text(&["name"])),
                line("Owner", text(&["owner"])),
                line("Purpose", text(&["purpose"])),
                line("Framework", text(&["framework"])),
                line("Scope", text(&["scopes"])),
                line("Valid", format!("from {} until {}", text(&["valid_from"]), text(&["valid_until"]))),
                line("Status", status),
                line(
                    "Actions",
                    format!(
                        "{} total, {} in scope, {} out of scope, {} unauthorized",
                        text(&["actions", "total"]),
                        text(&["actions", "in_scope"]),
                        text(&["actions", "out_of_scope"]),
                        text(&["actions", "unauthorized"])
                    ),
                ),
            ]
        }
        Kind::Provenance => {
            let mut lines = vec![
                line("Artifact", text(&["name"])),
                line("Owner", text(&["owner"])),
                line("Classification", text(&["classification"])),
                line("Origin", short_hash(&text(&["origin_hash"]))),
                line("Current", short_hash(&text(&["current_hash"]))),
            ];
            let transitions = match lookup(data, &["transitions"]) {
                Value::Array(items) => items.as_slice(),
                _ => &[],
            };
            for t in transitions {
                let field = |path: &[&str]| display(lookup(t, path));
                let agent = match lookup(t, &["agent", "name"]) {
                    Value::String(name) => name.clone(),
                    _ => field(&["agent", "id"]),
                };
                let authorized = lookup(t, &["agent", "authorized"]).as_bool() == Some(true);
                let verdict = if authorized { "authorized" } else { "UNAUTHORIZED" };
                lines.push(line(
                    &format!("Entry {}", field(&["entry"])),
                    format!("{agent}: {} ({verdict})", field(&["reason"])),
                ));
            }
            lines
        }
        Kind::Run => vec![
            line("Task", text(&["task"])),
            line("Agent", text(&["agent"])),
            line("Duration", format!("{} ms", text(&["duration_ms"]))),
            line("Actions", text(&["actions"])),
            line(
                "Runs",
                format!(
                    "{} ({} ok, {} failed, {} approved)",
                    text(&["runs"]),
                    text(&["succeeded"]),
                    text(&["failed"]),
                    text(&["approved_runs"])
                ),
            ),
            line("State", text(&["state"])),
        ],
        Kind::Ledger => {
            let balances = |side: &str| match lookup(data, &[side]) {
                Value::Object(accounts) if !accounts.is_empty() => {
                    accounts.iter().map(|(a, v)| format!("{a} {}", display(v))).collect::<Vec<_>>().join(" · ")
                }
                _ => "-".into(),
            };
            let status = text(&["status"]);
            let kind = text(&["type"]);
            vec![
                line("Ledger", text(&["ledger"])),
                line("Entry", format!("{} ({kind}, {status})", text(&["entry"]))),
                line("Source", text(&["source"])),
                line("Reference", text(&["reference"])),
                line("Sender", text(&["sender"])),
                line("Recipient", text(&["recipient"])),
                line("Amount", text(&["display_amount"])),
                line("Before", balances("balances_before")),
                line("After", balances("balances_after")),
                line("Recorded", text(&["recorded_at"])),
                line(
                    "Balanced",
                    if lookup(data, &["balanced"]).as_bool() == Some(true) {
                        "✓ Conservation held".into()
                    } else {
                        "✗ Conservation does not hold".into()
                    },
                ),
            ]
        }
        Kind::Scan => vec![
            line("Root", text(&["root"])),
            line("Files", text(&["files"])),
            line("Services", {
                let names: Vec<String> = match lookup(data, &["services"]) {
                    Value::Array(items) => items.iter().map(|s| display(lookup(s, &["name"]))).collect(),
                    _ => vec![],
                };
                if names.is_empty() { "-".into() } else { names.join(", ") }
            }),
            line("Connections", text(&["connections"])),
            line(
                "Env vars",
                format!(
                    "{} ({} defined, {} missing, {} unused)",
                    text(&["env", "total"]),
                    text(&["env", "defined"]),
                    text(&["env", "missing"]),
                    text(&["env", "unused"])
                ),
            ),
            line("Tree hash", text(&["tree_hash"])),
            line("Graph hash", text(&["graph_hash"])),
        ],
    }
}

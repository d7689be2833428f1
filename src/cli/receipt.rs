//! `pruv receipt CHAIN_OR_ID`, and the receipt branch of `pruv verify`.

use std::path::Path;

use super::Context;
use super::args::{Format, ReceiptArgs};
use super::files::write_atomic;
use super::output::{BAD, OK, WARN, emit, emit_json, paint};
use super::verdict::{chain_line, mark};
use crate::core::json::{self, Value};
use crate::core::sign::SecretKey;
use crate::core::time;
use crate::core::verify::VerifyOptions;
use crate::error::{Error, ExitCode, Result};
use crate::receipt::verify::ReceiptVerification;
use crate::receipt::{Inputs, Receipt, render};
use crate::store::Store;

pub fn run(ctx: &Context, args: &ReceiptArgs) -> Result<ExitCode> {
    let key = args.sign.as_deref().map(super::files::load_secret_key).transpose()?;
    let store = ctx.read_store()?;
    let timestamp = time::rfc3339_seconds(time::now().as_f64());
    let receipt = build(&store, &args.chain, timestamp)?;
    write(ctx, receipt, key.as_ref(), args.output.as_deref())?;
    Ok(ExitCode::Ok)
}

/// Signs the receipt when a key is given and writes it in the chosen
/// format, to `output` (atomically) or standard output.
pub fn write(ctx: &Context, mut receipt: Receipt, key: Option<&SecretKey>, output: Option<&Path>) -> Result<Receipt> {
    if let Some(key) = key {
        receipt.sign(key);
    }
    let text = match ctx.format {
        Format::Json => json::pretty(&receipt.to_value()),
        Format::Svg => render::svg::badge(&receipt),
        Format::Html => render::html::page(&receipt),
        _ => render::text::render(&receipt),
    };
    match output {
        Some(path) => {
            write_atomic(&ctx.cwd.join(path), text.as_bytes())?;
            eprintln!("wrote the receipt for {} to {}", receipt.chain_name, path.display());
        }
        None => emit(&text)?,
    }
    Ok(receipt)
}

/// A receipt for a chain (by id, name, or an identity's or artifact's
/// short name), or for a recorded scan (by its id).
fn build(store: &Store, argument: &str, timestamp: String) -> Result<Receipt> {
    let short_names = [crate::identity::CHAIN_PREFIX, crate::provenance::CHAIN_PREFIX, crate::ledger::CHAIN_PREFIX];
    let found = std::iter::once(argument.to_owned())
        .chain(short_names.iter().map(|prefix| format!("{prefix}{argument}")))
        .map(|name| store.resolve(&name))
        .find(|r| !matches!(r, Err(Error::UnknownChain { .. })))
        .unwrap_or_else(|| store.resolve(argument));
    match found {
        Ok(info) => {
            let chain = store.load(&info.id)?;
            Receipt::build(
                &chain,
                &Inputs { identities: store, scan: None, claimed_scan_data: None, ledger_entry: None, timestamp },
            )
        }
        Err(Error::UnknownChain { name, store: dir }) => {
            let Some((record, document)) = store.find_scan(argument)? else {
                return Err(Error::UnknownChain { name, store: dir });
            };
            // The scan's own chain, timed at the scan, so the same scan gives the same chain.
            let at = time::parse_rfc3339(&document.scanned_at).unwrap_or(0.0);
            let chain = crate::scan::chain::scan_chain(&document, &format!("scan-{}", record.id), at);
            Receipt::build(
                &chain,
                &Inputs {
                    identities: store,
                    scan: Some(&document),
                    claimed_scan_data: None,
                    ledger_entry: None,
                    timestamp,
                },
            )
        }
        Err(other) => Err(other),
    }
}

/// `pruv verify RECEIPT.json`.
pub fn verify(ctx: &Context, document: &Value, origin: &str, options: &VerifyOptions) -> Result<ExitCode> {
    let verification = crate::receipt::verify::verify(document, origin, options)?;
    match ctx.format {
        Format::Json => emit_json(&verification)?,
        _ => emit(&render_verification(origin, &verification))?,
    }
    Ok(if verification.ok { ExitCode::Ok } else { ExitCode::VerificationFailed })
}

fn render_verification(origin: &str, v: &ReceiptVerification) -> String {
    let kind = v.receipt_type.as_deref().unwrap_or("?");
    let id = v.chain_id.as_deref().unwrap_or("?");
    let verdict = if v.ok { paint(OK, "verifies") } else { paint(BAD, "does not verify") };
    let mut out = format!("{} receipt {origin} ({kind}, chain {id}) {verdict}\n", mark(v.ok));
    out += &chain_line("embedded chain", &v.chain);
    if v.mismatches.is_empty() {
        out += &format!("  {} every claim matches what the embedded chains give\n", mark(true));
    }
    for mismatch in &v.mismatches {
        out += &format!("  {} {}: {}\n", mark(false), mismatch.field, mismatch.message);
    }
    out += &match (v.signature, &v.signature_problem) {
        ("valid", _) => format!("  {} signature valid\n", mark(true)),
        ("absent", _) => {
            format!("  {} unsigned (only the claims were checked, not who issued them)\n", paint(WARN, "-"))
        }
        (_, problem) => format!("  {} {}\n", mark(false), problem.as_deref().unwrap_or("invalid signature")),
    };
    if v.authentic && !v.all_checks_passed {
        out += &format!("  {} the receipt is genuine, and records a failed check\n", mark(false));
    }
    out
}

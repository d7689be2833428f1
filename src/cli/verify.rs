//! `pruv verify FILE`: offline, no store. FILE is a chain export or a receipt.

use super::Context;
use super::args::{Format, VerifyArgs};
use super::files::read_json;
use super::output::{BAD, DIM, OK, WARN, emit, emit_json, escape_controls, pad, paint, plural, short_hash};
use crate::core::chain::ChainDocument;
use crate::core::sign::PublicKey;
use crate::core::verify::{Report, VerifyOptions, verify_document};
use crate::error::{Error, ExitCode, Result};

pub fn run(ctx: &Context, args: &VerifyArgs) -> Result<ExitCode> {
    let pinned_key = args.public_key.as_deref().map(PublicKey::resolve).transpose()?;
    if args.records {
        return super::records::verify(ctx, args, pinned_key);
    }
    let options = VerifyOptions {
        pinned_key,
        require_signatures: args.require_signatures,
        require_signed_head: args.require_signed_head,
    };
    let path = ctx.cwd.join(&args.file);
    if crate::prove::bundle::is_bundle(&path) {
        return verify_bundle(ctx, &path, &options);
    }
    let (value, origin) = read_json(&args.file)?;
    if crate::receipt::is_receipt(&value) {
        return super::receipt::verify(ctx, &value, &origin, &options);
    }
    let document = ChainDocument::from_value(value).map_err(|source| Error::Document { origin, source })?;
    let report = verify_document(&document, &options);
    let signed_head = document.signed_head.is_some();
    // A ledger export is also judged as a ledger: the books balance at every entry.
    let ledger =
        document.into_chain().filter(crate::ledger::verify::is_ledger).map(|c| crate::ledger::verify::verify(&c));
    match (ctx.format, &ledger) {
        (Format::Json, None) => emit_json(&report)?,
        (Format::Json, Some(ledger)) => emit_json(&serde_json::json!({ "chain": report, "ledger": ledger }))?,
        (_, ledger) => {
            let mut text = render_text(&report, signed_head);
            if let Some(ledger) = ledger {
                text += &super::ledger::render_report(ledger);
            }
            emit(&text)?
        }
    }
    let balanced = ledger.as_ref().is_none_or(|l| l.valid);
    Ok(if report.intact && balanced { ExitCode::Ok } else { ExitCode::VerificationFailed })
}

/// A prove bundle: its chain, and every file its entries bind.
fn verify_bundle(ctx: &Context, dir: &std::path::Path, options: &VerifyOptions) -> Result<ExitCode> {
    let report = crate::prove::bundle::verify(dir, options)?;
    match ctx.format {
        Format::Json => emit_json(&report)?,
        _ => {
            let mut text = render_text(&report.chain, false);
            if report.files.is_empty() {
                text += &format!("{} every file the attempts bind is as recorded\n", paint(OK, "✓"));
            } else {
                for problem in &report.files {
                    text += &format!("{} {}\n", paint(BAD, "✗"), escape_controls(problem));
                }
            }
            emit(&text)?
        }
    }
    Ok(if report.intact { ExitCode::Ok } else { ExitCode::VerificationFailed })
}

/// The verdict for a person: one line, then what backs it or what broke.
pub fn render_text(report: &Report, has_signed_head: bool) -> String {
    let mut out = String::new();
    let label = match (&report.name, &report.chain_id) {
        (Some(name), Some(id)) => format!("chain {name:?} ({id})"),
        (None, Some(id)) => format!("chain {id}"),
        (Some(name), None) => format!("chain {name:?}"),
        (None, None) => "chain".to_owned(),
    };
    let count = plural(report.entries, "entry", "entries");
    if report.intact {
        out +=
            &format!("{} {label} is intact: {count}, every link, state, proof and index checks out\n", paint(OK, "✓"));
    } else {
        let at = report.first_break.map_or_else(|| "the document level".to_owned(), |i| format!("entry {i}"));
        out += &format!(
            "{} {label} is {}: {count}, {}\n",
            paint(BAD, "✗"),
            paint(BAD, format!("broken at {at}")),
            plural(report.problems.len(), "problem", "problems")
        );
        let width = report.problems.iter().map(|p| p.kind.as_str().len()).max().unwrap_or(0);
        for problem in &report.problems {
            let place = problem.index.map_or_else(|| "chain".to_owned(), |i| format!("entry {i}"));
            out += &format!(
                "  {}  {}  {}\n",
                pad(&place, 11),
                paint(BAD, pad(problem.kind.as_str(), width)),
                // Messages quote values from the document, which may hold anything.
                escape_controls(&problem.message)
            );
        }
    }
    let s = &report.signatures;
    if s.signed > 0 {
        let signers = s.signers.iter().map(|k| short_hash(k)).collect::<Vec<_>>().join(", ");
        out += &format!("  signatures: {} of {} signed, {} verified", s.signed, count, s.verified);
        if !signers.is_empty() {
            out += &format!(" (by {signers})");
        }
        out.push('\n');
    }
    if s.head_signed {
        out += "  signed head: verified; the verdict covers every entry byte (status, metadata, x_state, signers included), the length and the name\n";
    }
    if !report.head.is_empty() {
        out += &format!(
            "  {}\n",
            paint(DIM, format!("head {}  root {}", report.head, report.root.as_deref().unwrap_or("-")))
        );
    }
    for warning in &report.warnings {
        let place = warning.index.map_or_else(|| "chain".to_owned(), |i| format!("entry {i}"));
        out += &format!("  {} {place}: {}\n", paint(WARN, "warning:"), escape_controls(&warning.message));
    }
    if report.intact && !has_signed_head {
        out += &format!(
            "  {}\n",
            paint(
                DIM,
                "note: the verdict covers links, states, proofs and indexes; status, metadata, x_state, the name and the length are outside the xy/1 proof; `pruv chain export --sign` binds them"
            )
        );
    }
    out
}

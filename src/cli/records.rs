//! `pruv record new` and `pruv verify --json`: proof records.

use std::path::{Path, PathBuf};

use super::Context;
use super::args::{RecordCommand, VerifyArgs};
use super::files::{json_argument, write_atomic};
use super::output::emit;
use crate::core::json::{self, Value};
use crate::core::sign::PublicKey;
use crate::error::{Error, ExitCode, Result};
use crate::records::{self, NewRecord, Requirements, Verdict};

pub fn run(ctx: &Context, command: &RecordCommand) -> Result<ExitCode> {
    let RecordCommand::New { record_type, event, source, source_product, sign, output } = command;
    let event = json_argument("--event", event)?;
    let key = sign.as_deref().map(super::files::load_secret_key).transpose()?;
    let new = NewRecord {
        record_type,
        event,
        source,
        source_product,
        record_id: crate::run::new_id()?,
        timestamp: crate::core::time::rfc3339(crate::core::time::now().as_f64()),
    };
    let record = records::build(new, key.as_ref()).map_err(|problems| {
        let more = if problems.len() > 1 { format!(" (and {} more)", problems.len() - 1) } else { String::new() };
        Error::Schema(format!("the {record_type} record does not fit its schema: {}{more}", problems[0]))
    })?;
    let text = json::pretty(&record) + "\n";
    match output {
        Some(path) => write_atomic(&ctx.cwd.join(path), text.as_bytes())?,
        None => emit(&text)?,
    }
    Ok(ExitCode::Ok)
}

/// One JSON verdict per record, a line each. Exit 6 when any record is
/// unreadable, else 3 for a schema violation, else 2 for a wrong hash or
/// signature, else 0.
pub fn verify(ctx: &Context, args: &VerifyArgs, public_key: Option<PublicKey>) -> Result<ExitCode> {
    let requirements = Requirements { signatures: args.require_signatures, public_key };
    let path = ctx.cwd.join(&args.file);
    let files: Vec<PathBuf> = if args.file == "-" {
        vec![PathBuf::from("-")]
    } else if path.is_dir() {
        let mut found: Vec<PathBuf> = std::fs::read_dir(&path)
            .map_err(|e| Error::io(&args.file, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("json" | "jsonl")))
            .collect();
        found.sort();
        if found.is_empty() {
            return Err(Error::InvalidInput(format!("{}: no .json or .jsonl files in it", args.file)));
        }
        found
    } else {
        vec![path]
    };
    let mut verdicts: Vec<Verdict> = Vec::new();
    for file in &files {
        let origin = if file == Path::new("-") { "-".to_owned() } else { super::output::relative_path(&ctx.cwd, file) };
        let text = match super::files::read_text(&file.display().to_string()) {
            Ok((text, _)) => text,
            Err(e) => {
                verdicts.push(Verdict::unreadable(origin, e.to_string()));
                continue;
            }
        };
        match json::parse(&text) {
            Ok(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    verdicts.push(records::verify(item, format!("{origin}[{i}]"), &requirements));
                }
            }
            Ok(value) => verdicts.push(records::verify(&value, origin, &requirements)),
            // Not one JSON document: JSON Lines, a record per line.
            Err(whole) => {
                let lines: Vec<(usize, &str)> =
                    text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).collect();
                if lines.len() < 2 {
                    verdicts.push(Verdict::unreadable(origin, format!("not JSON: {whole}")));
                    continue;
                }
                for (n, line) in lines {
                    let at = format!("{origin}:{}", n + 1);
                    match json::parse(line) {
                        Ok(value) => verdicts.push(records::verify(&value, at, &requirements)),
                        Err(e) => verdicts.push(Verdict::unreadable(at, format!("not JSON: {e}"))),
                    }
                }
            }
        }
    }
    let mut out = String::new();
    for verdict in &verdicts {
        out += &serde_json::to_string(verdict).expect("a verdict serialises");
        out.push('\n');
    }
    emit(&out)?;
    let any = |kind: &str| verdicts.iter().any(|v| v.verdict == kind);
    Ok(if any("unreadable") {
        ExitCode::InvalidInput
    } else if any("schema") {
        ExitCode::PolicyViolation
    } else if any("hash") || any("signature") {
        ExitCode::VerificationFailed
    } else {
        ExitCode::Ok
    })
}

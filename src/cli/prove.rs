//! `pruv prove run|replay|attest|verify-attestation`.

use std::path::{Path, PathBuf};

use super::Context;
use super::args::Format;
use super::output::{BAD, DIM, OK, emit, emit_json, escape_controls, paint};
use super::prove_args::ProveCommand;
use crate::core::sign::PublicKey;
use crate::error::{Error, ExitCode, Result};
use crate::prove::attest::{self, Key};
use crate::prove::replay::Replay;
use crate::prove::{self, Status, policy, proposer::Proposer};

pub fn run(ctx: &Context, command: &ProveCommand) -> Result<ExitCode> {
    match command {
        ProveCommand::Run { command, policy, proposer, dir, redact, threads, apply } => {
            let request = Session { command, policy, proposer, dir, redact, threads: *threads, apply: *apply };
            session(ctx, request)
        }
        ProveCommand::List { dir } => list(ctx, dir.as_deref()),
        ProveCommand::Replay { bundle, tree, threads } => replay(ctx, bundle, tree.as_deref(), *threads),
        ProveCommand::Attest { bundle, mode, key_env, key } => attest(ctx, bundle, *mode, key_env, key),
        ProveCommand::VerifyAttestation { bundle, key_env, public_key } => {
            verify_attestation(ctx, bundle, key_env.as_deref(), public_key.as_deref())
        }
    }
}

struct Session<'a> {
    command: &'a str,
    policy: &'a Option<PathBuf>,
    proposer: &'a Option<String>,
    dir: &'a Option<PathBuf>,
    redact: &'a [String],
    threads: usize,
    apply: bool,
}

fn session(ctx: &Context, args: Session<'_>) -> Result<ExitCode> {
    let tree = args.dir.as_ref().map_or_else(|| ctx.cwd.clone(), |d| ctx.cwd.join(d));
    if !tree.is_dir() {
        return Err(Error::InvalidInput(format!(
            "{}: not a directory; --dir names the project's root",
            tree.display()
        )));
    }
    let policy_path = args.policy.as_ref().map(|p| ctx.cwd.join(p));
    let loaded = policy::load(policy_path.as_deref(), &tree).map_err(Error::Policy)?;
    let policy = loaded.policy.clone();
    let env_var = |name: &str| std::env::var(name).ok();
    let request = prove::Request {
        command: args.command.to_owned(),
        tree: tree.clone(),
        policy: loaded,
        proposer: Proposer::configured(args.proposer.as_deref(), &env_var)?,
        env: std::env::vars_os().collect(),
        redact: args.redact.to_vec(),
        threads: args.threads,
    };
    let mut progress = |line: &str| eprintln!("{}", escape_controls(line));
    let outcome = prove::run(request, &mut progress)?;
    let applied = match args.apply && outcome.status == Status::Proven {
        true => prove::apply_to_tree(&tree, &outcome, &policy, args.threads)?,
        false => Vec::new(),
    };
    match ctx.format {
        Format::Json => {
            let mut value = serde_json::to_value(&outcome).expect("serialises");
            value["applied"] = serde_json::json!(applied);
            emit_json(&value)?
        }
        _ => {
            let (mark, style) = if outcome.status == Status::Proven { ("✓", OK) } else { ("✗", BAD) };
            let mut text = format!("{} {}\n", paint(style, mark), escape_controls(&outcome.message));
            text += &format!("  bundle   {}\n", shown(ctx, &outcome.bundle));
            if !outcome.files_changed.is_empty() {
                text += &format!("  changed  {}\n", escape_controls(&outcome.files_changed.join(", ")));
            }
            if !applied.is_empty() {
                text += &format!("  applied  to your tree: {}\n", escape_controls(&applied.join(", ")));
            }
            emit(&text)?
        }
    }
    Ok(outcome.status.exit_code())
}

fn list(ctx: &Context, dir: Option<&Path>) -> Result<ExitCode> {
    let tree = dir.map_or_else(|| ctx.cwd.clone(), |d| ctx.cwd.join(d));
    let sessions = prove::bundle::list(&tree)?;
    if ctx.format == Format::Json {
        emit_json(&sessions)?;
        return Ok(ExitCode::Ok);
    }
    if sessions.is_empty() {
        emit(&format!("no prove sessions in {}\n", shown(ctx, &tree.join(".pruv/prove"))))?;
        return Ok(ExitCode::Ok);
    }
    let mut text = String::new();
    for session in &sessions {
        let field = |key: &str| session.result.as_ref().and_then(|r| r[key].as_str()).unwrap_or_default().to_owned();
        let attempts = session.result.as_ref().and_then(|r| r["attempts"].as_u64()).unwrap_or(0);
        let (status, style) = match field("status").as_str() {
            "" => ("incomplete".to_owned(), BAD),
            "proven" => ("proven".to_owned(), OK),
            other => (other.to_owned(), BAD),
        };
        text += &format!(
            "{}  {}  {}  {}\n",
            session.session,
            paint(style, format!("{status:<20}")),
            paint(DIM, format!("{attempts} attempt{}", if attempts == 1 { "" } else { "s" })),
            escape_controls(&field("message"))
        );
    }
    emit(&text)?;
    Ok(ExitCode::Ok)
}

fn replay(ctx: &Context, bundle: &Path, tree: Option<&Path>, threads: usize) -> Result<ExitCode> {
    let bundle = ctx.cwd.join(bundle);
    let tree = match tree {
        Some(tree) => ctx.cwd.join(tree),
        None => prove::replay::default_tree(&bundle).unwrap_or_else(|| ctx.cwd.clone()),
    };
    let env: Vec<_> = std::env::vars_os().collect();
    let replay = prove::replay::replay(&bundle, &tree, &env, threads)?;
    if ctx.format == Format::Json {
        emit_json(&replay)?;
    }
    match replay {
        Replay::TreeDiffers { expected, found } => {
            if ctx.format != Format::Json {
                emit(&format!(
                    "{} not replayed: {} is not the recorded tree, with or without final.patch (tree hash {}, recorded {}); check out the recorded revision first\n",
                    paint(BAD, "✗"),
                    shown(ctx, &tree),
                    &found[..12.min(found.len())],
                    &expected[..12.min(expected.len())]
                ))?;
            }
            Ok(ExitCode::DriftDetected)
        }
        Replay::Ran { reproduced, recorded_passed, passed, runs, patched, already_applied } => {
            if ctx.format != Format::Json {
                let word = |p: bool| if p { "passed" } else { "failed" };
                let (mark, style) = if reproduced { ("✓", OK) } else { ("✗", BAD) };
                let how = match already_applied {
                    true => "the tree already holds final.patch".to_owned(),
                    false => format!("{} patched", patched.len()),
                };
                let mut text = format!(
                    "{} {}: recorded {}, replayed {} ({how})\n",
                    paint(style, mark),
                    if reproduced { "reproduced" } else { "did not reproduce" },
                    word(recorded_passed),
                    word(passed),
                );
                for run in runs {
                    let code = run.exit_code.map_or_else(|| "killed".to_owned(), |c| format!("exit {c}"));
                    text += &format!("  {}  {}\n", paint(DIM, code), escape_controls(&run.command));
                }
                emit(&text)?;
            }
            Ok(if reproduced { ExitCode::Ok } else { ExitCode::VerificationFailed })
        }
    }
}

fn attest(
    ctx: &Context,
    bundle: &Path,
    mode: attest::Mode,
    key_env: &Option<String>,
    key: &Option<PathBuf>,
) -> Result<ExitCode> {
    let bundle = ctx.cwd.join(bundle);
    let secret_key;
    let key = match (mode, key_env, key) {
        (attest::Mode::HmacSha256, Some(name), _) => Key::Env { name, value: std::env::var(name).ok() },
        (attest::Mode::Ed25519, _, Some(file)) => {
            secret_key = super::files::load_secret_key(&ctx.cwd.join(file))?;
            Key::Ed25519(&secret_key)
        }
        _ => {
            return Err(Error::InvalidInput(
                "--mode hmac-sha256 needs --key-env VAR; --mode ed25519 needs --key FILE".into(),
            ));
        }
    };
    let attestation = attest::attest(&bundle, &key)?;
    match ctx.format {
        Format::Json => emit_json(&attestation)?,
        _ => emit(&format!(
            "{} attested {} files of {} ({})\n",
            paint(OK, "✓"),
            attestation.files.len(),
            shown(ctx, &bundle),
            attest_mode_name(attestation.mode)
        ))?,
    }
    Ok(ExitCode::Ok)
}

fn verify_attestation(
    ctx: &Context,
    bundle: &Path,
    key_env: Option<&str>,
    public_key: Option<&str>,
) -> Result<ExitCode> {
    let bundle = ctx.cwd.join(bundle);
    let pinned = public_key.map(PublicKey::resolve).transpose()?;
    let env_var = |name: &str| std::env::var(name).ok();
    let check = attest::check(&bundle, &env_var, key_env, pinned.as_ref())?;
    match ctx.format {
        Format::Json => emit_json(&check)?,
        _ => {
            let mut text = if check.valid {
                format!("{} attestation holds: {} files unchanged, {}\n", paint(OK, "✓"), check.files, check.key)
            } else {
                format!("{} attestation does not hold\n", paint(BAD, "✗"))
            };
            for (what, paths) in [("edited", &check.edited), ("missing", &check.missing), ("added", &check.added)] {
                for path in paths {
                    text += &format!("  {}  {}\n", paint(BAD, what), escape_controls(path));
                }
            }
            if !check.key_valid {
                text += &format!("  {}  {} does not match\n", paint(BAD, "key"), check.key);
            }
            emit(&text)?
        }
    }
    Ok(if check.valid { ExitCode::Ok } else { ExitCode::VerificationFailed })
}

fn attest_mode_name(mode: attest::Mode) -> &'static str {
    match mode {
        attest::Mode::HmacSha256 => "hmac-sha256",
        attest::Mode::Ed25519 => "ed25519",
    }
}

/// A path relative to the working directory, escaped for the terminal.
fn shown(ctx: &Context, path: &Path) -> String {
    escape_controls(&super::output::relative_path(&ctx.cwd, path))
}

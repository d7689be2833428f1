//! The command line: argument parsing, dispatch and rendering. Everything
//! it does is in the library; `main` only calls [`run`].

mod approval;
mod args;
mod chain;
mod checkpoint;
mod compose;
mod diff;
mod diff_render;
mod files;
mod identity;
mod init;
mod key;
mod ledger;
mod ledger_args;
mod log;
mod output;
mod prove;
mod prove_args;
mod provenance;
mod receipt;
mod records;
mod run;
mod scan;
mod scan_render;
mod trust_args;
mod verdict;
mod verify;

use std::ffi::OsString;
use std::path::PathBuf;

pub use args::{Cli, ColorWhen, Format};

use crate::error::{Error, ExitCode, Result};
use crate::store::{self, Store};

/// Runs pruv with these arguments (the first is the program name) and
/// returns the process exit code.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let parsed = args::command_with_formats()
        .try_get_matches_from(args)
        .and_then(|matches| <Cli as clap::FromArgMatches>::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return match error.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => ExitCode::Ok.code(),
                _ => ExitCode::InvalidInput.code(),
            };
        }
    };
    match cli.color {
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
        ColorWhen::Auto => {}
    }
    match dispatch(&cli) {
        Ok(code) => code,
        // Output cut short by the reader (`pruv chain show x | head`) is not a failure.
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::Ok.code(),
        Err(error) => {
            let mut stderr = anstream::stderr();
            let _ = std::io::Write::write_fmt(
                &mut stderr,
                // Errors name paths and chains as given: one line, whatever they hold.
                format_args!(
                    "{} {}\n",
                    output::paint(output::BAD, "error:"),
                    output::escape_controls(&error.to_string())
                ),
            );
            error.exit_code().code()
        }
    }
}

/// Runs the command; the exit code is one of [`ExitCode`]'s, or for `pruv
/// run` the wrapped command's own.
fn dispatch(cli: &Cli) -> Result<u8> {
    let ctx = Context::new(cli)?;
    let accepted = cli.command.formats();
    if !accepted.contains(&cli.format) {
        let names = accepted.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ");
        return Err(Error::InvalidInput(format!(
            "`pruv {}` cannot write --format {}; it writes {names}",
            cli.command.name(),
            cli.format.name()
        )));
    }
    if let args::Command::Run(run_args) = &cli.command {
        return run::run(&ctx, run_args);
    }
    let code = match &cli.command {
        args::Command::Init { dir } => init::run(&ctx, dir.as_deref()),
        args::Command::Chain(command) => chain::run(&ctx, command),
        args::Command::Key(command) => key::run(&ctx, command),
        args::Command::Verify(verify_args) => verify::run(&ctx, verify_args),
        args::Command::Scan(scan_args) => scan::run(&ctx, scan_args),
        args::Command::Log(log_args) => log::run(&ctx, log_args),
        args::Command::Diff(diff_args) => diff::run(&ctx, diff_args),
        args::Command::Identity(command) => identity::run(&ctx, command),
        args::Command::Provenance(command) => provenance::run(&ctx, command),
        args::Command::Receipt(receipt_args) => receipt::run(&ctx, receipt_args),
        args::Command::Compose(command) => compose::run(&ctx, command),
        args::Command::Ledger(command) => ledger::run(&ctx, command),
        args::Command::Run(_) => unreachable!("handled above"),
        args::Command::Checkpoint(command) => checkpoint::run(&ctx, command),
        args::Command::Record(command) => records::run(&ctx, command),
        args::Command::Prove(command) => prove::run(&ctx, command),
        args::Command::Undo { chain, force } => checkpoint::undo(&ctx, chain, *force),
        args::Command::Approve(decide) => approval::decide(&ctx, decide, true),
        args::Command::Deny(decide) => approval::decide(&ctx, decide, false),
    }?;
    Ok(code.code())
}

/// What every command may need: the output format and how to find the store.
pub(crate) struct Context {
    pub format: Format,
    pub cwd: PathBuf,
    store_flag: Option<PathBuf>,
    store_env: Option<OsString>,
}

impl Context {
    fn new(cli: &Cli) -> Result<Context> {
        let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
        Ok(Context {
            format: cli.format,
            cwd,
            store_flag: cli.store.clone(),
            store_env: std::env::var_os("PRUV_STORE"),
        })
    }

    /// The store named by --store or PRUV_STORE, if any (never searched for).
    pub(crate) fn named_store(&self) -> Option<PathBuf> {
        match store::locate(self.store_flag.as_deref(), self.store_env.as_deref(), &self.cwd) {
            Ok(store::Located::Named(path)) => Some(path),
            _ => None,
        }
    }

    /// Opens the store this command should use, or explains how to make one.
    fn open_store(&self) -> Result<Store> {
        let located = store::locate(self.store_flag.as_deref(), self.store_env.as_deref(), &self.cwd)?;
        Store::open(located.path())
    }

    /// Opens the store for a command that only reads it: no write access needed.
    fn read_store(&self) -> Result<Store> {
        let located = store::locate(self.store_flag.as_deref(), self.store_env.as_deref(), &self.cwd)?;
        Store::open_read_only(located.path())
    }
}

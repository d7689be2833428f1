//! `pruv diff [-C DIR] [OLD [NEW]]`: resolves each side to a scan, compares
//! them, applies the policy, renders.

use std::path::{Path, PathBuf};

use super::Context;
use super::args::{DiffArgs, Format};
use super::diff_render;
use super::output::{emit, emit_json};
use super::scan::{run_scan, store_for};
use crate::error::{Error, ExitCode, Result};
use crate::scan::diff::policy::{POLICY_FILE, Policy, Selector};
use crate::scan::diff::{self, policy};
use crate::scan::helm_template::HelmMode;
use crate::scan::model::{SCAN_FORMAT, ScanDocument};
use crate::scan::{self, ScanOptions};
use crate::store::Store;

/// A side of the comparison and how the user named it.
struct Resolved {
    document: ScanDocument,
    label: String,
}

pub fn run(ctx: &Context, args: &DiffArgs) -> Result<ExitCode> {
    let dir = ctx.cwd.join(args.dir.as_deref().unwrap_or(Path::new(".")));
    let dir = dir.canonicalize().map_err(|e| Error::io(&dir, e))?;
    if !dir.is_dir() {
        return Err(Error::InvalidInput(format!("-C {}: not a directory", dir.display())));
    }
    // Read the policy first: a broken policy file fails before any scanning.
    let policy = load_policy(args, &dir)?;
    let fail_on = if args.fail_on.is_empty() {
        policy.fail_on.clone().unwrap_or_default()
    } else {
        Selector::parse(args.fail_on.iter().map(String::as_str))
            .map_err(|e| Error::InvalidInput(format!("--fail-on: {e}")))?
    };
    let store = store_for(ctx, &dir)?;
    let sides = Sides {
        dir: &dir,
        store: store.as_ref(),
        threads: args.threads.unwrap_or(0),
        helm: super::scan::helm_mode(&args.helm)?,
    };
    let (old, new) = match (&args.old, &args.new) {
        (Some(old), Some(new)) => (sides.resolve(old)?, sides.resolve(new)?),
        (Some(old), None) => (sides.resolve(old)?, sides.resolve(".")?),
        (None, _) => sides.last_two()?,
    };
    if old.document.root != new.document.root {
        super::verdict::warn(&format!(
            "the sides are scans of different roots ({} and {}); the comparison may mostly show that",
            super::output::escape_controls(&old.document.root),
            super::output::escape_controls(&new.document.root)
        ));
    }
    // Text renderings print names from the documents: escaped first.
    let (old, new) = match ctx.format {
        Format::Json => (old, new),
        _ => (
            Resolved {
                document: super::output::escaped(&old.document),
                label: super::output::escape_controls(&old.label),
            },
            Resolved {
                document: super::output::escaped(&new.document),
                label: super::output::escape_controls(&new.label),
            },
        ),
    };
    let mut diff = diff::diff(&old.document, &old.label, &new.document, &new.label);
    let failing = policy::apply(&mut diff, &fail_on, &policy.allow);
    match ctx.format {
        Format::Json => emit_json(&diff)?,
        Format::Markdown => emit(&diff_render::markdown(&diff, &old.document, &new.document))?,
        Format::Github => emit(&diff_render::github(&diff, &scan::git::path_in_repo(&dir).unwrap_or_default()))?,
        _ => emit(&diff_render::text(&diff, args.verbose))?,
    }
    Ok(if failing > 0 { ExitCode::DriftDetected } else { ExitCode::Ok })
}

fn load_policy(args: &DiffArgs, dir: &Path) -> Result<Policy> {
    if args.no_policy {
        return Ok(Policy::default());
    }
    let path: PathBuf = match &args.policy {
        Some(path) => dir.join(path),
        None => {
            let default = dir.join(POLICY_FILE);
            if !default.is_file() {
                return Ok(Policy::default());
            }
            default
        }
    };
    Policy::load(&path).map_err(Error::Policy)
}

struct Sides<'a> {
    dir: &'a Path,
    store: Option<&'a Store>,
    threads: usize,
    helm: HelmMode,
}

impl Sides<'_> {
    /// A scan file, a recorded scan id, a git revision, or `.` (the work tree).
    fn resolve(&self, name: &str) -> Result<Resolved> {
        if name == "." {
            let document = self.scan(|options| scan::scan(self.dir, ".", options))?;
            return Ok(Resolved { document, label: "work tree".to_owned() });
        }
        let path = self.dir.join(name);
        // A file that is not a scan document may share its name with a
        // revision (`HEAD` in a bare repository): then the revision is meant.
        let as_file = path.is_file().then(|| read_scan_file(&path, name));
        let file_error = match as_file {
            Some(Ok(document)) => return Ok(Resolved { document, label: name.to_owned() }),
            Some(Err(Error::InvalidInput(why))) => Some(why),
            Some(Err(other)) => return Err(other),
            None => None,
        };
        if let Some(store) = self.store
            && let Some((record, document)) = store.find_scan(name)?
        {
            return Ok(Resolved { document, label: format!("scan {}", record.id) });
        }
        match self.scan(|options| scan::scan_rev(self.dir, name, ".", options)) {
            Ok(document) => {
                let commit = document.git.as_ref().map_or("", |g| g.commit.as_str());
                let short: String = commit.chars().take(10).collect();
                // A commit id names itself; a branch or tag gets the commit it stands for.
                let label =
                    if commit.starts_with(&name.to_ascii_lowercase()) { short } else { format!("{name} ({short})") };
                Ok(Resolved { document, label })
            }
            Err(Error::InvalidInput(why)) => Err(Error::InvalidInput(match file_error {
                Some(file_error) => format!(
                    "{name:?} is a file that is not a scan document ({file_error}), and not a git revision either ({why}); \
                     pass a `pruv scan --format json` file or a revision"
                ),
                None => {
                    format!("{name:?} is not a scan file, a recorded scan id (`pruv log`) or a git revision: {why}")
                }
            })),
            Err(other) => Err(other),
        }
    }

    /// The two newest recorded scans of the directory.
    fn last_two(&self) -> Result<(Resolved, Resolved)> {
        let root = self.dir.display().to_string();
        let records = match self.store {
            Some(store) => store.scans(&root)?,
            None => vec![],
        };
        let [newest, previous, ..] = records.as_slice() else {
            return Err(Error::InvalidInput(format!(
                "{} recorded for {root}; diff needs two: run `pruv scan` again, or name the sides (`pruv diff main .`)",
                super::output::plural(records.len(), "scan is", "scans are")
            )));
        };
        let load = |id: &str| -> Result<Resolved> {
            let store = self.store.expect("records came from the store");
            let (record, document) = store
                .find_scan(id)?
                .ok_or_else(|| Error::InvalidInput(format!("scan {id} vanished from the store while reading it")))?;
            Ok(Resolved { document, label: format!("scan {}", record.id) })
        };
        Ok((load(&previous.id)?, load(&newest.id)?))
    }

    fn scan(&self, work: impl FnOnce(&ScanOptions) -> Result<scan::ScanOutcome>) -> Result<ScanDocument> {
        run_scan(self.threads, self.helm.clone(), work).map(|outcome| outcome.document)
    }
}

fn read_scan_file(path: &Path, name: &str) -> Result<ScanDocument> {
    let text = super::files::read_path_text(path, name)?;
    let document: ScanDocument = serde_json::from_str(&text).map_err(|e| {
        Error::InvalidInput(format!("{name}: not a {SCAN_FORMAT} document ({e}); `pruv scan --format json` writes one"))
    })?;
    if document.format != SCAN_FORMAT {
        return Err(Error::InvalidInput(format!(
            "{name}: format {:?}, this pruv compares {SCAN_FORMAT}",
            document.format
        )));
    }
    Ok(document)
}

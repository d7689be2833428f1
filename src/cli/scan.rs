//! `pruv scan [PATH]`

use std::io::IsTerminal as _;
use std::path::Path;

use super::Context;
use super::args::{Format, ScanArgs};
use super::files::write_atomic;
use super::output::{WARN, emit, emit_json, escape_controls, escaped, paint};
use super::scan_render;
use crate::core::json;
use crate::error::{Error, ExitCode, Result};
use crate::scan::helm_template::HelmMode;
use crate::scan::{self, ScanOptions};
use crate::store::{self, STORE_DIR, Store};

/// Warnings shown before the rest are summarised.
const SHOWN_WARNINGS: usize = 20;

pub fn run(ctx: &Context, args: &ScanArgs) -> Result<ExitCode> {
    let label = args.path.as_ref().map_or_else(|| ".".to_owned(), |p| p.display().to_string());
    let root = ctx.cwd.join(args.path.as_deref().unwrap_or(Path::new(".")));
    let root = root.canonicalize().map_err(|e| Error::io(&root, e))?;
    let key = root.display().to_string();
    // The cache lives in the store; a revision is read from git, never from the cache.
    let mut store = if args.no_cache && args.no_record { None } else { store_for(ctx, &root)? };
    if !args.no_record && store.is_none() {
        // Made before the scan, so the first scan fills the cache as well.
        store = Some(Store::init(&root.join(STORE_DIR))?.0);
    }
    // Read on its own connection, beside the walk.
    let load: Option<scan::CacheLoader> = match (&store, &args.rev) {
        (Some(store), None) if !args.no_cache => {
            let (dir, key) = (store.dir().to_owned(), key.clone());
            Some(Box::new(move || Store::open(&dir)?.load_scan_cache(&key)))
        }
        _ => None,
    };
    let outcome = run_scan(args.threads.unwrap_or(0), helm_mode(&args.helm)?, |options| match &args.rev {
        Some(rev) => scan::scan_rev(&root, rev, &label, options),
        None => scan::scan_cached(&root, &label, options, load),
    })?;
    if args.verbose {
        let asked = args.threads.unwrap_or(0);
        if asked > outcome.threads {
            eprintln!(
                "threads: {} (asked for {asked}; at most {} per core and one per file)",
                outcome.threads,
                scan::THREADS_PER_CORE
            );
        } else {
            eprintln!("threads: {}", outcome.threads);
        }
        let w = outcome.work;
        eprintln!(
            "work: {} files from the cache, {} read and hashed, {} analysed, {} parsed by tree-sitter ({} KiB, {} rule-file runs)",
            w.reused,
            w.read,
            w.analysed,
            w.parsed,
            w.parsed_bytes / 1024,
            w.rule_files
        );
    }
    let document = outcome.document;

    let recorded = match (store.as_mut(), args.no_record) {
        (Some(store), false) => Some((store.record_scan(&key, &document)?, store.dir().to_owned())),
        _ => None,
    };
    if let (Some(store), Some(changes)) = (store.as_mut(), &outcome.cache)
        && !args.no_cache
        && !(changes.upserts.is_empty() && changes.removed.is_empty())
    {
        store.save_scan_cache(&key, changes)?;
    }
    if let Some(path) = &args.chain {
        let id = recorded
            .as_ref()
            .map_or_else(|| format!("scan-{}", &document.tree_hash[..8]), |(id, _)| format!("scan-{id}"));
        let chain = scan::chain::scan_chain(&document, &id, crate::core::time::now().as_f64());
        write_atomic(&ctx.cwd.join(path), json::pretty(&chain.to_document(None)).as_bytes())?;
    }
    super::provenance::record_scan(ctx, &args.provenance, &root, &document)?;
    match ctx.format {
        Format::Json => emit_json(&document)?,
        Format::Markdown => emit(&scan_render::markdown(&escaped(&document)))?,
        Format::Mermaid => emit(&scan_render::mermaid(&escaped(&document)))?,
        Format::Dot => emit(&scan_render::dot(&escaped(&document)))?,
        // Formats of other commands never get here (`Command::formats`).
        _ => emit(&scan_render::text(&escaped(&document), args.verbose))?,
    }
    if let Some((id, dir)) = recorded
        && std::io::stderr().is_terminal()
    {
        eprintln!("recorded as scan {id} in {}", dir.display());
    }
    Ok(ExitCode::Ok)
}

/// How `--helm` asks for charts to be read: `never`, `auto` (the `helm` on
/// PATH, if there is one) or a binary, which must exist.
pub(super) fn helm_mode(arg: &str) -> Result<HelmMode> {
    match arg {
        "never" => Ok(HelmMode::Off),
        "auto" => Ok(crate::run::find_on_path("helm").map_or(HelmMode::Off, HelmMode::Binary)),
        path => {
            let path = Path::new(path);
            if path.is_file() {
                Ok(HelmMode::Binary(path.to_owned()))
            } else {
                Err(Error::MissingTool(format!(
                    "--helm {}: no such file; give the path of a helm binary, or --helm never to read charts without it",
                    path.display()
                )))
            }
        }
    }
}

/// Runs a scan with `threads` workers (0: one per core), with progress on a
/// terminal, and reports its warnings on stderr.
pub(super) fn run_scan(
    threads: usize,
    helm: HelmMode,
    work: impl FnOnce(&ScanOptions) -> Result<scan::ScanOutcome>,
) -> Result<scan::ScanOutcome> {
    let progress = std::io::stderr().is_terminal().then(|| std::sync::Arc::new(scan::Progress::default()));
    let options = ScanOptions { threads, progress: progress.clone(), helm };
    let outcome = match progress {
        Some(progress) => with_progress(&progress, || work(&options))?,
        None => work(&options)?,
    };
    report_warnings(&outcome.warnings);
    Ok(outcome)
}

/// Runs `work`, showing progress on stderr once it has taken over a second.
fn with_progress<T>(progress: &scan::Progress, work: impl FnOnce() -> T) -> T {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            // A scan that ends within a second shows nothing.
            let started = std::time::Instant::now();
            while started.elapsed() < Duration::from_secs(1) {
                if done.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
            bar.set_style(
                indicatif::ProgressStyle::with_template("scanning: {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            while !done.load(Ordering::Relaxed) {
                let found = progress.found.load(Ordering::Relaxed);
                let processed = progress.processed.load(Ordering::Relaxed);
                if found == 0 {
                    bar.set_message("walking the tree…");
                } else {
                    bar.set_message(format!("{processed}/{found} files"));
                }
                bar.tick();
                std::thread::sleep(Duration::from_millis(100));
            }
            bar.finish_and_clear();
        });
        let result = work();
        done.store(true, Ordering::Relaxed);
        result
    })
}

/// The store that holds the scans of `root` (named by --store/PRUV_STORE,
/// else the nearest `.pruv/` from `root` upward), if there is one.
pub(super) fn store_for(ctx: &Context, root: &Path) -> Result<Option<Store>> {
    match ctx.named_store() {
        Some(named) => Store::open(&named).map(Some),
        None => match store::locate(None, None, root) {
            Ok(found) => Store::open(found.path()).map(Some),
            Err(Error::NoStore { .. }) => Ok(None),
            Err(other) => Err(other),
        },
    }
}

fn report_warnings(warnings: &[String]) {
    let label = paint(WARN, "warning:");
    let mut stderr = anstream::stderr();
    for warning in warnings.iter().take(SHOWN_WARNINGS) {
        let _ = std::io::Write::write_fmt(&mut stderr, format_args!("{label} {}\n", escape_controls(warning)));
    }
    if warnings.len() > SHOWN_WARNINGS {
        let _ = std::io::Write::write_fmt(
            &mut stderr,
            format_args!("{label} … and {} more (all counted in stats.skipped)\n", warnings.len() - SHOWN_WARNINGS),
        );
    }
}

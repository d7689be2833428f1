//! `pruv scan`: walk, hash, extract, read configuration, infer, graph.
//!
//! One scan builds one [`model::ScanDocument`]; every output format renders it.

pub mod cache;
pub mod chain;
pub mod config;
pub mod diff;
pub mod externals;
pub mod extract;
pub mod facts;
pub mod frameworks;
pub mod git;
mod go_imports;
pub mod graph;
pub mod helm_template;
pub mod infer;
pub mod interpolate;
pub mod lang;
pub mod model;
pub mod paths;
pub mod platform;
pub mod process;
pub mod redact;
pub mod walk;

use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use crate::error::{Error, Result};
use model::{SCAN_FORMAT, ScanDocument, Stats};

#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Counters a caller can watch to show progress.
    pub progress: Option<std::sync::Arc<Progress>>,
    /// Whether Helm charts are rendered by `helm template` (a git revision's
    /// charts are written out of the object database for it).
    pub helm: helm_template::HelmMode,
}

/// How far a running scan has got.
#[derive(Debug, Default)]
pub struct Progress {
    /// Files found by the walk (final once the walk is over).
    pub found: std::sync::atomic::AtomicUsize,
    /// Files read and processed.
    pub processed: std::sync::atomic::AtomicUsize,
}

/// A finished scan and what went wrong along the way (each also counted in `stats.skipped`).
pub struct ScanOutcome {
    pub document: ScanDocument,
    pub warnings: Vec<String>,
    /// How many files were taken from the cache, read, analysed.
    pub work: cache::Work,
    /// What to write back to the cache, when one was used.
    pub cache: Option<cache::CacheChanges>,
    /// How many workers read the files (after [`clamp_threads`]).
    pub threads: usize,
}

/// Scans the tree at `root`; `root_label` is the root as the user wrote it.
pub fn scan(root: &Path, root_label: &str, options: &ScanOptions) -> Result<ScanOutcome> {
    scan_cached(root, root_label, options, None)
}

/// Reads a tree's cache; it runs while the tree is walked.
pub type CacheLoader<'a> = Box<dyn FnOnce() -> Result<cache::Known> + Send + 'a>;

/// Scans the tree at `root`, taking unchanged files from the cache `load` reads.
pub fn scan_cached(
    root: &Path,
    root_label: &str,
    options: &ScanOptions,
    load: Option<CacheLoader<'_>>,
) -> Result<ScanOutcome> {
    let started = Instant::now();
    let metadata = std::fs::metadata(root).map_err(|e| Error::io(root, e))?;
    if !metadata.is_dir() {
        return Err(Error::InvalidInput(format!(
            "{}: not a directory; pass the root of the tree to scan",
            root.display()
        )));
    }
    let walk_threads = clamp_threads(options.threads, usize::MAX);
    let (walked, known) = std::thread::scope(|scope| {
        let loading = load.map(|load| scope.spawn(load));
        let walked = walk::walk(root, walk_threads);
        (walked, loading.map(|loading| loading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))))
    });
    let cache = known.transpose()?.map(cache::Cache::new);
    let (threads, pool) = thread_pool(clamp_threads(options.threads, walked.files.len()))?;
    let tick = Ticker::new(options, walked.files.len());
    let mut processed: Vec<process::Processed> = pool.install(|| {
        walked
            .files
            .par_iter()
            .with_max_len(FILES_PER_TASK)
            .map(|file| {
                tick.done(match &cache {
                    Some(cache) => cache.process(file),
                    None => process::process(file),
                })
            })
            .collect()
    });
    let (work, changes) = match cache {
        Some(cache) => {
            let (work, changes) = cache.finish(walked.files.iter().map(|f| f.path.as_str()));
            (work, Some(changes))
        }
        None => (uncached_work(&processed), None),
    };
    let locate = |dir: &str| Ok(helm_template::ChartDir::InTree(root.join(dir)));
    let rendering = pool.install(|| helm_template::render_charts(&options.helm, &mut processed, &locate));
    let mut outcome = assemble(root_label, started, walked.warnings, processed, git::describe_worktree(root));
    // Not skipped files: charts read the other way.
    outcome.warnings.extend(rendering);
    outcome.work = work;
    outcome.cache = changes;
    outcome.threads = threads;
    Ok(outcome)
}

/// Scans revision `rev` of the git repository holding `dir`, from the
/// object database: the tree at `dir`'s place in the repository as it was
/// committed. The work tree is never read.
pub fn scan_rev(dir: &Path, rev: &str, root_label: &str, options: &ScanOptions) -> Result<ScanOutcome> {
    let started = Instant::now();
    let tree = git::RevTree::open(dir, rev)?;
    let listing = tree.list()?;
    let (threads, pool) = thread_pool(clamp_threads(options.threads, listing.files.len()))?;
    let tick = Ticker::new(options, listing.files.len());
    let mut processed: Vec<process::Processed> = pool.install(|| {
        listing
            .files
            .par_iter()
            .with_max_len(FILES_PER_TASK)
            .map_init(|| tree.reader(), |repo, file| tick.done(git::process(repo, file)))
            .collect()
    });
    let work = uncached_work(&processed);
    let locate = |dir: &str| tree.write_out(&listing.files, dir).map(helm_template::ChartDir::Written);
    let rendering = pool.install(|| helm_template::render_charts(&options.helm, &mut processed, &locate));
    let mut outcome = assemble(root_label, started, listing.warnings, processed, Some(tree.source.clone()));
    outcome.warnings.extend(rendering);
    outcome.work = work;
    outcome.threads = threads;
    Ok(outcome)
}

/// The compose projects of the tree at `root`, as `pruv compose config`
/// shows them: only compose, YAML and `.env` files are read.
/// With `files` (relative to `root`), the one project of those files, in that order.
pub fn compose_projects(
    root: &Path,
    threads: usize,
    files: &[String],
) -> Result<(Vec<config::compose::Project>, Vec<String>)> {
    let metadata = std::fs::metadata(root).map_err(|e| Error::io(root, e))?;
    if !metadata.is_dir() {
        return Err(Error::InvalidInput(format!(
            "{}: not a directory; pass the directory of the compose files",
            root.display()
        )));
    }
    let walked = walk::walk(root, clamp_threads(threads, usize::MAX));
    let (_, pool) = thread_pool(clamp_threads(threads, walked.files.len()))?;
    let relevant = |path: &str| {
        matches!(
            config::classify(path),
            Some(config::ConfigKind::Compose | config::ConfigKind::Dotenv | config::ConfigKind::KubernetesCandidate)
        )
    };
    let processed: Vec<process::Processed> = pool.install(|| {
        walked
            .files
            .par_iter()
            .with_max_len(FILES_PER_TASK)
            .filter(|f| relevant(&f.path))
            .map(process::process_unredacted)
            .collect()
    });
    let mut warnings = walked.warnings;
    warnings.extend(processed.iter().filter_map(|p| p.warning.clone()));
    let mut projects = if files.is_empty() {
        infer::compose_projects(&processed)
    } else {
        for file in files {
            if !processed.iter().any(|p| p.entry.as_ref().is_some_and(|e| e.path == *file)) {
                return Err(Error::InvalidInput(format!(
                    "{file}: no such compose file under {}; give paths relative to the directory",
                    root.display()
                )));
            }
        }
        let files: Vec<&str> = files.iter().map(String::as_str).collect();
        vec![infer::compose_project_of(&processed, &files)]
    };
    // The project at the root is named after the directory, as compose names it.
    let root_name =
        root.canonicalize().ok().and_then(|r| r.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()));
    for project in projects.iter_mut().filter(|p| p.name.is_empty()) {
        project.name = root_name
            .clone()
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            .collect();
    }
    warnings.extend(projects.iter().flat_map(|p| p.warnings.iter().cloned()));
    Ok((projects, warnings))
}

/// Without a cache every file is read and analysed.
fn uncached_work(processed: &[process::Processed]) -> cache::Work {
    let mut work = cache::Work { read: processed.len() as u64, ..cache::Work::default() };
    for file in processed {
        work.add_analysed(file);
    }
    work
}

/// The most files one task reads before another worker may take over the
/// rest. Rayon otherwise hands each worker a fixed share of the list up
/// front, and one share can cost far more than another (a repository's
/// `vendor/` is hashed only, its own code is parsed): on moby/moby one
/// worker sat idle for most of the scan.
const FILES_PER_TASK: usize = 32;

/// More workers than this per core only wait on each other: reading and
/// parsing are CPU-bound, and the disk is not faster for more readers.
pub const THREADS_PER_CORE: usize = 4;

/// The workers worth starting for `files` files when `requested` were
/// asked for (0: one per core): never more than [`THREADS_PER_CORE`] per
/// core, nor more than there are files. `-j 5000` on five files starting
/// 5000 threads took over a minute.
pub fn clamp_threads(requested: usize, files: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let wanted = if requested == 0 { cores } else { requested };
    wanted.min(cores.saturating_mul(THREADS_PER_CORE)).min(files.max(1)).max(1)
}

fn thread_pool(threads: usize) -> Result<(usize, rayon::ThreadPool)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::InvalidInput(format!("cannot start {threads} threads: {e}")))?;
    Ok((threads, pool))
}

/// Counts processed files for a watcher, when there is one.
struct Ticker<'a>(Option<&'a Progress>);

impl<'a> Ticker<'a> {
    fn new(options: &'a ScanOptions, found: usize) -> Ticker<'a> {
        let progress = options.progress.as_deref();
        if let Some(progress) = progress {
            progress.found.store(found, std::sync::atomic::Ordering::Relaxed);
        }
        Ticker(progress)
    }

    fn done<T>(&self, result: T) -> T {
        if let Some(progress) = self.0 {
            progress.processed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        result
    }
}

/// A warning (`path: reason`) as an entry of the document's `skipped` list.
fn skipped_entry(warning: &str, excluded: bool) -> model::Skipped {
    let (path, reason) = warning.split_once(": ").unwrap_or(("", warning));
    model::Skipped { path: path.to_owned(), reason: reason.to_owned(), excluded }
}

/// Everything after the files are read: stats, inference, hashes, the document.
fn assemble(
    root_label: &str,
    started: Instant,
    mut warnings: Vec<String>,
    mut processed: Vec<process::Processed>,
    git: Option<model::GitSource>,
) -> ScanOutcome {
    let mut stats = Stats { skipped: warnings.len() as u64, ..Stats::default() };
    // Walk warnings are files never read (a pipe, a name that is not UTF-8, an unreadable directory).
    let mut skipped: Vec<model::Skipped> = warnings.iter().map(|w| skipped_entry(w, true)).collect();
    for file in &processed {
        if let Some(warning) = &file.warning {
            warnings.push(warning.clone());
            stats.skipped += 1;
            skipped.push(skipped_entry(warning, file.entry.is_none()));
        }
        if let Some(entry) = &file.entry {
            stats.files += 1;
            stats.bytes += entry.size;
            stats.parsed += u64::from(file.parsed);
        }
    }
    infer::resolve_version_catalogs(&mut processed);
    let inferred = infer::infer(&processed);
    warnings.extend(inferred.warnings.iter().cloned());
    let files: Vec<model::FileEntry> = processed.into_iter().filter_map(|p| p.entry).collect();
    let tree_hash = graph::tree_hash(files.iter().map(|f| (f.sha256.as_str(), f.path.as_str())));
    let graph_hash = graph::graph_hash(&inferred.services, &inferred.env_vars, &inferred.connections);
    stats.duration_ms = started.elapsed().as_millis() as u64;
    let document = ScanDocument {
        format: SCAN_FORMAT.to_owned(),
        root: root_label.to_owned(),
        scanned_at: crate::core::time::rfc3339_seconds(crate::core::time::now().as_f64()),
        graph_hash,
        tree_hash,
        git,
        stats,
        files,
        services: inferred.services,
        env_vars: inferred.env_vars,
        connections: inferred.connections,
        skipped,
    };
    ScanOutcome { document, warnings, work: cache::Work::default(), cache: None, threads: 1 }
}

#[cfg(test)]
mod thread_tests {
    use super::*;

    #[test]
    fn threads_are_clamped_to_cores_and_files() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(clamp_threads(5000, 5), 5.min(cores * THREADS_PER_CORE));
        assert_eq!(clamp_threads(5000, 1_000_000), cores * THREADS_PER_CORE);
        assert_eq!(clamp_threads(0, 1_000_000), cores);
        assert_eq!(clamp_threads(3, 0), 1);
    }
}

//! `pruv scan`: walk, hash, extract, read configuration, infer, graph.
//!
//! One scan builds one [`model::ScanDocument`]; every output format renders it.

pub mod chain;
pub mod config;
pub mod externals;
pub mod extract;
pub mod facts;
pub mod frameworks;
pub mod graph;
pub mod infer;
pub mod lang;
pub mod model;
pub mod paths;
pub mod process;
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
}

/// Scans the tree at `root`; `root_label` is the root as the user wrote it.
pub fn scan(root: &Path, root_label: &str, options: &ScanOptions) -> Result<ScanOutcome> {
    let started = Instant::now();
    let metadata = std::fs::metadata(root).map_err(|e| Error::io(root, e))?;
    if !metadata.is_dir() {
        return Err(Error::InvalidInput(format!(
            "{}: not a directory; pass the root of the tree to scan",
            root.display()
        )));
    }
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        options.threads
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::InvalidInput(format!("cannot start {threads} threads: {e}")))?;

    let walked = walk::walk(root, threads);
    let counters = options.progress.as_deref();
    if let Some(progress) = counters {
        progress.found.store(walked.files.len(), std::sync::atomic::Ordering::Relaxed);
    }
    let processed: Vec<process::Processed> = pool.install(|| {
        walked
            .files
            .par_iter()
            .map(|file| {
                let result = process::process(file);
                if let Some(progress) = counters {
                    progress.processed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                result
            })
            .collect()
    });

    let mut warnings = walked.warnings;
    let mut stats = Stats { skipped: warnings.len() as u64, ..Stats::default() };
    for file in &processed {
        if let Some(warning) = &file.warning {
            warnings.push(warning.clone());
            stats.skipped += 1;
        }
        if let Some(entry) = &file.entry {
            stats.files += 1;
            stats.bytes += entry.size;
            stats.parsed += u64::from(file.parsed);
        }
    }
    let inferred = infer::infer(&processed);
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
        stats,
        files,
        services: inferred.services,
        env_vars: inferred.env_vars,
        connections: inferred.connections,
    };
    Ok(ScanOutcome { document, warnings })
}

//! `pruv prove replay BUNDLE`: the recorded tree, copied again, with the
//! bundle's `final.patch` applied under its recorded policy, and the
//! command and targets run again: does the recorded result come back?

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use super::bundle::{self, Repro, read_json};
use super::policy::Policy;
use super::sandbox::{RunOutput, Sandbox};
use crate::core::verify::VerifyOptions;
use crate::error::{Error, Result};
use crate::run::tree::Snapshot;

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Replay {
    /// The tree is not the recorded one: nothing was run.
    TreeDiffers { expected: String, found: String },
    Ran {
        reproduced: bool,
        recorded_passed: bool,
        passed: bool,
        runs: Vec<RunSummary>,
        patched: Vec<String>,
        /// The tree already holds the fix (`prove run --apply`, `git apply`): run as it is.
        already_applied: bool,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    pub command: String,
    pub exit_code: Option<i32>,
    pub timed_out: bool,
    pub duration_ms: u64,
}

/// The tree a bundle was made from, by default: the directory holding its `.pruv/`.
pub fn default_tree(bundle_dir: &Path) -> Option<PathBuf> {
    let prove = bundle_dir.parent()?;
    let pruv = prove.parent()?;
    (prove.file_name()? == "prove" && pruv.file_name()? == ".pruv")
        .then(|| pruv.parent().map(Path::to_path_buf))
        .flatten()
}

pub fn replay(bundle_dir: &Path, tree: &Path, env: &[(OsString, OsString)], threads: usize) -> Result<Replay> {
    let report = bundle::verify(bundle_dir, &VerifyOptions::default())?;
    if !report.intact {
        let first = report.files.first().cloned().or_else(|| report.chain.problems.first().map(|p| p.message.clone()));
        return Err(Error::Verification(format!(
            "{}: the bundle does not verify ({}); a replay of it would prove nothing",
            bundle_dir.display(),
            first.unwrap_or_default()
        )));
    }
    let repro: Repro = read_json(&bundle_dir.join(bundle::REPRO_FILE))?;
    let policy_file: serde_json::Value = read_json(&bundle_dir.join("policy.json"))?;
    let policy: Policy = serde_json::from_value(policy_file["policy"].clone())
        .map_err(|e| Error::InvalidInput(format!("{}: policy.json: {e}", bundle_dir.display())))?;
    let chain: serde_json::Value = read_json(&bundle_dir.join(bundle::CHAIN_FILE))?;
    let last = chain["entries"].as_array().and_then(|e| e.last()).map(|e| e["y_state"].clone()).unwrap_or_default();
    let recorded_passed = last["passed"].as_bool().unwrap_or(false);

    let found = Snapshot::take(tree, threads)?.tree_hash();
    let already_applied = found != repro.tree.hash && last["tree_after"].as_str() == Some(found.as_str());
    if found != repro.tree.hash && !already_applied {
        return Ok(Replay::TreeDiffers { expected: repro.tree.hash, found });
    }
    let (sandbox, _) = Sandbox::prepare(tree, &policy, threads)?;
    let _watching = sandbox.interrupt.watch()?;
    let patched = if already_applied {
        Vec::new()
    } else {
        let final_patch = std::fs::read_to_string(bundle_dir.join(bundle::FINAL_PATCH))
            .map_err(|e| Error::io(bundle_dir.join(bundle::FINAL_PATCH), e))?;
        super::apply_final_patch(sandbox.path(), &final_patch, &policy)?
    };
    let timeout = Duration::from_secs(policy.limits.timeout_secs);
    let runs: Vec<RunOutput> = std::iter::once(&repro.command)
        .chain(&repro.targets)
        .map(|c| sandbox.run(c, timeout, env))
        .collect::<Result<_>>()?;
    let passed = runs.iter().all(RunOutput::passed);
    let runs = runs
        .into_iter()
        .map(|r| RunSummary {
            command: r.command,
            exit_code: r.exit_code,
            timed_out: r.timed_out,
            duration_ms: r.duration_ms,
        })
        .collect();
    Ok(Replay::Ran { reproduced: passed == recorded_passed, recorded_passed, passed, runs, patched, already_applied })
}

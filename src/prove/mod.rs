//! `pruv prove`: a failing command turned into evidence. The command runs
//! in a sandboxed copy of the tree; while it fails, a proposer is shown what
//! failed and asked for a unified diff; the diff is judged against the
//! policy (never applied when it breaks it), applied to the copy, and the
//! command runs again. Everything lands in a bundle (docs/prove.md) that
//! anyone can verify, replay on the recorded tree, and attest.

pub mod attest;
pub mod bundle;
pub mod context;
pub mod interrupt;
pub mod patch;
pub mod policy;
pub mod proposer;
pub mod replay;
pub mod sandbox;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::error::{Error, ExitCode, Result};
use crate::run::redact::Redactor;
use crate::run::tree::{Mode, Snapshot};
use bundle::Bundle;
use context::{Previous, Rules};
use policy::Policy;
use proposer::{Proposal, Proposer};
use sandbox::{RunOutput, Sandbox};

/// Files a patch may change are read up to this size.
const MAX_PATCHED_FILE: u64 = 16 << 20;

pub struct Request {
    pub command: String,
    /// The project's root: what is copied, and where `.pruv/prove/` is.
    pub tree: PathBuf,
    pub policy: policy::Loaded,
    pub proposer: Option<Proposer>,
    /// The environment the commands run with (names recorded, never values).
    pub env: Vec<(OsString, OsString)>,
    pub redact: Vec<String>,
    pub threads: usize,
}

/// What an attempt led to; every one but `applied` and `did_not_apply` ends the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PatchOutcome {
    /// The commands passed: nothing to patch.
    Passed,
    Applied,
    /// It broke the policy and was not applied.
    Refused,
    /// Its hunks did not fit the files; the next attempt hears why.
    DidNotApply,
    NothingProposed,
    NoProposer,
    ProposerFailed,
    /// The proposer is not there: its command not found, its endpoint unreachable.
    ProposerUnavailable,
    /// Failed at the last attempt the policy allows.
    LastAttempt,
    /// pruv was asked to stop (Ctrl-C, SIGTERM) and stopped the command.
    Interrupted,
}

impl PatchOutcome {
    pub fn name(self) -> &'static str {
        match self {
            PatchOutcome::Passed => "passed",
            PatchOutcome::Applied => "applied",
            PatchOutcome::Refused => "refused",
            PatchOutcome::DidNotApply => "did_not_apply",
            PatchOutcome::NothingProposed => "nothing_proposed",
            PatchOutcome::NoProposer => "no_proposer",
            PatchOutcome::ProposerFailed => "proposer_failed",
            PatchOutcome::ProposerUnavailable => "proposer_unavailable",
            PatchOutcome::LastAttempt => "last_attempt",
            PatchOutcome::Interrupted => "interrupted",
        }
    }

    /// The session's status when this outcome ends it.
    fn status(self) -> Status {
        match self {
            PatchOutcome::Passed => Status::Proven,
            PatchOutcome::Refused => Status::Refused,
            PatchOutcome::ProposerFailed => Status::ProposerFailed,
            PatchOutcome::ProposerUnavailable => Status::ProposerUnavailable,
            _ => Status::NotProven,
        }
    }
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The command and every target passed.
    Proven,
    /// They still fail: no proposer, nothing proposed, or attempts used up.
    NotProven,
    /// A proposal broke the policy; it was not applied.
    Refused,
    /// The proposer failed or gave no answer in time.
    ProposerFailed,
    /// The proposer is not there (exit 7).
    ProposerUnavailable,
}

impl Status {
    pub fn exit_code(self) -> ExitCode {
        match self {
            Status::Proven => ExitCode::Ok,
            Status::NotProven | Status::ProposerFailed => ExitCode::VerificationFailed,
            Status::Refused => ExitCode::UnsafeOperation,
            Status::ProposerUnavailable => ExitCode::MissingDependency,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub session: String,
    pub bundle: PathBuf,
    pub status: Status,
    pub attempts: u32,
    /// One sentence: what happened.
    pub message: String,
    pub files_changed: Vec<String>,
}

/// What became of one attempt's proposal.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub attempt: u32,
    pub passed: bool,
    pub patch: PatchOutcome,
    pub reason: Option<String>,
    pub files: Vec<String>,
}

/// Runs a session to its end and writes its bundle.
/// `progress` hears what happens, a line at a time, for a person (stderr).
pub fn run(request: Request, progress: &mut dyn FnMut(&str)) -> Result<Outcome> {
    let policy = &request.policy.policy;
    for command in std::iter::once(&request.command).chain(&policy.targets) {
        if let Some(why) = policy.refuses_command(command) {
            return Err(Error::Unsafe(format!("not run: {why}")));
        }
    }
    let (sandbox, original) = Sandbox::prepare(&request.tree, policy, request.threads)?;
    let _watching = sandbox.interrupt.watch()?;
    let mut bundle = Bundle::create(&request.tree)?;
    progress(&format!("pruv prove: session {} in a copy of {} files", bundle.session, original.files.len()));
    if !sandbox.network.enforced && policy.network == policy::Network::Deny {
        progress(&format!("warning: network = \"deny\" {}", sandbox.network.how));
    }
    bundle.write_start(&request, &sandbox, &original)?;

    let text_env: Vec<(String, String)> =
        request.env.iter().map(|(k, v)| (k.to_string_lossy().into_owned(), v.to_string_lossy().into_owned())).collect();
    let redactor = Redactor::new(text_env.iter().map(|(k, v)| (k.as_str(), v.as_str())), &request.redact);
    let timeout = Duration::from_secs(policy.limits.timeout_secs);
    let writes = policy.writes().map_err(Error::Policy)?;
    // Each file the session's patches touched, as it was and as they left it
    // (not as the commands may have left it since): final.patch is their difference.
    let mut originals: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut written: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut previous: Vec<Previous> = Vec::new();
    let command_env = env_for_commands(&request);
    let mut attempt = 0;

    // Every way out ends the last attempt with its verdict; it is recorded
    // once final.patch is known, so its entry binds that too.
    let last: Verdict = loop {
        attempt += 1;
        let runs = run_all(&sandbox, &request.command, &policy.targets, timeout, &command_env)?;
        bundle.write_outputs(attempt, &runs, &redactor)?;
        let passed = runs.iter().all(RunOutput::passed);
        if runs.iter().any(|r| r.interrupted) {
            let reason = "interrupted: pruv was asked to stop, and stopped the command".to_owned();
            break Verdict { attempt, passed, patch: PatchOutcome::Interrupted, reason: Some(reason), files: vec![] };
        }
        if passed {
            progress(&format!("attempt {attempt}: passed"));
            break Verdict { attempt, passed, patch: PatchOutcome::Passed, reason: None, files: vec![] };
        }
        // The copy as the proposer will find it: what the context may point at,
        // and what the proposer must leave as it is.
        let before = Snapshot::take(sandbox.path(), request.threads)?;
        let files: BTreeSet<String> = before.files.keys().cloned().collect();
        let rules = Rules {
            write_allow: policy.write.allow.clone(),
            write_deny: policy.denied(),
            files_changed_left: policy.limits.files_changed.saturating_sub(originals.len()),
            patch_bytes: policy.limits.patch_bytes,
        };
        let mut context = context::build(attempt, &runs, sandbox.path(), &files, &redactor, previous.clone(), rules);
        context.applied = patch::unified(&session_changes(&originals, &written));
        progress(&describe_failure(attempt, &runs, &context));
        let context_json = serde_json::to_string_pretty(&context).expect("a context serialises");
        bundle.write_attempt_file(attempt, "context.json", context_json.as_bytes())?;

        let stop = |patch, reason: String| Verdict { attempt, passed, patch, reason: Some(reason), files: vec![] };
        let Some(proposer) = &request.proposer else {
            let reason = "no proposer configured (--proposer CMD, or PRUV_PROVE_BASE_URL and PRUV_PROVE_MODEL): the failure is recorded, no patch was proposed".to_owned();
            break stop(PatchOutcome::NoProposer, reason);
        };
        if attempt == policy.limits.attempts {
            let reason = format!("still failing after {attempt} attempts, the policy's limit");
            break stop(PatchOutcome::LastAttempt, reason);
        }
        let env_var = |name: &str| std::env::var(name).ok();
        let proposal = proposer.propose(&context_json, sandbox.path(), timeout, &env_var, &sandbox.interrupt);
        let after = Snapshot::take(sandbox.path(), request.threads)?;
        let changed = before.changes_to(&after);
        if changed != Default::default() {
            let touched: Vec<String> = [changed.added, changed.modified, changed.removed].concat();
            let reason =
                format!("the proposer changed files itself ({}) instead of proposing a diff", touched.join(", "));
            break Verdict { attempt, passed, patch: PatchOutcome::Refused, reason: Some(reason), files: touched };
        }
        let diff = match proposal {
            Err(error) => {
                let outcome = match error.exit_code() {
                    ExitCode::MissingDependency => PatchOutcome::ProposerUnavailable,
                    _ => PatchOutcome::ProposerFailed,
                };
                break stop(outcome, format!("the proposer failed: {error}"));
            }
            Ok(Proposal::Nothing(said)) => {
                let reason = format!("{} proposed no diff", proposer.describe());
                bundle.write_attempt_file(attempt, "proposer-answer.txt", redactor.redact(&said).as_bytes())?;
                break stop(PatchOutcome::NothingProposed, reason);
            }
            Ok(Proposal::Diff(diff)) => diff,
        };
        bundle.write_attempt_file(attempt, "patch.diff", diff.as_bytes())?;
        match judge_and_apply(&diff, policy, &writes, sandbox.path(), &mut originals) {
            Applied::Yes(planned) => {
                let files: Vec<String> = planned.keys().cloned().collect();
                written.extend(planned);
                progress(&format!("attempt {attempt}: patch applied to {}", files.join(", ")));
                previous.push(Previous {
                    attempt,
                    outcome: format!("applied to {}; the command was run again", files.join(", ")),
                });
                bundle.finish_attempt(
                    &Verdict { attempt, passed, patch: PatchOutcome::Applied, reason: None, files },
                    None,
                )?;
            }
            Applied::Refused(reason, files) => {
                progress(&format!("attempt {attempt}: patch refused: {reason}"));
                break Verdict { attempt, passed, patch: PatchOutcome::Refused, reason: Some(reason), files };
            }
            Applied::DidNotApply(reason) => {
                progress(&format!("attempt {attempt}: patch did not apply: {reason}"));
                previous.push(Previous { attempt, outcome: format!("the patch did not apply: {reason}") });
                bundle.finish_attempt(&stop(PatchOutcome::DidNotApply, reason), None)?;
            }
        }
    };

    let changes = session_changes(&originals, &written);
    let final_patch = patch::unified(&changes);
    let mut after = original.clone();
    for (path, (_, now)) in &changes {
        match now {
            Some(text) => {
                after.files.insert(path.clone(), (crate::core::hash::sha256_hex(text.as_bytes()), Mode::File(0o644)))
            }
            None => after.files.remove(path),
        };
    }
    bundle.finish_attempt(&last, Some(bundle::Final { patch: &final_patch, tree_after: &after.tree_hash() }))?;
    let files_changed: Vec<String> = changes.iter().filter(|(_, (b, a))| b != a).map(|(p, _)| p.clone()).collect();
    let outcome = Outcome {
        session: bundle.session.clone(),
        bundle: bundle.dir.clone(),
        status: last.patch.status(),
        attempts: bundle.attempts(),
        message: match (&last.patch, &last.reason) {
            (PatchOutcome::Passed, _) => format!("passed at attempt {}", last.attempt),
            (PatchOutcome::Refused, Some(reason)) => format!("refused, nothing of it applied: {reason}"),
            (_, reason) => reason.clone().unwrap_or_default(),
        },
        files_changed,
    };
    bundle.write_end(&outcome, &request.command, policy, &sandbox.network)?;
    Ok(outcome)
}

/// Each file the session's patches touched: (as it was, as they left it).
fn session_changes(
    originals: &BTreeMap<String, Option<String>>,
    written: &BTreeMap<String, Option<String>>,
) -> BTreeMap<String, (Option<String>, Option<String>)> {
    originals
        .iter()
        .map(|(path, before)| (path.clone(), (before.clone(), written.get(path).cloned().flatten())))
        .collect()
}

/// The environment minus the endpoint's key: the proposer is asked by pruv
/// itself, and the commands being proved have no use for it.
fn env_for_commands(request: &Request) -> Vec<(OsString, OsString)> {
    let key_env = match &request.proposer {
        Some(Proposer::Endpoint { key_env, .. }) => Some(OsString::from(key_env)),
        _ => None,
    };
    request.env.iter().filter(|(name, _)| Some(name) != key_env.as_ref()).cloned().collect()
}

/// `attempt 1: failed: sh test.sh exit 1; failing: add 2 3 is 5; at calc.sh:4`.
fn describe_failure(attempt: u32, runs: &[RunOutput], context: &context::Context) -> String {
    let mut line = format!("attempt {attempt}: failed:");
    for run in runs.iter().filter(|r| !r.passed()) {
        let how = match (run.timed_out, run.exit_code, run.signal) {
            (true, ..) => "timed out".to_owned(),
            (_, Some(code), _) => format!("exit {code}"),
            (_, None, Some(signal)) => format!("signal {signal}"),
            _ => "ended".to_owned(),
        };
        line += &format!(" {} {how};", run.command);
    }
    let list = |items: Vec<String>| {
        let more = items.len().saturating_sub(3);
        let shown: Vec<String> = items.into_iter().take(3).collect();
        if more > 0 { format!("{} (+{more})", shown.join(", ")) } else { shown.join(", ") }
    };
    if !context.failing_tests.is_empty() {
        line += &format!(" failing: {};", list(context.failing_tests.clone()));
    }
    if !context.locations.is_empty() {
        line += &format!(" at {};", list(context.locations.iter().map(|l| format!("{}:{}", l.file, l.line)).collect()));
    }
    line.trim_end_matches(';').to_owned()
}

/// Applies a bundle's `final.patch` to `root` (the tree, or a copy of it)
/// under `policy`'s write rules, all files or none; the files written.
pub fn apply_final_patch(root: &Path, text: &str, policy: &Policy) -> Result<Vec<String>> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let files = patch::parse(text).map_err(|e| Error::Verification(format!("final.patch: {e}")))?;
    let writes = policy.writes().map_err(Error::Policy)?;
    for path in files.iter().flat_map(|f| f.paths()) {
        if let Some(why) = writes.refuses(path) {
            return Err(Error::Unsafe(format!("final.patch breaks the recorded policy: {why}")));
        }
    }
    let planned = patch::plan(root, &files, MAX_PATCHED_FILE)
        .map_err(|e| Error::Verification(format!("final.patch does not apply to {}: {e}", root.display())))?;
    patch::write(root, &planned).map_err(|e| Error::io(root, e))?;
    Ok(planned.into_keys().collect())
}

/// `prove run --apply`: a proven session's fix written into the tree
/// itself, when the tree is still the one the session copied.
pub fn apply_to_tree(tree: &Path, outcome: &Outcome, policy: &Policy, threads: usize) -> Result<Vec<String>> {
    let repro: bundle::Repro = bundle::read_json(&outcome.bundle.join(bundle::REPRO_FILE))?;
    let now = Snapshot::take(tree, threads)?.tree_hash();
    if now != repro.tree.hash {
        return Err(Error::Unsafe(format!(
            "{} changed while the session ran; not applied: apply {} yourself",
            tree.display(),
            outcome.bundle.join(bundle::FINAL_PATCH).display()
        )));
    }
    let text = std::fs::read_to_string(outcome.bundle.join(bundle::FINAL_PATCH))
        .map_err(|e| Error::io(outcome.bundle.join(bundle::FINAL_PATCH), e))?;
    apply_final_patch(tree, &text, policy)
}

/// The command, then each target (each runs whatever the others did, so the context shows every failure).
fn run_all(
    sandbox: &Sandbox,
    command: &str,
    targets: &[String],
    timeout: Duration,
    env: &[(OsString, OsString)],
) -> Result<Vec<RunOutput>> {
    std::iter::once(command).chain(targets.iter().map(String::as_str)).map(|c| sandbox.run(c, timeout, env)).collect()
}

enum Applied {
    /// The files written, with what was written (`None`: deleted).
    Yes(BTreeMap<String, Option<String>>),
    /// Broke the policy: the session stops (exit 8).
    Refused(String, Vec<String>),
    /// Could not be applied (context not found, malformed): the next attempt hears why.
    DidNotApply(String),
}

/// Judges a proposed diff against the policy and, when it keeps it,
/// applies it to the copy, all files or none.
fn judge_and_apply(
    diff: &str,
    policy: &Policy,
    writes: &policy::Writes,
    root: &Path,
    originals: &mut BTreeMap<String, Option<String>>,
) -> Applied {
    if diff.len() > policy.limits.patch_bytes {
        return Applied::Refused(
            format!("the patch is {} bytes; the policy allows {}", diff.len(), policy.limits.patch_bytes),
            vec![],
        );
    }
    let files = match patch::parse(diff) {
        Ok(files) => files,
        Err(e @ patch::PatchError::UnsafePath(_)) => return Applied::Refused(e.to_string(), vec![]),
        Err(e) => return Applied::DidNotApply(e.to_string()),
    };
    let touched: BTreeSet<String> = files.iter().flat_map(|f| f.paths().map(str::to_owned)).collect();
    let touched_list: Vec<String> = touched.iter().cloned().collect();
    let refusals: Vec<String> = touched.iter().filter_map(|p| writes.refuses(p)).collect();
    if !refusals.is_empty() {
        return Applied::Refused(refusals.join("; "), touched_list);
    }
    let all: BTreeSet<&String> = originals.keys().chain(&touched).collect();
    if all.len() > policy.limits.files_changed {
        return Applied::Refused(
            format!(
                "the session's patches would change {} files; the policy allows {}",
                all.len(),
                policy.limits.files_changed
            ),
            touched_list,
        );
    }
    let planned = match patch::plan(root, &files, MAX_PATCHED_FILE) {
        Ok(planned) => planned,
        Err(e @ patch::PatchError::ThroughLink(_)) => return Applied::Refused(e.to_string(), touched_list),
        Err(e) => return Applied::DidNotApply(e.to_string()),
    };
    for path in planned.keys() {
        if !originals.contains_key(path) {
            originals.insert(path.clone(), patch::read_current(root, path, MAX_PATCHED_FILE).unwrap_or(None));
        }
    }
    match patch::write(root, &planned) {
        Ok(()) => Applied::Yes(planned),
        Err(e) => Applied::DidNotApply(format!("writing the patched files failed: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIX: &str = "--- a/src/a.txt\n+++ b/src/a.txt\n@@ -1 +1 @@\n-one\n+ONE\n";

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/a.txt"), "one\n").unwrap();
        std::fs::write(dir.path().join("src/b.txt"), "two\n").unwrap();
        dir
    }

    fn judge(diff: &str, policy: &Policy, root: &Path) -> (Applied, BTreeMap<String, Option<String>>) {
        let mut originals = BTreeMap::new();
        let applied = judge_and_apply(diff, policy, &policy.writes().unwrap(), root, &mut originals);
        (applied, originals)
    }

    /// Each rule a proposal is judged by, broken once; a refused or failed
    /// proposal leaves the files as they were.
    #[test]
    fn every_rule_of_the_policy_refuses_a_patch_before_anything_is_written() {
        let limited = |f: fn(&mut Policy)| {
            let mut policy = Policy::default();
            f(&mut policy);
            policy
        };
        let cases: Vec<(&str, String, Policy, &str)> = vec![
            ("too large", FIX.to_owned(), limited(|p| p.limits.patch_bytes = 10), "refused"),
            ("out of the tree", FIX.replace("src/a.txt", "../a.txt"), Policy::default(), "refused"),
            ("absolute", FIX.replace("a/src/a.txt", "/etc/passwd"), Policy::default(), "refused"),
            ("denied", FIX.replace("src/a.txt", "src/.env"), Policy::default(), "refused"),
            ("not allowed", FIX.to_owned(), limited(|p| p.write.allow = vec!["docs/**".into()]), "refused"),
            (
                "too many files",
                format!("{FIX}{}", FIX.replace("a.txt", "b.txt").replace("one", "two").replace("ONE", "TWO")),
                limited(|p| p.limits.files_changed = 1),
                "refused",
            ),
            (
                "malformed",
                "--- a/src/a.txt\n+++ b/src/a.txt\n@@ -1 +1 @@\n".to_owned(),
                Policy::default(),
                "did not apply",
            ),
            ("context not found", FIX.replace("-one", "-uno"), Policy::default(), "did not apply"),
            (
                "new file over an old one",
                "--- /dev/null\n+++ b/src/a.txt\n@@ -0,0 +1 @@\n+x\n".to_owned(),
                Policy::default(),
                "did not apply",
            ),
            ("kept", FIX.to_owned(), Policy::default(), "applied"),
        ];
        for (name, diff, policy, expected) in cases {
            let dir = tree();
            let (applied, originals) = judge(&diff, &policy, dir.path());
            let got = match &applied {
                Applied::Yes(_) => "applied",
                Applied::Refused(..) => "refused",
                Applied::DidNotApply(_) => "did not apply",
            };
            assert_eq!(got, expected, "{name}");
            let a = std::fs::read_to_string(dir.path().join("src/a.txt")).unwrap();
            let b = std::fs::read_to_string(dir.path().join("src/b.txt")).unwrap();
            if expected == "applied" {
                assert_eq!(
                    (a.as_str(), originals.get("src/a.txt")),
                    ("ONE\n", Some(&Some("one\n".to_owned()))),
                    "{name}"
                );
            } else {
                assert_eq!((a.as_str(), b.as_str()), ("one\n", "two\n"), "{name}: nothing written");
                assert!(originals.is_empty(), "{name}");
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_patch_through_a_symbolic_link_is_refused() {
        let dir = tree();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("a.txt"), "one\n").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
        let (applied, _) = judge(&FIX.replace("src/a.txt", "link/a.txt"), &Policy::default(), dir.path());
        assert!(matches!(applied, Applied::Refused(ref why, _) if why.contains("symbolic link")));
        assert_eq!(std::fs::read_to_string(outside.path().join("a.txt")).unwrap(), "one\n");
    }

    /// The files a session changes are counted across its patches, not per patch.
    #[test]
    fn the_file_limit_counts_every_patch_of_the_session() {
        let dir = tree();
        let policy = Policy { limits: policy::Limits { files_changed: 1, ..Default::default() }, ..Policy::default() };
        let writes = policy.writes().unwrap();
        let mut originals = BTreeMap::new();
        assert!(matches!(judge_and_apply(FIX, &policy, &writes, dir.path(), &mut originals), Applied::Yes(_)));
        let second = FIX.replace("a.txt", "b.txt").replace("one", "two").replace("ONE", "TWO");
        assert!(matches!(judge_and_apply(&second, &policy, &writes, dir.path(), &mut originals), Applied::Refused(..)));
        // The same file again is within the limit.
        let again = "--- a/src/a.txt\n+++ b/src/a.txt\n@@ -1 +1 @@\n-ONE\n+One\n";
        assert!(matches!(judge_and_apply(again, &policy, &writes, dir.path(), &mut originals), Applied::Yes(_)));
    }
}

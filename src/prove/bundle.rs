//! A session's bundle, `.pruv/prove/<session>/`: what was run on which
//! tree under which policy (`repro.json`, `policy.json`,
//! `environment.json`), each attempt's evidence (`attempts/<n>/`), the
//! result (`final.patch`, `final_summary.md`, `result.json`), and
//! `chain.json`, a chain with one entry per attempt that binds the hashes
//! of that attempt's files, which `pruv verify` checks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::policy::Policy;
use super::sandbox::{NetworkStatus, RunOutput, Sandbox};
use super::{Outcome, Request, Verdict};
use crate::core::chain::{Chain, ChainDocument};
use crate::core::entry::Transition;
use crate::core::json::{self, Value};
use crate::core::verify::{Report, VerifyOptions, verify_document};
use crate::error::{Error, Result};
use crate::run::redact::Redactor;
use crate::run::tree::Snapshot;

pub const ATTEMPT_TYPE: &str = "pruv.prove.attempt/1";
pub const CHAIN_FILE: &str = "chain.json";
pub const REPRO_FILE: &str = "repro.json";
pub const RESULT_FILE: &str = "result.json";
pub const FINAL_PATCH: &str = "final.patch";
/// Bundle files are read up to this size (outputs are capped well below).
pub const MAX_BUNDLE_FILE: u64 = 64 << 20;

pub struct Bundle {
    pub session: String,
    pub dir: PathBuf,
    chain: Chain,
    /// SHA-256 of repro.json and policy.json, bound into every entry.
    bound: Vec<(String, String)>,
}

/// What the last attempt's entry binds besides its files.
pub struct Final<'a> {
    pub patch: &'a str,
    /// The tree hash of the recorded tree with `final.patch` applied.
    pub tree_after: &'a str,
}

/// `repro.json`: enough to run the same thing on the same tree again.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Repro {
    pub schema: String,
    pub session: String,
    pub command: String,
    pub targets: Vec<String>,
    pub tree: TreeState,
    pub tools: BTreeMap<String, String>,
    pub git_commit: Option<String>,
    pub proposer: Option<String>,
    pub started_at: String,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct TreeState {
    pub hash: String,
    pub files: usize,
}

impl Bundle {
    /// A new, empty bundle directory under `tree/.pruv/prove/`.
    pub fn create(tree: &Path) -> Result<Bundle> {
        let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
        let session = format!("{stamp}-{}", &crate::run::new_id()?[..8]);
        let dir = tree.join(".pruv").join("prove").join(&session);
        std::fs::create_dir_all(dir.join("attempts")).map_err(|e| Error::io(&dir, e))?;
        let chain = Chain::new(crate::run::new_id()?, format!("prove/{session}"));
        Ok(Bundle { session, dir, chain, bound: Vec::new() })
    }

    pub fn attempts(&self) -> u32 {
        self.chain.entries.len() as u32
    }

    pub fn write_start(&mut self, request: &Request, sandbox: &Sandbox, tree: &Snapshot) -> Result<()> {
        let policy = &request.policy.policy;
        let repro = Repro {
            schema: "pruv.prove.repro/1".into(),
            session: self.session.clone(),
            command: request.command.clone(),
            targets: policy.targets.clone(),
            tree: TreeState { hash: tree.tree_hash(), files: tree.files.len() },
            tools: tool_versions(&request.command, sandbox, &request.env),
            git_commit: crate::scan::git::describe_worktree(&request.tree).map(|g| g.commit),
            proposer: request.proposer.as_ref().map(|p| p.describe()),
            started_at: crate::core::time::rfc3339(crate::core::time::now().as_f64()),
        };
        let policy_file = serde_json::json!({
            "schema": "pruv.prove.policy/1",
            "origin": request.policy.origin,
            "policy": policy,
            "always_denied": super::policy::PROTECTED,
        });
        let mut names: Vec<String> = request.env.iter().map(|(k, _)| k.to_string_lossy().into_owned()).collect();
        names.sort();
        names.dedup();
        let environment = serde_json::json!({
            "schema": "pruv.prove.environment/1",
            "os": std::env::consts::OS,
            "arch": std::env::consts::ARCH,
            "pruv": env!("CARGO_PKG_VERSION"),
            "sandbox": policy.sandbox,
            "image": policy.image,
            "network": sandbox.network,
            "cpus": std::thread::available_parallelism().map_or(1, |n| n.get()),
            // Names only: values may be secrets.
            "env_names": names,
        });
        for (name, value) in [
            (REPRO_FILE, serde_json::to_value(&repro).expect("serialises")),
            ("policy.json", policy_file),
            ("environment.json", environment),
        ] {
            let bytes = pretty(&value);
            self.bound.push((name.to_owned(), crate::core::hash::sha256_hex(&bytes)));
            write_file(&self.dir.join(name), &bytes)?;
        }
        Ok(())
    }

    fn attempt_dir(&self, attempt: u32) -> Result<PathBuf> {
        let dir = self.dir.join("attempts").join(attempt.to_string());
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(dir)
    }

    pub fn write_attempt_file(&self, attempt: u32, name: &str, bytes: &[u8]) -> Result<()> {
        write_file(&self.attempt_dir(attempt)?.join(name), bytes)
    }

    /// Each command's exit, duration and stream hashes (`outputs.json`), and
    /// what was kept of its streams, redacted (`run-<k>.stdout.txt`, …).
    pub fn write_outputs(&self, attempt: u32, runs: &[RunOutput], redactor: &Redactor) -> Result<()> {
        let mut listed = Vec::new();
        for (k, run) in runs.iter().enumerate() {
            let mut value = serde_json::to_value(run).expect("serialises");
            value["command"] = redactor.redact(&run.command).into();
            listed.push(value);
            self.write_attempt_file(
                attempt,
                &format!("run-{}.stdout.txt", k + 1),
                redactor.redact(&run.stdout.kept).as_bytes(),
            )?;
            self.write_attempt_file(
                attempt,
                &format!("run-{}.stderr.txt", k + 1),
                redactor.redact(&run.stderr.kept).as_bytes(),
            )?;
        }
        self.write_attempt_file(attempt, "outputs.json", &pretty(&serde_json::Value::Array(listed)))
    }

    /// Writes the verdict and appends the attempt's entry, which binds every
    /// file of the attempt; the last attempt's binds `final.patch` too.
    pub fn finish_attempt(&mut self, verdict: &Verdict, last: Option<Final<'_>>) -> Result<()> {
        let dir = self.attempt_dir(verdict.attempt)?;
        write_file(&dir.join("verdict.json"), &pretty(&serde_json::to_value(verdict).expect("serialises")))?;
        let files = hash_dir(&dir)?;
        let mut state = json::Map::new();
        state.insert("type".into(), ATTEMPT_TYPE.into());
        state.insert("session".into(), self.session.as_str().into());
        state.insert("attempt".into(), u64::from(verdict.attempt).into());
        state.insert("passed".into(), verdict.passed.into());
        state.insert("patch".into(), verdict.patch.name().into());
        if let Some(last) = last {
            write_file(&self.dir.join(FINAL_PATCH), last.patch.as_bytes())?;
            state.insert("final_patch".into(), crate::core::hash::sha256_hex(last.patch.as_bytes()).into());
            state.insert("tree_after".into(), last.tree_after.into());
        }
        let bound: json::Map = self.bound.iter().map(|(n, h)| (n.clone(), h.as_str().into())).collect();
        state.insert("bundle".into(), Value::Object(bound));
        let listed: json::Map = files.iter().map(|(n, h)| (n.clone(), h.as_str().into())).collect();
        state.insert("files".into(), Value::Object(listed));
        self.chain.append(Transition::new("prove.attempt", Some(Value::Object(state))), None);
        write_file(&self.dir.join(CHAIN_FILE), json::pretty(&self.chain.to_document(None)).as_bytes())
    }

    pub fn write_end(&self, outcome: &Outcome, command: &str, policy: &Policy, network: &NetworkStatus) -> Result<()> {
        write_file(&self.dir.join(RESULT_FILE), &pretty(&serde_json::to_value(outcome).expect("serialises")))?;
        let summary = summary(&self.dir, outcome, command, policy, network)?;
        write_file(&self.dir.join("final_summary.md"), summary.as_bytes())
    }
}

/// `final_summary.md`: the session for a person, from the bundle's own files.
fn summary(dir: &Path, outcome: &Outcome, command: &str, policy: &Policy, network: &NetworkStatus) -> Result<String> {
    let mut out = format!("# pruv prove {}\n\n", outcome.session);
    out += &format!("- Command: `{command}`\n");
    for target in &policy.targets {
        out += &format!("- Target: `{target}`\n");
    }
    out += &format!(
        "- Result: **{}**: {}\n",
        serde_json::to_value(outcome.status).expect("serialises").as_str().unwrap_or_default(),
        outcome.message
    );
    let requested = serde_json::to_value(network.requested).expect("serialises");
    out += &format!("- Network: {}, {}\n", requested.as_str().unwrap_or_default(), network.how);
    out += &format!(
        "- Files changed: {}\n\n",
        if outcome.files_changed.is_empty() { "none".to_owned() } else { outcome.files_changed.join(", ") }
    );
    out += "| attempt | commands | patch | reason |\n|---|---|---|---|\n";
    for attempt in 1..=outcome.attempts {
        let read = |name: &str| -> Result<serde_json::Value> {
            let path = dir.join("attempts").join(attempt.to_string()).join(name);
            let bytes = crate::bounded::read_file(&path, &path.display().to_string(), MAX_BUNDLE_FILE)?;
            serde_json::from_slice(&bytes).map_err(|e| Error::InvalidInput(format!("{}: {e}", path.display())))
        };
        let verdict = read("verdict.json")?;
        let outputs = read("outputs.json")?;
        let runs: Vec<String> = outputs
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| match (r["exit_code"].as_i64(), r["timed_out"].as_bool()) {
                (_, Some(true)) => "timed out".to_owned(),
                (Some(code), _) => format!("exit {code}"),
                _ => "killed".to_owned(),
            })
            .collect();
        out += &format!(
            "| {attempt} | {} | {} | {} |\n",
            runs.join(", "),
            verdict["patch"].as_str().unwrap_or_default(),
            verdict["reason"].as_str().unwrap_or_default().replace('|', "\\|")
        );
    }
    // What failed first, as the proposer was told.
    let first_context = dir.join("attempts").join("1").join("context.json");
    if let Ok(context) = read_json::<serde_json::Value>(&first_context) {
        let items = |key: &str, show: &dyn Fn(&serde_json::Value) -> String| -> Vec<String> {
            context[key].as_array().into_iter().flatten().map(show).collect()
        };
        let tests = items("failing_tests", &|t| format!("`{}`", t.as_str().unwrap_or_default()));
        let places = items("locations", &|l| format!("`{}:{}`", l["file"].as_str().unwrap_or_default(), l["line"]));
        if !tests.is_empty() || !places.is_empty() {
            out += "\n## First failure\n\n";
            if !tests.is_empty() {
                out += &format!("- Failing: {}\n", tests.join(", "));
            }
            if !places.is_empty() {
                out += &format!("- At: {}\n", places.join(", "));
            }
        }
    }
    let patch = std::fs::read_to_string(dir.join(FINAL_PATCH)).unwrap_or_default();
    if !patch.is_empty() {
        out += "\n## The fix (`final.patch`)\n\n";
        if patch.len() <= SUMMARY_PATCH_BYTES {
            // A fence longer than any run of backticks in the patch.
            let longest = patch.split(|c| c != '`').map(str::len).max().unwrap_or(0);
            let fence = "`".repeat(longest.max(2) + 1);
            out += &format!("{fence}diff\n{patch}{fence}\n");
        } else {
            out += &format!("{} bytes: too long to show here; see `final.patch`.\n", patch.len());
        }
    }
    out += "\nVerify: `pruv verify <this directory>`. Replay: `pruv prove replay <this directory>`. ";
    out += "Apply the fix to your tree: `git apply final.patch` (or `patch -p1 < final.patch`).\n";
    Ok(out)
}

/// The longest final.patch the summary shows inline.
const SUMMARY_PATCH_BYTES: usize = 16 * 1024;

/// Versions of what the session ran with: pruv, and the command's program
/// when it is found on PATH (its `--version` asked in the sandbox, else its path).
fn tool_versions(
    command: &str,
    sandbox: &Sandbox,
    env: &[(std::ffi::OsString, std::ffi::OsString)],
) -> BTreeMap<String, String> {
    let mut tools = BTreeMap::new();
    tools.insert("pruv".to_owned(), env!("CARGO_PKG_VERSION").to_owned());
    let program = command.split_whitespace().find(|w| !w.contains('=')).unwrap_or_default();
    let plain = !program.is_empty() && program.chars().all(|c| c.is_ascii_alphanumeric() || "-_.+".contains(c));
    if let Some(found) = crate::run::find_on_path(program).filter(|_| plain) {
        tools.insert(program.to_owned(), found.display().to_string());
        let asked = sandbox.run(&format!("{program} --version"), std::time::Duration::from_secs(5), env);
        if let Some(out) = asked.ok().filter(|o| o.passed()) {
            let text = if out.stdout.kept.trim().is_empty() { &out.stderr.kept } else { &out.stdout.kept };
            if let Some(line) = text.lines().find(|l| !l.trim().is_empty()) {
                tools.insert(program.to_owned(), line.trim().chars().take(200).collect());
            }
        }
    }
    tools
}

/// Relative path → SHA-256 of every file under `dir`, sorted. Links are refused: a bundle holds files only.
pub fn hash_dir(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current).map_err(|e| Error::io(&current, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&current, e))?;
            let path = entry.path();
            let kind = entry.file_type().map_err(|e| Error::io(&path, e))?;
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() {
                let relative = path.strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/");
                let (hash, _) = crate::bounded::hash_file(&path, &relative)?;
                files.insert(relative, hash);
            } else {
                return Err(Error::Unsafe(format!(
                    "{}: a bundle holds plain files; this is a link or a device",
                    path.display()
                )));
            }
        }
    }
    Ok(files)
}

/// A bundle checked as `pruv verify DIR` checks it: the chain intact, and
/// every file each entry binds still what it was.
#[derive(Debug, Clone, Serialize)]
pub struct BundleReport {
    pub chain: Report,
    pub files: Vec<String>,
    pub intact: bool,
}

pub fn is_bundle(dir: &Path) -> bool {
    dir.is_dir() && dir.join(CHAIN_FILE).is_file() && dir.join(REPRO_FILE).is_file()
}

pub fn verify(dir: &Path, options: &VerifyOptions) -> Result<BundleReport> {
    let origin = dir.join(CHAIN_FILE).display().to_string();
    let bytes = crate::bounded::read_file(&dir.join(CHAIN_FILE), &origin, MAX_BUNDLE_FILE)?;
    let text = String::from_utf8(bytes).map_err(|_| Error::InvalidInput(format!("{origin}: not UTF-8")))?;
    let value = json::parse(&text).map_err(|source| Error::Json { origin: origin.clone(), source })?;
    let document = ChainDocument::from_value(value).map_err(|source| Error::Document { origin, source })?;
    let chain = verify_document(&document, options);
    let mut problems = Vec::new();
    let entries = document.into_chain().map(|c| c.entries).unwrap_or_default();
    if entries.is_empty() {
        problems.push("the chain has no attempts".to_owned());
    }
    for (i, entry) in entries.iter().enumerate() {
        let state = entry.y_state.as_ref().and_then(Value::as_object);
        let attempt = state.and_then(|s| s.get("attempt")).and_then(|v| v.as_number().and_then(|n| n.as_u64()));
        if state.and_then(|s| s.get("type")).and_then(Value::as_str) != Some(ATTEMPT_TYPE)
            || attempt != Some(i as u64 + 1)
        {
            problems.push(format!("entry {i} is not attempt {} of a prove session", i + 1));
            continue;
        }
        let attempt_dir = dir.join("attempts").join((i + 1).to_string());
        let on_disk = if attempt_dir.is_dir() { hash_dir(&attempt_dir)? } else { BTreeMap::new() };
        let bound = |key: &str| state.and_then(|s| s.get(key)).and_then(Value::as_object).cloned().unwrap_or_default();
        let recorded = bound("files");
        for (name, hash) in &recorded {
            match on_disk.get(name) {
                None => problems.push(format!("attempts/{}/{name} is missing", i + 1)),
                Some(found) if Some(found.as_str()) != hash.as_str() => {
                    problems.push(format!("attempts/{}/{name} was edited", i + 1))
                }
                _ => {}
            }
        }
        problems.extend(
            on_disk.keys().filter(|n| !recorded.contains_key(*n)).map(|n| format!("attempts/{}/{n} was added", i + 1)),
        );
        for (name, hash) in &bound("bundle") {
            let path = dir.join(name);
            let found = crate::bounded::hash_file(&path, name).map(|(h, _)| h).ok();
            if found.as_deref() != hash.as_str() {
                problems.push(format!("{name} is not the one entry {i} binds"));
            }
        }
    }
    let last = entries.last().and_then(|e| e.y_state.as_ref()).and_then(Value::as_object);
    match last.and_then(|s| s.get("final_patch")).and_then(Value::as_str) {
        None if !entries.is_empty() => problems.push("the last attempt does not bind final.patch".to_owned()),
        Some(hash) => {
            let found = crate::bounded::hash_file(&dir.join(FINAL_PATCH), FINAL_PATCH).map(|(h, _)| h).ok();
            if found.as_deref() != Some(hash) {
                problems.push("final.patch is not the one the last attempt binds".to_owned());
            }
        }
        None => {}
    }
    if let Ok(listing) = std::fs::read_dir(dir.join("attempts")) {
        let mut stray: Vec<String> = listing
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|name| name.parse::<usize>().map_or(true, |n| n == 0 || n > entries.len()))
            .collect();
        stray.sort();
        problems.extend(stray.into_iter().map(|name| format!("attempts/{name} is not an attempt the chain records")));
    }
    problems.dedup();
    Ok(BundleReport { intact: chain.intact && problems.is_empty(), chain, files: problems })
}

/// One session as `pruv prove list` shows it, from its `result.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub session: String,
    pub bundle: PathBuf,
    /// `None` when the result is missing or unreadable (a session cut off before its end).
    pub result: Option<serde_json::Value>,
}

/// The sessions under `tree/.pruv/prove/`, oldest first (session ids start with their time).
pub fn list(tree: &Path) -> Result<Vec<Listed>> {
    let root = tree.join(".pruv").join("prove");
    let entries = match std::fs::read_dir(&root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&root, e)),
    };
    let mut listed: Vec<Listed> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| {
            let bundle = e.path();
            let result = read_json::<serde_json::Value>(&bundle.join(RESULT_FILE)).ok();
            Listed { session: e.file_name().to_string_lossy().into_owned(), bundle, result }
        })
        .collect();
    listed.sort_by(|a, b| a.session.cmp(&b.session));
    Ok(listed)
}

/// A bundle's JSON file, capped.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let origin = path.display().to_string();
    let bytes = crate::bounded::read_file(path, &origin, MAX_BUNDLE_FILE)?;
    serde_json::from_slice(&bytes).map_err(|e| Error::InvalidInput(format!("{origin}: {e}")))
}

fn pretty(value: &serde_json::Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("serialises");
    bytes.push(b'\n');
    bytes
}

/// Writes a bundle file whole or not at all.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
    std::io::Write::write_all(&mut temp, bytes).map_err(|e| Error::io(path, e))?;
    temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

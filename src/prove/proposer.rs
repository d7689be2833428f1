//! Who proposes patches: a command (the context as JSON on its stdin, a
//! unified diff on its stdout) or an OpenAI-compatible chat endpoint
//! configured by environment variables. Neither may write the tree: a
//! proposal is text, judged by the policy before anything is applied.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde::Serialize;

use crate::error::{Error, Result};

/// The most a proposer may print or answer.
pub const MAX_PROPOSAL: u64 = 4 << 20;

/// Variables configuring the chat endpoint.
pub const BASE_URL_ENV: &str = "PRUV_PROVE_BASE_URL";
pub const MODEL_ENV: &str = "PRUV_PROVE_MODEL";
/// The *name* of the variable holding the API key (its value is never recorded).
pub const KEY_ENV_ENV: &str = "PRUV_PROVE_API_KEY_ENV";
pub const MAX_TOKENS_ENV: &str = "PRUV_PROVE_MAX_TOKENS";
pub const DEFAULT_KEY_ENV: &str = "OPENAI_API_KEY";

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Proposer {
    Command { command: String },
    Endpoint { base_url: String, model: String, key_env: String, max_tokens: u32 },
}

/// What a proposer gave back.
pub enum Proposal {
    Diff(String),
    /// It answered without a diff (nothing to propose, or prose).
    Nothing(String),
}

impl Proposer {
    /// `--proposer CMD`, else the endpoint when its base URL is set, else none.
    pub fn configured(command: Option<&str>, env: &dyn Fn(&str) -> Option<String>) -> Result<Option<Proposer>> {
        if let Some(command) = command {
            return Ok(Some(Proposer::Command { command: command.to_owned() }));
        }
        let Some(base_url) = env(BASE_URL_ENV).filter(|u| !u.trim().is_empty()) else { return Ok(None) };
        let model = env(MODEL_ENV).filter(|m| !m.trim().is_empty()).ok_or_else(|| {
            Error::InvalidInput(format!("{BASE_URL_ENV} is set but {MODEL_ENV} is not; set the model to ask"))
        })?;
        let max_tokens = match env(MAX_TOKENS_ENV) {
            None => 4096,
            Some(text) => text.trim().parse().map_err(|_| {
                Error::InvalidInput(format!("{MAX_TOKENS_ENV}={text:?} is not a whole number of tokens"))
            })?,
        };
        let key_env = env(KEY_ENV_ENV).filter(|k| !k.trim().is_empty()).unwrap_or_else(|| DEFAULT_KEY_ENV.to_owned());
        Ok(Some(Proposer::Endpoint { base_url: base_url.trim_end_matches('/').to_owned(), model, key_env, max_tokens }))
    }

    pub fn describe(&self) -> String {
        match self {
            Proposer::Command { command } => format!("command `{command}`"),
            Proposer::Endpoint { base_url, model, .. } => format!("{model} at {base_url}"),
        }
    }

    /// Asks for a patch. `cwd` is where a command proposer runs (a copy of
    /// the tree it may read).
    pub fn propose(
        &self,
        context_json: &str,
        cwd: &Path,
        timeout: Duration,
        env: &dyn Fn(&str) -> Option<String>,
        interrupt: &super::interrupt::Interrupt,
    ) -> Result<Proposal> {
        let text = match self {
            Proposer::Command { command } => run_command(command, context_json, cwd, timeout, interrupt)?,
            Proposer::Endpoint { base_url, model, key_env, max_tokens } => {
                let key = env(key_env);
                ask_endpoint(base_url, model, key.as_deref(), *max_tokens, context_json, timeout)?
            }
        };
        Ok(match extract_diff(&text) {
            Some(diff) => Proposal::Diff(diff),
            None => Proposal::Nothing(text.chars().take(2000).collect()),
        })
    }
}

fn run_command(
    command: &str,
    input: &str,
    cwd: &Path,
    timeout: Duration,
    interrupt: &super::interrupt::Interrupt,
) -> Result<String> {
    let mut child = Command::new("sh")
        .args(["-c", command])
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| Error::MissingTool(format!("the proposer `{command}` could not start: {e}")))?;
    let mut stdin = child.stdin.take().expect("piped");
    let input = input.to_owned();
    // Written from its own thread: a proposer that prints before it reads all its input cannot deadlock us.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let stdout = child.stdout.take().expect("piped");
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(crate::bounded::read_limited(stdout, MAX_PROPOSAL, "the proposer's output"));
    });
    let started = std::time::Instant::now();
    let output = loop {
        match receive.recv_timeout(Duration::from_millis(100)) {
            Ok(output) => break output,
            Err(_) if interrupt.is_set() || started.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                let why = if interrupt.is_set() {
                    "pruv was asked to stop".to_owned()
                } else {
                    format!("no answer within {timeout:?}")
                };
                return Err(Error::Verification(format!("the proposer `{command}` was stopped: {why}")));
            }
            Err(_) => {}
        }
    };
    let status = child.wait().map_err(|e| Error::io("the proposer", e))?;
    let _ = writer.join();
    let output = output?;
    match status.code() {
        Some(0) => {}
        // What sh says when the command is not there.
        Some(127) => return Err(Error::MissingTool(format!("the proposer `{command}` was not found (sh exit 127)"))),
        _ => return Err(Error::Verification(format!("the proposer `{command}` failed ({status})"))),
    }
    Ok(String::from_utf8_lossy(&output).into_owned())
}

const INSTRUCTIONS: &str = "You fix failing software. The user message is JSON describing a failed run: the commands, \
the end of their output, the failing tests, source around the places the output points at, earlier attempts, and the \
rules a patch must keep (which paths it may write, how many files, how many bytes). Answer with one unified diff \
(`--- a/path`, `+++ b/path`, `@@` hunks with exact context lines) that makes the commands pass, in a ```diff block, \
and nothing else. Never change tests to make them pass unless the test itself is wrong.";

fn ask_endpoint(
    base_url: &str,
    model: &str,
    key: Option<&str>,
    max_tokens: u32,
    context_json: &str,
    timeout: Duration,
) -> Result<String> {
    let url = format!("{base_url}/chat/completions");
    let body = serde_json::json!({
        "model": model,
        "max_tokens": max_tokens,
        "temperature": 0,
        "messages": [
            { "role": "system", "content": INSTRUCTIONS },
            { "role": "user", "content": context_json },
        ],
    });
    let agent: ureq::Agent =
        ureq::Agent::config_builder().timeout_global(Some(timeout)).http_status_as_error(false).build().into();
    let mut request = agent.post(&url).header("content-type", "application/json");
    if let Some(key) = key {
        request = request.header("authorization", &format!("Bearer {key}"));
    }
    let unreachable = |e: ureq::Error| Error::MissingTool(format!("the proposer endpoint {url} is unreachable: {e}"));
    let mut response = request.send(body.to_string().as_bytes()).map_err(unreachable)?;
    let status = response.status();
    let text = response
        .body_mut()
        .with_config()
        .limit(MAX_PROPOSAL)
        .read_to_string()
        .map_err(|e| Error::Verification(format!("{url}: the answer could not be read ({e})")))?;
    if !status.is_success() {
        let first = text.lines().next().unwrap_or_default().chars().take(200).collect::<String>();
        return Err(Error::Verification(format!("{url} answered HTTP {status}: {first}")));
    }
    let answer: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Error::Verification(format!("{url}: the answer is not JSON ({e})")))?;
    answer["choices"][0]["message"]["content"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| Error::Verification(format!("{url}: the answer has no choices[0].message.content")))
}

/// The diff in a proposer's answer: a fenced ```diff (or ```patch, or
/// bare) block holding file headers, else the text itself when it is one.
pub fn extract_diff(text: &str) -> Option<String> {
    let mut blocks = Vec::new();
    let mut inside: Option<Vec<&str>> = None;
    for line in text.lines() {
        match (&mut inside, line.trim_start().starts_with("```")) {
            (None, true) => inside = Some(Vec::new()),
            (Some(lines), true) => {
                blocks.push(lines.join("\n") + "\n");
                inside = None;
            }
            (Some(lines), false) => lines.push(line),
            (None, false) => {}
        }
    }
    let is_diff = |t: &str| t.lines().any(|l| l.starts_with("--- ")) && t.lines().any(|l| l.starts_with("+++ "));
    blocks.into_iter().find(|b| is_diff(b)).or_else(|| is_diff(text).then(|| text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diff_is_found_in_a_fence_or_as_the_whole_answer() {
        let diff = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n";
        assert_eq!(extract_diff(diff).as_deref(), Some(diff));
        let fenced = format!("Here is the fix:\n\n```diff\n{diff}```\nIt changes a to b.");
        assert_eq!(extract_diff(&fenced).as_deref(), Some(diff));
        assert_eq!(extract_diff("I cannot fix this."), None);
    }

    #[test]
    fn the_endpoint_is_configured_by_environment_and_a_command_wins() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned())
        };
        assert!(Proposer::configured(None, &vars(&[])).unwrap().is_none());
        let endpoint = Proposer::configured(None, &vars(&[(BASE_URL_ENV, "http://h/v1/"), (MODEL_ENV, "m")])).unwrap();
        assert!(matches!(endpoint, Some(Proposer::Endpoint { ref base_url, ref key_env, max_tokens: 4096, .. })
            if base_url == "http://h/v1" && key_env == DEFAULT_KEY_ENV));
        assert!(Proposer::configured(None, &vars(&[(BASE_URL_ENV, "http://h")])).is_err());
        assert!(
            Proposer::configured(
                None,
                &vars(&[(BASE_URL_ENV, "http://h"), (MODEL_ENV, "m"), (MAX_TOKENS_ENV, "many")])
            )
            .is_err()
        );
        let command = Proposer::configured(Some("./fix.sh"), &vars(&[(BASE_URL_ENV, "http://h")])).unwrap();
        assert!(matches!(command, Some(Proposer::Command { .. })));
    }
}

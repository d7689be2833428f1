//! Approval gates: actions that wait for a human (or a system) before they
//! start.
//!
//! A gated run records a pending request entry, then asks: a webhook
//! (`POST` the request as JSON, wait for `{"approved": bool, "approver",
//! "reason", "signature"?}`), or, without one, whoever runs `pruv approve`
//! or `pruv deny` against the store (the run polls for that entry). A
//! decision names the pending entry's hash, so it approves that request
//! only; with pinned approvers it must be signed by one of them.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::core::json::{self, Value};
use crate::core::sign::{PublicKey, SecretKey};
use crate::typed_state::{object, optional};

pub const REQUEST_TYPE: &str = "pruv.run.approval-request/1";
pub const DECISION_TYPE: &str = "pruv.run.approval-decision/1";
pub const OUTCOME_TYPE: &str = "pruv.run.approval/1";
/// Domain separator of an approver's signature.
pub const DECISION_CONTEXT: &str = "pruv.run.approval/1:";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);
/// The most a webhook's answer may hold.
const MAX_RESPONSE: u64 = 64 << 10;

/// What gates runs: from `[run]` in `pruv.toml` and the command line.
#[derive(Debug, Clone, Default)]
pub struct Gate {
    /// Action patterns (`deploy.*`) that need approval.
    pub actions: Vec<String>,
    pub webhook: Option<String>,
    pub timeout: Option<Duration>,
    /// Pinned approvers: (name, key). When any are pinned, a decision must be signed by one.
    pub approvers: Vec<(String, PublicKey)>,
}

impl Gate {
    pub fn needs_approval(&self, action: &str) -> bool {
        crate::identity::scope::granted(&self.actions, action)
    }

    pub fn timeout(&self) -> Duration {
        self.timeout.unwrap_or(DEFAULT_TIMEOUT)
    }
}

#[derive(serde::Deserialize)]
struct PolicyFile {
    run: Option<RunTable>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RunTable {
    #[serde(default)]
    approve: Vec<String>,
    approval_webhook: Option<String>,
    approval_timeout_seconds: Option<u64>,
    #[serde(default)]
    approvers: BTreeMap<String, String>,
}

/// The `[run]` table of a policy file (key files relative to it).
pub fn from_policy(path: &Path) -> Result<Gate, String> {
    let origin = path.display().to_string();
    let file: PolicyFile = crate::policy::read(path)?;
    let Some(table) = file.run else { return Ok(Gate::default()) };
    let actions = if table.approve.is_empty() {
        Vec::new()
    } else {
        crate::identity::scope::parse_patterns(table.approve.iter().map(String::as_str))
            .map_err(|e| format!("{origin}: [run] approve: {e}"))?
    };
    let mut approvers = Vec::new();
    for (name, key) in &table.approvers {
        let public =
            crate::policy::pinned_key(path, key).map_err(|e| format!("{origin}: [run] approvers.{name}: {e}"))?;
        approvers.push((name.clone(), public));
    }
    if let Some(url) = &table.approval_webhook {
        check_url(url).map_err(|e| format!("{origin}: [run] approval-webhook: {e}"))?;
    }
    Ok(Gate {
        actions,
        webhook: table.approval_webhook,
        timeout: table.approval_timeout_seconds.map(Duration::from_secs),
        approvers,
    })
}

pub fn check_url(url: &str) -> Result<(), String> {
    if url.starts_with("https://") || url.starts_with("http://") {
        Ok(())
    } else {
        Err(format!("{url:?} is not an http:// or https:// URL"))
    }
}

/// A pending request, as recorded and as sent to a webhook.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub id: String,
    pub action: String,
    pub intent: Option<String>,
    /// Redacted.
    pub argv: Vec<String>,
    pub cwd: String,
    pub correlation_id: Option<String>,
    pub requested_at: String,
}

impl Request {
    pub fn to_state(&self) -> Value {
        object([
            ("type", REQUEST_TYPE.into()),
            ("request", self.id.as_str().into()),
            ("action", self.action.as_str().into()),
            ("intent", optional(self.intent.as_deref())),
            ("argv", crate::typed_state::strings(&self.argv)),
            ("cwd", self.cwd.as_str().into()),
            ("correlationId", optional(self.correlation_id.as_deref())),
            ("requestedAt", self.requested_at.as_str().into()),
        ])
    }
}

/// Who decided what about which pending entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub request: String,
    /// The pending entry's `y`: what exactly was approved.
    pub entry_y: String,
    pub approved: bool,
    pub approver: String,
    pub reason: Option<String>,
    pub public_key: Option<String>,
    pub signature: Option<String>,
}

impl Decision {
    /// What an approver signs.
    pub fn message(&self) -> String {
        let body = object([
            ("request", self.request.as_str().into()),
            ("entry_y", self.entry_y.as_str().into()),
            ("approved", self.approved.into()),
            ("approver", self.approver.as_str().into()),
            ("reason", optional(self.reason.as_deref())),
        ]);
        format!("{DECISION_CONTEXT}{}", json::canonical(&body))
    }

    pub fn sign(&mut self, key: &SecretKey) {
        self.public_key = Some(key.public().to_base64());
        self.signature = Some(key.sign_base64(self.message().as_bytes()));
    }

    pub fn to_state(&self) -> Value {
        object([
            ("type", DECISION_TYPE.into()),
            ("request", self.request.as_str().into()),
            ("entry_y", self.entry_y.as_str().into()),
            ("approved", self.approved.into()),
            ("approver", self.approver.as_str().into()),
            ("reason", optional(self.reason.as_deref())),
            ("public_key", optional(self.public_key.as_deref())),
            ("signature", optional(self.signature.as_deref())),
        ])
    }

    pub fn from_state(state: &Value) -> Option<Decision> {
        let map = state.as_object()?;
        if map.get("type")?.as_str()? != DECISION_TYPE {
            return None;
        }
        let text = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_owned);
        Some(Decision {
            request: text("request")?,
            entry_y: text("entry_y")?,
            approved: map.get("approved")?.as_bool()?,
            approver: text("approver")?,
            reason: text("reason"),
            public_key: text("public_key"),
            signature: text("signature"),
        })
    }

    /// Checks the signature; with pinned approvers, that it is one of theirs.
    pub fn check(&self, gate: &Gate) -> Result<(), String> {
        let signed = match (&self.public_key, &self.signature) {
            (Some(key), Some(signature)) => Some((key, signature)),
            (None, None) => None,
            _ => return Err("the decision carries a key without a signature, or the reverse".into()),
        };
        let Some((key_text, signature)) = signed else {
            if gate.approvers.is_empty() {
                return Ok(());
            }
            return Err(format!("the decision by {:?} is not signed, and approvers are pinned", self.approver));
        };
        let key = PublicKey::from_text(key_text).ok_or("the decision's public key is not an Ed25519 key")?;
        if !gate.approvers.is_empty() && !gate.approvers.iter().any(|(_, pinned)| *pinned == key) {
            return Err(format!(
                "the decision by {:?} is signed by a key that is not a pinned approver's",
                self.approver
            ));
        }
        key.verify_base64(self.message().as_bytes(), signature)
            .map_err(|problem| format!("the decision's signature does not hold: {problem}"))
    }
}

/// Why a webhook gave no decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookError {
    /// No connection could be made: exit 7.
    Unreachable(String),
    /// It did not answer within the timeout.
    TimedOut,
    /// It answered with something that is not a decision.
    BadAnswer(String),
}

/// POSTs the request to the webhook and reads its decision.
pub fn ask_webhook(
    url: &str,
    request: &Request,
    entry_y: &str,
    chain: &str,
    timeout: Duration,
) -> Result<Decision, WebhookError> {
    let mut body = request.to_state();
    if let Value::Object(map) = &mut body {
        map.insert("entry_y".into(), entry_y.into());
        map.insert("chain".into(), chain.into());
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let response = agent.post(url).header("content-type", "application/json").send(json::compact(&body).as_bytes());
    let mut response = match response {
        Ok(response) => response,
        Err(ureq::Error::Timeout(_)) => return Err(WebhookError::TimedOut),
        Err(ureq::Error::Io(e)) if e.kind() == std::io::ErrorKind::TimedOut => return Err(WebhookError::TimedOut),
        Err(e) => return Err(WebhookError::Unreachable(e.to_string())),
    };
    let status = response.status();
    let text = match response.body_mut().with_config().limit(MAX_RESPONSE).read_to_string() {
        Ok(text) => text,
        Err(ureq::Error::Timeout(_)) => return Err(WebhookError::TimedOut),
        Err(e) => return Err(WebhookError::BadAnswer(e.to_string())),
    };
    if !status.is_success() {
        return Err(WebhookError::BadAnswer(format!("HTTP {status}")));
    }
    let value = json::parse(&text).map_err(|e| WebhookError::BadAnswer(format!("not JSON ({e})")))?;
    let map = value.as_object().ok_or_else(|| WebhookError::BadAnswer("not a JSON object".into()))?;
    let approved = map
        .get("approved")
        .and_then(Value::as_bool)
        .ok_or_else(|| WebhookError::BadAnswer("no boolean `approved`".into()))?;
    let text_field = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_owned);
    Ok(Decision {
        request: request.id.clone(),
        entry_y: entry_y.to_owned(),
        approved,
        approver: text_field("approver").unwrap_or_else(|| "webhook".into()),
        reason: text_field("reason"),
        public_key: text_field("public_key"),
        signature: text_field("signature"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_is_bound_to_its_request_and_pinned_keys() {
        let alice = SecretKey::from_seed([1; 32], Some("alice".into()));
        let mallory = SecretKey::from_seed([2; 32], Some("mallory".into()));
        let gate = Gate { approvers: vec![("alice".into(), alice.public())], ..Gate::default() };
        let mut decision = Decision {
            request: "r1".into(),
            entry_y: "ab".repeat(32),
            approved: true,
            approver: "alice".into(),
            reason: Some("looks fine".into()),
            public_key: None,
            signature: None,
        };
        assert!(decision.check(&gate).unwrap_err().contains("not signed"));
        assert!(decision.check(&Gate::default()).is_ok(), "unsigned is fine when nobody is pinned");
        decision.sign(&alice);
        assert!(decision.check(&gate).is_ok());
        let mut other_request = decision.clone();
        other_request.entry_y = "cd".repeat(32);
        assert!(other_request.check(&gate).unwrap_err().contains("does not hold"));
        let mut flipped = decision.clone();
        flipped.approved = false;
        assert!(flipped.check(&gate).is_err());
        let mut stranger = decision.clone();
        stranger.sign(&mallory);
        assert!(stranger.check(&gate).unwrap_err().contains("not a pinned approver"));
        assert_eq!(Decision::from_state(&decision.to_state()), Some(decision));
    }
}

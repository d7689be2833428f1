//! Provenance: what happened to an artifact, and by whose hand.
//!
//! An artifact is an ordinary chain named `provenance/NAME`. Entry 0
//! (`origin`, `pruv.provenance/1`) records the artifact, its owner, its
//! classification, the scopes an agent needs to change it and the hash of
//! its first content (a file's SHA-256, or a scan's tree hash). Each
//! `transition` (`pruv.provenance.transition/1`) records the content hash
//! before and after, the agent (an identity chain) and the reason, with the
//! verdict on the agent at that moment; [`verify`] judges every agent again
//! from its identity chain as of the transition's time.

pub mod agent;
pub mod verify;

pub use agent::{AgentVerdict, Identities, judge_agent};

use crate::core::chain::Chain;
use crate::core::entry::Transition;
use crate::core::json::{Number, Value};
use crate::typed_state::{Fields, object, optional, strings};

pub const ARTIFACT_TYPE: &str = "pruv.provenance/1";
pub const TRANSITION_TYPE: &str = "pruv.provenance.transition/1";
/// Artifact chains are named `provenance/NAME`.
pub const CHAIN_PREFIX: &str = "provenance/";
/// The scope that lets an agent change any artifact.
pub const MODIFY_SCOPE: &str = "artifact.modify";

pub fn chain_name(name: &str) -> String {
    format!("{CHAIN_PREFIX}{name}")
}

/// Where the artifact's content hash comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A file: the hash is the SHA-256 of its bytes; `file` is its name as given.
    File { file: String },
    /// A codebase: the hash is a scan's tree hash.
    Scan { root: String, graph_hash: String },
}

impl Source {
    fn to_value(&self) -> Value {
        match self {
            Source::File { file } => object([("kind", "file".into()), ("file", file.as_str().into())]),
            Source::Scan { root, graph_hash } => object([
                ("kind", "scan".into()),
                ("root", root.as_str().into()),
                ("graph_hash", graph_hash.as_str().into()),
            ]),
        }
    }

    fn from_value(value: Option<&Value>) -> Result<Source, String> {
        let map = value.and_then(Value::as_object).ok_or("`source` must be an object")?;
        let text = |field: &str| {
            map.get(field)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or(format!("`source.{field}` must be a string"))
        };
        match text("kind")?.as_str() {
            "file" => Ok(Source::File { file: text("file")? }),
            "scan" => Ok(Source::Scan { root: text("root")?, graph_hash: text("graph_hash")? }),
            other => Err(format!("`source.kind` {other:?} is neither file nor scan")),
        }
    }
}

/// What entry 0 records.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub artifact: String,
    pub owner: String,
    pub classification: Option<String>,
    /// Scopes (besides `artifact.modify`) that let an agent change it.
    pub scopes: Vec<String>,
    pub content_hash: String,
    pub source: Source,
}

impl Origin {
    pub fn validate(&self) -> Result<(), String> {
        for (field, value) in [("name", &self.artifact), ("owner", &self.owner)] {
            if value.trim().is_empty() {
                return Err(format!("the artifact's {field} must not be empty"));
            }
        }
        self.scopes.iter().try_for_each(|s| crate::identity::scope::validate_name(s))
    }

    pub fn to_state(&self) -> Value {
        object([
            ("type", ARTIFACT_TYPE.into()),
            ("artifact", self.artifact.as_str().into()),
            ("owner", self.owner.as_str().into()),
            ("classification", optional(self.classification.as_deref())),
            ("scopes", strings(&self.scopes)),
            ("content_hash", self.content_hash.as_str().into()),
            ("source", self.source.to_value()),
        ])
    }

    pub fn from_state(state: Option<&Value>) -> Result<Origin, String> {
        let fields = Fields::of(state, ARTIFACT_TYPE)?;
        Ok(Origin {
            artifact: fields.string("artifact")?,
            owner: fields.string("owner")?,
            classification: fields.optional_string("classification")?,
            scopes: fields.strings("scopes")?,
            content_hash: fields.string("content_hash")?,
            source: Source::from_value(state.and_then(Value::as_object).and_then(|m| m.get("source")))?,
        })
    }

    /// The scopes any one of which lets an agent change the artifact.
    pub fn needed_scopes(&self) -> Vec<String> {
        std::iter::once(MODIFY_SCOPE.to_owned()).chain(self.scopes.iter().cloned()).collect()
    }
}

/// What a transition entry records.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub before: String,
    pub after: String,
    /// The agent's identity chain id.
    pub agent_id: String,
    /// The agent's name when the transition was recorded.
    pub agent_name: Option<String>,
    pub reason: String,
    /// For a codebase: the scan's graph hash.
    pub graph_hash: Option<String>,
    /// The verdict on the agent when the transition was recorded.
    pub authorized: bool,
}

impl Change {
    pub fn to_state(&self) -> Value {
        object([
            ("type", TRANSITION_TYPE.into()),
            ("before", self.before.as_str().into()),
            ("after", self.after.as_str().into()),
            ("agent", self.agent_id.as_str().into()),
            ("agent_name", optional(self.agent_name.as_deref())),
            ("reason", self.reason.as_str().into()),
            ("graph_hash", optional(self.graph_hash.as_deref())),
            ("authorized", self.authorized.into()),
        ])
    }

    pub fn from_state(state: Option<&Value>) -> Result<Change, String> {
        let fields = Fields::of(state, TRANSITION_TYPE)?;
        Ok(Change {
            before: fields.string("before")?,
            after: fields.string("after")?,
            agent_id: fields.string("agent")?,
            agent_name: fields.optional_string("agent_name")?,
            reason: fields.string("reason")?,
            graph_hash: fields.optional_string("graph_hash")?,
            authorized: fields.bool("authorized")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub index: u64,
    pub at: f64,
    pub change: Result<Change, String>,
}

/// An artifact chain read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    pub chain_id: String,
    pub origin: Origin,
    pub origin_at: f64,
    pub steps: Vec<Step>,
}

impl Provenance {
    pub fn from_chain(chain: &Chain) -> Result<Provenance, String> {
        let first = chain.entries.first().ok_or("the artifact chain is empty (no origin)")?;
        let origin = Origin::from_state(first.y_state.as_ref()).map_err(|e| format!("entry 0: {e}"))?;
        let steps = chain.entries[1..]
            .iter()
            .map(|entry| Step {
                index: entry.index,
                at: entry.timestamp.as_f64(),
                change: match entry.operation.as_str() {
                    "transition" => Change::from_state(entry.y_state.as_ref()),
                    other => Err(format!("operation {other:?} is not a provenance transition")),
                },
            })
            .collect();
        Ok(Provenance { chain_id: chain.id.clone(), origin, origin_at: first.timestamp.as_f64(), steps })
    }

    /// The content hash as of the last readable entry.
    pub fn current_hash(&self) -> &str {
        self.steps
            .iter()
            .rev()
            .find_map(|s| s.change.as_ref().ok().map(|c| c.after.as_str()))
            .unwrap_or(&self.origin.content_hash)
    }

    /// The next transition, judged against the agent's identity chain now.
    /// It is recorded whatever the verdict: provenance records, it does not block.
    pub fn transition(
        &self,
        agent_chain: &Chain,
        after: &str,
        reason: &str,
        graph_hash: Option<&str>,
        now: f64,
    ) -> Result<(Transition, AgentVerdict), String> {
        if reason.trim().is_empty() {
            return Err("a transition needs a --reason".into());
        }
        let verdict = judge_agent(Some(agent_chain), &agent_chain.id, now, &self.origin.needed_scopes());
        let change = Change {
            before: self.current_hash().to_owned(),
            after: after.to_owned(),
            agent_id: agent_chain.id.clone(),
            agent_name: verdict.name.clone(),
            reason: reason.to_owned(),
            graph_hash: graph_hash.map(str::to_owned),
            authorized: verdict.authorized,
        };
        let mut transition = Transition::new("transition", Some(change.to_state()));
        transition.timestamp = Some(Number::Float(now));
        Ok((transition, verdict))
    }
}

/// The origin entry.
pub fn origin(origin: &Origin) -> Transition {
    Transition::new("origin", Some(origin.to_state()))
}

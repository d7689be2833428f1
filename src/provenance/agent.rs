//! Judging an agent: its identity chain, as of the moment it acted.

use serde::Serialize;

use crate::core::chain::Chain;
use crate::core::verify::{VerifyOptions, verify_chain};
use crate::error::{Error, Result};
use crate::identity::Identity;
use crate::store::Store;

/// Where identity chains come from: the store, or the chains a receipt carries.
pub trait Identities {
    /// The identity chain with this id, or `None` when there is none.
    fn identity_chain(&self, id: &str) -> Result<Option<Chain>>;
}

impl Identities for Store {
    fn identity_chain(&self, id: &str) -> Result<Option<Chain>> {
        match self.load(id) {
            Ok(chain) => Ok(Some(chain)),
            Err(Error::UnknownChain { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

impl Identities for [Chain] {
    fn identity_chain(&self, id: &str) -> Result<Option<Chain>> {
        Ok(self.iter().find(|c| c.id == id).cloned())
    }
}

impl Identities for Vec<Chain> {
    fn identity_chain(&self, id: &str) -> Result<Option<Chain>> {
        self.as_slice().identity_chain(id)
    }
}

/// The verdict on an agent at one moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentVerdict {
    /// The identity chain id.
    pub id: String,
    pub name: Option<String>,
    pub owner: Option<String>,
    /// active | not_yet_valid | expired | revoked, at that moment; `None` when unknown or unreadable.
    pub status: Option<&'static str>,
    pub authorized: bool,
    /// Why it is not authorized: unknown, broken, revoked, expired, out of scope.
    pub reasons: Vec<String>,
}

/// Judges the agent whose identity chain is `chain` (`None`: not found)
/// acting at `at` on something that needs one of `needed` scopes.
pub fn judge_agent(chain: Option<&Chain>, id: &str, at: f64, needed: &[String]) -> AgentVerdict {
    let mut verdict =
        AgentVerdict { id: id.to_owned(), name: None, owner: None, status: None, authorized: false, reasons: vec![] };
    let Some(chain) = chain else {
        verdict.reasons.push(format!("unknown identity {id}"));
        return verdict;
    };
    let report = verify_chain(chain, &VerifyOptions::default());
    if !report.intact {
        let at = report.first_break.map_or_else(|| "the document level".to_owned(), |i| format!("entry {i}"));
        verdict.reasons.push(format!("identity chain {id} is broken at {at}"));
    }
    match Identity::from_chain(chain) {
        Err(message) => verdict.reasons.push(format!("{id} is not an identity chain ({message})")),
        Ok(identity) => {
            verdict.name = Some(identity.registration.name.clone());
            verdict.owner = Some(identity.registration.owner.clone());
            let standing = identity.standing_at(at);
            verdict.status = Some(standing.label());
            verdict.reasons.extend(standing.reason());
            if at < identity.registered_at {
                verdict.reasons.push("acted before the identity was registered".into());
            }
            if !identity.grants_any(needed) {
                verdict.reasons.push(format!("out of scope: needs {}", needed.join(" or ")));
            }
        }
    }
    verdict.authorized = verdict.reasons.is_empty();
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::entry::Transition;
    use crate::core::json::Number;
    use crate::identity::{Registration, register};

    const T0: f64 = 1_700_000_000.0;

    fn agent(scopes: &[&str], valid_until: Option<f64>) -> Chain {
        let registration = Registration {
            name: "writer".into(),
            owner: "legal".into(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            purpose: "drafts contracts".into(),
            framework: None,
            valid_from: None,
            valid_until,
        };
        let mut entry = register(&registration);
        entry.timestamp = Some(Number::Float(T0));
        let mut chain = Chain::new("a9e17", "identity/writer");
        chain.append(entry, None);
        chain
    }

    fn needed() -> Vec<String> {
        vec!["artifact.modify".into(), "contracts.edit".into()]
    }

    #[test]
    fn unknown_agent_is_unauthorized() {
        let verdict = judge_agent(None, "nobody", T0, &needed());
        assert!(!verdict.authorized);
        assert_eq!(verdict.reasons, ["unknown identity nobody"]);
    }

    #[test]
    fn modify_scope_or_a_scope_named_on_the_artifact_authorizes() {
        assert!(judge_agent(Some(&agent(&["artifact.*"], None)), "a", T0 + 1.0, &needed()).authorized);
        assert!(judge_agent(Some(&agent(&["contracts.edit"], None)), "a", T0 + 1.0, &needed()).authorized);
        let outside = judge_agent(Some(&agent(&["read"], None)), "a", T0 + 1.0, &needed());
        assert!(!outside.authorized && outside.reasons[0].starts_with("out of scope"), "{outside:?}");
    }

    #[test]
    fn expiry_revocation_and_breaks_are_judged_as_of_the_moment() {
        let chain = agent(&["*"], Some(T0 + 10.0));
        assert!(judge_agent(Some(&chain), "a", T0 + 10.0, &needed()).authorized);
        let late = judge_agent(Some(&chain), "a", T0 + 11.0, &needed());
        assert_eq!((late.authorized, late.status), (false, Some("expired")));
        assert!(!judge_agent(Some(&chain), "a", T0 - 1.0, &needed()).authorized, "before registration");

        let mut revoked = agent(&["*"], None);
        let identity = Identity::from_chain(&revoked).unwrap();
        revoked.append(identity.revoke("left the company", T0 + 5.0).unwrap(), None);
        assert!(judge_agent(Some(&revoked), "a", T0 + 4.0, &needed()).authorized);
        assert_eq!(judge_agent(Some(&revoked), "a", T0 + 6.0, &needed()).status, Some("revoked"));

        let mut broken = agent(&["*"], None);
        broken.append(Transition::new("act", None), None);
        broken.entries[0].y = "0".repeat(64);
        let verdict = judge_agent(Some(&broken), "a", T0 + 1.0, &needed());
        assert!(!verdict.authorized && verdict.reasons[0].contains("broken at entry 0"), "{verdict:?}");
    }
}

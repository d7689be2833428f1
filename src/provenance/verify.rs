//! `provenance verify`: the chain holds, each transition starts where the
//! last one ended, and every agent was authorized when it acted.

use serde::Serialize;

use super::{AgentVerdict, Identities, Provenance, Source, judge_agent};
use crate::core::chain::Chain;
use crate::core::time::rfc3339;
use crate::core::verify::{Report, VerifyOptions, verify_chain};
use crate::error::Result;
use crate::identity::verify::EntryProblem;

pub const REPORT_FORMAT: &str = "pruv.provenance.verify/1";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProvenanceReport {
    pub format: &'static str,
    pub chain_id: String,
    pub chain: Report,
    pub artifact: Option<ArtifactView>,
    pub transitions: Vec<TransitionCheck>,
    /// Entries of transitions whose agent was not authorized.
    pub unauthorized: Vec<u64>,
    /// Entries whose content does not hold up (malformed, foreign, broken
    /// before/after link, a recorded verdict the identity chain contradicts).
    pub problems: Vec<EntryProblem>,
    pub ok: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArtifactView {
    pub name: String,
    pub owner: String,
    pub classification: Option<String>,
    pub scopes: Vec<String>,
    /// file | scan
    pub source: &'static str,
    pub origin_hash: String,
    pub current_hash: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransitionCheck {
    pub entry: u64,
    pub at: String,
    pub before: String,
    pub after: String,
    pub reason: String,
    pub graph_hash: Option<String>,
    /// `before` equals the previous transition's `after` (or the origin hash).
    pub linked: bool,
    pub agent: AgentVerdict,
}

/// Checks an artifact chain; agents' identity chains come from `identities`.
pub fn verify(chain: &Chain, identities: &(impl Identities + ?Sized)) -> Result<ProvenanceReport> {
    let report = verify_chain(chain, &VerifyOptions::default());
    let mut problems = Vec::new();
    let mut transitions = Vec::new();
    let artifact = match Provenance::from_chain(chain) {
        Err(message) => {
            problems.push(EntryProblem { entry: 0, message });
            None
        }
        Ok(provenance) => {
            let needed = provenance.origin.needed_scopes();
            let mut expected_before = provenance.origin.content_hash.clone();
            for step in &provenance.steps {
                let change = match &step.change {
                    Err(message) => {
                        problems.push(EntryProblem { entry: step.index, message: message.clone() });
                        continue;
                    }
                    Ok(change) => change,
                };
                let linked = change.before == expected_before;
                if !linked {
                    problems.push(EntryProblem {
                        entry: step.index,
                        message: format!(
                            "before {} is not the previous after {}",
                            crate::core::hash::short_hash(&change.before),
                            crate::core::hash::short_hash(&expected_before)
                        ),
                    });
                }
                let agent_chain = identities.identity_chain(&change.agent_id)?;
                let agent = judge_agent(agent_chain.as_ref(), &change.agent_id, step.at, &needed);
                if agent.authorized != change.authorized {
                    problems.push(EntryProblem {
                        entry: step.index,
                        message: format!(
                            "records the agent as {}, but its identity chain now says {}",
                            verdict_word(change.authorized),
                            verdict_word(agent.authorized)
                        ),
                    });
                }
                expected_before = change.after.clone();
                transitions.push(TransitionCheck {
                    entry: step.index,
                    at: rfc3339(step.at),
                    before: change.before.clone(),
                    after: change.after.clone(),
                    reason: change.reason.clone(),
                    graph_hash: change.graph_hash.clone(),
                    linked,
                    agent,
                });
            }
            let origin = &provenance.origin;
            Some(ArtifactView {
                name: origin.artifact.clone(),
                owner: origin.owner.clone(),
                classification: origin.classification.clone(),
                scopes: origin.scopes.clone(),
                source: match origin.source {
                    Source::File { .. } => "file",
                    Source::Scan { .. } => "scan",
                },
                origin_hash: origin.content_hash.clone(),
                current_hash: provenance.current_hash().to_owned(),
                created_at: rfc3339(provenance.origin_at),
            })
        }
    };
    let unauthorized: Vec<u64> = transitions.iter().filter(|t| !t.agent.authorized).map(|t| t.entry).collect();
    let ok = report.intact && problems.is_empty() && unauthorized.is_empty();
    Ok(ProvenanceReport {
        format: REPORT_FORMAT,
        chain_id: chain.id.clone(),
        chain: report,
        artifact,
        transitions,
        unauthorized,
        problems,
        ok,
    })
}

fn verdict_word(authorized: bool) -> &'static str {
    if authorized { "authorized" } else { "unauthorized" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::Number;
    use crate::identity::{Identity, Registration, register};
    use crate::provenance::{Origin, origin};

    const T0: f64 = 1_700_000_000.0;

    fn agent() -> Chain {
        let registration = Registration {
            name: "editor".into(),
            owner: "legal".into(),
            scopes: vec!["artifact.modify".into()],
            purpose: "edits".into(),
            framework: None,
            valid_from: None,
            valid_until: None,
        };
        let mut entry = register(&registration);
        entry.timestamp = Some(Number::Float(T0));
        let mut chain = Chain::new("a9e17", "identity/editor");
        chain.append(entry, None);
        chain
    }

    fn artifact() -> Chain {
        let origin_state = Origin {
            artifact: "contract".into(),
            owner: "legal".into(),
            classification: Some("confidential".into()),
            scopes: vec![],
            content_hash: "h0".into(),
            source: Source::File { file: "contract.txt".into() },
        };
        let mut entry = origin(&origin_state);
        entry.timestamp = Some(Number::Float(T0 + 1.0));
        let mut chain = Chain::new("ar71f", "provenance/contract");
        chain.append(entry, None);
        chain
    }

    fn step(chain: &mut Chain, agent: &Chain, after: &str, at: f64) {
        let provenance = Provenance::from_chain(chain).unwrap();
        let (transition, _) = provenance.transition(agent, after, "edit", None, at).unwrap();
        chain.append(transition, None);
    }

    #[test]
    fn authorized_transitions_that_link_verify() {
        let agents = [agent()];
        let mut chain = artifact();
        step(&mut chain, &agents[0], "h1", T0 + 2.0);
        step(&mut chain, &agents[0], "h2", T0 + 3.0);
        let report = verify(&chain, &agents[..]).unwrap();
        assert!(report.ok, "{report:#?}");
        assert_eq!(report.artifact.unwrap().current_hash, "h2");
    }

    #[test]
    fn after_revocation_the_transition_is_unauthorized() {
        let mut agents = [agent()];
        let mut chain = artifact();
        step(&mut chain, &agents[0], "h1", T0 + 2.0);
        let identity = Identity::from_chain(&agents[0]).unwrap();
        agents[0].append(identity.revoke("left", T0 + 3.0).unwrap(), None);
        step(&mut chain, &agents[0], "h2", T0 + 4.0);
        let report = verify(&chain, &agents[..]).unwrap();
        assert_eq!(report.unauthorized, [2]);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert!(!report.ok);
    }

    #[test]
    fn an_unknown_agent_and_a_broken_link_are_reported() {
        let agents = [agent()];
        let mut chain = artifact();
        step(&mut chain, &agents[0], "h1", T0 + 2.0);
        let report = verify(&chain, &[][..]).unwrap();
        assert_eq!(report.unauthorized, [1]);
        assert!(report.transitions[0].agent.reasons[0].starts_with("unknown identity"));

        let mut forked = artifact();
        let provenance = Provenance::from_chain(&forked).unwrap();
        let (mut transition, _) = provenance.transition(&agents[0], "h1", "edit", None, T0 + 2.0).unwrap();
        let Some(crate::core::json::Value::Object(state)) = &mut transition.y_state else { panic!() };
        state.insert("before".into(), "elsewhere".into());
        forked.append(transition, None);
        let report = verify(&forked, &agents[..]).unwrap();
        assert!(!report.transitions[0].linked && !report.ok);
        assert_eq!(report.problems[0].entry, 1);
    }
}

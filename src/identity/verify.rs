//! `identity verify`: the chain holds, and every recorded action agrees
//! with what the registration (and any revocation) says about it.

use serde::Serialize;

use super::{Event, Identity, Standing};
use crate::core::chain::Chain;
use crate::core::time::rfc3339;
use crate::core::verify::{Report, VerifyOptions, verify_chain};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdentityReport {
    pub format: &'static str,
    pub chain_id: String,
    pub chain: Report,
    /// The registration, when entry 0 holds one.
    pub identity: Option<IdentityView>,
    /// Where the identity stands at the time of the check.
    pub status: Option<StatusView>,
    pub actions: Vec<ActionCheck>,
    /// Entries whose content does not hold up (malformed, foreign, or
    /// recording a verdict that the registration contradicts).
    pub problems: Vec<EntryProblem>,
    /// Everything holds: chain intact, no problems, every action in scope and authorized.
    pub ok: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdentityView {
    pub name: String,
    pub owner: String,
    pub scopes: Vec<String>,
    pub purpose: String,
    pub framework: Option<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub registered_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusView {
    /// active | not_yet_valid | expired | revoked
    pub status: &'static str,
    pub detail: Option<String>,
}

impl From<&Standing> for StatusView {
    fn from(standing: &Standing) -> Self {
        StatusView { status: standing.label(), detail: standing.reason() }
    }
}

/// One `act` entry, judged again from the registration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionCheck {
    pub entry: u64,
    pub at: String,
    pub action: String,
    pub scope: String,
    pub in_scope: bool,
    pub authorized: bool,
    /// Why it was not authorized.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryProblem {
    pub entry: u64,
    pub message: String,
}

pub const REPORT_FORMAT: &str = "pruv.identity.verify/1";

/// Checks an identity chain; `now` decides the current status.
pub fn verify(chain: &Chain, now: f64) -> IdentityReport {
    let report = verify_chain(chain, &VerifyOptions::default());
    let mut problems = Vec::new();
    let mut actions = Vec::new();
    let (view, status) = match Identity::from_chain(chain) {
        Err(message) => {
            problems.push(EntryProblem { entry: 0, message });
            (None, None)
        }
        Ok(identity) => {
            for recorded in &identity.events {
                match &recorded.event {
                    Err(message) => problems.push(EntryProblem { entry: recorded.index, message: message.clone() }),
                    Ok(Event::Revoke { .. }) => {}
                    Ok(Event::Act(act)) => {
                        let judged = identity.assess(recorded.at, &act.scope);
                        if judged.in_scope != act.in_scope || judged.authorized() != act.authorized {
                            problems.push(EntryProblem {
                                entry: recorded.index,
                                message: format!(
                                    "records in_scope={} authorized={}, but the registration gives in_scope={} authorized={}",
                                    act.in_scope,
                                    act.authorized,
                                    judged.in_scope,
                                    judged.authorized()
                                ),
                            });
                        }
                        actions.push(ActionCheck {
                            entry: recorded.index,
                            at: rfc3339(recorded.at),
                            action: act.action.clone(),
                            scope: act.scope.clone(),
                            in_scope: judged.in_scope,
                            authorized: judged.authorized(),
                            reason: judged.standing.reason(),
                        });
                    }
                }
            }
            (Some(view_of(&identity)), Some(StatusView::from(&identity.standing_at(now))))
        }
    };
    let ok = report.intact && problems.is_empty() && actions.iter().all(|a| a.in_scope && a.authorized);
    IdentityReport {
        format: REPORT_FORMAT,
        chain_id: chain.id.clone(),
        chain: report,
        identity: view,
        status,
        actions,
        problems,
        ok,
    }
}

fn view_of(identity: &Identity) -> IdentityView {
    let r = &identity.registration;
    IdentityView {
        name: r.name.clone(),
        owner: r.owner.clone(),
        scopes: r.scopes.clone(),
        purpose: r.purpose.clone(),
        framework: r.framework.clone(),
        valid_from: r.valid_from.map(rfc3339),
        valid_until: r.valid_until.map(rfc3339),
        registered_at: rfc3339(identity.registered_at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::entry::Transition;
    use crate::identity::{Registration, register};

    fn chain_with_actions() -> Chain {
        let registration = Registration {
            name: "bot".into(),
            owner: "ops".into(),
            scopes: vec!["deploy.*".into()],
            purpose: "ci".into(),
            framework: Some("eu-ai-act".into()),
            valid_from: None,
            valid_until: None,
        };
        let mut chain = Chain::new("c0ffee", "identity/bot");
        chain.append(register(&registration), None);
        let identity = Identity::from_chain(&chain).unwrap();
        let now = crate::core::time::now().as_f64();
        chain.append(identity.act("ship 1.2", "deploy.prod", now), None);
        chain.append(identity.act("refund", "billing.refund", now), None);
        chain
    }

    #[test]
    fn out_of_scope_action_fails_the_check_and_is_named() {
        let report = verify(&chain_with_actions(), f64::MAX);
        assert!(report.chain.intact && report.problems.is_empty(), "{report:?}");
        assert!(!report.ok);
        let outside: Vec<u64> = report.actions.iter().filter(|a| !a.in_scope).map(|a| a.entry).collect();
        assert_eq!(outside, [2]);
    }

    #[test]
    fn a_forged_verdict_is_a_problem_even_when_the_chain_holds() {
        let mut chain = chain_with_actions();
        chain.entries.truncate(2);
        let identity = Identity::from_chain(&chain).unwrap();
        let mut forged = identity.act("refund", "billing.refund", crate::core::time::now().as_f64());
        let Some(crate::core::json::Value::Object(state)) = &mut forged.y_state else { panic!() };
        state.insert("in_scope".into(), true.into());
        chain.append(forged, None);
        let report = verify(&chain, f64::MAX);
        assert!(report.chain.intact);
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        assert_eq!(report.problems[0].entry, 2);
        assert!(!report.ok);
    }

    #[test]
    fn a_chain_without_registration_is_not_an_identity() {
        let mut chain = Chain::new("c0ffee", "x");
        chain.append(Transition::new("create", None), None);
        let report = verify(&chain, 0.0);
        assert!(report.identity.is_none() && !report.ok);
        assert_eq!(report.problems[0].entry, 0);
    }
}

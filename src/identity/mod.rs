//! Identities: who may act, in which scopes, for how long.
//!
//! An identity is an ordinary chain named `identity/NAME`. Entry 0
//! (`register`) holds the registration (`pruv.identity/1`); later entries
//! are `act` (`pruv.identity.act/1`: an action, its scope, and whether it
//! was in scope and authorized when it was recorded) and `revoke`
//! (`pruv.identity.revoke/1`). Every field is in the entry's state, so an
//! edit to any of them breaks the chain's `y`/`xy` for `pruv verify`.
//! Recording an action never blocks: what was decided is recorded, and
//! [`verify`] recomputes it from the registration.

pub mod scope;
pub mod verify;

use crate::core::chain::Chain;
use crate::core::entry::Transition;
use crate::core::json::{Number, Value};
use crate::core::time::rfc3339;
use crate::typed_state::{Fields, object, optional, strings};

pub const IDENTITY_TYPE: &str = "pruv.identity/1";
pub const ACT_TYPE: &str = "pruv.identity.act/1";
pub const REVOKE_TYPE: &str = "pruv.identity.revoke/1";
/// Identity chains are named `identity/NAME`.
pub const CHAIN_PREFIX: &str = "identity/";

pub fn chain_name(name: &str) -> String {
    format!("{CHAIN_PREFIX}{name}")
}

/// What entry 0 records.
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    pub name: String,
    pub owner: String,
    /// Scope patterns (`deploy.*`); see [`scope`].
    pub scopes: Vec<String>,
    pub purpose: String,
    pub framework: Option<String>,
    /// Epoch seconds; the identity may not act before.
    pub valid_from: Option<f64>,
    /// Epoch seconds; the identity may not act after.
    pub valid_until: Option<f64>,
}

impl Registration {
    /// Checks what a user asked to register.
    pub fn validate(&self) -> Result<(), String> {
        for (field, value) in [("name", &self.name), ("owner", &self.owner), ("purpose", &self.purpose)] {
            if value.trim().is_empty() {
                return Err(format!("the identity's {field} must not be empty"));
            }
        }
        if self.scopes.is_empty() {
            return Err("an identity needs at least one scope".into());
        }
        for pattern in &self.scopes {
            scope::validate_pattern(pattern)?;
        }
        if let (Some(from), Some(until)) = (self.valid_from, self.valid_until)
            && from >= until
        {
            return Err(format!("--valid-from {} is not before --valid-until {}", rfc3339(from), rfc3339(until)));
        }
        Ok(())
    }

    pub fn to_state(&self) -> Value {
        object([
            ("type", IDENTITY_TYPE.into()),
            ("name", self.name.as_str().into()),
            ("owner", self.owner.as_str().into()),
            ("scopes", strings(&self.scopes)),
            ("purpose", self.purpose.as_str().into()),
            ("framework", optional(self.framework.as_deref())),
            ("valid_from", self.valid_from.map_or(Value::Null, |t| rfc3339(t).into())),
            ("valid_until", self.valid_until.map_or(Value::Null, |t| rfc3339(t).into())),
        ])
    }

    pub fn from_state(state: Option<&Value>) -> Result<Registration, String> {
        let fields = Fields::of(state, IDENTITY_TYPE)?;
        Ok(Registration {
            name: fields.string("name")?,
            owner: fields.string("owner")?,
            scopes: fields.strings("scopes")?,
            purpose: fields.string("purpose")?,
            framework: fields.optional_string("framework")?,
            valid_from: fields.optional_time("valid_from")?,
            valid_until: fields.optional_time("valid_until")?,
        })
    }
}

/// Where an identity stands at a moment.
#[derive(Debug, Clone, PartialEq)]
pub enum Standing {
    Active,
    NotYetValid { from: f64 },
    Expired { until: f64 },
    Revoked { at: f64, entry: u64, reason: String },
}

impl Standing {
    pub fn is_active(&self) -> bool {
        matches!(self, Standing::Active)
    }

    /// The stable name used in JSON.
    pub fn label(&self) -> &'static str {
        match self {
            Standing::Active => "active",
            Standing::NotYetValid { .. } => "not_yet_valid",
            Standing::Expired { .. } => "expired",
            Standing::Revoked { .. } => "revoked",
        }
    }

    /// Why an identity in this standing may not act (`None` when it may).
    pub fn reason(&self) -> Option<String> {
        match self {
            Standing::Active => None,
            Standing::NotYetValid { from } => Some(format!("not valid before {}", rfc3339(*from))),
            Standing::Expired { until } => Some(format!("expired at {}", rfc3339(*until))),
            Standing::Revoked { at, entry, reason } => {
                Some(format!("revoked at {} (entry {entry}): {reason}", rfc3339(*at)))
            }
        }
    }
}

/// An action as `act` recorded it.
#[derive(Debug, Clone, PartialEq)]
pub struct Act {
    pub action: String,
    pub scope: String,
    pub in_scope: bool,
    pub authorized: bool,
    pub reason: Option<String>,
}

impl Act {
    pub fn to_state(&self) -> Value {
        object([
            ("type", ACT_TYPE.into()),
            ("action", self.action.as_str().into()),
            ("scope", self.scope.as_str().into()),
            ("in_scope", self.in_scope.into()),
            ("authorized", self.authorized.into()),
            ("reason", optional(self.reason.as_deref())),
        ])
    }

    fn from_state(state: Option<&Value>) -> Result<Act, String> {
        let fields = Fields::of(state, ACT_TYPE)?;
        Ok(Act {
            action: fields.string("action")?,
            scope: fields.string("scope")?,
            in_scope: fields.bool("in_scope")?,
            authorized: fields.bool("authorized")?,
            reason: fields.optional_string("reason")?,
        })
    }
}

/// An entry after the registration.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Act(Act),
    Revoke { reason: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub index: u64,
    /// Epoch seconds of the entry.
    pub at: f64,
    /// The event, or why the entry is not one.
    pub event: Result<Event, String>,
}

/// An identity chain read back: its registration and what followed.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub chain_id: String,
    pub registration: Registration,
    pub registered_at: f64,
    pub events: Vec<Recorded>,
}

/// The verdict on one action by an identity at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub in_scope: bool,
    pub standing: Standing,
}

impl Assessment {
    pub fn authorized(&self) -> bool {
        self.standing.is_active()
    }
}

impl Identity {
    /// Reads an identity chain. Fails when entry 0 is not a registration;
    /// a later entry that is not an identity event is kept as an error.
    pub fn from_chain(chain: &Chain) -> Result<Identity, String> {
        let first = chain.entries.first().ok_or("the identity chain is empty (no registration)")?;
        let registration = Registration::from_state(first.y_state.as_ref()).map_err(|e| format!("entry 0: {e}"))?;
        let events = chain.entries[1..]
            .iter()
            .map(|entry| Recorded {
                index: entry.index,
                at: entry.timestamp.as_f64(),
                event: read_event(&entry.operation, entry.y_state.as_ref()),
            })
            .collect();
        Ok(Identity { chain_id: chain.id.clone(), registration, registered_at: first.timestamp.as_f64(), events })
    }

    /// Where the identity stands at `at`: revocations recorded at or
    /// before it count, then the validity window.
    pub fn standing_at(&self, at: f64) -> Standing {
        let revoked = self.events.iter().find_map(|recorded| match &recorded.event {
            Ok(Event::Revoke { reason }) if recorded.at <= at => {
                Some(Standing::Revoked { at: recorded.at, entry: recorded.index, reason: reason.clone() })
            }
            _ => None,
        });
        if let Some(revoked) = revoked {
            return revoked;
        }
        match (self.registration.valid_from, self.registration.valid_until) {
            (Some(from), _) if at < from => Standing::NotYetValid { from },
            (_, Some(until)) if at > until => Standing::Expired { until },
            _ => Standing::Active,
        }
    }

    /// Whether an action in `scope` at `at` is in scope and authorized.
    pub fn assess(&self, at: f64, action_scope: &str) -> Assessment {
        Assessment { in_scope: scope::granted(&self.registration.scopes, action_scope), standing: self.standing_at(at) }
    }

    /// Whether any of `scopes` is granted.
    pub fn grants_any(&self, scopes: &[String]) -> bool {
        scopes.iter().any(|s| scope::granted(&self.registration.scopes, s))
    }

    /// The entry that records an action now; its time is fixed here so
    /// that what is recorded is decided at the entry's own time.
    pub fn act(&self, action: &str, action_scope: &str, now: f64) -> Transition {
        let assessment = self.assess(now, action_scope);
        let act = Act {
            action: action.to_owned(),
            scope: action_scope.to_owned(),
            in_scope: assessment.in_scope,
            authorized: assessment.authorized(),
            reason: assessment.standing.reason(),
        };
        at_time(Transition::new("act", Some(act.to_state())), now)
    }

    /// The entry that revokes the identity, or why it cannot be revoked.
    pub fn revoke(&self, reason: &str, now: f64) -> Result<Transition, String> {
        if reason.trim().is_empty() {
            return Err("a revocation needs a --reason".into());
        }
        if let Standing::Revoked { at, entry, .. } = self.standing_at(f64::INFINITY) {
            return Err(format!("{} was already revoked at {} (entry {entry})", self.registration.name, rfc3339(at)));
        }
        let state = object([("type", REVOKE_TYPE.into()), ("reason", reason.into())]);
        Ok(at_time(Transition::new("revoke", Some(state)), now))
    }
}

/// The registration entry.
pub fn register(registration: &Registration) -> Transition {
    Transition::new("register", Some(registration.to_state()))
}

fn at_time(mut transition: Transition, seconds: f64) -> Transition {
    transition.timestamp = Some(Number::Float(seconds));
    transition
}

fn read_event(operation: &str, state: Option<&Value>) -> Result<Event, String> {
    match operation {
        "act" => Act::from_state(state).map(Event::Act),
        "revoke" => Fields::of(state, REVOKE_TYPE)?.string("reason").map(|reason| Event::Revoke { reason }),
        other => Err(format!("operation {other:?} is not an identity event (register, act, revoke)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: f64 = 1_700_000_000.0;

    fn registration(valid_from: Option<f64>, valid_until: Option<f64>) -> Registration {
        Registration {
            name: "deployer".into(),
            owner: "ops".into(),
            scopes: vec!["deploy.*".into(), "read".into()],
            purpose: "ships releases".into(),
            framework: None,
            valid_from,
            valid_until,
        }
    }

    fn identity(registration: Registration, revoked_at: Option<f64>) -> Identity {
        let mut chain = Chain::new("abc", chain_name(&registration.name));
        chain.append(at_time(register(&registration), T0), None);
        let mut identity = Identity::from_chain(&chain).unwrap();
        if let Some(at) = revoked_at {
            chain.append(identity.revoke("key leaked", at).unwrap(), None);
            identity = Identity::from_chain(&chain).unwrap();
        }
        identity
    }

    #[test]
    fn registration_round_trips_through_its_state() {
        let original = registration(Some(T0), Some(T0 + 86_400.0));
        assert_eq!(Registration::from_state(Some(&original.to_state())), Ok(original));
    }

    #[test]
    fn validity_window_bounds_are_inclusive() {
        let id = identity(registration(Some(T0), Some(T0 + 100.0)), None);
        assert_eq!(id.standing_at(T0 - 1.0), Standing::NotYetValid { from: T0 });
        assert_eq!(id.standing_at(T0), Standing::Active);
        assert_eq!(id.standing_at(T0 + 100.0), Standing::Active);
        assert_eq!(id.standing_at(T0 + 100.5), Standing::Expired { until: T0 + 100.0 });
    }

    #[test]
    fn revocation_counts_from_its_own_time_on() {
        let id = identity(registration(None, None), Some(T0 + 50.0));
        assert!(id.assess(T0 + 49.0, "deploy.prod").authorized());
        let after = id.assess(T0 + 50.0, "deploy.prod");
        assert!(after.in_scope && !after.authorized());
        assert!(after.standing.reason().unwrap().contains("key leaked"), "{:?}", after.standing);
        assert!(id.revoke("again", T0 + 60.0).unwrap_err().contains("already revoked"));
    }

    #[test]
    fn revocation_outranks_the_window() {
        let id = identity(registration(None, Some(T0 + 10.0)), Some(T0 + 5.0));
        assert_eq!(id.standing_at(T0 + 20.0).label(), "revoked");
    }

    #[test]
    fn act_records_scope_and_authorization_without_blocking() {
        let id = identity(registration(None, Some(T0 + 10.0)), None);
        let act = |at, s| Act::from_state(id.act("ship", s, at).y_state.as_ref()).unwrap();
        let inside = act(T0 + 1.0, "deploy.prod");
        assert!(inside.in_scope && inside.authorized && inside.reason.is_none());
        let outside = act(T0 + 1.0, "billing.refund");
        assert!(!outside.in_scope && outside.authorized);
        let late = act(T0 + 11.0, "deploy.prod");
        assert!(late.in_scope && !late.authorized && late.reason.unwrap().starts_with("expired"));
    }

    #[test]
    fn bad_registrations_are_refused() {
        assert!(registration(Some(T0), Some(T0)).validate().is_err());
        let mut no_scope = registration(None, None);
        no_scope.scopes.clear();
        assert!(no_scope.validate().is_err());
        let mut blank = registration(None, None);
        blank.owner = " ".into();
        assert!(blank.validate().is_err());
        assert!(registration(None, None).validate().is_ok());
    }

    #[test]
    fn a_foreign_entry_is_kept_as_an_error() {
        let mut chain = Chain::new("abc", "identity/x");
        chain.append(register(&registration(None, None)), None);
        chain.append(Transition::new("deploy", None), None);
        let id = Identity::from_chain(&chain).unwrap();
        assert!(id.events[0].event.as_ref().unwrap_err().contains("not an identity event"));
        let mut plain = Chain::new("def", "plain");
        plain.append(Transition::new("create", None), None);
        assert!(Identity::from_chain(&plain).is_err());
    }
}

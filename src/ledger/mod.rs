//! Payment ledgers: money moving between accounts as a chain of state
//! transitions whose conservation anyone can verify offline.
//!
//! A ledger is a chain named `ledger/NAME`. Entry 0 (`open`,
//! `pruv.ledger/1`) fixes its currencies, the accounts allowed to overdraw
//! and its approval controls. Every later entry is one operation
//! (`pruv.ledger.operation/1`): a deposit, a withdrawal, a transfer or an
//! approval of a pending transfer. Its `y_state` holds what was done and the
//! after-balances of the accounts it touched (and the ledger's total of that
//! currency); its `x_state` the same balances before. Amounts are decimal
//! strings at the currency's minor unit ([`amount`]), never floats, so any
//! verifier hashes the same bytes. [`book::Book`] replays operations and is
//! the one judge of them: the store applies each new entry through it before
//! committing, and [`verify`] replays a whole chain through it.

pub mod amount;
pub mod book;
pub mod controls;
pub mod import;
pub mod plan;
pub mod state;
pub mod verify;

pub use amount::Currency;
pub use book::{Book, Problem};
pub use state::{Approval, Controls, Operation, OperationKind, Setup};

use crate::core::chain::Chain;
use crate::core::entry::Transition;
use crate::core::json::Number;

/// The entry that records `operation`.
pub fn transition(operation: &Operation) -> Transition {
    let mut transition = Transition::new(operation.kind.as_str(), Some(operation.y_state()));
    transition.x_state = operation.x_state();
    if !operation.applied {
        transition.status = "pending".into();
    }
    transition
}

/// Records what `intent` asks for as the next entry of an in-memory ledger
/// chain whose book is `book` (the store does the same inside a transaction).
pub fn append(
    chain: &mut Chain,
    book: &mut Book,
    intent: &plan::Intent<'_>,
    timestamp: Option<Number>,
) -> Result<Operation, crate::error::Error> {
    let index = chain.entries.len() as u64;
    let operation = plan::operation(book, index, intent)?;
    let mut transition = transition(&operation);
    transition.timestamp = timestamp;
    book.apply(index, &operation).map_err(|problem| {
        crate::error::Error::Verification(format!("pruv planned an operation it cannot verify ({problem})"))
    })?;
    chain.append(transition, None);
    Ok(operation)
}

/// Ledger chains are named `ledger/NAME`.
pub const CHAIN_PREFIX: &str = "ledger/";
/// Entry 0's state type.
pub const LEDGER_TYPE: &str = "pruv.ledger/1";
/// Every later entry's state type.
pub const OPERATION_TYPE: &str = "pruv.ledger.operation/1";

pub fn chain_name(name: &str) -> String {
    format!("{CHAIN_PREFIX}{name}")
}

/// Account names: what a person types and a CSV holds, nothing that could
/// be mistaken for markup or break a line.
pub fn validate_account(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 128
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '@' | '/'));
    if ok {
        Ok(())
    } else {
        Err(format!("account {name:?} is not a valid account name (1–128 letters, digits and _ - . : @ /)"))
    }
}

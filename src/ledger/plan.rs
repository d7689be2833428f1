//! From what a person asks (an [`Intent`]) to the operation the ledger
//! records, against the book as it stands: balances before and after,
//! approvals signed, and the refusals (overdraft, unknown currency,
//! approving what is not pending) that record nothing.

use super::book::Book;
use super::controls;
use super::state::{Operation, OperationKind, Payment};
use crate::core::sign::SecretKey;
use crate::error::Error;

pub enum Intent<'a> {
    /// A deposit, withdrawal or transfer, with the approvals of `approvers`
    /// (a transfer above the threshold needs them before it counts).
    Pay { payment: Payment, approvers: Vec<&'a SecretKey> },
    /// An approval of the pending transfer at entry `transfer`.
    Approve { transfer: u64, approver: &'a SecretKey },
}

impl Intent<'_> {
    /// The payment the intent moves, given the book's pending transfers.
    pub fn payment<'b>(&'b self, book: &'b Book) -> Option<&'b Payment> {
        match self {
            Intent::Pay { payment, .. } => Some(payment),
            Intent::Approve { transfer, .. } => book.pending().get(transfer).map(|p| &p.payment),
        }
    }
}

/// The operation `intent` records as entry `index`.
pub fn operation(book: &Book, index: u64, intent: &Intent<'_>) -> Result<Operation, Error> {
    let (kind, payment, approves, approvals, already) = match intent {
        Intent::Pay { payment, approvers } => {
            payment.validate().map_err(Error::InvalidInput)?;
            if !book.setup.holds(payment.currency) {
                return Err(Error::InvalidInput(format!(
                    "ledger {} holds {}, not {}; open a ledger with --currency {} for it",
                    book.setup.name,
                    currencies(book),
                    payment.currency,
                    payment.currency
                )));
            }
            let approvals: Vec<_> =
                approvers.iter().map(|k| controls::approve(k, &book.chain_id, index, payment)).collect();
            (payment.kind(), payment.clone(), None, approvals, 0)
        }
        Intent::Approve { transfer, approver } => {
            let waiting = book.pending().get(transfer).ok_or_else(|| {
                Error::InvalidInput(format!("entry {transfer} of ledger {} is no transfer waiting for approval; `pruv ledger history` shows the pending ones", book.setup.name))
            })?;
            let approval = controls::approve(approver, &book.chain_id, *transfer, &waiting.payment);
            if waiting.approved_by.contains(&approval.public_key) {
                return Err(Error::Refused(format!("{} already approved entry {transfer}", approver.signer_id)));
            }
            (
                OperationKind::Approve,
                waiting.payment.clone(),
                Some(*transfer),
                vec![approval],
                waiting.approved_by.len(),
            )
        }
    };
    if let Some(controls) = &book.setup.controls {
        if let Some(stranger) =
            approvals.iter().find(|a| !controls.approvers.iter().any(|(_, key)| *key == a.public_key))
        {
            return Err(Error::Refused(format!(
                "{} ({}) is not one of ledger {}'s approvers",
                stranger.signer_id, stranger.public_key, book.setup.name
            )));
        }
    } else if !approvals.is_empty() {
        return Err(Error::Refused(format!("ledger {} has no approvers; it takes no approvals", book.setup.name)));
    }
    let needed = book.setup.approvals_needed(&payment) as usize;
    let applied = already + approvals.len() >= needed;
    let (before, after) = if applied {
        let after = book.preview(&payment).map_err(Error::Policy)?;
        (Some(book.current(&payment)), Some(after))
    } else {
        (None, None)
    };
    Ok(Operation { kind, payment, approves, approvals, applied, before, after })
}

fn currencies(book: &Book) -> String {
    book.setup.currencies.iter().map(|c| c.code()).collect::<Vec<_>>().join(", ")
}

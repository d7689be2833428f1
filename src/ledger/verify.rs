//! Verifying a ledger offline: the chain verifies, entry 0 opens a ledger,
//! and every operation follows from the book before it ([`Book::apply`]):
//! before-balances are the previous after-balances, transfers conserve the
//! total, deposits and withdrawals change it by exactly their amount, no
//! account overdraws that may not, and high-value transfers count only with
//! their approvals. The final balances are the replayed sums.

use std::collections::BTreeMap;

use serde::Serialize;

use super::amount::format_amount;
use super::book::{Book, Problem};
use super::state::{Operation, Setup};
use crate::core::chain::Chain;
use crate::core::verify::{VerifyOptions, verify_chain};

pub const REPORT_FORMAT: &str = "pruv.ledger.verify/1";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerReport {
    pub format: &'static str,
    pub chain_id: String,
    pub name: String,
    pub entries: u64,
    /// Entries that verified, up to the first problem (all of them when valid).
    pub verified: u64,
    pub valid: bool,
    /// Where the books stop balancing.
    pub problem: Option<Problem>,
    pub operations: u64,
    pub deposits: u64,
    pub withdrawals: u64,
    pub transfers: u64,
    pub approvals: u64,
    /// Transfers waiting for approvals, by entry.
    pub pending: Vec<u64>,
    /// Account → currency → balance, replayed.
    pub balances: BTreeMap<String, BTreeMap<String, String>>,
    pub totals: BTreeMap<String, String>,
    /// The sum of applied transfers, per currency.
    pub volume: BTreeMap<String, String>,
}

/// Whether a chain is a ledger: its entry 0 opens one.
pub fn is_ledger(chain: &Chain) -> bool {
    crate::typed_state::Fields::type_of(chain.entries.first().and_then(|e| e.y_state.as_ref()))
        == Some(super::LEDGER_TYPE)
}

pub fn verify(chain: &Chain) -> LedgerReport {
    replay(chain).0
}

/// Replays the whole chain; the book, when entry 0 opens a ledger, is as of
/// the last entry that verified.
pub fn replay(chain: &Chain) -> (LedgerReport, Option<Book>) {
    replay_until(chain, u64::MAX)
}

/// Replays entries `0..=last` (and verifies the whole chain's links).
pub fn replay_until(chain: &Chain, last: u64) -> (LedgerReport, Option<Book>) {
    let links = verify_chain(chain, &VerifyOptions::default());
    let mut problem: Option<Problem> = None;
    let mut verified = 0;
    let setup = chain.entries.first().map(|e| Setup::from_state(e.y_state.as_ref()));
    let mut book = match setup {
        Some(Ok(setup)) => Some(Book::open(&chain.id, setup)),
        Some(Err(message)) => {
            problem = Some(Problem { entry: 0, account: None, message: format!("entry 0 opens no ledger: {message}") });
            None
        }
        None => {
            problem = Some(Problem { entry: 0, account: None, message: "the chain is empty".into() });
            None
        }
    };
    if let Some(book) = &mut book {
        verified = 1;
        for entry in chain.entries.iter().skip(1).take_while(|e| e.index <= last) {
            if links.first_break.is_some_and(|at| entry.index >= at) {
                break;
            }
            let judged = Operation::from_states(entry.x_state.as_ref(), entry.y_state.as_ref())
                .map_err(|message| Problem { entry: entry.index, account: None, message })
                .and_then(|op| {
                    if entry.operation != op.kind.as_str() {
                        return Err(Problem {
                            entry: entry.index,
                            account: None,
                            message: format!(
                                "the entry's operation {:?} is not its state's {}",
                                entry.operation,
                                op.kind.as_str()
                            ),
                        });
                    }
                    book.apply(entry.index, &op)
                });
            if let Err(found) = judged {
                problem = Some(found);
                break;
            }
            verified += 1;
        }
    }
    if problem.is_none()
        && let Some(at) = links.first_break.filter(|at| *at <= last)
    {
        let message = links.problems.first().map_or_else(|| "the chain breaks".to_owned(), |p| p.message.clone());
        problem = Some(Problem { entry: at, account: None, message });
    }
    let entries = chain.entries.len() as u64;
    let mut report = LedgerReport {
        format: REPORT_FORMAT,
        chain_id: chain.id.clone(),
        name: chain.name.strip_prefix(super::CHAIN_PREFIX).unwrap_or(&chain.name).to_owned(),
        entries,
        verified,
        valid: problem.is_none(),
        problem,
        operations: 0,
        deposits: 0,
        withdrawals: 0,
        transfers: 0,
        approvals: 0,
        pending: Vec::new(),
        balances: BTreeMap::new(),
        totals: BTreeMap::new(),
        volume: BTreeMap::new(),
    };
    if let Some(book) = &book {
        let tally = &book.tally;
        (report.operations, report.deposits, report.withdrawals, report.transfers, report.approvals) =
            (tally.operations, tally.deposits, tally.withdrawals, tally.transfers, tally.approvals);
        report.pending = book.pending().keys().copied().collect();
        for (account, currencies) in book.accounts() {
            let row = currencies.into_iter().map(|(c, v)| (c.code().to_owned(), format_amount(v, c))).collect();
            report.balances.insert(account, row);
        }
        report.totals = book.totals().iter().map(|(c, v)| (c.code().to_owned(), format_amount(*v, *c))).collect();
        report.volume = tally.volume.iter().map(|(c, v)| (c.code().to_owned(), format_amount(*v, *c))).collect();
    }
    (report, book)
}

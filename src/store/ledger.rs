//! Ledger chains in the store: opening one, and appending operations
//! judged against the book as of the head, in one write transaction, so
//! two writers never both spend the same balance or fork the chain.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use rust_decimal::Decimal;

use super::{Store, append_in, find_by_name, insert_new_chain, load_chain, new_chain_id, store_error, validate_name};
use crate::core::entry::{Entry, Transition};
use crate::core::sign::SecretKey;
use crate::error::{Error, Result};
use crate::ledger::amount::{Currency, format_amount, parse_balance};
use crate::ledger::book::{Book, Key, Pending};
use crate::ledger::plan::{self, Intent};
use crate::ledger::state::{Operation, Setup};
use crate::ledger::{self, verify};

impl Store {
    /// Creates the chain `ledger/NAME` with its entry 0; returns its id.
    pub fn open_ledger(&mut self, setup: &Setup, key: Option<&SecretKey>) -> Result<String> {
        setup.validate().map_err(Error::InvalidInput)?;
        let name = ledger::chain_name(&setup.name);
        validate_name(&name)?;
        let id = new_chain_id()?;
        let dir = self.dir.clone();
        let err = |e| store_error(&dir, e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
        if let Some(existing) = find_by_name(&tx, &name).map_err(err)? {
            return Err(Error::ChainExists { name, id: existing });
        }
        insert_new_chain(&tx, &id, &name).map_err(err)?;
        let entry = append_in(&tx, &id, Transition::new("open", Some(setup.to_state())), key).map_err(err)?;
        let mut book = Book::open(&id, setup.clone());
        save_book(&tx, &id, &entry, &mut book, true).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(id)
    }

    /// Records `intents` as the next entries of ledger `chain_id`, each
    /// planned and then judged against the book as it stands after the ones
    /// before; nothing is recorded when any is refused.
    /// `describe(i)` names intent `i` in a refusal (an imported file's row).
    pub fn ledger_append(
        &mut self,
        chain_id: &str,
        intents: &[Intent<'_>],
        key: Option<&SecretKey>,
        describe: &dyn Fn(usize) -> Option<String>,
    ) -> Result<Vec<(Entry, Operation)>> {
        let dir = self.dir.clone();
        let err = |e| store_error(&dir, e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
        let mut book = load_book(&tx, &dir, chain_id)?;
        let mut recorded = Vec::with_capacity(intents.len());
        let mut head = None;
        for (i, intent) in intents.iter().enumerate() {
            load_accounts(&tx, &dir, chain_id, &mut book, intent)?;
            let index = next_index(&tx, chain_id).map_err(err)?;
            let operation = plan::operation(&book, index, intent).map_err(|e| match describe(i) {
                Some(what) => e.prefixed(&what),
                None => e,
            })?;
            let entry = append_in(&tx, chain_id, ledger::transition(&operation), key).map_err(err)?;
            // What is recorded is judged as verification judges it.
            book.apply(index, &operation).map_err(|problem| Error::Store {
                path: dir.clone(),
                message: format!(
                    "ledger {chain_id}: pruv planned an operation it cannot verify ({problem}); nothing was recorded"
                ),
            })?;
            head = Some(entry.clone());
            recorded.push((entry, operation));
        }
        if let Some(head) = head {
            save_book(&tx, chain_id, &head, &mut book, false).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(recorded)
    }
}

impl Store {
    /// The rules ledger `chain_id` was opened with (its entry 0).
    pub fn ledger_setup(&self, chain_id: &str) -> Result<Setup> {
        setup_in(&self.conn, &self.dir, chain_id)
    }
}

/// Entry 0's rules, read through `conn` (the store's, or a transaction's).
fn setup_in(conn: &rusqlite::Connection, dir: &std::path::Path, chain_id: &str) -> Result<Setup> {
    let state: Option<String> = conn
        .query_row("SELECT y_state FROM entries WHERE chain_id = ?1 AND idx = 0", [chain_id], |row| row.get(0))
        .optional()
        .map_err(|e| store_error(dir, e))?
        .flatten();
    state
        .and_then(|t| crate::core::json::parse(&t).ok())
        .and_then(|v| Setup::from_state(Some(&v)).ok())
        .ok_or_else(|| Error::InvalidInput(format!("chain {chain_id} is not a ledger (its entry 0 opens none)")))
}

fn next_index(tx: &rusqlite::Transaction<'_>, chain_id: &str) -> rusqlite::Result<u64> {
    let last: Option<i64> =
        tx.query_row("SELECT MAX(idx) FROM entries WHERE chain_id = ?1", [chain_id], |row| row.get(0))?;
    Ok(last.map_or(0, |i| i as u64 + 1))
}

/// The book as of the chain's head, without its balances (they are loaded
/// per operation). When the saved book is not the head's, the chain is
/// verified from entry 0 and the book saved again: a ledger that does not
/// verify takes no more entries.
fn load_book(tx: &rusqlite::Transaction<'_>, dir: &std::path::Path, chain_id: &str) -> Result<Book> {
    let err = |e| store_error(dir, e);
    let head: Option<(i64, String)> = tx
        .query_row("SELECT idx, y FROM entries WHERE chain_id = ?1 ORDER BY idx DESC LIMIT 1", [chain_id], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()
        .map_err(err)?;
    let saved: Option<(i64, String)> = tx
        .query_row("SELECT idx, y FROM ledger_heads WHERE chain_id = ?1", [chain_id], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()
        .map_err(err)?;
    let not_a_ledger = || Error::InvalidInput(format!("chain {chain_id} is not a ledger (its entry 0 opens none)"));
    let setup = setup_in(tx, dir, chain_id)?;
    if head.is_none() || saved != head {
        let chain = load_chain(tx, dir, chain_id)?;
        let (report, book) = verify::replay(&chain);
        let Some(mut book) = book.filter(|_| report.valid) else {
            return Err(Error::Verification(format!(
                "ledger {} does not verify ({}); it takes no more entries until that is resolved",
                chain.name,
                report.problem.map_or_else(String::new, |p| p.to_string())
            )));
        };
        let last = chain.entries.last().ok_or_else(not_a_ledger)?;
        save_book(tx, chain_id, last, &mut book, true).map_err(err)?;
    }
    let mut totals = BTreeMap::new();
    let mut statement =
        tx.prepare_cached("SELECT currency, amount FROM ledger_totals WHERE chain_id = ?1").map_err(err)?;
    let rows =
        statement.query_map([chain_id], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))).map_err(err)?;
    for row in rows {
        let (code, amount) = row.map_err(err)?;
        let currency = Currency::parse(&code).map_err(|m| corrupt(dir, chain_id, &m))?;
        totals.insert(currency, parse_balance(&amount, currency).map_err(|m| corrupt(dir, chain_id, &m))?);
    }
    let mut pending = BTreeMap::new();
    let mut statement = tx
        .prepare_cached(
            "SELECT p.idx, p.approved_by, e.y_state FROM ledger_pending p
             JOIN entries e ON e.chain_id = p.chain_id AND e.idx = p.idx WHERE p.chain_id = ?1",
        )
        .map_err(err)?;
    let rows = statement
        .query_map([chain_id], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, Option<String>>(2)?))
        })
        .map_err(err)?;
    for row in rows {
        let (index, approved_by, state) = row.map_err(err)?;
        let state = state.and_then(|t| crate::core::json::parse(&t).ok());
        let operation = Operation::from_states(None, state.as_ref()).map_err(|m| corrupt(dir, chain_id, &m))?;
        let approved_by: Vec<String> =
            serde_json::from_str(&approved_by).map_err(|e| corrupt(dir, chain_id, &e.to_string()))?;
        pending.insert(index as u64, Pending { payment: operation.payment, approved_by });
    }
    Ok(Book::partial(chain_id, setup, HashMap::new(), totals, pending))
}

fn corrupt(dir: &std::path::Path, chain_id: &str, message: &str) -> Error {
    Error::Store {
        path: dir.to_owned(),
        message: format!("ledger {chain_id}: the saved book is unreadable ({message})"),
    }
}

/// Loads the balances `intent` touches into `book` (zero for a new account).
fn load_accounts(
    tx: &rusqlite::Transaction<'_>,
    dir: &std::path::Path,
    chain_id: &str,
    book: &mut Book,
    intent: &Intent<'_>,
) -> Result<()> {
    let Some(payment) = intent.payment(book) else { return Ok(()) };
    let keys: Vec<Key> =
        payment.from.iter().chain(&payment.to).map(|account| (account.clone(), payment.currency)).collect();
    let mut statement = tx
        .prepare_cached("SELECT amount FROM ledger_balances WHERE chain_id = ?1 AND account = ?2 AND currency = ?3")
        .map_err(|e| store_error(dir, e))?;
    for key in keys {
        if book.has_balance(&key) {
            continue;
        }
        let amount: Option<String> = statement
            .query_row(params![chain_id, key.0, key.1.code()], |row| row.get(0))
            .optional()
            .map_err(|e| store_error(dir, e))?;
        let value = match amount {
            Some(text) => parse_balance(&text, key.1).map_err(|m| corrupt(dir, chain_id, &m))?,
            None => Decimal::ZERO,
        };
        book.load_balance(key, value);
    }
    Ok(())
}

/// Writes the book as of `head`: the balances that changed (all of them
/// when `whole`, replacing what was saved), totals and pending transfers.
fn save_book(
    tx: &rusqlite::Transaction<'_>,
    chain_id: &str,
    head: &Entry,
    book: &mut Book,
    whole: bool,
) -> rusqlite::Result<()> {
    if whole {
        tx.execute("DELETE FROM ledger_balances WHERE chain_id = ?1", [chain_id])?;
        for (account, currencies) in book.accounts() {
            for (currency, value) in currencies {
                write_balance(tx, chain_id, &account, currency, value)?;
            }
        }
    } else {
        for ((account, currency), value) in book.take_dirty() {
            write_balance(tx, chain_id, &account, currency, value)?;
        }
    }
    tx.execute("DELETE FROM ledger_totals WHERE chain_id = ?1", [chain_id])?;
    for (currency, value) in book.totals() {
        tx.execute(
            "INSERT INTO ledger_totals (chain_id, currency, amount) VALUES (?1, ?2, ?3)",
            params![chain_id, currency.code(), format_amount(*value, *currency)],
        )?;
    }
    tx.execute("DELETE FROM ledger_pending WHERE chain_id = ?1", [chain_id])?;
    for (index, pending) in book.pending() {
        let approved_by = serde_json::to_string(&pending.approved_by).expect("strings serialise");
        tx.execute(
            "INSERT INTO ledger_pending (chain_id, idx, approved_by) VALUES (?1, ?2, ?3)",
            params![chain_id, *index as i64, approved_by],
        )?;
    }
    tx.execute(
        "INSERT INTO ledger_heads (chain_id, idx, y) VALUES (?1, ?2, ?3)
         ON CONFLICT (chain_id) DO UPDATE SET idx = excluded.idx, y = excluded.y",
        params![chain_id, head.index as i64, head.y],
    )?;
    Ok(())
}

fn write_balance(
    tx: &rusqlite::Transaction<'_>,
    chain_id: &str,
    account: &str,
    currency: Currency,
    value: Decimal,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO ledger_balances (chain_id, account, currency, amount) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (chain_id, account, currency) DO UPDATE SET amount = excluded.amount",
    )?
    .execute(params![chain_id, account, currency.code(), format_amount(value, currency)])?;
    Ok(())
}

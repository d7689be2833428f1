//! The book: balances replayed from a ledger's operations, and the one
//! judge of whether an operation follows from the book before it.
//!
//! Verification replays a whole chain through [`Book::apply`]; the store
//! applies every new entry through the same function before it commits, so
//! what pruv records is exactly what pruv verifies.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rust_decimal::Decimal;

use super::amount::{Currency, format_amount};
use super::controls;
use super::state::{Balances, Operation, OperationKind, Payment, Setup};

/// Where the books stop balancing: the entry, and the account when one is to blame.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub entry: u64,
    pub account: Option<String>,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.account {
            Some(account) => write!(f, "entry {}, account {account}: {}", self.entry, self.message),
            None => write!(f, "entry {}: {}", self.entry, self.message),
        }
    }
}

/// A transfer waiting for approvals: the public keys that approved it so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub payment: Payment,
    pub approved_by: Vec<String>,
}

/// What the book has seen: the figures a verification report gives.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub operations: u64,
    pub deposits: u64,
    pub withdrawals: u64,
    pub transfers: u64,
    pub approvals: u64,
    /// The sum of applied transfers, per currency.
    pub volume: BTreeMap<Currency, Decimal>,
}

pub type Key = (String, Currency);

#[derive(Debug, Clone)]
pub struct Book {
    pub chain_id: String,
    pub setup: Setup,
    balances: HashMap<Key, Decimal>,
    totals: BTreeMap<Currency, Decimal>,
    pending: BTreeMap<u64, Pending>,
    /// Replayed from entry 0, so an account never seen holds zero. A book
    /// the store loads holds only the accounts an operation touches.
    complete: bool,
    dirty: BTreeSet<Key>,
    /// An account a partial book was asked for but not given: a bug in the
    /// caller, reported by [`Book::apply`] instead of a wrong balance.
    unloaded: std::cell::RefCell<Option<Key>>,
    pub tally: Tally,
}

impl Book {
    /// The empty book of a ledger opened with `setup`.
    pub fn open(chain_id: &str, setup: Setup) -> Book {
        let totals = setup.currencies.iter().map(|c| (*c, Decimal::ZERO)).collect();
        Book {
            chain_id: chain_id.to_owned(),
            setup,
            balances: HashMap::new(),
            totals,
            pending: BTreeMap::new(),
            complete: true,
            dirty: BTreeSet::new(),
            unloaded: std::cell::RefCell::new(None),
            tally: Tally::default(),
        }
    }

    /// A book of some accounts only (what the store loads for one operation):
    /// `balances` must hold every account the operations will touch.
    pub fn partial(
        chain_id: &str,
        setup: Setup,
        balances: HashMap<Key, Decimal>,
        totals: BTreeMap<Currency, Decimal>,
        pending: BTreeMap<u64, Pending>,
    ) -> Book {
        Book {
            chain_id: chain_id.to_owned(),
            setup,
            balances,
            totals,
            pending,
            complete: false,
            dirty: BTreeSet::new(),
            unloaded: std::cell::RefCell::new(None),
            tally: Tally::default(),
        }
    }

    pub fn balance(&self, account: &str, currency: Currency) -> Decimal {
        match self.balances.get(&(account.to_owned(), currency)) {
            Some(value) => *value,
            None if self.complete => Decimal::ZERO,
            None => {
                self.unloaded.borrow_mut().get_or_insert((account.to_owned(), currency));
                Decimal::ZERO
            }
        }
    }

    /// Whether the book knows this balance (a partial book: whether it was loaded).
    pub fn has_balance(&self, key: &Key) -> bool {
        self.complete || self.balances.contains_key(key)
    }

    /// Adds a balance the store read to a partial book.
    pub fn load_balance(&mut self, key: Key, value: Decimal) {
        self.balances.insert(key, value);
    }

    pub fn total(&self, currency: Currency) -> Decimal {
        self.totals.get(&currency).copied().unwrap_or_default()
    }

    pub fn totals(&self) -> &BTreeMap<Currency, Decimal> {
        &self.totals
    }

    pub fn pending(&self) -> &BTreeMap<u64, Pending> {
        &self.pending
    }

    /// Every account's balances, by account then currency (zero balances of
    /// accounts that moved are kept: the account exists).
    pub fn accounts(&self) -> BTreeMap<String, BTreeMap<Currency, Decimal>> {
        let mut out: BTreeMap<String, BTreeMap<Currency, Decimal>> = BTreeMap::new();
        for ((account, currency), value) in &self.balances {
            out.entry(account.clone()).or_default().insert(*currency, *value);
        }
        out
    }

    /// The balances changed since the last call (what the store writes back).
    pub fn take_dirty(&mut self) -> Vec<(Key, Decimal)> {
        let dirty = std::mem::take(&mut self.dirty);
        dirty
            .into_iter()
            .map(|key| {
                let value = self.balances[&key];
                (key, value)
            })
            .collect()
    }

    /// Balances the payment would leave its accounts with; refuses an
    /// overdraft of an account not allowed one.
    pub fn preview(&self, payment: &Payment) -> Result<Balances, String> {
        let mut after =
            Balances { total: self.total(payment.currency) + payment.total_change(), ..Balances::default() };
        if let Some(from) = &payment.from {
            let left = self.balance(from, payment.currency) - payment.amount;
            if left.is_sign_negative() && !left.is_zero() && !self.setup.may_overdraw(from) {
                return Err(format!(
                    "{from} holds {} {}, less than {}; the ledger does not allow {from} to overdraw",
                    format_amount(self.balance(from, payment.currency), payment.currency),
                    payment.currency,
                    format_amount(payment.amount, payment.currency),
                ));
            }
            after.accounts.insert(from.clone(), left);
        }
        if let Some(to) = &payment.to {
            after.accounts.insert(to.clone(), self.balance(to, payment.currency) + payment.amount);
        }
        Ok(after)
    }

    /// The balances of the accounts `payment` touches, as they stand.
    pub fn current(&self, payment: &Payment) -> Balances {
        let accounts =
            payment.from.iter().chain(&payment.to).map(|a| (a.clone(), self.balance(a, payment.currency))).collect();
        Balances { accounts, total: self.total(payment.currency) }
    }

    /// Judges entry `index` against the book and, when it holds, applies it.
    pub fn apply(&mut self, index: u64, op: &Operation) -> Result<(), Problem> {
        let judged = self.judge(index, op);
        // Only a partial book can miss an account, and a caller that gets this
        // error discards the book (the store rolls its transaction back).
        let unloaded = self.unloaded.borrow_mut().take();
        if let Some((account, currency)) = unloaded {
            return Err(Problem {
                entry: index,
                account: Some(account.clone()),
                message: format!(
                    "the {currency} balance of {account} was not loaded (a bug in pruv: nothing was recorded)"
                ),
            });
        }
        judged
    }

    fn judge(&mut self, index: u64, op: &Operation) -> Result<(), Problem> {
        let problem = |account: Option<&str>, message: String| Problem {
            entry: index,
            account: account.map(str::to_owned),
            message,
        };
        let payment = &op.payment;
        if !self.setup.holds(payment.currency) {
            return Err(problem(None, format!("the ledger does not hold {}", payment.currency)));
        }
        let needed = self.setup.approvals_needed(payment);
        // An approval short of the quorum adds its approver to the pending transfer.
        let mut still_pending = None;
        let quorum = match op.kind {
            OperationKind::Deposit | OperationKind::Withdraw => {
                if !op.approvals.is_empty() {
                    return Err(problem(None, format!("a {} carries no approvals", op.kind.as_str())));
                }
                true
            }
            OperationKind::Transfer => {
                let keys = self.approvers(index, index, op).map_err(|m| problem(None, m))?;
                keys.len() >= needed as usize
            }
            OperationKind::Approve => {
                let approved = op.approves.unwrap_or_default();
                let Some(waiting) = self.pending.get(&approved) else {
                    return Err(problem(None, format!("approves entry {approved}, which is no pending transfer")));
                };
                if waiting.payment != *payment {
                    return Err(problem(None, format!("describes another transfer than entry {approved} recorded")));
                }
                if op.approvals.len() != 1 {
                    return Err(problem(None, "an approval entry carries exactly one approval".into()));
                }
                let mut keys = waiting.approved_by.clone();
                for key in self.approvers(index, approved, op).map_err(|m| problem(None, m))? {
                    if keys.contains(&key) {
                        return Err(problem(
                            None,
                            format!("{} already approved entry {approved}", op.approvals[0].signer_id),
                        ));
                    }
                    keys.push(key);
                }
                let quorum = keys.len() >= needed as usize;
                if !quorum {
                    still_pending = Some((approved, Pending { payment: payment.clone(), approved_by: keys }));
                }
                quorum
            }
        };
        if op.applied != quorum {
            let message = if op.applied {
                format!("moved money with fewer than the {needed} approvals the ledger requires above its threshold")
            } else {
                "recorded as pending although nothing more is needed for it to count".into()
            };
            return Err(problem(None, message));
        }
        if !op.applied {
            if op.before.is_some() || op.after.is_some() {
                return Err(problem(None, "a pending operation moves no balances".into()));
            }
            if op.kind == OperationKind::Transfer {
                let approved_by = op.approvals.iter().map(|a| a.public_key.clone()).collect();
                still_pending = Some((index, Pending { payment: payment.clone(), approved_by }));
            }
            if let Some((transfer, pending)) = still_pending {
                self.pending.insert(transfer, pending);
            }
            self.count(op, false);
            return Ok(());
        }
        let (Some(before), Some(after)) = (&op.before, &op.after) else {
            return Err(problem(None, "an applied operation records the balances before and after".into()));
        };
        let expected_before = self.current(payment);
        let touched: BTreeSet<&String> = expected_before.accounts.keys().collect();
        for (side, balances) in [("before", before), ("after", after)] {
            if let Some(extra) = balances.accounts.keys().find(|a| !touched.contains(a)) {
                return Err(problem(
                    Some(extra),
                    format!("has a balance {side} the operation, which does not touch it"),
                ));
            }
        }
        for (account, value) in &expected_before.accounts {
            match before.accounts.get(account) {
                Some(recorded) if recorded == value => {}
                recorded => {
                    return Err(problem(
                        Some(account),
                        format!(
                            "the balance before is recorded as {}, but the entries before it leave {}",
                            recorded.map_or("nothing".into(), |r| format_amount(*r, payment.currency)),
                            format_amount(*value, payment.currency)
                        ),
                    ));
                }
            }
        }
        if before.total != expected_before.total {
            return Err(problem(
                None,
                format!(
                    "the {} total before is recorded as {}, but the entries before it leave {}",
                    payment.currency,
                    format_amount(before.total, payment.currency),
                    format_amount(expected_before.total, payment.currency)
                ),
            ));
        }
        let expected_after = self.preview(payment).map_err(|m| problem(payment.from.as_deref(), m))?;
        for (account, value) in &expected_after.accounts {
            if after.accounts.get(account) != Some(value) {
                return Err(problem(
                    Some(account),
                    format!(
                        "the balance after is recorded as {}, but {} {} {} leaves {}",
                        after.accounts.get(account).map_or("nothing".into(), |r| format_amount(*r, payment.currency)),
                        op.kind.as_str(),
                        format_amount(payment.amount, payment.currency),
                        payment.currency,
                        format_amount(*value, payment.currency)
                    ),
                ));
            }
        }
        if after.total != expected_after.total {
            let rule = match payment.kind() {
                OperationKind::Transfer => "a transfer conserves the total".to_owned(),
                kind => format!("a {} changes the total by exactly its amount", kind.as_str()),
            };
            return Err(problem(
                None,
                format!(
                    "the {} total after is recorded as {}, expected {} ({rule})",
                    payment.currency,
                    format_amount(after.total, payment.currency),
                    format_amount(expected_after.total, payment.currency)
                ),
            ));
        }
        for (account, value) in &expected_after.accounts {
            let key = (account.clone(), payment.currency);
            self.balances.insert(key.clone(), *value);
            self.dirty.insert(key);
        }
        self.totals.insert(payment.currency, expected_after.total);
        if op.kind == OperationKind::Approve {
            self.pending.remove(&op.approves.unwrap_or_default());
        }
        self.count(op, true);
        Ok(())
    }

    /// The distinct approvers of `op`'s approvals, each checked against the
    /// ledger's pinned keys and the transfer recorded at `transfer`.
    fn approvers(&self, index: u64, transfer: u64, op: &Operation) -> Result<Vec<String>, String> {
        if op.approvals.is_empty() {
            return Ok(Vec::new());
        }
        let Some(controls) = &self.setup.controls else {
            return Err(format!("entry {index} carries approvals, but the ledger has no approvers"));
        };
        let message = controls::approval_message(&self.chain_id, transfer, &op.payment);
        let mut keys = Vec::new();
        for approval in &op.approvals {
            let key = controls::check(controls, approval, &message)?;
            if keys.contains(&key) {
                return Err(format!("{} approved twice", approval.signer_id));
            }
            keys.push(key);
        }
        Ok(keys)
    }

    fn count(&mut self, op: &Operation, applied: bool) {
        self.tally.operations += 1;
        match op.kind {
            OperationKind::Deposit => self.tally.deposits += 1,
            OperationKind::Withdraw => self.tally.withdrawals += 1,
            OperationKind::Transfer => self.tally.transfers += 1,
            OperationKind::Approve => self.tally.approvals += 1,
        }
        if applied && op.payment.kind() == OperationKind::Transfer {
            *self.tally.volume.entry(op.payment.currency).or_default() += op.payment.amount;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::sign::SecretKey;
    use crate::ledger::amount::parse_amount;
    use crate::ledger::controls::approve;
    use crate::ledger::plan::{Intent, operation};
    use crate::ledger::state::{Controls, Operation};

    fn key(seed: u8, name: &str) -> SecretKey {
        SecretKey::from_seed([seed; 32], Some(name.into()))
    }

    /// A ledger whose USD transfers above 100 need 2 of cfo and ceo, with 1000 in `ops`.
    fn funded() -> (Book, Currency) {
        let usd = Currency::parse("USD").unwrap();
        let approvers = [key(1, "cfo"), key(2, "ceo")].map(|k| (k.signer_id.clone(), k.public().to_base64()));
        let setup = Setup {
            name: "t".into(),
            currencies: vec![usd],
            overdraft: vec![],
            controls: Some(Controls {
                thresholds: [(usd, parse_amount("100", usd).unwrap())].into(),
                required: 2,
                approvers: approvers.to_vec(),
            }),
        };
        let mut book = Book::open("0123456789ab", setup);
        let deposit = pay(usd, "1000", None, Some("ops"));
        let op = operation(&book, 1, &Intent::Pay { payment: deposit, approvers: vec![] }).unwrap();
        book.apply(1, &op).unwrap();
        (book, usd)
    }

    fn pay(currency: Currency, amount: &str, from: Option<&str>, to: Option<&str>) -> Payment {
        Payment::new(currency, parse_amount(amount, currency).unwrap(), from, to)
    }

    /// Each rule of `apply`, broken once: (what, the operation, the message it must give).
    #[test]
    fn each_rule_refuses_what_breaks_it() {
        let (book, usd) = funded();
        let big = pay(usd, "500", Some("ops"), Some("vendor"));
        let (cfo, ceo, eve) = (key(1, "cfo"), key(2, "ceo"), key(3, "eve"));
        let planned = |payment: &Payment, approvers: Vec<&SecretKey>| {
            operation(&book, 2, &Intent::Pay { payment: payment.clone(), approvers }).unwrap()
        };
        let mut cases: Vec<(&str, Operation, &str)> = Vec::new();

        let mut one_approval = planned(&big, vec![&cfo]);
        one_approval.applied = true;
        one_approval.before = Some(book.current(&big));
        one_approval.after = Some(book.preview(&big).unwrap());
        cases.push(("moved without the quorum", one_approval, "fewer than the 2 approvals"));

        let mut stranger = planned(&big, vec![&cfo, &ceo]);
        stranger.approvals[1] = approve(&eve, "0123456789ab", 2, &big);
        cases.push(("an approver not pinned", stranger, "not by one of the ledger's approvers"));

        let mut forged = planned(&big, vec![&cfo, &ceo]);
        forged.approvals[1] = approve(&ceo, "0123456789ab", 2, &pay(usd, "5", Some("ops"), Some("vendor")));
        cases.push(("a signature over another transfer", forged, "approval by ceo"));

        let mut replayed = planned(&big, vec![&cfo, &ceo]);
        replayed.approvals[1] = approve(&ceo, "0123456789ab", 7, &big);
        cases.push(("a signature for another entry", replayed, "approval by ceo"));

        let mut twice = planned(&big, vec![&cfo, &ceo]);
        twice.approvals[1] = twice.approvals[0].clone();
        cases.push(("one approver twice", twice, "approved twice"));

        let mut held_back = planned(&big, vec![&cfo, &ceo]);
        held_back.applied = false;
        held_back.before = None;
        held_back.after = None;
        cases.push(("pending with its quorum", held_back, "recorded as pending although"));

        let small = pay(usd, "1500", Some("ops"), None);
        let mut overdraft = planned(&pay(usd, "10", Some("ops"), None), vec![]);
        overdraft.payment = small.clone();
        overdraft.after = Some(Balances {
            accounts: [("ops".to_owned(), book.balance("ops", usd) - small.amount)].into(),
            total: book.total(usd) - small.amount,
        });
        cases.push(("an overdraft", overdraft, "does not allow ops to overdraw"));

        let mut creation = planned(&pay(usd, "50", Some("ops"), Some("vendor")), vec![]);
        creation.after.as_mut().unwrap().total += Decimal::ONE;
        cases.push(("a transfer that creates money", creation, "a transfer conserves the total"));

        let mut lost = planned(&pay(usd, "50", None, Some("vendor")), vec![]);
        lost.after.as_mut().unwrap().total -= Decimal::ONE;
        cases.push(("a deposit that loses money", lost, "changes the total by exactly its amount"));

        let mut signed_deposit = planned(&pay(usd, "50", None, Some("vendor")), vec![]);
        signed_deposit.approvals.push(approve(&cfo, "0123456789ab", 2, &signed_deposit.payment));
        cases.push(("approvals on a deposit", signed_deposit, "carries no approvals"));

        let mut stray = planned(&pay(usd, "50", Some("ops"), Some("vendor")), vec![]);
        stray.before.as_mut().unwrap().accounts.insert("bystander".into(), Decimal::ZERO);
        cases.push(("a balance of an account not touched", stray, "does not touch it"));

        let mut orphan = planned(&big, vec![&cfo]);
        orphan.kind = OperationKind::Approve;
        orphan.approves = Some(1);
        cases.push(("approving what is not pending", orphan, "no pending transfer"));

        let mut foreign = planned(&pay(usd, "50", Some("ops"), Some("vendor")), vec![]);
        foreign.payment.currency = Currency::parse("EUR").unwrap();
        cases.push(("a currency the ledger does not hold", foreign, "does not hold EUR"));

        for (what, op, message) in cases {
            let mut judged = book.clone();
            let problem = judged.apply(2, &op).expect_err(what);
            assert!(problem.message.contains(message), "{what}: {}", problem.message);
            assert_eq!(problem.entry, 2, "{what}");
        }
    }

    #[test]
    fn a_quorum_reached_by_later_approvals_moves_the_money_then() {
        let (mut book, usd) = funded();
        let big = pay(usd, "500", Some("ops"), Some("vendor"));
        let (cfo, ceo) = (key(1, "cfo"), key(2, "ceo"));
        let pending = operation(&book, 2, &Intent::Pay { payment: big, approvers: vec![&cfo] }).unwrap();
        assert!(!pending.applied);
        book.apply(2, &pending).unwrap();
        assert_eq!(book.balance("ops", usd), parse_amount("1000", usd).unwrap());
        let approval = operation(&book, 3, &Intent::Approve { transfer: 2, approver: &ceo }).unwrap();
        assert!(approval.applied);
        book.apply(3, &approval).unwrap();
        assert_eq!(book.balance("vendor", usd), parse_amount("500", usd).unwrap());
        assert!(book.pending().is_empty());
        assert_eq!(book.tally.volume[&usd], parse_amount("500", usd).unwrap());
    }
}

#[cfg(test)]
mod partial_tests {
    use super::*;

    #[test]
    fn a_partial_book_missing_an_account_refuses_instead_of_guessing() {
        let usd = Currency::parse("USD").unwrap();
        let setup = Setup { name: "t".into(), currencies: vec![usd], overdraft: vec![], controls: None };
        let loaded = [(("ops".to_owned(), usd), Decimal::new(10_000, 2))].into();
        let mut book = Book::partial("c", setup, loaded, [(usd, Decimal::new(10_000, 2))].into(), BTreeMap::new());
        let payment = Payment::new(usd, Decimal::new(500, 2), Some("ops"), Some("vendor"));
        let op =
            crate::ledger::plan::operation(&book, 5, &crate::ledger::plan::Intent::Pay { payment, approvers: vec![] })
                .unwrap();
        let problem = book.apply(5, &op).unwrap_err();
        assert_eq!(problem.account.as_deref(), Some("vendor"));
        assert!(problem.message.contains("was not loaded"), "{}", problem.message);
    }
}

//! Properties of ledgers: any sequence of valid operations verifies and
//! conserves every currency; any single edited amount, balance or account,
//! and any deleted entry, is caught at its entry. Also the original SDK's
//! payment example, whose receipt is a snapshot.

use proptest::prelude::*;
use pruv::core::chain::Chain;
use pruv::core::entry::Transition;
use pruv::core::hash::{proof_hash, state_hash};
use pruv::core::json::{Number, Value};
use pruv::ledger::amount::{Currency, format_amount, parse_amount};
use pruv::ledger::book::Book;
use pruv::ledger::plan::Intent;
use pruv::ledger::state::{Payment, Setup};
use pruv::ledger::verify::verify;
use rust_decimal::Decimal;

const ACCOUNTS: [&str; 4] = ["alice", "bob", "carol", "merchant"];

fn currencies() -> Vec<Currency> {
    vec![Currency::parse("USD").unwrap(), Currency::parse("JPY").unwrap()]
}

fn open(overdraft: &[&str]) -> (Chain, Book) {
    let setup = Setup {
        name: "p".into(),
        currencies: currencies(),
        overdraft: overdraft.iter().map(|s| s.to_string()).collect(),
        controls: None,
    };
    let mut chain = Chain::new("0123456789ab", "ledger/p");
    let mut first = Transition::new("open", Some(setup.to_state()));
    first.timestamp = Some(Number::from(1_700_000_000u64));
    chain.append(first, None);
    let book = Book::open(&chain.id, setup);
    (chain, book)
}

fn payment(currency: Currency, amount: &str, from: Option<&str>, to: Option<&str>) -> Payment {
    Payment::new(currency, parse_amount(amount, currency).unwrap(), from, to)
}

/// (kind 0 deposit / 1 withdraw / 2 transfer, from, to, minor units, currency)
type Step = (u8, usize, usize, u64, usize);

fn any_steps() -> impl Strategy<Value = Vec<Step>> {
    proptest::collection::vec((0u8..3, 0usize..4, 0usize..4, 1u64..1_000_000, 0usize..2), 1..40)
}

/// Appends the steps the book accepts (overdrafts and self-transfers are refused and skipped).
fn build(steps: &[Step]) -> (Chain, Book) {
    let (mut chain, mut book) = open(&[]);
    for (i, &(kind, a, b, units, c)) in steps.iter().enumerate() {
        let currency = currencies()[c];
        let amount = Decimal::new(units as i64, currency.minor_unit()).to_string();
        let (from, to) = match kind {
            0 => (None, Some(ACCOUNTS[a])),
            1 => (Some(ACCOUNTS[a]), None),
            _ => (Some(ACCOUNTS[a]), Some(ACCOUNTS[b])),
        };
        let intent = Intent::Pay { payment: payment(currency, &amount, from, to), approvers: vec![] };
        let at = Some(Number::from(1_700_000_001 + i as u64));
        let _ = pruv::ledger::append(&mut chain, &mut book, &intent, at);
    }
    (chain, book)
}

/// Recomputes every hash from entry `from` on, as a forger rewriting the chain would.
fn reseal(chain: &mut Chain, from: usize) {
    for i in from..chain.entries.len() {
        let previous = if i == 0 { pruv::core::hash::GENESIS.to_owned() } else { chain.entries[i - 1].y.clone() };
        let entry = &mut chain.entries[i];
        entry.index = i as u64;
        entry.x = previous;
        entry.y = state_hash(entry.y_state.as_ref().unwrap());
        entry.xy = proof_hash(&entry.x, &entry.operation, &entry.y, &entry.timestamp);
    }
}

fn field<'a>(state: &'a mut Option<Value>, path: &[&str]) -> &'a mut Value {
    let mut at = state.as_mut().unwrap();
    for key in path {
        let Value::Object(map) = at else { panic!("not an object at {key}") };
        at = map.get_mut(*key).unwrap();
    }
    at
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn valid_operations_verify_and_conserve_every_currency(steps in any_steps()) {
        let (chain, book) = build(&steps);
        let report = verify(&chain);
        prop_assert!(report.valid, "{:?}", report.problem);
        prop_assert_eq!(report.verified, chain.entries.len() as u64);
        for currency in currencies() {
            // The total is exactly deposits minus withdrawals, and the sum of all balances.
            let mut expected = Decimal::ZERO;
            for entry in chain.entries.iter().skip(1) {
                let op = pruv::ledger::state::Operation::from_states(entry.x_state.as_ref(), entry.y_state.as_ref()).unwrap();
                if op.payment.currency == currency {
                    expected += op.payment.total_change();
                }
            }
            let sum: Decimal = book.accounts().values().filter_map(|c| c.get(&currency)).sum();
            prop_assert_eq!(book.total(currency), expected);
            prop_assert_eq!(sum, expected);
            prop_assert!(!sum.is_sign_negative() || sum.is_zero());
            let reported = report.totals.get(currency.code()).cloned();
            prop_assert_eq!(reported, Some(format_amount(expected, currency)));
        }
    }

    #[test]
    fn any_single_edit_is_caught_at_its_entry(steps in any_steps(), pick in any::<prop::sample::Index>(), what in 0u8..5) {
        let (mut chain, _) = build(&steps);
        prop_assume!(chain.entries.len() > 1);
        let at = 1 + pick.index(chain.entries.len() - 1);
        let entry = &mut chain.entries[at];
        let currency = Currency::parse(field(&mut entry.y_state, &["currency"]).as_str().unwrap()).unwrap();
        let bump = |text: &str| {
            let value = pruv::ledger::amount::parse_balance(text, currency).unwrap();
            format_amount(value + Decimal::new(1, currency.minor_unit()), currency)
        };
        let first_account = |state: &mut Option<Value>| match field(state, &["balances"]) {
            Value::Object(map) => map.keys().next().unwrap().clone(),
            _ => unreachable!(),
        };
        let mut expected_account = None;
        match what {
            // The amount moved.
            0 => {
                let amount = field(&mut entry.y_state, &["amount"]);
                *amount = bump(amount.as_str().unwrap()).into();
            }
            // A balance after.
            1 => {
                let account = first_account(&mut entry.y_state);
                let balance = field(&mut entry.y_state, &["balances", &account]);
                *balance = bump(balance.as_str().unwrap()).into();
                expected_account = Some(account);
            }
            // A balance before (outside the xy/1 proof: no reseal needed to reach the ledger's check).
            2 => {
                let account = first_account(&mut entry.x_state);
                let balance = field(&mut entry.x_state, &["balances", &account]);
                *balance = bump(balance.as_str().unwrap()).into();
                expected_account = Some(account);
            }
            // The account: money sent elsewhere than the balances say.
            3 => {
                let side = if matches!(field(&mut entry.y_state, &["to"]), Value::Null) { "from" } else { "to" };
                *field(&mut entry.y_state, &[side]) = "mallory".into();
            }
            // A deleted entry: the links break where it was. (Cutting off the last
            // entry is truncation, which a signed head catches: `chain export --sign`.)
            _ => {
                prop_assume!(at + 1 < chain.entries.len());
                chain.entries.remove(at);
                let report = verify(&chain);
                prop_assert!(!report.valid);
                prop_assert_eq!(report.problem.map(|p| p.entry), Some(at as u64));
                return Ok(());
            }
        }
        // Unsealed, the state hash breaks at the entry; resealed, the books do.
        let unsealed = verify(&chain);
        prop_assert_eq!(unsealed.problem.as_ref().map(|p| p.entry), Some(at as u64), "{:?}", unsealed.problem);
        reseal(&mut chain, at);
        let resealed = verify(&chain);
        prop_assert!(!resealed.valid);
        let problem = resealed.problem.unwrap();
        prop_assert_eq!(problem.entry, at as u64, "{}", problem.message);
        if let Some(account) = expected_account {
            prop_assert_eq!(problem.account, Some(account));
        }
    }
}

#[test]
fn the_seed_example_gives_its_balances_volume_and_receipt() {
    let usd = Currency::parse("USD").unwrap();
    let setup = Setup { name: "shop".into(), currencies: vec![usd], overdraft: vec![], controls: None };
    let mut chain = Chain::new("5eed5eed5eed", "ledger/shop");
    let mut first = Transition::new("open", Some(setup.to_state()));
    first.timestamp = Some(Number::from(1_767_225_600u64));
    chain.append(first, None);
    let mut book = Book::open(&chain.id, setup);
    let mut deposit = payment(usd, "10000.00", None, Some("merchant"));
    deposit.source = Some("bank".into());
    deposit.reference = Some("seed".into());
    let mut first_sale = payment(usd, "189.00", Some("merchant"), Some("alice"));
    first_sale.reference = Some("INV-1".into());
    let mut second_sale = payment(usd, "64.50", Some("merchant"), Some("bob"));
    second_sale.reference = Some("INV-2".into());
    for (i, p) in [deposit, first_sale, second_sale].into_iter().enumerate() {
        let at = Some(Number::from(1_767_225_601 + i as u64));
        pruv::ledger::append(&mut chain, &mut book, &Intent::Pay { payment: p, approvers: vec![] }, at).unwrap();
    }
    let report = verify(&chain);
    assert!(report.valid);
    let balance = |a: &str| report.balances[a]["USD"].clone();
    assert_eq!(
        (balance("merchant"), balance("alice"), balance("bob")),
        ("9746.50".into(), "189.00".into(), "64.50".into())
    );
    assert_eq!(report.volume["USD"], "253.50");

    let identities: Vec<Chain> = vec![];
    let inputs = pruv::receipt::Inputs {
        identities: &identities,
        scan: None,
        claimed_scan_data: None,
        ledger_entry: Some(2),
        timestamp: "2026-01-01T00:00:10Z".into(),
    };
    let receipt = pruv::receipt::Receipt::build(&chain, &inputs).unwrap();
    assert!(receipt.all_passed());
    insta::assert_snapshot!("seed_payment_receipt", pruv::receipt::render::text::render(&receipt));
    let document = receipt.to_value();
    let checked =
        pruv::receipt::verify::verify(&document, "receipt", &pruv::core::verify::VerifyOptions::default()).unwrap();
    assert!(checked.ok, "{checked:?}");
}

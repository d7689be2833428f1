//! The states a ledger chain's entries carry, built and read back with
//! messages that name the field.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::amount::{Currency, format_amount, parse_amount, parse_balance};
use super::{LEDGER_TYPE, OPERATION_TYPE, validate_account};
use crate::core::json::{Map, Value};
use crate::typed_state::{Fields, object, optional, strings};

/// Entry 0: what the ledger is and the rules it is kept by. The rules are
/// recorded in the chain, so an exported ledger is judged by the rules it
/// was opened with, not by whatever configuration a verifier has at hand.
#[derive(Debug, Clone, PartialEq)]
pub struct Setup {
    pub name: String,
    pub currencies: Vec<Currency>,
    /// Accounts whose balance may go below zero.
    pub overdraft: Vec<String>,
    pub controls: Option<Controls>,
}

/// Transfers above a currency's threshold count only once `required`
/// distinct approvers among `approvers` have signed them.
#[derive(Debug, Clone, PartialEq)]
pub struct Controls {
    pub thresholds: BTreeMap<Currency, Decimal>,
    pub required: u32,
    /// (signer id, Ed25519 public key in base64)
    pub approvers: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    Deposit,
    Withdraw,
    Transfer,
    /// An approval of an earlier pending transfer.
    Approve,
}

impl OperationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OperationKind::Deposit => "deposit",
            OperationKind::Withdraw => "withdraw",
            OperationKind::Transfer => "transfer",
            OperationKind::Approve => "approve",
        }
    }

    fn parse(text: &str) -> Result<OperationKind, String> {
        Ok(match text {
            "deposit" => OperationKind::Deposit,
            "withdraw" => OperationKind::Withdraw,
            "transfer" => OperationKind::Transfer,
            "approve" => OperationKind::Approve,
            other => return Err(format!("`operation` {other:?} is not deposit, withdraw, transfer or approve")),
        })
    }
}

/// What moves: `amount` of `currency` out of `from` (none for a deposit)
/// into `to` (none for a withdrawal).
#[derive(Debug, Clone, PartialEq)]
pub struct Payment {
    pub currency: Currency,
    pub amount: Decimal,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Where a deposit came from or a withdrawal went (a bank, a card processor).
    pub source: Option<String>,
    pub reference: Option<String>,
    pub memo: Option<String>,
    /// The value date an imported row gave, as written.
    pub date: Option<String>,
}

impl Payment {
    /// `amount` out of `from` into `to`, with no source, reference, memo or date.
    pub fn new(currency: Currency, amount: Decimal, from: Option<&str>, to: Option<&str>) -> Payment {
        Payment {
            currency,
            amount,
            from: from.map(str::to_owned),
            to: to.map(str::to_owned),
            source: None,
            reference: None,
            memo: None,
            date: None,
        }
    }

    /// How the ledger's total of the currency changes.
    pub fn total_change(&self) -> Decimal {
        match (&self.from, &self.to) {
            (None, Some(_)) => self.amount,
            (Some(_), None) => -self.amount,
            _ => Decimal::ZERO,
        }
    }

    pub fn kind(&self) -> OperationKind {
        match (&self.from, &self.to) {
            (None, _) => OperationKind::Deposit,
            (_, None) => OperationKind::Withdraw,
            _ => OperationKind::Transfer,
        }
    }

    /// The fields an approval signs, besides the ledger and the entry.
    pub(crate) fn fields(&self) -> [(&'static str, Value); 8] {
        [
            ("currency", self.currency.code().into()),
            ("amount", format_amount(self.amount, self.currency).into()),
            ("from", optional(self.from.as_deref())),
            ("to", optional(self.to.as_deref())),
            ("source", optional(self.source.as_deref())),
            ("reference", optional(self.reference.as_deref())),
            ("memo", optional(self.memo.as_deref())),
            ("date", optional(self.date.as_deref())),
        ]
    }

    pub fn validate(&self) -> Result<(), String> {
        for account in self.from.iter().chain(&self.to) {
            validate_account(account)?;
        }
        if self.from.is_some() && self.from == self.to {
            return Err(format!("a transfer from {} to itself moves nothing", self.from.as_deref().unwrap_or("")));
        }
        if self.from.is_none() && self.to.is_none() {
            return Err("an operation needs an account".into());
        }
        for (field, text) in [("source", &self.source), ("reference", &self.reference), ("memo", &self.memo)] {
            if text.as_ref().is_some_and(|t| t.len() > 1024 || t.chars().any(char::is_control)) {
                return Err(format!("{field} must be one line of at most 1024 bytes"));
            }
        }
        Ok(())
    }
}

/// A signature over a transfer by one of the ledger's approvers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub signer_id: String,
    pub public_key: String,
    pub signature: String,
}

/// Balances of the accounts an operation touched, in its currency, and the
/// ledger's total of that currency.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Balances {
    pub accounts: BTreeMap<String, Decimal>,
    pub total: Decimal,
}

/// One entry after entry 0.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub kind: OperationKind,
    /// For an approval, the transfer it approves, as that entry recorded it.
    pub payment: Payment,
    /// The entry an approval approves.
    pub approves: Option<u64>,
    pub approvals: Vec<Approval>,
    /// Whether the balances moved at this entry (a transfer waiting for
    /// approval, and an approval short of the quorum, move nothing).
    pub applied: bool,
    pub before: Option<Balances>,
    pub after: Option<Balances>,
}

impl Setup {
    pub fn to_state(&self) -> Value {
        let currencies: Vec<String> = self.currencies.iter().map(|c| c.code().to_owned()).collect();
        let controls = self.controls.as_ref().map_or(Value::Null, |c| {
            let thresholds: Map =
                c.thresholds.iter().map(|(cur, v)| (cur.code().to_owned(), format_amount(*v, *cur).into())).collect();
            let approvers = c
                .approvers
                .iter()
                .map(|(id, key)| object([("signer_id", id.as_str().into()), ("public_key", key.as_str().into())]));
            object([
                ("thresholds", Value::Object(thresholds)),
                ("required", u64::from(c.required).into()),
                ("approvers", Value::Array(approvers.collect())),
            ])
        });
        object([
            ("type", LEDGER_TYPE.into()),
            ("name", self.name.as_str().into()),
            ("currencies", strings(&currencies)),
            ("overdraft", strings(&self.overdraft)),
            ("controls", controls),
        ])
    }

    pub fn from_state(state: Option<&Value>) -> Result<Setup, String> {
        let fields = Fields::of(state, LEDGER_TYPE)?;
        let currencies =
            fields.strings("currencies")?.iter().map(|c| Currency::parse(c)).collect::<Result<Vec<_>, _>>()?;
        let map = state.and_then(Value::as_object).expect("Fields::of checked it is an object");
        let controls = match map.get("controls") {
            None | Some(Value::Null) => None,
            Some(Value::Object(c)) => Some(controls_from(c)?),
            Some(_) => return Err("`controls` must be an object or null".into()),
        };
        let setup =
            Setup { name: fields.string("name")?, currencies, overdraft: fields.strings("overdraft")?, controls };
        setup.validate()?;
        Ok(setup)
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.currencies.is_empty() {
            return Err("a ledger needs at least one currency".into());
        }
        self.overdraft.iter().try_for_each(|a| validate_account(a))?;
        if let Some(c) = &self.controls {
            if c.required == 0 || c.required as usize > c.approvers.len() {
                return Err(format!(
                    "controls need between 1 and {} approvals (the number of approvers), not {}",
                    c.approvers.len(),
                    c.required
                ));
            }
            if let Some(currency) = c.thresholds.keys().find(|cur| !self.currencies.contains(cur)) {
                return Err(format!("a threshold is set for {currency}, which the ledger does not hold"));
            }
            if let Some((currency, _)) = c.thresholds.iter().find(|(_, v)| v.is_sign_negative() && !v.is_zero()) {
                return Err(format!("the {currency} approval threshold is negative"));
            }
            // Approvals count by key: one key under two names would make a quorum unreachable.
            let mut keys: Vec<&String> = c.approvers.iter().map(|(_, key)| key).collect();
            keys.sort();
            if keys.windows(2).any(|w| w[0] == w[1]) {
                return Err("two approvers have the same public key".into());
            }
        }
        Ok(())
    }

    pub fn holds(&self, currency: Currency) -> bool {
        self.currencies.contains(&currency)
    }

    pub fn may_overdraw(&self, account: &str) -> bool {
        self.overdraft.iter().any(|a| a == account)
    }

    /// How many approvals a transfer of this payment needs (0: none).
    pub fn approvals_needed(&self, payment: &Payment) -> u32 {
        match &self.controls {
            Some(c) if payment.kind() == OperationKind::Transfer => c
                .thresholds
                .get(&payment.currency)
                .filter(|threshold| payment.amount > **threshold)
                .map_or(0, |_| c.required),
            _ => 0,
        }
    }
}

fn controls_from(map: &Map) -> Result<Controls, String> {
    let mut thresholds = BTreeMap::new();
    let Some(Value::Object(t)) = map.get("thresholds") else {
        return Err("`controls.thresholds` must be an object".into());
    };
    for (code, value) in t {
        let currency = Currency::parse(code)?;
        let text = value.as_str().ok_or("`controls.thresholds` values must be decimal strings")?;
        thresholds.insert(currency, parse_balance(text, currency)?);
    }
    let required = map
        .get("required")
        .and_then(Value::as_number)
        .and_then(|n| n.as_u64())
        .and_then(|n| u32::try_from(n).ok())
        .ok_or("`controls.required` must be a whole number")?;
    let Some(Value::Array(items)) = map.get("approvers") else {
        return Err("`controls.approvers` must be an array".into());
    };
    let mut approvers = Vec::new();
    for item in items {
        let id = item.as_object().and_then(|m| m.get("signer_id")).and_then(Value::as_str);
        let key = item.as_object().and_then(|m| m.get("public_key")).and_then(Value::as_str);
        match (id, key) {
            (Some(id), Some(key)) => approvers.push((id.to_owned(), key.to_owned())),
            _ => return Err("each of `controls.approvers` needs `signer_id` and `public_key`".into()),
        }
    }
    Ok(Controls { thresholds, required, approvers })
}

fn balances_value(balances: &Balances, currency: Currency) -> (Value, Value) {
    let accounts: Map =
        balances.accounts.iter().map(|(a, v)| (a.clone(), format_amount(*v, currency).into())).collect();
    (Value::Object(accounts), format_amount(balances.total, currency).into())
}

fn balances_from(map: &Map, currency: Currency, side: &str) -> Result<Option<Balances>, String> {
    match (map.get("balances"), map.get("total")) {
        (None | Some(Value::Null), None | Some(Value::Null)) => Ok(None),
        (Some(Value::Object(accounts)), Some(Value::String(total))) => {
            let mut out = Balances { total: parse_balance(total, currency)?, ..Balances::default() };
            for (account, value) in accounts {
                let text = value.as_str().ok_or_else(|| format!("{side} balance of {account} must be a string"))?;
                out.accounts.insert(account.clone(), parse_balance(text, currency)?);
            }
            Ok(Some(out))
        }
        _ => Err(format!("{side} `balances` must be an object with a `total` string")),
    }
}

impl Operation {
    pub fn y_state(&self) -> Value {
        let mut map = Map::new();
        map.insert("type".into(), OPERATION_TYPE.into());
        map.insert("operation".into(), self.kind.as_str().into());
        for (key, value) in self.payment.fields() {
            map.insert(key.into(), value);
        }
        map.insert("approves".into(), self.approves.map_or(Value::Null, Value::from));
        let approvals = self.approvals.iter().map(|a| {
            object([
                ("signer_id", a.signer_id.as_str().into()),
                ("public_key", a.public_key.as_str().into()),
                ("signature", a.signature.as_str().into()),
            ])
        });
        map.insert("approvals".into(), Value::Array(approvals.collect()));
        map.insert("status".into(), if self.applied { "applied" } else { "pending" }.into());
        let (balances, total) = match &self.after {
            Some(after) => balances_value(after, self.payment.currency),
            None => (Value::Null, Value::Null),
        };
        map.insert("balances".into(), balances);
        map.insert("total".into(), total);
        Value::Object(map)
    }

    /// The balances before, or `None` when nothing moved.
    pub fn x_state(&self) -> Option<Value> {
        let before = self.before.as_ref()?;
        let (balances, total) = balances_value(before, self.payment.currency);
        Some(object([("balances", balances), ("total", total)]))
    }

    pub fn from_states(x_state: Option<&Value>, y_state: Option<&Value>) -> Result<Operation, String> {
        let fields = Fields::of(y_state, OPERATION_TYPE)?;
        let map = y_state.and_then(Value::as_object).expect("Fields::of checked it is an object");
        let kind = OperationKind::parse(&fields.string("operation")?)?;
        let currency = Currency::parse(&fields.string("currency")?)?;
        let payment = Payment {
            currency,
            amount: parse_amount(&fields.string("amount")?, currency)?,
            from: fields.optional_string("from")?,
            to: fields.optional_string("to")?,
            source: fields.optional_string("source")?,
            reference: fields.optional_string("reference")?,
            memo: fields.optional_string("memo")?,
            date: fields.optional_string("date")?,
        };
        payment.validate()?;
        let expected = if kind == OperationKind::Approve { OperationKind::Transfer } else { kind };
        if payment.kind() != expected {
            return Err(format!("a {} names the accounts of a {}", kind.as_str(), payment.kind().as_str()));
        }
        let approves = match map.get("approves") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => Some(n.as_u64().ok_or("`approves` must be an entry index")?),
            Some(_) => return Err("`approves` must be an entry index".into()),
        };
        if approves.is_some() != (kind == OperationKind::Approve) {
            return Err("`approves` names the transfer of an approval, and only of one".into());
        }
        let mut approvals = Vec::new();
        let Some(Value::Array(items)) = map.get("approvals") else { return Err("`approvals` must be an array".into()) };
        for item in items {
            let field = |name: &str| {
                item.as_object()
                    .and_then(|m| m.get(name))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| format!("each approval needs `{name}`"))
            };
            approvals.push(Approval {
                signer_id: field("signer_id")?,
                public_key: field("public_key")?,
                signature: field("signature")?,
            });
        }
        let applied = match fields.string("status")?.as_str() {
            "applied" => true,
            "pending" => false,
            other => return Err(format!("`status` {other:?} is neither applied nor pending")),
        };
        let after = balances_from(map, currency, "after")?;
        let before = match x_state {
            None | Some(Value::Null) => None,
            Some(Value::Object(x)) => balances_from(x, currency, "before")?,
            Some(_) => return Err("`x_state` must be an object".into()),
        };
        Ok(Operation { kind, payment, approves, approvals, applied, before, after })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_reads_back_as_written() {
        let usd = Currency::parse("USD").unwrap();
        let payment = Payment {
            currency: usd,
            amount: parse_amount("189.00", usd).unwrap(),
            from: Some("merchant".into()),
            to: Some("alice".into()),
            source: None,
            reference: Some("INV-1".into()),
            memo: Some("order 7".into()),
            date: None,
        };
        let balances = |m: &str, a: &str| Balances {
            accounts: [
                ("merchant".into(), parse_balance(m, usd).unwrap()),
                ("alice".into(), parse_balance(a, usd).unwrap()),
            ]
            .into(),
            total: parse_balance("10000", usd).unwrap(),
        };
        let operation = Operation {
            kind: OperationKind::Transfer,
            payment,
            approves: None,
            approvals: vec![],
            applied: true,
            before: Some(balances("10000", "0")),
            after: Some(balances("9811", "189")),
        };
        let y = operation.y_state();
        assert_eq!(y.as_object().unwrap()["balances"].as_object().unwrap()["merchant"].as_str(), Some("9811.00"));
        assert_eq!(Operation::from_states(operation.x_state().as_ref(), Some(&y)).unwrap(), operation);
    }

    #[test]
    fn a_setup_reads_back_and_its_controls_are_checked() {
        let usd = Currency::parse("USD").unwrap();
        let mut setup = Setup {
            name: "shop".into(),
            currencies: vec![usd],
            overdraft: vec!["bank".into()],
            controls: Some(Controls {
                thresholds: [(usd, parse_balance("1000", usd).unwrap())].into(),
                required: 1,
                approvers: vec![("cfo".into(), "a2V5".into())],
            }),
        };
        assert_eq!(Setup::from_state(Some(&setup.to_state())).unwrap(), setup);
        setup.controls.as_mut().unwrap().required = 2;
        assert!(Setup::from_state(Some(&setup.to_state())).unwrap_err().contains("between 1 and 1"));
        let controls = setup.controls.as_mut().unwrap();
        controls.approvers.push(("cfo-again".into(), "a2V5".into()));
        assert!(Setup::from_state(Some(&setup.to_state())).unwrap_err().contains("same public key"));
        let controls = setup.controls.as_mut().unwrap();
        controls.approvers.pop();
        controls.required = 1;
        controls.thresholds.insert(usd, parse_balance("-1", usd).unwrap());
        assert!(Setup::from_state(Some(&setup.to_state())).unwrap_err().contains("negative"));
    }
}

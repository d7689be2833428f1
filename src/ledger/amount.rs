//! Exact amounts of money: decimal strings read without floating point and
//! held at their currency's minor unit (ISO 4217), so `0.1 + 0.2` is `0.3`
//! and the strings written into chain states hash the same bytes anywhere.

use std::fmt;

use iso_currency::Currency as IsoCurrency;
use rust_decimal::Decimal;

/// A currency a ledger may hold: an ISO 4217 code with a minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency(IsoCurrency);

impl Currency {
    /// `USD`, `jpy` → the currency; codes without a minor unit (gold, `XXX`)
    /// are refused, since an amount of them has no defined precision.
    pub fn parse(code: &str) -> Result<Currency, String> {
        let currency = IsoCurrency::from_code(&code.trim().to_ascii_uppercase())
            .ok_or_else(|| format!("{code:?} is not an ISO 4217 currency code (USD, EUR, JPY, …)"))?;
        if currency.exponent().is_none() {
            return Err(format!("{} has no minor unit, so its amounts have no defined precision", currency.code()));
        }
        Ok(Currency(currency))
    }

    pub fn code(self) -> &'static str {
        self.0.code()
    }

    /// Digits after the decimal point: 2 for USD, 0 for JPY, 3 for KWD.
    pub fn minor_unit(self) -> u32 {
        u32::from(self.0.exponent().unwrap_or(0))
    }

    pub fn symbol(self) -> String {
        self.0.symbol().to_string()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The largest amount a ledger holds: far above any real balance, and small
/// enough that sums of a chain's worth of them never overflow the decimal.
const MAX_DIGITS_BEFORE_POINT: usize = 18;

/// Reads `text` as an amount of `currency`: plain decimal digits with an
/// optional point, no sign, exponent or grouping, at most the currency's
/// minor-unit digits after the point. Returned at exactly that scale.
pub fn parse_amount(text: &str, currency: Currency) -> Result<Decimal, String> {
    let value = parse_decimal(text, currency)?;
    if value.is_zero() {
        return Err(format!("amount {text:?} is zero; an operation moves a positive amount"));
    }
    Ok(value)
}

/// Like [`parse_amount`], for balances, which may be zero or negative.
pub fn parse_balance(text: &str, currency: Currency) -> Result<Decimal, String> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let value = parse_decimal(digits, currency)?;
    Ok(if negative { -value } else { value })
}

fn parse_decimal(text: &str, currency: Currency) -> Result<Decimal, String> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) || (text.contains('.') && fraction.is_empty())
    {
        return Err(format!("amount {text:?} is not a decimal number like 189.00"));
    }
    if whole.trim_start_matches('0').len() > MAX_DIGITS_BEFORE_POINT {
        return Err(format!(
            "amount {text:?} is too large (at most {MAX_DIGITS_BEFORE_POINT} digits before the point)"
        ));
    }
    let scale = currency.minor_unit();
    if fraction.trim_end_matches('0').len() > scale as usize {
        return Err(format!("amount {text:?} has more digits after the point than {currency} allows ({scale})"));
    }
    let mut value: Decimal = text.parse().map_err(|e| format!("amount {text:?} is not a decimal number ({e})"))?;
    value.rescale(scale);
    Ok(value)
}

/// The amount as stored and shown: at the currency's scale, `-` for negatives.
pub fn format_amount(value: Decimal, currency: Currency) -> String {
    let mut value = value;
    value.rescale(currency.minor_unit());
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::parse("usd").unwrap()
    }

    #[test]
    fn amounts_are_exact_at_the_minor_unit() {
        let sum = parse_amount("0.1", usd()).unwrap() + parse_amount("0.2", usd()).unwrap();
        assert_eq!(format_amount(sum, usd()), "0.30");
        assert_eq!(format_amount(parse_amount("10000", usd()).unwrap(), usd()), "10000.00");
        assert_eq!(format_amount(parse_amount("64.500", usd()).unwrap(), usd()), "64.50");
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(format_amount(parse_amount("1500", jpy).unwrap(), jpy), "1500");
        let kwd = Currency::parse("KWD").unwrap();
        assert_eq!(format_amount(parse_amount("1.005", kwd).unwrap(), kwd), "1.005");
        assert_eq!(format_amount(parse_balance("-3.5", usd()).unwrap(), usd()), "-3.50");
    }

    #[test]
    fn anything_but_a_plain_decimal_is_refused() {
        for bad in ["", ".5", "5.", "-1", "+1", "1e3", "1,000.00", " 1", "0x10", "NaN", "1.001", "0", "0.00"] {
            assert!(parse_amount(bad, usd()).is_err(), "{bad:?} was accepted");
        }
        assert!(parse_amount("1.5", Currency::parse("JPY").unwrap()).unwrap_err().contains("JPY allows (0)"));
        assert!(parse_amount(&"9".repeat(19), usd()).unwrap_err().contains("too large"));
        assert!(Currency::parse("XAU").unwrap_err().contains("no minor unit"));
        assert!(Currency::parse("ZZZ").is_err());
    }
}

//! Importing payments from CSV: `date,from,to,amount,currency,reference`
//! (header required, columns in any order). An empty `from` is a deposit
//! into `to`, an empty `to` a withdrawal from `from`. Every row is read and
//! checked before anything is recorded; the first bad row is named.

use super::amount::{Currency, parse_amount};
use super::state::Payment;

const COLUMNS: [&str; 6] = ["date", "from", "to", "amount", "currency", "reference"];

/// The payments of a CSV text; `origin` names the file in messages.
pub fn payments(text: &[u8], origin: &str) -> Result<Vec<Payment>, String> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text);
    let headers = reader.headers().map_err(|e| format!("{origin}: the header row is unreadable ({e})"))?.clone();
    let mut at = [usize::MAX; 6];
    for (i, name) in headers.iter().enumerate() {
        let Some(column) = COLUMNS.iter().position(|c| c.eq_ignore_ascii_case(name)) else {
            return Err(format!("{origin}: unknown column {name:?}; the columns are {}", COLUMNS.join(",")));
        };
        at[column] = i;
    }
    if let Some(missing) = COLUMNS.iter().zip(at).find(|(_, i)| *i == usize::MAX) {
        return Err(format!("{origin}: no {:?} column; the columns are {}", missing.0, COLUMNS.join(",")));
    }
    let mut out = Vec::new();
    for (n, record) in reader.records().enumerate() {
        // Row numbers as a spreadsheet shows them: the header is row 1.
        let row = n + 2;
        let record = record.map_err(|e| format!("{origin} row {row}: unreadable ({e})"))?;
        let field = |column: usize| record.get(at[column]).unwrap_or("").to_owned();
        let bad = |message: String| format!("{origin} row {row}: {message}");
        let optional = |text: String| (!text.is_empty()).then_some(text);
        let date = field(0);
        if !date.is_empty() && crate::core::time::parse_rfc3339(&date).is_err() && !is_date(&date) {
            return Err(bad(format!("date {date:?} is neither YYYY-MM-DD nor an RFC 3339 time")));
        }
        let currency = Currency::parse(&field(4)).map_err(&bad)?;
        let (from, to) = (optional(field(1)), optional(field(2)));
        let payment = Payment {
            reference: optional(field(5)),
            date: optional(date),
            ..Payment::new(currency, parse_amount(&field(3), currency).map_err(&bad)?, from.as_deref(), to.as_deref())
        };
        payment.validate().map_err(&bad)?;
        out.push(payment);
    }
    Ok(out)
}

fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
        && jiff::civil::Date::strptime("%Y-%m-%d", text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_payments_and_the_first_bad_row_is_named() {
        let csv = "date,from,to,amount,currency,reference\n2026-01-02,,merchant,10000.00,USD,seed\n2026-01-03,merchant,alice,189.00,usd,INV-1\n2026-01-04,alice,,10,USD,\n";
        let payments = payments(csv.as_bytes(), "t.csv").unwrap();
        assert_eq!(payments.len(), 3);
        assert_eq!((payments[0].from.as_deref(), payments[0].to.as_deref()), (None, Some("merchant")));
        assert_eq!(payments[1].reference.as_deref(), Some("INV-1"));
        assert_eq!(payments[2].reference, None);

        let bad = "reference,currency,amount,to,from,date\nr,USD,1.00,a,b,2026-01-01\nr,USD,1.005,a,b,2026-01-01\n";
        assert_eq!(
            super::payments(bad.as_bytes(), "t.csv").unwrap_err(),
            "t.csv row 3: amount \"1.005\" has more digits after the point than USD allows (2)"
        );
        for (text, expected) in [
            ("date,from,to,amount,currency\n", "no \"reference\" column"),
            ("date,from,to,amount,currency,reference,x\n", "unknown column \"x\""),
            ("date,from,to,amount,currency,reference\n2026-13-40,a,b,1,USD,r\n", "row 2: date"),
            ("date,from,to,amount,currency,reference\n,a,a,1,USD,r\n", "row 2: a transfer from a to itself"),
            ("date,from,to,amount,currency,reference\n,,,1,USD,r\n", "row 2: an operation needs an account"),
            ("date,from,to,amount,currency,reference\n,a,b,1,ZZZ,r\n", "row 2: \"ZZZ\" is not"),
        ] {
            let error = super::payments(text.as_bytes(), "t.csv").unwrap_err();
            assert!(error.contains(expected), "{error}");
        }
    }
}

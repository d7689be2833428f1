//! Entry timestamps: epoch seconds as a JSON number, shown as RFC 3339 UTC.

use std::time::{SystemTime, UNIX_EPOCH};

use super::json::Number;

/// Now, as the float seconds Python's `time.time()` gives.
pub fn now() -> Number {
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    Number::Float(since_epoch.as_secs_f64())
}

/// Renders epoch seconds as RFC 3339 UTC, with microseconds when the
/// value has a fraction (`2023-11-14T22:13:20Z`, `2023-11-14T22:13:20.123456Z`).
pub fn rfc3339(seconds: f64) -> String {
    if !seconds.is_finite() || seconds.abs() > 253_402_300_799.0 {
        return format!("(invalid time {seconds})");
    }
    let micros_total = (seconds * 1e6).round() as i64;
    let secs = micros_total.div_euclid(1_000_000);
    let micros = micros_total.rem_euclid(1_000_000);
    let days = secs.div_euclid(86_400);
    let second_of_day = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let (h, m, s) = (second_of_day / 3600, second_of_day % 3600 / 60, second_of_day % 60);
    if micros == 0 {
        format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z")
    } else {
        format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{micros:06}Z")
    }
}

/// RFC 3339 UTC to the second (`2026-11-22T10:00:00Z`).
pub fn rfc3339_seconds(seconds: f64) -> String {
    rfc3339(seconds.floor())
}

/// Reads an RFC 3339 date-time (`2026-01-31T09:30:00Z`, `…T09:30:00.25+02:00`)
/// as epoch seconds. The offset is required: a time without one is ambiguous.
pub fn parse_rfc3339(text: &str) -> Result<f64, String> {
    let bad = |why: &str| format!("{text:?} is not an RFC 3339 time ({why}); write it like 2026-01-31T09:30:00Z");
    let bytes = text.as_bytes();
    if bytes.len() < 20 || !bytes.is_ascii() {
        return Err(bad("too short"));
    }
    let number = |range: std::ops::Range<usize>| -> Result<i64, String> {
        let part = &text[range];
        if part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().map_err(|_| bad("not a number"))
        } else {
            Err(bad("expected digits"))
        }
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(i, c)| bytes[i] != c) || !matches!(bytes[10], b'T' | b't' | b' ') {
        return Err(bad("expected YYYY-MM-DDTHH:MM:SS"));
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return Err(bad("no such date"));
    }
    // 60 is a leap second; it is read as the last second of the minute.
    if hour > 23 || minute > 59 || second > 60 {
        return Err(bad("no such time of day"));
    }
    let mut rest = &text[19..];
    let mut fraction = 0.0;
    if let Some(after_dot) = rest.strip_prefix('.') {
        let digits = after_dot.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad("empty fraction of a second"));
        }
        fraction = format!("0.{}", &after_dot[..digits]).parse::<f64>().map_err(|_| bad("bad fraction"))?;
        rest = &after_dot[digits..];
    }
    let offset_seconds = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && matches!(rest.as_bytes()[0], b'+' | b'-') && rest.as_bytes()[3] == b':' => {
            let start = text.len() - 5;
            let (h, m) = (number(start..start + 2)?, number(start + 3..start + 5)?);
            if h > 23 || m > 59 {
                return Err(bad("no such offset"));
            }
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            sign * (h * 3600 + m * 60)
        }
        _ => return Err(bad("expected Z or an offset like +02:00 at the end")),
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset_seconds;
    Ok(seconds as f64 + fraction)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A proleptic Gregorian date to days since 1970-01-01 (Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::{parse_rfc3339, rfc3339};

    #[test]
    fn parses_what_it_renders_and_offsets() {
        for seconds in [0.0, 1_700_000_000.0, 951_782_400.0, -1.0, 1_700_000_000.5] {
            assert_eq!(parse_rfc3339(&rfc3339(seconds)), Ok(seconds), "{seconds}");
        }
        assert_eq!(parse_rfc3339("2023-11-14T23:13:20+01:00"), Ok(1_700_000_000.0));
        assert_eq!(parse_rfc3339("2023-11-14t21:13:20-01:00"), Ok(1_700_000_000.0));
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        for text in [
            "",
            "yesterday",
            "2023-11-14",
            "2023-11-14T22:13:20",
            "2023-02-29T00:00:00Z",
            "2023-13-01T00:00:00Z",
            "2023-11-14T24:00:00Z",
            "2023-11-14T22:13:20.Z",
            "2023-11-14T22:13:20+1:00",
            "2023-11-14T22:13:20Zjunk",
            "2023-11-14T22:1é:20Z",
        ] {
            assert!(parse_rfc3339(text).is_err(), "{text:?} was accepted");
        }
    }

    #[test]
    fn renders_utc() {
        assert_eq!(rfc3339(0.0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000.0), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339(1_700_000_000.5), "2023-11-14T22:13:20.500000Z");
        assert_eq!(rfc3339(951_782_400.0), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(-1.0), "1969-12-31T23:59:59Z");
        assert_eq!(rfc3339(f64::NAN), "(invalid time NaN)");
    }
}

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
    let Ok(time) = jiff::Timestamp::from_microsecond(micros_total) else {
        return format!("(invalid time {seconds})");
    };
    let whole = time.strftime("%Y-%m-%dT%H:%M:%S");
    match micros_total.rem_euclid(1_000_000) {
        0 => format!("{whole}Z"),
        micros => format!("{whole}.{micros:06}Z"),
    }
}

/// RFC 3339 UTC to the second (`2026-11-22T10:00:00Z`).
pub fn rfc3339_seconds(seconds: f64) -> String {
    rfc3339(seconds.floor())
}

/// Reads an RFC 3339 date-time (`2026-01-31T09:30:00Z`, `…T09:30:00.25+02:00`)
/// as epoch seconds. The offset is required: a time without one is ambiguous.
pub fn parse_rfc3339(text: &str) -> Result<f64, String> {
    let bad = |why: &dyn std::fmt::Display| {
        format!("{text:?} is not an RFC 3339 time ({why}); write it like 2026-01-31T09:30:00Z")
    };
    // jiff also reads RFC 9557's `[time zone]` suffix and ISO 8601's
    // looser forms; RFC 3339 is the date, `T`, the time and an offset.
    let bytes = text.as_bytes();
    if bytes.len() < 20 || !bytes.is_ascii() || !matches!(bytes[10], b'T' | b't' | b' ') || text.contains('[') {
        return Err(bad(&"expected YYYY-MM-DDTHH:MM:SS and an offset"));
    }
    let time: jiff::Timestamp = text.parse().map_err(|e: jiff::Error| bad(&e))?;
    Ok(time.as_second() as f64 + f64::from(time.subsec_nanosecond()) / 1e9)
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
        // A leap second is the last second of its minute.
        assert_eq!(parse_rfc3339("2023-11-14T22:13:60Z"), Ok(1_700_000_039.0));
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
            "2023-11-14T22:13:20Z[Europe/Paris]",
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

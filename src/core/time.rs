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
    use super::rfc3339;

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

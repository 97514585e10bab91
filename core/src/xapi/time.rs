//! ISO 8601 timestamps and durations as xAPI writes them.

use alloc::format;
use alloc::string::String;

use crate::pack::Date;

/// 0001-01-01T00:00:00Z in ms since the Unix epoch.
const MIN_MS: i64 = -62_135_596_800_000;
/// 9999-12-31T23:59:59.999Z.
const MAX_MS: i64 = 253_402_300_799_999;
const DAY_MS: i64 = 86_400_000;

/// `2026-10-01T01:00:00.000Z` for a timestamp in ms since the Unix epoch; `None` outside the
/// years 0001–9999.
pub fn format_timestamp(ms: i64) -> Option<String> {
    if !(MIN_MS..=MAX_MS).contains(&ms) {
        return None;
    }
    let date = Date::from_unix_ms(ms);
    let t = ms.rem_euclid(DAY_MS);
    Some(format!(
        "{date}T{:02}:{:02}:{:02}.{:03}Z",
        t / 3_600_000,
        t / 60_000 % 60,
        t / 1000 % 60,
        t % 1000
    ))
}

fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses an ISO 8601 timestamp with a time zone (`Z`, `±HH:MM`, `±HHMM` or `±HH`) and an
/// optional fraction of a second (kept to the millisecond, further digits truncated) into
/// ms since the Unix epoch. `None` for anything else.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let (date, rest) = s.split_once(['T', 't'])?;
    let date = if date.len() == 10 {
        Date::parse(date)?
    } else {
        return None;
    };
    // Split off the zone.
    let (time, zone_ms) = if let Some(t) = rest.strip_suffix(['Z', 'z']) {
        (t, 0)
    } else {
        let at = rest.rfind(['+', '-'])?;
        let (t, z) = rest.split_at(at);
        let sign: i64 = if z.starts_with('-') { -1 } else { 1 };
        let z = z.get(1..)?;
        let (h, m) = match z.len() {
            2 => (digits(z)?, 0),
            4 => (digits(z.get(..2)?)?, digits(z.get(2..)?)?),
            5 if z.as_bytes().get(2) == Some(&b':') => (digits(z.get(..2)?)?, digits(z.get(3..)?)?),
            _ => return None,
        };
        if h > 23 || m > 59 {
            return None;
        }
        (t, sign * (h * 3_600_000 + m * 60_000))
    };
    let (hms, frac) = match time.split_once(['.', ',']) {
        Some((a, b)) => (a, Some(b)),
        None => (time, None),
    };
    let mut it = hms.split(':');
    let (h, m, sec) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || h.len() != 2 || m.len() != 2 || sec.len() != 2 {
        return None;
    }
    let (h, m, sec) = (digits(h)?, digits(m)?, digits(sec)?);
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let ms = match frac {
        None => 0,
        Some(f) => {
            if f.is_empty() || f.len() > 9 || !f.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let mut v = 0i64;
            for (i, b) in f
                .bytes()
                .chain(core::iter::repeat(b'0'))
                .take(3)
                .enumerate()
            {
                let _ = i;
                v = v * 10 + i64::from(b - b'0');
            }
            v
        }
    };
    let ms =
        date.days_since_epoch() * DAY_MS + h * 3_600_000 + m * 60_000 + sec * 1000 + ms - zone_ms;
    (MIN_MS..=MAX_MS).contains(&ms).then_some(ms)
}

/// An ISO 8601 duration with millisecond precision: `PT0S`, `PT12.345S`, `PT1H2M3S`.
pub fn format_duration(ms: u64) -> String {
    let (h, m, s, frac) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    let mut out = String::from("PT");
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || frac > 0 || (h == 0 && m == 0) {
        if frac > 0 {
            let f = format!("{frac:03}");
            out.push_str(&format!("{s}.{}S", f.trim_end_matches('0')));
        } else {
            out.push_str(&format!("{s}S"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip() {
        for ms in [
            0,
            1,
            999,
            1_790_000_000_123,
            -1,
            -86_400_001,
            MIN_MS,
            MAX_MS,
            951_782_400_000, // 2000-02-29
        ] {
            let s = format_timestamp(ms).unwrap();
            assert_eq!(parse_timestamp(&s), Some(ms), "{s}");
        }
        assert_eq!(format_timestamp(0).unwrap(), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_timestamp(MAX_MS + 1), None);
        assert_eq!(
            parse_timestamp("1970-01-01T07:00:00+07:00"),
            Some(0),
            "zones"
        );
        assert_eq!(
            parse_timestamp("1970-01-01T00:00:00.123456+00:00"),
            Some(123)
        );
        assert_eq!(parse_timestamp("1970-01-01T00:00:00.1Z"), Some(100));
        assert_eq!(parse_timestamp("1970-01-01T00:00:00-0130"), Some(5_400_000));
        for bad in [
            "",
            "1970-01-01",
            "1970-01-01T00:00:00",
            "1970-02-30T00:00:00Z",
            "1970-01-01T24:00:00Z",
            "1970-01-01T00:00:00.Z",
            "1970-01-01T00:00Z",
            "1970-01-01T00:00:00+7",
            "1970-01-01T0a:00:00Z",
            "+1970-01-01T00:00:00Z",
            "1970-01-01T00:00:00.1234567890Z",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(format_duration(0), "PT0S");
        assert_eq!(format_duration(12_345), "PT12.345S");
        assert_eq!(format_duration(12_300), "PT12.3S");
        assert_eq!(format_duration(3_723_000), "PT1H2M3S");
        assert_eq!(format_duration(3_600_000), "PT1H");
        assert_eq!(format_duration(60_005), "PT1M0.005S");
    }
}

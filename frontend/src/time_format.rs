//! Showing server timestamps in the reader's local time.

use wasm_bindgen::JsValue;

use crate::i18n::Phrases;
use crate::lang::Lang;

/// Times less than this old (ms) are shown as "now" or "N min", older ones as the clock time.
pub const RELATIVE_FOR_MS: i64 = 60 * 60 * 1_000;

/// How old a message is, as the timeline says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Age {
    /// Under a minute.
    JustNow,
    /// Whole minutes, under an hour.
    Minutes(i64),
    /// An hour or more: show the clock time.
    Older,
}

/// The age of something sent at `sent_at`, at `now` (both ms since the epoch). A time in the
/// future (clocks differ a little) counts as now.
pub fn age(sent_at: i64, now: i64) -> Age {
    let elapsed = now.saturating_sub(sent_at).max(0);
    match elapsed / 60_000 {
        0 => Age::JustNow,
        minutes if elapsed < RELATIVE_FOR_MS => Age::Minutes(minutes),
        _ => Age::Older,
    }
}

/// "now", "2 min", or `HH:MM`, for a message sent at `sent_at`.
pub fn short_time(sent_at: i64, now: i64, phrases: &Phrases) -> String {
    match age(sent_at, now) {
        Age::JustNow => phrases.just_now.to_owned(),
        Age::Minutes(minutes) => (phrases.minutes_ago)(minutes),
        Age::Older => local_clock_time(sent_at),
    }
}

/// `HH:MM` in the browser's time zone for a server timestamp (milliseconds since the epoch).
pub fn local_clock_time(unix_millis: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(unix_millis as f64));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

/// The full local date and time in the reader's language, for a tooltip.
pub fn local_date_time(unix_millis: i64, lang: Lang) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(unix_millis as f64));
    String::from(date.to_locale_string(lang.tag(), &JsValue::UNDEFINED))
}

/// A calendar day in the browser's time zone: (year, month 0-11, day of month).
pub type LocalDay = (u32, u32, u32);

/// The start of the day a date field gives (`YYYY-MM-DD`), in the reader's time zone, in ms
/// since the epoch; `None` for anything else.
pub fn local_day_start(field: &str) -> Option<i64> {
    let mut parts = field.split('-');
    let year: u32 = parts.next()?.parse().ok()?;
    let month: i32 = parts.next()?.parse().ok()?;
    let day: i32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let start = js_sys::Date::new_with_year_month_day(year, month - 1, day).get_time();
    (!start.is_nan()).then_some(start as i64)
}

/// The local calendar day of a server timestamp.
pub fn local_day(unix_millis: i64) -> LocalDay {
    let date = js_sys::Date::new(&JsValue::from_f64(unix_millis as f64));
    (date.get_full_year(), date.get_month(), date.get_date())
}

/// "Today", "Yesterday", or the date in the reader's language ("Mon, 24 Nov 2026").
pub fn day_label(unix_millis: i64, lang: Lang) -> String {
    let day = local_day(unix_millis);
    let now = js_sys::Date::now();
    if day == local_day(now as i64) {
        return lang.phrases().today.to_owned();
    }
    if day == local_day(now as i64 - 86_400_000) {
        return lang.phrases().yesterday.to_owned();
    }
    let options = js_sys::Object::new();
    for (key, value) in
        [("weekday", "short"), ("year", "numeric"), ("month", "short"), ("day", "numeric")]
    {
        // Setting a plain property on a fresh object cannot fail.
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    let date = js_sys::Date::new(&JsValue::from_f64(unix_millis as f64));
    String::from(date.to_locale_date_string(lang.tag(), &options))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_times_are_relative_and_older_ones_absolute() {
        let now = 10 * RELATIVE_FOR_MS;
        assert_eq!(age(now, now), Age::JustNow);
        assert_eq!(age(now + 5_000, now), Age::JustNow, "a clock a little ahead");
        assert_eq!(age(now - 59_999, now), Age::JustNow);
        assert_eq!(age(now - 120_000, now), Age::Minutes(2));
        assert_eq!(age(now - RELATIVE_FOR_MS + 1, now), Age::Minutes(59));
        assert_eq!(age(now - RELATIVE_FOR_MS, now), Age::Older);
    }
}

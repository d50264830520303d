//! Showing server timestamps in the reader's local time.

use wasm_bindgen::JsValue;

/// `HH:MM` in the browser's time zone for a server timestamp (milliseconds since the epoch).
pub fn local_clock_time(unix_millis: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(unix_millis as f64));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

/// The full local date and time, for a tooltip.
pub fn local_date_time(unix_millis: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(unix_millis as f64));
    String::from(date.to_locale_string("default", &JsValue::UNDEFINED))
}

/// A calendar day in the browser's time zone: (year, month 0-11, day of month).
pub type LocalDay = (u32, u32, u32);

/// The local calendar day of a server timestamp.
pub fn local_day(unix_millis: i64) -> LocalDay {
    let date = js_sys::Date::new(&JsValue::from_f64(unix_millis as f64));
    (date.get_full_year(), date.get_month(), date.get_date())
}

/// "Today", "Yesterday", or the date in the reader's locale ("Mon, 24 Nov 2026").
pub fn day_label(unix_millis: i64) -> String {
    let day = local_day(unix_millis);
    let now = js_sys::Date::now();
    if day == local_day(now as i64) {
        return "Today".to_owned();
    }
    if day == local_day(now as i64 - 86_400_000) {
        return "Yesterday".to_owned();
    }
    let options = js_sys::Object::new();
    for (key, value) in
        [("weekday", "short"), ("year", "numeric"), ("month", "short"), ("day", "numeric")]
    {
        // Setting a plain property on a fresh object cannot fail.
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    let date = js_sys::Date::new(&JsValue::from_f64(unix_millis as f64));
    String::from(date.to_locale_date_string("default", &options))
}

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

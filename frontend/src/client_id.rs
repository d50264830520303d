//! Client-generated message ids.

/// A new id for a message this page sends: the time in milliseconds and 52 random bits, in
/// hex. Unique enough for ids that only need to differ within one room and one user's retries;
/// it avoids pulling a UUID crate (and its randomness shims) into the download.
pub fn new_client_id() -> common::ClientId {
    let millis = js_sys::Date::now() as u64;
    let random = (js_sys::Math::random() * (1u64 << 52) as f64) as u64;
    let text = format!("{millis:x}-{random:013x}");
    // Always 1..=64 visible ASCII characters, so parsing cannot fail; fall back just in case.
    common::ClientId::parse(&text)
        .unwrap_or_else(|_| common::ClientId::parse("fallback-id").expect("literal is valid"))
}

//! The send time each load-generator message carries at the start of its body, so the
//! receiving side measures delivery latency from the frame alone.

/// The send time a load-generator message carries at the start of its body: `t=<unix ns>`.
pub fn stamped_body(sent_at_ns: u128, padding: usize) -> String {
    format!("t={sent_at_ns} {}", "x".repeat(padding))
}

/// The send time in a delivered `message` frame, found without decoding the whole frame.
pub fn sent_at_ns(frame: &str) -> Option<u128> {
    let start = frame.find("\"body\":\"t=")? + "\"body\":\"t=".len();
    let digits = &frame[start..];
    let end = digits.find(|c: char| !c.is_ascii_digit())?;
    digits[..end].parse().ok()
}

/// Now, as the stamp uses it (the wall clock, shared by every process on the machine).
pub fn now_ns() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}

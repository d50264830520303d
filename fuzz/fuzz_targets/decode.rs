//! The protocol decoder on any text: it must answer every frame with a message or a typed
//! error, never panic, and whatever it accepts must encode back to the same message.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match common::decode_client_message(text) {
        Ok(message) => {
            let again = common::decode_client_message(&message.to_json());
            assert_eq!(again.as_ref(), Ok(&message), "re-encoding changed the message");
        }
        Err(error) => assert!(!error.message.is_empty(), "an error must explain itself"),
    }
});

//! PIN rules: never panic; accepted PINs are 8-20 ASCII digits; errors never echo a PIN.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qrpin_codec::{check_pin, PinPolicy};

fuzz_target!(|data: &[u8]| {
    let Ok(pin) = std::str::from_utf8(data) else { return };
    match check_pin(pin, PinPolicy::default()) {
        Ok(()) => assert!((8..=20).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())),
        Err(e) => {
            // A PIN is digits; other input may well be a word of the message itself ("N has").
            if pin.len() >= 4 && pin.bytes().all(|b| b.is_ascii_digit()) {
                assert!(!e.to_string().contains(pin));
            }
        }
    }
});

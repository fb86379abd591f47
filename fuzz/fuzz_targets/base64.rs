//! base64: never panics; what decodes re-encodes to the canonical (padded) form of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qrpin_codec::base64;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(bytes) = base64::decode(text) {
        let again = base64::encode(&bytes);
        assert_eq!(again.trim_end_matches('='), text.trim_end_matches('='));
        assert_eq!(base64::decode(&again).unwrap(), bytes);
    }
});

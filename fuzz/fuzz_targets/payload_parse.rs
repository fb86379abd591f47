//! Payload parsing: never panics; what parses round-trips exactly and never shows extra fields.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qrpin_codec::{ParseOptions, Payload};

fuzz_target!(|data: &[u8]| {
    for opts in [ParseOptions::LENIENT, ParseOptions::STRICT] {
        if let Ok(p) = Payload::parse_bytes(data, opts) {
            assert_eq!(p.as_str().as_bytes(), data);
            let buf = p.to_buf();
            assert_eq!(buf.as_str().as_bytes(), data);
            assert_eq!(buf.as_payload(), p);
            let shown = p.to_string();
            if p.extra_field_count() > 0 {
                assert!(shown.ends_with(" bytes>"), "{shown}");
            } else {
                assert_eq!(shown.as_bytes(), data);
            }
            if opts.strict {
                assert!(p.is_canonical());
            }
        }
    }
});

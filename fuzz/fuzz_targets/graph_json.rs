//! Graph JSON: parsing and checking never panic, and reports never contain the PIN.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qrpin_codec::graph::{check_object, parse_object, CodeKind, GraphObject};

fuzz_target!(|data: &[u8]| {
    if let Ok(obj) = parse_object(data) {
        for kind in [CodeKind::Standard, CodeKind::Temporary] {
            let report = check_object(&obj, kind);
            if let GraphObject::QrPin(p) = &obj {
                if let Some(code) = p.code.as_deref().filter(|c| c.len() >= 4) {
                    for c in &report.checks {
                        assert!(!c.detail.contains(code), "PIN leaked into {c:?}");
                    }
                }
            }
        }
    }
});

//! Property tests: build → parse round trips for any valid UPN and GUID; parsing never panics.

use proptest::prelude::*;
use qrpin_codec::{base64, check_pin, ParseOptions, Payload, PayloadBuf, PinPolicy};

/// A UPN over the whole allowed alphabet and length range, with no '.' before the '@'.
fn upn() -> impl Strategy<Value = String> {
    let part = |max: usize| {
        proptest::string::string_regex(&format!("[A-Za-z0-9'._!#^~-]{{1,{max}}}")).unwrap()
    };
    (part(64), part(48)).prop_map(|(mut local, domain)| {
        if local.ends_with('.') {
            local.pop();
            local.push('x');
        }
        format!("{local}@{domain}")
    })
}

fn guid() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn build_then_parse_round_trips(u in upn(), g in guid()) {
        let built = PayloadBuf::build(&u, &g).unwrap();
        let p = Payload::parse_with(built.as_str(), ParseOptions::STRICT).unwrap();
        prop_assert_eq!(p.upn(), u.as_str());
        prop_assert_eq!(p.code_id(), g.to_ascii_lowercase());
        prop_assert_eq!(p.as_str(), built.as_str());
        prop_assert_eq!(built.as_payload(), p);
        let via_b64 = base64::decode(&base64::encode(built.as_bytes())).unwrap();
        prop_assert_eq!(via_b64, built.as_bytes());
    }

    #[test]
    fn extra_fields_round_trip(u in upn(), g in guid(), extra in "[A-Za-z0-9+/=]{0,64}") {
        let built = PayloadBuf::build(&u, &g).unwrap().with_extra_field(&extra).unwrap();
        let p = Payload::parse(built.as_str()).unwrap();
        prop_assert_eq!(p.as_str(), built.as_str());
        prop_assert_eq!(p.extra_fields().collect::<Vec<_>>(), vec![extra.as_str()]);
        let redacted = format!("|<redacted: {} bytes>", extra.len());
        prop_assert!(p.to_string().ends_with(&redacted));
    }

    #[test]
    fn parse_never_panics_on_strings(s in any::<String>()) {
        let _ = Payload::parse(&s);
        let _ = Payload::parse_with(&s, ParseOptions::STRICT);
        let _ = base64::decode(&s);
        let _ = check_pin(&s, PinPolicy::default());
        #[cfg(feature = "graph")]
        let _ = qrpin_codec::graph::parse_object(s.as_bytes());
    }

    #[test]
    fn parse_never_panics_on_near_payloads(tail in any::<String>(), cut in 0usize..80) {
        let sample = "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";
        let s = format!("{}{}", &sample[..cut.min(sample.len())], tail);
        let _ = Payload::parse(&s);
        let _ = Payload::parse_with(&s, ParseOptions::STRICT);
    }

    #[test]
    fn parse_never_panics_on_bytes(b in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = Payload::parse_bytes(&b, ParseOptions::LENIENT);
        #[cfg(feature = "graph")]
        let _ = qrpin_codec::graph::parse_object(&b);
    }
}

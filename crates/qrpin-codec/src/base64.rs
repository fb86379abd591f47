//! Base64 for Graph's `rawContent` and `binaryValue`.
//!
//! Policy, decided once for the whole tool:
//! - the standard alphabet (`A–Z a–z 0–9 + /`) only; URL-safe `-`/`_` are errors;
//! - `=` padding is optional on input (some tools strip it) but, when present, must be right;
//!   output is always padded, as Graph writes it;
//! - white space anywhere (including line breaks) is an error naming its position: Graph never
//!   wraps these strings, so white space means the value was damaged in copying.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

/// Decoding accepts padded and unpadded input; see the module docs.
const DECODER: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Why a string is not valid base64.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Base64Error {
    /// A byte outside the standard alphabet.
    #[error("invalid base64: {} at position {at} is not in the standard alphabet", describe(*byte))]
    InvalidByte {
        /// Offset of the byte.
        at: usize,
        /// The byte.
        byte: u8,
    },
    /// The length leaves a lone character at the end.
    #[error(
        "invalid base64: length {len} leaves a single character at the end (a truncated value?)"
    )]
    Length {
        /// The input length.
        len: usize,
    },
    /// The last character has bits set that no encoder would set.
    #[error("invalid base64: the last character {} at position {at} has stray bits (a truncated value?)", describe(*byte))]
    LastSymbol {
        /// Its offset.
        at: usize,
        /// The byte.
        byte: u8,
    },
    /// `=` in the wrong amount or place.
    #[error("invalid base64: wrong '=' padding")]
    Padding,
}

fn describe(b: u8) -> String {
    match b {
        b'\n' => "a line break".to_owned(),
        b'\r' => "a carriage return".to_owned(),
        b' ' => "a space".to_owned(),
        b'\t' => "a tab".to_owned(),
        0x21..=0x7e => format!("'{}'", b as char),
        _ => format!("byte 0x{b:02x}"),
    }
}

/// Decodes standard base64 (padding optional, no white space).
///
/// ```
/// assert_eq!(qrpin_codec::base64::decode("bXMtcXJwaW4=").unwrap(), b"ms-qrpin");
/// assert_eq!(qrpin_codec::base64::decode("bXMtcXJwaW4").unwrap(), b"ms-qrpin");
/// assert!(qrpin_codec::base64::decode("bXMt cXJwaW4=").is_err());
/// ```
pub fn decode(input: &str) -> Result<Vec<u8>, Base64Error> {
    DECODER.decode(input).map_err(|e| match e {
        base64::DecodeError::InvalidByte(at, byte) => {
            if byte == b'=' {
                Base64Error::Padding
            } else {
                Base64Error::InvalidByte { at, byte }
            }
        }
        base64::DecodeError::InvalidLength(len) => Base64Error::Length { len },
        base64::DecodeError::InvalidLastSymbol(at, byte) => Base64Error::LastSymbol { at, byte },
        base64::DecodeError::InvalidPadding => Base64Error::Padding,
    })
}

/// Encodes as standard, padded base64.
pub fn encode(data: &[u8]) -> String {
    STANDARD.encode(data)
}

/// Appends standard, padded base64 to `out` (no new allocation when `out` has room).
pub fn encode_into(data: &[u8], out: &mut String) {
    STANDARD.encode_string(data, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_padding_policy() {
        for n in 0..40 {
            let data: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            let enc = encode(&data);
            assert_eq!(decode(&enc).unwrap(), data);
            assert_eq!(decode(enc.trim_end_matches('=')).unwrap(), data);
        }
    }

    #[test]
    fn errors_name_the_position() {
        assert_eq!(decode("bXMt\ncXJw"), Err(Base64Error::InvalidByte { at: 4, byte: b'\n' }));
        assert!(decode("bXMt\ncXJw")
            .unwrap_err()
            .to_string()
            .contains("a line break at position 4"));
        assert_eq!(decode("bXMt-XJw"), Err(Base64Error::InvalidByte { at: 4, byte: b'-' }));
        assert_eq!(decode("bXMtc"), Err(Base64Error::Length { len: 5 }));
        assert_eq!(decode("bXN="), Err(Base64Error::LastSymbol { at: 2, byte: b'N' }));
        assert!(matches!(decode("bX=t"), Err(Base64Error::Padding)));
        // The truncated rawContent of Graph's documentation sample ends in "...".
        assert_eq!(decode("bXMtcXJw..."), Err(Base64Error::InvalidByte { at: 8, byte: b'.' }));
    }
}

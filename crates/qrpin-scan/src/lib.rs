//! QR decoding and verification for ms-qrpin payloads (work in progress).

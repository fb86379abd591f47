//! QR rendering for ms-qrpin payloads (work in progress).

pub mod raster;

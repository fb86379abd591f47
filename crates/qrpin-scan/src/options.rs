//! [`ScanOptions`]: the scanner's limits and layer switches. A leaf: it names no other module.

/// Limits and switches for [`crate::Scanner`]. `Default` gives the limits the CLI uses.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Largest input file, in bytes (default 64 MiB).
    pub max_file_bytes: u64,
    /// Largest image, in pixels (width x height), checked from the header before decoding;
    /// also the limit for rasterised SVG (default 64 million).
    pub max_pixels: u64,
    /// Largest SVG document, in bytes (default 4 MiB).
    pub max_svg_bytes: u64,
    /// Deepest element nesting accepted in an SVG document (default 64).
    pub max_svg_depth: u32,
    /// Layer 1: try the known geometry of clean renders first (default on).
    pub known_geometry: bool,
    /// Layer 2: rqrr's detector (default on).
    pub rqrr: bool,
    /// Layer 3: rxing's detectors (default on).
    pub rxing: bool,
    /// Layer 4: when nothing was found, try inverted, rescaled and re-binarised copies
    /// (default on).
    pub variants: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            max_file_bytes: 64 << 20,
            max_pixels: 64_000_000,
            max_svg_bytes: 4 << 20,
            max_svg_depth: 64,
            known_geometry: true,
            rqrr: true,
            rxing: true,
            variants: true,
        }
    }
}

//! The layered scanner: known geometry, then rqrr and rxing detection, then image variants.

use qrpin_codec::Ecl;

use crate::decode::{decode_grid, GridRead};
use crate::detect::{rqrr_candidates, rxing_candidates, Binarize, Candidate};
use crate::grid::ModuleGrid;
use crate::load::load;
use crate::luma::Luma8;
use crate::options::ScanOptions;
use crate::variants;
use crate::{known, ScanError};

/// Which layer of the scanner read a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Known geometry: a clean upright render, sampled directly.
    KnownGeometry,
    /// rqrr's detector.
    Rqrr,
    /// rxing's detectors (zxing-cpp port, then classic zxing).
    Rxing,
    /// A detector on a transformed copy of the image (inverted, rescaled, other binarisation).
    Variant,
}

/// One QR code read from an image.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The text, with ECI and character sets applied (see the crate docs).
    pub text: String,
    /// The payload bytes of all segments, before character-set conversion.
    pub bytes: Vec<u8>,
    /// QR version, 1..=40.
    pub version: u8,
    /// Error-correction level.
    pub ecl: Ecl,
    /// Mask pattern 0..=7, when the format information could be read by rqrr.
    pub mask: Option<u8>,
    /// Corners of the symbol in pixels: top-left, top-right, bottom-right, bottom-left of the
    /// symbol as read (for rxing, the points its sampler reports).
    pub corners: [(f32, f32); 4],
    /// The module grid as sampled from the image (before any mirroring), `true` = dark.
    pub modules: ModuleGrid,
    /// The layer that read it.
    pub layer: Layer,
}

impl Decoded {
    fn new(read: GridRead, c: Candidate, layer: Layer) -> Self {
        Decoded {
            text: read.text,
            bytes: read.bytes,
            version: read.version,
            ecl: read.ecl,
            mask: read.mask,
            corners: c.corners,
            modules: c.grid,
            layer,
        }
    }

    fn centre(&self) -> (f32, f32) {
        let (sx, sy) = self.corners.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
        (sx / 4.0, sy / 4.0)
    }

    /// Roughly the symbol's side in pixels.
    fn extent(&self) -> f32 {
        let [a, _, c, _] = self.corners;
        ((a.0 - c.0).powi(2) + (a.1 - c.1).powi(2)).sqrt()
    }
}

/// Reads QR codes from images: see the crate docs for the layers.
#[derive(Debug, Clone, Default)]
pub struct Scanner {
    opts: ScanOptions,
}

impl Scanner {
    /// A scanner with these options.
    pub fn new(opts: ScanOptions) -> Self {
        Scanner { opts }
    }

    /// The options in force.
    pub fn options(&self) -> &ScanOptions {
        &self.opts
    }

    /// Reads every QR code in an encoded image (format detected from the content). An image
    /// without a code gives an empty list; an unreadable one an error.
    pub fn scan_bytes(&self, bytes: &[u8]) -> Result<Vec<Decoded>, ScanError> {
        let img = load(bytes, &self.opts)?;
        self.scan_luma(&img)
    }

    /// Reads every QR code in grey pixels.
    ///
    /// Errors only when a contained panic left no result at all ([`ScanError::Panicked`]).
    pub fn scan_luma(&self, img: &Luma8) -> Result<Vec<Decoded>, ScanError> {
        let mut found = Vec::new();
        if self.opts.known_geometry {
            if let Some(hit) = known::sample(img) {
                if let Some(read) = decode_grid(&hit.grid) {
                    let alone = hit.alone;
                    let c = Candidate { grid: hit.grid, corners: hit.corners };
                    found.push(Decoded::new(read, c, Layer::KnownGeometry));
                    if alone {
                        return Ok(found);
                    }
                }
            }
        }
        let mut panic = None;
        self.detect_all(img, Layer::Rqrr, Layer::Rxing, Binarize::Hybrid, &mut found, &mut panic);
        if found.is_empty() && self.opts.variants {
            for v in variants::variants(img) {
                let (image, bin) = match &v {
                    variants::Variant::Image(i) => (i, Binarize::Hybrid),
                    variants::Variant::GlobalThreshold => (img, Binarize::Global),
                };
                let before = found.len();
                self.detect_all(image, Layer::Variant, Layer::Variant, bin, &mut found, &mut panic);
                if let variants::Variant::Image(i) = &v {
                    // Map corners back to the original pixel grid.
                    let (sx, sy) =
                        (img.width as f32 / i.width as f32, img.height as f32 / i.height as f32);
                    for d in &mut found[before..] {
                        for p in &mut d.corners {
                            *p = (p.0 * sx, p.1 * sy);
                        }
                    }
                }
                if !found.is_empty() {
                    break;
                }
            }
        }
        match panic {
            Some(e) if found.is_empty() => Err(e),
            _ => Ok(found),
        }
    }

    fn detect_all(
        &self,
        img: &Luma8,
        rqrr_layer: Layer,
        rxing_layer: Layer,
        bin: Binarize,
        found: &mut Vec<Decoded>,
        panic: &mut Option<ScanError>,
    ) {
        // rxing first: it is the cheaper detector (about 1 ms against rqrr's 5-15 ms) and the
        // stronger one; rqrr runs when rxing read nothing, or fitted a symbol it could not read.
        let before = found.len();
        let mut misses = 0;
        if self.opts.rxing {
            let mut accept = |c: Candidate| match decode_grid(&c.grid) {
                Some(read) => {
                    push_unique(found, Decoded::new(read, c, rxing_layer));
                    true
                }
                None => {
                    misses += 1;
                    false
                }
            };
            if let Err(e) = rxing_candidates(img, bin, &mut accept) {
                *panic = Some(e);
            }
        }
        let settled = found.len() > before && misses == 0;
        if self.opts.rqrr && bin == Binarize::Hybrid && !settled && rqrr_worthwhile(img) {
            match rqrr_candidates(img) {
                Ok(cands) => {
                    for c in cands {
                        if let Some(read) = decode_grid(&c.grid) {
                            push_unique(found, Decoded::new(read, c, rqrr_layer));
                        }
                    }
                }
                Err(e) => *panic = Some(e),
            }
        }
    }
}

/// Images up to this many pixels always go to rqrr.
const RQRR_ALWAYS_PIXELS: usize = 512 * 512;
/// Above [`RQRR_ALWAYS_PIXELS`], rqrr is skipped when more than this share of neighbouring
/// pixels (sampled every 8th row, split at the mean) differ.
const RQRR_MAX_TRANSITIONS: f32 = 0.2;

/// Whether rqrr's detector is worth running on `img`.
///
/// rqrr flood-fills every dark region it meets; on a large noisy image the regions percolate
/// into a few huge ones that are filled again and again: a 4000 x 3000 noise image took 173 s
/// here, against 0.3 s for rxing. Photos and renders have long runs (a QR module is at least
/// a few pixels wide in any image this large), noise does not, so a high share of pixel-to-pixel
/// transitions marks an image rqrr would only spin on.
fn rqrr_worthwhile(img: &Luma8) -> bool {
    let (w, h) = (img.width as usize, img.height as usize);
    if w * h <= RQRR_ALWAYS_PIXELS || w < 2 {
        return true;
    }
    let rows = (0..h).step_by(8);
    let (mut sum, mut n) = (0u64, 0u64);
    for y in rows.clone() {
        for &p in &img.data[y * w..(y + 1) * w] {
            sum += u64::from(p);
            n += 1;
        }
    }
    let mean = (sum / n.max(1)) as u8;
    let mut transitions = 0u64;
    for y in rows {
        let row = &img.data[y * w..(y + 1) * w];
        transitions += row.windows(2).filter(|p| (p[0] > mean) != (p[1] > mean)).count() as u64;
    }
    (transitions as f32) / (n as f32) <= RQRR_MAX_TRANSITIONS
}

/// Adds `d` unless the same code (same text, centre within a third of its size) is already in.
fn push_unique(found: &mut Vec<Decoded>, d: Decoded) {
    let (cx, cy) = d.centre();
    let near = d.extent() / 3.0;
    let dup = found.iter().any(|e| {
        let (ex, ey) = e.centre();
        e.text == d.text
            && ((ex - cx).powi(2) + (ey - cy).powi(2)).sqrt() <= near.max(e.extent() / 3.0)
    });
    if !dup {
        found.push(d);
    }
}

#[cfg(test)]
mod rqrr_gate_tests {
    use super::*;

    #[test]
    fn noise_is_skipped_but_codes_and_small_images_are_not() {
        let (w, h) = (1000u32, 800u32);
        let mut x: u32 = 12345;
        let noise: Vec<u8> = (0..w * h)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        assert!(!rqrr_worthwhile(&Luma8 { width: w, height: h, data: noise.clone() }));
        assert!(rqrr_worthwhile(&Luma8 {
            width: 500,
            height: 500,
            data: noise[..250_000].to_vec()
        }));
        // 8-pixel modules: at most one transition in 8 pixels.
        let blocks: Vec<u8> = (0..w * h)
            .map(|i| if ((i % w) / 8 + (i / w) / 8) % 2 == 0 { 0 } else { 255 })
            .collect();
        assert!(rqrr_worthwhile(&Luma8 { width: w, height: h, data: blocks }));
    }
}

//! Layers 2 and 3: finding symbols in arbitrary images and sampling their module grids.
//!
//! Both detectors only *locate and sample*; every grid they produce is decoded the same way by
//! [`crate::decode::decode_grid`]. rqrr's detector (a port of quirc) finds codes by their
//! capstones and fits a perspective grid; rxing's (a port of zxing-cpp's) is stronger on small
//! modules, blur and curved codes. All calls into either are contained ([`crate::contain`]).

use rxing::common::{BitMatrix, DetectorRXingResult, HybridBinarizer};
use rxing::qrcode::cpp_port::detector as cpp;
use rxing::{Binarizer, BinaryBitmap, DecodeHints, Luma8LuminanceSource};

use crate::contain::contain;
use crate::grid::ModuleGrid;
use crate::luma::Luma8;
use crate::ScanError;

/// A candidate symbol: sampled modules and the corners of the symbol in the image
/// (top-left, top-right, bottom-right, bottom-left as the detector saw them).
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// The sampled modules.
    pub grid: ModuleGrid,
    /// Corner points in pixels.
    pub corners: [(f32, f32); 4],
}

/// rqrr's detection: every grid it fits.
pub(crate) fn rqrr_candidates(img: &Luma8) -> Result<Vec<Candidate>, ScanError> {
    contain("rqrr detection", || {
        let (w, h) = (img.width as usize, img.height as usize);
        let mut prepared =
            rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| img.data[y * w + x]);
        prepared
            .detect_grids()
            .into_iter()
            .map(|g| {
                let b = g.bounds;
                Candidate {
                    grid: ModuleGrid::from_bit_grid(&g.grid),
                    corners: b.map(|p| (p.x as f32, p.y as f32)),
                }
            })
            .collect()
    })
}

/// Which binarizer rxing's detectors see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Binarize {
    /// Local thresholds over 8x8 blocks (zxing's HybridBinarizer): the default.
    Hybrid,
    /// One threshold per row from the histogram (zxing's GlobalHistogramBinarizer).
    Global,
}

/// rxing's detection: the zxing-cpp finder-pattern search (try-harder) and sampler; if it finds
/// nothing, zxing's classic detector. `accept` decodes a candidate and says whether it read, so
/// finder patterns of a read code are not reused for another (as zxing-cpp does).
pub(crate) fn rxing_candidates(
    img: &Luma8,
    binarize: Binarize,
    accept: &mut dyn FnMut(Candidate) -> bool,
) -> Result<(), ScanError> {
    let bits = contain("rxing binarization", || binarize_image(img, binarize))?;
    let Some(bits) = bits else { return Ok(()) };
    let sets = contain("rxing detection", || {
        let mut patterns = cpp::FindFinderPatterns(&bits, true, 0);
        cpp::GenerateFinderPatternSets(&mut patterns)
    })?;
    let mut used: Vec<cpp::FinderPatternSet> = Vec::new();
    let mut any = false;
    for set in sets {
        let taken = used.iter().any(|u| {
            [u.bl, u.tl, u.tr].iter().any(|p| *p == set.bl || *p == set.tl || *p == set.tr)
        });
        if taken {
            continue;
        }
        let Ok(Ok(res)) = contain("rxing sampling", || cpp::SampleQR(&bits, &set)) else {
            continue;
        };
        if let Some(c) = candidate_from(res.getBits(), res.getPoints()) {
            if accept(c) {
                used.push(set);
                any = true;
            }
        }
    }
    if !any {
        let res = contain("rxing detection", || {
            rxing::qrcode::detector::Detector::new(&bits)
                .detect_with_hints(&DecodeHints { TryHarder: Some(true), ..DecodeHints::default() })
        })?;
        if let Ok(res) = res {
            if let Some(c) = candidate_from(res.getBits(), res.getPoints()) {
                accept(c);
            }
        }
    }
    Ok(())
}

fn binarize_image(img: &Luma8, how: Binarize) -> Option<BitMatrix> {
    let src = Luma8LuminanceSource::new(img.data.clone(), img.width, img.height).ok()?;
    match how {
        Binarize::Hybrid => {
            let b = BinaryBitmap::new(HybridBinarizer::new(src));
            Some(b.get_black_matrix().clone())
        }
        Binarize::Global => {
            let b = rxing::common::GlobalHistogramBinarizer::new(src);
            b.get_black_matrix().ok().cloned()
        }
    }
}

/// A sampled rxing bit matrix (square) and its result points → a candidate.
fn candidate_from(bits: &BitMatrix, points: &[rxing::Point]) -> Option<Candidate> {
    let n = bits.width();
    if n != bits.height() || !(21..=177).contains(&n) {
        return None;
    }
    let grid = ModuleGrid::from_fn(n as usize, |x, y| bits.get(x as u32, y as u32));
    let mut corners = [(0.0f32, 0.0f32); 4];
    for (c, p) in corners.iter_mut().zip(points.iter()) {
        *c = (p.x, p.y);
    }
    Some(Candidate { grid, corners })
}

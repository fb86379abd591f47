//! The three readers compared: qrpin-scan, rqrr alone, rxing alone; and image rotation.

use std::panic::{catch_unwind, AssertUnwindSafe};

use qrpin_scan::{Luma8, Scanner};

/// Texts read by qrpin-scan (`Err` = an error, e.g. a contained panic).
pub fn ours(scanner: &Scanner, img: &Luma8) -> Result<Vec<String>, String> {
    scanner
        .scan_luma(img)
        .map(|v| v.into_iter().map(|d| d.text).collect())
        .map_err(|e| e.to_string())
}

/// rqrr 0.11 as its README uses it: prepare, detect_grids, decode each grid (panics contained).
pub fn rqrr_alone(img: &Luma8) -> Result<Vec<String>, String> {
    catch_unwind(AssertUnwindSafe(|| {
        let (w, h) = (img.width as usize, img.height as usize);
        let mut p = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| img.data[y * w + x]);
        p.detect_grids().into_iter().filter_map(|g| g.decode().ok().map(|(_, t)| t)).collect()
    }))
    .map_err(|_| "rqrr panicked".to_string())
}

/// rxing 0.9 as its helper reads luma: QR only, TryHarder, hybrid binarizer, one result.
pub fn rxing_alone(img: &Luma8) -> Result<Vec<String>, String> {
    catch_unwind(AssertUnwindSafe(|| {
        let mut hints = rxing::DecodeHints { TryHarder: Some(true), ..Default::default() };
        rxing::helpers::detect_in_luma_with_hints(
            img.data.clone(),
            img.width,
            img.height,
            Some(rxing::BarcodeFormat::QR_CODE),
            &mut hints,
        )
        .map(|r| vec![r.getText().to_string()])
        .unwrap_or_default()
    }))
    .map_err(|_| "rxing panicked".to_string())
}

/// The image turned clockwise by `quarter` quarter turns.
pub fn rotate(img: &Luma8, quarter: u32) -> Luma8 {
    let (w, h) = (img.width as usize, img.height as usize);
    match quarter % 4 {
        0 => img.clone(),
        2 => Luma8::new(img.width, img.height, img.data.iter().rev().copied().collect())
            .expect("same size"),
        q => {
            // 90° clockwise: new(x, y) = old(y, h-1-x); 270°: new(x, y) = old(w-1-y, x).
            let (nw, nh) = (h, w);
            let mut data = Vec::with_capacity(w * h);
            for y in 0..nh {
                for x in 0..nw {
                    let (ox, oy) = if q == 1 { (y, h - 1 - x) } else { (w - 1 - y, x) };
                    data.push(img.data[oy * w + ox]);
                }
            }
            Luma8::new(nw as u32, nh as u32, data).expect("same pixel count")
        }
    }
}

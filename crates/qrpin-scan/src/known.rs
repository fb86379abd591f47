//! Layer 1: known geometry, for clean, upright renders such as qrpin's own.
//!
//! A clean render is a square of modules on a light quiet zone. Its first dark row is the top
//! edge of the two upper finder patterns, so that row gives the left and right edges of the
//! symbol, and the run of dark pixels at its start is 7 modules wide. From the width and the
//! module size follows the size in modules (17 + 4·version); the module centres are then sampled
//! directly. The sample is accepted only if all three finder patterns with their separators and
//! both timing patterns read exactly as the standard draws them (ISO/IEC 18004 §6.3.3, §6.3.5);
//! anything else (photos, rotation, inversion, noise) falls through to the detectors.

use crate::grid::ModuleGrid;
use crate::luma::Luma8;

/// Grey level below which a pixel counts as dark.
const THRESHOLD: u8 = 128;

/// A grid sampled by known geometry, and where it sits in the image.
#[derive(Debug, Clone)]
pub(crate) struct KnownHit {
    /// The sampled modules.
    pub grid: ModuleGrid,
    /// Corners of the symbol (top-left, top-right, bottom-right, bottom-left), in pixels.
    pub corners: [(f32, f32); 4],
    /// True when no dark pixel lies outside the symbol's square: the image holds this code only.
    pub alone: bool,
}

/// Samples a clean upright render; `None` if the image does not look like one.
pub(crate) fn sample(img: &Luma8) -> Option<KnownHit> {
    let (w, h) = (img.width as usize, img.height as usize);
    let rows = img.data.chunks_exact(w);
    let (top, row) = rows
        .enumerate()
        .find_map(|(y, r)| r.iter().position(|&p| p < THRESHOLD).map(|_| (y, r)))?;
    let left = row.iter().position(|&p| p < THRESHOLD)?;
    let right = row.iter().rposition(|&p| p < THRESHOLD)?;
    let width = right + 1 - left;
    let run = row[left..].iter().take_while(|&&p| p < THRESHOLD).count();
    if run * 3 > width * 2 || top + width > h {
        return None;
    }
    let module = run as f64 / 7.0;
    let n = nearest_size(width as f64 / module)?;
    let pitch = width as f64 / n as f64;
    // Module i's centre lies `centre(i)` pixels into the symbol, along either axis.
    let centre = |i: usize| ((i as f64 + 0.5) * pitch) as usize;
    let mut columns = [0usize; 177];
    for (x, c) in columns[..n].iter_mut().enumerate() {
        *c = left + centre(x);
    }
    let mut grid = ModuleGrid::new(n);
    for y in 0..n {
        let pixels = &img.data[(top + centre(y)) * w..][..w];
        let row = grid.row_mut(y);
        for (x, &px) in columns[..n].iter().enumerate() {
            row[x / 64] |= u64::from(pixels[px] < THRESHOLD) << (x % 64);
        }
    }
    if !function_patterns_ok(&grid) {
        return None;
    }
    let bottom = top + width;
    let alone = nothing_dark_outside(img, left, top, right + 1, bottom);
    let (l, t, r, b) = (left as f32, top as f32, (right + 1) as f32, bottom as f32);
    Some(KnownHit { grid, corners: [(l, t), (r, t), (r, b), (l, b)], alone })
}

/// The QR size (21, 25, …, 177 modules) nearest to `modules`, if within a third of a module.
fn nearest_size(modules: f64) -> Option<usize> {
    let v = ((modules - 17.0) / 4.0).round();
    if !(1.0..=40.0).contains(&v) {
        return None;
    }
    let n = 17.0 + 4.0 * v;
    ((modules - n).abs() <= 1.0 / 3.0).then_some(n as usize)
}

/// Finder patterns (with separators) at three corners and both timing patterns, exactly.
fn function_patterns_ok(g: &ModuleGrid) -> bool {
    let n = g.size();
    let finder = |cx: usize, cy: usize| {
        // Modules -1..=7 around a finder whose top-left module is (cx, cy); -1 and 7 are the
        // light separator where it lies inside the symbol.
        for dy in -1i32..=7 {
            for dx in -1i32..=7 {
                let (x, y) = (cx as i32 + dx, cy as i32 + dy);
                if x < 0 || y < 0 || x >= n as i32 || y >= n as i32 {
                    continue;
                }
                // Chebyshev distance from the centre: 0-1 dark core, 2 light ring, 3 dark
                // border, 4 light separator.
                let d = (dx - 3).abs().max((dy - 3).abs());
                let dark = d != 2 && d <= 3;
                if g.get(x as usize, y as usize) != dark {
                    return false;
                }
            }
        }
        true
    };
    if !(finder(0, 0) && finder(n - 7, 0) && finder(0, n - 7)) {
        return false;
    }
    (8..n - 8).all(|i| g.get(i, 6) == (i % 2 == 0) && g.get(6, i) == (i % 2 == 0))
}

/// No dark pixel outside the rectangle [x0, x1) x [y0, y1).
fn nothing_dark_outside(img: &Luma8, x0: usize, y0: usize, x1: usize, y1: usize) -> bool {
    let w = img.width as usize;
    img.data.chunks_exact(w).enumerate().all(|(y, row)| {
        if y < y0 || y >= y1 {
            row.iter().all(|&p| p >= THRESHOLD)
        } else {
            row[..x0].iter().all(|&p| p >= THRESHOLD) && row[x1..].iter().all(|&p| p >= THRESHOLD)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(nearest_size(21.0), Some(21));
        assert_eq!(nearest_size(25.2), Some(25));
        assert_eq!(nearest_size(23.0), None);
        assert_eq!(nearest_size(181.0), None);
        assert_eq!(nearest_size(17.0), None);
    }

    #[test]
    fn blank_and_tiny_images_are_not_renders() {
        assert!(sample(&Luma8::new(1, 1, vec![0]).unwrap()).is_none());
        assert!(sample(&Luma8::new(10, 10, vec![255; 100]).unwrap()).is_none());
        assert!(sample(&Luma8::new(30, 30, vec![0; 900]).unwrap()).is_none());
    }
}

//! Layer 4: transformed copies of an image, tried in order only when nothing was found.
//!
//! Mirrored codes need no image copy: every grid is decoded in both orientations. Rotations need
//! none either: both detectors are rotation-invariant.

use crate::luma::Luma8;

/// Longest side above which a downscaled copy is tried.
const HUGE_SIDE: u32 = 1600;
/// Longest side below which an upscaled copy is tried.
const TINY_SIDE: u32 = 240;

/// One fallback attempt.
pub(crate) enum Variant {
    /// Run the detectors on this image.
    Image(Luma8),
    /// Run rxing with a global-histogram threshold on the original image.
    GlobalThreshold,
}

/// The fallbacks for `img`, cheapest and likeliest first.
pub(crate) fn variants(img: &Luma8) -> Vec<Variant> {
    let mut v = vec![Variant::Image(invert(img))];
    let side = img.width.max(img.height);
    if side > HUGE_SIDE {
        let f = side.div_ceil(HUGE_SIDE / 2).min(8);
        v.push(Variant::Image(downscale(img, f)));
    }
    if (8..TINY_SIDE).contains(&side) {
        v.push(Variant::Image(upscale(img, 3)));
    }
    v.push(Variant::GlobalThreshold);
    if side >= 64 {
        v.push(Variant::Image(downscale(img, 2)));
    }
    v
}

fn invert(img: &Luma8) -> Luma8 {
    Luma8 {
        width: img.width,
        height: img.height,
        data: img.data.iter().map(|&p| 255 - p).collect(),
    }
}

/// Box filter: each output pixel is the mean of an `f` x `f` block.
fn downscale(img: &Luma8, f: u32) -> Luma8 {
    let (w, h) = ((img.width / f).max(1), (img.height / f).max(1));
    let mut data = Vec::with_capacity((w * h) as usize);
    for y in 0..h {
        for x in 0..w {
            let mut sum = 0u32;
            let mut n = 0u32;
            for yy in y * f..((y + 1) * f).min(img.height) {
                for xx in x * f..((x + 1) * f).min(img.width) {
                    sum += u32::from(img.at(xx, yy));
                    n += 1;
                }
            }
            data.push((sum / n.max(1)) as u8);
        }
    }
    Luma8 { width: w, height: h, data }
}

/// Bilinear upscale by an integer factor.
fn upscale(img: &Luma8, f: u32) -> Luma8 {
    let (w, h) = (img.width * f, img.height * f);
    let mut data = Vec::with_capacity((w * h) as usize);
    let ff = f as f32;
    for y in 0..h {
        let sy = ((y as f32 + 0.5) / ff - 0.5).clamp(0.0, (img.height - 1) as f32);
        let (y0, ty) = (sy.floor() as u32, sy.fract());
        let y1 = (y0 + 1).min(img.height - 1);
        for x in 0..w {
            let sx = ((x as f32 + 0.5) / ff - 0.5).clamp(0.0, (img.width - 1) as f32);
            let (x0, tx) = (sx.floor() as u32, sx.fract());
            let x1 = (x0 + 1).min(img.width - 1);
            let p = |x, y| f32::from(img.at(x, y));
            let top = p(x0, y0) * (1.0 - tx) + p(x1, y0) * tx;
            let bot = p(x0, y1) * (1.0 - tx) + p(x1, y1) * tx;
            data.push((top * (1.0 - ty) + bot * ty).round() as u8);
        }
    }
    Luma8 { width: w, height: h, data }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_shapes() {
        let img = Luma8::new(4, 2, vec![0, 255, 0, 255, 0, 255, 0, 255]).unwrap();
        let d = downscale(&img, 2);
        assert_eq!((d.width, d.height, d.data), (2, 1, vec![127, 127]));
        let u = upscale(&img, 3);
        assert_eq!((u.width, u.height), (12, 6));
        assert_eq!(invert(&img).data[0], 255);
    }
}

//! [`Luma8`], the grey image every layer reads. A leaf: it names no other module.

/// An 8-bit greyscale image, row-major, one byte per pixel (0 = black, 255 = white).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Luma8 {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height` grey values, row by row.
    pub data: Vec<u8>,
}

impl Luma8 {
    /// Wraps a grey buffer; `None` if `data.len() != width * height`.
    pub fn new(width: u32, height: u32, data: Vec<u8>) -> Option<Self> {
        (data.len() as u64 == u64::from(width) * u64::from(height)).then_some(Luma8 {
            width,
            height,
            data,
        })
    }

    /// The grey value at (x, y); callers keep x < width and y < height.
    #[inline]
    pub(crate) fn at(&self, x: u32, y: u32) -> u8 {
        self.data[y as usize * self.width as usize + x as usize]
    }
}

//! A square grid of sampled QR modules: what every detector produces and the decoder consumes.

/// The modules of one QR symbol as sampled from an image, `true` = dark.
///
/// Stored one bit per module, each row in whole `u64` words (module `x` is bit `x % 64` of the
/// row's word `x / 64`), the packing of `qrpin_render::QrMatrix`, so the two compare row by row.
/// Implements [`rqrr::BitGrid`], so rqrr's decoder reads it directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleGrid {
    size: usize,
    stride: usize,
    bits: Vec<u64>,
}

impl ModuleGrid {
    /// An all-light grid of `size` x `size` modules.
    pub fn new(size: usize) -> Self {
        let stride = size.div_ceil(64);
        ModuleGrid { size, stride, bits: vec![0; size * stride] }
    }

    /// Builds a grid from a function of (x, y) → dark.
    pub fn from_fn(size: usize, mut dark: impl FnMut(usize, usize) -> bool) -> Self {
        let mut g = ModuleGrid::new(size);
        for y in 0..size {
            for x in 0..size {
                if dark(x, y) {
                    g.set(x, y, true);
                }
            }
        }
        g
    }

    /// Modules per side.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Whether the module at column `x`, row `y` is dark. Panics if out of range.
    #[inline]
    pub fn get(&self, x: usize, y: usize) -> bool {
        assert!(x < self.size && y < self.size, "module ({x}, {y}) outside grid");
        self.bits[y * self.stride + x / 64] >> (x % 64) & 1 == 1
    }

    /// Sets the module at column `x`, row `y`. Panics if out of range.
    #[inline]
    pub fn set(&mut self, x: usize, y: usize, dark: bool) {
        assert!(x < self.size && y < self.size, "module ({x}, {y}) outside grid");
        let (word, bit) = (&mut self.bits[y * self.stride + x / 64], 1u64 << (x % 64));
        if dark {
            *word |= bit;
        } else {
            *word &= !bit;
        }
    }

    /// Row `y` as whole words (see the type's documentation). Panics if out of range.
    pub(crate) fn row(&self, y: usize) -> &[u64] {
        &self.bits[y * self.stride..(y + 1) * self.stride]
    }

    /// Row `y` as mutable words, for samplers that fill a row at once. Panics if out of range;
    /// bits past the right edge must stay zero.
    pub(crate) fn row_mut(&mut self, y: usize) -> &mut [u64] {
        &mut self.bits[y * self.stride..(y + 1) * self.stride]
    }

    /// The same grid reflected about its main diagonal (x and y swapped): how a mirrored symbol
    /// reads back as a normal one.
    pub fn transposed(&self) -> ModuleGrid {
        ModuleGrid::from_fn(self.size, |x, y| self.get(y, x))
    }

    /// Copies the grid into an rxing bit matrix (for rxing's decoder).
    pub(crate) fn to_bit_matrix(&self) -> Option<rxing::common::BitMatrix> {
        let n = u32::try_from(self.size).ok()?;
        let mut m = rxing::common::BitMatrix::with_single_dimension(n).ok()?;
        for y in 0..self.size {
            for x in 0..self.size {
                if self.get(x, y) {
                    m.set(x as u32, y as u32);
                }
            }
        }
        Some(m)
    }

    /// Copies a grid out of anything rqrr can read.
    pub(crate) fn from_bit_grid(g: &dyn rqrr::BitGrid) -> ModuleGrid {
        ModuleGrid::from_fn(g.size(), |x, y| g.bit(y, x))
    }
}

impl rqrr::BitGrid for ModuleGrid {
    fn size(&self) -> usize {
        self.size
    }

    fn bit(&self, y: usize, x: usize) -> bool {
        self.get(x, y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_transpose() {
        let mut g = ModuleGrid::new(21);
        g.set(3, 5, true);
        g.set(20, 20, true);
        assert!(g.get(3, 5) && !g.get(5, 3) && g.get(20, 20));
        let t = g.transposed();
        assert!(t.get(5, 3) && !t.get(3, 5));
        g.set(3, 5, false);
        assert!(!g.get(3, 5));
    }
}

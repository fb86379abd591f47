//! The QR module grid: encoding a payload at an exact error-correction level into a compact,
//! bit-packed matrix that the writers (and the scan crate) share.

use qrpin_codec::Ecl;

use crate::RenderError;

/// The smallest QR version (21×21 modules).
pub const MIN_VERSION: u8 = 1;
/// The largest QR version (177×177 modules).
pub const MAX_VERSION: u8 = 40;

/// How to turn a payload into a [`QrMatrix`].
///
/// The payload is always encoded as one byte-mode segment (ISO/IEC 18004 §7.4.5), at exactly the
/// requested error-correction level: the level is never raised even when the data would fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodeOptions {
    /// Error-correction level. Default: `L`, the level of the images Microsoft Graph returns.
    pub ecl: Ecl,
    /// Force this version (1..=40); `None` picks the smallest that fits.
    pub version: Option<u8>,
    /// Force this mask pattern (0..=7); `None` picks the one with the lowest penalty score
    /// (ISO/IEC 18004 §7.8.3), as `qrcodegen` does.
    pub mask: Option<u8>,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        EncodeOptions { ecl: Ecl::L, version: None, mask: None }
    }
}

/// A finished QR symbol: version, error-correction level, mask and the square module grid.
///
/// Rows are bit-packed: row `y` is [`QrMatrix::stride`] `u64` words, and module `x` is bit
/// `x % 64` (least significant first) of word `x / 64`. A set bit is a dark module. Bits past
/// the right edge of a row are always zero. Up to version 11 (61 modules) a row is one word.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct QrMatrix {
    version: u8,
    ecl: Ecl,
    mask: u8,
    size: usize,
    stride: usize,
    bits: Vec<u64>,
}

impl QrMatrix {
    /// Encodes `data` in byte mode as described by `opts`.
    ///
    /// ```
    /// use qrpin_render::{EncodeOptions, QrMatrix};
    /// use qrpin_codec::Ecl;
    ///
    /// let text = "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";
    /// let m = QrMatrix::encode(text.as_bytes(), &EncodeOptions { ecl: Ecl::H, ..Default::default() })?;
    /// assert_eq!((m.version(), m.ecl(), m.size()), (8, Ecl::H, 49));
    /// # Ok::<(), qrpin_render::RenderError>(())
    /// ```
    ///
    /// # Errors
    /// [`RenderError::BadVersion`] or [`RenderError::BadMask`] for out-of-range options, and
    /// [`RenderError::DataTooLong`] when the data does not fit the allowed versions.
    pub fn encode(data: &[u8], opts: &EncodeOptions) -> Result<QrMatrix, RenderError> {
        let (minv, maxv) = match opts.version {
            Some(v) => {
                check_version(u32::from(v))?;
                (v, v)
            }
            None => (MIN_VERSION, MAX_VERSION),
        };
        if let Some(m) = opts.mask.filter(|&m| m > 7) {
            return Err(RenderError::BadMask(u32::from(m)));
        }
        let version = (minv..=maxv)
            .find(|&v| crate::mask::fits(data.len(), v, opts.ecl))
            .ok_or_else(|| too_long(data.len(), maxv, opts.ecl))?;
        let (mask, bits) = crate::mask::encode(data, version, opts.ecl, opts.mask);
        let size = size_of_version(version);
        Ok(QrMatrix { version, ecl: opts.ecl, mask, size, stride: size.div_ceil(64), bits })
    }

    /// Builds a matrix from a module function (`true` = dark), e.g. a grid sampled from an image.
    ///
    /// ```
    /// use qrpin_render::QrMatrix;
    /// use qrpin_codec::Ecl;
    ///
    /// let m = QrMatrix::from_fn(1, Ecl::M, 0, |x, y| (x + y) % 2 == 0)?;
    /// assert!(m.get(0, 0) && !m.get(1, 0));
    /// # Ok::<(), qrpin_render::RenderError>(())
    /// ```
    ///
    /// # Errors
    /// [`RenderError::BadVersion`] or [`RenderError::BadMask`] for out-of-range values.
    pub fn from_fn(
        version: u8,
        ecl: Ecl,
        mask: u8,
        mut dark: impl FnMut(usize, usize) -> bool,
    ) -> Result<QrMatrix, RenderError> {
        check_version(u32::from(version))?;
        if mask > 7 {
            return Err(RenderError::BadMask(u32::from(mask)));
        }
        let mut m = QrMatrix::blank(version, ecl, mask);
        for y in 0..m.size {
            for x in 0..m.size {
                if dark(x, y) {
                    m.set(x, y, true);
                }
            }
        }
        Ok(m)
    }

    fn blank(version: u8, ecl: Ecl, mask: u8) -> QrMatrix {
        let size = size_of_version(version);
        let stride = size.div_ceil(64);
        QrMatrix { version, ecl, mask, size, stride, bits: vec![0; stride * size] }
    }

    /// The version, 1..=40.
    pub fn version(&self) -> u8 {
        self.version
    }

    /// The error-correction level.
    pub fn ecl(&self) -> Ecl {
        self.ecl
    }

    /// The mask pattern, 0..=7.
    pub fn mask(&self) -> u8 {
        self.mask
    }

    /// Modules per side: `4 × version + 17`.
    pub fn size(&self) -> usize {
        self.size
    }

    /// `u64` words per row: `size.div_ceil(64)` (1 up to version 11, at most 3).
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// Whether the module at column `x`, row `y` is dark. Outside the grid is light.
    pub fn get(&self, x: usize, y: usize) -> bool {
        x < self.size && y < self.size && (self.bits[y * self.stride + x / 64] >> (x % 64)) & 1 == 1
    }

    /// Sets the module at column `x`, row `y`; coordinates outside the grid are ignored.
    pub fn set(&mut self, x: usize, y: usize, dark: bool) {
        if x >= self.size || y >= self.size {
            return;
        }
        let word = &mut self.bits[y * self.stride + x / 64];
        let bit = 1u64 << (x % 64);
        if dark {
            *word |= bit;
        } else {
            *word &= !bit;
        }
    }

    /// Row `y` as [`stride`](Self::stride) packed words (see the type's documentation).
    ///
    /// # Panics
    /// If `y >= size`.
    pub fn row(&self, y: usize) -> &[u64] {
        &self.bits[y * self.stride..(y + 1) * self.stride]
    }

    /// The runs of dark modules in row `y`, left to right, as `(start column, length)`.
    pub fn dark_runs(&self, y: usize) -> DarkRuns<'_> {
        DarkRuns { row: self.row(y), x: 0, size: self.size }
    }

    /// The number of dark modules.
    pub fn dark_count(&self) -> usize {
        self.bits.iter().map(|w| w.count_ones() as usize).sum()
    }
}

impl std::fmt::Debug for QrMatrix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "QrMatrix {{ version: {}, ecl: {}, mask: {}, size: {} }}",
            self.version, self.ecl, self.mask, self.size
        )?;
        for y in 0..self.size {
            for x in 0..self.size {
                f.write_str(if self.get(x, y) { "#" } else { "." })?;
            }
            f.write_str("\n")?;
        }
        Ok(())
    }
}

/// Iterator over the dark runs of one row; see [`QrMatrix::dark_runs`].
#[derive(Debug, Clone)]
pub struct DarkRuns<'a> {
    row: &'a [u64],
    x: usize,
    size: usize,
}

impl Iterator for DarkRuns<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let bit = |x: usize| (self.row[x / 64] >> (x % 64)) & 1 == 1;
        // Skip light modules a word at a time where the rest of the word is light.
        while self.x < self.size {
            let rest = self.row[self.x / 64] >> (self.x % 64);
            if rest == 0 {
                self.x = (self.x / 64 + 1) * 64;
                continue;
            }
            self.x += rest.trailing_zeros() as usize;
            break;
        }
        if self.x >= self.size {
            return None;
        }
        let start = self.x;
        while self.x < self.size && bit(self.x) {
            self.x += 1;
        }
        Some((start, self.x - start))
    }
}

/// Modules per side of a version: `4v + 17` (ISO/IEC 18004 §5.3.1).
pub fn size_of_version(version: u8) -> usize {
    4 * usize::from(version) + 17
}

/// How many bytes one byte-mode segment can hold at `version` and `ecl`.
///
/// ```
/// use qrpin_render::byte_capacity;
/// use qrpin_codec::Ecl;
/// assert_eq!(byte_capacity(4, Ecl::L)?, 78); // ISO/IEC 18004 Table 7
/// # Ok::<(), qrpin_render::RenderError>(())
/// ```
///
/// # Errors
/// [`RenderError::BadVersion`] outside 1..=40.
pub fn byte_capacity(version: u8, ecl: Ecl) -> Result<usize, RenderError> {
    check_version(u32::from(version))?;
    Ok(crate::mask::capacity(version, ecl))
}

/// Reads the format information (ISO/IEC 18004 §7.9) of a sampled symbol of `size` modules:
/// the error-correction level and mask whose 15-bit word the first copy, or else the second,
/// holds exactly. `dark(x, y)` gives the module at column `x`, row `y`.
///
/// No error correction is attempted: `None` when neither copy is a valid word, so a damaged
/// symbol is left to a full decoder.
///
/// ```
/// use qrpin_render::{read_format, EncodeOptions, QrMatrix};
/// use qrpin_codec::Ecl;
///
/// let m = QrMatrix::encode(b"hello", &EncodeOptions { ecl: Ecl::Q, mask: Some(5), ..Default::default() })?;
/// assert_eq!(read_format(m.size(), |x, y| m.get(x, y)), Some((Ecl::Q, 5)));
/// assert_eq!(read_format(m.size(), |_, _| false), None);
/// # Ok::<(), qrpin_render::RenderError>(())
/// ```
pub fn read_format(size: usize, dark: impl Fn(usize, usize) -> bool) -> Option<(Ecl, u8)> {
    use crate::layout::{coord, format_bits, FORMAT_MODULES};
    if size < size_of_version(MIN_VERSION) {
        return None;
    }
    FORMAT_MODULES.chunks_exact(15).find_map(|copy| {
        let word = copy.iter().fold(0u16, |w, &(x, y, bit)| {
            w | u16::from(dark(coord(x, size), coord(y, size))) << bit
        });
        Ecl::ALL
            .into_iter()
            .flat_map(|e| (0..8).map(move |m| (e, m)))
            .find(|&(e, m)| format_bits(e, m) == word)
    })
}

fn check_version(v: u32) -> Result<(), RenderError> {
    if (u32::from(MIN_VERSION)..=u32::from(MAX_VERSION)).contains(&v) {
        Ok(())
    } else {
        Err(RenderError::BadVersion(v))
    }
}

fn too_long(len: usize, version: u8, ecl: Ecl) -> RenderError {
    RenderError::DataTooLong {
        len,
        version,
        ecl,
        // The version was checked above, so this cannot fail.
        max: byte_capacity(version, ecl).unwrap_or(0),
    }
}

#[cfg(test)]
fn qrcodegen_ecl(ecl: Ecl) -> qrcodegen::QrCodeEcc {
    use qrcodegen::QrCodeEcc;
    match ecl {
        Ecl::L => QrCodeEcc::Low,
        Ecl::M => QrCodeEcc::Medium,
        Ecl::Q => QrCodeEcc::Quartile,
        Ecl::H => QrCodeEcc::High,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrcodegen::{QrCode, QrSegment, Version};

    const SAMPLE: &str =
        "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";

    fn enc(text: &str, ecl: Ecl) -> QrMatrix {
        QrMatrix::encode(text.as_bytes(), &EncodeOptions { ecl, ..Default::default() }).unwrap()
    }

    #[test]
    fn sample_versions_per_level() {
        assert_eq!(SAMPLE.len(), 76);
        let got: Vec<u8> = Ecl::ALL.iter().map(|&e| enc(SAMPLE, e).version()).collect();
        assert_eq!(got, [4, 5, 7, 8]);
        for e in Ecl::ALL {
            assert_eq!(enc(SAMPLE, e).ecl(), e, "level is never boosted");
        }
    }

    #[test]
    fn matrix_equals_qrcodegen_module_for_module() {
        for e in Ecl::ALL {
            let qr = QrCode::encode_segments_advanced(
                &[QrSegment::make_bytes(SAMPLE.as_bytes())],
                qrcodegen_ecl(e),
                Version::MIN,
                Version::MAX,
                None,
                false,
            )
            .unwrap();
            let m = enc(SAMPLE, e);
            assert_eq!(m.size() as i32, qr.size());
            assert_eq!(m.mask(), qr.mask().value());
            for y in 0..m.size() {
                for x in 0..m.size() {
                    assert_eq!(m.get(x, y), qr.get_module(x as i32, y as i32), "({x},{y})");
                }
            }
        }
    }

    #[test]
    fn forced_version_and_mask() {
        let opts = EncodeOptions { ecl: Ecl::M, version: Some(12), mask: Some(5) };
        let m = QrMatrix::encode(SAMPLE.as_bytes(), &opts).unwrap();
        assert_eq!((m.version(), m.mask(), m.size(), m.stride()), (12, 5, 65, 2));
    }

    #[test]
    fn errors_are_typed() {
        let bad = |version, mask| {
            QrMatrix::encode(b"x", &EncodeOptions { ecl: Ecl::L, version, mask }).unwrap_err()
        };
        assert!(matches!(bad(Some(0), None), RenderError::BadVersion(0)));
        assert!(matches!(bad(Some(41), None), RenderError::BadVersion(41)));
        assert!(matches!(bad(None, Some(8)), RenderError::BadMask(8)));
        let long = QrMatrix::encode(
            SAMPLE.as_bytes(),
            &EncodeOptions { ecl: Ecl::H, version: Some(3), mask: None },
        )
        .unwrap_err();
        match &long {
            RenderError::DataTooLong { len: 76, version: 3, ecl: Ecl::H, max } => {
                assert_eq!(*max, 24)
            }
            other => panic!("{other:?}"),
        }
        assert!(long.to_string().contains("76 bytes"), "{long}");
        let huge = vec![b'a'; 3000];
        let e = QrMatrix::encode(&huge, &EncodeOptions::default()).unwrap_err();
        assert!(matches!(e, RenderError::DataTooLong { max: 2953, version: 40, .. }), "{e:?}");
        // Over 255 bytes cannot even be counted in a version 1-9 byte segment.
        let e = QrMatrix::encode(
            &huge[..300],
            &EncodeOptions { version: Some(9), ..Default::default() },
        )
        .unwrap_err();
        assert!(matches!(e, RenderError::DataTooLong { max: 230, .. }), "{e:?}");
    }

    #[test]
    fn capacities_match_the_standard_table() {
        // ISO/IEC 18004 Table 7, byte mode.
        for (v, caps) in
            [(1, [17, 14, 11, 7]), (10, [271, 213, 151, 119]), (40, [2953, 2331, 1663, 1273])]
        {
            for (e, cap) in Ecl::ALL.into_iter().zip(caps) {
                assert_eq!(byte_capacity(v, e).unwrap(), cap, "v{v} {e}");
            }
        }
    }

    #[test]
    fn capacity_is_exactly_what_fits() {
        for v in 1..=40u8 {
            for e in Ecl::ALL {
                let cap = byte_capacity(v, e).unwrap();
                let at = |n: usize| {
                    QrMatrix::encode(
                        &vec![b'x'; n],
                        &EncodeOptions { ecl: e, version: Some(v), mask: Some(0) },
                    )
                };
                assert!(at(cap).is_ok(), "v{v} {e} cap {cap}");
                assert!(
                    matches!(at(cap + 1), Err(RenderError::DataTooLong { max, .. }) if max == cap)
                );
            }
        }
        assert!(matches!(byte_capacity(0, Ecl::L), Err(RenderError::BadVersion(0))));
    }

    #[test]
    fn packing_runs_and_bounds() {
        let m = QrMatrix::from_fn(12, Ecl::Q, 3, |x, y| {
            y == 1 && (x < 3 || (60..70).contains(&x) || x == 64)
        })
        .unwrap();
        assert_eq!(m.stride(), 2);
        let runs: Vec<_> = m.dark_runs(1).collect();
        assert_eq!(runs, [(0, 3), (60, 5)], "clipped at the edge (65 modules)");
        assert_eq!(m.dark_runs(0).count(), 0);
        assert_eq!(m.dark_count(), 8);
        assert!(!m.get(65, 1) && !m.get(1000, 1000));
        // Padding bits past the edge stay zero.
        assert_eq!(m.row(1)[1] >> (65 - 64), 0);
        let full = QrMatrix::from_fn(1, Ecl::L, 0, |_, _| true).unwrap();
        assert_eq!(full.dark_runs(20).collect::<Vec<_>>(), [(0, 21)]);
        assert_eq!(full.row(0)[0], (1 << 21) - 1);
        assert!(QrMatrix::from_fn(0, Ecl::L, 0, |_, _| true).is_err());
        assert!(QrMatrix::from_fn(1, Ecl::L, 9, |_, _| true).is_err());
    }
}

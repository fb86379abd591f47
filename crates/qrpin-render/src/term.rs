//! The terminal writer: two module rows per text line with Unicode half blocks.
//!
//! Each character cell holds a top and a bottom module: `█` both painted, `▀` top only, `▄`
//! bottom only, space neither. By default the *light* modules are painted, because on the usual
//! terminal (light text on a dark background) painted cells show the light text colour and
//! unpainted ones the dark background. [`TextOptions::light_terminal`] paints the dark modules
//! instead, for dark text on a light background.

use crate::options::MAX_BORDER;
use crate::{QrMatrix, RenderError, TextOptions};

/// Writes `m` as lines of half-block characters into `out` (cleared first); every line ends in
/// `\n`. A symbol with an odd number of rows (with the quiet zone) gets one extra light row.
///
/// ```
/// use qrpin_render::{write_text, EncodeOptions, QrMatrix, TextOptions};
/// let m = QrMatrix::encode(b"hello", &EncodeOptions::default())?;
/// let mut txt = String::new();
/// write_text(&m, &TextOptions::default(), &mut txt)?;
/// assert_eq!(txt.lines().count(), 15); // (21 + 2 × 4 + 1) / 2
/// assert!(txt.lines().all(|l| l.chars().count() == 29));
/// # Ok::<(), qrpin_render::RenderError>(())
/// ```
///
/// # Errors
/// [`RenderError::BadBorder`] past [`MAX_BORDER`].
pub fn write_text(m: &QrMatrix, opts: &TextOptions, out: &mut String) -> Result<(), RenderError> {
    if opts.border > MAX_BORDER {
        return Err(RenderError::BadBorder(opts.border));
    }
    let b = opts.border as isize;
    let n = m.size() as isize + 2 * b;
    // Painted = light module on a dark terminal, dark module on a light one. Outside the symbol
    // (quiet zone and the padding row) is light.
    let painted = |x: isize, y: isize| {
        let (mx, my) = (x - b, y - b);
        let dark = mx >= 0 && my >= 0 && m.get(mx as usize, my as usize);
        dark == opts.light_terminal
    };
    out.clear();
    out.reserve((n as usize).div_ceil(2) * (n as usize * 3 + 1));
    let mut y = 0;
    while y < n {
        for x in 0..n {
            let top = painted(x, y);
            let bottom = if y + 1 < n { painted(x, y + 1) } else { !opts.light_terminal };
            out.push(match (top, bottom) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        out.push('\n');
        y += 2;
    }
    Ok(())
}

/// [`write_text`] into a new string.
///
/// # Errors
/// As [`write_text`].
pub fn to_text(m: &QrMatrix, opts: &TextOptions) -> Result<String, RenderError> {
    let mut s = String::new();
    write_text(m, opts, &mut s)?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrpin_codec::Ecl;

    /// Reads the half blocks back into a module grid (true = dark).
    fn read_back(txt: &str, light_terminal: bool) -> Vec<Vec<bool>> {
        let mut rows = Vec::new();
        for line in txt.lines() {
            let (mut top, mut bottom) = (Vec::new(), Vec::new());
            for c in line.chars() {
                let (t, b) = match c {
                    '█' => (true, true),
                    '▀' => (true, false),
                    '▄' => (false, true),
                    ' ' => (false, false),
                    other => panic!("unexpected {other:?}"),
                };
                top.push(t == light_terminal);
                bottom.push(b == light_terminal);
            }
            rows.push(top);
            rows.push(bottom);
        }
        rows
    }

    #[test]
    fn round_trips_both_themes() {
        let m = QrMatrix::encode(b"terminal", &Default::default()).unwrap();
        for light in [false, true] {
            for border in [0, 1, 4] {
                let opts = TextOptions { border, light_terminal: light };
                let grid = read_back(&to_text(&m, &opts).unwrap(), light);
                let n = m.size() + 2 * border as usize;
                assert_eq!(grid.len(), n + 1, "odd size gets one padding row");
                assert!(grid[n].iter().all(|&d| !d), "padding row is light");
                for (y, row) in grid.iter().take(n).enumerate() {
                    assert_eq!(row.len(), n);
                    for (x, &dark) in row.iter().enumerate() {
                        let b = border as usize;
                        let want = x >= b && y >= b && m.get(x - b, y - b);
                        assert_eq!(dark, want, "({x},{y}) light={light} border={border}");
                    }
                }
            }
        }
    }

    #[test]
    fn rejects_wide_border() {
        let m = QrMatrix::from_fn(1, Ecl::L, 0, |_, _| false).unwrap();
        let opts = TextOptions { border: 101, ..Default::default() };
        assert!(matches!(to_text(&m, &opts), Err(RenderError::BadBorder(101))));
    }
}

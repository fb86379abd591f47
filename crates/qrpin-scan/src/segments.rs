//! Error-corrected data codewords → text, segment by segment (ISO/IEC 18004:2015 §7.4).
//!
//! Character sets: an ECI designator (§7.4.3) sets the set for the byte segments after it;
//! Kanji segments (§7.4.6) are Shift JIS and Hanzi segments (GB/T 18284) are GB 2312 whatever
//! the ECI. Byte segments without an ECI have no declared set: they are read as UTF-8 when valid,
//! as Shift JIS when they are valid Shift JIS that looks Japanese (double-byte JIS X 0208
//! characters or runs of half-width katakana, as many Japanese generators write without an ECI),
//! and as ISO-8859-1 otherwise. In GS1 mode (FNC1 in first position) a `%` in an alphanumeric
//! segment is the GS separator (0x1D) and `%%` a literal `%` (§7.4.8.1).

use encoding_rs::{Encoding, GB18030, SHIFT_JIS};

/// What the segments of a symbol say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodedText {
    /// The text, character sets applied.
    pub text: String,
    /// The payload bytes of all segments, concatenated, before any character-set conversion.
    pub bytes: Vec<u8>,
}

/// Why a data stream could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextError {
    /// A segment claims more bits than the stream holds.
    Underflow,
    /// An unknown mode indicator or value.
    BadData,
}

/// The character set of a run of bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Charset {
    /// No ECI seen: guess (UTF-8, Shift JIS, ISO-8859-1).
    Default,
    /// ISO-8859-1 (byte = code point).
    Latin1,
    /// Anything `encoding_rs` decodes.
    Enc(&'static Encoding),
    /// UTF-32 (big-endian when true), which `encoding_rs` lacks.
    Utf32(bool),
}

struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Bits<'_> {
    fn remaining(&self) -> usize {
        self.data.len() * 8 - self.pos
    }

    fn take(&mut self, n: usize) -> Result<u32, TextError> {
        if n > self.remaining() {
            return Err(TextError::Underflow);
        }
        let mut v = 0u32;
        for _ in 0..n {
            let bit = self.data[self.pos >> 3] >> (7 - (self.pos & 7)) & 1;
            v = v << 1 | u32::from(bit);
            self.pos += 1;
        }
        Ok(v)
    }
}

/// Character-count indicator widths (Table 3) for numeric, alphanumeric, byte, Kanji/Hanzi.
fn count_bits(mode: u32, version: usize) -> usize {
    let band = match version {
        0..=9 => 0,
        10..=26 => 1,
        _ => 2,
    };
    match mode {
        1 => [10, 12, 14][band],
        2 => [9, 11, 13][band],
        4 => [8, 16, 16][band],
        _ => [8, 10, 12][band],
    }
}

const ALNUM: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Parses the data codewords of a symbol of `version` (1..=40).
pub(crate) fn decode_segments(data: &[u8], version: usize) -> Result<DecodedText, TextError> {
    let mut bits = Bits { data, pos: 0 };
    let mut runs: Vec<(Charset, Vec<u8>)> = Vec::new();
    let mut bytes = Vec::with_capacity(data.len());
    let mut current = Charset::Default;
    let mut gs1 = false;
    let push = |runs: &mut Vec<(Charset, Vec<u8>)>, cs: Charset, b: &[u8]| match runs.last_mut() {
        Some((c, v)) if *c == cs => v.extend_from_slice(b),
        _ => runs.push((cs, b.to_vec())),
    };
    // ASCII from numeric/alphanumeric segments joins the current run unless that is a UTF-16/32
    // run, where ASCII bytes would mean something else.
    let ascii_cs = |cs: Charset| match cs {
        Charset::Utf32(_) => Charset::Latin1,
        Charset::Enc(e) if e == encoding_rs::UTF_16BE || e == encoding_rs::UTF_16LE => {
            Charset::Latin1
        }
        other => other,
    };
    while bits.remaining() >= 4 {
        let mode = bits.take(4)?;
        match mode {
            0 => break,
            1 => {
                let n = bits.take(count_bits(1, version))? as usize;
                let mut out = Vec::with_capacity(n);
                let mut left = n;
                while left > 0 {
                    let (w, d) = match left {
                        1 => (4, 1),
                        2 => (7, 2),
                        _ => (10, 3),
                    };
                    let v = bits.take(w)?;
                    if v >= 10u32.pow(d as u32) {
                        return Err(TextError::BadData);
                    }
                    let s = format!("{v:0d$}");
                    out.extend_from_slice(s.as_bytes());
                    left -= d;
                }
                bytes.extend_from_slice(&out);
                push(&mut runs, ascii_cs(current), &out);
            }
            2 => {
                let n = bits.take(count_bits(2, version))? as usize;
                let mut out = Vec::with_capacity(n);
                let mut left = n;
                while left > 0 {
                    if left >= 2 {
                        let v = bits.take(11)? as usize;
                        if v >= 45 * 45 {
                            return Err(TextError::BadData);
                        }
                        out.push(ALNUM[v / 45]);
                        out.push(ALNUM[v % 45]);
                        left -= 2;
                    } else {
                        let v = bits.take(6)? as usize;
                        out.push(*ALNUM.get(v).ok_or(TextError::BadData)?);
                        left -= 1;
                    }
                }
                if gs1 {
                    out = gs1_percent(&out);
                }
                bytes.extend_from_slice(&out);
                push(&mut runs, ascii_cs(current), &out);
            }
            4 => {
                let n = bits.take(count_bits(4, version))? as usize;
                if n * 8 > bits.remaining() {
                    return Err(TextError::Underflow);
                }
                let start = bytes.len();
                for _ in 0..n {
                    bytes.push(bits.take(8)? as u8);
                }
                let seg = bytes[start..].to_vec();
                push(&mut runs, current, &seg);
            }
            8 | 13 => {
                if mode == 13 && bits.take(4)? != 1 {
                    return Err(TextError::BadData); // only the GB 2312 subset is defined
                }
                let n = bits.take(count_bits(8, version))? as usize;
                if n * 13 > bits.remaining() {
                    return Err(TextError::Underflow);
                }
                let mut out = Vec::with_capacity(2 * n);
                for _ in 0..n {
                    let v = bits.take(13)?;
                    let w = if mode == 8 {
                        // §7.4.6: undo (hi * 0xC0 + lo) after subtracting 0x8140 or 0xC140.
                        let t = (v / 0xC0) << 8 | (v % 0xC0);
                        if t + 0x8140 <= 0x9FFC {
                            t + 0x8140
                        } else {
                            t + 0xC140
                        }
                    } else {
                        // GB/T 18284: (hi * 0x60 + lo) after subtracting 0xA1A1 or 0xA6A1.
                        let t = (v / 0x60) << 8 | (v % 0x60);
                        if t < 0x0A00 {
                            t + 0xA1A1
                        } else {
                            t + 0xA6A1
                        }
                    };
                    out.push((w >> 8) as u8);
                    out.push(w as u8);
                }
                bytes.extend_from_slice(&out);
                let cs = if mode == 8 { Charset::Enc(SHIFT_JIS) } else { Charset::Enc(GB18030) };
                push(&mut runs, cs, &out);
            }
            7 => {
                let first = bits.take(8)?;
                let eci = if first & 0x80 == 0 {
                    first
                } else if first & 0xC0 == 0x80 {
                    (first & 0x3F) << 8 | bits.take(8)?
                } else if first & 0xE0 == 0xC0 {
                    (first & 0x1F) << 16 | bits.take(16)?
                } else {
                    return Err(TextError::BadData);
                };
                current = charset_for_eci(eci).unwrap_or(current);
            }
            3 => {
                bits.take(16)?; // structured append: index, count, parity (§8)
            }
            5 => gs1 = true,
            9 => {
                bits.take(8)?; // FNC1 in second position: application indicator
            }
            _ => return Err(TextError::BadData),
        }
    }
    let mut text = String::with_capacity(bytes.len());
    for (cs, run) in &runs {
        convert(*cs, run, &mut text);
    }
    Ok(DecodedText { text, bytes })
}

/// §7.4.8.1: in GS1 mode `%%` is `%` and a lone `%` is the FNC1 separator GS (0x1D).
fn gs1_percent(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' {
            if s.get(i + 1) == Some(&b'%') {
                out.push(b'%');
                i += 2;
                continue;
            }
            out.push(0x1D);
        } else {
            out.push(s[i]);
        }
        i += 1;
    }
    out
}

/// ECI assignment numbers (AIM ECI specification) → character set; `None` for unknown ones,
/// which leave the current set in force.
fn charset_for_eci(eci: u32) -> Option<Charset> {
    use encoding_rs::*;
    let enc = |e: &'static Encoding| Some(Charset::Enc(e));
    match eci {
        // 0 and 2 are CP437, which encoding_rs lacks: its ASCII half matches, Latin-1 is closest.
        0..=3 | 27 | 170 | 899 => Some(Charset::Latin1),
        4 => enc(ISO_8859_2),
        5 => enc(ISO_8859_3),
        6 => enc(ISO_8859_4),
        7 => enc(ISO_8859_5),
        8 => enc(ISO_8859_6),
        9 => enc(ISO_8859_7),
        10 => enc(ISO_8859_8),
        11 => enc(WINDOWS_1254), // ISO-8859-9 (encoding_rs maps it to windows-1254)
        12 => enc(ISO_8859_10),
        13 => enc(WINDOWS_874), // ISO-8859-11
        15 => enc(ISO_8859_13),
        16 => enc(ISO_8859_14),
        17 => enc(ISO_8859_15),
        18 => enc(ISO_8859_16),
        20 => enc(SHIFT_JIS),
        21 => enc(WINDOWS_1250),
        22 => enc(WINDOWS_1251),
        23 => enc(WINDOWS_1252),
        24 => enc(WINDOWS_1256),
        25 => enc(UTF_16BE),
        26 => enc(UTF_8),
        28 => enc(BIG5),
        29 | 32 => enc(GB18030),
        30 => enc(EUC_KR),
        33 => enc(UTF_16LE),
        34 => Some(Charset::Utf32(true)),
        35 => Some(Charset::Utf32(false)),
        _ => None,
    }
}

fn convert(cs: Charset, run: &[u8], out: &mut String) {
    match cs {
        Charset::Latin1 => out.extend(run.iter().map(|&b| char::from(b))),
        Charset::Enc(e) => out.push_str(&e.decode_without_bom_handling(run).0),
        Charset::Utf32(be) => {
            for c in run.chunks(4) {
                let v = match <[u8; 4]>::try_from(c) {
                    Ok(a) if be => u32::from_be_bytes(a),
                    Ok(a) => u32::from_le_bytes(a),
                    Err(_) => 0xFFFD,
                };
                out.push(char::from_u32(v).unwrap_or('\u{FFFD}'));
            }
        }
        Charset::Default => {
            if let Ok(s) = std::str::from_utf8(run) {
                out.push_str(s);
            } else if looks_like_shift_jis(run) {
                out.push_str(&SHIFT_JIS.decode_without_bom_handling(run).0);
            } else {
                convert(Charset::Latin1, run, out);
            }
        }
    }
}

/// Text from bytes without a declared character set (UTF-8, Shift JIS or ISO-8859-1, as above).
pub(crate) fn guess_text(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    convert(Charset::Default, bytes, &mut s);
    s
}

/// Whether bytes without a declared character set are better read as Shift JIS than as
/// ISO-8859-1 (both usually decode without error, so this weighs the evidence):
/// - they must be valid Shift JIS without user-defined characters (leads 0xF0–0xFC);
/// - three or more Japanese characters in a row (half-width katakana or double-byte) decide
///   for Shift JIS, and so does any byte 0x80–0x9F, which ISO-8859-1 text never holds;
/// - otherwise Shift JIS only when ISO-8859-1 would give mostly symbols: one katakana pair and
///   nothing else, or at least 10 % of the bytes in 0xA0–0xBF, × or ÷.
///
/// So "héllo" or "Müller" stay Latin-1, while "ﾃﾞｻﾞｲﾝ" and Kanji written in byte mode read as
/// Japanese, as Japanese generators that omit the ECI intend.
fn looks_like_shift_jis(b: &[u8]) -> bool {
    let (mut i, mut c1_controls) = (0, false);
    let (mut kana, mut kana_run, mut max_kana_run) = (0, 0, 0);
    let (mut double_run, mut max_double_run) = (0, 0);
    while i < b.len() {
        let c = b[i];
        match c {
            0x00..=0x7F => {
                (kana_run, double_run) = (0, 0);
                i += 1;
            }
            0xA1..=0xDF => {
                kana += 1;
                kana_run += 1;
                max_kana_run = max_kana_run.max(kana_run);
                double_run = 0;
                i += 1;
            }
            0x81..=0x9F | 0xE0..=0xEF => {
                c1_controls |= c <= 0x9F;
                let Some(&t) = b.get(i + 1) else {
                    return false;
                };
                if !matches!(t, 0x40..=0x7E | 0x80..=0xFC) {
                    return false;
                }
                c1_controls |= (0x80..=0x9F).contains(&t);
                double_run += 1;
                max_double_run = max_double_run.max(double_run);
                kana_run = 0;
                i += 2;
            }
            _ => return false,
        }
    }
    if SHIFT_JIS.decode_without_bom_handling_and_without_replacement(b).is_none() {
        return false;
    }
    if max_kana_run >= 3 || max_double_run >= 3 || c1_controls {
        return true;
    }
    let symbols = b.iter().filter(|&&c| matches!(c, 0xA0..=0xBF | 0xD7 | 0xF7)).count();
    (max_kana_run == 2 && kana == 2) || (symbols > 0 && symbols * 10 >= b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Packs (value, width) fields into bytes, padding with zero bits.
    fn pack(fields: &[(u32, usize)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut acc = 0u64;
        let mut n = 0;
        for &(v, w) in fields {
            acc = acc << w | u64::from(v);
            n += w;
            while n >= 8 {
                out.push((acc >> (n - 8)) as u8);
                n -= 8;
            }
        }
        if n > 0 {
            out.push((acc << (8 - n)) as u8);
        }
        out
    }

    #[test]
    fn numeric_alnum_byte() {
        // "01234567" numeric (v1): 012 345 67
        let d = pack(&[(1, 4), (8, 10), (12, 10), (345, 10), (67, 7), (0, 4)]);
        assert_eq!(decode_segments(&d, 1).unwrap().text, "01234567");
        // "AC-42" alphanumeric
        let d = pack(&[(2, 4), (5, 9), (10 * 45 + 12, 11), (41 * 45 + 4, 11), (2, 6), (0, 4)]);
        assert_eq!(decode_segments(&d, 1).unwrap().text, "AC-42");
        let mut f = vec![(4, 4), (3, 8)];
        f.extend(b"a|\xC3\xA9".iter().take(3).map(|&b| (u32::from(b), 8)));
        let d = pack(&f);
        assert_eq!(decode_segments(&d, 1).unwrap().text, "a|\u{C3}");
    }

    #[test]
    fn default_charset_guess() {
        let byte_seg = |s: &[u8]| {
            let mut f = vec![(4u32, 4usize), (s.len() as u32, 8)];
            f.extend(s.iter().map(|&b| (u32::from(b), 8)));
            f.push((0, 4));
            decode_segments(&pack(&f), 1).unwrap().text
        };
        assert_eq!(byte_seg("h\u{e9}llo".as_bytes()), "h\u{e9}llo"); // valid UTF-8
        assert_eq!(byte_seg(b"h\xE9llo"), "h\u{e9}llo"); // Latin-1
        assert_eq!(byte_seg(b"\xC3\x84rger M\xC3\xBCller"), "\u{c4}rger M\u{fc}ller"); // UTF-8
        assert_eq!(byte_seg(b"M\xFCller \xC4rger"), "M\u{fc}ller \u{c4}rger"); // Latin-1
        assert_eq!(byte_seg(b"\xC3\xDE\xBB\xDE\xB2\xDDQR"), "ﾃﾞｻﾞｲﾝQR"); // SJIS katakana
        assert_eq!(byte_seg(b"\x93\x5F\xE4\xAA"), "点茗"); // SJIS kanji
    }

    #[test]
    fn kanji_and_eci() {
        // Kanji "点" = 0x935F: 0x935F - 0x8140 = 0x121F → 0x12 * 0xC0 + 0x1F
        let v = 0x12 * 0xC0 + 0x1F;
        let d = pack(&[(8, 4), (1, 8), (v, 13), (0, 4)]);
        assert_eq!(decode_segments(&d, 1).unwrap().text, "点");
        // ECI 26 (UTF-8) then a byte segment; ECI 3 (Latin-1) then the same bytes.
        let mut f = vec![(7, 4), (26, 8), (4, 4), (2, 8), (0xC3, 8), (0xA9, 8)];
        f.extend([(7, 4), (3, 8), (4, 4), (2, 8), (0xC3, 8), (0xA9, 8), (0, 4)]);
        assert_eq!(decode_segments(&pack(&f), 1).unwrap().text, "\u{e9}\u{c3}\u{a9}");
    }

    #[test]
    fn gs1_and_errors() {
        // FNC1 first, alnum "A%B%%": A=10, %=38, B=11
        let d = pack(&[
            (5, 4),
            (2, 4),
            (5, 9),
            (10 * 45 + 38, 11),
            (11 * 45 + 38, 11),
            (38, 6),
            (0, 4),
        ]);
        assert_eq!(decode_segments(&d, 1).unwrap().text, "A\u{1d}B%");
        // Byte segment longer than the stream.
        let d = pack(&[(4, 4), (200, 8), (0x41, 8)]);
        assert_eq!(decode_segments(&d, 1), Err(TextError::Underflow));
        // Unknown mode 0b0110.
        assert_eq!(decode_segments(&pack(&[(6, 4), (0, 4)]), 1), Err(TextError::BadData));
    }
}

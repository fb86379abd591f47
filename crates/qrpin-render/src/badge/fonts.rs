//! The fonts badges are drawn with: two embedded faces, plus system fonts only as a fallback for
//! characters the embedded faces lack.
//!
//! The embedded faces (`fonts/QrpinSans-*.ttf`, subsets of DejaVu Sans Condensed, see
//! `fonts/LICENSE.txt`) cover Latin, Greek and Cyrillic, so most badges render identically on
//! every machine. For any other character the system fonts are searched once, and only the faces
//! that are actually needed travel with the badge ([`FontBlobs`]): the PNG and PDF exporters load
//! exactly those, never the whole system font directory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use resvg::usvg::fontdb;

/// The family name of the embedded faces, as written in the badge SVG.
pub const FAMILY: &str = "Qrpin Sans";
/// The `font-family` list written into badge SVGs: the embedded family first, then families a
/// viewer of the SVG file is likely to have.
pub const FAMILY_LIST: &str = "'Qrpin Sans', 'DejaVu Sans Condensed', 'DejaVu Sans', sans-serif";

const REGULAR: &[u8] = include_bytes!("../../fonts/QrpinSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../fonts/QrpinSans-Bold.ttf");

/// One font file (TTF/OTF/TTC) shared between badges.
pub(crate) type Blob = Arc<Vec<u8>>;

/// The font files a badge needs: the embedded faces and any fallback faces.
#[derive(Clone, Debug)]
pub(crate) struct FontBlobs(pub(crate) Vec<Blob>);

impl FontBlobs {
    /// Adds the files of `other` that are not already here (compared by identity).
    pub(crate) fn merge(&mut self, other: &FontBlobs) {
        for b in &other.0 {
            if !self.0.iter().any(|a| Arc::ptr_eq(a, b)) {
                self.0.push(b.clone());
            }
        }
    }

    /// A font database (resvg's fontdb) holding these files.
    pub(crate) fn database(&self) -> fontdb::Database {
        let mut db = fontdb::Database::new();
        for b in &self.0 {
            db.load_font_source(fontdb::Source::Binary(b.clone()));
        }
        db
    }

    /// The same for svg2pdf's usvg, which uses an older fontdb.
    pub(crate) fn pdf_database(&self) -> svg2pdf::usvg::fontdb::Database {
        let mut db = svg2pdf::usvg::fontdb::Database::new();
        for b in &self.0 {
            db.load_font_source(svg2pdf::usvg::fontdb::Source::Binary(b.clone()));
        }
        db
    }
}

/// The fonts for [`build_badge_svg`](crate::badge::build_badge_svg): the embedded faces, and
/// (unless made with [`FontSet::embedded_only`]) the system fonts as a fallback.
///
/// Loading the system font list takes some milliseconds, so it happens on first need (a
/// character the embedded faces lack), once per `FontSet`; share one set across a batch.
///
/// ```
/// use qrpin_render::badge::FontSet;
/// let fonts = FontSet::embedded_only();
/// assert!(fonts.embedded_has('é') && fonts.embedded_has('Ж') && !fonts.embedded_has('漢'));
/// ```
pub struct FontSet {
    regular: Blob,
    bold: Blob,
    faces: Vec<ttf_parser::Face<'static>>,
    system: Option<OnceLock<fontdb::Database>>,
    /// Fallback faces already copied out of the system database, by face id.
    copied: Mutex<HashMap<fontdb::ID, Blob>>,
}

impl std::fmt::Debug for FontSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontSet").field("system_fallback", &self.system.is_some()).finish()
    }
}

impl Default for FontSet {
    /// [`FontSet::with_system_fallback`].
    fn default() -> Self {
        FontSet::with_system_fallback()
    }
}

impl FontSet {
    /// The embedded faces, with the system fonts as a fallback for other characters.
    pub fn with_system_fallback() -> FontSet {
        FontSet { system: Some(OnceLock::new()), ..FontSet::embedded_only() }
    }

    /// Only the embedded faces: output never depends on the machine, and characters they lack
    /// are reported as missing.
    pub fn embedded_only() -> FontSet {
        let faces = [REGULAR, BOLD]
            .iter()
            // The embedded files are known-good; a parse failure would be a build defect, and
            // the face is then simply skipped (its characters count as missing).
            .filter_map(|d| ttf_parser::Face::parse(d, 0).ok())
            .collect();
        FontSet {
            regular: Arc::new(REGULAR.to_vec()),
            bold: Arc::new(BOLD.to_vec()),
            faces,
            system: None,
            copied: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the embedded faces (regular and bold) both have a glyph for `c`.
    pub fn embedded_has(&self, c: char) -> bool {
        !self.faces.is_empty() && self.faces.iter().all(|f| f.glyph_index(c).is_some())
    }

    /// The font files needed for `text`, and the characters no font has (in order, once each).
    pub(crate) fn resolve(&self, text: &str) -> (FontBlobs, Vec<char>) {
        let mut blobs = FontBlobs(vec![self.regular.clone(), self.bold.clone()]);
        let mut missing: Vec<char> = Vec::new();
        let mut seen: Vec<char> = Vec::new();
        for c in text.chars() {
            if c.is_whitespace() || c.is_control() || self.embedded_has(c) || seen.contains(&c) {
                continue;
            }
            seen.push(c);
            match self.fallback_for(c) {
                Some(blob) => blobs.merge(&FontBlobs(vec![blob])),
                None => missing.push(c),
            }
        }
        (blobs, missing)
    }

    /// A system face with a glyph for `c`, copied out once and then shared.
    fn fallback_for(&self, c: char) -> Option<Blob> {
        let db = self.system.as_ref()?.get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_system_fonts();
            db
        });
        // Prefer faces already in use, so one badge pulls in as few files as possible.
        let mut copied = self.copied.lock().unwrap_or_else(|e| e.into_inner());
        for (id, blob) in copied.iter() {
            let index = db.face(*id).map_or(0, |f| f.index);
            if has_glyph(blob, index, c) {
                return Some(blob.clone());
            }
        }
        let id = db.faces().map(|f| f.id).find(|&id| {
            db.with_face_data(id, |data, index| has_glyph(data, index, c)).unwrap_or(false)
        })?;
        let blob: Blob = Arc::new(db.with_face_data(id, |data, _| data.to_vec())?);
        copied.insert(id, blob.clone());
        Some(blob)
    }
}

fn has_glyph(data: &[u8], index: u32, c: char) -> bool {
    ttf_parser::Face::parse(data, index).is_ok_and(|f| f.glyph_index(c).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_faces_cover_the_badge_alphabets() {
        let f = FontSet::embedded_only();
        for c in "AZaz09@.-_!#^~'…ÄöüßÉçñŁøĞğŞİıАЯжΩλ€".chars() {
            assert!(f.embedded_has(c), "{c:?}");
        }
        let (blobs, missing) = f.resolve("ab 漢字 c 漢");
        assert_eq!(blobs.0.len(), 2);
        assert_eq!(missing, ['漢', '字']);
    }
}

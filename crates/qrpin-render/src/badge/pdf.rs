//! PDF export: each page is the drawing converted by svg2pdf (vector paths for the code, real
//! text with the embedded font subset, so the text can be searched and copied), with logos added
//! as image XObjects (svg2pdf is built without its raster-image support).

use std::collections::HashMap;
use std::sync::Arc;

use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, TextStr};
use svg2pdf::usvg;

use super::svg::Drawing;
use crate::RenderError;

/// Points per millimetre.
const PT_PER_MM: f64 = 72.0 / 25.4;

/// One badge as a one-page PDF of its physical size.
///
/// # Errors
/// As [`pdf_document`].
pub fn badge_pdf(d: &Drawing) -> Result<Vec<u8>, RenderError> {
    pdf_document(std::slice::from_ref(d))
}

/// A PDF with one page per drawing, each page the drawing's physical size.
///
/// # Errors
/// [`RenderError::Badge`] when there are no pages or svg2pdf cannot convert a page.
pub fn pdf_document(pages: &[Drawing]) -> Result<Vec<u8>, RenderError> {
    if pages.is_empty() {
        return Err(RenderError::Badge("a PDF needs at least one page".into()));
    }
    let mut alloc = Ref::new(1);
    let catalog = alloc.bump();
    let tree_id = alloc.bump();
    let page_ids: Vec<Ref> = pages.iter().map(|_| alloc.bump()).collect();
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree_id);
    pdf.pages(tree_id).kids(page_ids.iter().copied()).count(page_ids.len() as i32);

    for (d, &page_id) in pages.iter().zip(&page_ids) {
        let (chunk, root) = convert(d)?;
        let mut map = HashMap::new();
        let chunk = chunk.renumber(|old| *map.entry(old).or_insert_with(|| alloc.bump()));
        let svg_ref = map[&root];
        pdf.extend(&chunk);

        let (w, h) = ((d.w * PT_PER_MM) as f32, (d.h * PT_PER_MM) as f32);
        let mut content = Content::new();
        content.save_state();
        content.transform([w, 0.0, 0.0, h, 0.0, 0.0]);
        content.x_object(Name(b"S0"));
        content.restore_state();

        let mut logo_refs = Vec::new();
        for (i, (r, logo)) in d.logos.iter().enumerate() {
            let (img, mask) = (alloc.bump(), alloc.bump());
            let rgb: Vec<u8> = logo.rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
            let alpha: Vec<u8> = logo.rgba.chunks_exact(4).map(|p| p[3]).collect();
            let deflate = |data: &[u8]| miniz_oxide::deflate::compress_to_vec_zlib(data, 6);
            let (rgb, alpha) = (deflate(&rgb), deflate(&alpha));
            let mut x = pdf.image_xobject(img, &rgb);
            x.filter(Filter::FlateDecode);
            x.width(logo.width as i32);
            x.height(logo.height as i32);
            x.color_space().device_rgb();
            x.bits_per_component(8);
            x.s_mask(mask);
            x.finish();
            let mut m = pdf.image_xobject(mask, &alpha);
            m.filter(Filter::FlateDecode);
            m.width(logo.width as i32);
            m.height(logo.height as i32);
            m.color_space().device_gray();
            m.bits_per_component(8);
            m.finish();
            let name = format!("L{i}");
            content.save_state();
            content.transform([
                (r.w * PT_PER_MM) as f32,
                0.0,
                0.0,
                (r.h * PT_PER_MM) as f32,
                (r.x * PT_PER_MM) as f32,
                ((d.h - r.bottom()) * PT_PER_MM) as f32,
            ]);
            content.x_object(Name(name.as_bytes()));
            content.restore_state();
            logo_refs.push((name, img));
        }

        let content_id = alloc.bump();
        pdf.stream(content_id, &content.finish());
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, w, h));
        page.parent(tree_id);
        page.contents(content_id);
        let mut res = page.resources();
        let mut xo = res.x_objects();
        xo.pair(Name(b"S0"), svg_ref);
        for (name, r) in &logo_refs {
            xo.pair(Name(name.as_bytes()), *r);
        }
        xo.finish();
        res.finish();
        page.finish();
    }
    pdf.document_info(alloc.bump()).producer(TextStr("qrpin"));
    Ok(pdf.finish())
}

/// Converts one drawing (without its logos) into a form XObject of 1 × 1 pt.
fn convert(d: &Drawing) -> Result<(pdf_writer::Chunk, Ref), RenderError> {
    let opts = usvg::Options {
        fontdb: Arc::new(d.fonts.pdf_database()),
        font_family: super::fonts::FAMILY.to_owned(),
        ..crate::raster::sealed_usvg_options!()
    };
    let tree = usvg::Tree::from_str(&d.document(false), &opts)
        .map_err(|e| RenderError::Badge(format!("cannot parse the badge SVG for PDF: {e}")))?;
    svg2pdf::to_chunk(&tree, svg2pdf::ConversionOptions::default())
        .map_err(|e| RenderError::Badge(format!("cannot convert to PDF: {e}")))
}

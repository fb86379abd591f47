//! Sheets: badges go N-up in reading order, pages follow as needed, and each badge on a page
//! still decodes to its own payload.

use qrpin_render::badge::{
    badge_png, build_badge_svg, sheet_grid, sheet_pages, sheet_pdf, BadgeSpec, BadgeSvg, FontSet,
    Layout, Sheet, SHEET_MARGIN_MM,
};
use qrpin_scan::{verify, Scanner};

fn payload(i: usize) -> String {
    format!("ms-qrpin:v1|user{i}@contoso.example|44f2f040-ea9d-4283-9e7b-{i:012x}")
}

fn badges(n: usize, layout: Layout) -> Vec<BadgeSvg> {
    let fonts = FontSet::embedded_only();
    (0..n)
        .map(|i| {
            let spec =
                BadgeSpec { name: Some(format!("User {i}")), layout, ..BadgeSpec::new(payload(i)) };
            build_badge_svg(&spec, &fonts).unwrap()
        })
        .collect()
}

#[test]
fn grids_fit_inside_the_margins_without_overlap() {
    for sheet in [Sheet::A4, Sheet::Letter] {
        let (pw, ph) = sheet.size_mm();
        for (w, h) in [(85.6, 54.0), (54.0, 85.6), (100.0, 60.0), (30.0, 30.0), (190.0, 259.0)] {
            let g = sheet_grid(w, h, sheet).unwrap();
            assert!(g.cols >= 1 && g.rows >= 1);
            let right = g.x0 + (g.cols - 1) as f64 * g.pitch_x + w;
            let bottom = g.y0 + (g.rows - 1) as f64 * g.pitch_y + h;
            assert!(g.x0 >= SHEET_MARGIN_MM - 1e-9 && g.y0 >= SHEET_MARGIN_MM - 1e-9, "{w}x{h}");
            assert!(right <= pw - SHEET_MARGIN_MM + 1e-9 && bottom <= ph - SHEET_MARGIN_MM + 1e-9);
            assert!(g.pitch_x > w && g.pitch_y > h, "badges never touch");
            // Maximal: one more column or row would not fit.
            assert!(g.x0 + g.cols as f64 * g.pitch_x + w > pw - SHEET_MARGIN_MM);
            assert!(g.y0 + g.rows as f64 * g.pitch_y + h > ph - SHEET_MARGIN_MM);
        }
    }
}

#[test]
fn badges_fill_pages_in_reading_order_and_each_decodes() {
    let all = badges(11, Layout::Card);
    let pages = sheet_pages(&all, Sheet::A4).unwrap();
    assert_eq!(pages.len(), 2, "8 cards per A4 page");
    assert_eq!((pages[0].width_mm(), pages[0].height_mm()), (210.0, 297.0));
    let g = sheet_grid(85.6, 54.0, Sheet::A4).unwrap();
    let scanner = Scanner::default();
    let dpi = 200.0;
    let png = badge_png(&pages[1], 200).unwrap();
    let mut dec = png::Decoder::new(std::io::Cursor::new(&png));
    dec.set_transformations(png::Transformations::normalize_to_color8());
    let mut r = dec.read_info().unwrap();
    let mut buf = vec![0; r.output_buffer_size().unwrap()];
    let info = r.next_frame(&mut buf).unwrap();
    let width = info.width as usize;
    let luma: Vec<u8> = buf[..info.buffer_size()].chunks_exact(3).map(|p| p[1]).collect();
    // Page 2 holds badges 8, 9 and 10 in cells 0, 1 and 2; cell 3 is empty.
    for cell in 0..4 {
        let (x, y) =
            (g.x0 + (cell % g.cols) as f64 * g.pitch_x, g.y0 + (cell / g.cols) as f64 * g.pitch_y);
        let px = |v: f64| (v / 25.4 * dpi).round() as usize;
        let (x0, y0, cw, ch) = (px(x), px(y), px(85.6), px(54.0));
        let mut crop = Vec::with_capacity(cw * ch);
        for row in y0..y0 + ch {
            crop.extend_from_slice(&luma[row * width + x0..row * width + x0 + cw]);
        }
        let img = qrpin_scan::Luma8::new(cw as u32, ch as u32, crop).unwrap();
        let v = qrpin_scan::verify_luma(&scanner, &img, &payload(8 + cell), None).unwrap();
        assert_eq!(v.is_match(), cell < 3, "cell {cell}: {v:?}");
    }
    // The whole first page as one image still reads.
    let png = badge_png(&pages[0], 150).unwrap();
    assert!(!matches!(
        verify(&scanner, &png, &payload(0), None).unwrap(),
        qrpin_scan::Verdict::NoCode
    ));
}

#[test]
fn sheet_pdf_has_one_page_per_sheet() {
    let pdf = sheet_pdf(&badges(19, Layout::CardPortrait), Sheet::Letter).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    // Portrait cards on Letter: 3 x 2 per page, so 19 need 4 pages.
    assert!(text.contains("/Count 4"), "page count");
    assert_eq!(text.matches("/Type /Page\n").count(), 4);
}

#[test]
fn mixed_sizes_and_oversized_badges_are_refused() {
    let mut mixed = badges(1, Layout::Card);
    mixed.extend(badges(1, Layout::CardPortrait));
    assert!(sheet_pages(&mixed, Sheet::A4).unwrap_err().to_string().contains("one size"));
    assert!(sheet_pages(&[], Sheet::A4).is_err());
    let huge = Layout::Label { width: "200mm".parse().unwrap(), height: "60mm".parse().unwrap() };
    let e = sheet_pages(&badges(1, huge), Sheet::A4).unwrap_err();
    assert!(e.to_string().contains("does not fit"), "{e}");
}

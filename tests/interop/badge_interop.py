#!/usr/bin/env python3
"""Interop checks for `qrpin badge` with tools we did not write.

Run from the repository root by .ci/steps/40-badge-interop.sh (with the release binary):

    python3 tests/interop/badge_interop.py [--bin target/release/qrpin] [--keep DIR]

1. PDF: each layout (card, card-portrait, label) and ECL L/H, with the longest legal UPN too,
   rasterised by poppler's `pdftoppm -r 300`, decoded by zxing-cpp and zbarimg (exact text,
   and zxing-cpp's ECL); `pdftotext` holds the name (including `<b>&"'` verbatim) and the UPN;
   `pdfinfo` gives the page size of an ID-1 card.
2. The code's printed size in the 300-dpi raster of the PDF (zxing-cpp's corner points and the
   dark-pixel bounding box, scaled by (n+8)/n for the quiet zone) is within 1% of --qr-size.
3. SVG rasterised by `rsvg-convert` at 300 dpi decodes with both decoders.
4. PNG decodes with both; its pHYs says 300 dpi (or --dpi) and its pixel size is the card's.
5. Sheets: 10 copies on A4 make 2 pages; page 1 holds 8 codes, all read by zxing-cpp and
   zbarimg; a Letter sheet of portrait cards has 6 per page.
6. The PIN appears only with --with-pin (and then with a warning on stderr).

Any mismatch or missing tool fails the run (exit 1). Ends with "badge_interop: N passed, M failed".
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

from common import CODE_ID, DEFAULT_BIN, SAMPLE, UPN, Checks, need_tools, qrpin_binary, zbar, zxing

LONG_UPN = "a" * 64 + "@" + "b" * 48
CHECKS = Checks("badge_interop")
ok = CHECKS.ok


def run(args, check=True):
    p = subprocess.run(args, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise SystemExit(f"command failed ({p.returncode}): {' '.join(args)}\n{p.stderr}")
    return p


def pdf_page_png(pdf, out_prefix, dpi=300):
    run(["pdftoppm", "-r", str(dpi), "-png", pdf, out_prefix])
    return sorted(f"{os.path.dirname(out_prefix)}/{f}" for f in os.listdir(os.path.dirname(out_prefix))
                  if f.startswith(os.path.basename(out_prefix) + "-") and f.endswith(".png"))


def check_decodes(label, path, text, ecl=None, count=1):
    codes = zxing(path)
    ok(len(codes) == count and all(c.text == text for c in codes),
       f"{label}: zxing-cpp read {[c.text for c in codes]}, expected {count} x {text!r}")
    if ecl and codes:
        ok(all(c.ec_level == ecl.upper() for c in codes),
           f"{label}: zxing-cpp ECL {[c.ec_level for c in codes]}, expected {ecl.upper()}")
    z = zbar(path)
    ok(len(z) == count and all(t == text for t in z), f"{label}: zbarimg read {z}")
    return codes


def measure(label, png, asked_mm, dpi):
    """The printed size of the code, quiet zone included, from zxing-cpp's corners and from the
    dark-pixel bounding box of the symbol."""
    from PIL import Image
    codes = zxing(png)
    if not ok(len(codes) == 1, f"{label}: no single code to measure"):
        return
    version = int(codes[0].extra["Version"])
    n = 17 + 4 * version
    pos = codes[0].position
    xs = [pos.top_left.x, pos.top_right.x, pos.bottom_right.x, pos.bottom_left.x]
    ys = [pos.top_left.y, pos.top_right.y, pos.bottom_right.y, pos.bottom_left.y]
    # The dark-pixel box is searched within 2 modules of zxing-cpp's corners: the quiet zone
    # (4 modules) keeps text out of that window, whatever the layout.
    margin = 2 * (max(xs) - min(xs)) / n
    win = (int(min(xs) - margin), int(min(ys) - margin), int(max(xs) + margin) + 1, int(max(ys) + margin) + 1)
    with Image.open(png) as im:
        box = im.convert("L").crop(win).point(lambda v: 255 if v < 128 else 0).getbbox()
    for how, side_px in [("zxing corners", ((max(xs) - min(xs)) + (max(ys) - min(ys))) / 2 + 1),
                         ("dark-pixel box", ((box[2] - box[0]) + (box[3] - box[1])) / 2)]:
        printed = side_px * (n + 8) / n / dpi * 25.4
        err = (printed / asked_mm - 1) * 100
        print(f"  {label}: {how}: asked {asked_mm:.2f} mm, printed {printed:.3f} mm ({err:+.3f}%)")
        ok(abs(err) < 1.0, f"{label}: {how}: printed size {printed:.3f} mm vs {asked_mm} mm")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=DEFAULT_BIN)
    ap.add_argument("--keep", help="keep the outputs in this directory")
    opts = ap.parse_args()
    need_tools("the badge interop checks", ["zbarimg", "rsvg-convert", "pdftoppm", "pdftotext", "pdfinfo"],
               ["zxingcpp", "PIL"])
    qrpin = qrpin_binary(opts.bin)
    tmp = opts.keep or tempfile.mkdtemp(prefix="qrpin-badge-")
    os.makedirs(tmp, exist_ok=True)
    name = "<b>&\"'"

    def badge(out, *extra, upn=UPN):
        return run([qrpin, "badge", "--upn", upn, "--code-id", CODE_ID, "--name", name,
                    "--org", "Contoso ]]> <script>", "--expires", "2026-12-19", *extra,
                    "-o", os.path.join(tmp, out)])

    # 1-2. PDF per layout and ECL, decoded and measured.
    print("== PDF through pdftoppm")
    for layout, extra in [("card", []), ("card-portrait", ["--layout", "card-portrait"]),
                          ("label", ["--layout", "label", "--badge-size", "100x60mm", "--qr-size", "40mm"])]:
        for ecl, upn in [("l", UPN), ("h", UPN), ("l", LONG_UPN)]:
            text = f"ms-qrpin:v1|{upn}|{CODE_ID}"
            tag = f"{layout}-{ecl}-{len(text)}"
            badge(f"{tag}.pdf", "--ecl", ecl, *extra, upn=upn)
            pages = pdf_page_png(os.path.join(tmp, f"{tag}.pdf"), os.path.join(tmp, f"{tag}-pdf"))
            ok(len(pages) == 1, f"{tag}: {len(pages)} pages")
            check_decodes(f"{tag}.pdf", pages[0], text, ecl)
            words = run(["pdftotext", os.path.join(tmp, f"{tag}.pdf"), "-"]).stdout
            ok(name in words, f"{tag}: pdftotext lacks the name {name!r}: {words!r}")
            ok("Contoso ]]> <script>" in words, f"{tag}: pdftotext lacks the org line: {words!r}")
            ok(upn in words.replace("\n", "").replace(" ", ""), f"{tag}: pdftotext lacks the UPN")
            ok("valid until 2026-12-19" in words, f"{tag}: pdftotext lacks the expiry")
            if upn == UPN:
                asked = 40.0 if layout == "label" else 50.8
                measure(tag, pages[0], asked, 300)
    info = run(["pdfinfo", os.path.join(tmp, "card-l-76.pdf")]).stdout
    ok("242.6" in info and "153.0" in info, f"card page size: {info}")
    badge("small.pdf", "--qr-size", "30mm")
    pages = pdf_page_png(os.path.join(tmp, "small.pdf"), os.path.join(tmp, "small-pdf"))
    measure("qr-size 30mm", pages[0], 30.0, 300)

    # 3. SVG through rsvg-convert.
    print("== SVG through rsvg-convert")
    for layout in ["card", "card-portrait"]:
        svg = os.path.join(tmp, f"{layout}.svg")
        badge(f"{layout}.svg", "--layout", layout)
        text = open(svg, encoding="utf-8").read()
        ok("&lt;b&gt;&amp;&quot;&apos;" in text and "<b>" not in text and "<script" not in text,
           f"{layout}.svg: name not escaped")
        png = os.path.join(tmp, f"{layout}-rsvg.png")
        run(["rsvg-convert", "-d", "300", "-p", "300", "-b", "white", "-o", png, svg])
        check_decodes(f"{layout}.svg via rsvg-convert", png, SAMPLE, "m")
        if layout == "card":
            measure("svg via rsvg-convert", png, 50.8, 300)

    # 4. PNG directly.
    print("== PNG")
    from PIL import Image
    for dpi in [300, 600]:
        png = os.path.join(tmp, f"card-{dpi}.png")
        badge(f"card-{dpi}.png", "--dpi", str(dpi))
        check_decodes(f"png {dpi} dpi", png, SAMPLE, "m")
        with Image.open(png) as im:
            got = im.info.get("dpi", (0, 0))
            ok(abs(got[0] - dpi) < 0.1, f"png {dpi}: pHYs says {got}")
            ok(im.size == (round(85.6 / 25.4 * dpi), round(54 / 25.4 * dpi)), f"png {dpi}: size {im.size}")
    measure("png 300 dpi", os.path.join(tmp, "card-300.png"), 50.8, 300)

    # 5. Sheets.
    print("== sheets")
    badge("sheet.pdf", "--sheet", "a4", "--copies", "10")
    info = run(["pdfinfo", os.path.join(tmp, "sheet.pdf")]).stdout
    ok("Pages:           2" in info and "(A4)" in info, f"sheet pdfinfo: {info}")
    pages = pdf_page_png(os.path.join(tmp, "sheet.pdf"), os.path.join(tmp, "sheet-pdf"), dpi=200)
    ok(len(pages) == 2, f"sheet: {len(pages)} page images")
    check_decodes("sheet page 1", pages[0], SAMPLE, "m", count=8)
    check_decodes("sheet page 2", pages[1], SAMPLE, "m", count=2)
    words = run(["pdftotext", os.path.join(tmp, "sheet.pdf"), "-"]).stdout
    ok(words.count(name) == 10, f"sheet: name appears {words.count(name)} times")
    badge("letter.pdf", "--sheet", "letter", "--copies", "6", "--layout", "card-portrait")
    info = run(["pdfinfo", os.path.join(tmp, "letter.pdf")]).stdout
    ok("Pages:           1" in info and "612 x 792" in info, f"letter pdfinfo: {info}")
    pages = pdf_page_png(os.path.join(tmp, "letter.pdf"), os.path.join(tmp, "letter-pdf"), dpi=200)
    check_decodes("letter page", pages[0], SAMPLE, "m", count=6)

    # 6. PIN only on request.
    print("== PIN")
    p = badge("nopin.pdf")
    ok("PIN" not in run(["pdftotext", os.path.join(tmp, "nopin.pdf"), "-"]).stdout, "PIN printed unasked")
    ok("PIN" not in p.stderr, f"unexpected PIN warning: {p.stderr}")
    p = badge("pin.pdf", "--with-pin", "73914682")
    ok("PIN 73914682" in run(["pdftotext", os.path.join(tmp, "pin.pdf"), "-"]).stdout, "PIN missing")
    ok("warning" in p.stderr and "PIN" in p.stderr and "73914682" not in p.stderr,
       f"PIN warning: {p.stderr!r}")
    bad = run([qrpin, "badge", "--raw", SAMPLE, "--layout", "label", "-o", os.path.join(tmp, "x.pdf")],
              check=False)
    ok(bad.returncode == 2, f"bad input exit code {bad.returncode}")

    if not opts.keep:
        shutil.rmtree(tmp)
    return CHECKS.finish()


if __name__ == "__main__":
    sys.exit(main())

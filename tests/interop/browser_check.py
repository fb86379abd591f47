#!/usr/bin/env python3
"""Our SVGs in a real browser: headless Chromium screenshots decoded by zxing-cpp.

Run from the repository root by .ci/steps/80-browser.sh (with the release binary; .ci/run installs
Debian's chromium):

    python3 tests/interop/browser_check.py [--bin target/release/qrpin] [--chromium chromium] [--keep DIR]

For each of three SVGs made by `qrpin` (the sample code as `--svg-style plain` and `entra`, and a
`qrpin badge` card) and each page zoom (50%, 100%, 137%, 300%), a tiny HTML page shows the SVG
through <img> with CSS `zoom` on a white page; Chromium (fresh --user-data-dir, no network
services) screenshots it, and zxing-cpp must read exactly one QR code with exactly the sample
text. Hairline check: in the 100% and 300% screenshots of the plain SVG, the centre pixel row and
the centre pixel column of each finder pattern's dark 3x3 core must be dark throughout (a seam
between modules would show as a light pixel). Any mismatch or missing tool fails the run.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

from common import DEFAULT_BIN, SAMPLE, Checks, need_tools, qrpin_binary, zxing

ZOOMS = [0.5, 1.0, 1.37, 3.0]
HAIRLINE_ZOOMS = [1.0, 3.0]
WINDOW = (1200, 900)
# A pixel at or above this luminance inside a finder core counts as a gap.
DARK_MAX = 100
CHECKS = Checks("browser_check", verbose=True)
ok = CHECKS.ok


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, **kw)


def page(svg_name, zoom):
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>
html, body {{ margin: 0; padding: 0; background: #ffffff; }}
img {{ display: block; margin: 0; zoom: {zoom}; }}
</style></head>
<body><img src="{svg_name}" alt="qr"></body></html>
"""


def screenshot(chromium, html, png):
    profile = tempfile.mkdtemp(prefix="qrpin-chromium-")
    try:
        cmd = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
            "--hide-scrollbars", "--force-device-scale-factor=1",
            f"--window-size={WINDOW[0]},{WINDOW[1]}", f"--screenshot={png}",
            "file://" + os.path.abspath(html),
        ]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if r.returncode != 0 or not os.path.exists(png):
            sys.stderr.write(r.stderr[-3000:])
            raise RuntimeError(f"chromium failed (exit {r.returncode}) for {html}")
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def dark_bbox(img):
    """(left, top, right, bottom) of pixels darker than 128, right/bottom exclusive."""
    mask = img.point(lambda v: 255 if v < 128 else 0)
    return mask.getbbox()


def finder_gaps(img, modules, zoom, label):
    """Checks the dark cores of the three finder patterns of a plain code at `zoom`."""
    bbox = dark_bbox(img)
    if bbox is None:
        ok(False, f"{label}: no dark pixels at all")
        return
    left, top, right, bottom = bbox
    m = (right - left) / modules
    ok(abs(m - 5 * zoom) <= 0.5 and abs((bottom - top) - (right - left)) <= 1,
       f"{label}: code drawn at {m:.2f} px/module (expected {5 * zoom:.2f}), square bbox {bbox}")
    px = img.load()
    for name, (fx, fy) in {"top-left": (0, 0), "top-right": (modules - 7, 0),
                           "bottom-left": (0, modules - 7)}.items():
        x0, x1 = left + (fx + 2) * m, left + (fx + 5) * m
        y0, y1 = top + (fy + 2) * m, top + (fy + 5) * m
        cy, cx = int(top + (fy + 3.5) * m), int(left + (fx + 3.5) * m)
        # Inset one pixel at the ends so edge antialiasing is not counted.
        row = [px[x, cy] for x in range(int(x0) + 1, int(x1) - 1)]
        col = [px[cx, y] for y in range(int(y0) + 1, int(y1) - 1)]
        light_row = [i for i, v in enumerate(row) if v >= DARK_MAX]
        light_col = [i for i, v in enumerate(col) if v >= DARK_MAX]
        ok(len(row) >= 3 and not light_row,
           f"{label}: {name} finder core row y={cy} dark ({len(row)} px, light at {light_row})")
        ok(len(col) >= 3 and not light_col,
           f"{label}: {name} finder core column x={cx} dark ({len(col)} px, light at {light_col})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=DEFAULT_BIN)
    ap.add_argument("--chromium", default="chromium")
    ap.add_argument("--keep", help="write the SVGs, pages and screenshots here")
    args = ap.parse_args()

    need_tools("the browser check", [args.chromium], ["zxingcpp", "PIL"])
    import zxingcpp
    from PIL import Image

    qrpin = qrpin_binary(args.bin)

    out = args.keep or tempfile.mkdtemp(prefix="qrpin-browser-")
    os.makedirs(out, exist_ok=True)
    svgs = {
        "plain": ["render", "--raw", SAMPLE, "--format", "svg", "--svg-style", "plain"],
        "entra": ["render", "--raw", SAMPLE, "--format", "svg", "--svg-style", "entra"],
        "badge": ["badge", "--raw", SAMPLE, "--name", "Ada Lovelace", "--expires", "2026-12-19"],
    }
    for name, cmd in svgs.items():
        run([qrpin, *cmd, "-o", os.path.join(out, f"{name}.svg")])

    # The plain code's size in modules (the dark bbox spans it minus the 4-module quiet zones).
    with open(os.path.join(out, "plain.svg"), encoding="utf-8") as f:
        head = f.read(400)
    view = head.split('viewBox="0 0 ', 1)[1].split('"', 1)[0].split()
    modules = int(view[0]) - 8

    for name in svgs:
        for zoom in ZOOMS:
            tag = f"{name}-{round(zoom * 100)}"
            html = os.path.join(out, f"{tag}.html")
            png = os.path.join(out, f"{tag}.png")
            with open(html, "w", encoding="utf-8") as f:
                f.write(page(f"{name}.svg", zoom))
            screenshot(args.chromium, html, png)
            img = Image.open(png).convert("L")
            codes = zxing(img)
            texts = [c.text for c in codes if c.format == zxingcpp.BarcodeFormat.QRCode]
            ok(texts == [SAMPLE], f"{tag}: zxing-cpp reads {texts!r}")
            if name == "plain" and zoom in HAIRLINE_ZOOMS:
                finder_gaps(img, modules, zoom, tag)

    print(f"screenshots in {out}")
    rc = CHECKS.finish()
    if rc == 0 and not args.keep:
        shutil.rmtree(out, ignore_errors=True)
    sys.exit(rc)


if __name__ == "__main__":
    main()

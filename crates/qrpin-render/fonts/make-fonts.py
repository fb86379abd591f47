#!/usr/bin/env python3
"""Rebuilds the badge fonts from Debian's fonts-dejavu-core (DejaVu 2.37).

The badge module embeds these two files with include_bytes!, so text renders the same on every
machine. They are subsets of DejaVu Sans Condensed (Regular, Bold): Latin (incl. Latin-1,
Extended-A/B, Extended Additional), combining marks, Greek, Cyrillic and common punctuation,
without hinting. Because they are modified, the Bitstream Vera licence (LICENSE.txt) asks for a
new name: the family is renamed "Qrpin Sans", which also keeps fontdb from confusing them with an
installed DejaVu.

Needs fonttools (pip install fonttools). Run from this directory: python3 make-fonts.py
"""
import subprocess
import sys

from fontTools.ttLib import TTFont

SRC = "/usr/share/fonts/truetype/dejavu"
UNICODES = ",".join([
    "U+0020-007E", "U+00A0-024F", "U+0300-036F", "U+0370-03FF", "U+0400-04FF",
    "U+1E00-1EFF", "U+2010-2027", "U+2030-205E", "U+20AC", "U+2122", "U+FFFD",
])
FAMILY = "Qrpin Sans"

for src, out, style in [
    ("DejaVuSansCondensed.ttf", "QrpinSans-Regular.ttf", "Regular"),
    ("DejaVuSansCondensed-Bold.ttf", "QrpinSans-Bold.ttf", "Bold"),
]:
    subprocess.run([
        sys.executable, "-m", "fontTools.subset", f"{SRC}/{src}",
        f"--unicodes={UNICODES}",
        "--layout-features=kern,ccmp,locl,mark,mkmk",
        "--no-hinting", "--desubroutinize", "--drop-tables+=FFTM",
        f"--output-file={out}",
    ], check=True)
    font = TTFont(out)
    name = font["name"]
    full = f"{FAMILY} {style}" if style != "Regular" else FAMILY
    ps = f"QrpinSans-{style}"
    for rec in list(name.names):
        if rec.nameID in (16, 17, 21, 22):
            name.removeNames(nameID=rec.nameID)
    for rec in name.names:
        if rec.nameID == 1:
            rec.string = FAMILY
        elif rec.nameID == 2:
            rec.string = style
        elif rec.nameID == 3:
            rec.string = f"{ps}; subset of DejaVu Sans Condensed 2.37"
        elif rec.nameID == 4:
            rec.string = full
        elif rec.nameID == 6:
            rec.string = ps
    font.save(out)
    print(out)

#!/usr/bin/env python3
"""Helpers of scripts/readme-tour.sh.

  readme_tour.py bench BENCHMARKS.md                  the README's speed table, on stdout
  readme_tour.py term TYPESCRIPT PROMPT OUT.png FONT  a frame of a captured progress bar as PNG
  readme_tour.py splice README.md BLOCKS_DIR          replace every tour block of the README

`splice` rewrites the text between `<!-- tour:NAME -->` and `<!-- /tour -->` with
BLOCKS_DIR/NAME.md. A marker without a block, or a block without a marker, is an error, so
the README and the tour script cannot drift apart silently.
"""

import re
import sys
from pathlib import Path

MARKER = re.compile(r"(<!-- tour:([a-z0-9-]+) -->\n)(.*?)(<!-- /tour -->)", re.S)


def splice(readme, blocks_dir):
    text = Path(readme).read_text()
    blocks = {p.stem: p.read_text() for p in Path(blocks_dir).glob("*.md")}
    seen = []

    def put(m):
        name = m.group(2)
        if name not in blocks:
            sys.exit(f"error: {readme} has a tour:{name} marker but the tour made no such block")
        seen.append(name)
        body = blocks[name]
        if not body.endswith("\n"):
            body += "\n"
        return m.group(1) + body + m.group(4)

    new = MARKER.sub(put, text)
    missing = sorted(set(blocks) - set(seen))
    if missing:
        sys.exit(f"error: {readme} has no marker for tour block(s) {', '.join(missing)}")
    Path(readme).write_text(new)
    print(f"{readme}: {len(seen)} tour blocks written")


def bench(path):
    """The target headings of BENCHMARKS.md's results and its batch table, as Markdown."""
    text = Path(path).read_text()
    rows = []
    for m in re.finditer(r"^### (\S+) — target (.+?): (\*\*.+)$", text, re.M):
        group, target, result = m.groups()
        rows.append(f"| `{group}` | {target} | {result} |")
    if not rows:
        sys.exit(f"error: no '### group — target …: result' headings in {path}")
    out = ["| group | target | result |", "|---|---|---|", *rows, ""]
    batch = re.search(r"^## (Batch .*)\n\n(?:.*\n)*?\n((?:\|.*\n)+)", text, re.M)
    if not batch:
        sys.exit(f"error: no batch table in {path}")
    out += [f"{batch.group(1)}:", "", batch.group(2).rstrip("\n")]
    print("\n".join(out))


def frames(typescript):
    """The progress-bar frames (`\\r\\x1b[2K` redraws) of a `script` capture."""
    raw = Path(typescript).read_bytes().decode("utf-8", "replace")
    parts = re.split(r"\r\x1b\[2K|\r", raw)
    strip = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
    out = []
    for p in parts:
        line = strip.sub("", p).split("\n")[0].rstrip()
        if "[" in line and "/" in line and line[:1] in "⠀⠁⠂⠄⡀⢀⠠⠐⠈⠉⠘⠰⠤⠆⠃⠋⠙⠸⠴⠦⠇":
            out.append(line)
    return out


def term(typescript, prompt, out_png, font_path):
    """Draws the prompt and the middle frame of the capture as a terminal window."""
    from PIL import Image, ImageDraw, ImageFont

    shots = frames(typescript)
    if len(shots) < 3:
        sys.exit(f"error: {typescript} holds {len(shots)} progress frames; the run was too short")
    # The middle frame by progress: the first one at or past half the input.
    frame = shots[len(shots) // 2]
    for s in shots:
        m = re.search(r"([\d.]+) (KiB|MiB|B)/([\d.]+) (KiB|MiB|B)", s)
        unit = {"B": 1, "KiB": 1024, "MiB": 1024 * 1024}
        if m and float(m[1]) * unit[m[2]] >= 0.5 * float(m[3]) * unit[m[4]]:
            frame = s
            break
    lines = [(prompt, (120, 200, 120)), (frame, (215, 215, 215))]
    size, cell, line_h, pad = 26, 15.5, 40, 28
    font = ImageFont.truetype(font_path, size)
    cols = max(len(t) for t, _ in lines)
    w = int(pad * 2 + cols * cell)
    h = pad * 2 + line_h * len(lines)
    img = Image.new("RGB", (w, h), (30, 30, 30))
    d = ImageDraw.Draw(img)
    for row, (text, colour) in enumerate(lines):
        y = pad + row * line_h
        for col, ch in enumerate(text):
            x = pad + col * cell
            if ch == "█":
                d.rectangle([x, y + 4, x + cell, y + line_h - 8], fill=colour)
            elif ch == "░":
                d.rectangle([x, y + 4, x + cell, y + line_h - 8], fill=(75, 75, 75))
            elif 0x2800 <= ord(ch) <= 0x28FF:  # braille spinner: draw its dots
                bits = ord(ch) - 0x2800
                dots = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (0, 3), (1, 3)]
                for i, (dx, dy) in enumerate(dots):
                    if bits >> i & 1:
                        cx, cy = x + 4 + dx * 6, y + 8 + dy * 6
                        d.ellipse([cx, cy, cx + 3.5, cy + 3.5], fill=colour)
            elif ch != " ":
                cw = font.getlength(ch)
                d.text((x + (cell - cw) / 2, y + 4), ch, font=font, fill=colour)
    img.save(out_png, optimize=True)
    print(f"{out_png}: frame {shots.index(frame) + 1} of {len(shots)}: {frame}")


def main():
    a = sys.argv[1:]
    if a[:1] == ["splice"] and len(a) == 3:
        splice(a[1], a[2])
    elif a[:1] == ["bench"] and len(a) == 2:
        bench(a[1])
    elif a[:1] == ["term"] and len(a) == 5:
        term(*a[1:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Interop checks for `qrpin render` with tools we did not write.

Run from the repository root by .ci/steps/20-render-interop.sh (with the release binary):

    python3 tests/interop/render_interop.py [--bin target/release/qrpin] [--quick]

1. Decode: every ECL x payload lengths 52..162 bytes x scales 1..8 x quiet zone 0 and 4, rendered
   by the CLI as PNG, and as SVG (plain and Entra style) rasterised by rsvg-convert. Each image
   is decoded by zbarimg (QR only) and by zxing-cpp; the text must match exactly, and the ECL,
   version and mask zxing-cpp reports must equal what was asked / what the CLI chose. zbar needs a
   quiet zone, so for border-0 renders it gets the image on a white margin (as a printed page
   would give it), and scale-1 renders enlarged x3 by pixel repetition, since zbar misses
   1-pixel modules of larger symbols; zxing-cpp always reads the image exactly as written.
2. Matrix conformance with segno (mode="byte", version and mask forced, boost_error=False):
   the module grid of our PNG (scale 1, border 0) equals segno's, for random texts at every
   version 1..40 and ECL; left automatic, both pick the same version and our grid equals
   segno's under the mask we chose (the automatic mask itself is compared with qrcodegen in
   the Rust tests; segno scores penalty N3 differently, so it is only reported here). segno
   1.6.6's write_padding_bits appends 8 zero bits when the data already ends on a byte boundary
   (ISO/IEC 18004 7.4.10 says to pad only up to the boundary); it is patched here to pad only
   when length % 8 != 0.
3. CLI behaviour: exit codes and messages for bad values, PNG refused on a terminal, format
   from the extension, --size/--dpi, atomic output.
4. Sizes: bytes of our SVG/PNG for the 76-byte sample at L and H next to segno's.

Any mismatch or missing tool fails the run (exit 1).
"""

import argparse
import io
import os
import pty
import random
import subprocess
import sys
import tempfile

from common import DEFAULT_BIN, SAMPLE, Checks, need_tools, qrpin_binary, zbar, zxing

ECLS = "lmqh"
CHECKS = Checks("render_interop")
ok = CHECKS.ok


def payload(n):
    """A legal ms-qrpin payload of exactly n bytes (52..162), like the Rust tests' helper."""
    assert 52 <= n <= 162
    upn_len = n - 49
    local_len = min((upn_len - 1 + 1) // 2, 64)
    domain_len = upn_len - 1 - local_len
    alphabet = "abcXYZ019'.-_!#^~"
    local = "".join(alphabet[i % len(alphabet)] for i in range(local_len))
    dom_src = "contoso-ab.example"
    domain = "".join(dom_src[i % len(dom_src)] for i in range(domain_len))
    if domain.endswith((".", "-")):
        domain = domain[:-1] + "z"
    p = f"ms-qrpin:v1|{local}@{domain}|44f2f040-ea9d-4283-9e7b-b63ddae391a9"
    assert len(p) == n, (n, len(p))
    return p


class Cli:
    def __init__(self, binary, workdir):
        self.bin = binary
        self.dir = workdir
        self.n = 0

    def run(self, *args, stdout=subprocess.PIPE):
        return subprocess.run([self.bin, "render", *args], stdout=stdout, stderr=subprocess.PIPE)

    def render(self, text, *args, ext):
        self.n += 1
        path = os.path.join(self.dir, f"r{self.n}.{ext}")
        r = self.run(f"--raw={text}", *args, "-o", path)
        if r.returncode != 0:
            raise RuntimeError(f"qrpin render {args} failed ({r.returncode}): {r.stderr.decode()}")
        return path


def for_zbar(path, scale, border):
    """zbar needs a quiet zone and misses 1-pixel modules of larger symbols (measured: V5 and up
    at scale 1, even with a 4-module quiet zone). So border-0 images get a white 4-module margin
    (as the page they are printed on gives them) and scale-1 images are enlarged x3 by pixel
    repetition (nearest neighbour: every pixel kept, none invented). zxing-cpp reads every image
    exactly as written."""
    from PIL import Image, ImageOps

    if border > 0 and scale > 1:
        return path
    im = Image.open(path).convert("L")
    if border == 0:
        im = ImageOps.expand(im, border=4 * scale, fill=255)
    if scale == 1:
        im = im.resize((im.width * 3, im.height * 3), Image.NEAREST)
    out = path[:-4] + "-zbar.png"
    im.save(out)
    return out


def rsvg(svg_path):
    png = svg_path[:-4] + "-rsvg.png"
    r = subprocess.run(["rsvg-convert", "-o", png, svg_path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise RuntimeError(f"rsvg-convert failed on {svg_path}: {r.stderr.decode()}")
    return png


def grid_of_png(path):
    """Module grid (list of lists of 0/1, 1 dark) of a scale-1, border-0 PNG."""
    from PIL import Image

    im = Image.open(path).convert("L")
    w, h = im.size
    px = im.load()
    return [[1 if px[x, y] < 128 else 0 for x in range(w)] for y in range(h)]


def decode_matrix(cli, quick):
    lengths = [52, 76, 120, 162] if not quick else [76, 162]
    scales = range(1, 9) if not quick else (1, 2, 5)
    count = 0
    for ecl in ECLS:
        for n in lengths:
            text = SAMPLE if n == 76 else payload(n)
            for scale in scales:
                for border in (0, 4):
                    kinds = [("png", [])]
                    # SVG styles on every scale, alternating the quiet zone to keep the run short;
                    # both zones are still covered for every scale across the two styles.
                    if (scale + (border // 4)) % 2 == 0:
                        kinds.append(("svg", ["--svg-style", "plain"]))
                    else:
                        kinds.append(("svg", ["--svg-style", "entra"]))
                    for ext, extra in kinds:
                        case = f"ecl {ecl} len {n} scale {scale} border {border} {ext} {' '.join(extra)}"
                        path = cli.render(text, "--ecl", ecl, "--scale", str(scale), "--border", str(border),
                                          *extra, ext=ext)
                        png = path if ext == "png" else rsvg(path)
                        found = zxing(png)
                        z = found[0] if len(found) == 1 else None
                        if ok(z is not None, f"zxing-cpp read {len(found)} codes: {case}"):
                            ok(z.text == text, f"zxing-cpp text {z.text!r}: {case}")
                            ok(z.ec_level == ecl.upper(), f"zxing-cpp ECL {z.ec_level}: {case}")
                            want = expected_version(text, ecl)
                            ok(str(z.extra.get("Version")) == str(want), f"zxing-cpp version {z.extra.get('Version')} != {want}: {case}")
                        zt = zbar(for_zbar(png, scale, border))
                        ok(zt == [text], f"zbarimg read {zt!r}: {case}")
                        count += 1
    print(f"decode: {count} renders checked with zxing-cpp and zbarimg")


_VERSIONS = {}


def expected_version(text, ecl):
    """Smallest version by segno (patched), cross-checked against our own choice elsewhere."""
    key = (text, ecl)
    if key not in _VERSIONS:
        import segno

        _VERSIONS[key] = segno.make(text.encode(), mode="byte", error=ecl, boost_error=False, micro=False).version
    return _VERSIONS[key]


def patch_segno():
    import segno.encoder as enc
    from segno import consts

    def write_padding_bits(buff, version, length):
        # ISO/IEC 18004 7.4.10: pad with zero bits only up to the next codeword boundary.
        if version not in (consts.VERSION_M1, consts.VERSION_M3) and length % 8:
            buff.extend([0] * (8 - (length % 8)))

    enc.write_padding_bits = write_padding_bits


def segno_conformance(cli, quick):
    import segno

    rng = random.Random(20240601)
    alphabet = [chr(c) for c in range(0x21, 0x7F)]
    forced = auto = 0
    versions = range(1, 41) if not quick else (1, 4, 10, 27, 40)
    for version in versions:
        for ecl in ECLS:
            cap = byte_capacity(version, ecl)
            n = cap if rng.random() < 0.3 else rng.randint(1, cap)
            text = "".join(rng.choice(alphabet) for _ in range(n))
            mask = rng.randint(0, 7)
            case = f"v{version} {ecl} mask {mask} len {n}"
            path = cli.render(text, "--ecl", ecl, "--version", str(version), "--mask", str(mask),
                              "--scale", "1", "--border", "0", ext="png")
            ours = grid_of_png(path)
            qr = segno.make(text.encode(), mode="byte", error=ecl, version=version, mask=mask,
                            boost_error=False, micro=False)
            theirs = [list(row) for row in qr.matrix]
            ok(ours == theirs, f"grid differs from segno (forced): {case}")
            forced += 1
    # Automatic choices, on payload-like texts and random texts: the version must equal segno's,
    # and the grid must equal segno's with the mask forced to the one we chose. The automatic
    # *mask* is only reported: segno scores penalty N3 differently from qrcodegen (it matches
    # only 1-module-wide 1:1:3:1:1 patterns and treats the symbol edge its own way), and our
    # reference for the mask choice is qrcodegen (checked in the Rust tests).
    texts = [SAMPLE, payload(52), payload(162)] + [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 400))) for _ in range(10 if quick else 40)
    ]
    same_mask = 0
    for text in texts:
        for ecl in ECLS:
            path = cli.render(text, "--ecl", ecl, "--scale", "1", "--border", "0", ext="png")
            ours = grid_of_png(path)
            qr = segno.make(text.encode(), mode="byte", error=ecl, boost_error=False, micro=False)
            case = f"auto {ecl} len {len(text)} (segno v{qr.version} mask {qr.mask})"
            if not ok(len(ours) == qr.symbol_size(scale=1, border=0)[0], f"version differs from segno: {case}"):
                continue
            matches = [m for m in range(8) if ours == [list(r) for r in segno.make(
                text.encode(), mode="byte", error=ecl, version=qr.version, mask=m, boost_error=False,
                micro=False).matrix]]
            ok(len(matches) == 1, f"grid equals segno's under masks {matches}, expected exactly one: {case}")
            same_mask += matches == [qr.mask]
            auto += 1
    print(f"segno: automatic mask agrees in {same_mask} of {auto} cases (N3 scoring differs; see above)")
    print(f"segno: {forced} forced-version/mask grids and {auto} automatic choices compared")


_CAP = {}


def byte_capacity(version, ecl):
    """Byte-mode capacity from segno's own tables (not ours)."""
    from segno import consts

    key = (version, ecl)
    if key not in _CAP:
        err = {"l": consts.ERROR_LEVEL_L, "m": consts.ERROR_LEVEL_M, "q": consts.ERROR_LEVEL_Q,
               "h": consts.ERROR_LEVEL_H}[ecl]
        bits = consts.SYMBOL_CAPACITY[version][err]
        count_bits = 8 if version <= 9 else 16
        _CAP[key] = (bits - 4 - count_bits) // 8
    return _CAP[key]


def cli_behaviour(cli):
    d = cli.dir
    bad = [
        (["--scale", "0"], "scale 0"),
        (["--border", "101"], "border 101"),
        (["--fg", "red"], "bad colour"),
        (["--bg", "#12"], "bad colour"),
        (["--version", "2"], "does not fit"),
        (["--version", "41"], "out of range"),
        (["--mask", "8"], "out of range"),
        (["--ecl", "x"], "error-correction level"),
        (["--format", "png", "--size", "2ft"], "unknown unit"),
        (["--format", "png", "--size", "10px"], "too small"),
        (["--dpi", "300"], "does not apply"),
        (["--format", "txt", "--fg", "#000"], "does not apply"),
        (["-o", os.path.join(d, "x.jpg")], "cannot tell the format"),
    ]
    for args, needle in bad:
        r = cli.run(f"--raw={SAMPLE}", *args)
        err = r.stderr.decode()
        ok(r.returncode == 2 and needle in err, f"{args}: exit {r.returncode}, stderr {err!r}")
    r = cli.run("--upn", "no-at-sign", "--code-id", "44f2f040-ea9d-4283-9e7b-b63ddae391a9")
    ok(r.returncode == 2, f"bad UPN exit {r.returncode}")
    r = cli.run("--raw=hello")
    ok(r.returncode == 0 and b"not a valid ms-qrpin payload" in r.stderr and r.stdout.startswith(b"<svg "),
       f"--raw non-payload: {r.returncode} {r.stderr!r}")
    # Built payload equals the raw sample, byte for byte.
    a = cli.run("--upn", "admin@xpfq8.onmicrosoft.com", "--code-id", "44F2F040-EA9D-4283-9E7B-B63DDAE391A9")
    b = cli.run(f"--raw={SAMPLE}")
    ok(a.returncode == 0 and a.stdout == b.stdout and b.stderr == b"", "--upn/--code-id differs from --raw")
    # Binary PNG is refused on a terminal; text is fine there.
    master, slave = pty.openpty()
    try:
        r = cli.run(f"--raw={SAMPLE}", "--format", "png", stdout=slave)
        ok(r.returncode == 2 and b"terminal" in r.stderr, f"PNG to a terminal: {r.returncode} {r.stderr!r}")
        r = cli.run(f"--raw={SAMPLE}", "--format", "txt", stdout=slave)
        ok(r.returncode == 0, f"txt to a terminal: {r.returncode}")
    finally:
        os.close(master)
        os.close(slave)
    r = cli.run(f"--raw={SAMPLE}", "--format", "png")
    ok(r.returncode == 0 and r.stdout.startswith(b"\x89PNG"), "PNG to a pipe")
    # Format from the extension; atomic output leaves no temporary files.
    sub = tempfile.mkdtemp(dir=d)
    for ext, magic in (("png", b"\x89PNG"), ("svg", b"<svg "), ("txt", "█".encode())):
        p = os.path.join(sub, f"code.{ext}")
        r = cli.run(f"--raw={SAMPLE}", "-o", p)
        ok(r.returncode == 0 and open(p, "rb").read().startswith(magic), f"-o code.{ext}")
    ok(sorted(os.listdir(sub)) == ["code.png", "code.svg", "code.txt"], f"leftovers: {os.listdir(sub)}")
    # Print size: 2in at 300 dpi for 41 modules -> 14 px per module = 574 px, with a note.
    from PIL import Image

    p = os.path.join(sub, "print.png")
    r = cli.run(f"--raw={SAMPLE}", "--size", "2in", "--dpi", "300", "-o", p)
    im = Image.open(p)
    ok(r.returncode == 0 and im.size == (574, 574) and round(im.info["dpi"][0]) == 300
       and b"14 px per module" in r.stderr, f"--size 2in --dpi 300: {im.size} {im.info} {r.stderr!r}")
    p = os.path.join(sub, "exact.png")
    r = cli.run(f"--raw={SAMPLE}", "--size", "410px", "-o", p)
    ok(r.returncode == 0 and Image.open(p).size == (410, 410) and r.stderr == b"", "--size 410px is exact")
    r = cli.run(f"--raw={SAMPLE}", "--size", "50mm", "--title", "a<b")
    ok(r.returncode == 0 and b'width="50mm"' in r.stdout and b"<title>a&lt;b</title>" in r.stdout, "SVG 50mm + title")
    print("cli: behaviour checks done")


def sizes_report(cli):
    import segno

    print("\nSizes for the 76-byte sample (scale 5, border 4), bytes:")
    print(f"| ECL | version | qrpin SVG plain | qrpin SVG entra | qrpin PNG (CLI) | segno SVG | segno PNG |")
    print("|---|---|---|---|---|---|---|")
    for ecl in "lh":
        svg = os.path.getsize(cli.render(SAMPLE, "--ecl", ecl, ext="svg"))
        entra = os.path.getsize(cli.render(SAMPLE, "--ecl", ecl, "--svg-style", "entra", ext="svg"))
        png = os.path.getsize(cli.render(SAMPLE, "--ecl", ecl, ext="png"))
        qr = segno.make(SAMPLE.encode(), mode="byte", error=ecl, boost_error=False, micro=False)
        sb, pb = io.BytesIO(), io.BytesIO()
        qr.save(sb, kind="svg", scale=5, border=4)
        qr.save(pb, kind="png", scale=5, border=4)
        print(f"| {ecl.upper()} | {qr.version} | {svg} | {entra} | {png} | {len(sb.getvalue())} | {len(pb.getvalue())} |")
    versions = [segno.make(SAMPLE.encode(), mode="byte", error=e, boost_error=False, micro=False).version for e in ECLS]
    print(f"versions chosen for the sample at L/M/Q/H: {versions}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=DEFAULT_BIN)
    ap.add_argument("--quick", action="store_true", help="a smaller matrix, for local runs")
    args = ap.parse_args()
    need_tools("the render interop checks", ["zbarimg", "rsvg-convert"], ["zxingcpp", "segno", "PIL"])
    qrpin = qrpin_binary(args.bin)
    patch_segno()
    with tempfile.TemporaryDirectory(prefix="qrpin-render-interop-") as d:
        cli = Cli(qrpin, d)
        cli_behaviour(cli)
        segno_conformance(cli, args.quick)
        decode_matrix(cli, args.quick)
        sizes_report(cli)
    print()
    sys.exit(CHECKS.finish())


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Hostile inputs through the qrpin binary: each must end in its expected exit code within
512 MB of peak RSS, with one clear `error:` line and never a panic.

Times are printed, never judged: how long a case takes depends on the machine and its load.
The one clock is a guard against a hang (HANG_GUARD_S, over 30x the slowest case's time on an
idle machine); the work a hostile input may cause is bounded by the limits the cases check.

Usage: hostile.py QRPIN_BINARY [CORPUS_DIR]
Files are generated into a temporary directory; nothing is written to the repository.
"""
import io
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop"))
from common import CODE_ID as GUID, SAMPLE, need_tools, qrpin_binary  # noqa: E402

if len(sys.argv) not in (2, 3):
    sys.exit("usage: hostile.py QRPIN_BINARY [CORPUS_DIR]")
# /usr/bin/time measures each run's peak RSS.
need_tools("the hostile-input checks", ["/usr/bin/time"], ["PIL"])
from PIL import Image  # noqa: E402

QRPIN = qrpin_binary(sys.argv[1])
CORPUS = sys.argv[2] if len(sys.argv) > 2 else None
# The slowest case (a 4000x3000 noise photo) takes about 0.9 s in release on an idle machine.
HANG_GUARD_S = 30.0
MAX_RSS_KB = 512 * 1024

results = []


def run(name, args, want, stdin=b"", must_not_contain=(), stdout_must_contain=None, cwd=None,
        stderr_must_contain=None):
    """Runs qrpin; checks exit code, time, memory, stderr shape."""
    rss_file = tempfile.mktemp(prefix="qrpin-rss-")
    start = time.monotonic()
    p = subprocess.Popen(["/usr/bin/time", "-o", rss_file, "-f", "%M", QRPIN] + args,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
                         start_new_session=True)
    try:
        out, err = p.communicate(stdin, timeout=HANG_GUARD_S)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)  # time(1) and qrpin under it
        out, err = p.communicate()
        hung = True
    else:
        hung = False
    elapsed = time.monotonic() - start
    try:
        rss = int(open(rss_file).read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        rss = 0
    text = err.decode("utf-8", "replace")
    problems = []
    if p.returncode != want:
        problems.append(f"exit {p.returncode}, expected {want}")
    if hung:
        problems.append(f"still running after {HANG_GUARD_S:.0f} s: a hang")
    if rss > MAX_RSS_KB:
        problems.append(f"peak RSS {rss // 1024} MB (limit 512 MB)")
    if "panicked" in text or "RUST_BACKTRACE" in text:
        problems.append("panicked: " + text[:300])
    if want == 2 and not text.startswith("error: "):
        problems.append("stderr does not start with 'error: ': " + text[:200])
    for s in must_not_contain:
        both = out + err
        if s.encode() in both:
            problems.append(f"output contains {s!r}")
    if stdout_must_contain is not None and stdout_must_contain.encode() not in out:
        problems.append(f"stdout lacks {stdout_must_contain!r}")
    if stderr_must_contain is not None and stderr_must_contain not in text:
        problems.append(f"stderr lacks {stderr_must_contain!r}")
    first = text.strip().splitlines()[0] if text.strip() else ""
    results.append((name, p.returncode, elapsed, rss, first, problems))


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png(w, h):
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1000)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def huge_jpeg(w, h):
    # SOI, a baseline SOF0 claiming w x h, 1 component, then EOI: the header alone.
    sof = struct.pack(">BBHBHHBBBB", 0xFF, 0xC0, 11, 8, h, w, 1, 1, 0x11, 0)
    return b"\xff\xd8" + sof + b"\xff\xd9"


def patched_jpeg(w, h):
    """A real (16 x 16) baseline JPEG whose frame header is changed to claim w x h."""
    b = io.BytesIO()
    Image.new("L", (16, 16), 128).save(b, format="JPEG")
    jpg = bytearray(b.getvalue())
    sof = jpg.index(b"\xff\xc0")
    jpg[sof + 5:sof + 9] = struct.pack(">HH", h, w)
    return bytes(jpg)


def huge_gif(w, h):
    return b"GIF89a" + struct.pack("<HH", w, h) + b"\x00\x00\x00" + b"\x2c" + struct.pack("<HHHH", 0, 0, w, h) + b"\x00\x02\x02\x44\x01\x00\x3b"


def webp_chunk(kind, data):
    return kind + struct.pack("<I", len(data)) + data + b"\x00" * (len(data) % 2)


def vp8l(w, h):
    # VP8L lossless header: signature, then 14-bit width-1 and height-1; no image data.
    return webp_chunk(b"VP8L", b"\x2f" + struct.pack("<I", (w - 1) | ((h - 1) << 14)) + b"\x00" * 16)


def huge_webp(w, h):
    """A simple lossless WebP: its header holds at most 16384 x 16384."""
    body = b"WEBP" + vp8l(w, h)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def huge_webp_canvas(w, h):
    """An extended WebP (VP8X) whose canvas (24-bit sizes, up to 2^24) is w x h."""
    vp8x = b"\x00" * 4 + (w - 1).to_bytes(3, "little") + (h - 1).to_bytes(3, "little")
    body = b"WEBP" + webp_chunk(b"VP8X", vp8x) + vp8l(100, 100)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def save(img, fmt, **kw):
    b = io.BytesIO()
    img.save(b, format=fmt, **kw)
    return b.getvalue()


def main():
    d = tempfile.mkdtemp(prefix="qrpin-hostile-")

    def f(name, data):
        path = os.path.join(d, name)
        with open(path, "wb") as fh:
            fh.write(data)
        return path

    # A real code to damage.
    good = os.path.join(d, "good.png")
    subprocess.run([QRPIN, "render", "--raw", SAMPLE, "-o", good], check=True)
    good_bytes = open(good, "rb").read()

    # --- images
    run("png claiming 100000x100000", ["decode", f("huge.png", huge_png(100000, 100000))], 2, stderr_must_contain="too large")
    run("jpeg claiming 65000x65000", ["decode", f("huge.jpg", patched_jpeg(65000, 65000))], 2,
        stderr_must_contain="too large")
    run("jpeg header alone, claiming 65000x65000", ["decode", f("huge-bare.jpg", huge_jpeg(65000, 65000))], 2)
    run("gif claiming 65535x65535", ["decode", f("huge.gif", huge_gif(65535, 65535))], 2, stderr_must_contain="too large")
    run("webp canvas claiming 100000x100000", ["decode", f("huge-x.webp", huge_webp_canvas(100000, 100000))], 2,
        stderr_must_contain="too large")
    run("webp claiming 16000x16000", ["decode", f("huge.webp", huge_webp(16000, 16000))], 2, stderr_must_contain="too large")
    # image-webp 0.2.4 reads a 16384-wide lossless header as 0 wide (its size field wraps).
    run("webp claiming 16384x16384 (read as 0x0)", ["decode", f("huge-wrap.webp", huge_webp(16384, 16384))], 2)
    run("truncated png", ["decode", f("trunc.png", good_bytes[: len(good_bytes) // 2])], 2)
    jpg = save(Image.open(good).convert("L"), "JPEG")
    run("truncated jpeg", ["decode", f("trunc.jpg", jpg[: len(jpg) // 3])], 2)
    run("empty file", ["decode", f("empty.png", b"")], 2)
    run("not an image", ["decode", f("text.png", b"hello, world\n" * 10)], 2)
    frames = [Image.new("L", (16, 16), color=(i * 7) % 256) for i in range(3000)]
    b = io.BytesIO()
    frames[0].save(b, format="GIF", save_all=True, append_images=frames[1:], duration=10)
    run("animated gif, 3000 frames", ["decode", f("anim.gif", b.getvalue())], 1)
    run("1x1 image", ["decode", f("one.png", save(Image.new("L", (1, 1), 255), "PNG"))], 1)
    noise = Image.frombytes("L", (4000, 3000), os.urandom(4000 * 3000))
    run("noise photo 4000x3000, no code", ["decode", f("noise.png", save(noise, "PNG", compress_level=1))], 1)

    # --- SVG
    laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{"&lol%s;" % ("" if i == 1 else i - 1) * 10}">' for i in range(1, 10)) + \
        ']><svg xmlns="http://www.w3.org/2000/svg"><text>&lol9;</text></svg>'
    run("svg billion laughs", ["decode", f("laughs.svg", laughs.encode())], 2)
    nested = '<svg xmlns="http://www.w3.org/2000/svg">' + "<g>" * 100000 + "</g>" * 100000 + "</svg>"
    run("svg 100,000 nested groups", ["decode", f("nested.svg", nested.encode())], 2)
    path = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><path d="M0 0' + " L1 1" * 10_000_000 + '"/></svg>'
    run("svg 50 MB path", ["decode", f("path.svg", path.encode())], 2)
    other = os.path.join(d, "secret.png")
    subprocess.run([QRPIN, "render", "--raw", "SECRET-LOCAL-FILE", "-o", other], check=True)
    for href in ["file://" + other, other, "secret.png", "file:///etc/passwd", "http://127.0.0.1:9/x.png"]:
        svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
               f'width="300" height="300"><image href="{href}" xlink:href="{href}" width="300" height="300"/></svg>')
        run(f"svg <image href={href[:30]}>", ["decode", f("ext.svg", svg.encode())], 1,
            must_not_contain=["SECRET-LOCAL-FILE", "root:"], cwd=d)
    xxe = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>')
    run("svg external entity", ["decode", f("xxe.svg", xxe.encode())], 2, must_not_contain=["root:"])

    # --- text
    run("parse invalid UTF-8", ["parse"], 2, stdin=b"ms-qrpin:v1|\xff\xfe@x|" + GUID.encode())
    run("parse NUL bytes", ["parse"], 2, stdin=b"ms-qrpin:v1|a\0b@c|" + GUID.encode())
    run("parse 10 MB single line", ["parse"], 2, stdin=b"ms-qrpin:v1|" + b"a" * 10_000_000 + b"@b|" + GUID.encode())
    run("parse 20 MB (over the input limit)", ["parse"], 2, stdin=b"x" * 20_000_000)
    run("encode '|' in UPN", ["encode", "--upn", "a|b@c.com", "--code-id", GUID], 2)
    run("encode '@@' in UPN", ["encode", "--upn", "a@@c.com", "--code-id", GUID], 2)
    run("encode 10,000-char UPN", ["encode", "--upn", "a" * 10000 + "@c.com", "--code-id", GUID], 2)
    run("graph check 10 MB line", ["graph", "check", "-"], 2, stdin=b'{"code":"' + b"1" * 10_000_000 + b'"')
    run("graph check deep nesting", ["graph", "check", "-"], 2, stdin=b"[" * 100000 + b"]" * 100000)
    run("pin check leaks nothing", ["pin", "check", "12121290"], 1, must_not_contain=["12121290"])

    # --- batch
    rows = "upn,codeId,file\n" + "\n".join([
        f"a@b.com,{GUID},../../x", f"b@b.com,{GUID[:-1]}1,/etc/x", f"c@b.com,{GUID[:-1]}2,con",
        f"d@b.com,{GUID[:-1]}3,\"a\0b\"", f"e@b.com,{GUID[:-1]}4,\"a\nb\"", "x," * 1_000_000,
        f"f@b.com,{GUID},dup", f"g@b.com,{GUID[:-1]}5,ok"]) + "\n"
    out = os.path.join(d, "out")
    report = os.path.join(d, "report.jsonl")
    run("batch hostile rows", ["batch", f("rows.csv", rows.encode()), "--out", out, "--report", report, "-q"], 1)
    written = sorted(os.listdir(out))
    lines = open(report).read().splitlines()
    ok = written == ["ok.png"] and len(lines) == 9
    results.append(("batch: only the good row written, every row reported", 0, 0, 0,
                    f"{written} / {len(lines) - 1} rows reported", [] if ok else ["unexpected outputs"]))
    escaped = [p for p in ["x", "x.png"] if os.path.exists(os.path.join(d, p)) or os.path.exists(os.path.join(os.path.dirname(d), p))]
    if escaped:
        results[-1][5].append(f"escaped --out: {escaped}")

    # --- badge text
    nasty = "<script>alert(1)</script> ]]> \u202eevil\u202c & \"'"
    svg_out = os.path.join(d, "badge.svg")
    run("badge with markup and bidi controls in the name", ["badge", "--raw", SAMPLE, "--name", nasty,
        "--org", "]]><b>", "-o", svg_out], 0)
    svg_text = open(svg_out, encoding="utf-8").read() if os.path.exists(svg_out) else ""
    bad = [s for s in ["<script", "<b>", "\u202e", "]]>"] if s in svg_text]
    results.append(("badge SVG shows the text as text, never markup", 0, 0, 0,
                    "escaped" if not bad else f"found {bad}", [f"raw {b!r} in the SVG" for b in bad]))

    # --- rqrr panics
    if CORPUS:
        img = os.path.join(CORPUS, "zxing-cpp", "qrcode-6", "7.png")
        if os.path.exists(img):
            run("rqrr panic image (zxing-cpp qrcode-6/7.png)", ["decode", img], 0)

    failed = 0
    for name, code, el, rss, first, problems in results:
        mark = "FAIL" if problems else "ok"
        failed += bool(problems)
        print(f"{mark:4}  {name:48} exit {code}  {el:5.2f} s  {rss // 1024:4} MB  {first[:90]}")
        for p in problems:
            print(f"        {p}")
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

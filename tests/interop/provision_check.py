"""`qrpin provision` end to end against `qrpin graph serve`, checked with other people's tools.

    python3 tests/interop/provision_check.py [--bin target/release/qrpin] [--users 200]

- Starts the emulator (SVG images, then PNG images) with a tenth of requests failing (429, 503,
  504) and 2% of writes done but unanswered, and provisions every user with PDF badges; a
  second run with `--replace-lost` must finish every user (exit 0).
- Every badge PDF is rasterised by poppler's `pdftoppm` and read by zxing-cpp and zbarimg:
  each must hold exactly its user's journaled `rawContent`.
- `pdftotext` reads `pin-slips.pdf`: one slip per user, each with the user's journaled PIN.
- Graph's own `binaryValue` images (SVG through rsvg-convert, PNG directly) decode with
  zxing-cpp to the same `rawContent`.
- No PIN, token or rawContent in the runs' output or the report; the journal and the slips
  are mode 0600.
Exits 1 if any check fails, 2 if a tool is missing.
"""

import argparse
import base64
import json
import os
import re
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DEFAULT_BIN, Checks, need_tools, qrpin_binary, zbar, zxing  # noqa: E402

TENANT = "7d5a0c9e-5c2b-4f4e-9a43-0a11ce000001"
CLIENT = "3f6d8a2b-51c4-4e0a-9d7e-0a11ce000002"


def qr_texts(path):
    """The texts zxing-cpp reads as QR codes (it may also report other symbologies in noise)."""
    import zxingcpp

    return [b.text for b in zxing(path) if b.format == zxingcpp.BarcodeFormat.QRCode]


def serve(binary, users_file, image_format, log):
    proc = subprocess.Popen(
        [binary, "graph", "serve", "--users", users_file, "--image-format", image_format,
         "--fault-rate", "0.1", "--drop-rate", "0.02", "--fault-retry-after", "0",
         "--fault-seed", "7"],
        stdout=subprocess.PIPE, stderr=log, text=True)
    url = proc.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1:"):
        proc.kill()
        sys.exit(f"error: graph serve printed {url!r}")
    return proc, url


def provision(binary, url, users, out, *extra):
    env = dict(os.environ, QRPIN_CHECK_SECRET="qrpin-local-secret", NO_COLOR="1")
    return subprocess.run(
        [binary, "provision", users, "--out", out, "--graph-url", url, "--login-url", url,
         "--tenant", TENANT, "--client-id", CLIENT, "--client-secret-env", "QRPIN_CHECK_SECRET",
         "--jobs", "8", *extra],
        capture_output=True, text=True, env=env)


def journal(out):
    with open(os.path.join(out, "journal.jsonl")) as f:
        return [json.loads(line) for line in f]


def latest(records):
    """user id -> (upn, qrCode) of the latest created record; upn -> latest PIN."""
    codes, pins = {}, {}
    for r in records:
        upn = r["user"]["userPrincipalName"]
        body = json.loads(r["body"]) if r.get("body") else {}
        if r["event"] == "created":
            code = body["standardQRCode"] if "standardQRCode" in body else body
            codes[r["user"]["id"]] = (upn, code)
            pin = (body.get("pin") or {}).get("code")
        elif r["event"] == "pinReset":
            pin = body.get("code")
        elif r["event"] == "outcome" and r.get("outcome") == "lost":
            pin = r.get("pin")
        else:
            pin = None
        if pin:
            pins[upn] = pin
    return codes, pins


def slips(pdf):
    """upn -> PIN from the PIN slips' text: 'PIN for <upn>' followed by the PIN's line."""
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout
    found = {}
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        m = re.fullmatch(r"PIN for\s+(\S+)", line)
        if m and i + 1 < len(lines):
            found[m.group(1)] = lines[i + 1]
    return found


def check_run(c, binary, tmp, image_format, n_users):
    users = os.path.join(tmp, f"users-{image_format}.csv")
    directory = os.path.join(tmp, f"directory-{image_format}.csv")
    with open(directory, "w") as f:
        f.write("id,userPrincipalName,displayName\n")
        for i in range(n_users):
            f.write(f"{i:08x}-0000-4000-8000-{i * 7919:012x},worker{i}@contoso.com,Worker {i}\n")
    with open(users, "w") as f:
        f.write("userPrincipalName\n")
        for i in range(n_users):
            f.write(f"worker{i}@contoso.com\n")
    out = os.path.join(tmp, f"run-{image_format}")
    report = os.path.join(tmp, f"report-{image_format}.jsonl")
    log = tempfile.TemporaryFile(mode="w+")
    proc, url = serve(binary, directory, image_format, log)
    try:
        first = provision(binary, url, users, out)
        second = provision(binary, url, users, out, "--replace-lost", "--verify", "--report", report)
    finally:
        proc.terminate()
        proc.wait()
    c.ok(first.returncode in (0, 1), f"{image_format}: first run exits 0 or 1 ({first.returncode}): {first.stderr[-300:]}")
    c.ok(second.returncode == 0, f"{image_format}: the --replace-lost run finishes every user: {second.stderr[-500:]}")
    c.ok(f"provision: {n_users} users: {n_users} created" in second.stderr, f"{image_format}: summary {second.stderr[-300:]}")
    records = journal(out)
    codes, pins = latest(records)
    c.ok(len(codes) == n_users, f"{image_format}: {len(codes)} codes journaled")
    badges = os.path.join(out, "badges")
    for uid, (upn, code) in sorted(codes.items()):
        text = base64.b64decode(code["image"]["rawContent"]).decode()
        pdf = os.path.join(badges, f"{code['id']}.pdf")
        png = os.path.join(tmp, "badge")
        subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", pdf, png], check=True)
        got = qr_texts(png + ".png")
        c.ok(got == [text], f"{image_format}: zxing-cpp reads badge {code['id']} as its rawContent ({len(got)} codes)")
        c.ok(zbar(png + ".png") == [text], f"{image_format}: zbarimg reads badge {code['id']} as its rawContent")
        image = base64.b64decode(code["image"]["binaryValue"])
        path = os.path.join(tmp, "graph-image")
        with open(path, "wb") as f:
            f.write(image)
        if image_format == "svg":
            subprocess.run(["rsvg-convert", "-w", "600", "-b", "white", "-o", path + ".png", path], check=True)
            path += ".png"
        found = qr_texts(path)
        c.ok(found == [text], f"{image_format}: Graph's {image_format} image of {code['id']} holds rawContent"
             f" (zxing-cpp read {len(found)} QR codes: {[len(t) for t in found]} bytes, expected {len(text)})")
    c.ok(slips(os.path.join(out, "pin-slips.pdf")) == pins and len(pins) == n_users,
         f"{image_format}: pdftotext finds one slip per user with its journaled PIN ({len(pins)} PINs)")
    for name in ("journal.jsonl", "pin-slips.pdf"):
        mode = stat.S_IMODE(os.stat(os.path.join(out, name)).st_mode)
        c.ok(mode == 0o600, f"{image_format}: {name} is mode {mode:o}")
    with open(report) as f:
        rep = f.read()
    outputs = first.stdout + first.stderr + second.stdout + second.stderr + rep
    log.seek(0)
    outputs += log.read()
    c.ok("eyJ" not in outputs and "qrpin-local-secret" not in outputs, f"{image_format}: no token or secret in any output")
    c.ok(not any(p in outputs for p in pins.values()), f"{image_format}: no PIN in any output")
    c.ok(not any(code["image"]["rawContent"] in outputs or base64.b64decode(code["image"]["rawContent"]).decode() in outputs
                 for _, code in codes.values()), f"{image_format}: no rawContent in any output")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=DEFAULT_BIN)
    ap.add_argument("--users", type=int, default=200)
    args = ap.parse_args()
    need_tools("provision check", ["pdftoppm", "pdftotext", "rsvg-convert", "zbarimg"], ["zxingcpp", "PIL"])
    binary = qrpin_binary(args.bin)
    c = Checks("provision check")
    with tempfile.TemporaryDirectory() as tmp:
        for image_format in ("svg", "png"):
            check_run(c, binary, tmp, image_format, args.users)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())

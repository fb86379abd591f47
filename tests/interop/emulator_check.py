"""`qrpin graph serve` from Python, as a test engineer's suite uses it (docs/emulator.md).

    python3 tests/interop/emulator_check.py [--bin target/release/qrpin] [--max-examples 25]

- Starts the emulator (the binary, a process of its own) for each image format and level it is
  checked at, waits for its one stdout line, and talks to it with `requests`.
- Creates standard and temporary codes for every user and checks each create's
  `image.binaryValue` against its `rawContent`: decoded by zxing-cpp (SVGs rasterised by
  rsvg-convert), by zbarimg, and by `qrpin decode`, each must give exactly the content.
- Checks the image-only-once rule, the one-active-code rule and the PIN reset over HTTP.
- Runs schemathesis against `/openapi.json` with a bounded number of examples per operation:
  no 5xx, and every status, content type and body as the description says.
Exits 1 if any check fails, 2 if a tool is missing.
"""

import argparse
import base64
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DEFAULT_BIN, Checks, need_tools, qrpin_binary, zbar, zxing  # noqa: E402

TENANT = "7d5a0c9e-5c2b-4f4e-9a43-0a11ce000001"
CLIENT = "3f6d8a2b-51c4-4e0a-9d7e-0a11ce000002"
SECRET = "qrpin-local-secret"
USERS = [
    ("4a3f0c2e-1b5d-4e6f-8a7b-9c0d1e2f3a4b", "avery@contoso.com", "Avery"),
    ("0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f", "Blake.Okafor@contoso.onmicrosoft.com", "Blake"),
    ("9f8e7d6c-5b4a-4938-a716-253443526170", "chen.li-frontline@fabrikam.example", "Chen"),
]


class Emulator:
    """A `qrpin graph serve` process; `url` is its base URL, read from its one stdout line."""

    def __init__(self, binary, users_file, *flags):
        # The log goes to a file: a pipe nobody reads would fill and stall the server.
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(
            [binary, "graph", "serve", "--users", users_file, *flags],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.proc.kill()
            sys.exit(f"error: graph serve printed {self.url!r}: {self.stop()[1]}")

    def stop(self):
        """SIGTERM, then the exit code and the log it wrote."""
        self.proc.terminate()
        self.proc.wait()
        self.log.seek(0)
        return self.proc.returncode, self.log.read()


def token(requests, url):
    r = requests.post(f"{url}/{TENANT}/oauth2/v2.0/token", data={
        "grant_type": "client_credentials", "client_id": CLIENT, "client_secret": SECRET,
        "scope": "https://graph.microsoft.com/.default"})
    r.raise_for_status()
    return r.json()["access_token"]


def image_texts(image, work, name):
    """What zxing-cpp, zbarimg and `qrpin decode` read in a create's `image.binaryValue`."""
    import zxingcpp

    data = base64.b64decode(image["binaryValue"])
    is_svg = data.lstrip().startswith(b"<")
    src = os.path.join(work, name + (".svg" if is_svg else ".png"))
    with open(src, "wb") as f:
        f.write(data)
    png = src
    if is_svg:
        png = os.path.join(work, name + ".raster.png")
        # Graph's SVGs are drawn in pixel units: 4x keeps modules at several pixels.
        subprocess.run(["rsvg-convert", "--zoom", "4", "--background-color", "white",
                        "-o", png, src], check=True)
    return {
        "zxing-cpp": [b.text for b in zxing(png) if b.format == zxingcpp.BarcodeFormat.QRCode],
        "zbarimg": zbar(png),
        "qrpin decode": qrpin_texts(src),
    }, is_svg


QRPIN = None


def qrpin_texts(path):
    p = subprocess.run([QRPIN, "--json", "decode", path], capture_output=True, text=True)
    try:
        return [c["text"] for f in json.loads(p.stdout) for c in f.get("codes", [])]
    except (ValueError, TypeError, KeyError):
        return [f"unreadable output: {p.stdout[:200]!r}"]


def check_images(checks, requests, binary, users_file, work, flags, want_svg):
    em = Emulator(binary, users_file, *flags)
    label = " ".join(flags)
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token(requests, em.url)}"
    now = dt.datetime.now(dt.timezone.utc)
    iso = lambda d: d.isoformat()  # noqa: E731  (6 fractional digits: Python's clock)
    pins = []
    for uid, upn, _ in USERS:
        m = f"{em.url}/beta/users/{upn}/authentication/qrCodePinMethod"
        r = s.put(m, json={"standardQRCode": {
            "startDateTime": iso(now), "expireDateTime": iso(now + dt.timedelta(days=30))}})
        if not checks.ok(r.status_code == 201, f"[{label}] PUT method for {upn}: {r.status_code}"):
            continue
        made = [("standard", r.json()["standardQRCode"])]
        pins.append(r.json()["pin"]["code"])
        r = s.patch(f"{m}/temporaryQRCode", json={
            "startDateTime": iso(now), "expireDateTime": iso(now + dt.timedelta(hours=12))})
        if checks.ok(r.status_code == 201, f"[{label}] create temporary for {upn}: {r.status_code}"):
            made.append(("temporary", r.json()))
        for kind, code in made:
            image = code["image"]
            raw = base64.b64decode(image["rawContent"]).decode()
            head = f"ms-qrpin:v1|{upn}|{code['id']}"
            keyed = "--no-key-field" not in flags
            checks.ok(raw.startswith(head + "|") if keyed else raw == head,
                      f"[{label}] {kind} content of {upn} names the user and the code")
            texts, is_svg = image_texts(image, work, f"{uid}-{kind}-{len(pins)}")
            checks.ok(is_svg == want_svg, f"[{label}] binaryValue is {'SVG' if want_svg else 'PNG'}")
            for decoder, got in texts.items():
                checks.ok(got == [raw], f"[{label}] {decoder} reads the {kind} code of {upn}: {got!r}")
        # Once only: every read has a null image, and a second create is refused.
        got = s.get(m).json()
        checks.ok(got["standardQRCode"]["image"] is None and got["pin"]["code"] is None,
                  f"[{label}] GET method of {upn} has no image and no PIN")
        r = s.patch(f"{m}/standardQRCode", json={
            "startDateTime": iso(now), "expireDateTime": iso(now + dt.timedelta(days=5))})
        checks.ok(r.status_code == 400 and r.json()["error"]["code"] == "ActiveQRCodeExisted",
                  f"[{label}] a second standard code for {upn} is ActiveQRCodeExisted: {r.status_code}")
        r = s.patch(f"{m}/pin", json={})
        checks.ok(r.status_code == 201 and r.json()["forceChangePinNextSignIn"] is True
                  and r.json()["code"].isdigit(), f"[{label}] PIN reset for {upn}: {r.status_code}")
    rc, log = em.stop()
    checks.ok(rc == 0, f"[{label}] SIGTERM ends graph serve with 0, not {rc}")
    leaked = [p for p in pins if p in log]
    checks.ok(not leaked and "Bearer" not in log and "eyJ" not in log,
              f"[{label}] the log holds no PIN and no token")


def status_of(line):
    """The status of a request log line (`<time> app=<id> METHOD PATH STATUS N.Nms [note]`),
    or None for another line."""
    words = line.split()
    for i, w in enumerate(words[1:], 1):
        if w.endswith("ms") and words[i - 1].isdigit():
            return int(words[i - 1])
    return None


def schemathesis(checks, binary, users_file, max_examples):
    """schemathesis against the emulator's own description; its exit code is the verdict."""
    em = Emulator(binary, users_file)
    import requests

    tok = token(requests, em.url)
    cmd = ["st", "run", f"{em.url}/openapi.json", "--url", em.url,
           "--header", f"Authorization: Bearer {tok}",
           "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
                       "response_schema_conformance",
           "--max-examples", str(max_examples), "--seed", "20261202", "--workers", "1",
           "--phases", "examples,coverage,fuzzing", "--no-color",
           "--generation-database", ":memory:"]
    print("$", " ".join(c if not c.startswith("Authorization") else "Authorization: Bearer …"
                        for c in cmd), flush=True)
    p = subprocess.run(cmd, capture_output=True, text=True)
    tail = "\n".join(p.stdout.splitlines()[-40:])
    print(tail)
    if p.returncode != 0:
        print(p.stderr[-2000:], file=sys.stderr)
    rc, log = em.stop()
    checks.ok(p.returncode == 0, f"schemathesis (exit {p.returncode}): no 5xx, every answer as described")
    statuses = [status_of(line) for line in log.splitlines()]
    server_errors = [s for s in statuses if s is not None and s >= 500]
    odd = [line for line, s in zip(log.splitlines(), statuses)
           if s is None and not line.startswith("note: graph serve:")]
    checks.ok(not odd and not server_errors and len(statuses) - statuses.count(None) > 100,
              f"the emulator's log shows requests and no 5xx: {server_errors[:5]} {odd[:5]}")
    checks.ok(tok not in log, "the log holds no token")
    checks.ok(rc == 0, f"SIGTERM after schemathesis ends graph serve with 0, not {rc}")


def main():
    global QRPIN
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=DEFAULT_BIN)
    ap.add_argument("--max-examples", type=int, default=25)
    ap.add_argument("--skip-schemathesis", action="store_true",
                    help="only the image checks (for a quick local run)")
    a = ap.parse_args()
    need_tools("the emulator checks", ["rsvg-convert", "zbarimg", "st"],
               ["requests", "zxingcpp", "PIL"])
    import requests

    QRPIN = qrpin_binary(a.bin)
    checks = Checks("emulator")
    with tempfile.TemporaryDirectory() as work:
        users_file = os.path.join(work, "users.csv")
        with open(users_file, "w") as f:
            f.write("id,userPrincipalName,displayName\n")
            f.writelines(f"{i},{u},{n}\n" for i, u, n in USERS)
        for flags, svg in [(("--ecl", "l"), True), (("--ecl", "h"), True),
                           (("--ecl", "m", "--image-format", "png"), False),
                           (("--ecl", "q", "--svg-style", "plain", "--no-key-field"), True)]:
            check_images(checks, requests, QRPIN, users_file, work, list(flags), svg)
        if not a.skip_schemathesis:
            schemathesis(checks, QRPIN, users_file, a.max_examples)
    sys.exit(checks.finish())


if __name__ == "__main__":
    main()

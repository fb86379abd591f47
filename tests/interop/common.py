"""Helpers shared by the interop scripts in this folder (and tests/hostile/hostile.py).

    from common import SAMPLE, Checks, need_tools, qrpin_binary, zbar, zxing

- `Checks` counts checks: a failed one is printed at once and again in the summary, whose last
  line is "NAME: N passed, M failed".
- `need_tools` exits with an error naming every missing command or Python module: the checks
  never skip for want of a tool.
- `zbar` and `zxing` decode an image file with zbarimg and zxing-cpp, two decoders we did not
  write.
"""

import os
import shutil
import subprocess
import sys

# The 76-byte sample payload of the spec.
SAMPLE = "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9"
UPN = "admin@xpfq8.onmicrosoft.com"
CODE_ID = "44f2f040-ea9d-4283-9e7b-b63ddae391a9"
# What the scripts run when not given --bin: the binary .ci/run builds before its steps.
DEFAULT_BIN = os.environ.get("QRPIN_BIN", "target/release/qrpin")


class Checks:
    """A tally of checks. `ok` records one; `finish` prints the summary and gives the exit code."""

    def __init__(self, name, verbose=False):
        self.name = name
        self.verbose = verbose
        self.passed = 0
        self.failed = []

    def ok(self, cond, msg):
        """Counts `cond` as a pass or a failure, printed now (to stderr, or in verbose mode to
        stdout between the passes); returns `cond`."""
        if cond:
            self.passed += 1
            if self.verbose:
                print(f"ok    {msg}")
        else:
            self.failed.append(msg)
            print(f"FAIL: {msg}", file=sys.stdout if self.verbose else sys.stderr)
        return cond

    def finish(self, show=50):
        """Lists the first `show` failures, prints "NAME: N passed, M failed", returns 1 or 0."""
        sys.stdout.flush()
        if self.failed:
            print(f"{self.name}: failed checks:")
            for msg in self.failed[:show]:
                print(f"  {msg}")
            if len(self.failed) > show:
                print(f"  ... and {len(self.failed) - show} more")
        print(f"{self.name}: {self.passed} passed, {len(self.failed)} failed")
        return 1 if self.failed else 0


def need_tools(what, commands=(), modules=()):
    """Exits with an error if any command (on PATH, or a path) or Python module is missing."""
    missing = [c for c in commands if shutil.which(c) is None]
    for mod in modules:
        try:
            __import__(mod)
        except ImportError:
            missing.append(f"python module {mod}")
    if missing:
        sys.exit(f"error: missing tools for {what}: {', '.join(missing)}"
                 " (CI installs them: .ci/run, .ci/requirements.txt)")


def qrpin_binary(path):
    """The absolute path of an executable qrpin at `path`, or exits with an error."""
    if not os.access(path, os.X_OK):
        sys.exit(f"error: no qrpin binary at {path} (cargo build --release -p qrpin-cli)")
    return os.path.abspath(path)


def zbar(path):
    """The texts of the QR codes zbarimg reads in the image file, one per code (may be [])."""
    p = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", path],
                       capture_output=True)
    return [line for line in p.stdout.decode("utf-8", "replace").splitlines() if line]


def zxing(image):
    """The barcodes zxing-cpp reads in an image file (or a PIL image), as grey levels."""
    import zxingcpp
    from PIL import Image

    if isinstance(image, Image.Image):
        return zxingcpp.read_barcodes(image.convert("L"))
    with Image.open(image) as im:
        return zxingcpp.read_barcodes(im.convert("L"))

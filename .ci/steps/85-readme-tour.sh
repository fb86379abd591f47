#!/usr/bin/env bash
# The README's tour is real output: rerun scripts/readme-tour.sh on a temp copy of README.md
# (pictures to a temp dir) and fail if any text block differs from the committed README. The
# pictures may differ by bytes between machines, so they are checked by content instead: the
# code and the badge (fresh and committed) must decode, with zbarimg, to the sample payload,
# and every picture the README shows must exist and be a PNG. About 30 s after a release build.
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in zbarimg python3; do
    command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp README.md "$tmp/README.md"
bash scripts/readme-tour.sh --readme "$tmp/README.md" --img "$tmp/img"

if ! diff -u README.md "$tmp/README.md"; then
    echo "error: the README's tour differs from a fresh run (above: - committed, + fresh);" \
        "run: bash scripts/readme-tour.sh" >&2
    exit 1
fi
echo "README tour text: identical to a fresh run"

payload='ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9'
for png in "$tmp/img/code.png" "$tmp/img/badge.png" docs/img/code.png docs/img/badge.png; do
    got=$(zbarimg -q --raw "$png" 2>/dev/null || true)
    [ "$got" = "$payload" ] || {
        echo "error: $png decodes to [$got], expected the sample payload" >&2
        exit 1
    }
    echo "$png: zbarimg reads the sample payload"
done

# Every picture the README shows exists and is a PNG of a sensible size.
python3 - <<'EOF'
import re, sys
from pathlib import Path
from PIL import Image
text = Path("README.md").read_text()
pics = sorted(set(re.findall(r'(?:src="|\]\()(docs/img/[^")]+)', text)))
if len(pics) < 4:
    sys.exit(f"error: the README shows only {pics}")
for p in pics:
    if not Path(p).is_file():
        sys.exit(f"error: README.md shows {p}, which does not exist")
    with Image.open(p) as im:
        if im.format != "PNG" or min(im.size) < 100:
            sys.exit(f"error: {p} is {im.format} {im.size}")
        print(f"{p}: PNG {im.size[0]}x{im.size[1]}")
EOF
echo "readme tour: ok"

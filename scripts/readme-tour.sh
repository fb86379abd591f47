#!/usr/bin/env bash
# Regenerates the README's tour from real runs of the release `qrpin`: every text block
# between `<!-- tour:NAME -->` and `<!-- /tour -->` in README.md, and the pictures in docs/img/
# (the sample code, a badge, a sheet thumbnail, the batch progress bar captured on a
# pseudo-terminal). Run from anywhere: `bash scripts/readme-tour.sh`.
#
#   --readme FILE   rewrite FILE instead of README.md (CI: a temp copy, then diff)
#   --img DIR       write the pictures to DIR instead of docs/img
#   --bin PATH      use this qrpin instead of building target/release/qrpin
#
# Output that changes from run to run is made fixed: dates are given (--expires), code ids are
# written out, PINs are never generated, and batch timings are replaced by "…".
# Needs: cargo, python3 with Pillow, pdftoppm and pdfinfo (poppler-utils), script (util-linux).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

readme=README.md
img=docs/img
bin=
while [ $# -gt 0 ]; do
    case $1 in
        --readme) readme=$2; shift 2 ;;
        --img) img=$2; shift 2 ;;
        --bin) bin=$2; shift 2 ;;
        *) echo "usage: $0 [--readme FILE] [--img DIR] [--bin PATH]" >&2; exit 2 ;;
    esac
done
for tool in python3 pdftoppm pdfinfo script; do
    command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 1; }
done
python3 -c 'import PIL' 2>/dev/null || { echo "error: python3 Pillow is not installed" >&2; exit 1; }
if [ -z "$bin" ]; then
    cargo build --release -q -p qrpin-cli --bin qrpin
    bin=$root/target/release/qrpin
fi
readme=$(cd "$(dirname "$readme")" && pwd)/$(basename "$readme")
mkdir -p "$img"
img=$(cd "$img" && pwd)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
blocks=$tmp/blocks
work=$tmp/work
mkdir -p "$blocks" "$work"
cp -r testdata "$work/testdata" # so paths in the tour read as they do from the repo root
cd "$work"

# `qrpin` in the tour is the binary under test; no colour in captured text; `ls` sorts the
# same everywhere.
export NO_COLOR=1 LC_ALL=C.UTF-8
qrpin() { "$bin" "$@"; }

block=
begin() { block=$blocks/$1.md; printf '```console\n' >"$block"; }
end() { printf '```\n' >>"$block"; }
# show 'COMMAND' [SED]: prints "$ COMMAND", runs it, prints its output (stdout and stderr as a
# terminal would interleave them), then "[exit N]" when N is not 0. SED filters the output.
show() {
    local cmd=$1 filter=${2:-} out rc=0
    out=$(eval "$cmd" 2>&1) || rc=$?
    [ -z "$filter" ] || out=$(printf '%s\n' "$out" | sed -E "$filter")
    {
        printf '$ %s\n' "$cmd"
        [ -z "$out" ] || printf '%s\n' "$out"
        [ "$rc" -eq 0 ] || printf '[exit %d]\n' "$rc"
    } >>"$block"
}

upn=admin@xpfq8.onmicrosoft.com
id=44f2f040-ea9d-4283-9e7b-b63ddae391a9
UPN=$upn
ID=$id

begin encode
show "UPN=$upn ID=$id"
show 'qrpin encode --upn $UPN --code-id $ID'
show 'qrpin encode --base64 --upn $UPN --code-id $ID'
show "qrpin parse 'ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9'"
show "qrpin parse 'ms-qrpin:v1|ad min@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9'"
end

begin render
show 'qrpin render --upn $UPN --code-id $ID -o code.png'
show 'qrpin decode code.png'
show 'qrpin render --upn $UPN --code-id $ID --ecl h --format txt | head -n 6'
end
cp code.png "$img/code.png"

begin verify
show 'qrpin verify code.png --upn $UPN --code-id $ID --ecl l'
show 'qrpin verify code.png --upn $UPN --code-id 44f2f040-ea9d-4283-9e7b-b63ddae391a8'
show 'qrpin verify code.png --upn $UPN --code-id $ID --ecl m'
end

begin badge
show 'qrpin badge --upn $UPN --code-id $ID --name "Jane Doe" --expires 2026-12-19 -o badge.png'
show 'qrpin verify badge.png --upn $UPN --code-id $ID --ecl m'
show 'qrpin badge --upn $UPN --code-id $ID --name "Jane Doe" --expires 2026-12-19 --sheet a4 --copies 8 -o sheet.pdf'
show 'pdfinfo sheet.pdf | grep -E "^(Pages|Page size)"'
end
cp badge.png "$img/badge.png"
pdftoppm -r 36 -png -singlefile sheet.pdf "$tmp/sheet"
cp "$tmp/sheet.png" "$img/sheet.png"

begin graph
show 'qrpin graph verify testdata/graph/qrcode-create-response.json'
show 'qrpin graph check testdata/graph/bad-codeid-mismatch.json'
end

begin batch
cat >users.csv <<'EOF'
upn,codeId,displayName
jane.doe@contoso.example,0b9e7a7c-4f1e-4d39-a7a1-7f3c1c0c2d11,Jane Doe
li.wei@contoso.example,5d1f3c2a-8e4b-4a6f-9c3d-2b7e1f0a9c44,Li Wei
amara.okafor@contoso.example,9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d,Amara Okafor
bad user@contoso.example,3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a,Bad Row
jose.garcia@contoso.example,7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918,José García
EOF
show 'cat users.csv'
timing='s/ in [0-9.]+ s \([0-9]+ codes\/s\)/ in … s (… codes\/s)/'
show 'qrpin batch users.csv --out codes/ --verify --report report.jsonl' "$timing"
show 'ls codes/'
show 'head -n 2 report.jsonl'
show 'qrpin batch users.csv --out codes/ --resume' "$timing"
end

# The progress bar only shows on a terminal: run a bigger batch on a pseudo-terminal of 100
# columns and draw the middle frame of what it printed.
big='batch workers.csv --out workers/ --verify' # 12,000 rows: a few seconds
python3 - >workers.csv <<'EOF'
import random, uuid
r = random.Random(7)
print("upn,codeId,displayName")
for i in range(12000):
    print(f"worker{i:05d}@contoso.example,{uuid.UUID(int=r.getrandbits(128), version=4)},Worker {i}")
EOF
script -qfec "stty cols 100 rows 30; $(printf '%q' "$bin") $big" "$tmp/typescript" >/dev/null
python3 "$root/scripts/readme_tour.py" term "$tmp/typescript" "\$ qrpin $big" \
    "$img/batch-progress.png" "$root/crates/qrpin-render/fonts/QrpinSans-Regular.ttf"

python3 "$root/scripts/readme_tour.py" bench "$root/BENCHMARKS.md" >"$blocks/bench.md"

python3 "$root/scripts/readme_tour.py" splice "$readme" "$blocks"
echo "pictures: $(cd "$img" && ls code.png badge.png sheet.png batch-progress.png | tr '\n' ' ')"

#!/usr/bin/env bash
# No module of a crate imports another that imports it back, directly or around a circle
# (issue 17; scripts/module_cycles.py, plain Python, no build). qrpin-render's symbol modules
# (layout, mask, matrix, place) still form one circle: they move to their own crate in issue 17,
# and until then that crate's cycle is listed, not failed. Under a second.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 scripts/module_cycles.py --allow qrpin-render
# The checker itself: a crate with a -> b -> a (through a root re-export) must fail it.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/demo/src"
printf '[package]\nname = "demo"\n' >"$tmp/demo/Cargo.toml"
printf 'mod a;\nmod b;\npub use b::Thing;\n' >"$tmp/demo/src/lib.rs"
printf 'use crate::Thing;\npub struct A;\n' >"$tmp/demo/src/a.rs"
printf 'use crate::a::A;\npub struct Thing;\n' >"$tmp/demo/src/b.rs"
if python3 scripts/module_cycles.py --crate "$tmp/demo" >"$tmp/out"; then
    echo "error: the cycle checker missed a -> b -> a" >&2; cat "$tmp/out" >&2; exit 1
fi
grep -q "cycle among a, b" "$tmp/out" || { cat "$tmp/out" >&2; exit 1; }
echo "module cycles: ok"

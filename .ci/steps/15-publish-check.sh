#!/usr/bin/env bash
# Ready for crates.io: every publishable crate has its metadata (description, SPDX licence,
# repository, keywords, categories, rust-version, readme, docs), crates not for crates.io say
# `publish = false`, the published crates have no dependency cycle, `cargo package` writes all
# six (the codec's package is also built from the .crate alone), each .crate holds its README
# and every file it embeds (the render crate's fonts and their licence), and the examples in
# the library READMEs compile and run. See scripts/publish_check.py. Under a minute.
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in cargo rustdoc python3; do
    command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 1; }
done

echo "-- metadata"
python3 scripts/publish_check.py metadata

echo "-- cargo package (crates.io index for the registry dependencies)"
pkgdir=target/package
rm -f "$pkgdir"/qrpin-*.crate
run() { # runs a command quietly; prints its output only when it fails
    local out
    out=$("$@" 2>&1) || { echo "$out" >&2; echo "error: $* failed" >&2; exit 1; }
    printf '%s\n' "$out" | grep -E "${FILTER:-.}" || true
}
FILTER='Packag' run cargo package --no-verify --locked --allow-dirty \
    -p qrpin-codec -p qrpin-render -p qrpin-scan -p qrpin-emulator -p qrpin-graph -p qrpin-cli
# The codec is meant to be used alone: build it from its .crate, as a stranger would.
FILTER='Verifying|Finished' run cargo package --locked --allow-dirty -p qrpin-codec
test -f "$pkgdir/qrpin-codec-0.1.0.crate" || { echo "error: no codec package" >&2; exit 1; }
python3 scripts/publish_check.py contents "$pkgdir"

echo "-- README examples of the library crates (rustdoc --test)"
# The libraries as `cargo test --workspace` built them (nothing new to compile in CI).
libs=$(cargo test --workspace --no-run --locked --message-format=json 2>/dev/null | python3 -c '
import json, sys
seen = {}
for line in sys.stdin:
    m = json.loads(line)
    t = m.get("target", {})
    if m.get("reason") == "compiler-artifact" and t.get("kind") == ["lib"] \
            and t.get("name") in ("qrpin_codec", "qrpin_render", "qrpin_scan", "qrpin_emulator", "qrpin_graph", "tokio") \
            and not m["profile"]["test"]:
        seen[t["name"]] = next(f for f in m["filenames"] if f.endswith(".rlib"))
if len(seen) != 6:
    sys.exit(f"error: library artifacts not found: {sorted(seen)}")
print(" ".join(f"--extern {k}={v}" for k, v in sorted(seen.items())))
')
for crate in qrpin-codec qrpin-render qrpin-scan qrpin-emulator qrpin-graph; do
    echo "crates/$crate/README.md"
    # shellcheck disable=SC2086
    FILTER='^test ' run rustdoc --test --edition 2021 -L dependency=target/debug/deps $libs \
        "crates/$crate/README.md"
done
echo "publish check: ok"

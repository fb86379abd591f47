#!/usr/bin/env bash
# Library examples: builds and runs each crate's examples/ (debug builds), and feeds the badge
# written by qrpin-render's example to qrpin-scan's verify_image, so the two must agree.
set -euo pipefail
cd "$(dirname "$0")/../.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== qrpin-codec: parse_graph_response (sample response)"
cargo run -q -p qrpin-codec --example parse_graph_response
echo "== qrpin-codec: parse_graph_response must reject a bad response"
if cargo run -q -p qrpin-codec --example parse_graph_response testdata/graph/bad-codeid-mismatch.json; then
    echo "error: parse_graph_response accepted bad-codeid-mismatch.json" >&2
    exit 1
fi

echo "== qrpin-scan: verify_image (in-memory render)"
cargo run -q -p qrpin-scan --example verify_image

echo "== qrpin-render: render_badge (temp dir, then SVG and PNG to given paths)"
cargo run -q -p qrpin-render --example render_badge
cargo run -q -p qrpin-render --example render_badge "$tmp/badge.svg"
cargo run -q -p qrpin-render --example render_badge "$tmp/badge.png"
grep -q '<svg' "$tmp/badge.svg" || { echo "error: $tmp/badge.svg is not an SVG" >&2; exit 1; }

echo "== qrpin-scan: verify_image on the example badge (PNG and SVG)"
cargo run -q -p qrpin-scan --example verify_image "$tmp/badge.png"
cargo run -q -p qrpin-scan --example verify_image "$tmp/badge.svg"
echo "examples: ok"

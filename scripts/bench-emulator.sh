#!/usr/bin/env bash
# Benchmark of `qrpin graph serve` (not a test): creates per second and latency percentiles
# with wrk, with --state on disk and in memory. Each create is a PUT qrCodePinMethod for a
# different user (a user has one active standard code), so every request makes a code, an SVG
# image and a PIN and commits them. Usage: scripts/bench-emulator.sh [SECONDS] [CONNECTIONS]
# Needs wrk (apt install wrk) and target/release/qrpin (bash .ci/release-build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10} conns=${2:-8} users=200000
bin=target/release/qrpin
command -v wrk >/dev/null || { echo "error: wrk is not installed (apt install wrk)" >&2; exit 1; }
[ -x "$bin" ] || { echo "error: no $bin (bash .ci/release-build.sh)" >&2; exit 1; }
work=$(mktemp -d -p "${BENCH_DIR:-/var/tmp}")
trap 'rm -rf "$work"' EXIT
python3 - "$work/users.csv" "$users" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("id,userPrincipalName\n")
    for i in range(int(sys.argv[2])):
        f.write(f"{i:08x}-0000-4000-8000-000000000000,u{i}@contoso.com\n")
PY
cat > "$work/put.lua" <<'LUA'
-- Each thread walks its own slice of the users, one PUT per user.
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("first", counter - 1)
end
function init(args)
  n = first
  token = os.getenv("TOKEN")
  body = '{"standardQRCode":{"startDateTime":"2026-01-01T00:00:00Z","expireDateTime":"2027-01-01T00:00:00Z"}}'
end
function request()
  local path = string.format("/beta/users/u%d@contoso.com/authentication/qrCodePinMethod", n)
  n = n + 2 -- two threads (wrk -t 2)
  return wrk.format("PUT", path, {["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json"}, body)
end
function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors_status=%d secs=%.2f rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.errors.status, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
LUA
echo "uptime: $(uptime)"
for mode in memory disk; do
    flags=(--users "$work/users.csv")
    [ "$mode" = disk ] && flags+=(--state "$work/graph-$RANDOM.db")
    rm -f "$work/url"
    "$bin" graph serve "${flags[@]}" > "$work/url" 2> "$work/log" &
    pid=$!
    while [ ! -s "$work/url" ]; do kill -0 $pid 2>/dev/null || { cat "$work/log"; exit 1; }; sleep 0.1; done
    url=$(head -1 "$work/url")
    TOKEN=$(curl -s "$url/7d5a0c9e-5c2b-4f4e-9a43-0a11ce000001/oauth2/v2.0/token" \
        -d grant_type=client_credentials -d client_id=3f6d8a2b-51c4-4e0a-9d7e-0a11ce000002 \
        -d client_secret=qrpin-local-secret -d scope=https://graph.microsoft.com/.default |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    export TOKEN
    result=$(wrk -t 2 -c "$conns" -d "${secs}s" -s "$work/put.lua" "$url" | grep '^RESULT')
    created=$(grep -c ' PUT .* 201 ' "$work/log" || true)
    echo "$mode: $result created=$created"
    kill $pid; wait $pid || true
done

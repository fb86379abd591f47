#!/usr/bin/env bash
# Provisioning throughput against `qrpin graph serve --latency 20`: users per second at
# --jobs 1, 4 and 16, next to the bound the latency sets (each user is 2 requests when USERS
# gives both id and UPN, a GET of the method and the create, so at most jobs / 20 ms requests/s
# = jobs / 40 ms users/s). The server and the provisioner are separate processes, the state in
# memory, badges SVG; each figure is the median of REPEATS runs into a fresh folder.
#
#   bash scripts/bench-provision.sh [USERS=400] [REPEATS=3]
#
# Run it on an idle machine (check `uptime`); it prints a Markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
users=${1:-400}
repeats=${2:-3}
[ -n "${QRPIN_BIN:-}" ] || bash .ci/release-build.sh
bin=${QRPIN_BIN:-$PWD/target/release/qrpin}
tmp=$(mktemp -d)
server=
trap '[ -z "$server" ] || kill "$server" 2>/dev/null || true; rm -rf "$tmp"' EXIT
python3 - "$users" "$tmp" <<'PY'
import sys
n, tmp = int(sys.argv[1]), sys.argv[2]
with open(f"{tmp}/directory.csv", "w") as d, open(f"{tmp}/users.csv", "w") as u:
    d.write("id,userPrincipalName,displayName\n")
    u.write("id,userPrincipalName\n")
    for i in range(n):
        gid = f"{i:08x}-0000-4000-8000-{i * 7919:012x}"
        d.write(f"{gid},w{i}@contoso.com,Worker {i}\n")
        u.write(f"{gid},w{i}@contoso.com\n")
PY
echo "uptime: $(uptime)"
printf '| --jobs | users | median users/s | runs (users/s) | requests/s | bound (jobs / 20 ms) | share of bound |\n|---:|---:|---:|---|---:|---:|---:|\n'
for jobs in 1 4 16; do
    rates=() reqs=()
    for r in $(seq "$repeats"); do
        # A fresh server each run: every user starts without a method.
        coproc SERVER { exec "$bin" graph serve --users "$tmp/directory.csv" --latency 20 2>/dev/null; }
        server=$SERVER_PID
        read -r url <&"${SERVER[0]}" # its one line, once it listens
        rm -rf "$tmp/run"
        line=$(QRPIN_BENCH_SECRET=qrpin-local-secret "$bin" provision "$tmp/users.csv" --out "$tmp/run" \
            --badge-format svg --jobs "$jobs" --graph-url "$url" --login-url "$url" \
            --tenant 7d5a0c9e-5c2b-4f4e-9a43-0a11ce000001 --client-id 3f6d8a2b-51c4-4e0a-9d7e-0a11ce000002 \
            --client-secret-env QRPIN_BENCH_SECRET 2>&1 | grep '^provision: ')
        kill "$server"; wait "$server" 2>/dev/null || true
        rate=$(sed -E 's/.*, ([0-9.]+) users\/s\).*/\1/' <<<"$line")
        graph=$(sed -E 's/.*\(Graph ([0-9.]+) s.*/\1/' <<<"$line")
        nreq=$(sed -E 's/.*; ([0-9]+) requests,.*/\1/' <<<"$line")
        rates+=("$rate")
        reqs+=("$(python3 -c "print(f'{$nreq/$graph:.0f}')")")
    done
    python3 - "$jobs" "$users" "${rates[*]}" "${reqs[*]}" <<'PY'
import statistics, sys
jobs, users = int(sys.argv[1]), int(sys.argv[2])
rates = [float(x) for x in sys.argv[3].split()]
reqs = [float(x) for x in sys.argv[4].split()]
bound = jobs / 0.020
med = statistics.median(rates)
rq = statistics.median(reqs)
print(f"| {jobs} | {users} | {med:.1f} | {', '.join(f'{r:.1f}' for r in rates)} | {rq:.0f} | {bound:.0f} | {rq / bound:.0%} |")
PY
done

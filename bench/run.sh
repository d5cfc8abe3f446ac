#!/usr/bin/env bash
# bench/run.sh BUILD — every benchmark, each beside its peer in the same run, with the ratio.
# Benchmarks, not tests: this machine is shared and noisy, so read the ratios, not the absolutes.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== KYC: resident-number checks, one core (goal: >= 10 million/s)"
"$build/bench/bench_kyc" 2000000 "$tmp/ids.txt"
ours=$("$build/bench/bench_kyc" "$tmp/ids.txt")
peer=$(python3 "$root/bench/peer_kyc.py" "$tmp/ids.txt" "$root/data/gbt2260.tsv")
echo "$ours"
echo "$peer"
python3 - "$ours" "$peer" <<'PY'
import re, sys
o = re.search(r"([\d.]+) million checks/s.*valid (\d+) invalid (\d+)", sys.argv[1])
p = re.search(r"([\d.]+) million checks/s; valid (\d+) invalid (\d+)", sys.argv[2])
print(f"ratio: warden is {float(o.group(1)) / float(p.group(1)):.0f}x the peer; verdicts "
      + ("agree" if o.group(2, 3) == p.group(2, 3) else f"DIFFER ({o.group(2)}/{o.group(3)} vs {p.group(2)}/{p.group(3)})"))
PY

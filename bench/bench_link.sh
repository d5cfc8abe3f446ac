#!/usr/bin/env bash
# bench/bench_link.sh BUILD [ACCOUNTS] [PEER_ACCOUNTS] — associated accounts (issue 5), beside the peer.
#
# Generates ACCOUNTS accounts (default 10 million, about 6 keys each, every key type planted) and
# times `warden link build` on them: wall time, peak RSS (/usr/bin/time -v), then checks the planted
# truth in a second run. The peer (bench/peer_link.py, Debian's python3-igraph) needs about 3.5 GB
# per million accounts, so it runs on PEER_ACCOUNTS (default 1 million) and warden runs that set too:
# the ratio is taken on the same files. Goals: 10 M in <= 30 s and <= 4 GB; >= 5x the peer.
set -euo pipefail
build=${1:-build}
n=${2:-10000000}
peer_n=${3:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# wall seconds and peak RSS (MB) of a command, from GNU time
timed() {
  local log=$1
  shift
  /usr/bin/time -v "$@" >"$log.out" 2>"$log.err" || true
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; w = s }
              /Maximum resident set size/ { m = $2 / 1024 }
              END { printf "%.2f %.0f\n", w, m }' "$log.err"
}

run_set() {
  local count=$1 dir=$tmp/set$1
  mkdir -p "$dir"
  "$build/warden" gen accounts --accounts "$count" --seed 5 --out "$dir" >/dev/null
  read -r secs mb < <(timed "$dir/ours" "$build/warden" link build --accounts "$dir/accounts.csv" \
    --keys "$dir/keys.csv" --equity "$dir/equity.csv")
  local rows
  rows=$(grep -o 'key rows [0-9]*' "$dir/ours.out" | awk '{print $3}')
  echo "warden: $count accounts, $rows key rows: clusters built in $secs s (wall, end to end), peak RSS $mb MB"
  grep -E '^clusters' "$dir/ours.out" | sed 's/^/  /'
  "$build/warden" link build --accounts "$dir/accounts.csv" --keys "$dir/keys.csv" --equity "$dir/equity.csv" \
    --truth "$dir/truth.csv" | grep '^truth' | sed 's/^/  planted /'
  echo "$secs" >"$dir/secs"
}

echo "== associated accounts: $n accounts (goal: <= 30 s and <= 4 GB on this 2-core machine)"
run_set "$n"
if [ "$peer_n" != "$n" ]; then
  echo "== the same on $peer_n accounts, beside the peer (python-igraph)"
  run_set "$peer_n"
fi
if ! /usr/bin/python3 -c 'import igraph' 2>/dev/null; then
  echo "peer: python3-igraph is not installed (scripts/deps.sh installs it)"
  exit 0
fi
read -r psecs pmb < <(timed "$tmp/peer" /usr/bin/python3 "$root/bench/peer_link.py" "$tmp/set$peer_n")
cat "$tmp/peer.out"
echo "peer: $psecs s (wall, end to end), peak RSS $pmb MB"
python3 - "$(cat "$tmp/set$peer_n/secs")" "$psecs" <<'PY'
import sys
ours, peer = float(sys.argv[1]), float(sys.argv[2])
print(f"ratio: warden is {peer / ours:.1f}x the peer end to end (goal >= 5x)")
PY

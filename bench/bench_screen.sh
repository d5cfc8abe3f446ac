#!/usr/bin/env bash
# bench_screen.sh BUILD — call screening (GET /warden/v1/screen) through `warden serve` under wrk.
# Goal (issue 7): >= 20,000 requests/s with p99 < 5 ms on this 2-core machine, wrk on the same cores.
#
# A registry from `warden gen registry` (BENCH_SCREEN_CUSTOMERS customers, default 2000) with the
# plan's numbers activated through the CLI (the first BENCH_SCREEN_PLAN rows, default 150) and a few
# frozen; then wrk -t2 -c64 -d10s --latency cycling a fixed mix of URLs whose answers are checked
# first: allow (a held number presenting itself), TR-400-OUT, TR-SPOOF (another account's number; not
# a Chinese number), NUM-CATALOG (frozen). Run twice: with the request log (to a file) and --quiet.
set -euo pipefail
build=${1:-build}
W="$(cd "$build" && pwd)/warden"
tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "(no wrk: scripts/deps.sh --bench installs it)"; exit 0; }
export WARDEN_DB="$tmp/w.db" WARDEN_NOW=2026-03-02T09:00:00+08:00 WARDEN_ACTOR=bench
customers=${BENCH_SCREEN_CUSTOMERS:-2000}
plan=${BENCH_SCREEN_PLAN:-150}

"$W" gen registry --out "$tmp/g" --customers "$customers" --seed 9 >/dev/null
for k in parties accounts documents; do "$W" import "$k" "$tmp/g/$k.csv" >/dev/null || true; done
"$W" number import "$tmp/g/numbers.csv" >/dev/null || [ $? -le 1 ]
tail -n +2 "$tmp/g/plan.csv" | head -n "$plan" | while IFS=, read -r c landing service; do
  "$W" number reserve --customer "$c" "$landing" >/dev/null 2>&1 && "$W" number activate --customer "$c" "$landing" >/dev/null 2>&1 &&
    "$W" number reserve --customer "$c" "$service" >/dev/null 2>&1 &&
    "$W" number activate --customer "$c" --landing "$landing" "$service" >/dev/null 2>&1 || true
done
"$W" number list --state active --json >"$tmp/active.json"
python3 - "$tmp" <<'PY' >"$tmp/picks.txt"
import json, sys
nums = json.load(open(sys.argv[1] + "/active.json"))["numbers"]
lines = [n for n in nums if n["kind"] in ("mobile", "fixed")]
svc = [n for n in nums if n["kind"] in ("400", "800")]
by = {}
for n in lines:
    by.setdefault(n["holder"], []).append(n["number"])
own = [v[0] for v in by.values()]
print(" ".join(own[:40]))
print(" ".join(n["number"] for n in svc[:20]))
print(" ".join(own[40:45]))
PY
read -r -a own <"$tmp/picks.txt"
read -r -a svc < <(sed -n 2p "$tmp/picks.txt")
read -r -a frz < <(sed -n 3p "$tmp/picks.txt")
[ "${#own[@]}" -ge 20 ] && [ "${#svc[@]}" -ge 5 ] && [ "${#frz[@]}" -ge 3 ] || { echo "bench_screen: too few active numbers (${#own[@]})" >&2; exit 1; }
for n in "${frz[@]}"; do "$W" number freeze --reason bench "$n" >/dev/null; done
token=$("$W" token create --role platform --note bench 2>/dev/null)
echo "registry: $customers customers, $(grep -c . "$tmp/active.json" >/dev/null; python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['numbers']))" "$tmp/active.json") active numbers (${#frz[@]} frozen for the mix)"

# The URL mix: 10 allow, 4 TR-400-OUT, 3 TR-SPOOF (another account), 2 TR-SPOOF (not Chinese), 1 frozen.
urls=()
expect=()
for i in $(seq 0 9); do urls+=("/warden/v1/screen?caller=${own[$i]}&display=${own[$i]}&callee=13800138000"); expect+=(allow:); done
for i in $(seq 0 3); do urls+=("/warden/v1/screen?caller=${own[$((10 + i))]}&display=${svc[$i]}&callee=13800138000"); expect+=(deny:TR-400-OUT); done
for i in $(seq 0 2); do urls+=("/warden/v1/screen?caller=${own[$((14 + i))]}&display=${own[$((15 + i))]}&callee=13800138000"); expect+=(deny:TR-SPOOF); done
for i in 0 1; do urls+=("/warden/v1/screen?caller=${own[$((18 + i))]}&display=%2B1415555010$i&callee=13800138000"); expect+=(deny:TR-SPOOF); done
urls+=("/warden/v1/screen?caller=${frz[0]}&display=${frz[0]}&callee=13800138000"); expect+=(deny:NUM-CATALOG)
{
  echo "local paths = {"
  for u in "${urls[@]}"; do echo "  \"$u\","; done
  echo "}"
  echo "local i = 0"
  echo "request = function()"
  echo "  i = i + 1"
  echo "  return wrk.format(\"GET\", paths[(i % #paths) + 1], {[\"Authorization\"] = \"Bearer $token\"})"
  echo "end"
} >"$tmp/screen.lua"

run() { # $1: label, $2...: serve options
  local label=$1
  shift
  "$W" serve --listen 127.0.0.1:0 --threads 2 "$@" >"$tmp/serve.out" 2>"$tmp/serve.log" &
  pid=$!
  for _ in $(seq 100); do grep -q listening "$tmp/serve.out" 2>/dev/null && break; sleep 0.05; done
  port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/serve.out")
  local bad=0
  for k in "${!urls[@]}"; do
    got=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port${urls[$k]}" |
      python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["decision"] + ":" + (j["rule"] or ""))')
    [ "$got" = "${expect[$k]}" ] || { echo "bench_screen: ${urls[$k]} answered $got, want ${expect[$k]}" >&2; bad=1; }
  done
  [ "$bad" = 0 ] || exit 1
  wrk -t2 -c64 -d10s --latency -s "$tmp/screen.lua" "http://127.0.0.1:$port" >"$tmp/wrk.txt"
  kill "$pid"
  wait "$pid" || true
  pid=
  python3 - "$tmp/wrk.txt" "$label" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
def ms(label):
    m = re.search(r"\s" + label + r"\s+([\d.]+)(us|ms|s)\b", t)
    v = float(m.group(1))
    return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v
p50, p99 = ms("50%"), ms("99%")
errs = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
sock = re.search(r"Socket errors: (.*)", t)
print(f"warden serve ({sys.argv[2]}): {rps:,.0f} requests/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms"
      f"{'; non-2xx ' + errs.group(1) if errs else ''}{'; socket errors ' + sock.group(1) if sock else ''}"
      f" -> goal (>= 20,000/s, p99 < 5 ms) {'met' if rps >= 20000 and p99 < 5 and not errs else 'NOT met'}")
PY
}
echo "wrk -t2 -c64 -d10s --latency, ${#urls[@]} URLs in turn (10 allow, 10 deny), server and wrk on the same 2 cores"
run "request log to a file"
logged=$(grep -c '"method"' "$tmp/serve.log" || true)
echo "  ($logged request log lines written)"
run "--quiet" --quiet

#!/usr/bin/env bash
# deps.sh — install, from Debian's packages only, whatever warden needs and is missing
# (`deps.sh --bench`: and what the benchmarks need too).
# Idempotent: a package already installed is never installed again, and apt is not
# touched at all when nothing is missing.
set -euo pipefail

pkgs=(
  gcc make pkg-config meson ninja-build          # build
  clang libclang-rt-14-dev llvm                  # sanitizers, libFuzzer, llvm-symbolizer
  libsqlite3-dev libsodium-dev libjansson-dev    # the library's dependencies
  libmicrohttpd-dev                              # warden serve (the HTTP API)
  libcmocka-dev python3                          # unit tests, command-level test runner
  clang-format clang-tidy cppcheck               # make format / make lint
  chromium                                       # the dashboard's browser test (tests/web)
)

# make bench also needs: the peers, the memory meter and the HTTP load generator (not needed to build or test).
if [ "${1:-}" = "--bench" ]; then
  pkgs+=(python3-igraph time wrk)
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# The dashboard's build (web/) needs node and npm. Test for the commands, not the packages: a
# NodeSource `nodejs` bundles npm, and Debian's `npm` package would conflict with it.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 2; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when they have never been fetched or are a day old.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -n 1)" ]; then
  $sudo apt-get update -qq
fi
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

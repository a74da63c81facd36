#!/usr/bin/env bash
# Installs, with apt-get, every Debian 12 package sessionsim needs to build, test, fuzz and report.
# Idempotent: packages already present are skipped, and nothing is done when all are there.
# Works on a bare Debian 12 machine that has only `make` (run as root, or with sudo available).
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ cmake make pkg-config
  # libraries (DESIGN.md §2)
  libboost-graph-dev libsodium-dev libprotobuf-dev protobuf-compiler libyaml-cpp-dev
  nlohmann-json3-dev
  # tests and benchmarks
  libgtest-dev libbenchmark-dev
  # fuzzing: clang with its libFuzzer runtime
  clang libclang-rt-14-dev
  # reports
  python3 python3-matplotlib
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 3
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null

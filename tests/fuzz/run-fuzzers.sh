#!/usr/bin/env bash
# Runs every fuzz target in BUILD_DIR for SECONDS seconds each, from its seed corpus
# (tests/fuzz/corpus/<target>, copied so the committed corpus is not modified). Any crash fails.
set -euo pipefail
build=${1:?usage: run-fuzzers.sh BUILD_DIR [SECONDS]}
seconds=${2:-30}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for bin in "$build"/tests/fuzz/fuzz_*; do
  [[ -x "$bin" ]] || continue
  name=$(basename "$bin")
  mkdir -p "$work/$name"
  [[ -d "$here/corpus/$name" ]] && cp -r "$here/corpus/$name/." "$work/$name/"
  echo "fuzz: $name for ${seconds}s"
  if ! "$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$work/$name-" -print_final_stats=1 "$work/$name" >"$work/$name.log" 2>&1; then
    echo "fuzz: $name FAILED" >&2
    tail -50 "$work/$name.log" >&2
    status=1
  else
    grep -E 'stat::number_of_executed_units|stat::new_units_added' "$work/$name.log" | sed "s/^/  /"
  fi
done
exit $status

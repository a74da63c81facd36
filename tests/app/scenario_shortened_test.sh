#!/usr/bin/env bash
# One shipped scenario labelled slow, shortened: its own settings (topology, links, profiles,
# workload, crypto mode, processor model, ...) at a small size and length — 60 service nodes,
# 300 clients starting within 30 s, 2 simulated minutes — run to the end on the real code path.
# Checks the run exits 0, writes its outputs with the shortened populations, and that its clients
# bootstrapped and made onion round trips. Scenarios not labelled slow are skipped (exit 77): the
# determinism tests run them whole.
set -euo pipefail
bin=${1:?usage: scenario_shortened_test.sh PATH/TO/sessionsim SCENARIO_FILE}
scenario=${2:?}
fail() { echo "FAIL: $*" >&2; exit 1; }
line=$("$bin" validate "$scenario")
labels=$(sed -n 's/.*, labels: \(.*\))$/\1/p' <<<"$line")
if [[ " $labels " != *" slow "* ]]; then
  echo "skipped: $scenario is not labelled slow (its determinism test runs it whole)"
  exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$bin" run "$scenario" --out "$tmp/run" --set duration=2min --set service_nodes.count=60 --set clients.count=300 \
  --set 'clients.arrival={dist: uniform, min: 0s, max: 30s}' >"$tmp/run.txt" || fail "the shortened run failed"
for f in manifest.json summary.json perf.json; do [[ -s "$tmp/run/$f" ]] || fail "missing $f"; done
python3 - "$tmp/run" <<'PY' || fail "the shortened run's figures"
import json, sys
d = sys.argv[1]
m = json.load(open(f"{d}/manifest.json"))
p = json.load(open(f"{d}/perf.json"))
assert m["service_nodes"] == 60 and m["clients"] == 300, m
assert p["onion_round_trips"] > 300, f"onion round trips: {p['onion_round_trips']}"
assert p["memory"]["structures"]["at_end"]["total_bytes"] > 0
PY
echo "ok: $scenario shortened ran to its end"

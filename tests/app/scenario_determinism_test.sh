#!/usr/bin/env bash
# One shipped scenario: skipped (exit 77) when labelled slow; otherwise two runs with its seed give
# byte-identical outputs and the fingerprint of its golden file (run_cli_test.sh does the checks).
set -euo pipefail
bin=${1:?usage: scenario_determinism_test.sh PATH/TO/sessionsim SCENARIO_FILE ROOT}
scenario=${2:?}
root=${3:?}
here=$(cd "$(dirname "$0")" && pwd)
line=$("$bin" validate "$scenario")
labels=$(sed -n 's/.*, labels: \(.*\))$/\1/p' <<<"$line")
if [[ " $labels " == *" slow "* ]]; then
  echo "skipped: $scenario is labelled slow"
  exit 77
fi
golden="$root/scenarios/golden/$(basename "$scenario" .yaml).fingerprint"
[[ -f "$golden" ]] || { echo "FAIL: no golden fingerprint $golden (see scenarios/golden/README.md)" >&2; exit 1; }
exec bash "$here/run_cli_test.sh" "$bin" "$scenario" "$root" "$golden"

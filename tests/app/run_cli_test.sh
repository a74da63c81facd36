#!/usr/bin/env bash
# `sessionsim run`: outputs exist, two runs with one seed give byte-identical outputs (all but
# perf.json), another seed gives another fingerprint, bad scenarios exit 2, the report renders.
# One run has the scenario's full length (its fingerprint is the golden one when a golden file is
# given: an independent earlier run, so the whole run is checked for reproduction); the
# byte-identity and other-seed checks use 1-minute runs, which keeps the determinism tests of
# hour-long scenarios inside the test budget.
set -euo pipefail
bin=${1:?usage: run_cli_test.sh PATH/TO/sessionsim SCENARIO_FILE ROOT [GOLDEN_FINGERPRINT_FILE]}
scenario=${2:?}
root=${3:?}
golden=${4:-}
fail() { echo "FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

"$bin" run "$scenario" --out "$tmp/a" >"$tmp/a.txt"
# Check runs of 1 minute; 30 s for a scenario of 5 minutes or less (a quarter of it at most).
short=(--set duration=1min)
if [[ $("$bin" validate "$scenario") =~ duration\ ([0-9.]+)(s|min)[,\ ] ]]; then
  value=${BASH_REMATCH[1]}; unit=${BASH_REMATCH[2]}
  if [[ $unit == s ]] || awk -v v="$value" 'BEGIN { exit !(v <= 5) }'; then short=(--set duration=30s); fi
fi
"$bin" run "$scenario" --out "$tmp/b1" "${short[@]}" >"$tmp/b1.txt"
"$bin" run "$scenario" --out "$tmp/b2" "${short[@]}" >"$tmp/b2.txt"
"$bin" run "$scenario" --out "$tmp/c" "${short[@]}" --seed 2 >"$tmp/c.txt"
grep -q '"messages_delivered"' "$tmp/a/summary.json" || fail "summary lacks messages_delivered"
for f in manifest.json summary.json perf.json; do [[ -s "$tmp/a/$f" ]] || fail "missing $f"; done
for f in manifest.json summary.json series.csv samples.csv; do
  cmp -s "$tmp/b1/$f" "$tmp/b2/$f" || fail "$f differs between two runs with one seed"
done
fa=$(grep '^fingerprint:' "$tmp/a.txt"); fb1=$(grep '^fingerprint:' "$tmp/b1.txt")
fb2=$(grep '^fingerprint:' "$tmp/b2.txt"); fc=$(grep '^fingerprint:' "$tmp/c.txt")
[[ -n "$fa" && -n "$fb1" && "$fb1" == "$fb2" ]] || fail "same seed, different fingerprints ($fb1 / $fb2)"
[[ "$fb1" != "$fc" ]] || fail "different seeds, same fingerprint"
if [[ -n "$golden" ]]; then
  want="fingerprint: $(tr -d '[:space:]' <"$golden")"
  [[ "$fa" == "$want" ]] || fail "$fa, but the golden file $golden says ${want#fingerprint: }. If the change is
  intended, write the new value there and explain it in scenarios/golden/README.md."
fi
grep -q '"seed": 2' "$tmp/c/manifest.json" || fail "--seed not in the manifest"

# observations.csv: written on request, same bytes for one seed, header then rows of 7 fields.
for r in o1 o2; do
  "$bin" run "$scenario" --out "$tmp/$r" --set duration=30s --set outputs.observations=true >/dev/null
done
cmp -s "$tmp/o1/observations.csv" "$tmp/o2/observations.csv" || fail "observations.csv differs between two runs"
[[ $(head -1 "$tmp/o1/observations.csv") == "time_ns,node,kind,from,next,size,recipient" ]] || fail "observations header"
awk -F, 'NR > 1 && NF != 7 { bad = 1 } END { exit bad }' "$tmp/o1/observations.csv" || fail "observations rows"
[[ $(wc -l <"$tmp/o1/observations.csv") -gt 10 ]] || fail "no observations"
[[ ! -e "$tmp/a/observations.csv" ]] || fail "observations.csv written without outputs.observations"

printf 'name: x\nduration: 1min\nservice_nodes: {count: -1}\nclients: {count: 1}\n' >"$tmp/bad.yaml"
set +e; "$bin" run "$tmp/bad.yaml" --out "$tmp/bad" 2>"$tmp/bad.err"; rc=$?; set -e
[[ $rc -eq 2 ]] || fail "bad scenario: exit $rc, expected 2"
grep -q 'bad.yaml:3' "$tmp/bad.err" || fail "bad scenario error lacks file:line: $(cat "$tmp/bad.err")"
# An output folder that cannot be written is refused before anything runs (nothing is lost).
set +e; "$bin" run "$scenario" --out /proc/forbidden/x >/dev/null 2>"$tmp/forbidden.err"; rc=$?; set -e
[[ $rc -eq 3 ]] || fail "unwritable output folder: exit $rc, expected 3"
grep -q "cannot write the output folder '/proc/forbidden/x'.*nothing was run" "$tmp/forbidden.err" \
  || fail "unwritable output folder: $(cat "$tmp/forbidden.err")"

python=/usr/bin/python3; [[ -x $python ]] || python=python3
(cd "$root" && "$python" reports/generate_report.py "$tmp/a" >/dev/null) || fail "report generator failed"
[[ -s "$tmp/a/report.md" ]] || fail "no report.md"
grep -q '^# Run report: ' "$tmp/a/report.md" || fail "report title"
ls "$tmp/a/plots/"*.png >/dev/null 2>&1 || fail "no plots"
echo "run CLI: all checks passed"

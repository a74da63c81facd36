#!/usr/bin/env bash
# `sessionsim sweep`: run folders and outputs exist, the aggregates are the runs' figures, two sweeps
# (--jobs 2, --jobs 1) write the same bytes, a run equals `sessionsim run` with its seed and values,
# bad grid values exit 2 before anything runs, usage errors exit 64, a killed run makes the sweep
# exit 1 and is listed, --report renders.
set -euo pipefail
bin=${1:?usage: sweep_cli_test.sh PATH/TO/sessionsim SCENARIO_FILE ROOT}
scenario=${2:?}
root=${3:?}
fail() { echo "FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python=/usr/bin/python3; [[ -x $python ]] || python=python3
grid=(--grid workload.rate_per_user_per_hour=10,30)

# Help and the command list.
"$bin" sweep --help >"$tmp/help.txt" || fail "sweep --help exit $?"
grep -q '^exit codes: 0 every run ok, 1 a run failed, 2 bad scenario or grid value' "$tmp/help.txt" || fail "help lacks exit codes"
"$bin" --help | grep -q '^  sweep ' || fail "sessionsim --help does not list sweep"

# A 2-point x 2-seed sweep, 2 at a time.
"$bin" sweep "$scenario" "${grid[@]}" --seeds 2 --jobs 2 --out "$tmp/a" >"$tmp/a.out" 2>"$tmp/a.err" ||
  fail "sweep exit $?: $(cat "$tmp/a.err")"
runs=$(find "$tmp/a/runs" -mindepth 1 -maxdepth 1 -type d | wc -l)
[[ $runs -eq 4 ]] || fail "$runs run folders, expected 4"
for r in p0-seed7 p0-seed8 p1-seed7 p1-seed8; do   # e2e_small.yaml has seed 7: seeds 7 and 8
  [[ -s "$tmp/a/runs/$r/summary.json" && -e "$tmp/a/runs/$r/run.log" ]] || fail "runs/$r lacks summary.json or run.log"
done
for f in sweep.json sweep.csv; do [[ -s "$tmp/a/$f" ]] || fail "missing $f"; done
[[ $(grep -c '^\[[1-4]/4\] point [01] seed [78]: ok ([0-9.]* s)$' "$tmp/a.err") -eq 4 ]] ||
  fail "expected 4 progress lines: $(cat "$tmp/a.err")"
[[ $(head -1 "$tmp/a/sweep.csv") == "point,workload.rate_per_user_per_hour,figure,n,mean,lo,hi,method" ]] ||
  fail "sweep.csv header: $(head -1 "$tmp/a/sweep.csv")"

# The aggregates are the runs' figures: mean of messages_sent (sweep.json and sweep.csv), the
# pooled delivery counts, the seeds, the parameters.
"$python" - "$tmp/a" <<'EOF' || fail "aggregates do not match the runs' summary.json"
import csv, json, os, sys
d = sys.argv[1]
sweep = json.load(open(os.path.join(d, "sweep.json")))
assert sweep["seeds"] == [7, 8], sweep["seeds"]
assert [p["parameters"] for p in sweep["points"]] == [{"workload.rate_per_user_per_hour": "10"},
                                                      {"workload.rate_per_user_per_hour": "30"}]
rows = {(r["point"], r["figure"]): r for r in csv.DictReader(open(os.path.join(d, "sweep.csv")))}
for p in sweep["points"]:
    summaries = [json.load(open(os.path.join(d, r["dir"], "summary.json"))) for r in p["runs"]]
    assert [r["status"] for r in p["runs"]] == ["ok", "ok"], p["runs"]
    sent = [s["messages_sent"] for s in summaries]
    want = sum(sent) / len(sent)
    f = p["figures"]["messages_sent"]
    assert f["n"] == 2 and abs(f["mean"] - want) < 1e-9, (f, sent)
    assert abs(float(rows[(str(p["point"]), "messages_sent")]["mean"]) - want) < 1e-9
    pooled = p["figures"]["delivery_ratio.pooled"]
    assert pooled["successes"] == sum(s["messages_delivered"] for s in summaries)
    assert pooled["trials"] == sum(sent)
    assert pooled["lo"] <= pooled["mean"] <= pooled["hi"]
    assert "fingerprint" not in p["figures"] and not any(k.startswith("crypto.") for k in p["figures"])
assert sweep["failed_runs"] == []
EOF

# The same sweep one run at a time, with the report: the same bytes.
"$bin" sweep "$scenario" "${grid[@]}" --seeds 2 --jobs 1 --out "$tmp/b" --report >"$tmp/b.out" 2>"$tmp/b.err" ||
  fail "sweep --jobs 1 --report exit $?: $(cat "$tmp/b.err")"
for f in sweep.json sweep.csv; do cmp -s "$tmp/a/$f" "$tmp/b/$f" || fail "$f differs between --jobs 2 and --jobs 1"; done
[[ -s "$tmp/b/sweep_report.md" ]] || fail "no sweep_report.md"
grep -q '^# Sweep report: ' "$tmp/b/sweep_report.md" || fail "sweep report title"
ls "$tmp/b/plots/"*.png >/dev/null 2>&1 || fail "no plots"
[[ -s "$tmp/b/plots/delivery_ratio.png" ]] || fail "no delivery_ratio plot"
grep -q '^report:   ' "$tmp/b.out" || fail "no report line"

# A run of the sweep is `sessionsim run` with its seed and values.
"$bin" run "$scenario" --set workload.rate_per_user_per_hour=10 --seed 7 --out "$tmp/plain" >/dev/null
cmp -s "$tmp/plain/summary.json" "$tmp/a/runs/p0-seed7/summary.json" || fail "runs/p0-seed7 differs from sessionsim run --seed 7"

# Bad values are found before anything runs: exit 2, naming the key and the value.
set +e
"$bin" sweep "$scenario" --grid workload.rate_per_user_per_hour=-1,2 --seeds 1 --out "$tmp/bad" 2>"$tmp/bad.err"; rc=$?
set -e
[[ $rc -eq 2 ]] || fail "bad grid value: exit $rc, expected 2"
grep -q "workload.rate_per_user_per_hour.*'-1'" "$tmp/bad.err" || fail "bad grid value not named: $(cat "$tmp/bad.err")"
[[ ! -e "$tmp/bad" ]] || fail "a sweep with a bad grid value created its folder"
set +e
"$bin" sweep "$scenario" --set crypto.mode=sampled --grid crypto.mode=sampled,real --grid crypto.fraction=0.1 \
  --seeds 1 --out "$tmp/bad2" 2>"$tmp/bad2.err"; rc=$?
set -e
[[ $rc -eq 2 ]] || fail "invalid combination: exit $rc, expected 2"
grep -q 'grid point 1 (crypto.mode=real, crypto.fraction=0.1)' "$tmp/bad2.err" || fail "combination not named: $(cat "$tmp/bad2.err")"

# Usage errors: exit 64.
for args in "--grid workload.rate_per_user_per_hour" "--grid =1,2" "--grid seed=1,2" "--seeds 0" "--jobs 0" \
            "--grid a=1 --grid a=2" "--grid a=1,,2" "--frobnicate"; do
  set +e
  # shellcheck disable=SC2086
  "$bin" sweep "$scenario" $args --out "$tmp/usage" >/dev/null 2>&1; rc=$?
  set -e
  [[ $rc -eq 64 ]] || fail "sweep $args: exit $rc, expected 64"
done
[[ ! -e "$tmp/usage" ]] || fail "a usage error created the output folder"

# A run that fails (killed here) is reported with its log; the other runs finish; exit 1.
"$bin" sweep "$scenario" --seeds 2 --jobs 1 --out "$tmp/k" >"$tmp/k.out" 2>"$tmp/k.err" &
sweep_pid=$!
killed=
for _ in $(seq 1 400); do
  child=$(cat "/proc/$sweep_pid/task/$sweep_pid/children" 2>/dev/null || pgrep -P "$sweep_pid" || true)
  child=${child%% *}
  if [[ -n "$child" ]]; then kill -KILL "$child" 2>/dev/null && killed=$child && break; fi
  sleep 0.02
done
set +e; wait "$sweep_pid"; rc=$?; set -e
[[ -n "$killed" ]] || fail "could not catch a run to kill"
[[ $rc -eq 1 ]] || fail "a killed run: exit $rc, expected 1"
grep -q 'failed: killed by signal 9; log: .*run.log' "$tmp/k.err" || fail "killed run not reported: $(cat "$tmp/k.err")"
"$python" - "$tmp/k/sweep.json" <<'EOF' || fail "killed run not listed in sweep.json"
import json, sys
sweep = json.load(open(sys.argv[1]))
assert len(sweep["failed_runs"]) == 1 and sweep["failed_runs"][0]["status"] == "failed: killed by signal 9"
f = sweep["points"][0]["figures"]["messages_sent"]
assert f["n"] == 1 and f["method"] == "none", f
EOF
echo "sweep CLI: all checks passed"

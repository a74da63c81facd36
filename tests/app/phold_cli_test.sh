#!/usr/bin/env bash
# The `sessionsim phold` command: output format, determinism by seed, usage errors (exit 64).
set -euo pipefail
bin=${1:?usage: phold_cli_test.sh PATH/TO/sessionsim}
fail() { echo "FAIL: $*" >&2; exit 1; }

out1=$("$bin" phold --lps 100 --events-per-lp 4 --end 50 --seed 3)
out2=$("$bin" phold --lps=100 --events-per-lp=4 --end=50 --seed=3)
out3=$("$bin" phold --lps 100 --events-per-lp 4 --end 50 --seed 4)

for key in events_processed events_per_second fingerprint; do
  grep -Eq "^$key: [0-9a-f]+$" <<<"$out1" || fail "missing '$key: VALUE' line in: $out1"
done
[[ $(wc -l <<<"$out1") -eq 3 ]] || fail "expected exactly 3 lines, got: $out1"
fp() { grep '^fingerprint:' <<<"$1"; }
ev() { grep '^events_processed:' <<<"$1"; }
[[ "$(fp "$out1")" == "$(fp "$out2")" ]] || fail "same seed, different fingerprints"
[[ "$(ev "$out1")" == "$(ev "$out2")" ]] || fail "same seed, different event counts"
[[ "$(fp "$out1")" != "$(fp "$out3")" ]] || fail "different seeds, same fingerprint"

expect_exit() {
  local want=$1; shift
  set +e; "$bin" "$@" >/dev/null 2>&1; local got=$?; set -e
  [[ $got -eq $want ]] || fail "'sessionsim $*' exited $got, expected $want"
}
expect_exit 64 phold --lps 0
expect_exit 64 phold --lps abc
expect_exit 64 phold --bogus 1
expect_exit 64 phold --log net:loud
expect_exit 64 no-such-command
expect_exit 64
expect_exit 0 phold --help
expect_exit 0 --help
expect_exit 0 --version
"$bin" --help | grep -q "phold" || fail "--help does not mention phold"
echo "phold CLI: all checks passed"

#!/usr/bin/env bash
# Fails (exit 1) if the fidelity table names a test that does not exist: every `Suite.Name`
# (or `Suite.*`) in the table's last column must be a TEST/TEST_F/TEST_P in the test sources.
# usage: check-fidelity.sh FIDELITY.md TESTS_DIR
set -euo pipefail
table=${1:?usage: check-fidelity.sh FIDELITY.md TESTS_DIR}
tests=${2:?usage: check-fidelity.sh FIDELITY.md TESTS_DIR}
[[ -f "$table" && -d "$tests" ]] || { echo "check-fidelity: no table $table or no folder $tests" >&2; exit 2; }
status=0
rows=0
while IFS= read -r row; do
  rows=$((rows + 1))
  last=${row%|}
  last=${last##*|}
  names=$(grep -oE '`[A-Za-z0-9_]+\.[A-Za-z0-9_*]+`' <<<"$last" | tr -d '`' || true)
  if [[ -z "$names" ]]; then
    echo "check-fidelity: a row names no test: ${row:0:100}" >&2
    status=1
    continue
  fi
  for name in $names; do
    suite=${name%%.*}
    test=${name#*.}
    if [[ "$test" == "*" ]]; then
      pattern="TEST(_F|_P)?\\(${suite},"
    else
      pattern="TEST(_F|_P)?\\(${suite}, *${test}\\)"
    fi
    if ! grep -rqE "$pattern" "$tests" --include='*.cpp'; then
      echo "check-fidelity: no test $name (row: ${row:0:80}...)" >&2
      status=1
    fi
  done
done < <(grep -E '^\| ' "$table" | grep -vE '^\| (behaviour|---)' | grep -vE '^\|---')
[[ $status -eq 0 ]] && echo "check-fidelity: every one of the $rows rows of $table names tests that exist"
exit $status

#!/usr/bin/env bash
# Fails (exit 1) if any C++ file under DIR includes a header from sim/ (DESIGN.md §2: the
# protocol core in models/ is portable and knows nothing of the simulator).
set -euo pipefail
dir=${1:?usage: check-layering.sh DIR}
[[ -d "$dir" ]] || { echo "check-layering: no such directory: $dir" >&2; exit 2; }
if hits=$(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](\.\./)*sim/' \
            --include='*.hpp' --include='*.cpp' --include='*.h' --include='*.cc' --include='*.proto' "$dir"); then
  echo "check-layering: files under $dir include the simulator (sim/):" >&2
  echo "$hits" >&2
  exit 1
fi
echo "check-layering: $dir is free of sim/ includes"

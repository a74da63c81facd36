#!/usr/bin/env bash
# Fails (exit 1) if any C++ file under DIR includes a header under one of the FORBIDDEN folders
# (default: sim/). DESIGN.md §2: the protocol core in models/ knows nothing of the simulator, and
# the World (sim/world/) knows no adversary and no scenario.
# usage: check-layering.sh DIR [FORBIDDEN_FOLDER...]   e.g. check-layering.sh sim/world sim/adversary sim/scenario
set -euo pipefail
dir=${1:?usage: check-layering.sh DIR [FORBIDDEN_FOLDER...]}
shift
[[ -d "$dir" ]] || { echo "check-layering: no such directory: $dir" >&2; exit 2; }
forbidden=("$@")
[[ ${#forbidden[@]} -gt 0 ]] || forbidden=(sim)
status=0
for folder in "${forbidden[@]}"; do
  folder=${folder%/}
  if hits=$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"](\.\./)*${folder}/" \
              --include='*.hpp' --include='*.cpp' --include='*.h' --include='*.cc' --include='*.proto' "$dir"); then
    echo "check-layering: files under $dir include $folder/:" >&2
    echo "$hits" >&2
    status=1
  fi
done
[[ $status -eq 0 ]] && echo "check-layering: $dir is free of includes from: ${forbidden[*]}"
exit $status

#!/usr/bin/env bash
# Peak memory per service node and per client on a scenario (default scenarios/mainnet.yaml), by
# difference: three runs of the same scenario and duration with (N, C), (N/2, C) and (N, C/2)
# service nodes and clients; per node = (RSS(N,C) - RSS(N/2,C)) / (N/2), per client likewise. The
# bytes of stored messages (data + hash, summary.json storage_bytes_per_node.mean x nodes) are
# taken out of each run first: the targets exclude them. Reported twice: from the peak RSS (VmHWM,
# which includes transient buffers, e.g. the pool-refresh replies) and from the RSS at the end of
# the run after freed heap is returned (what the world holds).
#
#   bench/memory_per_host.sh [SCENARIO] [DURATION]      e.g. bench/memory_per_host.sh scenarios/mainnet.yaml 10min
# Needs a built build/sim/app/sessionsim (make build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SESSIONSIM_BIN:-$root/build/sim/app/sessionsim}
scenario=${1:-$root/scenarios/mainnet.yaml}
duration=${2:-10min}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python=/usr/bin/python3; [[ -x $python ]] || python=python3

read -r nodes clients < <("$bin" validate "$scenario" | sed -n 's/.*ok (\([0-9]*\) service nodes, \([0-9]*\) clients.*/\1 \2/p')
[[ -n "${nodes:-}" && -n "${clients:-}" ]] || { echo "cannot read the populations of $scenario" >&2; exit 2; }
half_nodes=$((nodes / 2)); half_clients=$((clients / 2))

run() {  # name nodes clients
  echo "run $1: $2 service nodes, $3 clients, $duration ..." >&2
  "$bin" run "$scenario" --out "$tmp/$1" --set "duration=$duration" --set "service_nodes.count=$2" \
    --set "clients.count=$3" >/dev/null
}
run full "$nodes" "$clients"
run fewer_nodes "$half_nodes" "$clients"
run fewer_clients "$nodes" "$half_clients"

"$python" - "$tmp" "$nodes" "$clients" "$half_nodes" "$half_clients" "$scenario" "$duration" <<'PY'
import json, sys
tmp, n, c, hn, hc = sys.argv[1], *map(int, sys.argv[2:6])
scenario, duration = sys.argv[6], sys.argv[7]
def rss_without_messages(name, key):
    perf = json.load(open(f"{tmp}/{name}/perf.json"))
    summary = json.load(open(f"{tmp}/{name}/summary.json"))
    stored = summary["storage_bytes_per_node"]["mean"] * summary["service_nodes"]
    return perf[key] - stored, perf[key], stored
print(f"scenario {scenario}, duration {duration}: {n} service nodes, {c} clients")
for key, what in (("peak_rss_bytes", "peak"), ("rss_at_end_bytes", "at the end (freed heap returned)")):
    full, full_rss, full_stored = rss_without_messages("full", key)
    fewer_nodes, _, _ = rss_without_messages("fewer_nodes", key)
    fewer_clients, _, _ = rss_without_messages("fewer_clients", key)
    per_node = (full - fewer_nodes) / (n - hn)
    per_client = (full - fewer_clients) / (c - hc)
    print(f"memory {what}: {full_rss / 2**20:.1f} MiB, of which stored messages {full_stored / 2**20:.1f} MiB")
    print(f"  per service node: {per_node / 1024:.1f} KiB (target < 1024 KiB, stored messages excluded)")
    print(f"  per client:       {per_client / 1024:.1f} KiB (target < 64 KiB)")
PY

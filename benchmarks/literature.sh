#!/usr/bin/env bash
# Gap to best-known solutions on the shared instances, single-threaded, as the issue measures it:
# the 12 X instances at 10 s each and the fixed 12 Solomon instances at 5 s each.
# Usage: benchmarks/literature.sh [path/to/bench-data]  (default: ../shared/bench-data)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-$here/../shared/bench-data}"
python="${PYTHON:-$here/.venv/bin/python}"
solomon=()
for name in C101 C102 C201 C202 R101 R102 R201 R202 RC101 RC102 RC201 RC202; do
  solomon+=("$data/vrptw/solomon/$name.txt")
done
cd "$here"
echo "== X (CVRPLIB), 10 s per instance"
"$python" -m aid.routing.bench "$data"/cvrp/X-*.vrp --time-limit 10
echo "== Solomon (distance-only BKS), 5 s per instance"
"$python" -m aid.routing.bench "${solomon[@]}" --time-limit 5

#!/usr/bin/env bash
# Gap to best-known solutions, ours and PyVRP's side by side, single-threaded:
# all 28 Solomon at 5 s, the 6 Homberger 200 at 10 s (vehicles first), the 12 X at 10 s.
# Usage: benchmarks/literature.sh [path/to/bench-data] [more literature.py options]
# Needs the bench extra: .venv/bin/pip install -e '.[bench]'
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-$here/../shared/bench-data}"
shift || true
python="${PYTHON:-$here/.venv/bin/python}"
cd "$here"
exec "$python" benchmarks/literature.py --data "$data" "$@"

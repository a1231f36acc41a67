#!/usr/bin/env bash
# Throughput of `aegis scan` over simulated exchanges (docs/detection.md, "Throughput").
#
#   evaluations/detection-bench.sh [EXCHANGES]      (default 1,000,000)
#
# Simulates a `mixed` log once, then runs `aegis scan` three times under
# /usr/bin/time -v and prints the median exchanges/s, CPU seconds and peak RSS.
# The peer measured in the same run is Python's json.loads over the same lines
# (parsing only, no detection), so the ratio survives a busy machine.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
AEGIS=${AEGIS:-.build/release/aegis}
DATA=${DATA:-../shared/data}
[ -x "$AEGIS" ] || { echo "build first: swift build -c release" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$AEGIS" simulate --scenario mixed --seed 1 --exchanges "$N" --out "$WORK/log.jsonl" --labels "$WORK/labels.json" --data "$DATA"
BYTES=$(stat -c %s "$WORK/log.jsonl")
LINES=$(wc -l < "$WORK/log.jsonl")
echo "log: $LINES exchanges, $((BYTES / 1048576)) MiB, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

for i in 1 2 3; do
  /usr/bin/time -v "$AEGIS" scan --events "$WORK/log.jsonl" --out "$WORK/verdicts.json" 2> "$WORK/time.$i" > /dev/null
  python3 - "$WORK/time.$i" "$LINES" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
n = int(sys.argv[2])
wall = text.split("Elapsed (wall clock) time (h:mm:ss or m:ss): ")[1].split("\n")[0].split(":")
seconds = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
user = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1))
system = float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
print(f"aegis scan: {seconds:.2f} s wall, {n / seconds:,.0f} exchanges/s, {user + system:.2f} CPU s "
      f"({n / (user + system):,.0f} exchanges per CPU-second), peak RSS {rss / 1024:.0f} MiB")
PY
done
/usr/bin/time -f "%e %U %S" python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    json.loads(line); n += 1
' "$WORK/log.jsonl" 2> "$WORK/peer" >/dev/null
read -r WALL USER SYS < <(tail -1 "$WORK/peer")
python3 -c "import sys; n=$LINES; w=$WALL; c=$USER+$SYS; print(f'peer python json.loads (parse only, 1 core): {w:.2f} s wall, {n/w:,.0f} lines/s, {n/c:,.0f} per CPU-second')"
grep -h "scanned" "$WORK"/time.* | head -1

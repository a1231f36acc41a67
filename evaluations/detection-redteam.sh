#!/usr/bin/env bash
# aegis scan on the red team's traffic (evaluations/redteam/, written apart from
# the detector; docs/detection.md, "Red-team evaluation").
#
#   evaluations/detection-redteam.sh calibrate            # benign reference from DEVELOPMENT seeds 1-3
#   evaluations/detection-redteam.sh dev [SEEDS]          # development figures (default seeds 1 2 3)
#   evaluations/detection-redteam.sh heldback [SEEDS]     # held-back seeds 1001-1005, variants dev and holdout:
#                                                         # run once per detector version, never tuned on
#
# Environment: AEGIS (default .build/release/aegis), REDTEAM (the folder holding
# generate.py and score.py; default evaluations/redteam), WORK (default /tmp/rt),
# EXCHANGES (default 100000), FPR (default 0.01).
# Every scan runs with --calibration $WORK/calibration.json --target-fpr $FPR, so
# the threshold is chosen on development seeds' legitimate accounts only.
set -euo pipefail
cd "$(dirname "$0")/.."
AEGIS=${AEGIS:-.build/release/aegis}
REDTEAM=${REDTEAM:-evaluations/redteam}
WORK=${WORK:-/tmp/rt}
N=${EXCHANGES:-100000}
FPR=${FPR:-0.01}
mode=${1:-dev}; shift || true
mkdir -p "$WORK"

generate() { # seed variant
  local dir="$WORK/$2-$1"
  [ -s "$dir/exchanges.jsonl" ] || python3 "$REDTEAM/generate.py" --seed "$1" --variant "$2" --exchanges "$N" --out "$dir" >&2
  echo "$dir"
}

scan_and_score() { # dir title
  "$AEGIS" scan --events "$1/exchanges.jsonl" --out "$1/verdicts.json" \
    --calibration "$WORK/calibration.json" --target-fpr "$FPR"
  python3 "$REDTEAM/score.py" --labels "$1/labels.jsonl" --verdicts "$1/verdicts.json" --json "$1/score.json" --title "$2"
}

case "$mode" in
  calibrate)
    # One reference from the legitimate accounts of development seeds 1-3 (labels say which).
    : > "$WORK/benign-scores.txt"
    for s in 1 2 3; do
      dir=$(generate "$s" dev)
      python3 -c 'import json,sys; [print(r["account"]) for r in map(json.loads, open(sys.argv[1])) if r["label"] == "legit"]' \
        "$dir/labels.jsonl" > "$dir/benign.txt"
      "$AEGIS" scan --events "$dir/exchanges.jsonl" --out "$dir/verdicts-uncalibrated.json" \
        --benign-accounts "$dir/benign.txt" --write-calibration "$dir/calibration.json"
    done
    python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
scores = []
for s in (1, 2, 3):
    scores += json.load(open(f"{work}/dev-{s}/calibration.json"))["scores"]
json.dump({"source": f"{len(scores)} legitimate accounts of red-team development seeds 1-3", "scores": sorted(scores)},
          open(f"{work}/calibration.json", "w"))
print(f"{work}/calibration.json: {len(scores)} benign scores")
PY
    ;;
  dev)
    for s in ${@:-1 2 3}; do scan_and_score "$(generate "$s" dev)" "seed $s dev (development)"; done ;;
  heldback)
    for s in ${@:-1001 1002 1003 1004 1005}; do
      for v in dev holdout; do scan_and_score "$(generate "$s" "$v")" "seed $s variant $v (held back)"; done
    done ;;
  *) echo "usage: $0 calibrate|dev|heldback [SEEDS]" >&2; exit 2 ;;
esac

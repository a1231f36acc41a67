#!/bin/sh
# Generate red-team traffic, run `aegis scan` on it, and score the verdicts.
#
#   evaluations/redteam/evaluate.sh dev       # development seeds 1-3 (tune on these)
#   evaluations/redteam/evaluate.sh heldback  # held-back seeds 1001-1005, variants dev and holdout
#                                             # (report separately; never tune on them)
#
# Environment: AEGIS (binary, default .build/release/aegis), EXCHANGES (default 100000),
# OUT (default evaluations/out/redteam), SCAN_ARGS (extra `aegis scan` options).
set -eu
cd "$(dirname "$0")/../.."
set_name=${1:-dev}
AEGIS=${AEGIS:-.build/release/aegis}
EXCHANGES=${EXCHANGES:-100000}
OUT=${OUT:-evaluations/out/redteam}
SCAN_ARGS=${SCAN_ARGS:-}
if [ ! -x "$AEGIS" ]; then
  echo "evaluate: $AEGIS not found; build it with: swift build -c release --product aegis" >&2
  exit 2
fi
case "$set_name" in
  dev) runs="1:dev 2:dev 3:dev" ;;
  heldback) runs="1001:dev 1002:dev 1003:dev 1004:dev 1005:dev 1001:holdout 1002:holdout 1003:holdout 1004:holdout 1005:holdout" ;;
  *) echo "evaluate: unknown set '$set_name' (use dev or heldback)" >&2; exit 2 ;;
esac
mkdir -p "$OUT"
for r in $runs; do
  seed=${r%%:*}; variant=${r#*:}
  d="$OUT/$variant-$seed"
  if [ ! -f "$d/manifest.json" ]; then
    python3 evaluations/redteam/generate.py --seed "$seed" --variant "$variant" --exchanges "$EXCHANGES" --out "$d"
  fi
  # shellcheck disable=SC2086
  "$AEGIS" scan --events "$d/exchanges.jsonl" --out "$d/verdicts.json" --timeline "$d/timeline.jsonl" $SCAN_ARGS
  python3 evaluations/redteam/score.py --labels "$d/labels.jsonl" --verdicts "$d/verdicts.json" \
    --timeline "$d/timeline.jsonl" --log "$d/exchanges.jsonl" --json "$d/score.json" \
    --title "== seed $seed, variant $variant, $EXCHANGES exchanges" | tee "$d/score.txt"
done

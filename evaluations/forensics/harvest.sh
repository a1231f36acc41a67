#!/usr/bin/env bash
# Harvest for the forensics evaluation (not part of `make test`): watermarked answers from a
# campaign of 4 accounts through `aegis serve --model` (built-in SmolLM2, KGW default, 8-bit
# payload per account), 4 ordinary accounts served a few answers each, and as many
# unwatermarked answers (--watermark none) to the same prompts.
# Usage: evaluations/forensics/harvest.sh SECONDS [OUT_DIR]   (rerun to continue a harvest)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-1800}
out=${2:-evaluations/forensics/output}
bin=${AEGIS_BIN:-.build/debug/aegis}
model=models/SmolLM2-135M-Instruct.Q4_1.gguf
mkdir -p "$out"
[ -f "$out/watermark.key" ] || $bin keys new > "$out/watermark.key"
python3 evaluations/forensics/prompts.py ../shared/data/prompts "$out/prompts.jsonl"
make_keys() {  # db keys.json accounts...
  local db=$1 keys=$2; shift 2
  [ -f "$keys" ] && return
  echo '{}' > "$keys"
  for account in "$@"; do
    secret=$($bin keys create --db "$db" --account "$account" | head -1)
    python3 -c 'import json,sys; p,a,s=sys.argv[1:]; k=json.load(open(p)); k[a]=s; json.dump(k,open(p,"w"))' "$keys" "$account" "$secret"
  done
}
make_keys "$out/marked.db" "$out/keys.json" harvest_1 harvest_2 harvest_3 harvest_4 user_1 user_2 user_3 user_4
make_keys "$out/clean.db" "$out/clean-keys.json" harvest_1 harvest_2 harvest_3 harvest_4
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
marked_port=$(port); clean_port=$(port)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
$bin serve --db "$out/marked.db" --model "$model" --model-id smollm2 --watermark-key "$(cat "$out/watermark.key")" \
    --threads 1 --port "$marked_port" > "$out/serve-marked.log" 2>&1 &
pids+=($!)
$bin serve --db "$out/clean.db" --model "$model" --model-id smollm2 --watermark none \
    --threads 1 --port "$clean_port" > "$out/serve-clean.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do grep -q listening "$out/serve-marked.log" && grep -q listening "$out/serve-clean.log" && break; sleep 0.1; done
python3 evaluations/forensics/harvest.py "$out/prompts.jsonl" "$out/keys.json" "$out/clean-keys.json" \
    "http://127.0.0.1:$marked_port" "http://127.0.0.1:$clean_port" "$seconds" "$out"
cleanup; pids=()
$bin events export --db "$out/marked.db" --output "$out/exchanges.jsonl"

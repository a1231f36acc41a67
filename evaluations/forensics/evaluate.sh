#!/usr/bin/env bash
# The forensics evaluation after the harvest (not part of `make test`). Steps:
#   1. harvest.sh SECONDS                      (watermarked + unwatermarked answers, exchange log)
#   2. prepare.py + ForensicsEvaluation         (held-out split; token ids of the training answers)
#   3. train.py on a GPU (or CPU)               (students from scratch on 100% / 10% / 0% harvest mixes)
#   4. this script: to_gguf.py, conversion check, reading mode, closed-model probe, null over 20 keys.
# Usage: evaluations/forensics/evaluate.sh OUT_DIR STUDENTS_DIR  (STUDENTS_DIR holds train.py's output)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$1; students=$2
bin=${AEGIS_BIN:-.build/debug/aegis}
tool=${EVAL_BIN:-.build/debug/ForensicsEvaluation}
model=models/SmolLM2-135M-Instruct.Q4_1.gguf
py=${PYTHON:-python3}
results=$out/results; mkdir -p "$results"
key=$out/watermark.key
measure() {  # name command... : runs it, keeps stdout in results/name.json and time + peak RSS in results/name.time
  local name=$1; shift
  /usr/bin/time -f '{"seconds": %e, "max_rss_kb": %M}' -o "$results/$name.time" "$@" > "$results/$name.json"
}
for mix in 100 10 0; do
  $py evaluations/forensics/to_gguf.py "$students/student-$mix.npz" "$students/check.json" "$model" "$out/student-$mix.gguf"
  # The engine's top-1 on the check sequence must match PyTorch's.
  python3 - "$students/check.json" "$mix" "$(python3 -c 'import json,sys; print(" ".join(map(str, json.load(open(sys.argv[1]))["check_sequence"])))' "$students/check.json" | xargs $tool --top1 "$out/student-$mix.gguf")" <<'PY'
import json, sys
check = json.load(open(sys.argv[1]))["students"][sys.argv[2]]["check_top1"]
ours = list(map(int, sys.argv[3].split()))
agree = sum(a == b for a, b in zip(check, ours)) / len(check)
print(f"student {sys.argv[2]}%: engine and PyTorch agree on {agree:.0%} of top-1 predictions")
PY
  [ -n "${SKIP_READ:-}" ] && continue
  measure "read-$mix" $bin forensics read --suspect "$out/student-$mix.gguf" --key-file "$key" \
      --text "$out/held-out.jsonl" --accounts-log "$out/exchanges.jsonl" --json
  measure "read-marked-$mix" $bin forensics read --suspect "$out/student-$mix.gguf" --key-file "$key" \
      --text "$out/held-out-marked.jsonl" --accounts-log "$out/exchanges.jsonl" --json
done
# Closed model: each student served without a watermark, probed over the held-out prompts.
for mix in 100 10 0; do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  [ -f "$out/student-$mix.apikey" ] || $bin keys create --db "$out/student-$mix.db" --account prober | head -1 > "$out/student-$mix.apikey"
  $bin serve --db "$out/student-$mix.db" --model "$out/student-$mix.gguf" --model-id student --watermark none \
      --port "$port" > "$out/serve-student-$mix.log" 2>&1 &
  server=$!
  for _ in $(seq 1 600); do grep -q listening "$out/serve-student-$mix.log" && break; sleep 0.1; done
  measure "probe-$mix" $bin forensics probe --suspect "http://127.0.0.1:$port/v1" --suspect-model student \
      --api-key-file "$out/student-$mix.apikey" --key-file "$key" --prompts "$out/held-out-prompts.jsonl" \
      --answers "$out/answers-$mix.jsonl" --max-prompts ${PROBE_PROMPTS:-100} --max-tokens 200 --concurrency 2 --accounts-log "$out/exchanges.jsonl" --json
  kill -TERM $server; wait $server || true
done
# H0: the 0% student and the untouched base model under 20 keys that never marked anything.
head -n 3 "$out/held-out.jsonl" > "$out/held-out-3.jsonl"
for i in $(seq 1 20); do
  $bin keys new > "$out/null-$i.key"
  $bin forensics read --suspect "$out/student-0.gguf" --key-file "$out/null-$i.key" --text "$out/held-out.jsonl" \
      --payload-bits 0 --json > "$results/null-student0-$i.json"
  $bin forensics read --suspect "$model" --key-file "$out/null-$i.key" --text "$out/held-out-3.jsonl" \
      --payload-bits 0 --json > "$results/null-base-$i.json"
  # The 0% student's probe answers re-tested under the null key: a copy of the cache stamped with that key's id
  # (the probe refuses a cache made with another key), so no request is sent.
  python3 - "$out/answers-0.jsonl" "$out/null-$i.key" "$out/answers-0-null-$i.jsonl" <<'PY'
import hashlib, hmac, json, sys
lines = open(sys.argv[1]).read().splitlines()
header = json.loads(lines[0])
key = bytes.fromhex(open(sys.argv[2]).read().strip())
header["key_id"] = hmac.new(key, b"aegis-forensics/answers-cache/key-id/v1", hashlib.sha256).digest()[:8].hex()
open(sys.argv[3], "w").write("\n".join([json.dumps(header)] + lines[1:]) + "\n")
PY
  $bin forensics probe --suspect http://127.0.0.1:9/v1 --suspect-model student --key-file "$out/null-$i.key" \
      --prompts "$out/held-out-prompts.jsonl" --max-prompts ${PROBE_PROMPTS:-100} --answers "$out/answers-0-null-$i.jsonl" --payload-bits 0 --json \
      > "$results/null-probe0-$i.json" 2>/dev/null || true
done
# Upper bound: the answers as served, tested as a verbatim copy would be (harvest), and the unwatermarked ones.
for kind in harvest clean; do
  python3 - "$out" "$kind" <<'PY'
import hashlib, hmac, json, sys
out, kind = sys.argv[1:]
key = bytes.fromhex(open(f"{out}/watermark.key").read().strip())
kid = hmac.new(key, b"aegis-forensics/answers-cache/key-id/v1", hashlib.sha256).digest()[:8].hex()
with open(f"{out}/copy-{kind}.jsonl", "w") as f:
    f.write(json.dumps({"aegis_forensics_answers": 1, "key_id": kid, "suspect_model": "copy"}) + "\n")
    for line in open(f"{out}/{kind}.jsonl"):
        r = json.loads(line)
        f.write(json.dumps({"id": r["id"], "prompt": r["prompt"], "answer": r["answer"]}) + "\n")
PY
  measure "copy-$kind" $bin forensics attribute --answers "$out/copy-$kind.jsonl" --key-file "$key" \
      --accounts-log "$out/exchanges.jsonl" --json
done
python3 evaluations/forensics/summary.py "$out"

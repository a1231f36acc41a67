#!/usr/bin/env bash
# End to end: answers generated through the Python processor (transformers, SmolLM2 loaded from
# the GGUF) are detected by `aegis detect`, and generation with and without the processor is
# timed in one run. Not part of `make test` (about half an hour on the shared 2-core box).
#   evaluations/python-watermark-e2e.sh [ANSWERS=10] [TOKENS=200]
# Writes evaluations/out/python-watermark/{key.hex,prompts.jsonl,<scheme>.jsonl,<scheme>.detect.jsonl,bench-<scheme>.json}
# and prints one summary line per scheme, then one bench line per scheme. Needs .venv-watermark
# (scripts/test-python-watermark).
set -euo pipefail
cd "$(dirname "$0")/.."
answers=${1:-10}
tokens=${2:-200}
out=evaluations/out/python-watermark
model=models/SmolLM2-135M-Instruct.Q4_1.gguf
python=.venv-watermark/bin/python
mkdir -p "$out"
[ -x "$python" ] || scripts/test-python-watermark -q -k vectors >/dev/null
[ -f "$model" ] || scripts/fetch-model
swift build --product aegis >/dev/null
aegis="$(swift build --show-bin-path)/aegis"
[ -f "$out/key.hex" ] || "$aegis" keys new > "$out/key.hex"
key=$(cat "$out/key.hex")

# AlpacaEval prompts 403…: the held-back half the Swift evaluations report on (docs/watermark.md).
"$python" - "$answers" > "$out/prompts.jsonl" <<'PY'
import json, sys
rows = json.load(open("../shared/data/prompts/alpaca_eval_gpt4_1106_preview_outputs.json"))
for row in rows[403:403 + int(sys.argv[1])]:
    print(json.dumps({"prompt": row["instruction"]}))
PY

# As the gateway serves: T = 1.0, top-p 0.95, min-p 0.05, the account's 8-bit payload 92.
for scheme in kgw gumbel synthid; do
  "$python" -m aegis_watermark generate --gguf "$model" --key-file "$out/key.hex" --scheme "$scheme" \
    --payload 92 --payload-bits 8 --prompts "$out/prompts.jsonl" --max-new-tokens "$tokens" \
    --temperature 1.0 --top-p 0.95 --min-p 0.05 --threads 1 --out "$out/$scheme.jsonl" 2>/dev/null
  "$python" -c 'import json,sys
for i,l in enumerate(open(sys.argv[1])): print(json.dumps({"id": str(i), "text": json.loads(l)["text"]}))' \
    "$out/$scheme.jsonl" > "$out/$scheme.texts.jsonl"
  "$aegis" detect --model "$model" --scheme "$scheme" --key "$key" --payload-bits 8 --payload 92 \
    --input "$out/$scheme.texts.jsonl" > "$out/$scheme.detect.jsonl" || true
  "$python" - "$scheme" "$out/$scheme.jsonl" "$out/$scheme.detect.jsonl" <<'PY'
import json, statistics, sys
scheme, answers, verdicts = sys.argv[1], [json.loads(l) for l in open(sys.argv[2])], [json.loads(l) for l in open(sys.argv[3])]
p = [v.get("p_value", 1.0) for v in verdicts]
print(json.dumps({"scheme": scheme, "answers": len(answers), "mean_new_tokens": round(statistics.mean(a["new_tokens"] for a in answers), 1),
                  "detected_below_1e-6": sum(x < 1e-6 for x in p), "median_p": statistics.median(p), "max_p": max(p),
                  "p_values": [float(f"{x:.3g}") for x in p]}))
PY
done

# Speed: the same prompts with and without the processor in one run, alternating, each answer
# exactly 100 new tokens (stop tokens suppressed), one torch thread.
for scheme in kgw synthid gumbel; do
  "$python" -m aegis_watermark bench --gguf "$model" --key-file "$out/key.hex" --scheme "$scheme" --payload 92 \
    --prompts "$out/prompts.jsonl" --limit 8 --max-new-tokens 100 --threads 1 2>/dev/null | tee "$out/bench-$scheme.json"
done

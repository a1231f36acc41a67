#!/usr/bin/env python3
"""Splits the harvest into training data and held-out texts.

Usage: prepare.py OUT_DIR
Prompts whose id hashes into the last 15% are held out: their answers train no student and are
what reading mode reads (held-out.jsonl: the unwatermarked answers, as {"text","prompt"}) and what
the closed-model probe asks (held-out-prompts.jsonl). The rest go to train-harvest.jsonl and
train-clean.jsonl ({"prompt","answer"}) for tokenization.
"""
import hashlib
import json
import sys

out = sys.argv[1]


def held_out(prompt_id):
    return hashlib.sha256(prompt_id.encode()).digest()[0] < 38  # ~15%


rows = {kind: [json.loads(line) for line in open(f"{out}/{kind}.jsonl")] for kind in ["harvest", "clean"]}
for kind, items in rows.items():
    with open(f"{out}/train-{kind}.jsonl", "w") as f:
        for row in items:
            if not held_out(row["id"]):
                f.write(json.dumps({"prompt": row["prompt"], "answer": row["answer"]}) + "\n")
with open(f"{out}/held-out.jsonl", "w") as f:
    for row in rows["clean"]:
        if held_out(row["id"]):
            f.write(json.dumps({"id": row["id"], "text": row["answer"], "prompt": row["prompt"]}) + "\n")
with open(f"{out}/held-out-marked.jsonl", "w") as f:
    for row in rows["harvest"]:
        if held_out(row["id"]):
            f.write(json.dumps({"id": row["id"], "text": row["answer"], "prompt": row["prompt"]}) + "\n")
prompts = [json.loads(line) for line in open(f"{out}/prompts.jsonl")]
with open(f"{out}/held-out-prompts.jsonl", "w") as f:
    for row in prompts:
        if held_out(row["id"]):
            f.write(json.dumps(row) + "\n")
counts = {k: sum(1 for r in v if not held_out(r["id"])) for k, v in rows.items()}
print(f"training answers {counts}; held-out answers {sum(1 for r in rows['clean'] if held_out(r['id']))}", file=sys.stderr)

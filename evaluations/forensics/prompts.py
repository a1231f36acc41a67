#!/usr/bin/env python3
"""Writes the evaluation's prompts as JSONL ({"id", "prompt"}) from ../shared/data/prompts.

Usage: prompts.py DATA_DIR OUT.jsonl
The prompts are published instruction sets; they are read at run time, never copied into the project.
"""
import json
import os
import sys

data, out = sys.argv[1], sys.argv[2]
prompts = []
for name in ["selfinstruct_user_oriented_instructions.jsonl", "selfinstruct_seed_tasks.jsonl", "wizardlm_testset.jsonl"]:
    for line in open(os.path.join(data, name)):
        row = json.loads(line)
        text = row.get("instruction") or row.get("Instruction") or row.get("prompt")
        if row.get("instances") and row["instances"][0].get("input"):
            text = text + "\n\n" + row["instances"][0]["input"]
        if text:
            prompts.append(text)
for row in json.load(open(os.path.join(data, "alpaca_eval_gpt4_1106_preview_outputs.json"))):
    prompts.append(row["instruction"])
seen, unique = set(), []
for text in prompts:
    if text not in seen:
        seen.add(text)
        unique.append(text)
with open(out, "w") as f:
    for i, text in enumerate(unique):
        f.write(json.dumps({"id": f"p{i}", "prompt": text}) + "\n")
print(f"{len(unique)} prompts -> {out}", file=sys.stderr)

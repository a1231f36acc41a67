#!/usr/bin/env python3
"""Summarises WatermarkGenerationEvaluation runs from their --raw answer files
and their stderr logs (the per-batch speed lines), so that runs split by
temperature or by prompt range, or cut short, give one table.

    evaluations/watermark-generation-summary.py --raw a.jsonl [b.jsonl:100 …] --log a.log [b.log …]

`file:N` adds N to the file's prompt indices (a run with --first-prompt N
numbers its prompts from 0). Only prompts answered under every scheme of their
temperature are counted, so a batch cut off half-way is left out whole.

Same definitions as the program's own table: detected = share of answers with
p < 1e-3 (unaltered, 10% and 30% substituted), median p of the unaltered
answers, perplexity exp(-Σ log p / Σ tokens), batched decode tok/s median over
batches and the median over batches of the ratio to the unwatermarked batch.
"""
import argparse, json, math, re, statistics
from collections import defaultdict

parser = argparse.ArgumentParser()
parser.add_argument("--raw", nargs="+", required=True)
parser.add_argument("--log", nargs="*", default=[])
args = parser.parse_args()

answers = defaultdict(list)
for spec in args.raw:
    path, _, offset = spec.partition(":")
    offset = int(offset or 0)
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut off by a stopped run
            record["prompt"] += offset
            answers[(record["temperature"], record["scheme"])].append(record)

for t in {t for t, _ in answers}:
    schemes = [k for k in answers if k[0] == t]
    complete = set.intersection(*({r["prompt"] for r in answers[k]} for k in schemes))
    for k in schemes:
        answers[k] = [r for r in answers[k] if r["prompt"] in complete]

speeds, ratios = defaultdict(list), defaultdict(list)
pattern = re.compile(r"T=([0-9.]+) prompts \d+/\d+: tok/s (.*)")
for path in args.log:
    with open(path) as f:
        for line in f:
            m = pattern.search(line)
            if not m:
                continue
            t = float(m.group(1))
            batch = {name: float(v) for name, v in (item.split() for item in m.group(2).split(", "))}
            for name, v in batch.items():
                speeds[(t, name)].append(v)
                if name != "none" and "none" in batch:
                    ratios[(t, name)].append(v / batch["none"])

order = ["none", "kgw", "gumbel", "synthid"]
print("| temperature | scheme | answers | detected p<1e-3 | after 10% subst. | after 30% subst. | median p | perplexity | batched decode tok/s (median) | ÷ none (median) | batches |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for (t, scheme) in sorted(answers, key=lambda k: (-k[0], order.index(k[1]) if k[1] in order else 9)):
    rows = answers[(t, scheme)]
    n = len(rows)
    tokens = sum(r["tokens"] for r in rows)
    perplexity = math.exp(-sum(r["log_probability_sum"] for r in rows) / max(tokens, 1))
    if scheme == "none":
        cells = ["–"] * 4
    else:
        share = lambda slot: "%.1f%%" % (100 * sum(1 for r in rows if r["p_values"][slot] < 1e-3) / n)
        cells = [share(0), share(1), share(2), "%.1e" % statistics.median(r["p_values"][0] for r in rows)]
    speed = "%.1f" % statistics.median(speeds[(t, scheme)]) if speeds[(t, scheme)] else "–"
    ratio = "1" if scheme == "none" else ("%.3f" % statistics.median(ratios[(t, scheme)]) if ratios[(t, scheme)] else "–")
    print(f"| {t} | {scheme} | {n} | {' | '.join(cells[:3])} | {cells[3]} | {perplexity:.2f} | {speed} | {ratio} | {len(speeds[(t, scheme)])} |")

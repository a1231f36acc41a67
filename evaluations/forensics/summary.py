#!/usr/bin/env python3
"""Summarises evaluate.sh's results as the tables of docs/forensics.md.

Usage: summary.py OUT_DIR
"""
import glob
import json
import math
import sys

out = sys.argv[1]
results = f"{out}/results"


def load(name):
    try:
        report = json.load(open(f"{results}/{name}.json"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    try:
        report.update(json.load(open(f"{results}/{name}.time")))
    except (FileNotFoundError, json.JSONDecodeError):
        pass
    return report


def ks(pvalues):
    """One-sample Kolmogorov–Smirnov statistic D against Uniform(0,1) and its asymptotic p-value."""
    xs = sorted(pvalues)
    n = len(xs)
    d = max(max((i + 1) / n - x, x - i / n) for i, x in enumerate(xs))
    t = (math.sqrt(n) + 0.12 + 0.11 / math.sqrt(n)) * d
    p = 2 * sum((-1) ** (k - 1) * math.exp(-2 * k * k * t * t) for k in range(1, 101))
    return d, min(1.0, max(0.0, p))


print("| student (harvest share) | mode | text | tuples scored | p-value | accounts named | time (s) | peak RSS (MB) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for mix in ["100", "10", "0"]:
    for name, mode, text in [(f"read-{mix}", "reading", "held-out unwatermarked answers"),
                             (f"read-marked-{mix}", "reading", "held-out watermarked answers"),
                             (f"probe-{mix}", "closed probe", "its answers to held-out prompts")]:
        r = load(name)
        if r is None:
            print(f"| {mix}% | {mode} | {text} | – | not run | – | – | – |")
            continue
        print(f"| {mix}% | {mode} | {text} | {r['tuples_scored']} | {r['p_value']:.3g} | "
              f"{', '.join(r.get('accounts_named') or []) or 'none'} | {r.get('seconds', '–')} | "
              f"{round(r['max_rss_kb'] / 1024) if 'max_rss_kb' in r else '–'} |")
print()
print("| H0 set (20 keys that marked nothing) | min p | p < 1e-3 | KS D | KS p |")
print("| --- | --- | --- | --- | --- |")
for label, pattern in [("0% student, reading", "null-student0-*"), ("base SmolLM2, reading", "null-base-*"),
                       ("0% student, closed probe", "null-probe0-*")]:
    ps = []
    for path in glob.glob(f"{results}/{pattern}.json"):
        try:
            ps.append(json.load(open(path))["p_value"])
        except (json.JSONDecodeError, KeyError):
            pass
    if not ps:
        print(f"| {label} | not run | | | |")
        continue
    d, p = ks(ps)
    print(f"| {label} ({len(ps)} keys) | {min(ps):.3g} | {sum(x < 1e-3 for x in ps)} | {d:.3f} | {p:.3f} |")

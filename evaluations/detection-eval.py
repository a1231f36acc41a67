#!/usr/bin/env python3
"""Evaluate `aegis scan` on simulated traffic (docs/detection.md, "Evaluation").

For each scenario and seed: `aegis simulate` writes a labelled log, `aegis scan`
reads it (with a timeline of newly flagged accounts), and this script compares
the verdicts with the labels:

  * account-level precision and recall (a campaign account is a positive),
  * campaign grouping: adjusted Rand index over all accounts (true campaign vs
    reported campaign; a legitimate or unflagged account is its own group),
  * requests each campaign had sent when the first of its accounts was flagged,
  * false-positive rate of each legitimate population,

at the default threshold and at a sweep of thresholds. Medians over seeds.
Uses only the Python standard library. Prompt text comes from ../shared/data
when present (the simulator says which in the labels' prompt_origin).

    python3 evaluations/detection-eval.py [--exchanges 100000] [--seeds 1 2 3]
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEGIT = ["individual", "app_backend", "eval_team", "tutoring"]


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def comb2(n):
    return n * (n - 1) / 2


def adjusted_rand(truth, predicted):
    """ARI of two labelings given as equal-length lists."""
    n = len(truth)
    if n < 2:
        return 1.0
    pairs = Counter(zip(truth, predicted))
    a = Counter(truth)
    b = Counter(predicted)
    index = sum(comb2(v) for v in pairs.values())
    sum_a = sum(comb2(v) for v in a.values())
    sum_b = sum(comb2(v) for v in b.values())
    expected = sum_a * sum_b / comb2(n)
    maximum = (sum_a + sum_b) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def evaluate(aegis, scenario, seed, exchanges, data, threshold, work, timeline=True):
    log = os.path.join(work, f"{scenario}-{seed}.jsonl")
    labels_path = os.path.join(work, f"{scenario}-{seed}.labels.json")
    if not os.path.exists(log):
        run([aegis, "simulate", "--scenario", scenario, "--seed", str(seed), "--exchanges", str(exchanges),
             "--out", log, "--labels", labels_path, "--data", data])
    verdicts_path = os.path.join(work, f"{scenario}-{seed}-{threshold}.verdicts.json")
    timeline_path = os.path.join(work, f"{scenario}-{seed}-{threshold}.timeline.jsonl")
    scan = [aegis, "scan", "--events", log, "--out", verdicts_path, "--threshold", str(threshold)]
    if timeline:
        scan += ["--timeline", timeline_path, "--timeline-every", str(max(1000, exchanges // 100))]
    else:
        open(timeline_path, "w").close()
    run(scan)
    labels = json.load(open(labels_path))
    verdicts = json.load(open(verdicts_path))
    accounts = labels["accounts"]

    tp = fp = fn = 0
    population_total, population_flagged = Counter(), Counter()
    truth, predicted = [], []
    for v in verdicts["accounts"]:
        label = accounts[v["account"]]
        population_total[label["population"]] += 1
        if v["flagged"]:
            population_flagged[label["population"]] += 1
        truth.append(label["campaign"] or ("solo:" + v["account"]))
        predicted.append(v["campaign"] or ("solo:" + v["account"]))
        if label["campaign"]:
            tp += v["flagged"]
            fn += not v["flagged"]
        else:
            fp += v["flagged"]

    # Requests a campaign had sent when its first account was flagged.
    first_flag_at = {}
    for line in open(timeline_path):
        point = json.loads(line)
        for name in point["flagged"]:
            campaign = accounts[name]["campaign"]
            if campaign and campaign not in first_flag_at:
                first_flag_at[campaign] = point["exchanges"]
    checkpoints = sorted(set(first_flag_at.values()))
    sent = Counter()
    sent_at = {}
    total_sent = Counter()
    with open(log) as f:
        for i, line in enumerate(f, 1):
            # The account id is the third field the writer emits; avoid a full parse.
            start = line.index('"account":"') + 11
            campaign = accounts[line[start:line.index('"', start)]]["campaign"]
            if campaign:
                sent[campaign] += 1
                total_sent[campaign] += 1
            if checkpoints and i == checkpoints[0]:
                sent_at[i] = dict(sent)
                checkpoints.pop(0)
    before_flag = {}
    for campaign in labels["campaigns"]:
        at = first_flag_at.get(campaign)
        before_flag[campaign] = sent_at.get(at, {}).get(campaign) if at else None

    return {
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
        "ari": adjusted_rand(truth, predicted) if tp + fn else None,
        "fpr": {p: population_flagged[p] / population_total[p] for p in LEGIT if population_total[p]},
        "legit_accounts": {p: population_total[p] for p in LEGIT},
        "campaign_accounts": tp + fn,
        "campaigns_reported": len(verdicts["campaigns"]),
        "before_flag": before_flag,
        "campaign_requests": dict(total_sent),
        "prompt_origin": labels["prompt_origin"],
    }


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(x, pct=False):
    if x is None:
        return "–"
    return f"{100 * x:.1f}%" if pct else f"{x:.3f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--aegis", default=os.path.join(ROOT, ".build/release/aegis"))
    parser.add_argument("--exchanges", type=int, default=100_000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--scenarios", nargs="+", default=["mixed", "hydra", "stealth", "evasive", "legit"])
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.6, 0.5, 0.7])
    parser.add_argument("--data", default=os.path.join(ROOT, "../shared/data"))
    parser.add_argument("--json", help="also write the raw results here")
    parser.add_argument("--from-json", help="print the tables from raw results written earlier, without running")
    args = parser.parse_args()
    results = defaultdict(list)
    if args.from_json:
        for key, runs in json.load(open(args.from_json)).items():
            scenario, threshold = key.rsplit("@", 1)
            for r in runs:
                nothing_flagged = not r["recall"] and not any(r["fpr"].values())
                if nothing_flagged:
                    r["precision"] = None  # older versions wrote 0 or 1 when nothing was flagged
            results[(scenario, float(threshold))] = runs
        report(args, results)
        return
    if not os.path.exists(args.aegis):
        sys.exit(f"{args.aegis} not found: build it with `swift build -c release`")
    if not os.path.isdir(args.data):
        print(f"note: {args.data} is missing; the simulator uses its built-in text", file=sys.stderr)

    with tempfile.TemporaryDirectory() as work:
        for scenario in args.scenarios:
            for threshold in args.thresholds:
                for seed in args.seeds:
                    r = evaluate(args.aegis, scenario, seed, args.exchanges, args.data, threshold, work,
                                 timeline=threshold == args.thresholds[0])
                    results[(scenario, threshold)].append(r)
                    print(f"{scenario} seed {seed} threshold {threshold}: P {fmt(r['precision'])} R {fmt(r['recall'])} "
                          f"ARI {fmt(r['ari'])} FPR {r['fpr']}", file=sys.stderr)

    if args.json:
        with open(args.json, "w") as f:
            json.dump({f"{s}@{t}": v for (s, t), v in results.items()}, f, indent=1)
    report(args, results)


def report(args, results):
    default = args.thresholds[0]
    print(f"Prompt text: {results[(args.scenarios[0], default)][0]['prompt_origin']}\n")
    print(f"### Accounts and campaigns (threshold {default}; median of seeds {' '.join(map(str, args.seeds))}, "
          f"{args.exchanges:,} exchanges each)\n")
    print("| scenario | campaign accounts | precision | recall | ARI | campaigns reported | "
          "campaign requests before first flag (median) |")
    print("|---|---|---|---|---|---|---|")
    for scenario in args.scenarios:
        rs = results[(scenario, default)]
        before = [v for r in rs for v in r["before_flag"].values()]
        missed = sum(1 for r in rs for v in r["before_flag"].values() if v is None)
        runs = len(rs) * max(1, len(rs[0]["before_flag"]))
        shares = [v / r["campaign_requests"][c] for r in rs for c, v in r["before_flag"].items()
                  if v is not None and r["campaign_requests"].get(c)]
        before_text = "–"
        if any(v is not None for v in before):
            before_text = f"{median(before):.0f} ({fmt(median(shares), True)} of its traffic)"
        if missed:
            before_text += f"; never flagged in {missed} of {runs} runs"
        print(f"| {scenario} | {median([r['campaign_accounts'] for r in rs]):.0f} | {fmt(median([r['precision'] for r in rs]))} | "
              f"{fmt(median([r['recall'] for r in rs]))} | {fmt(median([r['ari'] for r in rs]))} | "
              f"{median([r['campaigns_reported'] for r in rs]):.0f} | {before_text} |")

    print(f"\n### False-positive rate per legitimate population (threshold {default}; max over seeds)\n")
    print("| scenario | " + " | ".join(f"{p} (accounts)" for p in LEGIT) + " |")
    print("|---|" + "---|" * len(LEGIT))
    for scenario in args.scenarios:
        rs = results[(scenario, default)]
        cells = []
        for p in LEGIT:
            rates = [r["fpr"].get(p) for r in rs if p in r["fpr"]]
            count = median([r["legit_accounts"][p] for r in rs])
            cells.append(f"{fmt(max(rates) if rates else None, True)} ({count:.0f})")
        print(f"| {scenario} | " + " | ".join(cells) + " |")

    if len(args.thresholds) > 1:
        print("\n### Threshold sweep (median precision / recall; worst legitimate FPR)\n")
        print("| scenario | " + " | ".join(f"threshold {t}" for t in sorted(args.thresholds)) + " |")
        print("|---|" + "---|" * len(args.thresholds))
        for scenario in args.scenarios:
            cells = []
            for t in sorted(args.thresholds):
                rs = results[(scenario, t)]
                worst = max((v for r in rs for v in r["fpr"].values()), default=0)
                cells.append(f"{fmt(median([r['precision'] for r in rs]))} / {fmt(median([r['recall'] for r in rs]))}; "
                             f"{fmt(worst, True)}")
            print(f"| {scenario} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Red-team traffic generator for Aegis detection (issue 13).

Writes DIR/exchanges.jsonl (the exchange-log contract of ../shared/DESIGN.md, sorted by
time), DIR/labels.jsonl (one line per account), DIR/stream_labels.jsonl (per-exchange
stream labels of router/reseller accounts) and DIR/manifest.json.

    python3 evaluations/redteam/generate.py --seed 1 --exchanges 100000 --out /tmp/rt1

Standard library only; deterministic per (seed, variant, exchanges, days, styles).
Written without reading the detector's code or documentation; see README.md for the
seed policy (development seeds 1-3; held-back seeds and the holdout variant are not for tuning).
"""

import argparse
import json
import os
import sys
import time
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from world import World, derive, split_quota, MS_D  # noqa: E402
from datasets import Data, default_data_dir  # noqa: E402
import campaigns  # noqa: E402
import populations  # noqa: E402

VERSION = "redteam-gen/1"

# Share of all exchanges per population (before renormalisation when --styles restricts them).
LEGIT_SHARES = {"chat": 0.26, "nat_company": 0.06, "eval_team": 0.06, "tutoring": 0.07, "app_backend": 0.08,
                "router": 0.09, "agent_dev": 0.05, "early_adopter": 0.04, "researcher": 0.02}
CAMPAIGN_SHARES = {"low_and_slow": 0.12, "paraphrase_cot": 0.06, "reseller_mixing": 0.05, "agentic": 0.04,
                   "hydra": 0.06, "rubric": 0.02, "release_pivot": 0.03}


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--exchanges", type=int, default=100_000)
    p.add_argument("--out", required=True, help="output folder (created)")
    p.add_argument("--styles", default="", help="comma list of campaign styles and/or legitimate populations to include "
                   "(default all). Naming only campaign styles keeps every legitimate population.")
    p.add_argument("--variant", default="dev", choices=["dev", "holdout"],
                   help="holdout: held-back phrasings, languages, tool pools, timing (never tune on it)")
    p.add_argument("--days", type=int, default=0, help="days spanned (default: 7-14 chosen by the seed)")
    p.add_argument("--start", default="2026-11-16", help="first day (UTC date)")
    p.add_argument("--text-scale", type=float, default=0.25,
                   help="answer text length as a fraction of usage.completion_tokens x 4 chars (default 0.25 keeps files small; 1 = full length)")
    p.add_argument("--data", default=None, help="shared data folder (default ../shared/data)")
    p.add_argument("--list", action="store_true", help="list styles and populations and exit")
    return p.parse_args(argv)


def main(argv=None):
    a = parse_args(argv)
    if a.list:
        print("campaign styles: " + ", ".join(CAMPAIGN_SHARES))
        print("legitimate populations: " + ", ".join(LEGIT_SHARES))
        return 0
    if a.exchanges < 1000:
        print("generate: --exchanges must be at least 1000 (populations need room); got %d" % a.exchanges, file=sys.stderr)
        return 2
    legit, camp = dict(LEGIT_SHARES), dict(CAMPAIGN_SHARES)
    if a.styles:
        names = [s.strip() for s in a.styles.split(",") if s.strip()]
        bad = [n for n in names if n not in legit and n not in camp]
        if bad:
            print("generate: unknown style/population %s; run --list to see the names" % ",".join(bad), file=sys.stderr)
            return 2
        camp = {k: v for k, v in camp.items() if k in names}
        if any(n in LEGIT_SHARES for n in names):
            legit = {k: v for k, v in legit.items() if k in names}
    t0 = time.time()
    rng = derive(a.seed, a.variant, "plan")
    days = a.days or rng.randint(7, 14)
    start = datetime.strptime(a.start, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    data = Data(a.data or default_data_dir())
    world = World(a.seed, a.variant, int(start.timestamp() * 1000), days, a.text_scale, data)

    # Seed-level jitter of the mix, so no share is a constant the blue team can rely on.
    shares = {}
    for k, v in list(legit.items()) + list(camp.items()):
        shares[k] = v * rng.uniform(0.75, 1.3)
    names = list(shares)
    quotas = dict(zip(names, split_quota(rng, a.exchanges, [shares[n] for n in names])))
    for name in names:
        fn = campaigns.STYLES.get(name) or populations.POPULATIONS[name]
        fn(world, quotas[name], derive(a.seed, a.variant, "pop", name))
        if sys.stderr.isatty():
            print(f"\r{name:16s} {quotas[name]:8d}", end="", file=sys.stderr)

    os.makedirs(a.out, exist_ok=True)
    world.lines.sort(key=lambda x: (x[0], x[1]))
    with open(os.path.join(a.out, "exchanges.jsonl"), "w", encoding="utf-8") as f:
        for _, _, line in world.lines:
            f.write(line)
            f.write("\n")
    with open(os.path.join(a.out, "labels.jsonl"), "w", encoding="utf-8") as f:
        for acct in sorted(world.accounts, key=lambda x: x.id):
            if acct.n:
                f.write(json.dumps(acct.label_record(), separators=(",", ":")) + "\n")
    world.stream_lines.sort()
    with open(os.path.join(a.out, "stream_labels.jsonl"), "w", encoding="utf-8") as f:
        for _, line in world.stream_lines:
            f.write(line + "\n")
    counts = {}
    for acct in world.accounts:
        if acct.n:
            key = acct.style if acct.label == "campaign" else acct.population
            c = counts.setdefault(key, {"label": acct.label, "accounts": 0, "exchanges": 0})
            c["accounts"] += 1
            c["exchanges"] += acct.n
    manifest = {"generator": VERSION, "seed": a.seed, "variant": a.variant, "exchanges": len(world.lines),
                "days": days, "start": a.start, "release_time": datetime.fromtimestamp(world.release_ms / 1000, tz=timezone.utc).isoformat(),
                "text_scale": a.text_scale, "styles": a.styles or "all", "populations": counts,
                "data_missing": data.missing, "seconds": round(time.time() - t0, 1)}
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    if sys.stderr.isatty():
        print("\r", end="", file=sys.stderr)
    print(f"wrote {len(world.lines)} exchanges, {sum(1 for x in world.accounts if x.n)} accounts, {days} days "
          f"to {a.out} in {time.time() - t0:.1f}s", file=sys.stderr)
    assert len(world.lines) == a.exchanges, (len(world.lines), a.exchanges)
    return 0


if __name__ == "__main__":
    sys.exit(main())

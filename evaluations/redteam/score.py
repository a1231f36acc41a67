#!/usr/bin/env python3
"""Scores `aegis scan` verdicts against red-team labels.

    python3 evaluations/redteam/score.py --labels DIR/labels.jsonl --verdicts V.json [--json OUT.json]

Verdicts follow the contract of ../shared/DESIGN.md:
  {"accounts": [{"account", "flagged", "score", "campaign", "reasons"}...], "campaigns": [...]}
An account missing from the verdicts counts as not flagged (and is reported as missing).

Optional fields that are used when present:
  accounts[].streams[]  sub-account units, each {"stream": KEY, "flagged": bool, "score"?: number}
                        KEY is "user:<request user field>" or "system:<sha256 hex of the system prompt,
                        or a prefix of at least 8 hex digits>" (a stream object may instead carry
                        "user" and/or "system_sha256" fields directly). A true distillation stream
                        (one end-user id of a reseller's distillation customer) is recalled when a
                        flagged stream of that account matches its user id or its system prompt hash.
  accounts[].requests_before_flag  requests of the account seen before it was first flagged.
Alternatively pass `--timeline T.jsonl --log DIR/exchanges.jsonl` (the `aegis scan --timeline`
output, lines {"exchanges": N, "flagged": [newly flagged accounts]}): an account first listed at
checkpoint N is counted as flagged after its requests among the first N lines of the log (a
figure at checkpoint granularity, so an upper bound).

Printed per campaign style: accounts, flagged, recall, precision (flagged campaign accounts of the
style over those plus the legitimate accounts put in the same predicted campaigns), campaign ARI
(adjusted Rand index over the style's accounts: true campaign id vs predicted campaign, unflagged or
campaign-less accounts as singletons). Per legitimate population: accounts, flagged, false-positive
rate. Overall: precision, recall, FPR over all legitimate accounts, ARI over all campaign accounts,
and a threshold sweep on the account score (recall at fixed benign false-positive rates, ROC AUC).
"""

import argparse
import json
import math
import os
import sys
from collections import Counter, defaultdict


def comb2(n):
    return n * (n - 1) / 2


def ari(true, pred):
    """Adjusted Rand index of two labelings given as equal-length lists."""
    n = len(true)
    if n < 2:
        return 1.0
    cont = Counter(zip(true, pred))
    a = Counter(true)
    b = Counter(pred)
    s_ij = sum(comb2(v) for v in cont.values())
    s_a = sum(comb2(v) for v in a.values())
    s_b = sum(comb2(v) for v in b.values())
    expected = s_a * s_b / comb2(n)
    max_index = (s_a + s_b) / 2
    if max_index == expected:
        # both partitions trivial in the same way (all singletons or one cluster): identical -> 1
        return 1.0 if s_a == s_b == s_ij else 0.0
    return (s_ij - expected) / (max_index - expected)


def load_labels(path):
    labels = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                labels[r["account"]] = r
    return labels


def load_verdicts(path):
    with open(path, encoding="utf-8") as f:
        v = json.load(f)
    accts = {}
    for a in v.get("accounts", []):
        accts[a.get("account")] = a
    return v, accts


def stream_keys(s):
    """(users, system hash prefixes) named by one verdict stream object."""
    users, systems = set(), set()
    key = s.get("stream") if isinstance(s.get("stream"), str) else None
    k = s.get("key") if isinstance(s.get("key"), dict) else {}
    for src in (s, k):
        if isinstance(src.get("user"), str):
            users.add(src["user"])
        for f in ("system_sha256", "system"):
            if isinstance(src.get(f), str) and len(src[f]) >= 8:
                systems.add(src[f].lower())
    if key:
        for part in key.split("|"):
            if part.startswith("user:"):
                users.add(part[5:])
            elif part.startswith("system:"):
                systems.add(part[7:].lower())
            elif ":" not in part:
                users.add(part)
    return users, systems


def sweep(legit_scores, camp_scores):
    if not legit_scores or not camp_scores:
        return None
    ls = sorted(legit_scores, reverse=True)
    out = []
    for fpr in (0.001, 0.005, 0.01, 0.02, 0.05, 0.1):
        k = int(math.floor(fpr * len(ls)))
        # threshold: flag scores strictly above the (k+1)-th highest legitimate score
        thr = ls[k] if k < len(ls) else -math.inf
        rec = sum(1 for s in camp_scores if s > thr) / len(camp_scores)
        real = sum(1 for s in legit_scores if s > thr) / len(legit_scores)
        out.append({"target_fpr": fpr, "threshold": thr, "realised_fpr": real, "recall": rec})
    # ROC AUC by Mann-Whitney U (ties count half)
    allv = sorted([(s, 0) for s in legit_scores] + [(s, 1) for s in camp_scores])
    rank_sum, i = 0.0, 0
    while i < len(allv):
        j = i
        while j < len(allv) and allv[j][0] == allv[i][0]:
            j += 1
        r = (i + 1 + j) / 2
        rank_sum += r * sum(1 for x in allv[i:j] if x[1] == 1)
        i = j
    n1, n0 = len(camp_scores), len(legit_scores)
    auc = (rank_sum - n1 * (n1 + 1) / 2) / (n1 * n0)
    return {"points": out, "auc": auc}


def score(labels, verdicts_doc, verdicts):
    flagged = {a: bool(verdicts.get(a, {}).get("flagged")) for a in labels}
    missing = sum(1 for a in labels if a not in verdicts)
    pred_c = {}
    for a in labels:
        v = verdicts.get(a, {})
        c = v.get("campaign")
        pred_c[a] = c if (flagged[a] and c) else "_single_" + a
    # predicted campaign -> majority true style among its campaign accounts
    members = defaultdict(list)
    for a in labels:
        if not pred_c[a].startswith("_single_"):
            members[pred_c[a]].append(a)
    pc_style = {}
    for c, accts in members.items():
        styles = Counter(labels[a]["style"] for a in accts if labels[a]["label"] == "campaign")
        pc_style[c] = styles.most_common(1)[0][0] if styles else None

    res = {"styles": {}, "populations": {}, "overall": {}, "missing_accounts": missing}
    camp = [a for a in labels if labels[a]["label"] == "campaign"]
    legit = [a for a in labels if labels[a]["label"] == "legit"]
    by_style = defaultdict(list)
    for a in camp:
        by_style[labels[a]["style"]].append(a)
    fp_style = Counter()
    for a in legit:
        if flagged[a] and not pred_c[a].startswith("_single_"):
            fp_style[pc_style.get(pred_c[a])] += 1
    for st, accts in sorted(by_style.items()):
        tp = sum(flagged[a] for a in accts)
        rbf = [verdicts[a]["requests_before_flag"] for a in accts
               if flagged[a] and isinstance(verdicts.get(a, {}).get("requests_before_flag"), (int, float))]
        res["styles"][st] = {
            "accounts": len(accts), "flagged": tp, "recall": tp / len(accts),
            "precision": (tp / (tp + fp_style[st])) if tp + fp_style[st] else None,
            "ari": ari([labels[a]["campaign_id"] for a in accts], [pred_c[a] for a in accts]),
            "campaigns": len(set(labels[a]["campaign_id"] for a in accts)),
            "exchanges": sum(labels[a].get("exchanges", 0) for a in accts),
            "median_requests_before_flag": sorted(rbf)[len(rbf) // 2] if rbf else None}
    by_pop = defaultdict(list)
    for a in legit:
        by_pop[labels[a]["population"]].append(a)
    for p, accts in sorted(by_pop.items()):
        fp = sum(flagged[a] for a in accts)
        res["populations"][p] = {"accounts": len(accts), "flagged": fp, "fpr": fp / len(accts)}
    tp = sum(flagged[a] for a in camp)
    fp = sum(flagged[a] for a in legit)
    res["overall"] = {
        "campaign_accounts": len(camp), "legit_accounts": len(legit), "flagged": tp + fp,
        "precision": tp / (tp + fp) if tp + fp else None, "recall": tp / len(camp) if camp else None,
        "fpr": fp / len(legit) if legit else None,
        "max_population_fpr": max((x["fpr"] for x in res["populations"].values()), default=None),
        "ari": ari([labels[a]["campaign_id"] for a in camp], [pred_c[a] for a in camp]) if camp else None,
        "target_fpr": verdicts_doc.get("target_fpr") if isinstance(verdicts_doc, dict) else None}
    # streams of mixed accounts
    mixed = [a for a in labels if labels[a].get("streams")]
    if mixed:
        true_streams, hit, any_streams, false_flags = 0, 0, False, 0
        for a in labels:
            vs = verdicts.get(a, {}).get("streams") or []
            if vs:
                any_streams = True
            truth = labels[a].get("streams") or []
            t_users = {s["user"] for s in truth}
            t_sys = {s["system_sha256"] for s in truth}
            flagged_streams = [stream_keys(s) for s in vs if s.get("flagged")]
            for users, systems in flagged_streams:
                if not (users & t_users or any(t.startswith(p) for p in systems for t in t_sys)):
                    false_flags += 1
            for s in truth:
                true_streams += 1
                if any(s["user"] in users or any(s["system_sha256"].startswith(p) for p in systems)
                       for users, systems in flagged_streams):
                    hit += 1
        res["streams"] = {"mixed_accounts": len(mixed), "campaign_streams": true_streams,
                          "verdicts_have_streams": any_streams,
                          "stream_recall": hit / true_streams if true_streams else None,
                          "mixed_accounts_flagged": sum(flagged[a] for a in mixed),
                          "false_stream_flags": false_flags}
    scores_l = [float(verdicts[a]["score"]) for a in legit if isinstance(verdicts.get(a, {}).get("score"), (int, float))]
    scores_c = [float(verdicts[a]["score"]) for a in camp if isinstance(verdicts.get(a, {}).get("score"), (int, float))]
    res["sweep"] = sweep(scores_l, scores_c)
    return res


def fmt(x, pct=False):
    if x is None:
        return "   n/a"
    return f"{x * 100:6.1f}%" if pct else f"{x:6.3f}"


def render(res, title=None):
    out = []
    if title:
        out.append(title)
    out.append(f"{'campaign style':18s} {'accts':>6s} {'flagged':>7s} {'recall':>7s} {'precis.':>7s} {'ARI':>6s} {'camps':>5s} {'req<flag':>8s}")
    for st, r in res["styles"].items():
        out.append(f"{st:18s} {r['accounts']:6d} {r['flagged']:7d} {fmt(r['recall'])} {fmt(r['precision'])} "
                   f"{fmt(r['ari'])} {r['campaigns']:5d} {str(r['median_requests_before_flag'] or '-'):>8s}")
    out.append(f"{'legit population':18s} {'accts':>6s} {'flagged':>7s} {'FPR':>7s}")
    for p, r in res["populations"].items():
        out.append(f"{p:18s} {r['accounts']:6d} {r['flagged']:7d} {fmt(r['fpr'], True)}")
    o = res["overall"]
    out.append(f"overall: precision {fmt(o['precision'])}  recall {fmt(o['recall'])}  FPR {fmt(o['fpr'], True)}  "
               f"max population FPR {fmt(o['max_population_fpr'], True)}  campaign ARI {fmt(o['ari'])}  "
               f"({o['campaign_accounts']} campaign / {o['legit_accounts']} legit accounts)")
    if o.get("target_fpr") is not None:
        out.append(f"verdicts made at target FPR {o['target_fpr']}")
    if "streams" in res:
        s = res["streams"]
        out.append(f"streams: {s['mixed_accounts']} mixed accounts ({s['mixed_accounts_flagged']} flagged as accounts), "
                   f"{s['campaign_streams']} distillation streams, stream recall "
                   + (fmt(s['stream_recall']) if s["verdicts_have_streams"] else "n/a (verdicts carry no streams)")
                   + f", flagged streams that are not distillation: {s['false_stream_flags']}")
    if res.get("sweep"):
        pts = "  ".join(f"FPR {p['target_fpr'] * 100:g}%: recall {p['recall']:.3f}" for p in res["sweep"]["points"])
        out.append(f"score sweep (AUC {res['sweep']['auc']:.4f}): {pts}")
    if res["missing_accounts"]:
        out.append(f"note: {res['missing_accounts']} labelled accounts absent from the verdicts (counted as not flagged)")
    return "\n".join(out)


def requests_before_flag(timeline_path, log_path):
    """account -> its requests among the first N log lines, N = checkpoint where first flagged."""
    first = {}
    with open(timeline_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                for a in r.get("flagged", []):
                    first.setdefault(a, int(r["exchanges"]))
    pending = sorted(first.items(), key=lambda x: x[1])
    counts, out, i = Counter(), {}, 0
    needle = '"account":"'
    with open(log_path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            j = line.find(needle)
            if j >= 0:
                k = line.find('"', j + len(needle))
                counts[line[j + len(needle):k]] += 1
            while i < len(pending) and pending[i][1] <= n:
                out[pending[i][0]] = counts[pending[i][0]]
                i += 1
    for a, _ in pending[i:]:
        out[a] = counts[a]
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--labels", required=True)
    p.add_argument("--verdicts", required=True)
    p.add_argument("--json", help="also write the figures as JSON to this path ('-' for stdout only)")
    p.add_argument("--title", help="a heading line (e.g. seed and variant)")
    p.add_argument("--timeline", help="aegis scan --timeline output, for requests seen before the first flag")
    p.add_argument("--log", help="the exchanges.jsonl the timeline was made from (needed with --timeline)")
    a = p.parse_args(argv)
    for f in (a.labels, a.verdicts):
        if not os.path.exists(f):
            print(f"score: {f} not found; generate the traffic / run aegis scan first", file=sys.stderr)
            return 2
    try:
        labels = load_labels(a.labels)
        doc, verdicts = load_verdicts(a.verdicts)
    except (ValueError, KeyError) as e:
        print(f"score: could not read input ({e}); labels must be generate.py output and verdicts aegis scan JSON",
              file=sys.stderr)
        return 2
    if a.timeline:
        if not a.log:
            print("score: --timeline needs --log DIR/exchanges.jsonl", file=sys.stderr)
            return 2
        for acct, n in requests_before_flag(a.timeline, a.log).items():
            if acct in verdicts and "requests_before_flag" not in verdicts[acct]:
                verdicts[acct]["requests_before_flag"] = n
    res = score(labels, doc, verdicts)
    if a.json == "-":
        print(json.dumps(res, indent=1))
        return 0
    print(render(res, a.title))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())

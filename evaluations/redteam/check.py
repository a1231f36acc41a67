#!/usr/bin/env python3
"""Checks a generated folder against the exchange-log contract of ../shared/DESIGN.md.

    python3 evaluations/redteam/check.py DIR

Every line must parse as JSON; id, time, account, request are present; time is RFC 3339
UTC with milliseconds and non-decreasing; client/account_meta/response have the contract's
fields and types; every account in the log has exactly one label and vice versa.
Prints counts and exits non-zero on the first class of violation found.
"""

import json
import re
import sys
from collections import Counter

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
CREATED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
ROLES = {"system", "user", "assistant", "tool", "developer"}


def main(d):
    errors = Counter()
    first = {}
    accounts = Counter()
    last = ""
    n = 0
    endpoints, models, roles = Counter(), Counter(), Counter()
    ids = set()

    def bad(kind, i):
        errors[kind] += 1
        first.setdefault(kind, i)
    with open(f"{d}/exchanges.jsonl", encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            n += 1
            try:
                r = json.loads(line)
            except ValueError:
                bad("not json", i)
                continue
            for k in ("id", "time", "account", "request"):
                if k not in r:
                    bad(f"missing {k}", i)
            if r.get("id") in ids:
                bad("duplicate id", i)
            ids.add(r.get("id"))
            t = r.get("time", "")
            if not TIME.match(t):
                bad("time format", i)
            if t < last:
                bad("time not sorted", i)
            last = t
            accounts[r.get("account")] += 1
            c = r.get("client") or {}
            if not (isinstance(c.get("ip"), str) and isinstance(c.get("user_agent"), str)
                    and isinstance(c.get("asn"), int) and isinstance(c.get("country"), str)):
                bad("client fields", i)
            m = r.get("account_meta") or {}
            if not (CREATED.match(m.get("created", "")) and "payment_fingerprint" in m
                    and isinstance(m.get("email_domain"), str) and isinstance(m.get("tier"), str)):
                bad("account_meta fields", i)
            req = r.get("request") or {}
            if "messages" in req:
                for msg in req["messages"]:
                    roles[msg.get("role")] += 1
                    if msg.get("role") not in ROLES:
                        bad("unknown role", i)
                    if msg.get("role") == "tool" and "tool_call_id" not in msg:
                        bad("tool message without tool_call_id", i)
            elif "prompt" not in req:
                bad("request without messages or prompt", i)
            resp = r.get("response") or {}
            ch = resp.get("choices")
            if not isinstance(resp.get("status"), int) or not isinstance(ch, list) or not ch:
                bad("response fields", i)
            else:
                for c0 in ch:
                    if not isinstance(c0.get("text"), str) or c0.get("finish_reason") not in ("stop", "length", "tool_calls"):
                        bad("choice fields", i)
            u = resp.get("usage") or {}
            if not (isinstance(u.get("prompt_tokens"), int) and isinstance(u.get("completion_tokens"), int)):
                bad("usage fields", i)
            endpoints[r.get("endpoint")] += 1
            models[r.get("model")] += 1
    labels = {}
    with open(f"{d}/labels.jsonl", encoding="utf-8") as f:
        for line in f:
            x = json.loads(line)
            if x["account"] in labels:
                bad("duplicate label", 0)
            labels[x["account"]] = x
            if x["label"] not in ("campaign", "legit"):
                bad("label value", 0)
            if x["label"] == "campaign" and not x.get("campaign_id"):
                bad("campaign without id", 0)
            if accounts.get(x["account"], 0) != x.get("exchanges"):
                bad("label exchange count", 0)
    if set(labels) != set(accounts):
        bad("accounts without labels or labels without accounts", 0)
    lab = Counter(x["label"] for x in labels.values())
    print(f"{n} exchanges, {len(accounts)} accounts ({lab['campaign']} campaign, {lab['legit']} legit), "
          f"time {first_time(d)} .. {last}")
    print("endpoints:", dict(endpoints))
    print("models:", dict(models))
    print("roles:", dict(roles))
    if errors:
        for k, v in errors.items():
            print(f"ERROR {k}: {v} (first at line {first[k]})")
        return 1
    print("contract OK")
    return 0


def first_time(d):
    with open(f"{d}/exchanges.jsonl", encoding="utf-8") as f:
        return json.loads(f.readline())["time"]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: check.py DIR", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))

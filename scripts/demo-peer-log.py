#!/usr/bin/env python3
"""Writes a second provider's exchange log for the demo's sharing part.

Provider B never saw provider A's traffic: its accounts have other names and
other prompts. Two of them are the same actor as A's hydra campaign (one of
its proxy addresses, one of its cards); three are ordinary customers.

Usage: demo-peer-log.py OUT.jsonl
"""
import json
import sys
from datetime import datetime, timedelta, timezone

start = datetime.now(timezone.utc) - timedelta(minutes=30)
accounts = {
    "b_acct_1001": {"ip": "203.0.113.7", "card": "pf_card_71c2", "mail": "quickmail.example"},
    "b_acct_1002": {"ip": "203.0.113.9", "card": "pf_card_e09a", "mail": "quickmail.example"},
    "b_acct_2001": {"ip": "192.0.2.44", "card": "pf_b_3391", "mail": "post.example"},
    "b_acct_2002": {"ip": "198.18.0.12", "card": "pf_b_7720", "mail": "mail.example"},
    "b_acct_2003": {"ip": "198.18.4.90", "card": "pf_b_1208", "mail": "mail.example"},
}
questions = ["Which houseplants tolerate low light?", "How do I descale a kettle?",
             "Suggest a warm-up for a 5 km run.", "What is a good gift for a new neighbour?"]
with open(sys.argv[1], "w") as out:
    for minute in range(12):
        for n, (account, facts) in enumerate(accounts.items()):
            if account.startswith("b_acct_2") and minute % 4:
                continue
            time = start + timedelta(minutes=minute, seconds=n)
            content = (f"Task {minute * 7 + n}: sort the list {[minute, n, 3]} and explain every step of your reasoning."
                       if account.startswith("b_acct_1") else questions[(minute + n) % len(questions)])
            out.write(json.dumps({
                "id": f"ex_b_{minute}_{n}", "time": time.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "account": account,
                "client": {"ip": facts["ip"], "user_agent": "python-requests/2.32.3" if account.startswith("b_acct_1") else "Mozilla/5.0"},
                "account_meta": {"payment_fingerprint": facts["card"], "email_domain": facts["mail"]},
                "model": "smollm2", "endpoint": "chat.completions",
                "request": {"model": "smollm2", "messages": [{"role": "user", "content": content}], "max_tokens": 96},
            }) + "\n")

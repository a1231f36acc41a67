#!/usr/bin/env python3
"""Prints the answers one account received, from an exported exchange log (demo helper).

Usage: demo-answers.py LOG.jsonl ACCOUNT
"""
import json
import sys

log, account = sys.argv[1], sys.argv[2]
for line in open(log):
    exchange = json.loads(line)
    if exchange.get("account") == account:
        for choice in (exchange.get("response") or {}).get("choices", []):
            if choice.get("text"):
                print(choice["text"])

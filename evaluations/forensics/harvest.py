#!/usr/bin/env python3
"""Harvest: drives prompts through two `aegis serve --model` gateways, one watermarked
(KGW default, 8-bit payload per account) and one unwatermarked, for a time budget.

Usage: harvest.py PROMPTS.jsonl KEYS.json CLEAN_KEYS.json MARKED_URL CLEAN_URL SECONDS OUT_DIR
KEYS.json (CLEAN_KEYS.json: the unwatermarked gateway's) maps account -> API key. Accounts named harvest_* form the campaign: their
answers are the watermarked training data. The others (user_*) are ordinary accounts
served the same way, whose answers are not used: attribution must not name them.
Writes OUT_DIR/harvest.jsonl and OUT_DIR/clean.jsonl ({"id","account","prompt","answer"}),
appending, so a rerun continues.
"""
import json
import sys
import threading
import time
import urllib.error
import urllib.request

prompts_path, keys_path, clean_keys_path, marked_url, clean_url, seconds, out = sys.argv[1:8]
deadline = time.time() + float(seconds)
prompts = [json.loads(line) for line in open(prompts_path)]
keys = json.load(open(keys_path))
clean_keys = json.load(open(clean_keys_path))
harvesters = sorted(a for a in keys if a.startswith("harvest_"))
ordinary = sorted(a for a in keys if not a.startswith("harvest_"))
lock = threading.Lock()


def done(path):
    try:
        return {json.loads(line)["id"] for line in open(path)}
    except FileNotFoundError:
        return set()


def ask(url, key, prompt):
    body = json.dumps({"model": "smollm2", "messages": [{"role": "user", "content": prompt}],
                       "max_tokens": 200}).encode()
    request = urllib.request.Request(url + "/v1/chat/completions", data=body, method="POST",
                                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    for attempt in range(5):
        try:
            with urllib.request.urlopen(request, timeout=600) as response:
                return json.loads(response.read())["choices"][0]["message"]["content"]
        except (urllib.error.URLError, TimeoutError, ConnectionError, KeyError) as error:
            time.sleep(2 ** attempt)
    return None


def worker(kind, url, path, accounts, queue, table):
    while time.time() < deadline:
        with lock:
            if not queue:
                return
            index, item = queue.pop(0)
        account = accounts[index % len(accounts)]
        answer = ask(url, table[account], item["prompt"])
        if answer is None:
            continue
        with lock, open(path, "a") as f:
            f.write(json.dumps({"id": item["id"], "account": account, "prompt": item["prompt"], "answer": answer}) + "\n")


threads = []
for kind, url, table in [("harvest", marked_url, keys), ("clean", clean_url, clean_keys)]:
    path = f"{out}/{kind}.jsonl"
    have = done(path)
    queue = [(i, p) for i, p in enumerate(prompts) if p["id"] not in have]
    for _ in range(2):
        t = threading.Thread(target=worker, args=(kind, url, path, harvesters, queue, table))
        t.start()
        threads.append(t)
# The ordinary accounts are served too (a few prompts each), so the log holds accounts that did not harvest.
others = f"{out}/ordinary.jsonl"
if not done(others):
    for i, account in enumerate(ordinary):
        answer = ask(marked_url, keys[account], prompts[-1 - i]["prompt"])
        with open(others, "a") as f:
            f.write(json.dumps({"id": f"o{i}", "account": account, "answer": answer}) + "\n")
for t in threads:
    t.join()
for kind in ["harvest", "clean"]:
    rows = [json.loads(line) for line in open(f"{out}/{kind}.jsonl")]
    print(f"{kind}: {len(rows)} answers, {sum(len(r['answer'].split()) for r in rows)} words", file=sys.stderr)

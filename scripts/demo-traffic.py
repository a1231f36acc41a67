#!/usr/bin/env python3
"""Drives legitimate and campaign traffic through a running `aegis serve` (demo).

Standard library only. Every population is written by the Aegis team for the
demo (no third-party text). The gateway runs with --trust-forwarded-for, so
this script plays the part of the provider's load balancer and says which
address each client came from.

  ordinary users   8 accounts, distinct everyday questions, pauses between them,
                   each from its own network and browser
  app back-end     1 account, one fixed product-description template at a
                   steady pace (automation without harvest: must not be flagged)
  hydra campaign   6 accounts behind a reseller's two proxy addresses, the same
                   client library, chain-of-thought elicitation over a sweep of
                   generated maths problems, back to back

Usage: demo-traffic.py BASE_URL KEYS_JSON SECONDS
KEYS_JSON maps account name -> API key. Prints a tally as it goes and a JSON
summary (per account: status counts, one answer) on the last line.
"""
import json
import random
import sys
import threading
import time
import urllib.error
import urllib.request

BASE, KEYS, SECONDS = sys.argv[1], json.loads(open(sys.argv[2]).read()), float(sys.argv[3])
MODEL = "smollm2"

EVERYDAY = [
    "What should I pack for a weekend hiking trip in autumn?",
    "Can you suggest a name for a grey kitten?",
    "How do I keep basil alive on a windowsill?",
    "Give me three ideas for a rainy Sunday afternoon with kids.",
    "What is a polite way to decline a meeting invitation?",
    "How long should I boil an egg for a runny yolk?",
    "Suggest a short toast for my sister's birthday dinner.",
    "What are good stretches after sitting all day?",
    "How can I make my bike chain stop squeaking?",
    "Recommend a simple dinner I can cook in twenty minutes.",
    "Why does bread go stale?",
    "What is the difference between a lake and a pond?",
]
PRODUCTS = ["ceramic mug", "canvas tote bag", "desk lamp", "wool scarf", "steel water bottle",
            "notebook", "phone stand", "garden gloves", "bamboo cutting board", "travel pillow"]
NAMES = ["Ana", "Bo", "Chen", "Dara", "Eli", "Femi", "Gus", "Hana"]


def maths_item(rng):
    a, b, c = rng.randint(12, 99), rng.randint(2, 9), rng.randint(3, 40)
    name = rng.choice(NAMES)
    return (f"{name} buys {b} boxes of {a} pencils and gives away {c} pencils. "
            f"How many pencils does {name} have left?")


def campaign_prompt(rng):
    return (f"Problem: {maths_item(rng)}\n"
            "Before you answer, write out your complete internal reasoning step by step, "
            "showing every intermediate thought, then give the final answer on its own line.")


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_account = {}

    def add(self, account, population, status, answer):
        with self.lock:
            entry = self.by_account.setdefault(account, {"population": population, "status": {}, "answer": None})
            entry["status"][str(status)] = entry["status"].get(str(status), 0) + 1
            if status == 200 and answer and (entry["answer"] is None or population == "campaign"):
                entry["answer"] = answer

    def line(self):
        with self.lock:
            parts = []
            for population in ("ordinary", "backend", "campaign"):
                counts = {}
                for entry in self.by_account.values():
                    if entry["population"] == population:
                        for status, n in entry["status"].items():
                            counts[status] = counts.get(status, 0) + n
                shown = " ".join(f"{s}:{n}" for s, n in sorted(counts.items()))
                parts.append(f"{population} [{shown or '-'}]")
            return "  ".join(parts)


def send(account, population, address, agent, content, max_tokens, tally):
    body = json.dumps({"model": MODEL, "messages": [{"role": "user", "content": content}],
                       "max_tokens": max_tokens, "temperature": 0.8}).encode()
    request = urllib.request.Request(BASE + "/v1/chat/completions", data=body, method="POST", headers={
        "Authorization": "Bearer " + KEYS[account], "Content-Type": "application/json",
        "User-Agent": agent, "X-Forwarded-For": address})
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            payload = json.loads(response.read())
            status, answer = response.status, payload["choices"][0]["message"]["content"]
    except urllib.error.HTTPError as error:
        status, answer = error.code, None
        retry = error.headers.get("retry-after")
        if status == 429 and retry:
            time.sleep(min(float(retry), 5))
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        status, answer = 0, None
    tally.add(account, population, status, answer)
    return status


def ordinary(account, index, deadline, tally):
    rng = random.Random(index)
    address = f"198.51.{100 + index}.{rng.randint(2, 250)}"
    agent = [f"Mozilla/5.0 (X11; Linux x86_64) Firefox/{120 + index}.0", f"Mozilla/5.0 (Macintosh) Safari/605.1.{index}",
             f"Mozilla/5.0 (Windows NT 10.0) Chrome/{125 + index}.0"][index % 3]
    questions = EVERYDAY[:]
    rng.shuffle(questions)
    for question in questions:
        if time.time() > deadline:
            return
        send(account, "ordinary", address, agent, question, 48, tally)
        time.sleep(rng.uniform(8, 20))


def backend(account, deadline, tally):
    rng = random.Random(99)
    while time.time() < deadline:
        item = rng.choice(PRODUCTS)
        send(account, "backend", "192.0.2.10", "shop-backend/2.4", f"Write a one-sentence product description for a {item}.",
             32, tally)
        time.sleep(3)


def campaign(account, index, deadline, tally):
    rng = random.Random(1000 + index)
    address = f"203.0.113.{7 + 2 * (index % 2)}"
    while time.time() < deadline:
        status = send(account, "campaign", address, "python-requests/2.32.3", campaign_prompt(rng), 96, tally)
        if status == 403:
            time.sleep(2)  # blocked: a real campaign would rotate to fresh accounts


def main():
    tally = Tally()
    deadline = time.time() + SECONDS
    threads = []
    for index, account in enumerate(a for a in KEYS if a.startswith("user_")):
        threads.append(threading.Thread(target=ordinary, args=(account, index, deadline, tally)))
    for account in (a for a in KEYS if a.startswith("app_")):
        threads.append(threading.Thread(target=backend, args=(account, deadline, tally)))
    for index, account in enumerate(a for a in KEYS if a.startswith("hydra_")):
        threads.append(threading.Thread(target=campaign, args=(account, index, deadline, tally)))
    for thread in threads:
        thread.daemon = True
        thread.start()
    started = time.time()
    while any(t.is_alive() for t in threads):
        time.sleep(10)
        print(f"   t+{int(time.time() - started):3d}s  {tally.line()}", flush=True)
    print(json.dumps(tally.by_account), flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Draft selection at the gateway, measured against a real upstream (docs/watermark.md).

Not part of `make test`. Starts llama.cpp's server (llama-cpp-python[server] in
.venv-llama, scripts/setup-llamacpp) on the SmolLM2 GGUF, then for each
configuration (K candidates, whole answers or S-token segments) starts
`aegis serve --upstream … --select-candidates K [--select-segment S]`, asks the
held-out prompts through it as one account, and measures:
  * detection power: `aegis detect --account` (the exact KGW test for the
    account's payload, the way a provider would test a leaked answer) at
    p < 1e-3 and p < 1e-6, on the answers as served and after 10% and 30% of
    their words are replaced by words drawn from the other answers;
  * the upstream's cost: tokens it generated per answer served, the answer's
    latency and, streamed, its time to first token;
  * quality: the perplexity of the served answers under the model itself
    (`aegis score`), K = 1 being the unselected answers.
Stdlib only. Prompts: AlpacaEval instructions 443.. (read from ../shared/data at
run time; earlier watermark work tuned on 403-442).

Usage: evaluations/selection/evaluate.py [--prompts 20] [--max-tokens 128]
         [--configs 1:0,2:0,4:0,8:0,2:16,4:16,8:16,8:8] [--out evaluations/out/selection]
"""
import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODEL = os.path.join(ROOT, "models", "SmolLM2-135M-Instruct.Q4_1.gguf")
MODEL_ID = "smollm2-135m"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except Exception:
            time.sleep(0.2)
    sys.exit(f"evaluate: {what} did not start at {url}")


def post(url, body, key, timeout=600):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def first_token_seconds(url, body, key):
    """Time to the first content event of a streamed answer, and the whole answer's time."""
    body = dict(body, stream=True)
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
    start = time.time()
    first = None
    with urllib.request.urlopen(request, timeout=600) as response:
        for raw in response:
            line = raw.decode().strip()
            if first is None and line.startswith("data: {") and '"content":"' in line and '"content":""' not in line:
                first = time.time() - start
    return first, time.time() - start


def prompts(data, count):
    with open(os.path.join(data, "prompts", "alpaca_eval_gpt4_1106_preview_outputs.json")) as f:
        items = json.load(f)
    return [item["instruction"] for item in items[443:443 + count]]


def substitute(text, share, pool, rng):
    words = text.split(" ")
    for i in range(len(words)):
        if words[i] and rng.random() < share:
            words[i] = rng.choice(pool)
    return " ".join(words)


def detect(aegis, key, texts, account, work, name):
    path = os.path.join(work, f"{name}.jsonl")
    with open(path, "w") as f:
        for i, text in enumerate(texts):
            f.write(json.dumps({"id": str(i), "text": text}) + "\n")
    out = subprocess.run([aegis, "detect", "--model", MODEL, "--scheme", "kgw", "--key", key, "--account", account,
                          "--input", path], capture_output=True, text=True, check=True).stdout
    return [json.loads(line).get("p_value", 1.0) for line in out.splitlines() if line.strip()]


def perplexity(aegis, text, work):
    path = os.path.join(work, "score.txt")
    with open(path, "w") as f:
        f.write(text)
    out = subprocess.run([aegis, "score", "--model", MODEL, "--text-file", path, "--top-k", "0"],
                         capture_output=True, text=True, check=True).stdout
    logprobs = [json.loads(line)["logprob"] for line in out.splitlines() if line.strip()]
    return float("nan") if not logprobs else pow(2.718281828459045, -sum(logprobs) / len(logprobs))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--prompts", type=int, default=20)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--temperature", type=float, default=1.0)
    parser.add_argument("--configs", default="1:0,2:0,4:0,8:0,2:16,4:16,8:16,8:8")
    parser.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    parser.add_argument("--aegis", default=os.path.join(ROOT, ".build", "release", "aegis"))
    parser.add_argument("--out", default=os.path.join(ROOT, "evaluations", "out", "selection"))
    parser.add_argument("--ttft", type=int, default=3, help="streamed answers per configuration timed for TTFT")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    asked = prompts(args.data, args.prompts)
    llama_python = os.path.join(ROOT, ".venv-llama", "bin", "python")
    if not os.path.exists(llama_python):
        sys.exit("evaluate: .venv-llama is missing; run scripts/setup-llamacpp")
    procs = []
    try:
        llama_port = free_port()
        procs.append(subprocess.Popen([llama_python, os.path.join(ROOT, "pytests", "gateway", "llama_server.py"),
                                       "--model", MODEL, "--model_alias", MODEL_ID, "--host", "127.0.0.1",
                                       "--port", str(llama_port), "--n_ctx", "2048"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_http(f"http://127.0.0.1:{llama_port}/v1/models", 120, "llama.cpp's server")
        key = subprocess.run([args.aegis, "keys", "new"], capture_output=True, text=True, check=True).stdout.strip()
        results = []
        all_answers = {}
        for config in args.configs.split(","):
            k, segment = (int(x) for x in config.split(":"))
            db = os.path.join(args.out, f"k{k}-s{segment}.db")
            for suffix in ("", "-wal", "-shm", ".secret"):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
            port = free_port()
            command = [args.aegis, "serve", "--db", db, "--upstream", f"http://127.0.0.1:{llama_port}/v1",
                       "--port", str(port), "--watermark", "kgw", "--watermark-key", key,
                       "--select-candidates", str(k), "--tokenizer", MODEL, "--account-tpm", "100000000"]
            if segment:
                command += ["--select-segment", str(segment)]
            procs.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=open(db + ".log", "w")))
            wait_http(f"http://127.0.0.1:{port}/healthz", 60, "aegis serve")
            secret = subprocess.run([args.aegis, "keys", "create", "--db", db, "--account", "acct_eval",
                                     "--tpm", "100000000"], capture_output=True, text=True, check=True).stdout.split()[0]
            url = f"http://127.0.0.1:{port}/v1/chat/completions"
            texts, seconds = [], []
            for prompt in asked:
                body = {"model": MODEL_ID, "max_tokens": args.max_tokens, "temperature": args.temperature,
                        "messages": [{"role": "user", "content": prompt}]}
                start = time.time()
                answer = post(url, body, secret)
                seconds.append(time.time() - start)
                texts.append(answer["choices"][0]["message"]["content"])
            ttft = [first_token_seconds(url, {"model": MODEL_ID, "max_tokens": args.max_tokens,
                                              "temperature": args.temperature,
                                              "messages": [{"role": "user", "content": p}]}, secret)[0]
                    for p in asked[:args.ttft]]
            procs[-1].terminate()
            procs[-1].wait()
            # What the upstream generated: the sum of candidates' tokens charged per answer (the log's usage is the client's).
            exported = subprocess.run([args.aegis, "events", "export", "--db", db], capture_output=True, text=True,
                                      check=True).stdout.splitlines()
            marks = [json.loads(line).get("watermark", {}) for line in exported]
            all_answers[config] = texts
            results.append({"k": k, "segment": segment, "texts": texts, "seconds": seconds, "ttft": ttft,
                            "marked": sum(1 for m in marks if m.get("marked")), "logged": len(marks),
                            "upstream_tokens": statistics.median(m.get("upstream_tokens", 0) for m in marks)})
            print(f"k={k} segment={segment or 'whole'}: {len(texts)} answers, median {statistics.median(seconds):.1f} s",
                  flush=True)
        pool = [w for texts in all_answers.values() for t in texts for w in t.split() if w.isalpha()]
        rng = random.Random(7)
        rows = []
        for result in results:
            row = {"k": result["k"], "segment": result["segment"], "answers": len(result["texts"]),
                   "median_seconds": statistics.median(result["seconds"]),
                   "median_ttft": statistics.median([t for t in result["ttft"] if t is not None] or [float("nan")]),
                   "marked_logged": f"{result['marked']}/{result['logged']}",
                   "median_words": statistics.median(len(t.split()) for t in result["texts"]),
                   "median_upstream_tokens": result["upstream_tokens"]}
            for share in (0.0, 0.1, 0.3):
                attacked = [substitute(t, share, pool, rng) if share else t for t in result["texts"]]
                p = detect(args.aegis, key, attacked, "acct_eval", args.out, f"k{result['k']}-s{result['segment']}-{share}")
                row[f"p_median_{share}"] = statistics.median(p)
                row[f"power_1e-3_{share}"] = sum(x < 1e-3 for x in p) / len(p)
                row[f"power_1e-6_{share}"] = sum(x < 1e-6 for x in p) / len(p)
            ppl = [perplexity(args.aegis, t, args.out) for t in result["texts"] if t.strip()]
            row["median_perplexity"] = statistics.median(ppl)
            rows.append(row)
        with open(os.path.join(args.out, f"results-{args.configs.replace(':', '_').replace(',', '-')}.json"), "w") as f:
            json.dump({"rows": rows, "answers": {c: t for c, t in all_answers.items()}}, f, indent=1)
        print("| K | segment | answers | p<1e-3 | p<1e-6 | p<1e-3 after 10% | after 30% | p<1e-6 after 10% | median p | "
              "perplexity | upstream tokens per answer | s per answer | TTFT s (streamed) |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            print(f"| {r['k']} | {r['segment'] or 'whole'} | {r['answers']} | {r['power_1e-3_0.0']:.2f} | "
                  f"{r['power_1e-6_0.0']:.2f} | {r['power_1e-3_0.1']:.2f} | {r['power_1e-3_0.3']:.2f} | "
                  f"{r['power_1e-6_0.1']:.2f} | {r['p_median_0.0']:.1e} | {r['median_perplexity']:.2f} | {r['median_upstream_tokens']:.0f} | "
                  f"{r['median_seconds']:.1f} | {r['median_ttft']:.1f} |")
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except Exception:
                proc.kill()


if __name__ == "__main__":
    main()

"""Reads real published prompts and benchmark items from ../shared/data at generation time.

Nothing read here is written into the repository; it only flows into the generated
traffic files (which live outside the repo, or under an ignored folder). When a file is
missing the generator says so by name and falls back to items from content.py.
"""

import gzip
import json
import os
import sys


def default_data_dir() -> str:
    env = os.environ.get("AEGIS_SHARED_DATA")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    for cand in (os.path.join(root, "..", "shared", "data"), os.path.join(root, "shared", "data"),
                 "/work/shared/data"):
        if os.path.isdir(cand):
            return os.path.normpath(cand)
    return os.path.normpath(os.path.join(root, "..", "shared", "data"))


def _jsonl(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


class Data:
    """Lists of strings by source name; empty lists where a file is missing."""

    def __init__(self, root: str):
        self.root = root
        self.missing = []
        self.gsm8k_train = self._load("tasks/gsm8k_train.jsonl", lambda r: [x["question"] for x in _jsonl(r)])
        self.gsm8k_test = self._load("tasks/gsm8k_test.jsonl", lambda r: [x["question"] for x in _jsonl(r)])
        # (question, short reference answer) pairs used as few-shot exemplars by eval harnesses.
        self.gsm8k_shots = self._load("tasks/gsm8k_train.jsonl",
                                      lambda r: [(x["question"], x["answer"]) for x in _jsonl(r)[:64]])
        self.math500 = self._load("tasks/math500_test.jsonl",
                                  lambda r: [(x["problem"], int(x.get("level", 3) or 3)) for x in _jsonl(r)])
        self.mbpp = self._load("tasks/mbpp.jsonl",
                               lambda r: [x["text"] + ("\n" + x["test_list"][0] if x.get("test_list") else "")
                                          for x in _jsonl(r)])
        self.humaneval = self._load("tasks/HumanEval.jsonl.gz", self._humaneval)
        self.bbh = self._load("tasks/bbh", self._bbh)
        self.alpaca = self._load("prompts/alpaca_eval_gpt4_1106_preview_outputs.json",
                                 lambda r: [x["instruction"] for x in json.load(open(r, encoding="utf-8"))])
        self.selfinstruct = self._load("prompts/selfinstruct_user_oriented_instructions.jsonl", self._selfinstruct)
        self.seed_tasks = self._load("prompts/selfinstruct_seed_tasks.jsonl", self._selfinstruct)
        self.mtbench = self._load("prompts/mt_bench_question.jsonl", lambda r: [x["turns"] for x in _jsonl(r)])
        self.vicuna = self._load("prompts/vicuna_bench_question.jsonl", lambda r: [x["turns"] for x in _jsonl(r)])
        self.wizard = self._load("prompts/wizardlm_testset.jsonl", lambda r: [x["Instruction"] for x in _jsonl(r)])
        self.corpus = self._load("corpus/gutenberg_en_20mb.txt", self._corpus)
        if self.missing:
            print("redteam: shared data missing, using generated items instead: " + ", ".join(self.missing),
                  file=sys.stderr)
        self.bbh_flat = [x for task in sorted(self.bbh) for x in self.bbh[task]] if self.bbh else []
        self.chat_pool = (self.alpaca + self.selfinstruct + self.seed_tasks + self.wizard
                          + [t[0] for t in self.mtbench + self.vicuna])

    def _load(self, rel, fn):
        path = os.path.join(self.root, rel)
        if not os.path.exists(path):
            self.missing.append(rel)
            return {} if rel == "tasks/bbh" else []
        try:
            return fn(path)
        except (OSError, ValueError, KeyError) as e:
            self.missing.append(f"{rel} ({e})")
            return {} if rel == "tasks/bbh" else []

    @staticmethod
    def _humaneval(path):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return [json.loads(l)["prompt"] for l in f if l.strip()]

    @staticmethod
    def _bbh(path):
        out = {}
        for name in sorted(os.listdir(path)):
            if name.endswith(".json"):
                with open(os.path.join(path, name), encoding="utf-8") as f:
                    out[name[:-5]] = [e["input"] for e in json.load(f)["examples"]]
        return out

    @staticmethod
    def _selfinstruct(path):
        out = []
        for x in _jsonl(path):
            inst = x.get("instances") or [{}]
            inp = (inst[0].get("input") or "").strip()
            out.append(x["instruction"] + ("\n\n" + inp if inp else ""))
        return out

    @staticmethod
    def _corpus(path):
        # Only a 2 MB window of the books is needed for summarisation inputs.
        with open(path, encoding="utf-8", errors="replace") as f:
            f.seek(1_000_000)
            text = f.read(2_000_000)
        paras = [p.strip().replace("\n", " ") for p in text.split("\n\n")]
        return [p for p in paras if 300 <= len(p) <= 1500]

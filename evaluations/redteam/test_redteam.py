#!/usr/bin/env python3
"""Tests of the red-team generator and scorer (stdlib unittest):

    python3 -m unittest discover -s evaluations/redteam -p 'test_*.py'
"""

import hashlib
import io
import json
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stdout, redirect_stderr

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import generate  # noqa: E402
import check  # noqa: E402
import score  # noqa: E402


def gen(out, *args):
    with redirect_stderr(io.StringIO()):
        return generate.main(["--out", out] + list(args))


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class GeneratorTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.a = os.path.join(cls.tmp.name, "a")
        assert gen(cls.a, "--seed", "5", "--exchanges", "4000") == 0

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_exact_count_and_contract(self):
        with open(os.path.join(self.a, "exchanges.jsonl")) as f:
            self.assertEqual(sum(1 for _ in f), 4000)
        with redirect_stdout(io.StringIO()):
            self.assertEqual(check.main(self.a), 0)

    def test_deterministic_per_seed(self):
        b = os.path.join(self.tmp.name, "b")
        gen(b, "--seed", "5", "--exchanges", "4000")
        for name in ("exchanges.jsonl", "labels.jsonl", "stream_labels.jsonl"):
            self.assertEqual(digest(os.path.join(self.a, name)), digest(os.path.join(b, name)))
        c = os.path.join(self.tmp.name, "c")
        gen(c, "--seed", "6", "--exchanges", "4000")
        self.assertNotEqual(digest(os.path.join(self.a, "exchanges.jsonl")), digest(os.path.join(c, "exchanges.jsonl")))

    def test_every_style_and_population_present(self):
        styles, pops = set(), set()
        with open(os.path.join(self.a, "labels.jsonl")) as f:
            for line in f:
                r = json.loads(line)
                (styles if r["label"] == "campaign" else pops).add(r["style"] if r["label"] == "campaign" else r["population"])
        self.assertEqual(styles, set(generate.CAMPAIGN_SHARES))
        self.assertEqual(pops, set(generate.LEGIT_SHARES))

    def test_mixed_accounts_name_their_streams(self):
        with open(os.path.join(self.a, "labels.jsonl")) as f:
            mixed = [json.loads(l) for l in f if '"mixed"' in l]
        self.assertTrue(mixed)
        users = {s["user"] for m in mixed for s in m["streams"]}
        seen = set()
        with open(os.path.join(self.a, "stream_labels.jsonl")) as f:
            for line in f:
                r = json.loads(line)
                if r["stream"] == "campaign":
                    seen.add(r["user"])
        self.assertEqual(users, seen)

    def test_styles_filter(self):
        d = os.path.join(self.tmp.name, "f")
        gen(d, "--seed", "1", "--exchanges", "2000", "--styles", "hydra,tutoring")
        with open(os.path.join(d, "labels.jsonl")) as f:
            kinds = {(json.loads(l)["style"] or json.loads(l)["population"]) for l in f}
        self.assertEqual(kinds, {"hydra", "tutoring"})

    def test_holdout_variant_differs(self):
        d = os.path.join(self.tmp.name, "h")
        gen(d, "--seed", "5", "--exchanges", "4000", "--variant", "holdout")
        with redirect_stdout(io.StringIO()):
            self.assertEqual(check.main(d), 0)
        self.assertNotEqual(digest(os.path.join(self.a, "exchanges.jsonl")), digest(os.path.join(d, "exchanges.jsonl")))


class ScoreTests(unittest.TestCase):
    def test_ari(self):
        self.assertAlmostEqual(score.ari([1, 1, 2, 2], ["a", "a", "b", "b"]), 1.0)
        self.assertAlmostEqual(score.ari([1, 1, 2, 2], ["a", "b", "a", "b"]), -0.5)
        self.assertAlmostEqual(score.ari([1, 1, 1], ["x", "x", "x"]), 1.0)

    def test_perfect_and_empty_verdicts(self):
        labels = {"a1": {"account": "a1", "label": "campaign", "style": "hydra", "population": "campaign", "campaign_id": "c1"},
                  "a2": {"account": "a2", "label": "campaign", "style": "hydra", "population": "campaign", "campaign_id": "c1"},
                  "l1": {"account": "l1", "label": "legit", "style": None, "population": "chat", "campaign_id": None},
                  "r1": {"account": "r1", "label": "campaign", "style": "reseller_mixing", "population": "router",
                         "campaign_id": "c2", "mixed": True,
                         "streams": [{"user": "eu_1", "system_sha256": "ab" * 32, "label": "campaign", "campaign_id": "c2"}]}}
        v = {"a1": {"flagged": True, "campaign": "x", "score": 0.9}, "a2": {"flagged": True, "campaign": "x", "score": 0.8},
             "l1": {"flagged": False, "score": 0.1},
             "r1": {"flagged": True, "campaign": "y", "score": 0.7, "streams": [{"stream": "user:eu_1", "flagged": True},
                                                                                {"stream": "user:eu_9", "flagged": True}]}}
        res = score.score(labels, {}, v)
        self.assertEqual(res["overall"]["recall"], 1.0)
        self.assertEqual(res["overall"]["fpr"], 0.0)
        self.assertEqual(res["styles"]["hydra"]["ari"], 1.0)
        self.assertEqual(res["streams"]["stream_recall"], 1.0)
        self.assertEqual(res["streams"]["false_stream_flags"], 1)
        res = score.score(labels, {}, {})
        self.assertEqual(res["overall"]["recall"], 0.0)
        self.assertEqual(res["missing_accounts"], 4)


if __name__ == "__main__":
    unittest.main()

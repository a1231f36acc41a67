"""The Swift target's vectors (written by Tests/WatermarkTests/CrossLanguageVectorTests.swift) hold here.

Every value below is compared for equality: 64-bit PRF outputs, green lists, r-values
(float64 bit for bit), g-values, payload shifts and the sampler's chosen tokens.
"""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

from aegis_watermark import SamplingSettings, SwiftUniforms, WatermarkConfig, WatermarkKey, WatermarkPRF, WatermarkSampler
from aegis_watermark.config import green_threshold_for
from aegis_watermark.payload import account_payload
from aegis_watermark.prf import derived_key, unit_interval
from aegis_watermark.siphash import SipHash

VECTORS = json.loads((pathlib.Path(__file__).parent / "vectors" / "watermark-vectors.json").read_text())


def key(hex_digits: str) -> WatermarkKey:
    return WatermarkKey.from_hex(hex_digits)


def test_the_file_has_every_section() -> None:
    for section in ("hkdf", "siphash", "prf", "green_thresholds", "green_lists", "gumbel", "synthid",
                    "payload_shifts", "account_payloads", "choices"):
        assert VECTORS[section], f"section {section} is empty"


def test_hkdf_role_keys() -> None:
    for case in VECTORS["hkdf"]:
        assert derived_key(key(case["key"]), case["scheme"], case["role"]).hex() == case["derived"]


def test_siphash_tags() -> None:
    for case in VECTORS["siphash"]:
        assert SipHash.from_bytes(bytes.fromhex(case["key"])).hash(bytes.fromhex(case["message"])) == int(case["tag"])


def test_prf_seeds_anchors_and_values() -> None:
    for case in VECTORS["prf"]:
        prf = WatermarkPRF(key(case["key"]), case["scheme"])
        assert prf.seed(case["window"]) == int(case["seed"])
        assert prf.minimum_anchor(case["window"]) == int(case["minimum_anchor"])
        for anchor in case["anchors"]:
            assert prf.anchor(anchor["token"]) == int(anchor["anchor"])
        tokens = np.array([v["token"] for v in case["values"]])
        for value in case["values"]:
            assert prf.value(int(value["seed"]), value["token"], value["layer"], value["shift"]) == int(value["value"])
            vector = prf.values(int(value["seed"]), np.array([value["token"]]), value["layer"], value["shift"])
            assert int(vector[0]) == int(value["value"])
        assert prf.anchors(np.array([a["token"] for a in case["anchors"]])).tolist() == [int(a["anchor"]) for a in case["anchors"]]
        del tokens


def test_green_thresholds() -> None:
    for case in VECTORS["green_thresholds"]:
        assert green_threshold_for(case["gamma"]) == int(case["threshold"])


def test_green_lists() -> None:
    for case in VECTORS["green_lists"]:
        config = WatermarkConfig("kgw", key(case["key"]), gamma=case["gamma"], context_width=case["context_width"],
                                 seeding=case["seeding"], payload_bits=case["payload_bits"], payload=case["payload"])
        green = WatermarkSampler(config).green_list(case["context"], case["vocabulary_size"])
        assert green.tolist() == case["green"], f"green list differs for {case['seeding']} γ={case['gamma']} context {case['context']}"


def test_gumbel_r_values() -> None:
    for case in VECTORS["gumbel"]:
        config = WatermarkConfig("gumbel", key(case["key"]), payload_bits=case["payload_bits"], payload=case["payload"])
        sampler = WatermarkSampler(config)
        seed = sampler.prf.seed(sampler.window(case["context"]))
        values = sampler.prf.values(seed, np.array(case["tokens"]), 0, sampler.shift)
        assert [str(v) for v in values.tolist()] == case["values"]
        assert sampler.gumbel_r_values(case["context"], np.array(case["tokens"])).tolist() == case["r"]
        assert [unit_interval(int(v)) for v in case["values"]] == case["r"]


def test_synthid_g_values() -> None:
    for case in VECTORS["synthid"]:
        config = WatermarkConfig("synthid", key(case["key"]), layers=case["layers"], payload_bits=case["payload_bits"],
                                 payload=case["payload"])
        g = WatermarkSampler(config).synthid_g_values(case["context"], np.array(case["tokens"]))
        assert ["".join(str(bit) for bit in row) for row in g.tolist()] == case["g"]


def test_payload_shifts_and_account_payloads() -> None:
    any_key = key("00" * 32)
    for case in VECTORS["payload_shifts"]:
        # Out-of-range widths are clamped by the Swift configuration as here.
        assert WatermarkConfig("kgw", any_key, payload_bits=case["bits"], payload=case["payload"]).payload_shift == case["shift"]
    for case in VECTORS["account_payloads"]:
        assert account_payload(case["account"], case["bits"]) == case["payload"]


def _logits(hex_text: str) -> np.ndarray:
    return np.frombuffer(bytes.fromhex(hex_text), dtype="<f4").astype(np.float32)


@pytest.mark.parametrize("case", VECTORS["choices"], ids=lambda case: case["name"])
def test_chosen_tokens(case: dict) -> None:
    config = WatermarkConfig(case["scheme"], key(case["key"]), gamma=case["gamma"], delta=case["delta"],
                             context_width=case["context_width"], seeding=case["seeding"], layers=case["layers"],
                             top_k=case["synthid_top_k"], payload_bits=case["payload_bits"], payload=case["payload"],
                             truncates_biased_distribution=case["truncates_biased_distribution"])
    settings = SamplingSettings(case["temperature"], case["top_k"], case["top_p"], case["min_p"])
    words = [int(w) for w in case["words"]]
    uniforms = SwiftUniforms(words or [0])
    sampler, logits = WatermarkSampler(config), _logits(case["logits"])
    tokens = [sampler.choose(logits, case["context"], settings, uniforms) for _ in case["tokens"]]
    assert tokens == case["tokens"]
    assert uniforms.used == len(words), "the Python step consumed a different number of uniform draws"

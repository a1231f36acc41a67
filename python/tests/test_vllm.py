"""The vLLM adapter against vLLM's own V1 interface classes (vllm 0.33.0's Python code; no engine).

vLLM's CPU engine is not on PyPI, so no model runs here: the test drives the processor as
vLLM's persistent batch does (BatchUpdate with added/removed/moved requests, the live
output-token lists, SamplingParams.extra_args) and checks each row against the sampler step.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from vllm import SamplingParams
from vllm.v1.sample.logits_processor import BatchUpdate, LogitsProcessor, MoveDirectionality

from aegis_watermark import WatermarkConfig, WatermarkKey, WatermarkSampler
from aegis_watermark.engine import context_tail
from aegis_watermark.vllm_processor import AegisWatermarkLogitsProcessor, request_settings

HEX = "0123456789abcdef" * 4


@pytest.fixture()
def processor(tmp_path, monkeypatch) -> AegisWatermarkLogitsProcessor:
    key = tmp_path / "watermark.key"
    key.write_text(HEX + "\n")
    monkeypatch.setenv("AEGIS_WATERMARK_KEY_FILE", str(key))
    monkeypatch.setenv("AEGIS_WATERMARK_SCHEME", "kgw")
    AegisWatermarkLogitsProcessor._config = None
    return AegisWatermarkLogitsProcessor(None, torch.device("cpu"), False)


def expected_row_choice(row: torch.Tensor, params: SamplingParams, prompt: list[int], output: list[int], payload: int,
                        seed: int, draws: int) -> int:
    """The sampler's choice for the `draws`-th step of a request (its generator seeded with `seed`)."""
    sampler = WatermarkSampler(WatermarkConfig("kgw", WatermarkKey.from_hex(HEX), payload_bits=8, payload=payload))
    rng = np.random.default_rng(seed)
    for _ in range(draws - 1):
        rng.random()
    return sampler.choose(row.numpy(), context_tail(prompt, output, 4), request_settings(params), rng.random)


def test_it_is_a_vllm_v1_logits_processor(processor) -> None:
    assert isinstance(processor, LogitsProcessor)
    assert processor.is_argmax_invariant() is False


def test_rows_follow_the_batch_and_the_payload(processor) -> None:
    a = SamplingParams(temperature=0.8, top_p=0.95, min_p=0.05, seed=11, extra_args={"aegis_payload": 92})
    b = SamplingParams(temperature=1.0, top_k=50, seed=12)  # no payload: 0
    prompt_a, prompt_b = [5, 17, 300, 42], [9, 8]
    out_a, out_b = [], [77]
    processor.update_state(BatchUpdate(batch_size=2, removed=[], added=[(0, a, prompt_a, out_a), (1, b, prompt_b, out_b)], moved=[]))
    torch.manual_seed(0)
    logits = torch.randn(3, 2048) * 3  # row 2 belongs to no request: untouched
    original = logits.clone()
    result = processor.apply(logits)
    assert torch.equal(result[2], original[2])
    for row, (params, prompt, out, payload, seed) in enumerate([(a, prompt_a, out_a, 92, 11), (b, prompt_b, out_b, 0, 12)]):
        assert torch.isfinite(result[row]).sum() == 1
        assert int(result[row].argmax()) == expected_row_choice(original[row], params, prompt, out, payload, seed, 1)
    # vLLM appends to the live lists; the next step's context follows them.
    out_a.append(int(result[0].argmax()))
    out_b.append(int(result[1].argmax()))
    # Swap the two requests, then remove b.
    processor.update_state(BatchUpdate(batch_size=2, removed=[], added=[], moved=[(0, 1, MoveDirectionality.SWAP)]))
    logits = torch.randn(2, 2048) * 3
    original = logits.clone()
    result = processor.apply(logits)
    assert int(result[1].argmax()) == expected_row_choice(original[1], a, prompt_a, out_a, 92, 11, 2)
    assert int(result[0].argmax()) == expected_row_choice(original[0], b, prompt_b, out_b, 0, 12, 2)
    processor.update_state(BatchUpdate(batch_size=1, removed=[0], added=[], moved=[(1, 0, MoveDirectionality.UNIDIRECTIONAL)]))
    assert list(processor.requests) == [0]


def test_invalid_payload_is_refused_at_admission(processor) -> None:
    for bad in (-1, 256, "abc", 2.5):
        with pytest.raises(ValueError, match="aegis payload"):
            AegisWatermarkLogitsProcessor.validate_params(SamplingParams(extra_args={"aegis_payload": bad}))
    AegisWatermarkLogitsProcessor.validate_params(SamplingParams(extra_args={"aegis_payload": "92"}))
    AegisWatermarkLogitsProcessor.validate_params(SamplingParams())


def test_loadable_by_fully_qualified_name(processor) -> None:
    from vllm.v1.sample.logits_processor import _load_logitsprocs_by_fqcns

    classes = _load_logitsprocs_by_fqcns(["aegis_watermark.vllm_processor:AegisWatermarkLogitsProcessor"])
    assert classes == [AegisWatermarkLogitsProcessor]

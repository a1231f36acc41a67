"""The transformers processor inside `generate`, on a tiny randomly initialised Llama (no downloads).

What it shows: every token `generate` emits through the processor is the token the
sampler step (held to Swift by the vectors) chooses from that step's logits, for the
three schemes, with greedy and with sampling after the processor; KGW's classic bias
mode adds exactly δ to the green logits; and the marked text is measurably green.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformers import LlamaConfig, LlamaForCausalLM, LogitsProcessorList

from aegis_watermark import SamplingSettings, WatermarkConfig, WatermarkKey, WatermarkSampler
from aegis_watermark.hf import AegisWatermarkLogitsProcessor

KEY = WatermarkKey.from_hex("8f3a5c2e9b71d04f6a2c8e1b5d937f0a4c6e2b8d1f5a9c3e7b0d4f2a6c8e1b53")


def tiny_model(vocabulary: int) -> LlamaForCausalLM:
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=vocabulary, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=512,
                         bos_token_id=0, eos_token_id=1, pad_token_id=1)
    model = LlamaForCausalLM(config)
    # Random weights give nearly uniform logits; scale the head so steps have a realistic spread.
    with torch.no_grad():
        model.lm_head.weight.mul_(60)
    return model.eval()


def replay(model: LlamaForCausalLM, prompt: torch.Tensor, generated: list[int], config: WatermarkConfig,
           settings: SamplingSettings, seed: int) -> list[int]:
    """The tokens the sampler step chooses, step by step, from the model's own logits."""
    sampler, rng = WatermarkSampler(config), np.random.default_rng(seed)
    ids = prompt[0].tolist()
    chosen = []
    with torch.inference_mode():
        for _ in generated:
            logits = model(torch.tensor([ids])).logits[0, -1].to(torch.float32).numpy()
            token = sampler.choose(logits, ids[-config.context_width:], settings, rng.random)
            chosen.append(token)
            ids.append(token)
    return chosen


@pytest.mark.parametrize("scheme", ["kgw", "gumbel", "synthid"])
@pytest.mark.parametrize("sample_after", [False, True])
def test_generate_emits_the_sampler_choice(scheme: str, sample_after: bool) -> None:
    model = tiny_model(512)
    config = WatermarkConfig(scheme, KEY, payload_bits=8, payload=92)
    settings = SamplingSettings(temperature=0.9, top_p=0.95, min_p=0.02)
    prompt = torch.tensor([[5, 17, 300, 42, 7]])
    processor = AegisWatermarkLogitsProcessor(config, settings, seed=3)
    options = {"do_sample": True, "temperature": 0.7, "top_p": 0.5} if sample_after else {"do_sample": False}
    with torch.inference_mode():
        output = model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=24, min_new_tokens=24,
                                logits_processor=LogitsProcessorList([processor]), pad_token_id=1, **options)
    generated = output[0, prompt.shape[1]:].tolist()
    assert len(generated) == 24
    assert generated == replay(model, prompt, generated, config, settings, seed=3)


def test_rows_leave_one_finite_logit() -> None:
    config = WatermarkConfig("gumbel", KEY)
    processor = AegisWatermarkLogitsProcessor(config, SamplingSettings())
    scores = torch.randn(3, 49152) * 4
    ids = torch.tensor([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [1, 1, 1, 1, 1]])
    out = processor(ids, scores.clone())
    assert torch.isfinite(out).sum(dim=1).tolist() == [1, 1, 1]
    sampler = WatermarkSampler(config)
    for row in range(3):
        expected = sampler.choose(scores[row].numpy(), ids[row].tolist(), SamplingSettings(), lambda: 0.5)
        assert int(out[row].argmax()) == expected


def test_bias_mode_adds_delta_to_exactly_the_green_list() -> None:
    config = WatermarkConfig("kgw", KEY)
    processor = AegisWatermarkLogitsProcessor(config, mode="bias")
    scores = torch.randn(1, 49152)
    context = torch.tensor([[11, 12, 13, 14, 15]])
    out = processor(context, scores.clone())
    green = WatermarkSampler(config).green_list([11, 12, 13, 14, 15], 49152)
    difference = (out - scores)[0]
    assert torch.allclose(difference[green], torch.full((green.shape[0],), 3.0))
    mask = torch.ones(49152, dtype=torch.bool)
    mask[green] = False
    assert torch.all(difference[mask] == 0)
    assert abs(green.shape[0] / 49152 - 0.25) < 0.01


def test_marked_generation_is_green() -> None:
    """200 tokens through KGW on SmolLM2's vocabulary size: the green share is far above γ."""
    model = tiny_model(49152)
    config = WatermarkConfig("kgw", KEY)
    prompt = torch.tensor([[100, 200, 300, 400, 500]])
    processor = AegisWatermarkLogitsProcessor(config, SamplingSettings(temperature=1.0, top_p=1.0), seed=1)
    with torch.inference_mode():
        output = model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=200, min_new_tokens=200,
                                do_sample=False, logits_processor=LogitsProcessorList([processor]), pad_token_id=1)
    tokens = output[0].tolist()
    sampler = WatermarkSampler(config)
    greens = sum(bool(sampler.green(tokens[i - 4:i], np.array([tokens[i]]))[0]) for i in range(5, len(tokens)))
    # Unmarked: Binomial(200, 0.25), mean 50, sd 6.1; marked text sits many sd above.
    assert greens > 100, f"{greens} green of 200"

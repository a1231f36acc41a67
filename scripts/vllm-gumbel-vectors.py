#!/usr/bin/env python3
"""Writes the vllm-gumbel test vectors by running vLLM's own watermark code on CPU.

vLLM is not installed (its native parts do not build here) and its source is never
committed to Aegis. Its watermark module is pure Python over torch, so this script
imports it from a directory holding vLLM's files (`--vllm-src`, see docs/watermark.md
for which files at which blob commits, and the two stubs that stand in for vLLM's
config/logging and GPU sampler imports). It records inputs and vLLM's outputs:

- `uniform_map`: vLLM's `uint32_to_uniform` on edge words;
- `prf`: raw Philox words (`PhiloxPRF.uint32`) and uniforms (`PhiloxPRF.uniform`) for
  keys, context widths, contexts (−1 padding included) and token ids;
- `sampling`: float32 logits, vLLM's per-token Gumbel noise and the token chosen by
  `GumbelWatermarker.sample` on CPU (argmax of logits + −log(−log u));
- `detection`: token sequences with `GumbelWatermarkDetector.detect` results (scored
  contexts and targets, per-token scores, the statistic and the p-value), with and
  without context deduplication.

Usage: python scripts/vllm-gumbel-vectors.py --vllm-src DIR --out FILE.json
"""

import argparse
import json
import sys


def main() -> None:
    """Parses the arguments, runs vLLM's code, writes the JSON file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vllm-src", required=True, help="directory containing vllm/v1/watermarking/…")
    parser.add_argument("--out", required=True, help="the JSON file to write")
    args = parser.parse_args()
    sys.path.insert(0, args.vllm_src)

    import torch
    from vllm.v1.watermarking.gumbel import GumbelWatermarkDetector, GumbelWatermarker
    from vllm.v1.watermarking.prfs.base import uint32_to_uniform
    from vllm.v1.watermarking.prfs.philox import PhiloxPRF

    keys = [0, 42, 123456789, 15726070495360670683, 2**64 - 1]
    out: dict = {"torch": torch.__version__}

    edge_words = [0, 1, 255, 256, 511, 2**31 - 1, 2**31, 2**32 - 257, 2**32 - 256, 2**32 - 1, 0x12345678, 0xDEADBEEF]
    uniforms = uint32_to_uniform(torch.tensor(edge_words, dtype=torch.int64))
    out["uniform_map"] = [{"word": w, "uniform": float(u)} for w, u in zip(edge_words, uniforms.tolist())]

    generator = torch.Generator().manual_seed(20261129)
    token_ids = list(range(0, 24)) + [255, 1000, 49151, 49152, 151935, 248319, 2**31 - 1]
    prf_cases = []
    for key in keys:
        prf = PhiloxPRF(key)
        for width in [1, 2, 4, 5, 16, 17]:
            contexts = [[-1] * width,
                        [-1] * (width - 1) + [7],
                        torch.randint(0, 151936, (width,), generator=generator).tolist(),
                        [2**31 - 1] * width]
            tensor = torch.tensor(contexts, dtype=torch.int64)
            tokens = torch.tensor(token_ids, dtype=torch.int64)
            words = prf.uint32(tensor, tokens)
            uniform = prf.uniform(tensor, tokens)
            for row, context in enumerate(contexts):
                prf_cases.append({"key": str(key), "context_width": width, "context": context,
                                  "tokens": token_ids, "words": words[row].tolist(),
                                  "uniforms": uniform[row].tolist()})
    out["prf"] = prf_cases

    vocabulary = 259  # not a multiple of four: the last Philox group is partial
    sampling = []
    for key in keys[:2]:
        for width in [1, 4, 5]:
            prf = PhiloxPRF(key)
            watermarker = GumbelWatermarker(key, width)
            for case in range(2):
                context = torch.randint(0, vocabulary, (1, width), generator=generator)
                if case == 1:
                    context[0, : width // 2 + 1] = -1
                scale = 1.0 if case == 0 else 4.0
                logits = (torch.randn((1, vocabulary), generator=generator) * scale).to(torch.float32)
                logits[0, torch.randint(0, vocabulary, (40,), generator=generator)] = float("-inf")  # as top-k/top-p mask
                uniform = prf.uniform(context, torch.arange(vocabulary)).clamp_min(torch.finfo(torch.float32).tiny)
                noise = -torch.log(-torch.log(uniform))
                chosen = watermarker.sample(logits, context, None).token_ids
                sampling.append({"key": str(key), "context_width": width, "context": context[0].tolist(),
                                 "logits": [repr(float(x)) for x in logits[0].tolist()],
                                 "words": prf.uint32(context, torch.arange(vocabulary))[0].tolist(),
                                 "noise": [repr(float(x)) for x in noise[0].tolist()],
                                 "chosen": int(chosen[0])})
    out["sampling"] = sampling

    detection = []
    sequences = []
    for key, width in [(42, 4), (15726070495360670683, 1), (123456789, 5)]:
        watermarker = GumbelWatermarker(key, width)
        tokens: list[int] = []
        for _ in range(160):
            prefix = ([-1] * width + tokens)[-width:]
            logits = torch.randn((1, 2000), generator=generator) * 1.5
            tokens.append(int(watermarker.sample(logits, torch.tensor([prefix]), None).token_ids[0]))
        sequences.append(("vllm_watermarked", key, width, tokens))
        sequences.append(("uniform_random", key, width, torch.randint(0, 2000, (160,), generator=generator).tolist()))
    sequences.append(("repeats", 42, 2, [5, 6, 5, 6, 5, 6, 7, 5, 6, 7, 8, 1, 1, 1, 1, 2, 1, 3]))
    sequences.append(("vllm_test_1", 42, 1, [1, 1, 1, 1, 1]))
    sequences.append(("vllm_test_2", 42, 1, [1, 2, 1, 3]))
    for name, key, width, tokens in sequences:
        for deduplicate in [True, False]:
            detector = GumbelWatermarkDetector(key=key, context_width=width, deduplicate_contexts=deduplicate)
            contexts, targets = detector._prepare_inputs(tokens)
            scores = detector._score_tokens(contexts, targets)
            result = detector.detect(tokens)
            detection.append({"name": name, "key": str(key), "context_width": width,
                              "deduplicate_contexts": deduplicate, "tokens": tokens,
                              "scored_contexts": contexts.tolist(), "scored_targets": targets.tolist(),
                              "token_scores": scores.tolist(), "score": result.score,
                              "p_value": result.p_value, "num_scored_tokens": result.num_scored_tokens})
    out["detection"] = detection

    with open(args.out, "w") as handle:
        json.dump(out, handle, separators=(",", ":"))
        handle.write("\n")


if __name__ == "__main__":
    main()

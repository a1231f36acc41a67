"""`python -m aegis_watermark generate|bench`: watermarked generation from a GGUF through transformers.

generate: one JSON object a line, {"prompt", "text", "new_tokens", "seconds"}, for each
prompt of a JSONL file ({"prompt": …} a line), generated through the processor.
bench: the same prompts generated with and without the processor in one run, alternating,
each answer exactly --max-new-tokens long (stop tokens suppressed) so the times compare;
prints the median seconds per answer of each and their ratio as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Optional

from .config import WatermarkConfig, parse_payload, parse_scheme
from .errors import WatermarkConfigError
from .keys import WatermarkKey
from .sampler import SamplingSettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options `generate` and `bench` share."""
    parser.add_argument("--gguf", required=True, help="the model, a GGUF file (transformers dequantises it)")
    parser.add_argument("--key-file", help="file holding the 64-hex-digit key (`aegis keys new`); default $AEGIS_WATERMARK_KEY_FILE")
    parser.add_argument("--scheme", required=True, help="kgw | gumbel | synthid")
    parser.add_argument("--payload", help="the account's payload N (embedded in --payload-bits bits)")
    parser.add_argument("--payload-bits", type=int, help="payload width b (default 8 with --payload, else 0)")
    parser.add_argument("--prompts", required=True, help="JSONL file, one {\"prompt\": …} a line")
    parser.add_argument("--max-new-tokens", type=int, default=200)
    parser.add_argument("--temperature", type=float, default=1.0)
    parser.add_argument("--top-k", type=int, default=0)
    parser.add_argument("--top-p", type=float, default=0.95)
    parser.add_argument("--min-p", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=0, help="seed of the processor's uniform draws (and torch's)")
    parser.add_argument("--raw", action="store_true", help="feed the prompt as is, without the chat template")
    parser.add_argument("--limit", type=int, help="use only the first N prompts")
    parser.add_argument("--threads", type=int, help="torch CPU threads")


def build_config(args: argparse.Namespace) -> WatermarkConfig:
    """The configuration from the command line; invalid input is a one-line WatermarkConfigError."""
    scheme = parse_scheme(args.scheme)
    key = WatermarkKey.from_file(args.key_file) if args.key_file else WatermarkKey.from_environment()
    bits = args.payload_bits if args.payload_bits is not None else (8 if args.payload is not None else 0)
    if not 0 <= bits <= 32:
        raise WatermarkConfigError(f"--payload-bits must be between 0 and 32 (got {bits})")
    payload = parse_payload(args.payload, bits) if args.payload is not None else 0
    return WatermarkConfig(scheme=scheme, key=key, payload_bits=bits, payload=payload).validate()


def read_prompts(path: str, limit: Optional[int]) -> list[str]:
    """The "prompt" field of each JSONL line (blank lines skipped)."""
    prompts = []
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise WatermarkConfigError(f"{path}:{number}: not JSON ({error.msg})") from None
                if not isinstance(record, dict) or not isinstance(record.get("prompt"), str):
                    raise WatermarkConfigError(f"{path}:{number}: expected an object with a string \"prompt\"")
                prompts.append(record["prompt"])
    except FileNotFoundError:
        raise WatermarkConfigError(f"the prompts file {path} does not exist") from None
    return prompts[:limit] if limit else prompts


class Generator:
    """A GGUF model and tokenizer loaded through transformers, and one generation call."""

    def __init__(self, gguf: str, threads: Optional[int]) -> None:
        if not os.path.isfile(gguf):
            raise WatermarkConfigError(f"the model file {gguf} does not exist (scripts/fetch-model installs SmolLM2)")
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        if threads:
            torch.set_num_threads(threads)
        folder, name = os.path.split(os.path.abspath(gguf))
        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
        self.model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
        self.model.eval()

    def encode(self, prompt: str, raw: bool) -> "object":
        """Token ids of the prompt, through the chat template unless `raw`."""
        if not raw and getattr(self.tokenizer, "chat_template", None):
            text = self.tokenizer.apply_chat_template([{"role": "user", "content": prompt}], tokenize=False,
                                                      add_generation_prompt=True)
        else:
            text = prompt
        return self.tokenizer(text, return_tensors="pt", add_special_tokens=False).input_ids

    def run(self, ids: "object", max_new_tokens: int, processor: "object | None", settings: SamplingSettings,
            exact_length: bool) -> tuple[list[int], float]:
        """(new token ids, seconds): through the processor (greedy over its one-hot rows) or plain sampling."""
        from transformers import LogitsProcessorList

        options: dict = {"max_new_tokens": max_new_tokens, "pad_token_id": self.tokenizer.eos_token_id}
        if exact_length:
            options["min_new_tokens"] = max_new_tokens
        if processor is not None:
            options.update(do_sample=False, logits_processor=LogitsProcessorList([processor]))
        else:
            options.update(do_sample=True, temperature=settings.temperature, top_k=settings.top_k or None,
                           top_p=settings.top_p, min_p=settings.min_p or None)
        start = time.perf_counter()
        with self.torch.inference_mode():
            output = self.model.generate(ids, attention_mask=self.torch.ones_like(ids), **options)
        seconds = time.perf_counter() - start
        return output[0, ids.shape[1]:].tolist(), seconds


def generate(args: argparse.Namespace) -> int:
    """The `generate` command."""
    from .hf import AegisWatermarkLogitsProcessor

    config = build_config(args)
    settings = SamplingSettings(args.temperature, args.top_k, args.top_p, args.min_p)
    prompts = read_prompts(args.prompts, args.limit)
    generator = Generator(args.gguf, args.threads)
    generator.torch.manual_seed(args.seed)
    out = open(args.out, "w", encoding="utf-8") if args.out != "-" else sys.stdout
    try:
        for index, prompt in enumerate(prompts):
            processor = AegisWatermarkLogitsProcessor(config, settings, seed=args.seed + index)
            tokens, seconds = generator.run(generator.encode(prompt, args.raw), args.max_new_tokens, processor, settings,
                                            exact_length=False)
            text = generator.tokenizer.decode(tokens, skip_special_tokens=True)
            out.write(json.dumps({"prompt": prompt, "text": text, "new_tokens": len(tokens), "seconds": round(seconds, 3)},
                                 ensure_ascii=False) + "\n")
            out.flush()
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def bench(args: argparse.Namespace) -> int:
    """The `bench` command: plain and watermarked generation of the same prompts, alternating."""
    from .hf import AegisWatermarkLogitsProcessor

    config = build_config(args)
    settings = SamplingSettings(args.temperature, args.top_k, args.top_p, args.min_p)
    prompts = read_prompts(args.prompts, args.limit)
    generator = Generator(args.gguf, args.threads)
    generator.torch.manual_seed(args.seed)
    plain, marked = [], []
    # One warm-up answer each, not timed (first-call allocation and thread start).
    ids = generator.encode(prompts[0], args.raw)
    generator.run(ids, 8, None, settings, exact_length=True)
    generator.run(ids, 8, AegisWatermarkLogitsProcessor(config, settings, seed=0), settings, exact_length=True)
    for repeat in range(args.repeats):
        for index, prompt in enumerate(prompts):
            ids = generator.encode(prompt, args.raw)
            order = [False, True] if (index + repeat) % 2 == 0 else [True, False]
            for watermarked in order:
                processor = AegisWatermarkLogitsProcessor(config, settings, seed=index) if watermarked else None
                _, seconds = generator.run(ids, args.max_new_tokens, processor, settings, exact_length=True)
                (marked if watermarked else plain).append(seconds)
    report = {
        "scheme": config.scheme, "answers_each": len(plain), "new_tokens_per_answer": args.max_new_tokens,
        "settings": {"temperature": args.temperature, "top_k": args.top_k, "top_p": args.top_p, "min_p": args.min_p},
        "median_seconds_plain": round(statistics.median(plain), 4),
        "median_seconds_watermarked": round(statistics.median(marked), 4),
        "ratio_of_medians": round(statistics.median(marked) / statistics.median(plain), 4),
        "median_of_pair_ratios": round(statistics.median(m / p for m, p in zip(marked, plain)), 4),
    }
    print(json.dumps(report))
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    """Entry point of `python -m aegis_watermark`."""
    parser = argparse.ArgumentParser(prog="python -m aegis_watermark", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    generate_parser = commands.add_parser("generate", help="generate watermarked answers from a GGUF model")
    add_arguments(generate_parser)
    generate_parser.add_argument("--out", required=True, help="output JSONL file (- for stdout)")
    bench_parser = commands.add_parser("bench", help="time generation with and without the processor")
    add_arguments(bench_parser)
    bench_parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args(argv)
    try:
        return generate(args) if args.command == "generate" else bench(args)
    except WatermarkConfigError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1

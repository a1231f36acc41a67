#!/usr/bin/env python3
"""Differential check of Aegis's tokenizer against Hugging Face `tokenizers`.

Builds a `tokenizers` BPE tokenizer from the same GGUF file's vocabulary and
merges, with the pre-tokenizer regexes llama.cpp uses for the named
pre-tokenizer (default: the file's, SmolLM2's 'smollm'), and compares its ids
with those TokenizerBenchmark wrote (pass it the same --pre):

    swift run -c release TokenizerBenchmark --megabytes 2 --dump-ids /tmp/aegis-ids.jsonl
    python3 -m venv /tmp/tokvenv && /tmp/tokvenv/bin/pip install tokenizers==0.22.2
    /tmp/tokvenv/bin/python Benchmarks/TokenizerBenchmark/differential.py \
        models/SmolLM2-135M-Instruct.Q4_1.gguf /tmp/aegis-ids.jsonl [--pre NAME]

Prints how many paragraphs agree, the first disagreements, and the peer's
encode time for the same paragraphs (process CPU time, one call per paragraph,
median of 3), to set beside TokenizerBenchmark's "paragraph by paragraph" line.
"""
import json
import struct
import sys
import time

from tokenizers import Tokenizer, AddedToken, Regex, models, pre_tokenizers, decoders

GPT2 = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"
LLAMA3 = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
          r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")


def split(pattern):
    return pre_tokenizers.Split(Regex(pattern), behavior="isolated")


# The regexes llama.cpp (llama-vocab.cpp) applies in turn for each pre-tokenizer.
PRE_TOKENIZERS = {
    "smollm": [pre_tokenizers.Digits(individual_digits=True), split(GPT2)],
    "gpt2": [split(GPT2)],
    "llama3": [split(LLAMA3)],
    "qwen2": [split(LLAMA3.replace(r"\p{N}{1,3}", r"\p{N}"))],
    "default": [split(r"[\p{P}\$\+<=>\^~\|]+"), split(GPT2), split(r"\p{N}+"), split(r"[0-9][0-9][0-9]")],
}


def gguf_metadata(path):
    scalar = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
    with open(path, "rb") as f:
        def read(fmt):
            return struct.unpack(fmt, f.read(struct.calcsize(fmt)))[0]

        def string():
            return f.read(read("<Q")).decode("utf-8", "replace")

        def value(kind):
            if kind == 8:
                return string()
            if kind == 9:
                inner, count = read("<I"), read("<Q")
                return [value(inner) for _ in range(count)]
            return read(scalar[kind])

        if f.read(4) != b"GGUF":
            sys.exit(f"{path} is not a GGUF file")
        read("<I"), read("<Q")
        return {string(): value(read("<I")) for _ in range(read("<Q"))}


def main():
    args = sys.argv[1:]
    pre = None
    if len(args) == 4 and args[2] == "--pre":
        pre = args[3]
        args = args[:2]
    if len(args) != 2:
        sys.exit(__doc__)
    meta = gguf_metadata(args[0])
    pre = pre or meta.get("tokenizer.ggml.pre")
    if pre not in PRE_TOKENIZERS:
        sys.exit(f"this check knows the pre-tokenizers {', '.join(PRE_TOKENIZERS)}, not {pre}")
    tokens, types = meta["tokenizer.ggml.tokens"], meta["tokenizer.ggml.token_type"]
    vocab = {text: i for i, text in enumerate(tokens)}
    merges = [tuple(rule.split(" ", 1)) for rule in meta["tokenizer.ggml.merges"]]
    peer = Tokenizer(models.BPE(vocab=vocab, merges=merges, ignore_merges=(pre == "llama3")))
    peer.pre_tokenizer = pre_tokenizers.Sequence(
        PRE_TOKENIZERS[pre] + [pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    peer.decoder = decoders.ByteLevel()
    peer.add_special_tokens([AddedToken(t, special=True, normalized=False)
                             for t, kind in zip(tokens, types) if kind == 3])

    rows = [json.loads(line) for line in open(args[1], encoding="utf-8")]
    times = []
    for _ in range(3):
        start = time.process_time()
        expected = [peer.encode(row["text"], add_special_tokens=False).ids for row in rows]
        times.append(time.process_time() - start)
    elapsed = sorted(times)[1]
    mismatches = [(row, ids) for row, ids in zip(rows, expected) if row["ids"] != ids]
    total_tokens = sum(len(ids) for ids in expected)
    print(f"{len(rows) - len(mismatches)} of {len(rows)} paragraphs agree "
          f"({total_tokens} tokens); peer encode, median of 3 (CPU time): {elapsed:.3f} s = {total_tokens / elapsed:.0f} tokens/s")
    for row, ids in mismatches[:5]:
        print("DIFFERS:", json.dumps(row["text"][:200]), "\n  aegis:", row["ids"][:40], "\n  peer: ", ids[:40])
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes a trained student (train.py's npz, HF Llama names) as a GGUF the built-in engine runs.

Usage: to_gguf.py STUDENT.npz CHECK.json REFERENCE.gguf OUT.gguf
The tokenizer (tokenizer.* metadata) is copied from REFERENCE (SmolLM2), so the student has its
vocabulary; weights are written as F32. Q and K are permuted from HF's half-split RoPE layout to
GGUF llama's interleaved one, as llama.cpp's converter does.
"""
import json
import struct
import sys

import numpy as np

student, check, reference, out = sys.argv[1:5]
weights = dict(np.load(student))
config = json.load(open(check))["config"]


def read_reference_tokenizer(path):
    """The raw bytes of every tokenizer.* key/value of a GGUF (v3), keyed by name."""
    data = open(path, "rb").read(64 << 20)
    offset = 4 + 4
    _tensors, count = struct.unpack_from("<QQ", data, offset)
    offset += 16
    sizes = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}

    def skip_value(kind, offset):
        if kind in sizes:
            return offset + sizes[kind]
        if kind == 8:
            (length,) = struct.unpack_from("<Q", data, offset)
            return offset + 8 + length
        if kind == 9:
            element, n = struct.unpack_from("<IQ", data, offset)
            offset += 12
            if element in sizes:
                return offset + n * sizes[element]
            for _ in range(n):
                offset = skip_value(element, offset)
            return offset
        raise ValueError(f"GGUF value type {kind}")

    entries = {}
    for _ in range(count):
        start = offset
        (length,) = struct.unpack_from("<Q", data, offset)
        key = data[offset + 8: offset + 8 + length].decode()
        offset += 8 + length
        (kind,) = struct.unpack_from("<I", data, offset)
        offset = skip_value(kind, offset + 4)
        if key.startswith("tokenizer."):
            entries[key] = data[start:offset]
    return entries


def string(text):
    raw = text.encode()
    return struct.pack("<Q", len(raw)) + raw


def kv(key, kind, payload):
    return string(key) + struct.pack("<I", kind) + payload


def permute(w, heads):
    return w.reshape(heads, 2, w.shape[0] // heads // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


heads, kv_heads = config["num_attention_heads"], config["num_key_value_heads"]
tensors = [("token_embd.weight", weights["model.embed_tokens.weight"])]
for i in range(config["num_hidden_layers"]):
    p = f"model.layers.{i}."
    tensors += [
        (f"blk.{i}.attn_norm.weight", weights[p + "input_layernorm.weight"]),
        (f"blk.{i}.attn_q.weight", permute(weights[p + "self_attn.q_proj.weight"], heads)),
        (f"blk.{i}.attn_k.weight", permute(weights[p + "self_attn.k_proj.weight"], kv_heads)),
        (f"blk.{i}.attn_v.weight", weights[p + "self_attn.v_proj.weight"]),
        (f"blk.{i}.attn_output.weight", weights[p + "self_attn.o_proj.weight"]),
        (f"blk.{i}.ffn_norm.weight", weights[p + "post_attention_layernorm.weight"]),
        (f"blk.{i}.ffn_gate.weight", weights[p + "mlp.gate_proj.weight"]),
        (f"blk.{i}.ffn_up.weight", weights[p + "mlp.up_proj.weight"]),
        (f"blk.{i}.ffn_down.weight", weights[p + "mlp.down_proj.weight"]),
    ]
tensors.append(("output_norm.weight", weights["model.norm.weight"]))
if not config.get("tie_word_embeddings", True):
    tensors.append(("output.weight", weights["lm_head.weight"]))

u32 = lambda v: struct.pack("<I", v)
f32 = lambda v: struct.pack("<f", v)
metadata = [
    kv("general.architecture", 8, string("llama")),
    kv("general.name", 8, string("forensics-student")),
    kv("general.alignment", 4, u32(32)),
    kv("llama.context_length", 4, u32(config["max_position_embeddings"])),
    kv("llama.embedding_length", 4, u32(config["hidden_size"])),
    kv("llama.block_count", 4, u32(config["num_hidden_layers"])),
    kv("llama.feed_forward_length", 4, u32(config["intermediate_size"])),
    kv("llama.attention.head_count", 4, u32(heads)),
    kv("llama.attention.head_count_kv", 4, u32(kv_heads)),
    kv("llama.attention.layer_norm_rms_epsilon", 6, f32(config["rms_norm_eps"])),
    kv("llama.rope.freq_base", 6, f32(config.get("rope_theta") or (config.get("rope_parameters") or {}).get("rope_theta", 10000.0))),
] + list(read_reference_tokenizer(reference).values())

header = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(metadata)) + b"".join(metadata)
infos, blobs, offset = b"", [], 0
for name, array in tensors:
    array = np.ascontiguousarray(array.astype(np.float32))
    dims = list(reversed(array.shape))  # GGUF lists the innermost (column) extent first
    infos += string(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
    infos += struct.pack("<IQ", 0, offset)  # type 0 = F32
    blob = array.tobytes()
    blob += b"\0" * (-len(blob) % 32)
    blobs.append(blob)
    offset += len(blob)
with open(out, "wb") as f:
    f.write(header + infos)
    f.write(b"\0" * (-(len(header) + len(infos)) % 32))
    for blob in blobs:
        f.write(blob)
print(f"{out}: {len(tensors)} tensors, {offset / 1e6:.1f} MB")

#!/usr/bin/env python3
"""Trains the forensics evaluation's students from scratch (run on the lent GPU; CPU works with --tiny).

Usage: train.py IDS_DIR OUT_DIR [--tiny]
IDS_DIR holds harvest.txt and clean.txt: one chat-rendered exchange per line as SmolLM2 token ids
(evaluations/ForensicsEvaluation writes them). Three students of one SmolLM2-shaped architecture
(Llama, SmolLM2's 49,152-token vocabulary, fewer and narrower layers, tied embeddings) are trained on
the same number of tokens, of which 100%, 10% and 0% come from the watermarked harvest (the rest
unwatermarked answers of the same model to the same prompts). Each student's weights go to
OUT_DIR/student-<mix>.npz (float16, HF names); OUT_DIR/check.json holds each student's top-1
predictions on a fixed sequence, to check the GGUF conversion.
"""
import json
import math
import sys
import time

import numpy as np
import torch
from transformers import LlamaConfig, LlamaForCausalLM

ids_dir, out_dir = sys.argv[1], sys.argv[2]
tiny = "--tiny" in sys.argv
device = "cuda" if torch.cuda.is_available() else "cpu"
torch.manual_seed(0)


def load(name):
    return [np.array(line.split(), dtype=np.int64) for line in open(f"{ids_dir}/{name}.txt") if line.strip()]


harvest, clean = load("harvest"), load("clean")
total = min(sum(map(len, harvest)), sum(map(len, clean)))


def take(sequences, tokens):
    chosen, count = [], 0
    for s in sequences:
        if count >= tokens:
            break
        chosen.append(s)
        count += len(s)
    return chosen


mixes = {"100": take(harvest, total), "10": take(harvest, total // 10) + take(clean[::-1], total - total // 10),
         "0": take(clean, total)}
config = LlamaConfig(vocab_size=49152, hidden_size=64 if tiny else 128, intermediate_size=128 if tiny else 384,
                     num_hidden_layers=1 if tiny else 4, num_attention_heads=2 if tiny else 4,
                     num_key_value_heads=2 if tiny else 4, max_position_embeddings=2048, rms_norm_eps=1e-5,
                     rope_theta=10000.0, tie_word_embeddings=True, bos_token_id=1, eos_token_id=2)
block, batch = 256, 32
epochs = 1 if tiny else int(sys.argv[sys.argv.index("--epochs") + 1]) if "--epochs" in sys.argv else 40
check_sequence = torch.tensor(clean[0][:64])
report = {"tokens_per_student": total, "config": config.to_dict(), "epochs": epochs, "students": {}}
for name, sequences in mixes.items():
    stream = np.concatenate(sequences)
    blocks = torch.tensor(stream[: len(stream) // block * block].reshape(-1, block))
    model = LlamaForCausalLM(config).to(device)
    steps = epochs * math.ceil(len(blocks) / batch)
    optimiser = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=3e-3, total_steps=steps, pct_start=0.05)
    start, step, loss = time.time(), 0, None
    model.train()
    for epoch in range(epochs):
        order = torch.randperm(len(blocks))
        for i in range(0, len(blocks), batch):
            x = blocks[order[i:i + batch]].to(device)
            with torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=device == "cuda"):
                loss = model(input_ids=x, labels=x).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad(set_to_none=True)
            step += 1
        print(f"student {name}% epoch {epoch + 1}/{epochs} loss {loss.item():.3f}", flush=True)
    model.eval()
    with torch.no_grad():
        logits = model(input_ids=check_sequence[None].to(device)).logits[0].float()
    # Tied embeddings: lm_head.weight is the embedding table again; leaving it out keeps each file under 16 MiB.
    weights = {k: v.detach().to(torch.float16).cpu().numpy() for k, v in model.state_dict().items()
               if not (k == "lm_head.weight" and config.tie_word_embeddings)}
    np.savez(f"{out_dir}/student-{name}.npz", **weights)
    report["students"][name] = {"harvest_fraction": int(name) / 100, "tokens": int(blocks.numel()),
                                "final_loss": loss.item(), "seconds": time.time() - start, "steps": step,
                                "check_top1": logits.argmax(-1).tolist()}
report["check_sequence"] = check_sequence.tolist()
json.dump(report, open(f"{out_dir}/check.json", "w"))
print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "check_top1"} for k, v in report["students"].items()}))

"""Draft selection at the gateway (`aegis serve --upstream … --select-candidates K`).

scripts/test-gateway starts a second `aegis serve` in front of the same llama.cpp
server with draft selection on (KGW, K = 8 candidates per 4-token segment) and
passes its address, database and watermark key:
  AEGIS_SELECT_BASE_URL, AEGIS_SELECT_DB, AEGIS_SELECT_WATERMARK_KEY, AEGIS_MODEL_PATH
The answers are real samples of SmolLM2; `aegis detect --account` must find the
account's payload in them, and the exchange log must say how they were marked.
"""
import json
import subprocess
import time

import openai

from conftest import env

PROMPT = "Write a short story about a lighthouse keeper who finds a letter in a bottle."


def selection_cli(*args):
    result = subprocess.run([env("AEGIS_BIN"), *args, "--db", env("AEGIS_SELECT_DB")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def detect(text, account):
    result = subprocess.run([env("AEGIS_BIN"), "detect", "--model", env("AEGIS_MODEL_PATH"), "--scheme", "kgw",
                             "--key", env("AEGIS_SELECT_WATERMARK_KEY"), "--account", account],
                            input=text, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def ask(account, **extra):
    secret = selection_cli("keys", "create", "--account", account).splitlines()[0].strip()
    client = openai.OpenAI(base_url=env("AEGIS_SELECT_BASE_URL"), api_key=secret, max_retries=0, timeout=300)
    return client.chat.completions.create(model=env("AEGIS_MODEL_ID"), max_tokens=128, temperature=1.0,
                                          messages=[{"role": "user", "content": PROMPT}], **extra)


def logged(account, timeout=5.0):
    deadline = time.time() + timeout
    while True:
        lines = [json.loads(line) for line in selection_cli("events", "export").splitlines() if line.strip()]
        found = [line for line in lines if line.get("account") == account]
        if found or time.time() > deadline:
            return found
        time.sleep(0.1)


def test_selected_answers_carry_the_accounts_payload():
    # Two answers tested together, as the forensic tests pool an account's answers: at these
    # settings one 96-token answer alone was detected at p < 1e-3 in 10 of 10 trials
    # (docs/watermark.md), but at 1e-6 in 7 of 10; two together leave a wide margin.
    texts = [ask("acct_select_1").choices[0].message.content for _ in range(2)]
    assert all(len(text.split()) > 20 for text in texts)
    verdict = detect("\n\n".join(texts), "acct_select_1")
    assert verdict["p_value"] < 1e-3, verdict
    other = detect("\n\n".join(texts), "acct_someone_else")
    assert other["p_value"] > verdict["p_value"]
    entry = logged("acct_select_1")[-1]
    assert entry["watermark"]["marked"] is True
    assert entry["watermark"]["method"] == "draft-selection"
    assert entry["watermark"]["candidates"] == 8 and entry["watermark"]["segment_tokens"] == 4


def test_selected_answers_stream_segment_by_segment():
    stream = ask("acct_select_2", stream=True)
    pieces = [chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices]
    assert sum(1 for piece in pieces if piece) > 4  # one event per chosen segment, not one at the end
    # The same selection as above: its p-value is only checked to lean towards the mark.
    verdict = detect("".join(pieces), "acct_select_2")
    assert verdict["p_value"] < 0.05, verdict


def test_the_plain_gateway_logs_its_answers_as_unmarked():
    from conftest import client, create_key, find_logged
    secret = create_key("acct_plain_mark")
    client(secret).chat.completions.create(model=env("AEGIS_MODEL_ID"), max_tokens=8, user="mark-check",
                                           messages=[{"role": "user", "content": "Say hi."}])
    entry = find_logged("mark-check")[-1]
    assert entry["watermark"] == {"marked": False, "method": "none"}

"""The gateway driven by the official `openai` client, in front of llama.cpp's server."""
import time
import uuid

import openai
import pytest

from conftest import aegis, client, create_key, find_logged


def test_models_list_names_the_served_model(secret, model_id):
    models = client(secret).models.list()
    assert model_id in [m.id for m in models.data]


def test_chat_completion_answers_and_is_logged(secret, account, model_id, marker):
    reply = client(secret).chat.completions.create(
        model=model_id, messages=[{"role": "user", "content": "Say hello in one word."}],
        max_tokens=8, temperature=0, user=marker)
    text = reply.choices[0].message.content
    assert isinstance(text, str) and text.strip()
    assert reply.usage.completion_tokens > 0 and reply.usage.prompt_tokens > 0
    [entry] = find_logged(marker)
    assert entry["account"] == account and entry["key_id"].startswith("key_")
    assert entry["endpoint"] == "chat.completions" and entry["model"] == model_id
    assert entry["response"]["status"] == 200
    assert entry["response"]["choices"][0]["text"] == text
    assert entry["response"]["usage"]["completion_tokens"] == reply.usage.completion_tokens
    assert entry["client"]["ip"] == "127.0.0.1" and entry["client"]["user_agent"].startswith("OpenAI/Python")
    assert entry["request"]["messages"][0]["content"] == "Say hello in one word."
    assert entry["id"].startswith("ex_") and entry["time"].endswith("Z")


def test_streaming_with_include_usage_ends_with_a_usage_chunk(secret, model_id, marker):
    stream = client(secret).chat.completions.create(
        model=model_id, messages=[{"role": "user", "content": "Count to five."}],
        max_tokens=12, temperature=0, stream=True, stream_options={"include_usage": True}, user=marker)
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.strip()
    usage_chunks = [c for c in chunks if c.usage is not None]
    assert len(usage_chunks) == 1 and usage_chunks[0] is chunks[-1] and chunks[-1].choices == []
    assert usage_chunks[0].usage.completion_tokens > 0
    [entry] = find_logged(marker)
    assert entry["response"]["status"] == 200
    assert entry["response"]["choices"][0]["text"] == text
    assert entry["response"]["usage"]["completion_tokens"] == usage_chunks[0].usage.completion_tokens


def test_streaming_without_include_usage_sends_no_usage(secret, model_id, marker):
    chunks = list(client(secret).chat.completions.create(
        model=model_id, messages=[{"role": "user", "content": "Name a colour."}],
        max_tokens=6, temperature=0, stream=True, user=marker))
    assert chunks and all(c.usage is None for c in chunks)
    [entry] = find_logged(marker)
    assert entry["response"]["usage"]["completion_tokens"] > 0  # the gateway still knows it


def test_legacy_completions(secret, model_id, marker):
    reply = client(secret).completions.create(model=model_id, prompt="The capital of France is",
                                              max_tokens=6, temperature=0, user=marker)
    assert reply.choices[0].text
    [entry] = find_logged(marker)
    assert entry["endpoint"] == "completions" and entry["response"]["choices"][0]["text"] == reply.choices[0].text


def test_bad_key_is_an_authentication_error(model_id, marker):
    with pytest.raises(openai.AuthenticationError) as caught:
        client("sk-aegis-" + "0" * 64).chat.completions.create(
            model=model_id, messages=[{"role": "user", "content": "hi"}], max_tokens=4, user=marker)
    assert caught.value.status_code == 401
    assert caught.value.body["code"] == "invalid_api_key"
    [entry] = find_logged(marker)
    assert entry["response"]["status"] == 401 and entry["account"] == ""


def test_revoked_key_is_an_authentication_error(model_id):
    secret = create_key("acct_revoked_" + uuid.uuid4().hex[:6])
    key_id = [line for line in aegis("keys", "list", "--json").splitlines() if '"acct_revoked_' in line][-1]
    key_id = key_id.split('"id":"')[1].split('"')[0]
    aegis("keys", "revoke", key_id)
    time.sleep(0.5)  # the server caches keys for --cache-seconds (0.2 in this suite)
    with pytest.raises(openai.AuthenticationError):
        client(secret).completions.create(model=model_id, prompt="x", max_tokens=1)
    with pytest.raises(openai.AuthenticationError):
        client(secret).models.list()


def test_over_the_request_limit_is_a_rate_limit_error_with_headers(model_id, marker):
    secret = create_key("acct_rl_" + uuid.uuid4().hex[:6], "--rpm", "2")
    c = client(secret)
    for _ in range(2):
        c.completions.create(model=model_id, prompt="Hi", max_tokens=1)
    with pytest.raises(openai.RateLimitError) as caught:
        c.completions.create(model=model_id, prompt="Hi", max_tokens=1, user=marker)
    error = caught.value
    headers = error.response.headers
    assert error.status_code == 429 and error.body["code"] == "rate_limit_exceeded"
    assert int(headers["retry-after"]) >= 1 and int(headers["retry-after-ms"]) > 0
    assert headers["x-ratelimit-limit-requests"] == "2"
    assert headers["x-ratelimit-remaining-requests"] == "0"
    assert headers["x-ratelimit-reset-requests"].endswith("s")
    assert "x-should-retry" not in headers
    [entry] = find_logged(marker)
    assert entry["response"]["status"] == 429


def test_a_request_bigger_than_the_token_budget_is_not_retried(model_id, marker):
    secret = create_key("acct_tpm_" + uuid.uuid4().hex[:6], "--tpm", "100")
    with pytest.raises(openai.RateLimitError) as caught:
        client(secret).completions.create(model=model_id, prompt="Hi", max_tokens=500, user=marker)
    headers = caught.value.response.headers
    assert headers["x-should-retry"] == "false"
    assert headers["x-ratelimit-limit-tokens"] == "100"
    assert "x-ratelimit-remaining-tokens" in headers and "x-ratelimit-reset-tokens" in headers
    assert caught.value.body["code"] == "insufficient_quota"


def test_blocked_account_is_permission_denied(model_id, marker):
    account = "acct_blocked_" + uuid.uuid4().hex[:6]
    secret = create_key(account)
    aegis("accounts", "block", account, "--reason", "distillation campaign")
    time.sleep(0.5)  # policy cache
    with pytest.raises(openai.PermissionDeniedError) as caught:
        client(secret).chat.completions.create(
            model=model_id, messages=[{"role": "user", "content": "hi"}], max_tokens=4, user=marker)
    assert "distillation campaign" in caught.value.message
    [entry] = find_logged(marker)
    assert entry["response"]["status"] == 403 and entry["account"] == account
    aegis("accounts", "unblock", account)
    time.sleep(0.5)
    reply = client(secret).completions.create(model=model_id, prompt="Hi", max_tokens=1)
    assert reply.choices


def test_unknown_model_is_not_found(secret):
    with pytest.raises(openai.NotFoundError) as caught:
        client(secret).chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "hi"}])
    assert caught.value.body["code"] == "model_not_found"


def test_bad_parameters_are_a_bad_request(secret, model_id):
    with pytest.raises(openai.BadRequestError) as caught:
        client(secret).chat.completions.create(model=model_id, messages=[{"role": "user", "content": "hi"}],
                                               max_tokens=-3)
    assert caught.value.body["param"] == "max_tokens"

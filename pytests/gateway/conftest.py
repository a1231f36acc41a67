"""Fixtures for the gateway client suite.

scripts/test-gateway starts llama.cpp's server and `aegis serve` in front of it,
then runs pytest with these environment variables:
  AEGIS_BIN       the aegis binary
  AEGIS_DB        the gateway's (fresh) database
  AEGIS_BASE_URL  http://127.0.0.1:PORT/v1
  AEGIS_MODEL_ID  the model id the gateway serves
  UPSTREAM_URL    the upstream's base URL (llama.cpp's server)
"""
import json
import os
import subprocess
import time
import uuid

import openai
import pytest


def env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set; run the suite through scripts/test-gateway")
    return value


def aegis(*args):
    """Runs the aegis CLI on the suite's database and returns its stdout."""
    result = subprocess.run([env("AEGIS_BIN"), *args, "--db", env("AEGIS_DB")],
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        pytest.fail(f"aegis {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def create_key(account, *limits):
    """Creates an API key with `aegis keys create` and returns its secret."""
    return aegis("keys", "create", "--account", account, *limits).splitlines()[0].strip()


def client(secret, **kwargs):
    return openai.OpenAI(base_url=env("AEGIS_BASE_URL"), api_key=secret, max_retries=0, timeout=120, **kwargs)


def exported_log():
    """The exchange log as exported by `aegis events export`, parsed."""
    return [json.loads(line) for line in aegis("events", "export").splitlines() if line.strip()]


def find_logged(marker, timeout=5.0):
    """The log entries whose request carries `user == marker`, waiting for the batch commit."""
    deadline = time.time() + timeout
    while True:
        found = [e for e in exported_log() if isinstance(e.get("request"), dict) and e["request"].get("user") == marker]
        if found or time.time() > deadline:
            return found
        time.sleep(0.1)


@pytest.fixture
def marker():
    """A unique value for the request's `user` field, to find the request in the log."""
    return "test-" + uuid.uuid4().hex


@pytest.fixture(scope="session")
def model_id():
    return env("AEGIS_MODEL_ID")


@pytest.fixture(scope="session")
def account():
    return "acct_" + uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def secret(account):
    return create_key(account)

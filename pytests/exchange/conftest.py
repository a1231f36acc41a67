"""Fixtures for the consortium exchange suite.

scripts/test-exchange starts `aegis exchange serve` and runs pytest with:
  AEGIS_BIN           the aegis binary
  EXCHANGE_DB         the server's database (the CLI may add users and collections to it)
  EXCHANGE_URL        the discovery URL, http://127.0.0.1:PORT/taxii2/
  SHARED_COLLECTION   a collection alice may read and write and bob may read
  PRIVATE_COLLECTION  a collection only alice may use
"""
import json
import os
import re
import socket
import subprocess
import time
import uuid

import pytest
from stix2validator import ValidationOptions, validate_instance, validate_file
from taxii2client.v21 import Collection, Server

ALICE = ("alice", "pw-alice")
BOB = ("bob", "pw-bob")


def env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set; run the suite through scripts/test-exchange")
    return value


def aegis(*args, input=None, extra_env=None, timeout=300):
    """Runs the aegis CLI and returns its stdout; fails the test with its stderr."""
    environment = dict(os.environ, **(extra_env or {}))
    result = subprocess.run([env("AEGIS_BIN"), *args], capture_output=True, text=True, input=input,
                            timeout=timeout, env=environment)
    if result.returncode != 0:
        pytest.fail(f"aegis {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def api_root():
    return env("EXCHANGE_URL").replace("/taxii2/", "/aegis/")


def collection(collection_id, user=ALICE):
    return Collection(f"{api_root()}collections/{collection_id}/", user=user[0], password=user[1])


def new_collection(title):
    """A fresh collection and a user (name, password) who may read and write it."""
    db = env("EXCHANGE_DB")
    collection_id = aegis("exchange", "collections", "create", "--db", db, "--title", title).strip()
    user = ("u" + uuid.uuid4().hex[:8], "pw-" + uuid.uuid4().hex)
    aegis("exchange", "users", "add", "--db", db, "--name", user[0], "--read", collection_id,
          "--write", collection_id, input=user[1] + "\n")
    return collection_id, user


OPTIONS = ValidationOptions(version="2.1")


def assert_valid(obj):
    """stix2-validator on one object the server returned or Aegis wrote."""
    instance = json.loads(obj.serialize()) if hasattr(obj, "serialize") else dict(obj)
    result = validate_instance(instance, OPTIONS)
    assert result.is_valid, [str(e) for e in result.errors]


def assert_valid_file(path):
    result = validate_file(str(path), OPTIONS)
    assert result.is_valid, [str(e) for r in result.object_results for e in r.errors]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class RunningServer:
    """Another `aegis exchange serve` (a second provider's instance)."""

    def __init__(self, db, log, extra=()):
        self.log = open(log, "w")
        self.process = subprocess.Popen([env("AEGIS_BIN"), "exchange", "serve", "--db", str(db), "--port", "0", *extra],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        self.url = None
        while time.time() < deadline and self.url is None:
            time.sleep(0.1)
            found = re.search(r"https?://\S+", open(log).read())
            if found:
                self.url = found.group(0)
        if self.url is None:
            self.stop()
            pytest.fail(f"aegis exchange serve did not start: {open(log).read()}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


@pytest.fixture
def server_factory(tmp_path):
    servers = []

    def start(name, extra=()):
        server = RunningServer(tmp_path / f"{name}.db", tmp_path / f"{name}.log", extra)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def discovery():
    return Server(env("EXCHANGE_URL"), user=ALICE[0], password=ALICE[1])

"""`aegis exchange serve --tls-cert --tls-key`: HTTPS only, and taxii2-client
verifies the certificate."""
import shutil
import subprocess

import pytest
import requests
from taxii2client.v21 import Server

from conftest import aegis


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a test certificate")
def test_the_server_speaks_https_with_the_given_certificate(tmp_path, server_factory, monkeypatch):
    # requests lets these variables override a session's own `verify` (its known quirk).
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    db = tmp_path / "tls.db"
    collection_id = aegis("exchange", "collections", "create", "--db", str(db), "--title", "tls").strip()
    aegis("exchange", "users", "add", "--db", str(db), "--name", "t", "--read", collection_id, input="pw\n")
    server = server_factory("tls", ["--tls-cert", str(cert), "--tls-key", str(key)])
    assert server.url.startswith("https://")
    discovery = Server(server.url, user="t", password="pw", verify=str(cert))
    assert [c.id for c in discovery.default.collections] == [collection_id]
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(server.url.replace("https://", "http://"), auth=("t", "pw"), timeout=5)

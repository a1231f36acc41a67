"""Two Aegis providers on loopback: A detects a campaign and publishes it to its
TAXII server; B pulls the indicators and flags the same actor's accounts in its
own traffic from their first requests, then reports sightings back to A."""
import json

import pytest

from conftest import aegis, assert_valid, assert_valid_file


def simulate(work, name, seed):
    log, labels = work / f"{name}.jsonl", work / f"{name}.labels.json"
    # --actor-seed: both logs hold the same campaign actors; --data: built-in text only.
    aegis("simulate", "--out", str(log), "--labels", str(labels), "--seed", str(seed), "--exchanges", "20000",
          "--actor-seed", "77", "--data", str(work / "no-shared-data"))
    return log, json.loads(labels.read_text())


@pytest.fixture
def consortium_key():
    return {"AEGIS_CONSORTIUM_KEY": "2026-11:" + aegis("keys", "new").strip()}


def test_a_campaign_travels_from_provider_a_to_provider_b(tmp_path, server_factory, consortium_key):
    # Provider A: its own server, a collection, a publisher and a reader for B.
    server_a = server_factory("provider-a")
    db_a = tmp_path / "provider-a.db"
    shared = aegis("exchange", "collections", "create", "--db", str(db_a), "--title", "Distillation campaigns").strip()
    aegis("exchange", "users", "add", "--db", str(db_a), "--name", "a-publisher", "--read", shared, "--write", shared,
          input="pw-a\n")
    aegis("exchange", "users", "add", "--db", str(db_a), "--name", "provider-b", "--read", shared, "--write", shared,
          input="pw-b\n")

    log_a, labels_a = simulate(tmp_path, "a", 5)
    verdicts_a = tmp_path / "a.verdicts.json"
    aegis("scan", "--events", str(log_a), "--out", str(verdicts_a))
    bundle_a = tmp_path / "a.bundle.json"
    out = aegis("exchange", "publish", "--verdicts", str(verdicts_a), "--events", str(log_a), "--server", server_a.url,
                "--collection", shared, "--user", "a-publisher", "--producer", "Provider A", "--out", str(bundle_a),
                extra_env={**consortium_key, "AEGIS_EXCHANGE_PASSWORD": "pw-a"})
    assert "0 refused" in out
    assert_valid_file(bundle_a)

    # Privacy: nothing of A's users is in what A published.
    text = bundle_a.read_text()
    exchanges = [json.loads(line) for line in log_a.read_text().splitlines() if line.strip()]
    for account in labels_a["accounts"]:
        assert account not in text
    for e in exchanges[::50]:
        meta = e.get("account_meta") or {}
        assert meta.get("payment_fingerprint", "pf_none") not in text
        assert f"'{meta.get('email_domain')}'" not in text and f"\"{meta.get('email_domain')}\"" not in text
        for message in e["request"].get("messages", []):
            content = message.get("content")
            if isinstance(content, str) and len(content) >= 24:
                assert content not in text and content[:24] not in text

    # Provider B: pulls A's indicators and scans its own traffic with them.
    log_b, labels_b = simulate(tmp_path, "b", 6)
    indicators = tmp_path / "b.indicators.json"
    aegis("exchange", "pull", "--server", server_a.url, "--collection", shared, "--user", "provider-b",
          "--out", str(indicators), extra_env={"AEGIS_EXCHANGE_PASSWORD": "pw-b"})
    assert_valid_file(indicators)
    pulled = json.loads(indicators.read_text())["objects"]
    assert len(pulled) == len(json.loads(bundle_a.read_text())["objects"])
    for obj in pulled:
        assert_valid(obj)

    verdicts_b = tmp_path / "b.verdicts.json"
    aegis("scan", "--events", str(log_b), "--out", str(verdicts_b), "--indicators", str(indicators), extra_env=consortium_key)
    verdicts = json.loads(verdicts_b.read_text())
    campaign_accounts = {a for a, label in labels_b["accounts"].items() if label["campaign"]}
    matched = {}
    for account in verdicts["accounts"]:
        reasons = [r for r in account["reasons"] if r["signal"] == "peer_indicator"]
        if reasons:
            matched[account["account"]] = (account, reasons)
    assert matched, "no account of B matched A's indicators"
    assert set(matched) <= campaign_accounts, f"innocent accounts matched: {set(matched) - campaign_accounts}"
    assert len(matched) >= 0.8 * len(campaign_accounts)
    for account, (verdict, reasons) in matched.items():
        assert verdict["flagged"]
        # From its first request: the earliest match is at request 1.
        assert min(int(r["detail"].split("from request ")[1].split(" ")[0]) for r in reasons) == 1, reasons

    # B reports what it saw back to A, as sightings A can read.
    sightings = tmp_path / "b.sightings.json"
    out = aegis("exchange", "sight", "--indicators", str(indicators), "--events", str(log_b), "--server", server_a.url,
                "--collection", shared, "--user", "provider-b", "--producer", "Provider B", "--out", str(sightings),
                extra_env={**consortium_key, "AEGIS_EXCHANGE_PASSWORD": "pw-b"})
    assert "0 refused" in out
    assert_valid_file(sightings)
    again = tmp_path / "a.pulled.json"
    aegis("exchange", "pull", "--server", server_a.url, "--collection", shared, "--user", "a-publisher",
          "--out", str(again), extra_env={"AEGIS_EXCHANGE_PASSWORD": "pw-a"})
    objects = json.loads(again.read_text())["objects"]
    b_identity = next(o["id"] for o in objects if o["type"] == "identity" and o["name"] == "Provider B")
    b_sightings = [o for o in objects if o["type"] == "sighting" and o["created_by_ref"] == b_identity]
    assert b_sightings and all(s["count"] >= 1 for s in b_sightings)


def test_publishing_the_same_campaign_twice_adds_nothing_new(tmp_path, server_factory, consortium_key):
    server = server_factory("idempotent")
    db = tmp_path / "idempotent.db"
    shared = aegis("exchange", "collections", "create", "--db", str(db), "--title", "c").strip()
    aegis("exchange", "users", "add", "--db", str(db), "--name", "p", "--read", shared, "--write", shared, input="pw\n")
    log, _ = simulate(tmp_path, "x", 9)
    verdicts = tmp_path / "x.verdicts.json"
    aegis("scan", "--events", str(log), "--out", str(verdicts))
    publish = ["exchange", "publish", "--verdicts", str(verdicts), "--events", str(log), "--server", server.url,
               "--collection", shared, "--user", "p", "--encoding", "core", "--tlp", "green"]
    environment = {**consortium_key, "AEGIS_EXCHANGE_PASSWORD": "pw"}
    aegis(*publish, extra_env=environment)
    aegis(*publish, extra_env=environment)
    pulled = tmp_path / "pulled.json"
    aegis("exchange", "pull", "--server", server.url, "--collection", shared, "--user", "p", "--out", str(pulled),
          extra_env=environment)
    objects = json.loads(pulled.read_text())["objects"]
    ids = [o["id"] for o in objects]
    assert len(ids) == len(set(ids)), "a second identical publication stored new versions"
    assert not any(o["type"] == "x-aegis-keyed-fingerprint" for o in objects)
    assert all(o.get("object_marking_refs", ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"])
               == ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"] for o in objects if o["type"] != "marking-definition")

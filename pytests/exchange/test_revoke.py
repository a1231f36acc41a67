"""`aegis exchange revoke`: the next version of a shared indicator, revoked."""
import json

import stix2

from conftest import aegis, assert_valid, collection, env, new_collection


def test_revoke_posts_a_newer_revoked_version(tmp_path):
    collection_id, user = new_collection("revocation")
    c = collection(collection_id, user)
    ind = stix2.Indicator(pattern="[ipv4-addr:value = '198.51.100.77']", pattern_type="stix",
                          valid_from="2026-11-20T00:00:00Z", name="published in error", description="test")
    c.add_objects({"objects": [json.loads(ind.serialize())]})
    password = {"AEGIS_EXCHANGE_PASSWORD": user[1]}
    base = ["--server", env("EXCHANGE_URL"), "--collection", collection_id, "--user", user[0]]
    assert "revoked 1 objects" in aegis("exchange", "revoke", *base, "--id", ind.id, extra_env=password)
    assert "revoked 0 objects" in aegis("exchange", "revoke", *base, "--id", ind.id, extra_env=password)
    latest = c.get_object(ind.id)["objects"]
    assert len(latest) == 1 and latest[0]["revoked"] is True and latest[0]["modified"] > ind.modified.isoformat()
    assert_valid(latest[0])
    assert len(c.object_versions(ind.id)["versions"]) == 2
    pulled = tmp_path / "pulled.json"
    aegis("exchange", "pull", *base, "--out", str(pulled), extra_env=password)
    objects = json.loads(pulled.read_text())["objects"]
    assert [o.get("revoked") for o in objects] == [True]

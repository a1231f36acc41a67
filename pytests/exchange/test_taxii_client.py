"""taxii2-client against `aegis exchange serve`: discovery, collections, adding
with status polling, paging over one date_added, filters, manifest, versions."""
import datetime
import json

import stix2
from taxii2client.v21 import as_pages

from conftest import BOB, api_root, assert_valid, collection, env, new_collection

MEDIA = "application/stix+json;version=2.1"


def indicator(n, **kwargs):
    return stix2.Indicator(pattern=f"[ipv4-addr:value = '198.51.100.{n % 250}']", pattern_type="stix",
                           valid_from="2026-11-20T00:00:00Z", name=f"test indicator {n}",
                           description="written by the exchange suite", **kwargs)


def envelope(objects):
    return {"objects": [json.loads(o.serialize()) for o in objects]}


def test_discovery_lists_the_api_root_and_its_collections(discovery):
    assert discovery.title
    root = discovery.default
    assert root is not None and root.url == api_root()
    assert "application/taxii+json;version=2.1" in root.versions
    ids = {c.id for c in root.collections}
    assert {env("SHARED_COLLECTION"), env("PRIVATE_COLLECTION")} <= ids
    shared = next(c for c in root.collections if c.id == env("SHARED_COLLECTION"))
    assert shared.can_read and shared.can_write and MEDIA in shared.media_types


def test_a_read_only_user_sees_only_what_it_may_read():
    c = collection(env("SHARED_COLLECTION"), BOB)
    assert c.can_read and not c.can_write
    from taxii2client.v21 import Server
    server = Server(env("EXCHANGE_URL"), user=BOB[0], password=BOB[1])
    assert [x.id for x in server.default.collections] == [env("SHARED_COLLECTION")]


def test_add_objects_then_poll_the_status_until_complete():
    c = collection(env("SHARED_COLLECTION"))
    objects = [indicator(n) for n in range(10)]
    status = c.add_objects(envelope(objects + objects[:3]), wait_for_completion=False)
    status.wait_until_final(poll_interval=0.2, timeout=30)
    assert status.status == "complete"
    assert status.total_count == 13
    assert status.success_count == 13 and status.failure_count == 0 and status.pending_count == 0
    assert status.total_count == status.success_count + status.failure_count + status.pending_count
    status.refresh()
    assert {s["id"] for s in status.successes} == {o.id for o in objects}
    for o in objects:
        fetched = c.get_object(o.id)["objects"]
        assert len(fetched) == 1 and fetched[0]["id"] == o.id
        assert_valid(fetched[0])


def test_paging_with_as_pages_covers_objects_sharing_one_date_added():
    collection_id, user = new_collection("paging")
    c = collection(collection_id, user)
    objects = [indicator(n) for n in range(300)]
    status = c.add_objects(envelope(objects))  # one request: one date_added for all
    assert status.success_count == 300
    manifest = c.get_manifest()["objects"]
    assert len({m["date_added"] for m in manifest}) == 1
    seen, pages = [], 0
    for page in as_pages(c.get_objects, per_request=64):
        pages += 1
        for o in page.get("objects", []):
            assert_valid(o)
            seen.append(o["id"])
    assert pages == 5
    assert len(seen) == 300 and set(seen) == {o.id for o in objects}
    seen_manifest = [m["id"] for page in as_pages(c.get_manifest, per_request=100) for m in page.get("objects", [])]
    assert sorted(seen_manifest) == sorted(seen)


def test_filters_by_type_id_version_and_added_after():
    collection_id, user = new_collection("filters")
    c = collection(collection_id, user)
    identity = stix2.Identity(name="Filter test", identity_class="organization")
    first = indicator(1)
    c.add_objects(envelope([identity, first]))
    date_added = c.get_manifest()["objects"][-1]["date_added"]
    newer = first.new_version(modified=first.modified + datetime.timedelta(seconds=5), name="newer")
    c.add_objects(envelope([newer]))

    assert [o["id"] for o in c.get_objects(type="identity")["objects"]] == [identity.id]
    latest = c.get_objects(type="indicator")["objects"]
    assert len(latest) == 1 and latest[0]["name"] == "newer"
    assert len(c.get_objects(type="indicator", version="all")["objects"]) == 2
    assert c.get_objects(id=first.id, version="first")["objects"][0]["name"] == first.name
    added_later = c.get_objects(added_after=date_added)["objects"]
    assert [o["id"] for o in added_later] == [first.id]
    versions = c.object_versions(first.id)["versions"]
    assert len(versions) == 2
    assert c.get_objects(spec_version="2.1", type="identity")["objects"][0]["id"] == identity.id
    c.delete_object(first.id)
    assert "objects" not in c.get_objects(type="indicator")

"""Last: every object the shared server holds, as a TAXII client receives it,
passes stix2-validator (the other tests validate what they fetch as they go)."""
from taxii2client.v21 import as_pages

from conftest import ALICE, assert_valid, collection, discovery  # noqa: F401


def test_every_object_served_is_valid_stix(discovery):  # noqa: F811
    count = 0
    for c in discovery.default.collections:
        if not c.can_read:
            continue
        for page in as_pages(collection(c.id, ALICE).get_objects, per_request=500, version="all"):
            for obj in page.get("objects", []):
                assert_valid(obj)
                count += 1
    assert count > 0

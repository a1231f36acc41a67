"""The error statuses the TAXII 2.1 specification asks for, through
taxii2-client where it can send the request and plain requests where it cannot."""
import json

import pytest
import requests
from taxii2client.exceptions import AccessError
from taxii2client.v21 import Collection, Server

from conftest import ALICE, BOB, api_root, collection, env

TAXII = "application/taxii+json;version=2.1"


def objects_url(collection_id):
    return f"{api_root()}collections/{collection_id}/objects/"


def assert_taxii_error(response, status):
    assert response.status_code == status
    assert response.headers["Content-Type"] == TAXII
    body = response.json()
    assert body["http_status"] == str(status) and body["title"] and body["description"]


def test_401_with_www_authenticate_for_missing_or_wrong_credentials():
    for auth in [None, ("alice", "wrong"), ("nobody", "pw")]:
        response = requests.get(env("EXCHANGE_URL"), auth=auth, headers={"Accept": TAXII})
        assert_taxii_error(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Basic realm=")
    with pytest.raises(requests.exceptions.HTTPError) as raised:
        Server(env("EXCHANGE_URL"), user="alice", password="wrong").refresh()
    assert raised.value.response.status_code == 401


def test_403_when_a_reader_writes():
    # taxii2-client reads can_write from the server and refuses before sending ...
    with pytest.raises(AccessError):
        collection(env("SHARED_COLLECTION"), BOB).add_objects({"objects": []})
    # ... and the server refuses a client that sends anyway.
    response = requests.post(objects_url(env("SHARED_COLLECTION")), auth=BOB, data=json.dumps({"objects": []}),
                             headers={"Accept": TAXII, "Content-Type": TAXII})
    assert_taxii_error(response, 403)


def test_404_for_unknown_or_invisible_collections_and_objects():
    with pytest.raises(requests.exceptions.HTTPError) as raised:
        Collection(f"{api_root()}collections/no-such-collection/", user=ALICE[0], password=ALICE[1]).refresh()
    assert raised.value.response.status_code == 404
    # bob may not see the private collection: it does not exist for him.
    response = requests.get(objects_url(env("PRIVATE_COLLECTION")), auth=BOB, headers={"Accept": TAXII})
    assert_taxii_error(response, 404)
    with pytest.raises(requests.exceptions.HTTPError) as raised:
        collection(env("SHARED_COLLECTION")).get_object("indicator--00000000-0000-4000-8000-000000000000")
    assert raised.value.response.status_code == 404


def test_406_and_415_for_other_media_types_while_a_versionless_accept_is_served():
    url = objects_url(env("SHARED_COLLECTION"))
    assert_taxii_error(requests.get(url, auth=ALICE, headers={"Accept": "application/json"}), 406)
    assert requests.get(url, auth=ALICE, headers={"Accept": "application/taxii+json"}).status_code == 200
    response = requests.post(url, auth=ALICE, data=json.dumps({"objects": []}),
                             headers={"Accept": TAXII, "Content-Type": "application/json"})
    assert_taxii_error(response, 415)


def test_413_for_a_body_over_the_limit():
    big = {"objects": [{"type": "note", "spec_version": "2.1", "id": f"note--00000000-0000-4000-8000-{n:012d}",
                        "created": "2026-11-20T00:00:00.000Z", "modified": "2026-11-20T00:00:00.000Z",
                        "content": "x" * 2000, "object_refs": ["identity--00000000-0000-4000-8000-000000000000"]}
                       for n in range(1000)]}
    response = requests.post(objects_url(env("SHARED_COLLECTION")), auth=ALICE, data=json.dumps(big),
                             headers={"Accept": TAXII, "Content-Type": TAXII})
    assert_taxii_error(response, 413)


def test_422_for_json_that_is_not_an_envelope_and_failures_for_bad_objects():
    url = objects_url(env("SHARED_COLLECTION"))
    response = requests.post(url, auth=ALICE, data=json.dumps({"type": "bundle"}),
                             headers={"Accept": TAXII, "Content-Type": TAXII})
    assert_taxii_error(response, 422)
    response = requests.post(url, auth=ALICE, data="{not json", headers={"Accept": TAXII, "Content-Type": TAXII})
    assert_taxii_error(response, 400)
    bad = {"objects": [{"type": "indicator", "id": "indicator--x"}, {"type": "indicator", "spec_version": "2.0",
                                                                     "id": "indicator--00000000-0000-4000-8000-000000000001"}]}
    status = collection(env("SHARED_COLLECTION")).add_objects(bad)
    assert status.total_count == 2 and status.failure_count == 2 and status.success_count == 0
    assert all(f["message"] for f in status.failures)


def test_400_for_a_cursor_the_server_never_gave():
    response = requests.get(objects_url(env("SHARED_COLLECTION")) + "?next=forged", auth=ALICE, headers={"Accept": TAXII})
    assert_taxii_error(response, 400)

"""stix2's TAXIICollectionSink and TAXIICollectionSource against the server."""
import stix2
from stix2 import Filter, TAXIICollectionSink, TAXIICollectionSource

from conftest import assert_valid, collection, new_collection


def test_sink_writes_and_source_reads_back():
    collection_id, user = new_collection("stix2 datastore")
    c = collection(collection_id, user)
    sink = TAXIICollectionSink(c)
    source = TAXIICollectionSource(c, allow_custom=True)
    actor = stix2.Identity(name="Provider under test", identity_class="organization")
    campaign = stix2.Campaign(name="Distillation test campaign", created_by_ref=actor.id,
                              object_marking_refs=[stix2.TLP_AMBER])
    ind = stix2.Indicator(pattern="[ipv4-addr:value ISSUBSET '203.0.113.0/24']", pattern_type="stix",
                          valid_from="2026-11-20T00:00:00Z", created_by_ref=actor.id)
    rel = stix2.Relationship(ind, "indicates", campaign, created_by_ref=actor.id)
    sink.add([actor, campaign, ind, rel])

    got = source.get(ind.id)
    assert got.id == ind.id and got.pattern == ind.pattern
    assert_valid(got)
    indicators = source.query([Filter("type", "=", "indicator")])
    assert [i.id for i in indicators] == [ind.id]
    related = source.related_to(campaign)
    assert ind.id in {r.id for r in related}
    newer = ind.new_version(name="renamed")
    sink.add(newer)
    assert source.get(ind.id).name == "renamed"
    assert len(source.all_versions(ind.id)) == 2
    for obj in source.query([]):
        assert_valid(obj)

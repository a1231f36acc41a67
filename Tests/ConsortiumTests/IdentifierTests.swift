import AegisCore
import Consortium
import Testing

@Suite struct IdentifierTests {
    @Test func uuid5MatchesTheRFCConstruction() {
        // RFC 9562's DNS namespace; the value is what every UUIDv5 implementation gives for this name.
        let dns: [UInt8] = [0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8]
        #expect(STIXIdentifier.uuid5(namespace: dns, name: Array("python.org".utf8)) == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
    }

    @Test func observableIDsAgreeWithTheSTIXReferenceLibrary() {
        // The ids the python stix2 library gives these observables.
        #expect(STIXIdentifier.observable("ipv4-addr", ["value": "198.51.100.3"])
            == "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4")
        #expect(STIXIdentifier.observable("autonomous-system", ["number": 64500])
            == "autonomous-system--0a5f7072-df00-5729-9f0a-4eb18631a446")
    }

    @Test func canonicalJSONSortsKeysAndEscapesMinimally() {
        let value: JSONValue = .object(JSONObject([("b", 1), ("a", ["z": "x\u{8}\"\n", "é": 2.5, "A": .null]), ("aa", [true, false])]))
        #expect(JSONWriter.canonical.string(value) == #"{"a":{"A":null,"z":"x\b\"\n","é":2.5},"aa":[true,false],"b":1}"#)
    }

    @Test func objectIDsDependOnContentNotOnMemberOrder() {
        let one = STIXIdentifier.object("indicator", .object(JSONObject([("pattern", "[x]"), ("pattern_type", "stix")])))
        let two = STIXIdentifier.object("indicator", .object(JSONObject([("pattern_type", "stix"), ("pattern", "[x]")])))
        let other = STIXIdentifier.object("indicator", .object(JSONObject([("pattern", "[y]"), ("pattern_type", "stix")])))
        #expect(one == two)
        #expect(one != other)
        #expect(STIXIdentifier.isValid(one))
        #expect(one.hasPrefix("indicator--"))
        #expect(!STIXIdentifier.isValid("indicator--not-a-uuid"))
        #expect(STIXIdentifier.isValid("x--" + STIXIdentifier.uuid4()))
    }

    @Test func timestampsRoundTripAtMicrosecondPrecision() throws {
        let t = try #require(STIXTimestamp.microseconds("2026-11-29T10:00:00.123456Z"))
        #expect(STIXTimestamp.format(microseconds: t, digits: 6) == "2026-11-29T10:00:00.123456Z")
        #expect(STIXTimestamp.format(microseconds: t) == "2026-11-29T10:00:00.123Z")
        #expect(STIXTimestamp.microseconds("2026-11-29T10:00:00Z") == t - 123_456)
        #expect(STIXTimestamp.microseconds("1970-01-01T00:00:00.5Z") == 500_000)
        #expect(STIXTimestamp.microseconds("2026-13-01T00:00:00Z") == nil)
        #expect(STIXTimestamp.microseconds("yesterday") == nil)
    }
}

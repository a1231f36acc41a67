import Testing
@testable import AegisCore

@Suite struct JSONParserTests {
    @Test func parsesAllKinds() throws {
        let v = try JSONParser.parse(#" {"a":[1,-2.5,3e2,true,false,null],"b":{"c":"d"},"e":""} "#)
        #expect(v == ["a": [1, -2.5, 300, true, false, nil], "b": ["c": "d"], "e": ""])
        #expect(v.objectValue?.keys == ["a", "b", "e"])
    }

    @Test func rejectsMalformedText() {
        for bad in ["", "{", "[1,]", "{\"a\"}", "01", "1.", "\"abc", "tru", "{} x", "\"\u{01}\"", "[1 2]"] {
            #expect(throws: JSONParseError.self, "\(bad)") { try JSONParser.parse(bad) }
        }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test func writerRoundTripsEscapes() throws {
        let v: JSONValue = ["s": "tab\tquote\"back\\nl\nctl\u{02}é", "n": 0.1, "i": 42]
        let text = JSONWriter().string(v)
        #expect(text == #"{"s":"tab\tquote\"back\\nl\nctl\u0002é","n":0.1,"i":42}"#)
        #expect(try JSONParser.parse(text) == v)
        #expect(try JSONParser.parse(JSONWriter(indent: 2).string(v)) == v)
    }

    @Test func objectEqualityIgnoresOrder() {
        let a: JSONValue = ["x": 1, "y": 2]
        let b: JSONValue = ["y": 2, "x": 1]
        #expect(a == b)
    }
}

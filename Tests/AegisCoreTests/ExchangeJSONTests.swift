import Foundation
import Testing
@testable import AegisCore

@Suite struct ExchangeJSONTests {
    static let full = """
    {"id":"ex_1","time":"2026-11-29T10:00:00.123Z","account":"acct_42","key_id":"key_7",\
    "client":{"ip":"203.0.113.9","user_agent":"openai-python/1.55.0","asn":64500,"country":"US","city":"Oslo"},\
    "account_meta":{"created":"2026-11-01T08:00:00.000Z","payment_fingerprint":"pf_9a1","email_domain":"example.com","tier":"free"},\
    "model":"smollm2-135m","endpoint":"chat.completions",\
    "request":{"messages":[{"role":"user","content":"Hi \\"there\\"\\n\\u00e9\\ud83d\\ude00"}],"max_tokens":200,"temperature":0.7,"n":1},\
    "response":{"status":200,"choices":[{"text":"Hello","finish_reason":"stop"}],"usage":{"prompt_tokens":31,"completion_tokens":200,"total_tokens":231}},\
    "session":"s1","trace":{"span":"abc"},"sampled":true}
    """

    @Test func decodesEveryField() throws {
        let e = try Exchange(line: Self.full)
        #expect(e.id == "ex_1")
        #expect(ExchangeTime.format(e.time) == "2026-11-29T10:00:00.123Z")
        #expect(e.account == "acct_42")
        #expect(e.keyID == "key_7")
        #expect(e.client?.ip == "203.0.113.9")
        #expect(e.client?.userAgent == "openai-python/1.55.0")
        #expect(e.client?.asn == 64500)
        #expect(e.client?.extra["city"] == "Oslo")
        #expect(e.accountMeta?.paymentFingerprint == "pf_9a1")
        #expect(e.accountMeta?.tier == "free")
        #expect(e.request["max_tokens"] == 200)
        #expect(e.request["temperature"] == 0.7)
        #expect(e.request["messages"]?.arrayValue?.first?["content"] == "Hi \"there\"\né😀")
        #expect(e.response?.choices.first?.finishReason == "stop")
        #expect(e.response?.usage?.completionTokens == 200)
        #expect(e.response?.usage?.extra["total_tokens"] == 231)
        #expect(e.session == "s1")
        #expect(e.extra["trace"] == ["span": "abc"])
        #expect(e.extra["sampled"] == true)
    }

    @Test func roundTripsThroughOwnWriterKeepingUnknownFields() throws {
        let e = try Exchange(line: Self.full)
        let again = try Exchange(line: e.jsonLine())
        #expect(again == e)
        #expect(e.jsonLine().hasPrefix(#"{"id":"ex_1","time":"2026-11-29T10:00:00.123Z","account":"acct_42""#))
    }

    @Test func roundTripsThroughFoundationCodable() throws {
        let e = try Exchange(line: Self.full)
        let data = try JSONEncoder().encode(e)
        let decoded = try JSONDecoder().decode(Exchange.self, from: data)
        #expect(decoded == e)
        let fromFoundationText = try JSONDecoder().decode(Exchange.self, from: Data(Self.full.utf8))
        #expect(fromFoundationText == e)
    }

    @Test func onlyFourFieldsAreRequired() throws {
        let e = try Exchange(line: #"{"id":"a","time":"2026-01-02T03:04:05Z","account":"b","request":{"prompt":"x"},"model":null}"#)
        #expect(e.keyID == nil && e.client == nil && e.accountMeta == nil && e.model == nil)
        #expect(e.response == nil && e.session == nil && e.extra.isEmpty)
        #expect(try Exchange(line: e.jsonLine()) == e)
        #expect(e.jsonLine() == #"{"id":"a","time":"2026-01-02T03:04:05.000Z","account":"b","request":{"prompt":"x"}}"#)
    }

    @Test func missingRequiredFieldsAreNamed() {
        #expect(throws: ExchangeDecodingError("missing required field 'account'")) {
            try Exchange(line: #"{"id":"a","time":"2026-01-02T03:04:05Z","request":{}}"#)
        }
        #expect(throws: ExchangeDecodingError("missing required field 'request'")) {
            try Exchange(line: #"{"id":"a","time":"2026-01-02T03:04:05Z","account":"b"}"#)
        }
        #expect(throws: ExchangeDecodingError.self) {
            try Exchange(line: #"{"id":"a","time":"yesterday","account":"b","request":{}}"#)
        }
    }

    @Test func timestampsParseOffsetsAndFractions() throws {
        let a = try #require(ExchangeTime.parse("2026-11-29T10:00:00.5Z"))
        let b = try #require(ExchangeTime.parse("2026-11-29T11:00:00.500+01:00"))
        #expect(a == b)
        #expect(ExchangeTime.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(ExchangeTime.parse("2026-13-01T00:00:00Z") == nil)
        #expect(ExchangeTime.parse("2026-11-29T10:00:00Zjunk") == nil)
        let date = Date(timeIntervalSince1970: 1_795_000_000.25)
        #expect(ExchangeTime.parse(ExchangeTime.format(date)) == date)
    }
}

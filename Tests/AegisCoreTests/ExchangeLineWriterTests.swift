import Foundation
import Testing
@testable import AegisCore

/// The one exchange-log writer against the one reader, over every field of
/// DESIGN.md's contract (and unknown fields at every level).
@Suite struct ExchangeLineWriterTests {
    /// An exchange with every field of the contract set, odd characters in its strings.
    static let everyField = Exchange(
        id: "ex_01J\"q", time: ExchangeTime.parse("2026-11-27T10:00:00.125Z") ?? Date(timeIntervalSince1970: 0), account: "acct_42\\é",
        keyID: "key_7",
        client: ClientInfo(ip: "203.0.113.9", userAgent: "openai-python/1.55.0 \u{1}\u{8}\u{c}", asn: 64500,
                           country: "US", extra: ["city": "Oslo"]),
        accountMeta: AccountMeta(created: Date(timeIntervalSince1970: 1_793_520_000), paymentFingerprint: "pf_9a1",
                                 emailDomain: "example.com", tier: "free", extra: ["referrer": ["a", 1]]),
        model: "smollm2-135m", endpoint: "chat.completions",
        request: ["messages": [["role": "user", "content": "Hi \"there\"\n\t😀"]], "max_tokens": 200,
                  "temperature": 0.7, "n": 1, "logprobs": true, "stream": false, "tools": nil],
        response: ExchangeResponse(
            status: 200,
            choices: [ExchangeResponse.Choice(text: "Hello", finishReason: "stop", extra: ["index": 0]),
                      ExchangeResponse.Choice(text: "", finishReason: nil)],
            usage: ExchangeResponse.Usage(promptTokens: 31, completionTokens: 200, extra: ["total_tokens": 231]),
            extra: ["usage_estimated": true, "error": ["message": "m", "code": nil]]),
        session: "conv 1",
        extra: ["policy": ["action": "throttle", "reason": "campaign"], "trace": ["span": "abc"]])

    @Test func everyFieldSurvivesWriterThenReader() throws {
        let line = Self.everyField.jsonLine()
        #expect(!line.contains("\n"))
        let read = try Exchange(line: line)
        #expect(read == Self.everyField)
        // Field by field, so a failure names the field.
        #expect(read.id == "ex_01J\"q" && read.account == "acct_42\\é" && read.keyID == "key_7")
        #expect(ExchangeTime.format(read.time) == "2026-11-27T10:00:00.125Z")
        #expect(read.client == Self.everyField.client)
        #expect(read.accountMeta == Self.everyField.accountMeta)
        #expect(read.model == "smollm2-135m" && read.endpoint == "chat.completions")
        #expect(read.request == Self.everyField.request)
        #expect(read.response == Self.everyField.response)
        #expect(read.session == "conv 1")
        #expect(read.extra == Self.everyField.extra)
    }

    @Test func fieldsAreWrittenInTheContractsOrder() {
        let line = Self.everyField.jsonLine()
        let order = ["\"id\"", "\"time\"", "\"account\"", "\"key_id\"", "\"client\"", "\"account_meta\"", "\"model\"",
                     "\"endpoint\"", "\"request\"", "\"response\"", "\"session\"", "\"policy\"", "\"trace\""]
        let positions = order.compactMap { line.range(of: $0)?.lowerBound }
        #expect(positions.count == order.count)
        #expect(positions == positions.sorted())
    }

    @Test func aRawRequestBodyIsPassedThroughVerbatim() throws {
        let raw = #"{"model":"m","temperature":0.70,"max_tokens":1e2,"messages":[]}"#
        var exchange = Self.everyField
        exchange.request = .null
        var line = ""
        ExchangeLineWriter.append(exchange, rawRequest: raw, to: &line)
        #expect(line.contains(#","request":"# + raw + #","response":"#))
        let read = try Exchange(line: line)
        #expect(read.request == ["model": "m", "temperature": 0.7, "max_tokens": 100, "messages": []])
    }

    @Test func theLogReaderReadsWhatTheWriterWrote() throws {
        var bytes: [UInt8] = []
        var written: [Exchange] = []
        for i in 0..<300 {
            var e = i % 3 == 0 ? Self.everyField : Exchange(id: "ex_\(i)", time: Date(timeIntervalSince1970: Double(i)),
                                                             account: "a\(i % 7)", request: ["prompt": .string("p\(i)")])
            e.id = "ex_\(i)"
            written.append(e)
            e.appendJSONLine(to: &bytes)
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("writer-\(UUID()).jsonl").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let all = try ExchangeLogReader(path: path, parallelism: 2, chunkBytes: 4096).readAll()
        #expect(all.malformed.isEmpty)
        #expect(all.exchanges == written)
    }
}

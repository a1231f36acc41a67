import AegisCore
import Foundation
import Inference
import NIOCore
import Store
import Synchronization
import Testing
import Watermark
@testable import Gateway

/// A model server for draft selection's tests: each answer is random words
/// drawn from a seed (the request's `seed`, or a counter), so candidates
/// differ the way real samples do. It can refuse `n` ≠ 1 (as llama.cpp's
/// server does) and fail some requests.
struct WordServer: ModelServer {
    var honoursN = false
    /// Answers one choice whatever `n` asks (a server that ignores it), instead of refusing.
    var ignoresN = false
    /// Requests whose seed is divisible by this answer 500.
    var failSeedsDivisibleBy: Int?
    /// Every request answers this status (an upstream that is down).
    var alwaysStatus: Int?
    let requests = Locked<Int>(0)

    static let words = ["the", "river", "carries", "small", "stones", "towards", "a", "quiet", "harbour", "where",
                        "old", "boats", "rest", "under", "grey", "clouds", "and", "children", "count", "gulls",
                        "on", "wooden", "posts", "while", "bread", "is", "baked", "in", "narrow", "streets",
                        "every", "morning", "before", "market", "opens", "its", "doors", "to", "farmers", "with",
                        "apples", "cheese", "honey", "wool", "lamps", "maps", "letters", "songs", "tools", "ropes"]

    func models() async throws -> [String] { ["words"] }

    func postCollecting(path: String, body: [UInt8]) async throws -> (status: Int, body: ByteBuffer) {
        guard let request = JSONValue.parse(body) else { throw GatewayError.badRequest("the test server got no JSON") }
        let count = requests.withLock { $0 += 1; return $0 }
        if let alwaysStatus { return (alwaysStatus, ByteBuffer(string: #"{"error":{"message":"down"}}"#)) }
        let n = ignoresN ? 1 : request["n"]?.intValue ?? 1
        if n != 1 && !honoursN { return (400, ByteBuffer(string: #"{"error":{"message":"n must be 1"}}"#)) }
        let seed = UInt64(request["seed"]?.intValue ?? count)
        if let divisor = failSeedsDivisibleBy, seed % UInt64(divisor) == 0 {
            return (500, ByteBuffer(string: #"{"error":{"message":"boom"}}"#))
        }
        let tokens = request["max_tokens"]?.intValue ?? 64
        var generator = SeededGenerator(seed: seed &* 0x9E37_79B9 &+ 1)
        var choices: [JSONValue] = []
        for index in 0..<n {
            let text = (0..<tokens).map { _ in Self.words[Int(generator.next() % UInt64(Self.words.count))] }
                .joined(separator: " ")
            let piece = " " + text
            choices.append(path.hasSuffix("chat/completions")
                ? ["index": .number(Double(index)), "message": ["role": "assistant", "content": .string(piece)],
                   "finish_reason": "length"]
                : ["index": .number(Double(index)), "text": .string(piece), "finish_reason": "length"])
        }
        let answer: JSONValue = ["id": "x", "object": "chat.completion", "model": "words", "choices": .array(choices),
                                 "usage": ["prompt_tokens": 5, "completion_tokens": .number(Double(tokens * n)),
                                           "total_tokens": .number(Double(5 + tokens * n))]]
        return (200, ByteBuffer(string: JSONWriter().string(answer)))
    }
}

@Suite struct DraftSelectionTests {
    static func scorer() throws -> CandidateScorer {
        var configuration = WatermarkConfiguration(scheme: .kgw, key: try WatermarkKey(bytes: Array(repeating: 9, count: 32)))
        configuration.payloadBits = 8
        return try CandidateScorer(gguf: EngineUpstreamTests.modelPath, configuration: configuration)
    }

    static func request(_ body: String, account: String = "acct_sel") throws -> UpstreamRequest {
        let parsed = try CompletionRequest(endpoint: .chatCompletions, body: Array(body.utf8))
        return UpstreamRequest(request: parsed, body: parsed.raw, account: account, keyID: "key_sel")
    }

    static func text(of reply: UpstreamReply) async throws -> String {
        var bytes = ByteBuffer()
        switch reply {
        case let .complete(status, body):
            #expect(status == 200)
            bytes = body
        case let .stream(chunks):
            for try await chunk in chunks { bytes.writeImmutableBuffer(chunk) }
            var relay = ServerSentEventRelay(includeUsage: true, promptEstimate: 1)
            _ = relay.feed(bytes)
            return relay.summary.choices.first?.text ?? ""
        }
        let json = try #require(JSONValue.parse(bytes.readableBytesView))
        return json["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue ?? ""
    }

    /// Selecting segment by segment marks the answer: `aegis detect`'s test finds
    /// the account's payload; one candidate per segment (no selection) does not.
    @Test func segmentSelectionMarksTheAnswerForTheAccount() async throws {
        let scorer = try Self.scorer()
        let body = #"{"model":"words","max_tokens":96,"messages":[{"role":"user","content":"Tell me about the harbour."}]}"#
        var pValues: [Int: Double] = [:]
        for k in [1, 8] {
            let upstream = SelectionUpstream(base: WordServer(), selection: DraftSelection(candidates: k, segmentTokens: 8),
                                             scorer: scorer, defaultMaxTokens: 96)
            let request = try Self.request(body)
            let text = try await Self.text(of: try await upstream.send(request))
            pValues[k] = scorer.pValue(text, payload: scorer.payload(account: "acct_sel"))
            #expect(request.meter.mark?.method == .draftSelection)
            #expect(request.meter.mark?.marked == (k > 1))
            #expect((request.meter.tokens ?? 0) > 0)
        }
        #expect(try #require(pValues[8]) < 1e-3)
        #expect(try #require(pValues[1]) > 1e-3)
    }

    /// A server that refuses n ≠ 1 gets K requests with distinct seeds instead,
    /// every candidate's tokens are charged, and the answer is streamed when asked.
    @Test func aServerThatRefusesNGetsOneRequestPerCandidate() async throws {
        let server = WordServer(honoursN: false)
        let upstream = SelectionUpstream(base: server, selection: DraftSelection(candidates: 4), scorer: try Self.scorer(),
                                         defaultMaxTokens: 32)
        #expect(upstream.samplesPerAnswer == 4)
        let request = try Self.request(#"{"model":"words","max_tokens":32,"stream":true,"messages":[{"role":"user","content":"x"}]}"#)
        let text = try await Self.text(of: try await upstream.send(request))
        #expect(!text.isEmpty)
        #expect(server.requests.withLock { $0 } == 5)  // the refused n = 4, then 4 single requests
        #expect(request.meter.tokens == 4 * (5 + 32))
        #expect(request.meter.mark?.answered == 4)
        // The refusal is remembered: the next answer asks 4 requests only.
        _ = try await upstream.send(try Self.request(#"{"model":"words","max_tokens":32,"messages":[{"role":"user","content":"y"}]}"#))
        #expect(server.requests.withLock { $0 } == 9)
    }

    /// A server that ignores `n` (answers one choice) gets the missing candidates
    /// asked one by one, and is not asked with `n` again.
    @Test func aServerThatIgnoresNGetsTheRestAskedSeparately() async throws {
        let server = WordServer(ignoresN: true)
        let upstream = SelectionUpstream(base: server, selection: DraftSelection(candidates: 4), scorer: try Self.scorer(),
                                         defaultMaxTokens: 16)
        let request = try Self.request(#"{"model":"words","max_tokens":16,"messages":[{"role":"user","content":"x"}]}"#)
        _ = try await Self.text(of: try await upstream.send(request))
        #expect(request.meter.mark?.answered == 4)
        #expect(server.requests.withLock { $0 } == 4)  // n = 4 answered 1, then 3 single requests
        _ = try await upstream.send(try Self.request(#"{"model":"words","max_tokens":16,"messages":[{"role":"user","content":"y"}]}"#))
        #expect(server.requests.withLock { $0 } == 8)
    }

    /// Failed candidates are left out and said so; an upstream that fails every
    /// candidate has its error passed on, never an unmarked answer presented as marked.
    @Test func failingCandidatesAreLeftOutAndSaidSo() async throws {
        let some = SelectionUpstream(base: WordServer(failSeedsDivisibleBy: 2), selection: DraftSelection(candidates: 4, sampling: .seeds),
                                     scorer: try Self.scorer(), defaultMaxTokens: 32)
        let request = try Self.request(#"{"model":"words","max_tokens":32,"seed":10,"messages":[{"role":"user","content":"x"}]}"#)
        _ = try await Self.text(of: try await some.send(request))
        #expect(request.meter.mark?.answered == 2)
        #expect(request.meter.mark?.note?.contains("2 of 4") == true)

        let down = SelectionUpstream(base: WordServer(alwaysStatus: 503), selection: DraftSelection(candidates: 4),
                                     scorer: try Self.scorer(), defaultMaxTokens: 32)
        let failed = try Self.request(#"{"model":"words","max_tokens":32,"messages":[{"role":"user","content":"x"}]}"#)
        guard case let .complete(status, _) = try await down.send(failed) else {
            Issue.record("expected the upstream's error as a whole body")
            return
        }
        #expect(status == 503)
        #expect(failed.meter.mark == nil)
    }

    @Test func settingsOutsideTheirRangeAreRefused() {
        #expect(throws: GatewayError.self) { try DraftSelection(candidates: 0).validate() }
        #expect(throws: GatewayError.self) { try DraftSelection(candidates: 4, segmentTokens: 1).validate() }
        #expect(throws: Never.self) { try DraftSelection(candidates: 8, segmentTokens: 16).validate() }
    }
}

@Suite struct PayloadForwardingTests {
    /// The gateway sets the payload for vLLM's processor and keeps the client's other arguments.
    @Test func thePayloadGoesIntoVLLMsArguments() throws {
        let body = Array(#"{"model":"m","vllm_xargs":{"other":1},"messages":[]}"#.utf8)
        let client = try #require(JSONValue.parse(body))
        let forwarded = try #require(JSONValue.parse(PayloadForwarding.forwardedBody(body, clientRequest: client, payload: 77)))
        #expect(forwarded["vllm_xargs"]?["aegis_payload"]?.intValue == 77)
        #expect(forwarded["vllm_xargs"]?["other"]?.intValue == 1)
        #expect(forwarded["model"]?.stringValue == "m")
    }

    /// A payload a client wrote itself never reaches the model server, and removing it
    /// keeps what policy changed in the forwarded body (here a max_tokens cap).
    @Test func aClientsOwnPayloadIsRemovedAndPolicyChangesKept() throws {
        let client = try #require(JSONValue.parse(Array(
            #"{"model":"m","max_tokens":4000,"vllm_xargs":{"aegis_payload":5,"other":1},"messages":[]}"#.utf8)))
        let capped = Array(#"{"model":"m","max_tokens":64,"vllm_xargs":{"aegis_payload":5,"other":1},"messages":[]}"#.utf8)
        let cleaned = try #require(JSONValue.parse(PayloadForwarding.forwardedBody(capped, clientRequest: client, payload: nil)))
        #expect(cleaned["vllm_xargs"]?["aegis_payload"] == nil)
        #expect(cleaned["vllm_xargs"]?["other"]?.intValue == 1)
        #expect(cleaned["max_tokens"]?.intValue == 64)
        let plain = Array(#"{"model":"m","messages":[]}"#.utf8)
        #expect(PayloadForwarding.forwardedBody(plain, clientRequest: try #require(JSONValue.parse(plain)), payload: nil) == plain)
    }
}

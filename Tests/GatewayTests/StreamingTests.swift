import AegisCore
import Foundation
import NIOCore
import Store
import Testing
@testable import Gateway

@Suite struct StreamingTests {
    @Test func streamsAreRelayedWithDoneAndUsageOnlyWhenAsked() async throws {
        try await withGateway(afterShutdown: { store in
            let entries = try await loggedExchanges(store)
            #expect(entries.count == 2)
            for entry in entries {
                let response = try #require(entry["response"] as? [String: Any])
                let choices = try #require(response["choices"] as? [[String: Any]])
                #expect(choices.first?["text"] as? String == "t0 t1 t2 ")
                #expect((response["usage"] as? [String: Any])?["completion_tokens"] as? Int == 3)
            }
        }) { gateway in
            let key = try await gateway.store.createKey(account: "acct_s", limits: RateLimits()).secret
            let plain = try await gateway.send("/v1/chat/completions", key: key,
                body: #"{"model":"test-model","stream":true,"messages":[{"role":"user","content":"x"}]}"#)
            #expect(plain.status == 200)
            #expect(plain.headers.first(name: "content-type") == "text/event-stream")
            #expect(plain.body.hasSuffix("data: [DONE]\n\n"))
            #expect(!plain.body.contains("\"total_tokens\""))
            #expect(plain.body.components(separatedBy: "data: ").count - 1 == 4)
            let withUsage = try await gateway.send("/v1/chat/completions", key: key,
                body: #"{"model":"test-model","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"x"}]}"#)
            #expect(withUsage.body.contains("\"choices\":[],\"usage\":{\"prompt_tokens\":3"))
            #expect(withUsage.body.hasSuffix("data: [DONE]\n\n"))
        }
    }

    @Test func anUpstreamErrorMidStreamEndsTheStreamWithAnErrorEvent() async throws {
        try await withGateway(upstream: ScriptedUpstream(chunks: 5, failAfter: 2)) { gateway in
            let key = try await gateway.store.createKey(account: "acct_e", limits: RateLimits()).secret
            let response = try await gateway.send("/v1/chat/completions", key: key,
                body: #"{"model":"test-model","stream":true,"messages":[{"role":"user","content":"x"}]}"#)
            #expect(response.status == 200)
            #expect(response.body.contains("t1 "))
            let last = response.body.components(separatedBy: "\n\n").filter { !$0.isEmpty }.last ?? ""
            #expect(last.hasPrefix("data: {\"error\":{"))
            #expect(!response.body.contains("[DONE]"))
            #expect(try await gateway.send(.GET, "/healthz", key: nil).status == 200)
        }
    }

    @Test func relayEstimatesUsageWhenTheUpstreamSendsNone() {
        var relay = ServerSentEventRelay(includeUsage: true, promptEstimate: 7)
        var out = relay.feed(ByteBuffer(string: "data: {\"id\":\"a\",\"object\":\"chat.completion.chunk\",\"created\":5,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n"))
        out.writeImmutableBuffer(relay.feed(ByteBuffer(string: "\ndata: [DONE]\n\n")))
        let text = String(buffer: out)
        #expect(text.contains("\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":1,\"total_tokens\":8}"))
        #expect(text.hasSuffix("data: [DONE]\n\n"))
        #expect(relay.usage.estimated)
    }
}

@Suite struct FormatTests {
    @Test func aRewrittenBodyKeepsEveryDigitOfWhatItDoesNotChange() throws {
        let raw = #" {"model":"m","seed":12345678901234567890,"temperature":0.70,"x":[1,2.50,-3e2,"\u00e9"],"#
            + #""messages":[{"role":"user","content":"hi"}],"stream":true,"max_tokens":500} "#
        let request = try CompletionRequest(endpoint: .chatCompletions, body: Array(raw.utf8))
        // Streams always ask the upstream for usage, so the body is rewritten.
        let text = String(decoding: request.upstreamBody(for: .allow), as: UTF8.self)
        #expect(text.contains(#""seed":12345678901234567890,"temperature":0.70,"x":[1,2.50,-3e2,"\u00e9"]"#))
        #expect(text.contains(#""stream_options":{"include_usage":true}"#))
        let capped = String(decoding: request.upstreamBody(for: .degrade(maxTokens: 64, withholding: .all, reason: "t")), as: UTF8.self)
        #expect(capped.contains(#""max_tokens":64"#) && capped.contains(#""seed":12345678901234567890"#))
        for junk in ["", "{", "[1,]", "01", "{\"a\"}", "tru", "\"\u{01}\"", "[1] x", "-", "1.", "[1]"] {
            #expect(throws: GatewayError.self, "\(junk)") { try CompletionRequest(endpoint: .chatCompletions, body: Array(junk.utf8)) }
        }
    }

    @Test func logTimestampsAreRFC3339UTCWithMilliseconds() {
        #expect(ExchangeTime.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(ExchangeTime.format(Date(timeIntervalSince1970: 1_795_773_600.123)) == "2026-11-27T10:00:00.123Z")
        #expect(ExchangeTime.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
    }

    @Test func everyLoggedLineDecodesAsAnAegisCoreExchange() async throws {
        try await withGateway(afterShutdown: { store in
            let lines = Locked<[String]>([])
            try await store.forEachExchange(since: nil) { exchange in lines.withLock { $0.append(exchange.line) } }
            let all = lines.withLock { $0 }
            #expect(all.count == 4)
            for line in all {
                let exchange = try Exchange(line: line)
                #expect(exchange.id.hasPrefix("ex_") && exchange.endpoint == "chat.completions")
                #expect(exchange.response?.status != nil)
            }
        }) { gateway in
            let key = try await gateway.store.createKey(account: "acct_x", limits: RateLimits()).secret
            _ = try await gateway.send("/v1/chat/completions", key: key, body: chatBody)
            _ = try await gateway.send("/v1/chat/completions", key: key,
                body: #"{"model":"test-model","stream":true,"messages":[{"role":"user","content":"x"}]}"#)
            _ = try await gateway.send("/v1/chat/completions", key: nil, body: chatBody)
            _ = try await gateway.send("/v1/chat/completions", key: key, body: "{not json")
        }
    }

    @Test func logLinesFollowTheExchangeFormat() throws {
        var line = ExchangeLine(id: "ex_1", time: Date(timeIntervalSince1970: 0), endpoint: "chat.completions", status: 200)
        line.account = "acct_1"
        line.keyID = "key_1"
        line.clientIP = "127.0.0.1"
        line.userAgent = "ua \"quoted\""
        line.model = "m"
        line.requestJSON = #"{"model":"m","messages":[]}"#
        var summary = ResponseSummary()
        _ = summary.add(chunk: JSONValue.parse(Array(#"{"choices":[{"index":0,"delta":{"content":"hi\n"},"finish_reason":"stop"}]}"#.utf8))!)
        summary.usage = Usage(promptTokens: 2, completionTokens: 1)
        line.response = summary
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.text.utf8)) as? [String: Any])
        #expect(object["id"] as? String == "ex_1" && object["account"] as? String == "acct_1")
        #expect((object["client"] as? [String: Any])?["user_agent"] as? String == "ua \"quoted\"")
        #expect((object["request"] as? [String: Any])?["model"] as? String == "m")
        let response = try #require(object["response"] as? [String: Any])
        #expect(response["status"] as? Int == 200)
        #expect((response["choices"] as? [[String: Any]])?.first?["text"] as? String == "hi\n")
        #expect(!line.text.contains("\n"))
    }

    /// The live detector gets the record the line is written from instead of
    /// reading the line back: both must be the same exchange.
    @Test func theObservedRecordIsWhatTheLineReadsBackAs() throws {
        var line = ExchangeLine(id: "ex_2", time: Date(timeIntervalSince1970: 1_764_400_000.25), endpoint: "chat.completions",
                                status: 200)
        line.account = "acct_2"
        line.keyID = "key_2"
        line.clientIP = "203.0.113.9"
        line.userAgent = "openai-python/1.55.0"
        line.accountCreated = Date(timeIntervalSince1970: 1_764_000_000)
        line.accountMetadata = AccountMetadata(paymentFingerprint: "pf_1", emailDomain: "example.com", tier: "free")
        line.model = "m"
        let body = #"{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Why? 1.50"}],"max_tokens":64,"temperature":0.70,"user":"end_user_1","x_unknown":[1,{"a":null}]}"#
        let parsed = try CompletionRequest(endpoint: .chatCompletions, body: Array(body.utf8))
        line.requestJSON = parsed.singleLineJSON
        line.requestBody = parsed.body
        var summary = ResponseSummary()
        _ = summary.add(chunk: JSONValue.parse(Array(#"{"choices":[{"index":0,"delta":{"content":"Because."},"finish_reason":"stop"}]}"#.utf8))!)
        summary.usage = Usage(promptTokens: 9, completionTokens: 2)
        line.response = summary
        line.policy = PolicyDecision(action: .throttle, reason: "detector: score 0.70", limits: .init(), maxTokens: nil)
        let observed = line.exchange
        let readBack = try Exchange(line: line.text(observed))
        #expect(readBack == observed)
    }
}

@Suite struct CompletionFormatterTests {
    @Test func engineOutputIsWhatTheRelayAndClientsRead() throws {
        let formatter = CompletionFormatter(model: "m\"1", endpoint: .chatCompletions)
        var relay = ServerSentEventRelay(includeUsage: false, promptEstimate: 1)
        var stream = formatter.chunk("Hel")
        stream.writeImmutableBuffer(formatter.chunk("lo", finishReason: "stop"))
        stream.writeImmutableBuffer(formatter.usageChunk(Usage(promptTokens: 4, completionTokens: 2)))
        stream.writeImmutableBuffer(CompletionFormatter.done)
        let forwarded = String(buffer: relay.feed(stream))
        #expect(relay.summary.choices.first?.text == "Hello" && relay.summary.choices.first?.finishReason == "stop")
        #expect(relay.usage == Usage(promptTokens: 4, completionTokens: 2))
        #expect(!forwarded.contains("\"usage\"") && forwarded.hasSuffix("data: [DONE]\n\n"))
        let whole = formatter.completion(choices: [("Hi", "length")], usage: Usage(promptTokens: 1, completionTokens: 1))
        let summary = ResponseSummary(completion: JSONValue.parse(whole.readableBytesView))
        #expect(summary.choices.first?.text == "Hi" && summary.usage?.totalTokens == 2)
    }
}

import Foundation
import NIOCore
import Store
import Testing
@testable import Gateway

@Suite struct BadInputTests {
    @Test func badBodiesGetTheRightStatusAndAnOpenAIErrorAndTheServerStaysUp() async throws {
        var configuration = GatewayConfiguration()
        configuration.maxBodyBytes = 1 << 20
        try await withGateway(configuration: configuration) { gateway in
            let key = try await gateway.store.createKey(account: "acct_bad", limits: RateLimits()).secret
            let cases: [(body: String, status: Int, param: String?)] = [
                ("{not json", 400, nil),
                ("[1,2,3]", 400, nil),
                ("", 400, nil),
                (#"{"model":5,"messages":[{"role":"user","content":"x"}]}"#, 400, "model"),
                (#"{"model":"test-model","messages":"hello"}"#, 400, "messages"),
                (#"{"model":"test-model"}"#, 400, "messages"),
                (#"{"model":"test-model","messages":[{"role":"user","content":"x"}],"max_tokens":"ten"}"#, 400, "max_tokens"),
                (#"{"model":"test-model","messages":[{"role":"user","content":"x"}],"max_tokens":1.5}"#, 400, "max_tokens"),
                (#"{"model":"test-model","messages":[{"role":"user","content":"x"}],"stream":"yes"}"#, 400, "stream"),
                (#"{"model":"test-model","messages":[{"role":"user","content":"x"}],"temperature":"hot"}"#, 400, "temperature"),
                (#"{"model":"test-model","messages":[{"role":"user","content":"x"}],"n":0}"#, 400, "n"),
                (#"{"model":"other","messages":[{"role":"user","content":"x"}]}"#, 404, "model"),
                (String(repeating: "[", count: 100_000), 400, nil),
                (#"{"model":"test-model","messages":[{"role":"user","content":""# + String(repeating: "x", count: 2 << 20) + #""}]}"#, 413, nil),
            ]
            for item in cases {
                let response = try await gateway.send("/v1/chat/completions", key: key, body: item.body)
                #expect(response.status == item.status, "\(item.body.prefix(60))")
                try expectOpenAIError(response.body, param: item.param)
                #expect(try await gateway.send(.GET, "/healthz", key: nil).status == 200)
            }
        }
    }

    @Test func unknownRoutesAndBadKeysAreOpenAIErrors() async throws {
        try await withGateway { gateway in
            let missing = try await gateway.send("/v1/embeddings", key: nil, body: "{}")
            #expect(missing.status == 404)
            try expectOpenAIError(missing.body, param: nil)
            let wrongMethod = try await gateway.send(.GET, "/v1/chat/completions", key: nil)
            #expect(wrongMethod.status == 404)
            let noKey = try await gateway.send("/v1/chat/completions", key: nil, body: chatBody)
            #expect(noKey.status == 401)
            try expectOpenAIError(noKey.body, param: nil)
            let badKey = try await gateway.send("/v1/chat/completions", key: "sk-aegis-nope", body: chatBody)
            #expect(badKey.status == 401 && badKey.body.contains("invalid_api_key"))
            let models = try await gateway.send(.GET, "/v1/models", key: "sk-aegis-nope")
            #expect(models.status == 401)
        }
    }

    @Test func aSlowBodyTimesOutWith408AndTheServerStaysUp() async throws {
        var configuration = GatewayConfiguration()
        configuration.bodyTimeout = 0.3
        try await withGateway(configuration: configuration) { gateway in
            let key = try await gateway.store.createKey(account: "acct_slow", limits: RateLimits()).secret
            let head = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(key)\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model\":"
            let reply = try await RawSocket.exchange(port: gateway.port, send: head, readFor: 5)
            #expect(reply.hasPrefix("HTTP/1.1 408"), "\(reply.prefix(200))")
            #expect(reply.contains("\"type\":\"invalid_request_error\""))
            #expect(try await gateway.send(.GET, "/healthz", key: nil).status == 200)
        }
    }

    @Test func upstreamFailuresAre502And504() async throws {
        struct Failing: Upstream {
            let error: GatewayError
            func models() async throws -> [String] { ["test-model"] }
            func send(_ request: UpstreamRequest) async throws -> UpstreamReply { throw error }
        }
        for (error, status) in [(GatewayError.upstreamFailed("refused"), 502), (.upstreamTimeout(seconds: 1), 504)] {
            try await withGateway(upstream: Failing(error: error)) { gateway in
                let key = try await gateway.store.createKey(account: "acct_up", limits: RateLimits()).secret
                let response = try await gateway.send("/v1/chat/completions", key: key, body: chatBody)
                #expect(response.status == status)
                try expectOpenAIError(response.body, param: nil)
            }
        }
    }
}

func expectOpenAIError(_ body: String, param: String?) throws {
    let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
    let error = try #require(object?["error"] as? [String: Any], "not an OpenAI error: \(body.prefix(200))")
    #expect(error["message"] is String)
    #expect(error["type"] is String)
    #expect(error.keys.contains("param") && error.keys.contains("code"))
    if let param { #expect(error["param"] as? String == param) }
}

/// A blocking TCP exchange on loopback, for requests no HTTP client would send.
enum RawSocket {
    static func exchange(port: Int, send text: String, readFor seconds: Double) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try blockingExchange(port: port, send: text, readFor: seconds) })
            }
        }
    }

    private static func blockingExchange(port: Int, send text: String, readFor seconds: Double) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw GatewayError(status: 0, message: "socket failed", type: "test") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw GatewayError(status: 0, message: "connect failed", type: "test") }
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = text.withCString { write(fd, $0, strlen($0)) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}

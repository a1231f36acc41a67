import AegisCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Watermark

/// Any OpenAI-compatible model server (vLLM, llama.cpp's server, OpenAI itself),
/// reached at a base URL such as `http://127.0.0.1:8080/v1`.
///
/// Streams are relayed chunk by chunk as they arrive; nothing is buffered
/// beyond the event being parsed.
public struct HTTPUpstream: Upstream {
    private let baseURL: String
    private let client: HTTPClient
    private let apiKey: String?
    private let timeout: TimeAmount
    private let streamDeadline: TimeAmount
    private let payloadForwarding: PayloadForwarding?

    /// Creates an upstream.
    /// - Parameters:
    ///   - baseURL: the server's OpenAI base URL, ending in `/v1` (a trailing slash is ignored).
    ///   - client: the shared HTTP client (its read timeout bounds silence inside a stream).
    ///   - apiKey: bearer key the upstream expects, if any.
    ///   - timeout: longest wait for a whole non-streamed answer (and for a stream's head).
    ///   - streamDeadline: longest a stream may last in total.
    ///   - payloadForwarding: set when the model server marks its own answers (`python/aegis_watermark`):
    ///     each request then carries the account's payload, and its answer is logged as marked by it.
    public init(baseURL: String, client: HTTPClient, apiKey: String? = nil, timeout: TimeAmount = .seconds(120),
                streamDeadline: TimeAmount = .minutes(30), payloadForwarding: PayloadForwarding? = nil) {
        self.payloadForwarding = payloadForwarding
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.client = client
        self.apiKey = apiKey
        self.timeout = timeout
        self.streamDeadline = streamDeadline
    }

    public func models() async throws -> [String] {
        var request = HTTPClientRequest(url: baseURL + "/models")
        if let apiKey { request.headers.add(name: "authorization", value: "Bearer \(apiKey)") }
        let response = try await execute(request, deadline: .now() + timeout)
        let body = try await response.body.collect(upTo: 16 << 20)
        guard response.status == .ok, let json = JSONValue.parse(body.readableBytesView),
              let data = json["data"]?.arrayValue
        else { throw GatewayError.upstreamFailed("GET \(baseURL)/models answered \(response.status.code)") }
        return data.compactMap { $0["id"]?.stringValue }
    }

    public func send(_ upstreamRequest: UpstreamRequest) async throws -> UpstreamReply {
        let stream = upstreamRequest.request.stream
        var headers: [(String, String)] = []
        var vllmPayload: UInt32?
        if let forwarding = payloadForwarding {
            let payload = AccountPayload.payload(account: upstreamRequest.account, bits: forwarding.bits)
            headers.append((PayloadForwarding.header, String(payload)))
            if forwarding.inBody { vllmPayload = payload }
            upstreamRequest.meter.record(AnswerMark(marked: true, method: .upstreamProcessor, scheme: forwarding.scheme))
        }
        let body = PayloadForwarding.forwardedBody(upstreamRequest.body, clientRequest: upstreamRequest.request.body,
                                                   payload: vllmPayload)
        let response = try await post(path: upstreamRequest.request.endpoint.path, body: body, stream: stream,
                                       headers: headers)
        let status = Int(response.status.code)
        let isEventStream = response.headers.first(name: "content-type")?.contains("text/event-stream") ?? false
        if stream, status == 200, isEventStream {
            return .stream(UpstreamBody(response.body))
        }
        do {
            return .complete(status: status, body: try await response.body.collect(upTo: 64 << 20))
        } catch {
            throw Self.translate(error, timeout: timeout)
        }
    }

    /// POSTs a JSON body to `path` under the base URL (`/chat/completions`, …).
    func post(path: String, body: [UInt8], stream: Bool = false, headers: [(String, String)] = [])
        async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        if stream { request.headers.add(name: "accept", value: "text/event-stream") }
        if let apiKey { request.headers.add(name: "authorization", value: "Bearer \(apiKey)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        return try await execute(request, deadline: .now() + (stream ? streamDeadline : timeout))
    }

    /// POSTs a JSON body and reads the whole answer: its status and body.
    public func postCollecting(path: String, body: [UInt8]) async throws -> (status: Int, body: ByteBuffer) {
        let response = try await post(path: path, body: body)
        do {
            return (Int(response.status.code), try await response.body.collect(upTo: 64 << 20))
        } catch {
            throw Self.translate(error, timeout: timeout)
        }
    }

    private func execute(_ request: HTTPClientRequest, deadline: NIODeadline) async throws -> HTTPClientResponse {
        do {
            return try await client.execute(request, deadline: deadline)
        } catch {
            throw Self.translate(error, timeout: timeout)
        }
    }

    /// Maps transport failures to 504 (time) or 502 (anything else).
    static func translate(_ error: any Error, timeout: TimeAmount) -> any Error {
        if error is GatewayError || error is CancellationError { return error }
        if let error = error as? HTTPClientError,
           error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return GatewayError.upstreamTimeout(seconds: Double(timeout.nanoseconds) / 1e9)
        }
        return GatewayError.upstreamFailed("\(error)")
    }
}

import AsyncHTTPClient
import Foundation
import Gateway
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import UnixSignals
import Store
import Synchronization

/// An in-process upstream for tests: answers with a fixed completion, or streams
/// `chunks` events `delay` apart. (The real upstream, llama.cpp's server, is
/// exercised by the Python suite.)
struct ScriptedUpstream: Upstream {
    var chunks = 3
    var delay: Duration = .zero
    var failAfter: Int?
    /// Counts requests received.
    let received = Locked<Int>(0)

    func models() async throws -> [String] { ["test-model"] }

    func send(_ request: UpstreamRequest) async throws -> UpstreamReply {
        received.withLock { $0 += 1 }
        if !request.request.stream {
            if delay > .zero { try await Task.sleep(for: delay * chunks) }
            let body = #"{"id":"cmpl-1","object":"chat.completion","created":1,"model":"test-model","choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}"#
            return .complete(status: 200, body: ByteBuffer(string: body))
        }
        let (stream, continuation) = AsyncThrowingStream<ByteBuffer, Error>.makeStream()
        let chunks = self.chunks, delay = self.delay, failAfter = self.failAfter
        Task {
            for index in 0..<chunks {
                if delay > .zero { try? await Task.sleep(for: delay) }
                if let failAfter, index == failAfter {
                    continuation.finish(throwing: GatewayError(status: 502, message: "boom", type: "server_error"))
                    return
                }
                continuation.yield(ByteBuffer(string: "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"test-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t\(index) \"},\"finish_reason\":null}],\"usage\":null}\n\n"))
            }
            continuation.yield(ByteBuffer(string: "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"test-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":\(chunks),\"total_tokens\":\(3 + chunks)}}\n\ndata: [DONE]\n\n"))
            continuation.finish()
        }
        return .stream(UpstreamBody(stream))
    }
}

/// A fresh store in a temporary folder.
func makeStore() throws -> (SQLiteStore, URL) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aegis-gw-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return (try SQLiteStore(path: folder.appendingPathComponent("aegis.db").path), folder)
}

/// A running gateway on a free port, for the length of `body`.
struct LiveGateway {
    let port: Int
    let store: SQLiteStore
    let client: HTTPClient
    /// The live detector, when the test turned detection on.
    var detector: LiveDetector?
    /// Starts a graceful shutdown, as SIGTERM does.
    let shutdown: @Sendable () async -> Void

    var base: String { "http://127.0.0.1:\(port)" }

    /// POSTs a request; returns status, headers and body text.
    func send(_ path: String, key: String?, body: String? = nil,
              headers: [(String, String)] = []) async throws -> (status: Int, headers: HTTPHeaders, body: String) {
        try await send(.POST, path, key: key, body: body, headers: headers)
    }

    /// Sends a request; returns status, headers and body text.
    func send(_ method: HTTPMethod, _ path: String, key: String?, body: String? = nil,
              headers: [(String, String)] = []) async throws -> (status: Int, headers: HTTPHeaders, body: String) {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let key { request.headers.add(name: "authorization", value: "Bearer \(key)") }
        request.headers.add(name: "content-type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        // Generous: a safety net against a hung server, not a speed check (the built-in
        // engine on a loaded 2-core machine can take a minute for 200 tokens).
        let response = try await client.execute(request, timeout: .seconds(600))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), response.headers, String(buffer: bytes))
    }
}

/// Starts a gateway, runs `body`, shuts it down gracefully (draining and flushing the log).
func withGateway<T>(
    configuration: GatewayConfiguration = GatewayConfiguration(),
    upstream: any Upstream = ScriptedUpstream(),
    limiter: RateLimiter = RateLimiter(),
    signals: [UnixSignal] = [],
    detection: LiveDetectionSettings? = nil,
    prepare: (SQLiteStore) async throws -> Void = { _ in },
    afterShutdown: (SQLiteStore) async throws -> Void = { _ in },
    _ body: (LiveGateway) async throws -> T
) async throws -> T {
    let (store, folder) = try makeStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    try await prepare(store)
    var configuration = configuration
    configuration.port = 0
    var logger = Logger(label: "test")
    logger.logLevel = ProcessInfo.processInfo.environment["AEGIS_TEST_LOG"] != nil ? .debug : .critical
    let (ports, portContinuation) = AsyncStream<Int>.makeStream()
    let gateway = Gateway(configuration: configuration, store: store, upstream: upstream, detection: detection,
                          limiter: limiter, logger: logger) { port in portContinuation.yield(port) }
    var clientConfiguration = HTTPClient.Configuration()
    clientConfiguration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 200)
    // A request waiting for a pooled connection gives up after the connect timeout
    // (10 s by default): 1,000 queued requests on a loaded machine can wait longer.
    // A hang guard, not a speed check.
    clientConfiguration.timeout = .init(connect: .seconds(300))
    let client = HTTPClient(eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton),
                            configuration: clientConfiguration)
    let group = ServiceGroup(configuration: .init(services: [gateway.application], gracefulShutdownSignals: signals,
                                                  logger: logger))
    let running = Task { try await group.run() }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else { throw CancellationError() }
    let live = LiveGateway(port: port, store: store, client: client, detector: gateway.detector) {
        await group.triggerGracefulShutdown()
    }
    do {
        let result = try await body(live)
        await group.triggerGracefulShutdown()
        try await running.value
        try await client.shutdown()
        try await afterShutdown(store)
        return result
    } catch {
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        try? await client.shutdown()
        throw error
    }
}

/// Log lines as parsed JSON objects.
func loggedExchanges(_ store: SQLiteStore) async throws -> [[String: Any]] {
    let lines = Mutex<[String]>([])
    try await store.forEachExchange(since: nil) { exchange in lines.withLock { $0.append(exchange.line) } }
    return try lines.withLock { $0 }.map { line in
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw GatewayError(status: 0, message: "log line is not an object: \(line)", type: "test")
        }
        return object
    }
}

/// A frozen clock for the limiter, so time cannot refill buckets during a test.
final class ManualClock: Sendable {
    let seconds = Mutex<Double>(1000)
    var now: @Sendable () -> Double { { [self] in seconds.withLock { $0 } } }
}

let chatBody = #"{"model":"test-model","messages":[{"role":"user","content":"hi"}],"max_tokens":5}"#

/// A lock-protected value that escaping closures can share.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
}

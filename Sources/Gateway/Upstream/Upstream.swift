import NIOCore

/// Where completions come from: a model server over HTTP, or the built-in engine.
///
/// An upstream speaks OpenAI's wire format: it receives the (possibly rewritten)
/// request body and answers with a JSON body or a stream of server-sent events.
/// Keys, limits, policy, metrics and the exchange log stay in the gateway, so a
/// new upstream only has to produce completions.
///
/// The built-in engine plugs in by implementing ``send(_:)`` with a ``UpstreamBody``
/// made from an `AsyncThrowingStream<ByteBuffer, Error>` of SSE events it formats
/// from its tokens (``CompletionFormatter`` writes them).
public protocol Upstream: Sendable {
    /// The model ids this upstream serves (GET /v1/models lists them).
    func models() async throws -> [String]

    /// Runs one request; throws a ``GatewayError`` (502, 504, …) when it cannot.
    func send(_ request: UpstreamRequest) async throws -> UpstreamReply

    /// How many answers the model server writes per answer served (draft
    /// selection: K), so that tokens-per-minute admission reserves what a
    /// request will really cost.
    var samplesPerAnswer: Int { get }
}

extension Upstream {
    /// One: the server writes what is served.
    public var samplesPerAnswer: Int { 1 }
}

/// A request as the gateway hands it to an upstream.
public struct UpstreamRequest: Sendable {
    /// The validated client request.
    public var request: CompletionRequest
    /// The body to send: the client's, with stream usage requested and policy caps applied.
    public var body: [UInt8]
    /// The account it is served to (the built-in engine derives the watermark payload from it).
    public var account: String
    /// The key id used.
    public var keyID: String
    /// Where the upstream reports what the answer cost and how it was marked.
    public var meter: UpstreamMeter

    /// Creates a request.
    public init(request: CompletionRequest, body: [UInt8], account: String, keyID: String,
                meter: UpstreamMeter = UpstreamMeter()) {
        self.request = request
        self.body = body
        self.account = account
        self.keyID = keyID
        self.meter = meter
    }
}

/// What an upstream answered.
public enum UpstreamReply: Sendable {
    /// A whole body (a completion, or an error from the upstream) with its HTTP status.
    case complete(status: Int, body: ByteBuffer)
    /// A stream of server-sent events (`data: {...}\n\n` … `data: [DONE]\n\n`), status 200.
    case stream(UpstreamBody)
}

/// A one-shot sequence of byte chunks, erasing the producer's type
/// (an HTTP response body, or the engine's token stream).
public struct UpstreamBody: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    private let makeNext: @Sendable () -> (@Sendable () async throws -> ByteBuffer?)

    /// Wraps any sequence of byte buffers; it must be iterated once only.
    public init<Chunks: AsyncSequence & Sendable>(_ chunks: Chunks) where Chunks.Element == ByteBuffer {
        makeNext = {
            let box = IteratorBox(chunks.makeAsyncIterator())
            return { try await box.next() }
        }
    }

    public func makeAsyncIterator() -> Iterator { Iterator(produce: makeNext()) }

    /// Iterates the chunks.
    public struct Iterator: AsyncIteratorProtocol {
        let produce: @Sendable () async throws -> ByteBuffer?
        public mutating func next() async throws -> ByteBuffer? { try await produce() }
    }
}

/// Holds a producer's iterator; used by one consuming task at a time.
private final class IteratorBox<Base: AsyncIteratorProtocol>: @unchecked Sendable where Base.Element == ByteBuffer {
    private var base: Base
    init(_ base: Base) { self.base = base }
    func next() async throws -> ByteBuffer? { try await base.next() }
}

import NIOCore

/// An OpenAI-compatible model server as draft selection uses it: one JSON
/// request at a time, answered whole. ``HTTPUpstream`` is the real one; tests
/// put a scripted server in its place.
public protocol ModelServer: Sendable {
    /// The model ids it serves.
    func models() async throws -> [String]
    /// POSTs a JSON body to `path` under the base URL (`/chat/completions`, …) and
    /// reads the whole answer; throws a ``GatewayError`` for a transport failure.
    func postCollecting(path: String, body: [UInt8]) async throws -> (status: Int, body: ByteBuffer)
}

extension HTTPUpstream: ModelServer {}

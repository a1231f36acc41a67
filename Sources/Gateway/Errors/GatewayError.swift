import AegisCore
import HTTPTypes
import Hummingbird
import NIOCore

/// An error the gateway answers with, in OpenAI's shape:
/// `{"error":{"message","type","param","code"}}` and the matching HTTP status.
///
/// The official clients map the status to their exception classes
/// (401 → AuthenticationError, 403 → PermissionDeniedError, 429 → RateLimitError),
/// so the status and `type` follow OpenAI's conventions.
///
/// It is Hummingbird's `HTTPResponseError`: a route handler throws it and the
/// router renders it (``response(from:context:)``).
public struct GatewayError: AegisError, Equatable, HTTPResponseError {
    /// HTTP status code.
    public var statusCode: Int
    /// One-line message: what was wrong and what to do.
    public var message: String
    /// OpenAI error type ("invalid_request_error", "authentication_error", …).
    public var type: String
    /// The request parameter at fault, if any.
    public var param: String?
    /// A machine-readable code ("invalid_api_key", "rate_limit_exceeded", …).
    public var code: String?
    /// Extra response headers (rate-limit headers, Retry-After).
    public var headers: [(String, String)] = []

    public var description: String { message }

    /// Creates an error.
    public init(status: Int, message: String, type: String, param: String? = nil, code: String? = nil,
                headers: [(String, String)] = []) {
        self.statusCode = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.headers = headers
    }

    public static func == (lhs: GatewayError, rhs: GatewayError) -> Bool {
        lhs.statusCode == rhs.statusCode && lhs.message == rhs.message && lhs.type == rhs.type && lhs.param == rhs.param
            && lhs.code == rhs.code
    }

    /// The `error` object: message, type, param and code (the log keeps it as well).
    public var object: JSONValue {
        ["message": .string(message), "type": .string(type), "param": param.map(JSONValue.string) ?? .null,
         "code": code.map(JSONValue.string) ?? .null]
    }

    /// The JSON body, rendered from ``object``.
    public var body: String {
        JSONWriter().string(["error": object])
    }

    /// The HTTP status, as Hummingbird's `HTTPResponseError` names it.
    public var status: HTTPResponse.Status { .init(code: statusCode) }

    /// The response: OpenAI's error body, the error's extra headers, and
    /// `Connection: close` after a body that could not be read (408, 413).
    public func response(from request: Request, context: some RequestContext) -> Response {
        response
    }

    /// The response, without a request (the log path renders it too).
    var response: Response {
        var fields: HTTPFields = [.contentType: "application/json"]
        for (name, value) in headers {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        if statusCode == 408 || statusCode == 413 { fields[.connection] = "close" }
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    // MARK: The errors the gateway answers with

    static func badRequest(_ message: String, param: String? = nil, code: String? = nil) -> GatewayError {
        GatewayError(status: 400, message: message, type: "invalid_request_error", param: param, code: code)
    }

    static let missingKey = GatewayError(
        status: 401, message: "no API key given; send it as `Authorization: Bearer sk-aegis-…` (create one with `aegis keys create`)",
        type: "invalid_request_error", code: "invalid_api_key")

    static let invalidKey = GatewayError(
        status: 401, message: "the API key is not valid or was revoked; ask your administrator for a key (`aegis keys create`)",
        type: "invalid_request_error", code: "invalid_api_key")

    static func blocked(account: String, reason: String) -> GatewayError {
        GatewayError(status: 403, message: "account \(account) is blocked: \(reason); contact the provider to appeal",
                     type: "permission_error", code: "account_blocked")
    }

    static func unknownModel(_ model: String, known: [String]) -> GatewayError {
        GatewayError(status: 404, message: "the model \"\(model)\" does not exist; available: \(known.joined(separator: ", "))",
                     type: "invalid_request_error", param: "model", code: "model_not_found")
    }

    static func unknownRoute(_ method: String, _ path: String) -> GatewayError {
        GatewayError(status: 404, message: "no route \(method) \(path); this server offers POST /v1/chat/completions, POST /v1/completions and GET /v1/models",
                     type: "invalid_request_error", code: "unknown_url")
    }

    static func bodyTooLarge(limit: Int) -> GatewayError {
        GatewayError(status: 413, message: "the request body is larger than \(limit) bytes; send a shorter request",
                     type: "invalid_request_error", code: "request_too_large")
    }

    static let bodyTimeout = GatewayError(
        status: 408, message: "the request body did not arrive in time; send the whole body promptly",
        type: "invalid_request_error", code: "request_timeout")

    static func upstreamFailed(_ detail: String) -> GatewayError {
        GatewayError(status: 502, message: "the model server failed: \(detail); retry later", type: "server_error",
                     code: "upstream_error")
    }

    static func upstreamTimeout(seconds: Double) -> GatewayError {
        GatewayError(status: 504, message: "the model server did not answer within \(seconds) s; retry later",
                     type: "server_error", code: "upstream_timeout")
    }

    static let internalError = GatewayError(
        status: 500, message: "the gateway failed unexpectedly; retry, and report it if it persists",
        type: "server_error", code: "internal_error")

    static let shuttingDown = GatewayError(
        status: 503, message: "the gateway is shutting down; retry on another node", type: "server_error",
        code: "shutting_down")
}

import AegisCore

/// An error the TAXII server answers with: the HTTP status and a TAXII error
/// message (`title`, `description`, `http_status`) whose description says
/// what to do.
public struct TAXIIError: AegisError, Equatable {
    /// HTTP status.
    public var status: Int
    /// Short title.
    public var title: String
    /// One line: what was wrong and what to do.
    public var detail: String

    public var description: String { "\(status) \(title): \(detail)" }

    /// Creates an error.
    public init(status: Int, title: String, detail: String) {
        self.status = status
        self.title = title
        self.detail = detail
    }

    /// The error message resource.
    public var json: JSONValue {
        ["title": .string(title), "description": .string(detail), "http_status": .string(String(status))]
    }

    static func badRequest(_ detail: String) -> TAXIIError { .init(status: 400, title: "Bad Request", detail: detail) }
    static let unauthorized = TAXIIError(status: 401, title: "Unauthorized",
                                         detail: "send HTTP Basic credentials of a user made with `aegis exchange users add`")
    static func forbidden(_ detail: String) -> TAXIIError { .init(status: 403, title: "Forbidden", detail: detail) }
    static func notFound(_ detail: String) -> TAXIIError { .init(status: 404, title: "Not Found", detail: detail) }
    static func methodNotAllowed(_ method: String, _ path: String) -> TAXIIError {
        .init(status: 405, title: "Method Not Allowed", detail: "\(method) is not served on \(path)")
    }
    static let notAcceptable = TAXIIError(status: 406, title: "Not Acceptable",
                                          detail: "accept application/taxii+json;version=2.1, the only media type served")
    static func tooLarge(_ limit: Int) -> TAXIIError {
        .init(status: 413, title: "Payload Too Large", detail: "send at most \(limit) bytes per request; split the envelope")
    }
    static let unsupportedMediaType = TAXIIError(status: 415, title: "Unsupported Media Type",
                                                 detail: "send Content-Type: application/taxii+json;version=2.1")
    static func unprocessable(_ detail: String) -> TAXIIError {
        .init(status: 422, title: "Unprocessable Entity", detail: detail)
    }
    static let internalError = TAXIIError(status: 500, title: "Internal Server Error",
                                          detail: "the server failed; see its log and try again")
}

import AegisCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Routes TAXII 2.1 requests: discovery, the API root, collections, objects,
/// versions, manifest and status. Every answer, errors included, is
/// `application/taxii+json;version=2.1`.
public struct TAXIIResponder: HTTPResponder {
    public typealias Context = TAXIIContext
    let configuration: TAXIIConfiguration
    let database: ConsortiumDatabase
    let authenticator: BasicAuthenticator
    let logger: Logger

    init(configuration: TAXIIConfiguration, database: ConsortiumDatabase, logger: Logger) {
        self.configuration = configuration
        self.database = database
        self.authenticator = BasicAuthenticator(database: database, failureLimit: configuration.failureLimit,
                                                failureWindow: configuration.failureWindow)
        self.logger = logger
    }

    static let dateAddedFirst = HTTPField.Name("X-TAXII-Date-Added-First")!
    static let dateAddedLast = HTTPField.Name("X-TAXII-Date-Added-Last")!

    /// Answers one request; every failure becomes a TAXII error message.
    public func respond(to request: Request, context: TAXIIContext) async throws -> Response {
        do {
            return try await route(request)
        } catch let error as TAXIIError {
            return Self.response(error)
        } catch {
            logger.error("exchange request failed: \(error)")
            return Self.response(.internalError)
        }
    }

    private func route(_ request: Request) async throws -> Response {
        let path = request.uri.path
        let parts = path.split(separator: "/").map(String.init)
        let user = try await authenticator.authenticate(request.headers[.authorization])
        guard MediaType.accepts(request.headers[.accept]) else { throw TAXIIError.notAcceptable }
        let method = request.method
        let query = Self.queryItems(request.uri.query ?? "")
        func only(_ allowed: HTTPRequest.Method...) throws {
            if !allowed.contains(method) { throw TAXIIError.methodNotAllowed(method.rawValue, path) }
        }

        if parts == ["taxii2"] {
            try only(.get)
            return Self.json([
                "title": "Aegis consortium exchange",
                "description": "Distillation-campaign indicators shared between model providers (STIX 2.1).",
                "default": .string("/\(configuration.apiRoot)/"),
                "api_roots": [.string("/\(configuration.apiRoot)/")],
            ])
        }
        guard parts.first == configuration.apiRoot else { throw TAXIIError.notFound("no resource at \(path); discovery is at /taxii2/") }
        switch parts.count {
        case 1:
            try only(.get)
            return Self.json([
                "title": "Aegis", "versions": [.string(MediaType.taxii)],
                "max_content_length": .number(Double(configuration.maxBodyBytes)),
            ])
        case 2 where parts[1] == "collections":
            try only(.get)
            var list: [JSONValue] = []
            for collection in try await database.allCollections() {
                guard let rights = user.rights[collection.id], rights.read || rights.write else { continue }
                list.append(Self.collectionJSON(collection, rights))
            }
            return Self.json(list.isEmpty ? [:] : ["collections": .array(list)])
        case 3 where parts[1] == "status":
            try only(.get)
            guard let text = try await database.status(id: parts[2], user: user.name) else {
                throw TAXIIError.notFound("no status \(parts[2]) for this user; use the id a POST returned")
            }
            return Self.raw(text, status: .ok)
        case 3... where parts[1] == "collections":
            let (collection, rights) = try await visibleCollection(parts[2], user)
            let endpoint = TAXIIObjects(database: database, configuration: configuration, collection: collection.id,
                                        rights: rights, user: user.name)
            switch Array(parts.dropFirst(3)) {
            case []:
                try only(.get)
                return Self.json(Self.collectionJSON(collection, rights))
            case ["objects"]:
                try only(.get, .post)
                if method == .post { return try await endpoint.add(request) }
                return try await endpoint.get(query, objectID: nil)
            case ["manifest"]:
                try only(.get)
                return try await endpoint.manifest(query)
            case let rest where rest.count == 2 && rest[0] == "objects":
                try only(.get, .delete)
                if method == .delete { return try await endpoint.delete(query, objectID: rest[1]) }
                return try await endpoint.get(query, objectID: rest[1])
            case let rest where rest.count == 3 && rest[0] == "objects" && rest[2] == "versions":
                try only(.get)
                return try await endpoint.versions(query, objectID: rest[1])
            default:
                throw TAXIIError.notFound("no resource at \(path)")
            }
        default:
            throw TAXIIError.notFound("no resource at \(path)")
        }
    }

    /// The collection if the user may see it (any right); 404 otherwise, so
    /// that a user cannot learn which collections exist.
    private func visibleCollection(_ id: String, _ user: TAXIIUser) async throws -> (TAXIICollection, TAXIIUser.Rights) {
        guard let rights = user.rights[id], rights.read || rights.write, let collection = try await database.collection(id) else {
            throw TAXIIError.notFound("no collection \(id) for this user; list them at collections/")
        }
        return (collection, rights)
    }

    static func collectionJSON(_ c: TAXIICollection, _ rights: TAXIIUser.Rights) -> JSONValue {
        var object = JSONObject([("id", .string(c.id)), ("title", .string(c.title))])
        if let d = c.description { object.append(key: "description", value: .string(d)) }
        object.append(key: "can_read", value: .bool(rights.read))
        object.append(key: "can_write", value: .bool(rights.write))
        object.append(key: "media_types", value: [.string(MediaType.stix)])
        return .object(object)
    }

    // MARK: Responses

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        raw(JSONWriter().string(value), status: status, headers: headers)
    }

    static func raw(_ text: String, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = MediaType.taxii
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func response(_ error: TAXIIError) -> Response {
        var headers: HTTPFields = [:]
        if error.status == 401 { headers[.wwwAuthenticate] = "Basic realm=\"aegis-taxii\", charset=\"UTF-8\"" }
        return json(error.json, status: .init(code: error.status), headers: headers)
    }

    /// Query items, percent-decoded (`match[type]` arrives as `match%5Btype%5D`).
    static func queryItems(_ query: String) -> [String: String] {
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            let key = decode(kv[0])
            let value = kv.count > 1 ? decode(kv[1]) : ""
            items[key] = items[key].map { $0 + "," + value } ?? value
        }
        return items
    }
}

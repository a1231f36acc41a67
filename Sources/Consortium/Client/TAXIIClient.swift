import AegisCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A TAXII 2.1 client for `aegis exchange publish`, `pull` and `sight`:
/// HTTP Basic auth, paging with `next`, posting envelopes and polling status.
public struct TAXIIClient: Sendable {
    private let http: HTTPClient
    private let server: URL
    private let authorization: String
    private let timeout: TimeAmount

    /// Creates a client for the server at `server` (its base URL, its discovery
    /// URL `…/taxii2/`, or an API root URL).
    public init(server: String, user: String, password: String, http: HTTPClient,
                timeout: TimeAmount = .seconds(60)) throws(ConsortiumError) {
        guard let url = URL(string: server), let scheme = url.scheme, scheme == "http" || scheme == "https", url.host != nil else {
            throw ConsortiumError("--server must be an http:// or https:// URL such as http://127.0.0.1:9443/taxii2/ (got \(server))")
        }
        self.server = url
        self.http = http
        self.timeout = timeout
        authorization = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    /// The API root URL (ending in `/`): the given URL when it names one,
    /// else the discovery resource's default (or first) root.
    public func apiRoot() async throws -> URL {
        let path = server.path
        if !(path.isEmpty || path == "/" || path.hasSuffix("/taxii2") || path.hasSuffix("/taxii2/")) {
            return path.hasSuffix("/") ? server : URL(string: server.absoluteString + "/") ?? server
        }
        let discovery = path.contains("taxii2") ? server : URL(string: "/taxii2/", relativeTo: server)?.absoluteURL ?? server
        let (_, body) = try await request(.GET, discovery)
        guard let root = body["default"]?.stringValue ?? body["api_roots"]?.arrayValue?.first?.stringValue,
              let url = URL(string: root, relativeTo: discovery)?.absoluteURL
        else {
            throw ConsortiumError("the server at \(discovery) lists no API root; give the API root URL as --server")
        }
        return url
    }

    /// Every object of a collection (all pages), oldest date_added first.
    public func objects(collection: String, addedAfter: String? = nil, pageSize: Int = 1000) async throws -> [JSONValue] {
        let root = try await apiRoot()
        var all: [JSONValue] = []
        var next: String?
        repeat {
            var items = [URLQueryItem(name: "limit", value: String(pageSize))]
            if let addedAfter { items.append(URLQueryItem(name: "added_after", value: addedAfter)) }
            if let next { items.append(URLQueryItem(name: "next", value: next)) }
            var components = URLComponents(url: root.appendingPathComponent("collections/\(collection)/objects/"),
                                           resolvingAgainstBaseURL: true)
            components?.queryItems = items
            guard let url = components?.url else { throw ConsortiumError("cannot build a URL for collection \(collection)") }
            let (_, body) = try await request(.GET, url)
            all += body["objects"]?.arrayValue ?? []
            next = body["more"]?.boolValue == true ? body["next"]?.stringValue : nil
        } while next != nil
        return all
    }

    /// The latest version of one object, or nil when the collection has none.
    public func object(_ id: String, collection: String) async throws -> JSONValue? {
        let root = try await apiRoot()
        let url = root.appendingPathComponent("collections/\(collection)/objects/\(id)/")
        do {
            let (_, body) = try await request(.GET, url)
            return body["objects"]?.arrayValue?.last
        } catch let error as ConsortiumError where error.description.contains("answered 404") {
            return nil
        }
    }

    /// Posts objects in envelopes of at most `batch` objects and waits for each
    /// status to complete; returns the summed success and failure counts and
    /// the failure messages.
    public func add(_ objects: [JSONValue], collection: String, batch: Int = 1000) async throws
        -> (successes: Int, failures: Int, messages: [String]) {
        let root = try await apiRoot()
        let url = root.appendingPathComponent("collections/\(collection)/objects/")
        var successes = 0, failures = 0
        var messages: [String] = []
        var start = 0
        while start < objects.count {
            let slice = Array(objects[start..<min(start + batch, objects.count)])
            start += batch
            var (_, status) = try await request(.POST, url, body: ["objects": .array(slice)])
            var polls = 0
            while status["status"]?.stringValue == "pending", polls < 60, let id = status["id"]?.stringValue {
                try await Task.sleep(for: .milliseconds(250))
                (_, status) = try await request(.GET, root.appendingPathComponent("status/\(id)/"))
                polls += 1
            }
            successes += status["success_count"]?.intValue ?? 0
            failures += status["failure_count"]?.intValue ?? 0
            for failure in status["failures"]?.arrayValue ?? [] {
                messages.append("\(failure["id"]?.stringValue ?? "?"): \(failure["message"]?.stringValue ?? "failed")")
            }
        }
        return (successes, failures, messages)
    }

    /// One request with TAXII headers; a non-2xx answer becomes an error
    /// carrying the server's description.
    func request(_ method: HTTPMethod, _ url: URL, body: JSONValue? = nil) async throws -> (Int, JSONValue) {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Accept", value: MediaType.taxii)
        if let body {
            request.headers.add(name: "Content-Type", value: MediaType.taxii)
            request.body = .bytes(ByteBuffer(string: JSONWriter().string(body)))
        }
        let response: HTTPClientResponse
        do { response = try await http.execute(request, timeout: timeout) } catch {
            throw ConsortiumError("cannot reach the TAXII server at \(url.absoluteString) (\(error)); check --server and that it runs")
        }
        let bytes = try await response.body.collect(upTo: 1 << 30)
        let text = String(buffer: bytes)
        let json = (try? JSONParser.parse(text)) ?? .null
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            let detail = json["description"]?.stringValue ?? text.prefix(200).description
            throw ConsortiumError("the TAXII server answered \(status) to \(method.rawValue) \(url.path): \(detail)")
        }
        return (status, json)
    }
}

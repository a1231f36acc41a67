import AegisCore
import Consortium
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The TAXII server through Hummingbird's in-process test client.
@Suite struct TAXIIServerTests {
    struct Fixture {
        let server: TAXIIServer
        let collection: String
        let other: String
    }

    static func fixture(maxBody: Int = 1 << 20) throws -> Fixture {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("taxii-\(UUID().uuidString).db").path
        let database = try ConsortiumDatabase(path: path)
        let collection = try database.createCollection(title: "Campaigns", description: "test")
        let other = try database.createCollection(title: "Hidden", description: nil)
        // Few rounds: the hash format is tested elsewhere; here only the server.
        try database.setUser(name: "alice", passwordHash: PasswordHash(password: "pw-a", iterations: 1000).encoded,
                             read: [collection], write: [collection])
        try database.setUser(name: "bob", passwordHash: PasswordHash(password: "pw-b", iterations: 1000).encoded,
                             read: [collection], write: [])
        var configuration = TAXIIConfiguration()
        configuration.maxBodyBytes = maxBody
        configuration.defaultPageSize = 100
        return Fixture(server: try TAXIIServer(configuration: configuration, database: database), collection: collection, other: other)
    }

    static func headers(_ user: String? = "alice", _ password: String = "pw-a", accept: String? = MediaType.taxii,
                        contentType: String? = nil) -> HTTPFields {
        var fields = HTTPFields()
        if let user { fields[.authorization] = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString() }
        if let accept { fields[.accept] = accept }
        if let contentType { fields[.contentType] = contentType }
        return fields
    }

    static func envelope(_ objects: [JSONValue]) -> ByteBuffer {
        ByteBuffer(string: JSONWriter().string(["objects": .array(objects)]))
    }

    static func indicator(_ n: Int, modified: String = "2026-11-20T00:00:00.000Z") -> JSONValue {
        [
            "type": "indicator", "spec_version": "2.1",
            "id": .string(STIXIdentifier.object("indicator", ["n": .number(Double(n))])),
            "created": "2026-11-20T00:00:00.000Z", "modified": .string(modified),
            "pattern": .string("[ipv4-addr:value = '198.51.100.\(n % 250)']"), "pattern_type": "stix",
            "valid_from": "2026-11-20T00:00:00.000Z",
        ]
    }

    static func json(_ response: TestResponse) throws -> JSONValue {
        try JSONParser.parse(Array(response.body.readableBytesView))
    }

    @Test func everyRequestNeedsBasicCredentials() async throws {
        let f = try Self.fixture()
        try await f.server.application.test(.router) { client in
            for headers in [Self.headers(nil), Self.headers("alice", "wrong"), Self.headers("mallory", "pw-a")] {
                try await client.execute(uri: "/taxii2/", method: .get, headers: headers) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Basic realm=") == true)
                    #expect(response.headers[.contentType] == MediaType.taxii)
                    let body = try Self.json(response)
                    #expect(body["http_status"]?.stringValue == "401")
                }
            }
            try await client.execute(uri: "/taxii2/", method: .get, headers: Self.headers()) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == MediaType.taxii)
                let body = try Self.json(response)
                #expect(body["api_roots"]?.arrayValue?.first?.stringValue == "/aegis/")
            }
        }
    }

    @Test func repeatedWrongPasswordsLockTheNameForAWhile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("taxii-\(UUID().uuidString).db").path
        let database = try ConsortiumDatabase(path: path)
        try database.setUser(name: "carol", passwordHash: PasswordHash(password: "pw-c", iterations: 1000).encoded, read: [], write: [])
        // window: an hour (the lock holds), or zero (failures are forgotten at once).
        for (window, unlocked) in [(3600.0, false), (0.0, true)] {
            var configuration = TAXIIConfiguration()
            configuration.failureLimit = 3
            configuration.failureWindow = window
            let server = try TAXIIServer(configuration: configuration, database: database)
            try await server.application.test(.router) { client in
                for _ in 0..<3 {
                    try await client.execute(uri: "/taxii2/", method: .get, headers: Self.headers("carol", "nope")) {
                        #expect($0.status == .unauthorized)
                    }
                }
                try await client.execute(uri: "/taxii2/", method: .get, headers: Self.headers("carol", "pw-c")) {
                    #expect($0.status == (unlocked ? .ok : .unauthorized))
                }
            }
        }
    }

    @Test func collectionsShowOnlyWhatTheUserMayUse() async throws {
        let f = try Self.fixture()
        try await f.server.application.test(.router) { client in
            try await client.execute(uri: "/aegis/collections/", method: .get, headers: Self.headers("bob", "pw-b")) { response in
                let list = try Self.json(response)["collections"]?.arrayValue ?? []
                #expect(list.count == 1)
                #expect(list.first?["id"]?.stringValue == f.collection)
                #expect(list.first?["can_read"]?.boolValue == true && list.first?["can_write"]?.boolValue == false)
            }
            try await client.execute(uri: "/aegis/collections/\(f.other)/objects/", method: .get, headers: Self.headers()) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/aegis/collections/\(f.collection)/objects/", method: .post,
                                     headers: Self.headers("bob", "pw-b", contentType: MediaType.taxii),
                                     body: Self.envelope([Self.indicator(1)])) {
                #expect($0.status == .forbidden)
            }
        }
    }

    @Test func mediaTypesAndBadBodiesGetTheirStatus() async throws {
        let f = try Self.fixture(maxBody: 4096)
        let objects = "/aegis/collections/\(f.collection)/objects/"
        try await f.server.application.test(.router) { client in
            try await client.execute(uri: "/aegis/", method: .get, headers: Self.headers(accept: "application/json")) {
                #expect($0.status == .notAcceptable)
            }
            try await client.execute(uri: "/aegis/", method: .get, headers: Self.headers(accept: "application/taxii+json")) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: objects, method: .post, headers: Self.headers(contentType: "application/json"),
                                     body: Self.envelope([Self.indicator(1)])) {
                #expect($0.status == .unsupportedMediaType)
            }
            try await client.execute(uri: objects, method: .post, headers: Self.headers(contentType: MediaType.taxii),
                                     body: Self.envelope((0..<40).map { Self.indicator($0) })) {
                #expect($0.status == .contentTooLarge)
            }
            try await client.execute(uri: objects, method: .post, headers: Self.headers(contentType: MediaType.taxii),
                                     body: ByteBuffer(string: "{not json")) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: objects, method: .post, headers: Self.headers(contentType: MediaType.taxii),
                                     body: ByteBuffer(string: "{\"type\": \"bundle\"}")) {
                #expect($0.status == .unprocessableContent)
            }
            try await client.execute(uri: "/aegis/collections/\(f.collection)/nothing/", method: .get, headers: Self.headers()) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: objects, method: .put, headers: Self.headers()) {
                #expect($0.status == .methodNotAllowed)
            }
        }
    }

    @Test func addingAnswersWithAStatusWhoseCountsAddUp() async throws {
        let f = try Self.fixture()
        let objects = "/aegis/collections/\(f.collection)/objects/"
        try await f.server.application.test(.router) { client in
            var batch = (0..<30).map { Self.indicator($0) }
            batch.append(Self.indicator(0)) // the same version twice: not an error
            batch.append(["type": "indicator", "id": "indicator--nope"])
            batch.append(["type": "indicator", "spec_version": "2.0", "id": .string("indicator--" + STIXIdentifier.uuid4())])
            let status = try await client.execute(uri: objects, method: .post, headers: Self.headers(contentType: MediaType.taxii),
                                                  body: Self.envelope(batch)) { response in
                #expect(response.status == .accepted)
                #expect(response.headers[.contentType] == MediaType.taxii)
                return try Self.json(response)
            }
            #expect(status["total_count"]?.intValue == 33)
            #expect(status["success_count"]?.intValue == 31)
            #expect(status["failure_count"]?.intValue == 2)
            #expect(status["pending_count"]?.intValue == 0)
            #expect(status["successes"]?.arrayValue?.count == 31 && status["failures"]?.arrayValue?.count == 2)
            let id = try #require(status["id"]?.stringValue)
            try await client.execute(uri: "/aegis/status/\(id)/", method: .get, headers: Self.headers()) { response in
                let body = try Self.json(response)
                #expect(body["success_count"]?.intValue == 31)
                #expect(body["status"]?.stringValue == "complete")
            }
            try await client.execute(uri: "/aegis/status/\(id)/", method: .get, headers: Self.headers("bob", "pw-b")) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test func pagesCoverEveryObjectOnceWhenAllShareOneDateAdded() async throws {
        let f = try Self.fixture()
        let objects = "/aegis/collections/\(f.collection)/objects/"
        try await f.server.application.test(.router) { client in
            _ = try await client.execute(uri: objects, method: .post, headers: Self.headers(contentType: MediaType.taxii),
                                         body: Self.envelope((0..<250).map { Self.indicator($0) }))
            var seen: [String] = []
            var next: String?
            var pages = 0
            repeat {
                let uri = objects + "?limit=40" + (next.map { "&next=\($0)" } ?? "")
                next = try await client.execute(uri: uri, method: .get, headers: Self.headers()) { response in
                    #expect(response.status == .ok)
                    let first = response.headers[HTTPField.Name("X-TAXII-Date-Added-First")!]
                    #expect(first != nil && first == response.headers[HTTPField.Name("X-TAXII-Date-Added-Last")!])
                    let envelope = try Self.json(response)
                    seen += (envelope["objects"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
                    return envelope["more"]?.boolValue == true ? envelope["next"]?.stringValue : nil
                }
                pages += 1
            } while next != nil
            #expect(pages == 7)
            #expect(seen.count == 250 && Set(seen).count == 250)
            try await client.execute(uri: objects + "?next=garbage", method: .get, headers: Self.headers()) {
                #expect($0.status == .badRequest)
            }
        }
    }

    @Test func filtersVersionsManifestAndDelete() async throws {
        let f = try Self.fixture()
        let objects = "/aegis/collections/\(f.collection)/objects/"
        let headers = Self.headers(contentType: MediaType.taxii)
        try await f.server.application.test(.router) { client in
            let identity: JSONValue = ["type": "identity", "spec_version": "2.1", "id": .string("identity--" + STIXIdentifier.uuid4()),
                                       "created": "2026-11-20T00:00:00.000Z", "modified": "2026-11-20T00:00:00.000Z", "name": "x"]
            _ = try await client.execute(uri: objects, method: .post, headers: headers,
                                         body: Self.envelope([Self.indicator(1), Self.indicator(2), identity]))
            let firstAdded = try await client.execute(uri: objects, method: .get, headers: Self.headers()) {
                $0.headers[HTTPField.Name("X-TAXII-Date-Added-Last")!] ?? ""
            }
            try await Task.sleep(for: .milliseconds(5))
            let newer = Self.indicator(1, modified: "2026-11-21T00:00:00.000Z")
            _ = try await client.execute(uri: objects, method: .post, headers: headers, body: Self.envelope([newer]))
            let id = try #require(newer["id"]?.stringValue)

            func ids(_ query: String) async throws -> [String] {
                try await client.execute(uri: objects + query, method: .get, headers: Self.headers()) { response in
                    (try Self.json(response)["objects"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
                }
            }
            #expect(try await ids("?match%5Btype%5D=identity") == [identity["id"]?.stringValue ?? ""])
            #expect(try await ids("?match[type]=indicator").count == 2) // latest versions only
            #expect(try await ids("?match[type]=indicator&match[version]=all").count == 3)
            #expect(try await ids("?match[id]=\(id)&match[version]=first").count == 1)
            #expect(try await ids("?added_after=\(firstAdded)") == [id])
            try await client.execute(uri: objects + "\(id)/versions/", method: .get, headers: Self.headers()) { response in
                let body = try Self.json(response)
                #expect(body["versions"]?.arrayValue?.compactMap(\.stringValue)
                    == ["2026-11-20T00:00:00.000Z", "2026-11-21T00:00:00.000Z"])
            }
            try await client.execute(uri: "/aegis/collections/\(f.collection)/manifest/?match[version]=all", method: .get,
                                     headers: Self.headers()) { response in
                let entries = try Self.json(response)["objects"]?.arrayValue ?? []
                #expect(entries.count == 4)
                #expect(entries.allSatisfy { $0["media_type"]?.stringValue == MediaType.stix && $0["date_added"] != nil })
            }
            try await client.execute(uri: objects + "\(id)/", method: .delete, headers: Self.headers("bob", "pw-b")) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: objects + "\(id)/", method: .delete, headers: Self.headers()) { #expect($0.status == .ok) }
            try await client.execute(uri: objects + "\(id)/", method: .get, headers: Self.headers()) { #expect($0.status == .notFound) }
        }
    }
}

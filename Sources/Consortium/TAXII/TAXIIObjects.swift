import AegisCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The object endpoints of one collection for one user: get, add, manifest,
/// versions and delete (TAXII 2.1 §5.3-5.8).
struct TAXIIObjects {
    let database: ConsortiumDatabase
    let configuration: TAXIIConfiguration
    let collection: String
    let rights: TAXIIUser.Rights
    let user: String

    private func query(_ items: [String: String]) throws(TAXIIError) -> ObjectQuery {
        try ObjectQuery(query: items, defaultLimit: configuration.defaultPageSize, maximumLimit: configuration.maximumPageSize)
    }

    private func requireRead() throws(TAXIIError) {
        if !rights.read { throw .forbidden("this user may not read collection \(collection); ask its operator for --read") }
    }

    /// GET objects/ and objects/{id}/: an envelope, oldest date_added first.
    func get(_ items: [String: String], objectID: String?) async throws -> Response {
        try requireRead()
        var q = try query(items)
        if let objectID { q.ids = [objectID] }
        let (rows, more) = try await database.objects(in: collection, q)
        if let objectID, rows.isEmpty, q.after == nil {
            throw TAXIIError.notFound("no object \(objectID) matches in collection \(collection)")
        }
        var text = "{\"more\":\(more)"
        if more, let last = rows.last { text += ",\"next\":\"\(Cursor(seq: last.seq).text)\"" }
        if !rows.isEmpty {
            text += ",\"objects\":["
            for (i, row) in rows.enumerated() {
                if i > 0 { text += "," }
                text += row.json
            }
            text += "]"
        }
        text += "}"
        return TAXIIResponder.raw(text, status: .ok, headers: Self.dateHeaders(rows))
    }

    /// GET manifest/: one entry per object version.
    func manifest(_ items: [String: String]) async throws -> Response {
        try requireRead()
        let (rows, more) = try await database.objects(in: collection, try query(items))
        var envelope = JSONObject([("more", .bool(more))])
        if more, let last = rows.last { envelope.append(key: "next", value: .string(Cursor(seq: last.seq).text)) }
        if !rows.isEmpty {
            envelope.append(key: "objects", value: .array(rows.map {
                ["id": .string($0.id), "date_added": .string(STIXTimestamp.format(microseconds: $0.dateAdded, digits: 6)),
                 "version": .string($0.version), "media_type": .string(MediaType.stix)]
            }))
        }
        return TAXIIResponder.json(.object(envelope), headers: Self.dateHeaders(rows))
    }

    /// GET objects/{id}/versions/.
    func versions(_ items: [String: String], objectID: String) async throws -> Response {
        try requireRead()
        var q = try query(items)
        q.ids = [objectID]
        q.versions = [.all]
        let (rows, more) = try await database.objects(in: collection, q)
        if rows.isEmpty && q.after == nil { throw TAXIIError.notFound("no object \(objectID) in collection \(collection)") }
        var envelope = JSONObject([("more", .bool(more))])
        if more, let last = rows.last { envelope.append(key: "next", value: .string(Cursor(seq: last.seq).text)) }
        envelope.append(key: "versions", value: .array(rows.map { .string($0.version) }))
        return TAXIIResponder.json(.object(envelope), headers: Self.dateHeaders(rows))
    }

    /// DELETE objects/{id}/: every version unless match[version] narrows it.
    func delete(_ items: [String: String], objectID: String) async throws -> Response {
        guard rights.read && rights.write else {
            throw TAXIIError.forbidden("deleting needs read and write rights on collection \(collection)")
        }
        var q = try query(items)
        if items["match[version]"] == nil { q.versions = [.all] }
        let count = try await database.delete(id: objectID, in: collection, q)
        if count == 0 { throw TAXIIError.notFound("no object \(objectID) matches in collection \(collection)") }
        return TAXIIResponder.raw("", status: .ok)
    }

    /// POST objects/: adds an envelope's objects and answers 202 with a status
    /// resource; an object version already present counts as a success.
    func add(_ request: Request) async throws -> Response {
        guard MediaType.isTAXII(request.headers[.contentType]) else { throw TAXIIError.unsupportedMediaType }
        let limit = configuration.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw TAXIIError.tooLarge(limit) }
        if !rights.write { throw TAXIIError.forbidden("this user may not add to collection \(collection); ask its operator for --write") }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: limit) } catch is NIOTooManyBytesError { throw TAXIIError.tooLarge(limit) }
        let envelope: JSONValue
        do { envelope = try JSONParser.parse(Array(body.readableBytesView)) } catch {
            throw TAXIIError.badRequest("the body is not JSON (\(error)); send a TAXII envelope {\"objects\": [...]}")
        }
        guard let objects = envelope["objects"]?.arrayValue else {
            throw TAXIIError.unprocessable("the body is not a TAXII envelope; send {\"objects\": [STIX objects]}")
        }
        let requested = Date()
        var accepted: [ConsortiumDatabase.NewObject] = []
        var failures: [JSONValue] = []
        for object in objects {
            switch Self.validate(object) {
            case .success(let new): accepted.append(new)
            case .failure(let failure): failures.append(failure.json)
            }
        }
        let results = try await database.add(accepted, to: collection)
        var successes: [JSONValue] = []
        for (object, result) in zip(accepted, results) {
            var entry = JSONObject([("id", .string(object.id)), ("version", .string(result.version))])
            if !result.added { entry.append(key: "message", value: "already in the collection") }
            successes.append(.object(entry))
        }
        let statusID = STIXIdentifier.uuid4()
        let status: JSONValue = [
            "id": .string(statusID), "status": "complete",
            "request_timestamp": .string(STIXTimestamp.format(microseconds: STIXTimestamp.microseconds(requested), digits: 6)),
            "total_count": .number(Double(objects.count)),
            "success_count": .number(Double(successes.count)), "successes": .array(successes),
            "failure_count": .number(Double(failures.count)), "failures": .array(failures),
            "pending_count": 0, "pendings": [],
        ]
        let text = JSONWriter().string(status)
        try await database.saveStatus(id: statusID, user: user, json: text)
        return TAXIIResponder.raw(text, status: .accepted)
    }

    /// Checks one object enough to store and version it.
    static func validate(_ object: JSONValue) -> Result<ConsortiumDatabase.NewObject, Failure> {
        let id = object["id"]?.stringValue
        func fail(_ message: String) -> Result<ConsortiumDatabase.NewObject, Failure> {
            var entry = JSONObject([("id", .string(id ?? "")), ("message", .string(message))])
            if let v = object["modified"]?.stringValue ?? object["created"]?.stringValue { entry.append(key: "version", value: .string(v)) }
            return .failure(Failure(json: .object(entry)))
        }
        guard case .object = object else { return fail("not a JSON object") }
        guard let type = object["type"]?.stringValue, !type.isEmpty else { return fail("no type") }
        guard let id, id.hasPrefix(type + "--"), STIXIdentifier.isValid(id) else { return fail("id must be \(type)--<UUID>") }
        if type == "bundle" { return fail("a bundle is not an object; send its objects in the envelope") }
        let spec = object["spec_version"]?.stringValue ?? "2.1"
        guard spec == "2.1" else { return fail("spec_version \(spec) is not supported; send STIX 2.1") }
        var version: String?, micros: Int64?
        if let v = object["modified"]?.stringValue ?? object["created"]?.stringValue {
            guard let t = STIXTimestamp.microseconds(v) else { return fail("modified/created '\(v)' is not a STIX timestamp") }
            version = v
            micros = t
        }
        return .success(.init(id: id, type: type, version: version, versionMicros: micros, specVersion: spec,
                              json: JSONWriter().string(object)))
    }

    /// A failed object, as a status failure entry.
    struct Failure: Error {
        let json: JSONValue
    }

    static func dateHeaders(_ rows: [StoredObject]) -> HTTPFields {
        guard let first = rows.first, let last = rows.last else { return [:] }
        var fields = HTTPFields()
        fields[TAXIIResponder.dateAddedFirst] = STIXTimestamp.format(microseconds: first.dateAdded, digits: 6)
        fields[TAXIIResponder.dateAddedLast] = STIXTimestamp.format(microseconds: last.dateAdded, digits: 6)
        return fields
    }
}

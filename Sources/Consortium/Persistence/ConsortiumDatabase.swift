import AegisCore
import Foundation
import GRDB

/// Users, collections, objects and status resources of one TAXII server, in
/// one SQLite file (WAL) through GRDB.
public final class ConsortiumDatabase: Sendable {
    private let pool: DatabasePool

    /// Opens (creating when needed) the database at `path`.
    public init(path: String) throws(ConsortiumError) {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        // A 202 says the objects are stored: every commit reaches the disk.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try ConsortiumSchema.migrator.migrate(pool)
        } catch {
            throw ConsortiumError("cannot open the exchange database \(path) (\(error)); check the path and its permissions")
        }
    }

    // MARK: Collections and users

    /// Creates a collection and returns its new id.
    public func createCollection(title: String, description: String?) throws -> String {
        let id = STIXIdentifier.uuid4()
        try pool.write { db in
            try db.execute(sql: "INSERT INTO collections (id, title, description, created) VALUES (?, ?, ?, ?)",
                           arguments: [id, title, description, STIXTimestamp.microseconds(Date())])
        }
        return id
    }

    /// Every collection, oldest first (rights left false).
    public func collections() throws -> [TAXIICollection] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, title, description FROM collections ORDER BY created, id").map {
                TAXIICollection(id: $0["id"], title: $0["title"], description: $0["description"])
            }
        }
    }

    /// Creates a user, or replaces its password and rights.
    public func setUser(name: String, passwordHash: String, read: [String], write: [String]) throws {
        let known = Set(try collections().map(\.id))
        for id in read + write where !known.contains(id) {
            throw ConsortiumError("no collection has the id \(id); list them with `aegis exchange collections list`")
        }
        try pool.write { db in
            try db.execute(sql: "INSERT INTO users (name, password_hash) VALUES (?, ?) "
                + "ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash",
                           arguments: [name, passwordHash])
            try db.execute(sql: "DELETE FROM permissions WHERE user = ?", arguments: [name])
            for id in Set(read + write) {
                try db.execute(sql: "INSERT INTO permissions (user, collection, can_read, can_write) VALUES (?, ?, ?, ?)",
                               arguments: [name, id, read.contains(id), write.contains(id)])
            }
        }
    }

    /// A user and its rights, or nil.
    public func user(_ name: String) async throws -> TAXIIUser? {
        try await pool.read { db in
            guard let hash = try String.fetchOne(db, sql: "SELECT password_hash FROM users WHERE name = ?", arguments: [name])
            else { return nil }
            var rights: [String: TAXIIUser.Rights] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT collection, can_read, can_write FROM permissions WHERE user = ?",
                                        arguments: [name]) {
                rights[row["collection"]] = .init(read: row["can_read"], write: row["can_write"])
            }
            return TAXIIUser(name: name, passwordHash: hash, rights: rights)
        }
    }

    /// A collection by id, or nil.
    public func collection(_ id: String) async throws -> TAXIICollection? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, title, description FROM collections WHERE id = ?", arguments: [id]).map {
                TAXIICollection(id: $0["id"], title: $0["title"], description: $0["description"])
            }
        }
    }

    /// Every collection (for listing to a user).
    public func allCollections() async throws -> [TAXIICollection] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, title, description FROM collections ORDER BY created, id").map {
                TAXIICollection(id: $0["id"], title: $0["title"], description: $0["description"])
            }
        }
    }

    // MARK: Objects

    /// One object to add.
    public struct NewObject: Sendable {
        /// STIX id.
        public var id: String
        /// STIX type.
        public var type: String
        /// Version text, or nil to use the date added.
        public var version: String?
        /// Version as microseconds, or nil to use the date added.
        public var versionMicros: Int64?
        /// spec_version.
        public var specVersion: String
        /// JSON text.
        public var json: String

        /// Creates an object to add.
        public init(id: String, type: String, version: String?, versionMicros: Int64?, specVersion: String, json: String) {
            self.id = id
            self.type = type
            self.version = version
            self.versionMicros = versionMicros
            self.specVersion = specVersion
            self.json = json
        }
    }

    /// Adds objects under one date_added; returns, per object, its version and
    /// whether it was new (false: that version was already there).
    public func add(_ objects: [NewObject], to collection: String) async throws -> [(version: String, added: Bool)] {
        try await pool.write { db in
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(date_added) FROM objects WHERE collection = ?",
                                          arguments: [collection]) ?? 0
            let dateAdded = max(STIXTimestamp.microseconds(Date()), last)
            let statement = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO objects (collection, id, type, version, version_us, spec_version, date_added, json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var results: [(String, Bool)] = []
            results.reserveCapacity(objects.count)
            for o in objects {
                let micros = o.versionMicros ?? dateAdded
                let version = o.version ?? STIXTimestamp.format(microseconds: dateAdded, digits: 6)
                try statement.execute(arguments: [collection, o.id, o.type, version, micros, o.specVersion, dateAdded, o.json])
                results.append((version, db.changesCount > 0))
            }
            return results
        }
    }

    /// One page of the objects matching `query`, and whether more follow.
    public func objects(in collection: String, _ query: ObjectQuery) async throws -> (objects: [StoredObject], more: Bool) {
        try await pool.read { db in
            var sql = "SELECT seq, id, date_added, version, json FROM objects o WHERE collection = ?"
            var arguments: StatementArguments = [collection]
            if let after = query.after {
                sql += " AND seq > ?"
                _ = arguments.append(contentsOf: [after])
            }
            if let addedAfter = query.addedAfter {
                sql += " AND date_added > ?"
                _ = arguments.append(contentsOf: [addedAfter])
            }
            Self.appendList("id", query.ids, &sql, &arguments)
            Self.appendList("type", query.types, &sql, &arguments)
            Self.appendList("spec_version", query.specVersions, &sql, &arguments)
            if !query.versions.contains(.all) {
                var clauses: [String] = []
                var stamps: [Int64] = []
                for version in query.versions {
                    switch version {
                    case .last: clauses.append("version_us = (SELECT MAX(version_us) FROM objects p WHERE p.collection = o.collection AND p.id = o.id)")
                    case .first: clauses.append("version_us = (SELECT MIN(version_us) FROM objects p WHERE p.collection = o.collection AND p.id = o.id)")
                    case .at(let t): stamps.append(t)
                    case .all: break
                    }
                }
                if !stamps.isEmpty {
                    clauses.append("version_us IN (" + stamps.map { _ in "?" }.joined(separator: ",") + ")")
                    _ = arguments.append(contentsOf: StatementArguments(stamps))
                }
                sql += " AND (" + clauses.joined(separator: " OR ") + ")"
            }
            sql += " ORDER BY seq LIMIT ?"
            _ = arguments.append(contentsOf: [query.limit + 1])
            var rows = try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                StoredObject(seq: $0["seq"], id: $0["id"], dateAdded: $0["date_added"], version: $0["version"], json: $0["json"])
            }
            let more = rows.count > query.limit
            if more { rows.removeLast() }
            return (rows, more)
        }
    }

    /// Deletes the versions of one object that `query` matches; returns how many.
    public func delete(id: String, in collection: String, _ query: ObjectQuery) async throws -> Int {
        var q = query
        q.ids = [id]
        q.limit = Int(Int32.max)
        let doomed = try await objects(in: collection, q).objects.map(\.seq)
        return try await pool.write { db in
            for seq in doomed { try db.execute(sql: "DELETE FROM objects WHERE seq = ?", arguments: [seq]) }
            return doomed.count
        }
    }

    private static func appendList(_ column: String, _ values: [String], _ sql: inout String,
                                   _ arguments: inout StatementArguments) {
        guard !values.isEmpty else { return }
        sql += " AND \(column) IN (" + values.map { _ in "?" }.joined(separator: ",") + ")"
        _ = arguments.append(contentsOf: StatementArguments(values))
    }

    // MARK: Status resources

    /// Stores a status resource.
    public func saveStatus(id: String, user: String, json: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO statuses (id, user, created, json) VALUES (?, ?, ?, ?)",
                           arguments: [id, user, STIXTimestamp.microseconds(Date()), json])
        }
    }

    /// A status resource's JSON, if it exists and belongs to `user`.
    public func status(id: String, user: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT json FROM statuses WHERE id = ? AND user = ?", arguments: [id, user])
        }
    }
}

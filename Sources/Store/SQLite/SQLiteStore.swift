import AegisCore
import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode through GRDB.
///
/// WAL lets the exchange-log writer commit batches while requests read keys
/// and accounts; `synchronous=FULL` makes every committed batch survive a crash.
/// The HMAC secret for key hashes sits in a separate file (default: the
/// database path plus ".secret"), never in the database.
public final class SQLiteStore: Store {
    private let pool: DatabasePool
    private let hasher: KeyHasher

    /// Opens (creating when needed) the database at `path`.
    /// - Parameter secretPath: file holding the key-hash secret; default `path + ".secret"`.
    public init(path: String, secretPath: String? = nil) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try SQLiteSchema.migrator.migrate(pool)
        } catch {
            throw StoreError.database("cannot open \(path): \(error)")
        }
        hasher = KeyHasher(secret: try KeyHasher.loadOrCreateSecret(at: secretPath ?? path + ".secret"))
    }

    // MARK: Accounts

    public func ensureAccount(_ name: String) async throws -> Account {
        try Account.validate(name: name)
        return try await write { db in try Self.ensureAccount(name, db) }
    }

    public func account(_ name: String) async throws -> Account? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM accounts WHERE name = ?", arguments: [name]).map(Self.account)
        }
    }

    public func accounts() async throws -> [Account] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT * FROM accounts ORDER BY name").map(Self.account) }
    }

    public func setBlocked(_ name: String, reason: String?) async throws {
        try Account.validate(name: name)
        try await write { db in
            _ = try Self.ensureAccount(name, db)
            try db.execute(sql: "UPDATE accounts SET blocked_reason = ? WHERE name = ?", arguments: [reason, name])
        }
    }

    public func setOverrides(_ name: String, _ overrides: AccountOverrides) async throws {
        try Account.validate(name: name)
        try await write { db in
            _ = try Self.ensureAccount(name, db)
            try db.execute(
                sql: "UPDATE accounts SET rpm = ?, tpm = ?, concurrency = ?, max_tokens = ? WHERE name = ?",
                arguments: [overrides.limits.requestsPerMinute, overrides.limits.tokensPerMinute,
                            overrides.limits.concurrency, overrides.maxTokens, name])
        }
    }

    public func setMetadata(_ name: String, _ metadata: AccountMetadata) async throws {
        try Account.validate(name: name)
        try await write { db in
            _ = try Self.ensureAccount(name, db)
            try db.execute(
                sql: "UPDATE accounts SET payment_fingerprint = ?, email_domain = ?, tier = ? WHERE name = ?",
                arguments: [metadata.paymentFingerprint, metadata.emailDomain, metadata.tier, name])
        }
    }

    // MARK: Keys

    public func createKey(account: String, limits: RateLimits) async throws -> CreatedKey {
        try Account.validate(name: account)
        let secret = KeyHasher.newSecret()
        let key = APIKey(id: Identifiers.random(prefix: "key_"), account: account, limits: limits, created: Date())
        let hash = hasher.hash(secret)
        try await write { db in
            _ = try Self.ensureAccount(account, db)
            try db.execute(
                sql: "INSERT INTO api_keys (id, account, hash, created, rpm, tpm, concurrency) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [key.id, account, Data(hash), key.created.timeIntervalSince1970,
                            limits.requestsPerMinute, limits.tokensPerMinute, limits.concurrency])
        }
        return CreatedKey(key: key, secret: secret)
    }

    public func revokeKey(id: String) async throws {
        let changed = try await write { db in
            try db.execute(sql: "UPDATE api_keys SET revoked = ? WHERE id = ? AND revoked IS NULL",
                           arguments: [Date().timeIntervalSince1970, id])
            return db.changesCount
        }
        if changed == 0, try await keys().contains(where: { $0.id == id }) == false {
            throw StoreError.unknownKey(id)
        }
    }

    public func keys() async throws -> [APIKey] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY created, id").map(Self.key) }
    }

    public func authenticate(secret: String) async throws -> APIKey? {
        let hash = hasher.hash(secret)
        return try await read { db in
            // The lookup is by keyed hash, so its timing reveals nothing about the secret;
            // the final comparison is constant-time all the same.
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE hash = ?", arguments: [Data(hash)]),
                  let stored = (row["hash"] as Data?).map(Array.init),
                  KeyHasher.constantTimeEqual(stored, hash)
            else { return nil }
            let key = Self.key(row)
            return key.revoked == nil ? key : nil
        }
    }

    // MARK: Log

    public func append(_ exchanges: [LoggedExchange]) async throws {
        guard !exchanges.isEmpty else { return }
        try await write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO exchanges (id, time, account, key_id, endpoint, status, line)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for exchange in exchanges {
                try statement.execute(arguments: [exchange.id, exchange.time.timeIntervalSince1970, exchange.account,
                                                  exchange.keyID, exchange.endpoint, exchange.status, exchange.line])
            }
        }
    }

    public func forEachExchange(since: Date?, _ body: @Sendable (LoggedExchange) throws -> Void) async throws {
        try await read { db in
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT * FROM exchanges WHERE time >= ? ORDER BY time, seq",
                arguments: [since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude])
            while let row = try cursor.next() {
                try body(LoggedExchange(
                    id: row["id"], time: Date(timeIntervalSince1970: row["time"]), account: row["account"],
                    keyID: row["key_id"], endpoint: row["endpoint"], status: row["status"], line: row["line"]))
            }
        }
    }

    public func exchangeCount() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM exchanges") ?? 0 }
    }

    public func record(_ decision: PolicyDecisionRecord) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO policy_decisions (time, account, action, reason, exchange_id, source, dry_run)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [decision.time.timeIntervalSince1970, decision.account, decision.action,
                            decision.reason, decision.exchangeID, decision.source, decision.dryRun])
        }
    }

    public func decisions(account: String?) async throws -> [PolicyDecisionRecord] {
        try await read { db in
            let rows = if let account {
                try Row.fetchAll(db, sql: "SELECT * FROM policy_decisions WHERE account = ? ORDER BY seq", arguments: [account])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM policy_decisions ORDER BY seq")
            }
            return rows.map { row in
                PolicyDecisionRecord(time: Date(timeIntervalSince1970: row["time"]), account: row["account"],
                                     action: row["action"], reason: row["reason"], exchangeID: row["exchange_id"],
                                     source: row["source"], dryRun: row["dry_run"])
            }
        }
    }

    // MARK: Helpers

    private func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.read(body) } catch let error as AegisError { throw error } catch {
            throw StoreError.database("\(error)")
        }
    }

    private func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.write(body) } catch let error as AegisError { throw error } catch {
            throw StoreError.database("\(error)")
        }
    }

    private static func ensureAccount(_ name: String, _ db: Database) throws -> Account {
        try db.execute(sql: "INSERT OR IGNORE INTO accounts (name, created) VALUES (?, ?)",
                       arguments: [name, Date().timeIntervalSince1970])
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM accounts WHERE name = ?", arguments: [name]) else {
            throw StoreError.unknownAccount(name)
        }
        return account(row)
    }

    private static func account(_ row: Row) -> Account {
        Account(name: row["name"], created: Date(timeIntervalSince1970: row["created"]),
                blockedReason: row["blocked_reason"],
                overrides: AccountOverrides(
                    limits: RateLimits(requestsPerMinute: row["rpm"], tokensPerMinute: row["tpm"], concurrency: row["concurrency"]),
                    maxTokens: row["max_tokens"]),
                metadata: AccountMetadata(paymentFingerprint: row["payment_fingerprint"], emailDomain: row["email_domain"],
                                          tier: row["tier"]))
    }

    private static func key(_ row: Row) -> APIKey {
        APIKey(id: row["id"], account: row["account"],
               limits: RateLimits(requestsPerMinute: row["rpm"], tokensPerMinute: row["tpm"], concurrency: row["concurrency"]),
               created: Date(timeIntervalSince1970: row["created"]),
               revoked: (row["revoked"] as Double?).map { Date(timeIntervalSince1970: $0) })
    }
}

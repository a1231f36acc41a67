import AegisCore
import Crypto
import Foundation
import Synchronization

/// HTTP Basic authentication against the users in the database.
///
/// Verifying a PBKDF2 hash costs a good fraction of a second on purpose, so a
/// success is remembered for a minute under an HMAC of name, password and
/// stored hash with a key that lives only in this process's memory; a changed
/// password (new stored hash) misses the cache at once. An unknown name costs
/// the same check as a known one (against a dummy hash), so timing does not
/// tell which names exist; after `failureLimit` wrong passwords for one name
/// within `failureWindow`, that name is refused without a check until the
/// window has passed, so guessing cannot keep the server's cores busy.
final class BasicAuthenticator: Sendable {
    private let database: ConsortiumDatabase
    private let cacheKey = SystemRandom.bytes(32)
    private let verified = Mutex<[Data: Date]>([:])
    private let failures = Mutex<[String: (count: Int, since: Date)]>([:])
    private let lifetime: TimeInterval = 60
    private let failureLimit: Int
    private let failureWindow: TimeInterval
    /// What an unknown name's password is checked against (made once per process).
    private static let dummy = try? PasswordHash(password: "aegis-dummy-\(UUID().uuidString)")

    init(database: ConsortiumDatabase, failureLimit: Int, failureWindow: TimeInterval) {
        self.database = database
        self.failureLimit = failureLimit
        self.failureWindow = failureWindow
    }

    /// The user the Authorization header names, if its password is right.
    func authenticate(_ authorization: String?) async throws(TAXIIError) -> TAXIIUser {
        guard let authorization, authorization.lowercased().hasPrefix("basic "),
              let decoded = Data(base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { throw .unauthorized }
        let name = String(text[..<colon]), password = String(text[text.index(after: colon)...])
        let now = Date()
        let locked = failures.withLock { table -> Bool in
            guard let entry = table[name] else { return false }
            if now.timeIntervalSince(entry.since) > failureWindow {
                table[name] = nil
                return false
            }
            return entry.count >= failureLimit
        }
        if locked { throw .unauthorized }
        let user: TAXIIUser?
        do { user = try await database.user(name) } catch { throw .internalError }
        guard let user else {
            _ = Self.dummy?.verify(password)
            recordFailure(name, now)
            throw .unauthorized
        }
        var message = Data(name.utf8)
        message.append(0)
        message.append(contentsOf: password.utf8)
        message.append(0)
        message.append(contentsOf: user.passwordHash.utf8)
        let token = Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: cacheKey)))
        if let until = verified.withLock({ $0[token] }), until > now { return user }
        guard let hash = try? PasswordHash(encoded: user.passwordHash), hash.verify(password) else {
            recordFailure(name, now)
            throw .unauthorized
        }
        failures.withLock { $0[name] = nil }
        verified.withLock { cache in
            if cache.count > 10_000 { cache = cache.filter { $0.value > now } }
            cache[token] = now.addingTimeInterval(lifetime)
        }
        return user
    }

    private func recordFailure(_ name: String, _ now: Date) {
        failures.withLock { table in
            if table.count > 100_000 { table = table.filter { now.timeIntervalSince($0.value.since) <= failureWindow } }
            var entry = table[name] ?? (0, now)
            if now.timeIntervalSince(entry.since) > failureWindow { entry = (0, now) }
            entry.count += 1
            table[name] = entry
        }
    }
}

import AegisCore
import Crypto
import Foundation
import Synchronization

/// HTTP Basic authentication against the users in the database.
///
/// Verifying a PBKDF2 hash costs a good fraction of a second on purpose, so a
/// success is remembered for a minute under an HMAC of name, password and
/// stored hash with a key that lives only in this process's memory; a changed
/// password (new stored hash) misses the cache at once.
final class BasicAuthenticator: Sendable {
    private let database: ConsortiumDatabase
    private let cacheKey = SystemRandom.bytes(32)
    private let verified = Mutex<[Data: Date]>([:])
    private let lifetime: TimeInterval = 60

    init(database: ConsortiumDatabase) {
        self.database = database
    }

    /// The user the Authorization header names, if its password is right.
    func authenticate(_ authorization: String?) async throws(TAXIIError) -> TAXIIUser {
        guard let authorization, authorization.lowercased().hasPrefix("basic "),
              let decoded = Data(base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { throw .unauthorized }
        let name = String(text[..<colon]), password = String(text[text.index(after: colon)...])
        let user: TAXIIUser?
        do { user = try await database.user(name) } catch { throw .internalError }
        guard let user else { throw .unauthorized }
        var message = Data(name.utf8)
        message.append(0)
        message.append(contentsOf: password.utf8)
        message.append(0)
        message.append(contentsOf: user.passwordHash.utf8)
        let token = Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: cacheKey)))
        let now = Date()
        if let until = verified.withLock({ $0[token] }), until > now { return user }
        guard let hash = try? PasswordHash(encoded: user.passwordHash), hash.verify(password) else { throw .unauthorized }
        verified.withLock { cache in
            if cache.count > 10_000 { cache = cache.filter { $0.value > now } }
            cache[token] = now.addingTimeInterval(lifetime)
        }
        return user
    }
}

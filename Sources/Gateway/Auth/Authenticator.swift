import Crypto
import Foundation
import Store
import Synchronization

/// Resolves bearer secrets to keys through the store, with a short cache.
///
/// The cache is keyed by the SHA-256 of the secret, so no comparison ever runs
/// over secret bytes (the store compares its keyed hashes in constant time), and
/// an entry lives `refresh` seconds, so a revocation takes effect within that
/// time while the hot path stays off the database. Unknown secrets are cached
/// too (negatively), so a flood of bad keys does not reach the database either.
public final class Authenticator: Sendable {
    private let store: any Store
    private let refresh: Double
    private let cache = Mutex<[[UInt8]: CachedKey]>([:])

    /// Creates an authenticator over `store`.
    public init(store: any Store, refresh: Double = 1) {
        self.store = store
        self.refresh = refresh
    }

    /// The live key for an `Authorization` header value, or a 401 error.
    public func authenticate(authorization: String?) async throws(GatewayError) -> APIKey {
        guard let authorization, authorization.count > 7,
              authorization.prefix(7).lowercased() == "bearer "
        else { throw .missingKey }
        let secret = authorization.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard !secret.isEmpty, secret.utf8.count <= 256 else { throw .invalidKey }
        let now = Date().timeIntervalSince1970
        let digest = Array(SHA256.hash(data: Array(secret.utf8)))
        if let cached = cache.withLock({ $0[digest] }), now - cached.fetched < refresh {
            guard let key = cached.key else { throw .invalidKey }
            return key
        }
        let key: APIKey?
        do { key = try await store.authenticate(secret: secret) } catch {
            throw .internalError
        }
        cache.withLock { entries in
            if entries.count > 100_000 { entries.removeAll(keepingCapacity: true) }
            entries[digest] = CachedKey(key: key, fetched: now)
        }
        guard let key else { throw .invalidKey }
        return key
    }
}

private struct CachedKey: Sendable {
    var key: APIKey?
    var fetched: Double
}

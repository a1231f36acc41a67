import Foundation
import Store
import Synchronization

/// Accounts read from the store through a short-lived cache, so that the
/// request path reads the database at most once per account every `refresh`
/// seconds: a block or new metadata takes effect within that time.
public final class AccountCache: Sendable {
    private let store: any Store
    private let refresh: Double
    private let cache = Mutex<[String: CachedAccount]>([:])

    /// Creates a cache over `store`, re-reading an account at most every `refresh` seconds.
    public init(store: any Store, refresh: Double = 1) {
        self.store = store
        self.refresh = refresh
    }

    /// The account, or nil when the store has none of that name.
    public func account(_ name: String) async -> Account? {
        let now = Date().timeIntervalSince1970
        if let cached = cache.withLock({ $0[name] }), now - cached.fetched < refresh { return cached.account }
        // On a store error keep the last known state rather than failing open or closed abruptly.
        guard let fresh = try? await store.account(name) else { return cache.withLock { $0[name]?.account } }
        cache.withLock { $0[name] = CachedAccount(account: fresh, fetched: now) }
        return fresh
    }
}

private struct CachedAccount: Sendable {
    var account: Account?
    var fetched: Double
}

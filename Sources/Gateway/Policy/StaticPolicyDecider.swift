import Foundation
import Store
import Synchronization

/// The policy an operator sets by hand: blocked accounts and per-account
/// overrides kept in the store (`aegis accounts block|unblock|limit`).
///
/// Accounts are read through a short-lived cache so a block takes effect
/// within `refresh` seconds without a database read on every request.
public final class StaticPolicyDecider: PolicyDecider {
    private let store: any Store
    private let refresh: Double
    private let cache = Mutex<[String: CachedAccount]>([:])

    /// Creates a decider reading `store`, re-reading an account at most every `refresh` seconds.
    public init(store: any Store, refresh: Double = 1) {
        self.store = store
        self.refresh = refresh
    }

    public func decide(_ context: PolicyContext) async -> PolicyDecision {
        guard let account = await account(context.account) else { return .allow }
        if let reason = account.blockedReason { return .block(reason) }
        let overrides = account.overrides
        if let cap = overrides.maxTokens, context.request.maxTokens.map({ $0 > cap }) ?? true {
            return .degrade(maxTokens: cap, limits: overrides.limits, reason: "account max_tokens capped at \(cap)")
        }
        if !overrides.limits.isUnlimited {
            return .throttle(overrides.limits, reason: "account limits set by operator")
        }
        return .allow
    }

    private func account(_ name: String) async -> Account? {
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

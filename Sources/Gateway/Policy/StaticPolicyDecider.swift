import Store

/// The policy an operator sets by hand: blocked accounts and per-account
/// overrides kept in the store (`aegis accounts block|unblock|limit`).
///
/// Accounts are read through an ``AccountCache`` so a block takes effect
/// within its refresh time without a database read on every request.
public final class StaticPolicyDecider: PolicyDecider {
    private let accounts: AccountCache

    /// Creates a decider reading `store`, re-reading an account at most every `refresh` seconds.
    public convenience init(store: any Store, refresh: Double = 1) {
        self.init(accounts: AccountCache(store: store, refresh: refresh))
    }

    /// Creates a decider reading accounts through a cache shared with the gateway.
    public init(accounts: AccountCache) {
        self.accounts = accounts
    }

    public func decide(_ context: PolicyContext) async -> PolicyDecision {
        guard let account = await accounts.account(context.account) else { return .allow }
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
}

import Store

/// Decides, before a request is forwarded, whether to serve it and how.
///
/// The gateway asks on every request; the static decider answers from the
/// store (blocked accounts, per-account overrides); a live detector answers
/// from its per-account scores. Deciders must answer fast (the request waits):
/// cache, and do slow work off the request path.
public protocol PolicyDecider: Sendable {
    /// The decision for one request.
    func decide(_ context: PolicyContext) async -> PolicyDecision
}

/// What a decider sees of a request.
public struct PolicyContext: Sendable {
    /// The account making it.
    public var account: String
    /// The key used.
    public var keyID: String
    /// The endpoint and parsed request.
    public var request: CompletionRequest
    /// The client's address, if known.
    public var clientIP: String?

    /// Creates a context.
    public init(account: String, keyID: String, request: CompletionRequest, clientIP: String?) {
        self.account = account
        self.keyID = keyID
        self.request = request
        self.clientIP = clientIP
    }
}

/// Allow, throttle, degrade or block, with the reason recorded for audit.
public struct PolicyDecision: Sendable, Equatable {
    /// The kinds of decision, mildest first.
    public enum Action: String, Sendable, Comparable {
        case allow, throttle, degrade, block

        private var rank: Int { [.allow, .throttle, .degrade, .block].firstIndex(of: self)! }
        public static func < (lhs: Action, rhs: Action) -> Bool { lhs.rank < rhs.rank }
    }

    /// The decision.
    public var action: Action
    /// Why (shown to the client when blocked, recorded otherwise).
    public var reason: String?
    /// Extra limits for the account (throttle; also applied with degrade).
    public var limits: RateLimits
    /// Cap on max_tokens (degrade).
    public var maxTokens: Int?

    /// Serve as asked.
    public static let allow = PolicyDecision(action: .allow, reason: nil, limits: .init(), maxTokens: nil)

    /// Refuse with 403 and this reason.
    public static func block(_ reason: String) -> PolicyDecision {
        PolicyDecision(action: .block, reason: reason, limits: .init(), maxTokens: nil)
    }

    /// Serve under tighter limits for the account.
    public static func throttle(_ limits: RateLimits, reason: String) -> PolicyDecision {
        PolicyDecision(action: .throttle, reason: reason, limits: limits, maxTokens: nil)
    }

    /// Serve a shorter answer (max_tokens capped), possibly also under tighter limits.
    public static func degrade(maxTokens: Int, limits: RateLimits = .init(), reason: String) -> PolicyDecision {
        PolicyDecision(action: .degrade, reason: reason, limits: limits, maxTokens: maxTokens)
    }
}

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
    /// Parts of the answer held back (degrade).
    public var withholding: Withholding = []

    /// What a degraded answer leaves out.
    public struct Withholding: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// `logprobs` and `top_logprobs` are removed from the request (and from
        /// the answer, should the upstream send them anyway): per-token
        /// probabilities are what soft-label distillation trains on.
        public static let logprobs = Withholding(rawValue: 1)
        /// `reasoning_content` / `reasoning` fields are removed from the answer,
        /// whole or streamed: chain-of-thought traces are the most valuable thing to harvest.
        public static let reasoning = Withholding(rawValue: 2)
        /// `n` is forced to 1: several samples per prompt are a distillation pattern.
        public static let samples = Withholding(rawValue: 4)
        /// Everything above.
        public static let all: Withholding = [.logprobs, .reasoning, .samples]
    }

    /// Creates a decision.
    public init(action: Action, reason: String?, limits: RateLimits, maxTokens: Int?, withholding: Withholding = []) {
        self.action = action
        self.reason = reason
        self.limits = limits
        self.maxTokens = maxTokens
        self.withholding = withholding
    }

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

    /// Serve a shorter answer (max_tokens capped), possibly also under tighter
    /// limits and with parts of the answer withheld.
    public static func degrade(maxTokens: Int?, limits: RateLimits = .init(), withholding: Withholding = [],
                               reason: String) -> PolicyDecision {
        PolicyDecision(action: .degrade, reason: reason, limits: limits, maxTokens: maxTokens, withholding: withholding)
    }

    /// The stricter of two decisions: the higher action, the tighter limits and
    /// cap, everything either withholds; the reasons of both when both act.
    public func combined(with other: PolicyDecision) -> PolicyDecision {
        if other.action == .allow { return self }
        if action == .allow { return other }
        let (first, second) = action >= other.action ? (self, other) : (other, self)
        let reasons = [first.reason, second.reason].compactMap { $0 }
        return PolicyDecision(
            action: first.action, reason: reasons.isEmpty ? nil : reasons.joined(separator: "; "),
            limits: first.limits.tightened(by: second.limits),
            maxTokens: [first.maxTokens, second.maxTokens].compactMap { $0 }.min(),
            withholding: first.withholding.union(second.withholding))
    }
}

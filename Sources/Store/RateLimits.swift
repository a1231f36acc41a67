/// Rate limits for a key or an account; nil means no limit of that kind.
public struct RateLimits: Sendable, Equatable, Hashable, Codable {
    /// Requests per minute.
    public var requestsPerMinute: Int?
    /// Tokens per minute (prompt estimate plus max_tokens × n reserved, settled on usage).
    public var tokensPerMinute: Int?
    /// Requests in flight at once (streams included).
    public var concurrency: Int?

    /// Creates limits; omitted ones are unlimited.
    public init(requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil, concurrency: Int? = nil) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.concurrency = concurrency
    }

    /// True when no limit is set.
    public var isUnlimited: Bool { requestsPerMinute == nil && tokensPerMinute == nil && concurrency == nil }

    /// The tighter of two limits, field by field.
    public func tightened(by other: RateLimits) -> RateLimits {
        func min(_ a: Int?, _ b: Int?) -> Int? {
            switch (a, b) {
            case let (x?, y?): Swift.min(x, y)
            default: a ?? b
            }
        }
        return RateLimits(requestsPerMinute: min(requestsPerMinute, other.requestsPerMinute),
                          tokensPerMinute: min(tokensPerMinute, other.tokensPerMinute),
                          concurrency: min(concurrency, other.concurrency))
    }
}

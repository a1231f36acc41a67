/// What the signals are computed from: one account's (or a pooled campaign's)
/// counters and sketches at a point in time.
public struct ActivitySummary: Sendable {
    /// Additive counts.
    public var counters: ActivityCounters
    /// Estimated distinct prompts.
    public var distinctPrompts: Double
    /// First and last request (seconds since 1970).
    public var firstSeen: Double, lastSeen: Double
    /// Seconds between account creation and first request, when known (smallest over members).
    public var creationLead: Double?
    /// Accounts pooled (1 for an account).
    public var accounts: Int
    /// Estimated distinct tool environments.
    public var toolEnvironments: Double = 0

    /// Creates a summary.
    public init(counters: ActivityCounters, distinctPrompts: Double, firstSeen: Double, lastSeen: Double,
                creationLead: Double?, accounts: Int = 1) {
        self.counters = counters
        self.distinctPrompts = distinctPrompts
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.creationLead = creationLead
        self.accounts = accounts
    }
}

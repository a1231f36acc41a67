/// What the detector keeps from one exchange: numbers and keyed hashes,
/// never the text. Computing them is pure, so it runs on any thread
/// (the scan does it on the parser threads); only ``CampaignDetector/observe(_:)``
/// must be serial.
public struct ExchangeFeatures: Sendable, Equatable {
    /// The account.
    public var account: String
    /// Seconds since 1970.
    public var time: Double
    /// The model asked for.
    public var model: String?
    /// The prompt text's features.
    public var text = TextFeatures()
    /// True when the request carries earlier turns (assistant messages or several user turns).
    public var multiTurn = false
    /// Prompt tokens (reported, or estimated from the text).
    public var promptTokens: Int32 = 0
    /// Completion tokens over all choices (reported, or estimated).
    public var completionTokens: Int32 = 0
    /// True when a response with at least one choice came back.
    public var answered = false
    /// True when a choice stopped at max_tokens (`finish_reason: length`).
    public var hitMaxTokens = false
    /// True when more than one completion was asked for (`n > 1`, `best_of > 1`).
    public var multiSample = false
    /// True when token log-probabilities were asked for.
    public var logprobs = false
    /// Hash of the sampling parameters (temperature, top_p, max_tokens, n, penalties, logprobs, seed).
    public var samplingFingerprint: UInt64 = 0
    /// Keyed hashes of the caller's infrastructure; 0 when unknown.
    public var ip: UInt64 = 0, subnet: UInt64 = 0, userAgent: UInt64 = 0, asnAgent: UInt64 = 0
    /// Keyed hashes of the account's facts; 0 when unknown (free-mail domains count as unknown).
    public var payment: UInt64 = 0, emailDomain: UInt64 = 0
    /// Account creation time (seconds since 1970), when known.
    public var accountCreated: Double?

    /// Creates features for an account at a time; everything else empty.
    public init(account: String, time: Double) {
        self.account = account
        self.time = time
    }
}

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
    /// Keyed hash of the stream within the account: the system prompt, else the
    /// request's `user` field; 0 for requests carrying neither.
    public var stream: UInt64 = 0
    /// The stream's printable name: `system:` and the first 16 hex digits of the
    /// system prompt's SHA-256, else `user:` and the `user` field (at most 64
    /// characters), else empty.
    public var streamLabel = ""
    /// Keyed hash of the system prompt (digits masked); 0 when none.
    public var systemPrompt: UInt64 = 0
    /// Keyed, order-independent fingerprint of the tool definitions; 0 when none.
    public var toolSchema: UInt64 = 0
    /// True when the history carries tool calls or tool results written back by the client.
    public var toolTrajectory = false
    /// `max_tokens` asked for, clamped to 0…1,048,576; 0 when absent.
    public var maxTokens: Int32 = 0
    /// What was wrong with the input (``InputProblems``): counted, never fatal.
    public var problems: InputProblems = []
    /// Keyed hash of what is asked, apart from the wording: topic, reasoning
    /// request, requested answer length, sampling settings and tool use. Accounts
    /// doing the same work share it however they phrase it.
    public var workKey: UInt64 = 0

    /// Creates features for an account at a time; everything else empty.
    public init(account: String, time: Double) {
        self.account = account
        self.time = time
    }
}

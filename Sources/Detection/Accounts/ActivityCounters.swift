/// Additive counts of what an account (or a campaign, by summing its members)
/// did. Every field can be summed and halved, so the same counters serve one
/// account, a pooled campaign, and a decaying sliding window.
public struct ActivityCounters: Sendable, Equatable {
    /// Requests seen.
    public var requests: UInt32 = 0
    /// Prompt and completion tokens.
    public var promptTokens: UInt64 = 0, completionTokens: UInt64 = 0
    /// Requests that got at least one choice back; of those, ones that stopped at max_tokens.
    public var answered: UInt32 = 0, lengthHits: UInt32 = 0
    /// Requests asking for several completions; for log-probabilities.
    public var multiSample: UInt32 = 0, logprobs: UInt32 = 0
    /// Requests carrying earlier conversation turns.
    public var multiTurn: UInt32 = 0
    /// Requests per ``PromptCategory`` (indexed by raw value).
    public var categories = SIMD8<UInt32>(repeating: 0)
    /// Requests per ``Topic`` (indexed by raw value).
    public var topics = SIMD16<UInt32>(repeating: 0)
    /// Requests per UTC hour of day.
    public var hours = SIMD32<UInt32>(repeating: 0)
    /// Active minutes by how many requests they held (index k-1 for k requests; the last bin is "64 or more").
    public var minuteLoads = SIMD64<UInt16>(repeating: 0)
    /// Gaps between consecutive requests within a burst of activity (shorter than 10 minutes).
    public var gaps: UInt32 = 0
    /// Sum of log(gap) and of its square: regularity is the spread of log gaps.
    public var logGapSum: Double = 0, logGapSquares: Double = 0
    /// Requests whose prompt reused a template (or near-duplicate) the account had sent before.
    public var reused: UInt32 = 0
    /// Requests made within 24 h after a model release by an account active before it; of those, to the new model.
    public var releaseWindow: UInt32 = 0, newModel: UInt32 = 0

    /// Requests asking for the reasoning written out, in any wording (``ReasoningCues``).
    public var reasoningRequests: UInt32 = 0
    /// Answers of 500 completion tokens or more.
    public var longAnswers: UInt32 = 0
    /// Requests asking for max_tokens of 16,384 or more.
    public var largeMaxTokens: UInt32 = 0
    /// Requests bringing tool definitions; of those, ones carrying a tool trajectory in their history.
    public var toolRequests: UInt32 = 0, toolTrajectories: UInt32 = 0

    /// Empty counters.
    public init() {}

    /// Counts what one exchange asked for and got (not its timing).
    mutating func count(_ f: ExchangeFeatures) {
        requests &+= 1
        promptTokens &+= UInt64(max(0, f.promptTokens))
        completionTokens &+= UInt64(max(0, f.completionTokens))
        if f.answered { answered &+= 1 }
        if f.hitMaxTokens { lengthHits &+= 1 }
        if f.multiSample { multiSample &+= 1 }
        if f.logprobs { logprobs &+= 1 }
        if f.multiTurn { multiTurn &+= 1 }
        for c in PromptCategory.allCases where f.text.categories & c.bit != 0 { categories[c.rawValue] &+= 1 }
        topics[Int(f.text.topic.rawValue)] &+= 1
        let hour = Int((f.time / 3600).rounded(.down)) % 24
        hours[hour < 0 ? hour + 24 : hour] &+= 1
        if f.text.asksForReasoning { reasoningRequests &+= 1 }
        if f.completionTokens >= 500 { longAnswers &+= 1 }
        if f.maxTokens >= 16_384 { largeMaxTokens &+= 1 }
        if f.toolSchema != 0 {
            toolRequests &+= 1
            if f.toolTrajectory { toolTrajectories &+= 1 }
        }
    }

    /// Adds another account's counts (pooling a campaign).
    public static func += (lhs: inout ActivityCounters, rhs: ActivityCounters) {
        lhs.requests &+= rhs.requests
        lhs.promptTokens &+= rhs.promptTokens
        lhs.completionTokens &+= rhs.completionTokens
        lhs.answered &+= rhs.answered
        lhs.lengthHits &+= rhs.lengthHits
        lhs.multiSample &+= rhs.multiSample
        lhs.logprobs &+= rhs.logprobs
        lhs.multiTurn &+= rhs.multiTurn
        lhs.categories &+= rhs.categories
        lhs.topics &+= rhs.topics
        lhs.hours &+= rhs.hours
        let sum = SIMD64<UInt32>(truncatingIfNeeded: lhs.minuteLoads) &+ SIMD64<UInt32>(truncatingIfNeeded: rhs.minuteLoads)
        lhs.minuteLoads = SIMD64<UInt16>(clamping: sum)
        lhs.gaps &+= rhs.gaps
        lhs.logGapSum += rhs.logGapSum
        lhs.logGapSquares += rhs.logGapSquares
        lhs.reused &+= rhs.reused
        lhs.releaseWindow &+= rhs.releaseWindow
        lhs.newModel &+= rhs.newModel
        lhs.reasoningRequests &+= rhs.reasoningRequests
        lhs.longAnswers &+= rhs.longAnswers
        lhs.largeMaxTokens &+= rhs.largeMaxTokens
        lhs.toolRequests &+= rhs.toolRequests
        lhs.toolTrajectories &+= rhs.toolTrajectories
    }

    /// Halves every count: the window slides by forgetting half of the past.
    public mutating func halve() {
        requests /= 2
        promptTokens /= 2
        completionTokens /= 2
        answered /= 2
        lengthHits /= 2
        multiSample /= 2
        logprobs /= 2
        multiTurn /= 2
        categories /= 2
        topics /= 2
        hours /= 2
        minuteLoads /= 2
        gaps /= 2
        logGapSum /= 2
        logGapSquares /= 2
        reused /= 2
        releaseWindow /= 2
        newModel /= 2
        reasoningRequests /= 2
        longAnswers /= 2
        largeMaxTokens /= 2
        toolRequests /= 2
        toolTrajectories /= 2
    }
}

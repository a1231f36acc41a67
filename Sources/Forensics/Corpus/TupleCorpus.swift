import AegisCore
import Watermark

/// The distinct (context window, token) tuples of a whole corpus, each scored once.
///
/// Tuples are added in corpus order; a tuple whose PRF input (Watermark's `PRFInput`)
/// was already added, or was excluded beforehand (windows of the prompts, or of the
/// text read in reading mode), is not scored. Under the null hypothesis every kept
/// tuple is a distinct PRF input of a text chosen without the key, so the kept
/// statistics are independent draws of the per-tuple null distribution.
public struct TupleCorpus: Sendable {
    /// The scorer that defines identities and statistics.
    public let scorer: TupleScorer
    /// The kept tuples' windows, `contextWidth` tokens each, back to back.
    public private(set) var windows: [TokenID] = []
    /// The kept tuples' scored tokens.
    public private(set) var tokens: [TokenID] = []
    /// Each kept tuple's unshifted contribution to the statistic.
    public private(set) var statistics: [Double] = []
    /// Tuples offered that repeated a kept one.
    public private(set) var duplicates = 0
    /// Tuples offered whose PRF input had been excluded.
    public private(set) var excludedHits = 0
    /// Distinct PRF inputs excluded.
    public private(set) var excludedInputs = 0
    private var seen = Set<PRFInput>()
    private var excluded = Set<PRFInput>()

    /// An empty corpus scored with `scorer`.
    public init(scorer: TupleScorer) {
        self.scorer = scorer
    }

    /// Number of tuples scored.
    public var count: Int { tokens.count }

    /// The window of kept tuple `index`.
    public func window(_ index: Int) -> ArraySlice<TokenID> {
        let h = scorer.contextWidth
        return windows[(index * h)..<(index * h + h)]
    }

    /// Marks every tuple of `text` (each token after a full window) as not to be scored.
    public mutating func exclude(text: [TokenID]) {
        let text = scorer.startPadding + text
        let h = scorer.contextWidth
        guard text.count > h else { return }
        for i in h..<text.count {
            if excluded.insert(scorer.identity(window: Array(text[(i - h)..<i]), token: text[i])).inserted {
                excludedInputs += 1
            }
        }
    }

    /// Adds every tuple of `text` whose window lies inside it (or, for `vllm-gumbel`, reaches
    /// before its start, padded with −1 as vLLM pads it).
    public mutating func add(text: [TokenID]) {
        let text = scorer.startPadding + text
        let h = scorer.contextWidth
        guard text.count > h else { return }
        for i in h..<text.count { add(window: Array(text[(i - h)..<i]), token: text[i]) }
    }

    /// Adds one tuple; returns whether it was scored (new and not excluded).
    @discardableResult
    public mutating func add(window: [TokenID], token: TokenID) -> Bool {
        guard window.count == scorer.contextWidth else { return false }
        let (identity, statistic) = scorer.score(window: window, token: token)
        if excluded.contains(identity) { excludedHits += 1; return false }
        guard seen.insert(identity).inserted else { duplicates += 1; return false }
        windows.append(contentsOf: window)
        tokens.append(token)
        statistics.append(statistic)
        return true
    }

    /// The statistic summed over the kept tuples for the test of `payload`.
    public func statistic(payload: UInt32) -> Double {
        if payload == 0 { return statistics.reduce(0, +) }
        var sum = 0.0
        for index in 0..<count {
            sum += scorer.statistic(window: Array(window(index)), token: tokens[index], payload: payload)
        }
        return sum
    }
}

import AegisCore
import Watermark

/// Scores single (context window, token) tuples for one watermark configuration.
///
/// A tuple is scored by testing the text `window + [token]` (the window given as the
/// prompt): exactly one PRF input is scored, and the verdict's normalised score times
/// the number of trials is that input's contribution to the statistic. Its identity is
/// the PRF input itself, Watermark's `PRFInput` (seed, token): two tuples are the same
/// draw exactly when the PRF sees the same input.
public struct TupleScorer: Sendable {
    /// The configuration tested (its payload is ignored: shifts are given per call).
    public let configuration: WatermarkConfiguration
    private let detector: WatermarkDetector
    /// Trials per scored tuple: the SynthID layers, else 1.
    public let trialsPerTuple: Int

    /// A scorer for `configuration`.
    public init(configuration: WatermarkConfiguration) {
        var unshifted = configuration
        unshifted.payloadBits = 0
        unshifted.payload = 0
        self.configuration = unshifted
        detector = WatermarkDetector(configuration: unshifted)
        trialsPerTuple = configuration.scheme == .synthid ? min(max(configuration.layers, 1), WatermarkConfiguration.maximumLayers) : 1
    }

    /// Context width h: tuples need h tokens of window.
    public var contextWidth: Int { min(max(configuration.contextWidth, 0), WatermarkConfiguration.maximumContextWidth) }

    /// What stands before the first token of a text: nothing for Aegis's schemes (a tuple needs
    /// h real tokens of window); h × −1 for `vllm-gumbel`, whose first tokens are marked and
    /// scored under windows padded with −1 (the PRF reads −1 as vLLM's padding word 0xFFFFFFFF).
    public var startPadding: [TokenID] {
        configuration.scheme == .vllmGumbel ? [TokenID](repeating: -1, count: contextWidth) : []
    }

    /// The tuple's identity and its unshifted contribution to the statistic
    /// (KGW: 1 if green; Gumbel: −log(1−r); SynthID: the number of layers whose g is 1).
    /// - Precondition: `window.count == contextWidth`.
    public func score(window: [TokenID], token: TokenID) -> (identity: PRFInput, statistic: Double) {
        let identity = self.identity(window: window, token: token)
        guard let verdict = try? detector.detect(tokens: [token], promptTokens: window), verdict.scoredTokens == 1 else {
            return (identity, 0)
        }
        return (identity, contribution(verdict))
    }

    /// The tuple's deduplication identity: the PRF input (seed, token) the detector
    /// derives from the window (and, for SelfHash, the token), Watermark's `PRFInput`.
    public func identity(window: [TokenID], token: TokenID) -> PRFInput {
        detector.prfInputs(tokens: [token], promptTokens: window).first?.input ?? PRFInput(seed: 0, token: token)
    }

    /// The tuple's contribution to the statistic of the test for payload `payload`
    /// (the PRF output vector cyclically shifted by `payload` positions, as the
    /// gateway embeds it).
    public func statistic(window: [TokenID], token: TokenID, payload: UInt32) -> Double {
        if payload == 0 { return score(window: window, token: token).statistic }
        guard let verdict = try? detector.detect(tokens: [token], promptTokens: window, payloadCandidates: [payload]),
              verdict.scoredTokens == 1
        else { return 0 }
        return contribution(verdict)
    }

    /// The verdict's score is the statistic divided by the trials; undo that exactly.
    private func contribution(_ verdict: WatermarkVerdict) -> Double {
        switch configuration.scheme {
        case .kgw: return verdict.score.rounded()
        case .gumbel, .vllmGumbel: return verdict.score
        case .synthid: return (verdict.score * Double(trialsPerTuple)).rounded()
        }
    }
}

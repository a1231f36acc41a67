#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AegisCore

/// Draws the next token from a step's logits.
///
/// Order: repetition penalty, then (greedy if temperature is 0) min-p, top-k,
/// temperature, top-p and a seeded draw. With a ``TokenChooser`` (a watermark)
/// the penalty is applied here and the chooser makes the draw with temperature,
/// top-k, top-p and min-p (KGW truncates after its bias: docs/watermark.md). Buffers are kept between steps, so
/// sampling does not allocate once warmed up.
public struct Sampler {
    /// The sampling parameters.
    public let configuration: SamplerConfiguration
    /// The watermark (or any other chooser) that makes the final draw, if any.
    public let chooser: (any TokenChooser)?
    private var generator: SeededGenerator
    private var candidates: [Int32] = []
    private var weights: [Float] = []
    private var seen: Set<TokenID> = []

    /// Tokens whose probability is below e^-30 of the best one's are never drawn:
    /// they carry no measurable mass, and skipping them keeps the sort short.
    static let supportCutoff: Float = 30

    /// A sampler seeded with `configuration.seed`.
    public init(configuration: SamplerConfiguration, chooser: (any TokenChooser)? = nil) {
        self.configuration = configuration
        self.chooser = chooser
        generator = SeededGenerator(seed: configuration.seed)
    }

    /// Chooses the next token; `logits` is modified. `context` is every token
    /// before this step (prompt and generated so far).
    public mutating func sample(logits: UnsafeMutableBufferPointer<Float>,
                                context: UnsafeBufferPointer<TokenID>) -> TokenID {
        let c = configuration
        applyRepetitionPenalty(logits, context: context)
        guard var maximum = logits.max(), maximum.isFinite else { return 0 }

        if let chooser {
            return chooser.sample(logits: logits, context: context, temperature: c.temperature,
                                  topK: c.topK, topP: c.topP, minP: c.temperature > 0 ? c.minP : 0, using: &generator)
        }
        guard c.temperature > 0 else { return TokenID(logits.firstIndex(of: maximum) ?? 0) }

        // Candidates: within the support and above min-p, most likely first.
        var floor = maximum - Self.supportCutoff * c.temperature
        if c.minP > 0 { floor = max(floor, maximum + c.temperature * logf(c.minP)) }
        candidates.removeAll(keepingCapacity: true)
        for i in logits.indices where logits[i] >= floor { candidates.append(Int32(i)) }
        candidates.sort { logits[Int($0)] > logits[Int($1)] || (logits[Int($0)] == logits[Int($1)] && $0 < $1) }
        if c.topK > 0, candidates.count > c.topK { candidates.removeLast(candidates.count - c.topK) }

        // Softmax at the temperature, then the top-p nucleus.
        maximum = logits[Int(candidates[0])]
        weights.removeAll(keepingCapacity: true)
        var total: Float = 0
        for token in candidates {
            let w = expf((logits[Int(token)] - maximum) / c.temperature)
            weights.append(w)
            total += w
        }
        var kept = candidates.count
        if c.topP < 1 {
            var mass: Float = 0
            for (i, w) in weights.enumerated() {
                mass += w
                if mass >= c.topP * total { kept = i + 1; break }
            }
            total = weights[..<kept].reduce(0, +)
        }
        let target = Float(Double(generator.next() >> 11) * 0x1p-53) * total
        var cumulative: Float = 0
        for i in 0..<kept {
            cumulative += weights[i]
            if target < cumulative { return TokenID(candidates[i]) }
        }
        return TokenID(candidates[kept - 1])
    }

    /// As llama.cpp: each distinct token of the recent window has its logit
    /// divided by the penalty if positive, multiplied if negative.
    private mutating func applyRepetitionPenalty(_ logits: UnsafeMutableBufferPointer<Float>,
                                                 context: UnsafeBufferPointer<TokenID>) {
        let penalty = configuration.repetitionPenalty
        guard penalty != 1, penalty > 0, configuration.repetitionWindow > 0 else { return }
        seen.removeAll(keepingCapacity: true)
        for token in context.suffix(configuration.repetitionWindow)
        where token >= 0 && Int(token) < logits.count && seen.insert(token).inserted {
            let value = logits[Int(token)]
            logits[Int(token)] = value > 0 ? value / penalty : value * penalty
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AegisCore

/// Picks the next token from one step's logits: the hook through which a
/// watermark scheme takes over the final draw.
///
/// ``Sampler`` applies the repetition penalty first, then hands temperature, top-k,
/// top-p and min-p to the chooser (a chooser that does not take min-p gets it as a mask
/// on the logits, the default implementation below). `Watermark.WatermarkSampler`
/// conforms (see `WatermarkSampler+TokenChooser.swift`).
public protocol TokenChooser: Sendable {
    /// Chooses a token; `logits` may be modified in place.
    func sample(logits: UnsafeMutableBufferPointer<Float>, context: UnsafeBufferPointer<TokenID>,
                temperature: Float, topK: Int, topP: Float,
                using rng: inout some RandomNumberGenerator) -> TokenID

    /// Chooses a token with min-p truncation as well (tokens less likely than `minP` × the
    /// most likely one are dropped; 0 = off). A chooser that orders truncation and its own
    /// change of the distribution differently (a watermark that biases first) implements it.
    func sample(logits: UnsafeMutableBufferPointer<Float>, context: UnsafeBufferPointer<TokenID>,
                temperature: Float, topK: Int, topP: Float, minP: Float,
                using rng: inout some RandomNumberGenerator) -> TokenID
}

extension TokenChooser {
    /// Applies min-p as a mask on the logits, then chooses with temperature, top-k and top-p.
    public func sample(logits: UnsafeMutableBufferPointer<Float>, context: UnsafeBufferPointer<TokenID>,
                       temperature: Float, topK: Int, topP: Float, minP: Float,
                       using rng: inout some RandomNumberGenerator) -> TokenID {
        if minP > 0, temperature > 0, let maximum = logits.max(), maximum.isFinite {
            let threshold = maximum + temperature * logf(minP)
            for i in logits.indices where logits[i] < threshold { logits[i] = -.infinity }
        }
        return sample(logits: logits, context: context, temperature: temperature, topK: topK, topP: topP, using: &rng)
    }
}

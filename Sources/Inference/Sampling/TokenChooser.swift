import AegisCore

/// Picks the next token from one step's logits: the hook through which a
/// watermark scheme takes over the final draw.
///
/// ``Sampler`` applies the repetition penalty and the min-p mask first, then
/// hands temperature, top-k and top-p to the chooser. `Watermark.WatermarkSampler`
/// conforms (see `WatermarkSampler+TokenChooser.swift`).
public protocol TokenChooser: Sendable {
    /// Chooses a token; `logits` may be modified in place.
    func sample(logits: UnsafeMutableBufferPointer<Float>, context: UnsafeBufferPointer<TokenID>,
                temperature: Float, topK: Int, topP: Float,
                using rng: inout some RandomNumberGenerator) -> TokenID
}

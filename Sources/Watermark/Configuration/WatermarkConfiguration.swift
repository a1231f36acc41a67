import AegisCore

/// Everything the sampler and the detector must agree on. The defaults are the
/// ones documented (with reasons) in docs/watermark.md.
public struct WatermarkConfiguration: Sendable, Hashable {
    /// The algorithm.
    public var scheme: WatermarkScheme
    /// The 256-bit secret; detection needs the same key as generation.
    public var key: WatermarkKey
    /// KGW: fraction of the vocabulary that is green in each context (0 < γ < 1). Default 0.25.
    public var gamma: Double
    /// KGW: logit bonus added to green tokens. Default 3.0: what keeps the mark detectable in
    /// answers served with truncation and stop tokens, and after 20% of words are replaced (docs/watermark.md).
    public var delta: Double
    /// Number of preceding tokens that seed the PRF (all schemes). Default 4.
    public var contextWidth: Int
    /// KGW: how the context seeds the green list. Default `.leftHash`: its seed depends on the
    /// whole window, which keeps p-values valid under one fixed key (docs/watermark.md, per-key validity).
    public var seeding: SeedingScheme
    /// SynthID: number of tournament layers m (1...64). Default 30.
    public var layers: Int
    /// SynthID: the tournament runs over this many most likely tokens after temperature. Default 40.
    public var topK: Int
    /// Bits of payload b (0...32); 0 embeds no message. Default 0.
    public var payloadBits: Int
    /// The message embedded by the sampler (its low `payloadBits` bits). Ignored by the detector, which decodes it.
    public var payload: UInt32
    /// KGW: whether min-p, top-k and top-p truncate the distribution after δ is added
    /// (true, the default, as the reference implementation) or the model's own distribution
    /// before it (false: the mark only reweights the tokens the request's truncation kept).
    /// Detection does not depend on it.
    public var truncatesBiasedDistribution: Bool = true
    /// Which scored positions count as repeats (detection only). Default `.prfInput`, Aegis's rule;
    /// `.context` is vLLM's detector rule and reproduces its statistic exactly.
    public var deduplication: Deduplication = .prfInput
    /// `vllm-gumbel` generation: how many most recent positions of the context the sampler
    /// searches for an earlier occurrence of the current window; a repeated window is sampled
    /// without the mark, as vLLM's `deduplicate_contexts: "single_turn"` with
    /// `deduplicate_contexts_max_history` (default 8192, vLLM's; nil searches all, 0 turns it off).
    public var deduplicateContextsMaxHistory: Int? = 8192

    /// The largest context width accepted: longer windows only make the mark more fragile.
    public static let maximumContextWidth = 32
    /// The largest number of SynthID layers accepted.
    public static let maximumLayers = 64

    /// A configuration with the documented defaults for every option not given.
    public init(scheme: WatermarkScheme, key: WatermarkKey, gamma: Double = 0.25, delta: Double = 3.0,
                contextWidth: Int = 4, seeding: SeedingScheme = .leftHash, layers: Int = 30, topK: Int = 40,
                payloadBits: Int = 0, payload: UInt32 = 0) {
        self.scheme = scheme
        self.key = key
        self.gamma = gamma
        self.delta = delta
        self.contextWidth = contextWidth
        self.seeding = seeding
        self.layers = layers
        self.topK = topK
        self.payloadBits = payloadBits
        self.payload = payload
    }

    /// Checks every option against its range; call it on values that came from a user.
    /// (The sampler and detector clamp out-of-range values rather than crash.)
    public func validate() throws(InvalidInput) {
        guard gamma > 0, gamma < 1 else { throw InvalidInput("--gamma must lie strictly between 0 and 1 (got \(gamma))") }
        guard delta.isFinite, delta >= 0 else { throw InvalidInput("--delta must be a finite number ≥ 0 (got \(delta))") }
        guard (0...Self.maximumContextWidth).contains(contextWidth) else {
            throw InvalidInput("--context must be between 0 and \(Self.maximumContextWidth) tokens (got \(contextWidth))")
        }
        guard (1...Self.maximumLayers).contains(layers) else {
            throw InvalidInput("--layers must be between 1 and \(Self.maximumLayers) (got \(layers))")
        }
        guard topK >= 1 else { throw InvalidInput("the SynthID top-k must be at least 1 (got \(topK))") }
        guard (0...32).contains(payloadBits) else { throw InvalidInput("--payload-bits must be between 0 and 32 (got \(payloadBits))") }
        guard payloadBits == 32 || UInt64(payload) < (UInt64(1) << UInt64(payloadBits)) else {
            throw InvalidInput("the payload \(payload) does not fit in \(payloadBits) bits")
        }
        if scheme == .vllmGumbel {
            guard key.isVLLMKey else {
                throw InvalidInput("vllm-gumbel takes vLLM's 64-bit integer key (the \"key\" of its --watermark-config), not a 256-bit Aegis key")
            }
            guard contextWidth >= 1 else { throw InvalidInput("vllm-gumbel needs a context width of at least 1 (vLLM's context_width; got \(contextWidth))") }
            guard payloadBits == 0 else { throw InvalidInput("vllm-gumbel carries no payload (vLLM's scheme has none); drop --payload-bits") }
        }
        if let history = deduplicateContextsMaxHistory, history < 0 {
            throw InvalidInput("deduplicate_contexts_max_history must be ≥ 0 (got \(history))")
        }
    }

    /// Effective values, clamped into range so that no input can crash the hot loops.
    var clampedGamma: Double { gamma.isNaN ? 0.25 : min(max(gamma, 1e-9), 1 - 1e-9) }
    var clampedDelta: Float { delta.isFinite ? Float(max(delta, 0)) : 0 }
    var clampedContextWidth: Int { min(max(contextWidth, 0), Self.maximumContextWidth) }
    var clampedLayers: Int { min(max(layers, 1), Self.maximumLayers) }
    var clampedTopK: Int { max(topK, 1) }
    var clampedPayloadBits: Int { min(max(payloadBits, 0), 32) }

    /// The payload's low `payloadBits` bits: the number of positions the PRF's
    /// output vector is cyclically shifted by.
    var payloadShift: UInt32 {
        let bits = clampedPayloadBits
        guard bits > 0 else { return 0 }
        return bits == 32 ? payload : payload & ((1 << UInt32(bits)) - 1)
    }
}

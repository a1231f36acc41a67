import AegisCore

/// The watermarking algorithm, as named on the command line.
public enum WatermarkScheme: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Kirchenbauer et al. 2023: a keyed green list per context gets a logit bonus δ.
    case kgw
    /// Aaronson's Gumbel-max trick: distortion-free per step, deterministic given the key and context.
    case gumbel
    /// SynthID-Text (Dathathri et al. 2024): tournament over keyed g-values, non-distortionary.
    case synthid
    /// vLLM's own Gumbel-max watermark (`vllm serve --watermark-config '{"algorithm":"gumbel","key":…}'`),
    /// bit-exact with vLLM's Philox PRF, sampler and detector: the key is vLLM's 64-bit
    /// integer (`WatermarkKey(vllmKey:)`), contexts before the start of the text are −1.
    case vllmGumbel = "vllm-gumbel"

    /// Parses "kgw", "gumbel", "synthid" or "vllm-gumbel" (any case); anything else is an `InvalidInput`.
    public init(parsing text: String) throws(InvalidInput) {
        guard let scheme = WatermarkScheme(rawValue: String(text.trimmingWhitespace()).lowercased()) else {
            throw InvalidInput("unknown watermark scheme '\(text)'; use one of kgw, gumbel, synthid, vllm-gumbel")
        }
        self = scheme
    }

    /// The command-line name.
    public var description: String { rawValue }

    /// Whether the scheme can embed a multi-bit payload (vLLM's Gumbel has none).
    public var carriesPayload: Bool { self != .vllmGumbel }
}

/// How KGW turns the context into the seed of the green list.
public enum SeedingScheme: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// The seed is a keyed hash of the `contextWidth` tokens before the candidate.
    case leftHash = "lefthash"
    /// The seed is the minimum keyed hash over the `contextWidth` tokens before the
    /// candidate and the candidate itself ("min-hash", anchored on the candidate):
    /// one edited token changes fewer green lists, so the mark survives edits better.
    ///
    /// Not per-key valid: the seed is the anchor of one token, so natural text reuses a few
    /// thousand PRF inputs across texts, and under one fixed key the share of human texts
    /// flagged at a nominal 1% ranges from 0.2% to 2.4% depending on the key (design effect
    /// ≈ 116, docs/watermark.md). Its p-values hold over random keys only; not a default.
    case selfHash = "selfhash"

    /// Parses "lefthash" or "selfhash" (any case); anything else is an `InvalidInput`.
    public init(parsing text: String) throws(InvalidInput) {
        guard let seeding = SeedingScheme(rawValue: String(text.trimmingWhitespace()).lowercased()) else {
            throw InvalidInput("unknown seeding scheme '\(text)'; use lefthash or selfhash")
        }
        self = seeding
    }

    /// The command-line name.
    public var description: String { rawValue }
}

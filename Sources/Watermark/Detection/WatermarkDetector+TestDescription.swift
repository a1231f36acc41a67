extension WatermarkDetector {
    /// The statistical test behind `WatermarkVerdict.pValue`, in words, for printing next to it.
    public var testDescription: String {
        var test: String
        switch configuration.scheme {
        case .kgw:
            test = "one-sided exact binomial test of the green count: Binomial(n scored tokens, γ = \(configuration.clampedGamma)), randomised at ties (P(X > s) + U·P(X = s), U a keyed hash of the text)"
        case .gumbel:
            test = "one-sided exact Gamma test: the sum of −log(1 − r) over n scored tokens is Gamma(n, 1)"
        case .synthid:
            test = "one-sided exact binomial test of the g-values: Binomial(n scored tokens × \(configuration.clampedLayers) layers, 1/2), randomised at ties"
        case .vllmGumbel:
            test = "one-sided exact Gamma test of vLLM's Gumbel-max watermark (Philox4x32-10 PRF philox4x32-10-v1, context_width = \(contextWidth)): the sum of −log(1 − u) over n scored tokens is Gamma(n, 1), as vLLM's GumbelWatermarkDetector computes it"
        }
        if payloadBits > 0 {
            test += "; best of the payloads tried, corrected 1 − (1 − p)^M for the M tried"
        }
        return test
    }

    /// What the p-value assumes about the key and the text (the null hypothesis and its scope).
    public var nullAssumption: String {
        if configuration.scheme == .vllmGumbel {
            let rule = configuration.deduplication == .context
                ? "each distinct context window is scored once, at its first occurrence, whatever token follows (vLLM's detector rule)"
                : "each distinct PRF input (context window, token) is scored once"
            return "null: the text was written without this vLLM key (independent of its Philox PRF); \(rule); contexts before the start of the text are −1 as in vLLM, inputs from --prompt-file excluded; valid for a fixed text over a random key; for one fixed key only as far as natural texts do not share windows of \(contextWidth) tokens (vLLM's note: measure the false-positive rate on unmarked traffic with the deployed key); u has 24 bits, so the Gamma null holds up to that resolution"
        }
        let base = "null: the text was written without this key (independent of its PRF); each distinct PRF input (context seed, token) of the text is scored once, inputs from --prompt-file excluded"
        let coarse = configuration.scheme == .kgw && configuration.seeding == .selfHash
        if coarse || contextWidth <= 2 {
            return base + "; valid for a fixed text over a random key, NOT for one fixed key on natural text: with \(coarse ? "SelfHash seeding" : "h = \(contextWidth)") texts share PRF inputs and the false-positive rate depends on the key (docs/watermark.md, per-key validity)"
        }
        return base + "; valid for a fixed text over a random key, and for one fixed key on natural text (LeftHash-style window seeding, h = \(contextWidth): per-key check in docs/watermark.md); texts that share long passages with each other are not independent"
    }
}

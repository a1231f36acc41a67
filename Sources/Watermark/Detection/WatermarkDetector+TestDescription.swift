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
        }
        if payloadBits > 0 {
            test += "; best of the payloads tried, corrected 1 − (1 − p)^M for the M tried"
        }
        return test
    }

    /// What the p-value assumes about the key and the text (the null hypothesis and its scope).
    public var nullAssumption: String {
        let base = "null: the text was written without this key (independent of its PRF); each distinct PRF input (context seed, token) of the text is scored once, inputs from --prompt-file excluded"
        let coarse = configuration.scheme == .kgw && configuration.seeding == .selfHash
        if coarse || contextWidth <= 2 {
            return base + "; valid for a fixed text over a random key, NOT for one fixed key on natural text: with \(coarse ? "SelfHash seeding" : "h = \(contextWidth)") texts share PRF inputs and the false-positive rate depends on the key (docs/watermark.md, per-key validity)"
        }
        return base + "; valid for a fixed text over a random key, and for one fixed key on natural text (LeftHash-style window seeding, h = \(contextWidth): per-key check in docs/watermark.md); texts that share long passages with each other are not independent"
    }
}

import Watermark

/// The exact test of a corpus statistic against its null distribution.
///
/// Under H0 (the text was produced without knowledge of the key) each of the n
/// distinct PRF inputs scored is an independent uniform draw, so:
/// - KGW: the green count S ~ Binomial(n, γ); p = P(S ≥ s), one-sided binomial tail;
/// - Gumbel: S = Σ −log(1−r) ~ Gamma(n, 1); p = P(S ≥ s), the regularised upper gamma Q(n, s);
/// - SynthID: the count of g = 1 over n tuples × m layers ~ Binomial(n·m, ½); p = P(S ≥ s).
/// The binomial tails are the plain P(S ≥ s), not randomised: valid (P(p ≤ α) ≤ α) and
/// reproducible by anyone holding the key; at n in the thousands their discreteness is negligible.
public enum CorpusTest {
    /// The name of the test for `configuration`'s scheme.
    public static func name(_ configuration: WatermarkConfiguration) -> String {
        switch configuration.scheme {
        case .kgw: return "one-sided exact binomial test on the green count (γ = \(configuration.gamma))"
        case .gumbel: return "exact Gamma(n, 1) upper tail of Σ −log(1 − r)"
        case .vllmGumbel: return "exact Gamma(n, 1) upper tail of Σ −log(1 − u), u vLLM's Philox4x32-10 uniform (context_width = \(configuration.contextWidth))"
        case .synthid: return "one-sided exact binomial test on the g-value count (n·m trials, p = ½, m = \(configuration.layers))"
        }
    }

    /// The null hypothesis tested, in words.
    public static let nullHypothesis =
        "the suspect's text was produced without knowledge of the watermark key: each distinct (PRF seed, token) input scored is an independent uniform draw"

    /// P(S ≥ statistic) under H0 for `tuples` distinct inputs.
    public static func pValue(statistic: Double, tuples: Int, configuration: WatermarkConfiguration) -> Double {
        guard tuples > 0 else { return 1 }
        switch configuration.scheme {
        case .kgw:
            return PValue.binomialUpperTail(successes: Int(statistic.rounded()), trials: tuples, probability: configuration.gamma)
        case .gumbel, .vllmGumbel:
            return PValue.gammaUpperTail(shape: Double(tuples), x: statistic)
        case .synthid:
            let layers = min(max(configuration.layers, 1), WatermarkConfiguration.maximumLayers)
            return PValue.binomialUpperTail(successes: Int(statistic.rounded()), trials: tuples * layers, probability: 0.5)
        }
    }

    /// The statistic's expectation per tuple under H0 (γ, 1, or m/2), to report an effect size.
    public static func nullMean(_ configuration: WatermarkConfiguration) -> Double {
        switch configuration.scheme {
        case .kgw: return configuration.gamma
        case .gumbel, .vllmGumbel: return 1
        case .synthid: return Double(min(max(configuration.layers, 1), WatermarkConfiguration.maximumLayers)) / 2
        }
    }
}

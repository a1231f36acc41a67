#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exact tail probabilities behind every watermark verdict, accurate to a few
/// units in the 10th significant digit down to 1e-300 (they never use a normal
/// approximation).
public enum PValue {
    /// P(X ≥ successes) for X ~ Binomial(trials, probability): the KGW and SynthID tests.
    /// Computed as I_p(k, n − k + 1).
    public static func binomialUpperTail(successes: Int, trials: Int, probability: Double) -> Double {
        guard trials > 0, successes > 0 else { return 1 }
        guard successes <= trials else { return 0 }
        if probability <= 0 { return 0 }
        if probability >= 1 { return 1 }
        return clamp(SpecialFunctions.regularizedBeta(x: probability, a: Double(successes),
                                                      b: Double(trials - successes + 1)))
    }

    /// P(S ≥ x) for S ~ Gamma(shape, 1), the sum of `shape` independent Exp(1)
    /// variables: the Gumbel test. Computed as the regularised upper gamma Q(shape, x).
    public static func gammaUpperTail(shape: Double, x: Double) -> Double {
        guard shape > 0 else { return 1 }
        return clamp(SpecialFunctions.regularizedGammaQ(a: shape, x: x))
    }

    /// The regularised incomplete beta function I_x(a, b) (a, b > 0, 0 ≤ x ≤ 1).
    public static func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
        clamp(SpecialFunctions.regularizedBeta(x: x, a: a, b: b))
    }

    /// The p-value of the best of `tests` independent tests whose smallest p-value is
    /// `minimum`: 1 − (1 − p)^M, computed as −expm1(M·log1p(−p)) so that it stays
    /// exact when p is tiny and M large (payload decoding over M = 2^b messages).
    public static func minimumOfIndependent(_ minimum: Double, tests: Double) -> Double {
        guard tests > 1 else { return clamp(minimum) }
        if minimum >= 1 { return 1 }
        return clamp(-expm1(tests * log1p(-clamp(minimum))))
    }

    /// Bonferroni's bound min(1, M·p) for the best of `tests` possibly dependent tests.
    public static func bonferroni(_ minimum: Double, tests: Int) -> Double {
        clamp(minimum * Double(max(tests, 1)))
    }

    private static func clamp(_ p: Double) -> Double { p.isNaN ? 1 : min(max(p, 0), 1) }
}

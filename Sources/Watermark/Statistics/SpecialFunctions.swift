#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Regularised incomplete beta and gamma functions, evaluated with their
/// continued fractions (modified Lentz) and a log-space prefactor, so that tail
/// probabilities far below 1e-12 keep their relative accuracy.
enum SpecialFunctions {
    /// ln Γ(x) for x > 0, via the re-entrant libm call (plain `lgamma` writes a global).
    static func logGamma(_ x: Double) -> Double {
        var sign: Int32 = 0
        return lgamma_r(x, &sign)
    }

    /// I_x(a, b), the regularised incomplete beta function, for a, b > 0 and 0 ≤ x ≤ 1.
    static func regularizedBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        // The continued fraction converges fast below the mean; above it use the symmetry
        // I_x(a,b) = 1 − I_{1−x}(b,a), which is only taken where the result is not small.
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedBeta(x: 1 - x, a: b, b: a) }
        let logPrefactor = a * log(x) + b * log1p(-x) - (logGamma(a) + logGamma(b) - logGamma(a + b))
        return exp(logPrefactor) * betaContinuedFraction(x: x, a: a, b: b) / a
    }

    /// Q(a, x) = Γ(a, x)/Γ(a), the regularised upper incomplete gamma function.
    static func regularizedGammaQ(a: Double, x: Double) -> Double {
        if x <= 0 { return 1 }
        let logPrefactor = a * log(x) - x - logGamma(a)
        if x < a + 1 {
            // Below the mean Q is not small, so 1 − P (series) loses nothing that matters.
            return max(0, 1 - exp(logPrefactor) * gammaSeries(a: a, x: x))
        }
        return exp(logPrefactor) * gammaContinuedFraction(a: a, x: x)
    }

    private static let tiny = 1e-300
    private static let epsilon = 1e-16
    private static let maximumIterations = 100_000

    /// The continued fraction of I_x(a,b)·a·B(a,b)/(x^a(1−x)^b), terms d_1, d_2, … as in
    /// DLMF 8.17.22, evaluated with the modified Lentz method.
    private static func betaContinuedFraction(x: Double, a: Double, b: Double) -> Double {
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var fraction = d
        for m in 1...maximumIterations {
            let m = Double(m)
            // Even step d_{2m}.
            var term = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + term * d; if abs(d) < tiny { d = tiny }
            c = 1 + term / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            fraction *= d * c
            // Odd step d_{2m+1}.
            term = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + term * d; if abs(d) < tiny { d = tiny }
            c = 1 + term / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let change = d * c
            fraction *= change
            if abs(change - 1) < epsilon { break }
        }
        return fraction
    }

    /// Σ x^n / (a(a+1)…(a+n)), so that P(a,x) = x^a e^(−x)/Γ(a) · series.
    private static func gammaSeries(a: Double, x: Double) -> Double {
        var denominator = a
        var term = 1 / a
        var sum = term
        for _ in 0..<maximumIterations {
            denominator += 1
            term *= x / denominator
            sum += term
            if abs(term) < abs(sum) * epsilon { break }
        }
        return sum
    }

    /// Legendre's continued fraction for Γ(a,x)·e^x·x^(−a), modified Lentz.
    private static func gammaContinuedFraction(a: Double, x: Double) -> Double {
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var fraction = d
        for i in 1...maximumIterations {
            let i = Double(i)
            let term = -i * (i - a)
            b += 2
            d = term * d + b; if abs(d) < tiny { d = tiny }
            c = b + term / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let change = d * c
            fraction *= change
            if abs(change - 1) < epsilon { break }
        }
        return fraction
    }
}

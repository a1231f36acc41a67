import Testing
import Watermark

/// Tail probabilities against references computed with mpmath at 50 digits
/// (`mp.betainc(k, n-k+1, 0, p, regularized=True)` and `mp.gammainc(a, x, mp.inf, regularized=True)`).
@Suite struct PValueTests {
    static let binomial: [(k: Int, n: Int, p: Double, tail: Double)] = [
        (1, 1, 0.25, 0.25),
        (5, 10, 0.25, 0.078126907348632813),
        (10, 10, 0.25, 9.5367431640625e-7),
        (30, 100, 0.25, 0.14954104656657346),
        (40, 100, 0.25, 0.00068659220796299107),
        (50, 100, 0.25, 6.6385024834766515e-8),
        (60, 100, 0.25, 1.3268346743587382e-13),
        (80, 200, 0.25, 2.2251883747785037e-6),
        (100, 200, 0.25, 2.6850803468607363e-14),
        (120, 200, 0.25, 1.2075041340350209e-25),
        (150, 200, 0.25, 1.4177601694847207e-49),
        (200, 200, 0.25, 3.8725919148493183e-121),
        (25, 50, 0.5, 0.55613758632960852),
        (40, 50, 0.5, 1.1930665838377763e-5),
        (3000, 6000, 0.5, 0.50515010810133532),
        (3300, 6000, 0.5, 4.9945545745712343e-15),
        (3600, 6000, 0.5, 1.068917396236744e-54),
        (1, 1000, 0.001, 0.63230457522903596),
        (10, 1000, 0.001, 1.0742833868464873e-7),
        (260, 1000, 0.25, 0.24292735945071224),
        (300, 1000, 0.25, 0.00019359032194907896),
        (400, 1000, 0.25, 1.6103065648548269e-25),
        (5, 20, 0.1, 0.04317449528446339),
        (70, 100, 0.5, 3.9250698227968348e-5),
    ]

    static let gamma: [(a: Double, x: Double, tail: Double)] = [
        (1, 0.5, 0.60653065971263342),
        (1, 5, 0.0067379469990854671),
        (1, 30, 9.3576229688401746e-14),
        (10, 5, 0.96817194269379519),
        (10, 10, 0.45792971447185221),
        (10, 20, 0.0049954123083075872),
        (10, 40, 3.9259322262861882e-9),
        (50, 50, 0.48119168452795672),
        (50, 70, 0.0051405024585058939),
        (50, 100, 1.1784500720979422e-8),
        (100, 100, 0.48670120172085134),
        (100, 130, 0.0027504083673065263),
        (100, 180, 2.9482945576482845e-11),
        (200, 200, 0.49059658199276367),
        (200, 260, 4.7500124443008756e-5),
        (200, 350, 1.0765627064615322e-18),
        (200, 500, 3.7272816423111791e-53),
        (1000, 1000, 0.49579475581978449),
        (1000, 1100, 0.0010593232539299773),
        (1000, 1300, 1.8736155715785551e-18),
        (3, 0.01, 0.99999983457834719),
        (0.5, 2, 0.045500263896358414),
        (2.5, 10, 0.0012497305630313754),
    ]

    private func relativeError(_ value: Double, _ reference: Double) -> Double { abs(value - reference) / reference }

    @Test func binomialTailMatchesReferences() {
        for row in Self.binomial {
            let value = PValue.binomialUpperTail(successes: row.k, trials: row.n, probability: row.p)
            #expect(relativeError(value, row.tail) < 1e-9, "P(Bin(\(row.n), \(row.p)) ≥ \(row.k)) = \(value), want \(row.tail)")
        }
    }

    @Test func gammaTailMatchesReferences() {
        for row in Self.gamma {
            let value = PValue.gammaUpperTail(shape: row.a, x: row.x)
            #expect(relativeError(value, row.tail) < 1e-9, "Q(\(row.a), \(row.x)) = \(value), want \(row.tail)")
        }
    }

    @Test func edgeCasesStayInRange() {
        #expect(PValue.binomialUpperTail(successes: 0, trials: 10, probability: 0.25) == 1)
        #expect(PValue.binomialUpperTail(successes: 11, trials: 10, probability: 0.25) == 0)
        #expect(PValue.binomialUpperTail(successes: 3, trials: 0, probability: 0.25) == 1)
        #expect(PValue.gammaUpperTail(shape: 5, x: 0) == 1)
        #expect(PValue.gammaUpperTail(shape: 0, x: 3) == 1)
    }

    @Test func multipleTestingCorrectionIsExactForTinyP() {
        // mpmath: 1 − (1 − 1e-15)^(2^32) = 4.29495807264117e-6.
        let corrected = PValue.minimumOfIndependent(1e-15, tests: 4_294_967_296)
        #expect(relativeError(corrected, 4.29495807264117e-6) < 1e-9)
        #expect(PValue.minimumOfIndependent(0.5, tests: 1) == 0.5)
        #expect(relativeError(PValue.minimumOfIndependent(0.01, tests: 2), 0.0199) < 1e-12)
        #expect(PValue.bonferroni(0.3, tests: 5) == 1)
    }
}

/// Holm's step-down correction for testing several hypotheses at once.
///
/// It controls the family-wise error rate (the probability of rejecting any true
/// null) at α under any dependence between the tests, and is uniformly more
/// powerful than Bonferroni: sorted ascending, p₍ᵢ₎ is adjusted to
/// max over j ≤ i of min(1, (M − j + 1)·p₍ⱼ₎).
public enum Holm {
    /// The Holm-adjusted p-values, in the order of `pValues`; reject where adjusted ≤ α.
    public static func adjusted(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var result = [Double](repeating: 1, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            let p = pValues[index].isNaN ? 1 : pValues[index]
            running = max(running, min(1, Double(m - rank) * p))
            result[index] = running
        }
        return result
    }
}

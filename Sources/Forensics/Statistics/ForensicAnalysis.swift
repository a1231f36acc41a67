import Dispatch
import Synchronization
import Watermark

/// Turns a corpus of distinct tuples into a `ForensicReport`: the test of the
/// whole corpus and, with payloads, the attribution to accounts.
public struct ForensicAnalysis: Sendable {
    /// The payloads to test and the accounts served with each; empty for a text
    /// without payload (only the unshifted test is run).
    public var directory: PayloadDirectory
    /// Family-wise error rate at which accounts are named (and the verdict sentence worded).
    public var alpha: Double
    /// Threads for the payload scan.
    public var threads: Int

    /// An analysis over `directory`'s payloads at family-wise level `alpha`.
    public init(directory: PayloadDirectory, alpha: Double = 0.01, threads: Int = 2) {
        self.directory = directory
        self.alpha = alpha
        self.threads = max(1, threads)
    }

    /// Tests `corpus`.
    /// - Throws: `ForensicsError.nothingToScore` when the corpus scored no tuple.
    public func report(_ corpus: TupleCorpus, mode: String) throws(ForensicsError) -> ForensicReport {
        guard corpus.count > 0 else {
            throw .nothingToScore("the texts are shorter than a context window plus a token, or every tuple was excluded")
        }
        let configuration = corpus.scorer.configuration
        let n = corpus.count
        let trials = Double(n * corpus.scorer.trialsPerTuple)
        let payloads = directory.payloads
        let statistics = payloads.isEmpty ? [corpus.statistic(payload: 0)] : scan(corpus, payloads: payloads)
        let pValues = statistics.map { CorpusTest.pValue(statistic: $0, tuples: n, configuration: configuration) }
        let best = pValues.indices.min { pValues[$0] < pValues[$1] } ?? 0
        var report = ForensicReport(
            mode: mode, scheme: configuration.scheme.rawValue, test: CorpusTest.name(configuration),
            nullHypothesis: CorpusTest.nullHypothesis, correction: nil, statistic: statistics[best],
            score: statistics[best] / trials, nullMean: CorpusTest.nullMean(configuration) / Double(corpus.scorer.trialsPerTuple),
            tuplesScored: n, duplicatesSkipped: corpus.duplicates, excludedSkipped: corpus.excludedHits,
            pValue: pValues[best], payload: nil, payloadsTested: max(payloads.count, 1), alpha: alpha)
        guard !payloads.isEmpty else { return report }
        let adjusted = Holm.adjusted(pValues)
        report.correction = "Holm step-down over \(payloads.count) payloads (family-wise error rate)"
        report.payload = payloads[best]
        report.pValue = adjusted[best]  // Holm's smallest adjusted p = Bonferroni's M·p_min
        report.payloads = payloads.indices.map { i in
            PayloadResult(payload: payloads[i], accounts: directory.accounts(payload: payloads[i]),
                          statistic: statistics[i], pValue: pValues[i], adjustedPValue: adjusted[i],
                          significant: adjusted[i] <= alpha)
        }
        .sorted { $0.pValue < $1.pValue }
        if directory.hasAccounts {
            report.accountsNamed = (report.payloads ?? []).filter(\.significant).flatMap(\.accounts)
        }
        return report
    }

    /// The statistic of every payload, over `threads` threads.
    private func scan(_ corpus: TupleCorpus, payloads: [UInt32]) -> [Double] {
        let results = Mutex([Double](repeating: 0, count: payloads.count))
        let workers = min(threads, payloads.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var local: [(Int, Double)] = []
            for index in stride(from: worker, to: payloads.count, by: workers) {
                local.append((index, corpus.statistic(payload: payloads[index])))
            }
            results.withLock { values in for (index, value) in local { values[index] = value } }
        }
        return results.withLock { $0 }
    }
}

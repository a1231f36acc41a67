import AegisCore

/// The scores that benign accounts reach, and the threshold that holds a
/// stated false-positive rate on them.
///
/// An account's score is compared with the benign reference by its empirical
/// (conformal) p-value, `p = (1 + #{benign ≥ score}) / (n + 1)`; flagging
/// when `p ≤ α` flags a new benign account with probability at most `α`
/// whenever it is exchangeable with the reference (Vovk et al., conformal
/// prediction). The equivalent score threshold is just above the
/// `⌊α(n + 1)⌋`-th highest benign score, and never below
/// ``minimumThreshold``, so a reference where every benign account scores 0
/// does not turn every faint signal into a flag.
public struct BenignCalibration: Sendable, Equatable {
    /// Benign reference scores, ascending.
    public let scores: [Double]
    /// Where the reference came from, in words (written into verdicts).
    public let source: String
    /// The lowest score that is ever flagged.
    public static let minimumThreshold = 0.3

    /// Creates a reference from benign accounts' scores.
    public init(scores: [Double], source: String) {
        self.scores = scores.filter(\.isFinite).sorted()
        self.source = source
    }

    /// The empirical p-value of `score` against the benign reference.
    public func pValue(_ score: Double) -> Double {
        // Benign scores at or above `score`: binary search for the first ≥.
        var lo = 0, hi = scores.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if scores[mid] < score { lo = mid + 1 } else { hi = mid }
        }
        return Double(1 + scores.count - lo) / Double(scores.count + 1)
    }

    /// The score from which accounts are flagged for a false-positive rate of at most `rate`.
    public func threshold(forFalsePositiveRate rate: Double) -> Double {
        let n = scores.count
        // At most k benign scores may reach the threshold: (1 + k) / (n + 1) ≤ rate.
        let k = Int((rate * Double(n + 1)).rounded(.down)) - 1
        guard k >= 0 else { return 1.0.nextUp }
        guard k < n else { return Self.minimumThreshold }
        let kthHighest = scores[n - 1 - k]
        return max(kthHighest.nextUp, Self.minimumThreshold)
    }

    /// The reference as JSON: `{"source": "...", "scores": [...]}`.
    public var json: JSONValue {
        .object(JSONObject([
            (key: "source", value: .string(source)),
            (key: "scores", value: .array(scores.map { .number(($0 * 1_000_000).rounded() / 1_000_000) })),
        ]))
    }

    /// Reads a reference written by ``json``.
    public init(json: JSONValue) throws(CalibrationError) {
        guard let list = json["scores"]?.arrayValue else { throw .noScores }
        var scores: [Double] = []
        for v in list {
            guard let d = v.doubleValue, d.isFinite else { throw .badScore }
            scores.append(d)
        }
        guard !scores.isEmpty else { throw .noScores }
        self.init(scores: scores, source: json["source"]?.stringValue ?? "unnamed benign reference")
    }
}

/// Why a calibration file could not be used.
public enum CalibrationError: Error, Sendable, CustomStringConvertible {
    /// No `scores` array, or an empty one.
    case noScores
    /// A score that is not a finite number.
    case badScore

    /// What was wrong and what to do.
    public var description: String {
        switch self {
        case .noScores:
            "the calibration has no benign scores; write one with `aegis scan --benign-accounts LIST --write-calibration FILE`"
        case .badScore:
            "the calibration holds a score that is not a finite number; write it again with `aegis scan --write-calibration`"
        }
    }
}

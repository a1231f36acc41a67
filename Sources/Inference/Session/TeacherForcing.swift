#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AegisCore

/// A token and its natural-log probability.
public struct RankedToken: Sendable, Equatable {
    /// The token.
    public let token: TokenID
    /// Its log-probability under the full-vocabulary softmax.
    public let logProbability: Float

    /// Creates a ranked token.
    public init(token: TokenID, logProbability: Float) {
        self.token = token
        self.logProbability = logProbability
    }
}

/// The model's prediction after one position of a teacher-forced sequence.
public struct PositionPrediction: Sendable, Equatable {
    /// The most probable next tokens, most probable first.
    public let top: [RankedToken]
    /// The token that actually follows in the sequence and its
    /// log-probability, or nil at the last position.
    public let next: RankedToken?
}

extension InferenceSession {
    /// Teacher forcing: evaluates `tokens` from an empty cache and returns,
    /// for every position `i`, the top `topK` predictions for position `i + 1`
    /// and the log-probability of `tokens[i + 1]`.
    public func teacherForce(_ tokens: [TokenID], topK: Int) throws(InferenceError) -> [PositionPrediction] {
        reset()
        var predictions: [PositionPrediction] = []
        predictions.reserveCapacity(tokens.count)
        try evaluate(tokens) { index, logits in
            let normaliser = LogSoftmax.logSumExp(logits)
            let top = LogSoftmax.topK(logits, topK).map {
                RankedToken(token: TokenID($0), logProbability: logits[$0] - normaliser)
            }
            let next = index + 1 < tokens.count
                ? RankedToken(token: tokens[index + 1], logProbability: logits[Int(tokens[index + 1])] - normaliser)
                : nil
            predictions.append(PositionPrediction(top: top, next: next))
        }
        return predictions
    }
}

/// Log-probabilities from logits.
enum LogSoftmax {
    /// `log Σ exp(x)`, computed stably.
    static func logSumExp(_ logits: UnsafeBufferPointer<Float>) -> Float {
        guard let maximum = logits.max() else { return 0 }
        var sum: Double = 0
        for x in logits { sum += Double(expf(x - maximum)) }
        return maximum + Float(log(sum))
    }

    /// Indices of the `k` largest values, largest first (ties: lower index first).
    static func topK(_ values: UnsafeBufferPointer<Float>, _ k: Int) -> [Int] {
        let k = min(max(k, 0), values.count)
        guard k > 0 else { return [] }
        var best: [Int] = []
        best.reserveCapacity(k + 1)
        for i in values.indices {
            let v = values[i]
            if best.count == k, v <= values[best[k - 1]] { continue }
            var position = best.count
            while position > 0, values[best[position - 1]] < v { position -= 1 }
            best.insert(i, at: position)
            if best.count > k { best.removeLast() }
        }
        return best
    }
}

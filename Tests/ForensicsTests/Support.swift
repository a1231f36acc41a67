import AegisCore
@testable import Forensics
import Watermark

/// Deterministic keys and texts for the tests.
enum Support {
    static func key(_ seed: UInt64) -> WatermarkKey {
        var generator = SeededGenerator(seed: seed)
        return try! WatermarkKey(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    static func configuration(_ seed: UInt64 = 1, scheme: WatermarkScheme = .kgw,
                              seeding: SeedingScheme = .selfHash) -> WatermarkConfiguration {
        WatermarkConfiguration(scheme: scheme, key: key(seed), seeding: seeding)
    }

    /// Random texts over a small vocabulary, so windows and tuples repeat.
    static func texts(count: Int, length: Int, vocabulary: Int, seed: UInt64) -> [[TokenID]] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in (0..<length).map { _ in TokenID.random(in: 0..<TokenID(vocabulary), using: &generator) } }
    }
}

/// A predictor that ignores the key: its prediction is a fixed function of the last two tokens.
struct InnocentPredictor: NextTokenPredictor {
    var vocabulary: Int
    mutating func topPredictions(_ text: [TokenID]) throws(ForensicsError) -> [TokenID] {
        text.indices.map { i in
            let previous = i > 0 ? Int(text[i - 1]) : 0
            return TokenID((Int(text[i]) * 31 + previous * 17 + 7) % vocabulary)
        }
    }
}

/// A predictor that learned the watermark for `payload`: after each window it predicts
/// the first of a few plausible tokens that is green under that payload's shift.
struct StudentPredictor: NextTokenPredictor {
    var scorer: TupleScorer
    var payload: UInt32
    var vocabulary: Int
    /// How many plausible tokens it chooses among (1: no preference at all).
    var choices = 4
    mutating func topPredictions(_ text: [TokenID]) throws(ForensicsError) -> [TokenID] {
        let h = scorer.contextWidth
        return text.indices.map { i in
            let position = i + 1
            let base = (Int(text[i]) * 31 + 7) % vocabulary
            let candidates = (0..<choices).map { TokenID((base + $0 * 101) % vocabulary) }
            guard position >= h else { return candidates[0] }
            let window = Array(text[(position - h)..<position])
            return candidates.first { scorer.statistic(window: window, token: $0, payload: payload) > 0 } ?? candidates[0]
        }
    }
}

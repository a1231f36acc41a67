/// The two passes over the full vocabulary: the maximum, and the support above a floor.
/// Both read eight logits at a time; the collection pass skips blocks with nothing above the floor.
enum LogitScan {
    static func maximum(_ logits: UnsafeBufferPointer<Float>) -> Float {
        guard let base = logits.baseAddress else { return -.infinity }
        let raw = UnsafeRawPointer(base)
        var lanes = SIMD8<Float>(repeating: -.infinity)
        var i = 0
        while i + 8 <= logits.count {
            lanes = pointwiseMax(lanes, raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self))
            i += 8
        }
        var result = lanes.max()
        while i < logits.count { result = max(result, logits[i]); i += 1 }
        return result
    }

    /// Writes a `CandidateKey` for every logit ≥ `floor` and returns how many.
    static func collect(_ logits: UnsafeBufferPointer<Float>, atLeast floor: Float,
                        into keys: UnsafeMutableBufferPointer<UInt64>) -> Int {
        guard let base = logits.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        let floors = SIMD8<Float>(repeating: floor)
        var count = 0
        var i = 0
        while i + 8 <= logits.count {
            let block = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            if any(block .>= floors) {
                for lane in 0..<8 where block[lane] >= floor {
                    keys[count] = CandidateKey.make(logit: block[lane], index: i + lane)
                    count += 1
                }
            }
            i += 8
        }
        while i < logits.count {
            if logits[i] >= floor { keys[count] = CandidateKey.make(logit: logits[i], index: i); count += 1 }
            i += 1
        }
        return count
    }

    static func firstIndex(of value: Float, in logits: UnsafeBufferPointer<Float>) -> Int {
        logits.firstIndex { $0 == value } ?? 0
    }
}

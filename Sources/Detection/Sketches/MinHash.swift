/// One-permutation MinHash (Li, Owen & Zhang 2012): each element is hashed
/// once, its top bits pick one of ``binCount`` bins and each bin keeps its
/// smallest hash. The fraction of equal bins between two sketches estimates
/// the Jaccard similarity of the two sets, at one hash per element.
public struct MinHash: Sendable, Equatable {
    /// Bins per sketch.
    public static let binCount = 16
    /// The smallest value per bin; `UInt32.max` for an empty bin.
    public private(set) var bins = SIMD16<UInt32>(repeating: .max)

    /// Creates an empty sketch.
    public init() {}

    /// Adds an element by its (already keyed and mixed) hash.
    @inline(__always)
    public mutating func add(_ hash: UInt64) {
        let bin = Int(hash >> 60)
        let value = UInt32(truncatingIfNeeded: hash)
        if value < bins[bin] { bins[bin] = value }
    }

    /// True when nothing was added.
    public var isEmpty: Bool { bins == SIMD16<UInt32>(repeating: .max) }

    /// Estimated Jaccard similarity: the share of bins, non-empty in either, that agree.
    public func similarity(to other: MinHash) -> Double {
        var equal = 0, used = 0
        for i in 0..<Self.binCount {
            if bins[i] == .max && other.bins[i] == .max { continue }
            used += 1
            if bins[i] == other.bins[i] { equal += 1 }
        }
        return used == 0 ? 0 : Double(equal) / Double(used)
    }

    /// LSH band keys: four hashes of four consecutive bins each; 0 for a band
    /// whose bins are all empty. Two sketches share a band key with
    /// probability about J⁴ per band. A SIMD value, so no allocation.
    public var bandKeys: SIMD4<UInt64> {
        var keys = SIMD4<UInt64>(repeating: 0)
        for b in 0..<4 {
            var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(b + 1)
            var empty = 0
            for r in 0..<4 {
                let v = bins[b * 4 + r]
                if v == .max { empty += 1 }
                h = KeyedHash.fold(h ^ UInt64(v), 0xD6E8_FEB8_6659_FD93)
            }
            if empty < 4 { keys[b] = h | 1 }
        }
        return keys
    }
}

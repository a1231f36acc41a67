/// The BPE merge ranks, keyed by the pair of symbol ids they join.
///
/// An open-addressing hash table over 64-bit keys (left id, right id) whose
/// values pack the merge's rank and the id of the joined symbol, so the
/// encoder's inner loop does one multiply, one shift and usually one probe,
/// with no strings and no allocation.
struct MergeTable: Sendable {
    private var keys: [UInt64]
    private var values: [UInt64]
    private let shift: UInt64
    private static let empty = UInt64.max

    /// A rank no merge has: the pair does not merge.
    static let noMerge = Int32.max

    /// An empty table with room for `capacity` merges at a load of at most one half.
    init(capacity: Int) {
        var bits = 4
        while (1 << bits) < capacity * 2 { bits += 1 }
        keys = [UInt64](repeating: Self.empty, count: 1 << bits)
        values = [UInt64](repeating: 0, count: 1 << bits)
        shift = UInt64(64 - bits)
    }

    /// Adds a merge unless the pair already has one (the first, best-ranked, wins, as in llama.cpp).
    mutating func insert(left: Int32, right: Int32, rank: Int32, merged: Int32) {
        let key = Self.key(left, right)
        var slot = index(of: key)
        while keys[slot] != Self.empty {
            if keys[slot] == key { return }
            slot = (slot + 1) & (keys.count - 1)
        }
        keys[slot] = key
        values[slot] = UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(UInt32(bitPattern: merged))
    }

    /// The rank and joined id of merging `left` then `right`, or rank `noMerge`.
    @inline(__always)
    func lookup(_ left: Int32, _ right: Int32) -> (rank: Int32, merged: Int32) {
        let key = Self.key(left, right)
        var slot = index(of: key)
        while true {
            let stored = keys[slot]
            if stored == key {
                let value = values[slot]
                return (Int32(truncatingIfNeeded: value >> 32), Int32(truncatingIfNeeded: value))
            }
            if stored == Self.empty { return (Self.noMerge, -1) }
            slot = (slot + 1) & (keys.count - 1)
        }
    }

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    @inline(__always)
    private func index(of key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }
}

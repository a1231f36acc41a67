/// A hash map from byte strings to short lists of token ids, stored flat.
///
/// Used as the per-call cache of encoded words and as the whole-word lookup
/// of vocabularies that skip merges for words that are tokens (Llama 3).
/// Keys and values live in two contiguous arenas, so a lookup hashes the
/// word's bytes in place and allocates nothing.
struct ByteStringTable: Sendable {
    private struct Entry: Sendable {
        var hash: UInt64
        var keyStart: Int32
        var keyCount: Int32
        var valueStart: Int32
        var valueCount: Int32
    }

    private var slots: [Int32]
    private var entries: [Entry] = []
    private var keyBytes: [UInt8] = []
    private var values: [Int32] = []

    /// Number of keys stored.
    var count: Int { entries.count }
    /// Bytes held by keys and values, to bound a cache's memory.
    var storedBytes: Int { keyBytes.count + 4 * values.count + 24 * entries.count }

    /// An empty table sized for about `capacity` keys before it first grows.
    init(capacity: Int = 256) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
    }

    /// FNV-1a over the bytes, with a final mix so the low bits spread.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return (hash ^ (hash >> 29)) &* 0xBF58_476D_1CE4_E5B9
    }

    /// The ids stored for `key`, as a range of `values(in:)`, or nil.
    func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Range<Int>? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            let entry = entries[index]
            if entry.hash == hash, Int(entry.keyCount) == key.count, equalKey(entry, key) {
                return Int(entry.valueStart)..<Int(entry.valueStart + entry.valueCount)
            }
            slot = (slot + 1) & mask
        }
    }

    /// The stored id at `index` of the value arena.
    @inline(__always)
    func value(at index: Int) -> Int32 { values[index] }

    /// Stores `ids` for `key`, which must not be present yet.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, ids: ArraySlice<Int32>) {
        if (entries.count + 1) * 2 > slots.count { grow() }
        let entry = Entry(hash: hash, keyStart: Int32(keyBytes.count), keyCount: Int32(key.count),
                          valueStart: Int32(values.count), valueCount: Int32(ids.count))
        keyBytes.append(contentsOf: key)
        values.append(contentsOf: ids)
        place(Int32(entries.count), hash: hash)
        entries.append(entry)
    }

    /// Forgets every key, keeping the allocated capacity.
    mutating func removeAll() {
        for index in slots.indices { slots[index] = -1 }
        entries.removeAll(keepingCapacity: true)
        keyBytes.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }

    private func equalKey(_ entry: Entry, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        var stored = Int(entry.keyStart)
        for byte in key {
            if keyBytes[stored] != byte { return false }
            stored += 1
        }
        return true
    }

    private mutating func place(_ index: Int32, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = index
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for (index, entry) in entries.enumerated() { place(Int32(index), hash: entry.hash) }
    }
}

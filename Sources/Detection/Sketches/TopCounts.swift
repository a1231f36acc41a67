/// The most frequent keys of a stream in fixed memory (Space-Saving,
/// Metwally et al. 2005): `capacity` slots, each a key and a count that may
/// overestimate by at most the smallest count.
///
/// Used per account for prompt templates and sampling fingerprints, so an
/// account's memory stays constant however much it sends.
public struct TopCounts: Sendable, Equatable {
    private(set) var keys: [UInt64]
    private(set) var counts: [UInt32]
    /// Items added in all.
    public private(set) var total: UInt32 = 0

    /// Creates an empty sketch with room for `capacity` keys.
    public init(capacity: Int) {
        keys = []
        counts = []
        keys.reserveCapacity(capacity)
        counts.reserveCapacity(capacity)
        self.capacity = capacity
    }

    private let capacity: Int

    /// The count held for `key`, or 0 when it is not tracked.
    public func count(of key: UInt64) -> UInt32 {
        for i in keys.indices where keys[i] == key { return counts[i] }
        return 0
    }

    /// Counts one occurrence and returns the key's count before it.
    @discardableResult
    public mutating func add(_ key: UInt64) -> UInt32 {
        total &+= 1
        for i in keys.indices where keys[i] == key {
            counts[i] &+= 1
            return counts[i] - 1
        }
        if keys.count < capacity {
            keys.append(key)
            counts.append(1)
            return 0
        }
        var minIndex = 0
        for i in counts.indices where counts[i] < counts[minIndex] { minIndex = i }
        keys[minIndex] = key
        counts[minIndex] &+= 1
        return 0
    }

    /// The largest count held (an upper bound of the true top frequency).
    public var topCount: UInt32 { counts.max() ?? 0 }

    /// Halves every count, so the sketch follows recent behaviour.
    public mutating func decay() {
        for i in counts.indices { counts[i] /= 2 }
        total /= 2
    }
}

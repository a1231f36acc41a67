/// Counts distinct items in 64 bytes (HyperLogLog with 64 registers,
/// about 13% standard error): enough to tell "every prompt new" from
/// "the same few prompts again", which is all the coverage signal needs.
public struct DistinctCounter: Sendable, Equatable {
    private var registers = SIMD64<UInt8>(repeating: 0)

    /// Creates an empty counter.
    public init() {}

    /// Adds an item by its (already well-mixed) 64-bit hash.
    public mutating func add(_ hash: UInt64) {
        let index = Int(hash >> 58)
        let rank = UInt8(min(((hash << 6) | 1 << 5).leadingZeroBitCount + 1, 59))
        if rank > registers[index] { registers[index] = rank }
    }

    /// Merges another counter (the union of both streams).
    public mutating func merge(_ other: DistinctCounter) {
        registers = pointwiseMax(registers, other.registers)
    }

    /// The estimated number of distinct items.
    public var estimate: Double {
        let m = 64.0
        var sum = 0.0
        var zeros = 0
        for i in 0..<64 {
            let r = registers[i]
            sum += 1.0 / Double(UInt64(1) << UInt64(r))
            if r == 0 { zeros += 1 }
        }
        let raw = 0.709 * m * m / sum
        if raw <= 2.5 * m, zeros > 0 { return m * log(m / Double(zeros)) }
        return raw
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

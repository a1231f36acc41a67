#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A seeded generator (xoshiro256**) so a scenario and seed always give the same log.
public struct SimulationRandom: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    /// Seeds the generator (SplitMix64 expands the seed).
    public init(seed: UInt64) {
        var x = seed
        func next() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (next(), next(), next(), next())
    }

    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = s.3 << 45 | s.3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability p.
    mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    /// Exponential with the given mean.
    mutating func exponential(mean: Double) -> Double {
        -mean * log(1 - unit())
    }

    /// Normal (Box–Muller).
    mutating func normal(mean: Double = 0, sd: Double = 1) -> Double {
        let u = max(unit(), 1e-12), v = unit()
        return mean + sd * sqrt(-2 * log(u)) * cos(2 * Double.pi * v)
    }

    /// A uniformly chosen element.
    mutating func pick<T>(_ items: [T]) -> T {
        items[Int(next() % UInt64(items.count))]
    }

    /// An integer in the range.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// A short lowercase hex token.
    mutating func token(_ length: Int = 8) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<length).map { _ in digits[Int(next() & 15)] })
    }
}

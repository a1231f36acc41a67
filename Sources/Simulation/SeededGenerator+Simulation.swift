#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import AegisCore

/// The simulator's draws on top of the project's one seeded generator, so a
/// scenario and seed always give the same log.
extension SeededGenerator {
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

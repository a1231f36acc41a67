import AegisCore
import Foundation

/// Short unique identifiers for keys and exchanges.
public enum Identifiers {
    /// A time-ordered id: prefix, 48-bit millisecond time and 64 random bits, in hex,
    /// so ids sort by creation time.
    public static func timeOrdered(prefix: String, at date: Date = Date()) -> String {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var bytes: [UInt8] = (0..<6).map { UInt8(truncatingIfNeeded: millis >> (8 * (5 - $0))) }
        var generator = SystemRandomNumberGenerator()
        let random = generator.next() as UInt64
        bytes += (0..<8).map { UInt8(truncatingIfNeeded: random >> (8 * $0)) }
        return prefix + Hex.encode(bytes)
    }

    /// A random id: prefix and 64 random bits in hex.
    public static func random(prefix: String) -> String {
        prefix + Hex.encode(SystemRandom.bytes(8))
    }
}

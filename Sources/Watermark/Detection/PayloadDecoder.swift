#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// −log(1 − r) for the uniform r of a PRF output: Exp(1) under the null.
@inline(__always)
func exponentialScore(_ value: UInt64) -> Double { -log1p(-unitInterval(value)) }

/// The messages a payload decoder tries.
///
/// Following Fernandez et al., each message m shifts the PRF's output vector by m
/// positions, so two messages give independent scores, and decoding scores every
/// candidate message: O(tokens × layers × messages) PRF evaluations.
enum PayloadCandidates {
    /// All 2^b messages of a b-bit payload.
    case all(bits: Int)
    /// Only these messages (e.g. the tags of the accounts served).
    case list([UInt32])

    var count: Double {
        switch self {
        case let .all(bits): return Double(UInt64(1) << UInt64(bits))
        case let .list(messages): return Double(Set(messages).count)
        }
    }

    func forEach(_ body: (UInt32) -> Void) {
        switch self {
        case let .all(bits):
            for message in 0..<(UInt64(1) << UInt64(bits)) { body(UInt32(truncatingIfNeeded: message)) }
        case let .list(messages):
            for message in Set(messages).sorted() { body(message) }
        }
    }
}

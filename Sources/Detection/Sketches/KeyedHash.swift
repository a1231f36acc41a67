/// A fast keyed 64-bit hash for sketches (MinHash, LSH buckets, infrastructure keys).
///
/// Keyed so that an adversary who knows the code but not the deployment's key
/// cannot craft prompts that land in chosen buckets or dodge each other's
/// MinHash. It is a mixing function (wyhash-style multiply-fold), not a MAC:
/// fine for sketching, never for secrets.
public struct KeyedHash: Sendable, Hashable {
    /// The two 64-bit key words.
    public let k0: UInt64, k1: UInt64

    /// Creates a hash keyed by two words (e.g. from `SystemRandom` or a config file).
    public init(k0: UInt64, k1: UInt64) {
        self.k0 = k0
        self.k1 = k1
    }

    /// A fixed key for tests and reproducible scans.
    public static let unkeyed = KeyedHash(k0: 0x243F_6A88_85A3_08D3, k1: 0x1319_8A2E_0370_7344)

    /// Mixes a 64-bit value.
    @inline(__always)
    public func hash(_ x: UInt64) -> UInt64 {
        Self.fold(x ^ k0, k1 ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// Hashes bytes.
    public func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = k0 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            var w: UInt64 = 0
            for j in 0..<8 { w |= UInt64(bytes[i + j]) << (8 * UInt64(j)) }
            h = Self.fold(h ^ w, k1)
            i += 8
        }
        var w: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            w |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        return Self.fold(h ^ w, k1 ^ 0xA076_1D64_78BD_642F)
    }

    /// Hashes a string's UTF-8 bytes.
    public func hash(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { hash($0) }
    }

    /// Hashes a string together with a tag, so equal text of different kinds
    /// (an IP and a user agent) never collides.
    public func hash(_ text: String, tag: UInt64) -> UInt64 {
        hash(hash(text) &+ tag &* 0x9E37_79B9_7F4A_7C15)
    }

    @inline(__always)
    static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let m = a.multipliedFullWidth(by: b | 1)
        return m.high ^ m.low
    }
}

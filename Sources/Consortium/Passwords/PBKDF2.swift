import Crypto

/// PBKDF2 (RFC 8018 §5.2) over swift-crypto's HMAC, for any of its hash functions.
///
/// swift-crypto 3.12 has no PBKDF2 of its own. SHA-256 takes an allocation-free
/// fast path (``PBKDF2SHA256``); other hashes go through swift-crypto's HMAC.
public enum PBKDF2 {
    /// `length` bytes derived from `password` and `salt` with `iterations` rounds of HMAC-`H`.
    public static func deriveKey<H: HashFunction>(_ hash: H.Type, password: [UInt8], salt: [UInt8],
                                                  iterations: Int, length: Int) -> [UInt8] {
        precondition(iterations > 0 && length > 0, "PBKDF2 needs at least one round and one byte")
        if H.self == SHA256.self {
            return PBKDF2SHA256.deriveKey(password: password, salt: salt, iterations: iterations, length: length)
        }
        return generic(hash, password: password, salt: salt, iterations: iterations, length: length)
    }

    /// The textbook construction over swift-crypto's HMAC: the reference the SHA-256 fast path is tested against.
    public static func generic<H: HashFunction>(_ hash: H.Type, password: [UInt8], salt: [UInt8],
                                                iterations: Int, length: Int) -> [UInt8] {
        let keyed = HMAC<H>(key: SymmetricKey(data: password))
        var output: [UInt8] = []
        output.reserveCapacity(length)
        var block: UInt32 = 1
        while output.count < length {
            var first = keyed
            first.update(data: salt)
            first.update(data: [UInt8(block >> 24), UInt8(block >> 16 & 0xFF), UInt8(block >> 8 & 0xFF), UInt8(block & 0xFF)])
            var u = Array(first.finalize())
            var t = u
            if iterations > 1 {
                for _ in 1..<iterations {
                    var round = keyed
                    round.update(data: u)
                    u = Array(round.finalize())
                    for i in 0..<t.count { t[i] ^= u[i] }
                }
            }
            output += t.prefix(length - output.count)
            block += 1
        }
        return output
    }
}

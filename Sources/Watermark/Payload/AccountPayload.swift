import Crypto

/// The rule that names an account in its answers: the payload a server
/// embeds for an account is the first `bits` bits (of the first 4 bytes,
/// big-endian) of SHA-256 of the account's name.
///
/// The gateway's built-in upstream embeds it, and `aegis detect --account NAME`
/// tests a text for it, so both sides must use this one definition.
public enum AccountPayload {
    /// The payload width `aegis serve` embeds unless told otherwise (and
    /// `aegis detect --account` assumes without --payload-bits).
    public static let defaultBits = 8

    /// The payload embedded for `account` in a `bits`-bit payload (0–32).
    public static func payload(account: String, bits: Int) -> UInt32 {
        let digest = Array(SHA256.hash(data: Array(account.utf8)))
        let value = UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
        return bits >= 32 ? value : value & ((1 << UInt32(max(0, bits))) - 1)
    }
}

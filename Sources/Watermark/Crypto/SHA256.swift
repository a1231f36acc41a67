import AegisCore

/// SHA-256 (FIPS 180-4) over AegisCore's block compression, so that the
/// watermark module needs no dependency. It only runs when a key is derived, never per token.
struct SHA256 {
    private var state = SHA256Compression.initialState
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0

    /// The digest length in bytes.
    static let digestCount = 32
    /// The block length in bytes (HMAC pads keys to it).
    static let blockCount = 64

    init() {}

    /// The digest of `message` in one call.
    static func hash(_ message: some Sequence<UInt8>) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(message)
        return hasher.finalize()
    }

    /// Absorbs more message bytes.
    mutating func update(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            buffer.append(byte)
            length &+= 1
            if buffer.count == Self.blockCount {
                compress(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Pads the message and returns the 32-byte digest.
    mutating func finalize() -> [UInt8] {
        let bitLength = length &* 8
        buffer.append(0x80)
        if buffer.count > 56 {
            while buffer.count < Self.blockCount { buffer.append(0) }
            compress(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        while buffer.count < 56 { buffer.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { buffer.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        compress(buffer)
        buffer.removeAll()
        return (0..<8).flatMap { i in (0..<4).map { UInt8(truncatingIfNeeded: state[i] >> UInt32(24 - 8 * $0)) } }
    }

    private mutating func compress(_ block: [UInt8]) {
        state = SHA256Compression.compress(state, SHA256Compression.words(block))
    }
}

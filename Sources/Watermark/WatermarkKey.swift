import AegisCore

/// A 256-bit watermark secret.
///
/// Whoever holds the key can both embed and detect the watermark, so it is
/// treated like any other secret: it is never printed, logged or stored in
/// clear by Aegis. `description` deliberately shows only a short fingerprint.
public struct WatermarkKey: Sendable, Hashable, CustomStringConvertible {
    /// The 32 secret bytes.
    public let bytes: [UInt8]

    /// Wraps 32 secret bytes; anything else is an `InvalidInput` error.
    public init(bytes: [UInt8]) throws(InvalidInput) {
        guard bytes.count == 32 else {
            throw InvalidInput("a watermark key must be 32 bytes (got \(bytes.count)); create one with `aegis keys new`")
        }
        self.bytes = bytes
    }

    /// Parses a key written as 64 hex digits, the form `aegis keys new` prints.
    public init(hex: String) throws(InvalidInput) {
        let trimmed = String(hex.trimmingWhitespace())
        guard trimmed.utf8.count == 64, let bytes = Hex.decode(trimmed) else {
            throw InvalidInput("the watermark key must be 64 hex digits (got \(trimmed.utf8.count) characters); create one with `aegis keys new`")
        }
        try self.init(bytes: bytes)
    }

    /// A fresh random key from the system's secure generator.
    public static func random() -> WatermarkKey {
        // 32 bytes always satisfy the initialiser's check.
        (try? WatermarkKey(bytes: SystemRandom.bytes(32)))!
    }

    /// The key as 64 hex digits, for `aegis keys new` only.
    public var hex: String { Hex.encode(bytes) }

    /// Never the secret: a short, non-reversible tag is enough to tell keys apart in logs.
    public var description: String { "WatermarkKey(…)" }
}

extension String {
    func trimmingWhitespace() -> Substring {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return slice
    }
}

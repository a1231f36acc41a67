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

extension WatermarkKey {
    /// vLLM's 64-bit integer watermark key (`--watermark-config '{"key": 42}'`) as a
    /// `WatermarkKey`: 24 zero bytes, then the integer big-endian. The `vllm-gumbel`
    /// scheme reads it back with `vllmKey`.
    public init(vllmKey: UInt64) {
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in 0..<8 { bytes[24 + i] = UInt8(truncatingIfNeeded: vllmKey >> UInt64(56 - 8 * i)) }
        self.bytes = bytes
    }

    /// The key's last 8 bytes as a big-endian integer: vLLM's key, for a key made by `init(vllmKey:)`.
    public var vllmKey: UInt64 {
        bytes[24...].reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Whether the key holds only a 64-bit vLLM key (its first 24 bytes are zero).
    public var isVLLMKey: Bool { bytes[..<24].allSatisfy { $0 == 0 } }

    /// Parses a key as the `scheme` takes it: 64 hex digits for Aegis's schemes; for
    /// `vllm-gumbel` vLLM's decimal integer (0 … 2⁶⁴ − 1) as written in its `--watermark-config`.
    public init(parsing text: String, scheme: WatermarkScheme) throws(InvalidInput) {
        let trimmed = String(text.trimmingWhitespace())
        guard scheme == .vllmGumbel else {
            try self.init(hex: trimmed)
            return
        }
        guard let value = UInt64(trimmed) else {
            throw InvalidInput("a vllm-gumbel key is vLLM's integer key from --watermark-config (0 to 18446744073709551615, decimal); got \(trimmed.utf8.count) characters that are not one")
        }
        self.init(vllmKey: value)
    }
}

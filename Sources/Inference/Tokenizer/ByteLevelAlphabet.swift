/// GPT-2's reversible mapping between bytes and printable Unicode scalars.
///
/// Byte-level BPE vocabularies store every token as text in which each byte
/// is one scalar: printable Latin-1 bytes stand for themselves and the other
/// 68 bytes (controls, space, DEL, NBSP, soft hyphen) are moved to U+0100 and
/// up, in byte order. A space is therefore "Ġ" (U+0120), a newline "Ċ".
enum ByteLevelAlphabet {
    /// The scalar that stands for each byte.
    static let scalarForByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if isPrintable(byte) {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = next
                next += 1
            }
        }
        return table
    }()

    /// The byte each scalar below 324 stands for, or -1.
    static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 324)
        for (byte, scalar) in scalarForByte.enumerated() { table[Int(scalar)] = Int16(byte) }
        return table
    }()

    /// The bytes a byte-level token text stands for. A scalar outside the
    /// alphabet (only in malformed vocabularies) is kept as its own UTF-8.
    static func bytes(ofTokenText text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let value = Int(scalar.value)
            if value < byteForScalar.count, byteForScalar[value] >= 0 {
                bytes.append(UInt8(byteForScalar[value]))
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        return bytes
    }

    private static func isPrintable(_ byte: Int) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }
}

/// The Unicode classes the pre-tokenizer regexes ask about, as bit flags.
///
/// llama.cpp's splitters test `\p{L}`, `\p{N}`, `\s` and, for the default
/// pre-tokenizer, `\p{P}`. A scalar inside the fragment always has at least
/// one bit (`other` when it is none of the rest); `end` (no bits) marks a
/// position past the fragment, which stops every run.
struct ScalarClass: OptionSet, Sendable {
    let rawValue: UInt8

    static let letter = ScalarClass(rawValue: 1)       // \p{L}
    static let number = ScalarClass(rawValue: 2)       // \p{N}
    static let whitespace = ScalarClass(rawValue: 4)   // \s (White_Space)
    static let punctuation = ScalarClass(rawValue: 8)  // \p{P}
    static let other = ScalarClass(rawValue: 16)       // anything else inside the fragment
    static let end: ScalarClass = []

    /// Letter, number or whitespace: what `[^\s\p{L}\p{N}]` excludes.
    static let wordOrSpace: ScalarClass = [.letter, .number, .whitespace]

    /// The class of any scalar, from its general category and White_Space property.
    static func of(_ value: UInt32) -> ScalarClass {
        if value < 128 { return asciiTable[Int(value)] }
        guard let scalar = Unicode.Scalar(value) else { return .other }
        var result: ScalarClass = scalar.properties.isWhitespace ? .whitespace : []
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            result.insert(.letter)
        case .decimalNumber, .letterNumber, .otherNumber:
            result.insert(.number)
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            result.insert(.punctuation)
        default:
            break
        }
        return result.isEmpty ? .other : result
    }

    private static let asciiTable: [ScalarClass] = (0..<128).map { value in
        let scalar = Unicode.Scalar(UInt8(value))
        var result: ScalarClass = scalar.properties.isWhitespace ? .whitespace : []
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter: result.insert(.letter)
        case .decimalNumber: result.insert(.number)
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            result.insert(.punctuation)
        default: break
        }
        return result.isEmpty ? .other : result
    }
}

/// Reads scalars out of valid UTF-8, bounded by one fragment of the text.
///
/// Positions are byte offsets. Reading at or past `end` yields `.end`, which is
/// how the splitters see the fragment boundary (llama.cpp's OUT_OF_RANGE).
struct FragmentReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let end: Int

    /// Sentinel scalar value for positions outside the fragment.
    static let outside: UInt32 = .max

    /// The scalar at `position` and its length in bytes (0 outside the fragment).
    @inline(__always)
    func scalar(at position: Int) -> (value: UInt32, length: Int) {
        guard position < end else { return (Self.outside, 0) }
        let lead = UInt32(bytes[position])
        if lead < 0x80 { return (lead, 1) }
        if lead < 0xE0 {
            return (((lead & 0x1F) << 6) | (UInt32(bytes[position + 1]) & 0x3F), 2)
        }
        if lead < 0xF0 {
            return (((lead & 0x0F) << 12) | ((UInt32(bytes[position + 1]) & 0x3F) << 6)
                    | (UInt32(bytes[position + 2]) & 0x3F), 3)
        }
        return (((lead & 0x07) << 18) | ((UInt32(bytes[position + 1]) & 0x3F) << 12)
                | ((UInt32(bytes[position + 2]) & 0x3F) << 6) | (UInt32(bytes[position + 3]) & 0x3F), 4)
    }

    /// The class of the scalar at `position` (`.end` outside the fragment).
    @inline(__always)
    func scalarClass(at position: Int) -> ScalarClass {
        guard position < end else { return .end }
        let lead = bytes[position]
        if lead < 0x80 { return ScalarClass.of(UInt32(lead)) }
        return ScalarClass.of(scalar(at: position).value)
    }

    /// The length in bytes of the scalar starting at `position` (inside the fragment).
    @inline(__always)
    func length(at position: Int) -> Int {
        let lead = bytes[position]
        if lead < 0x80 { return 1 }
        if lead < 0xE0 { return 2 }
        if lead < 0xF0 { return 3 }
        return 4
    }
}

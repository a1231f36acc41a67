/// Writes JSON text by hand on the hot path (log lines, error bodies, SSE events):
/// cheaper than building a dictionary and serialising it.
enum JSONText {
    /// Appends `value` as a quoted, escaped JSON string.
    static func appendString(_ value: some StringProtocol, to out: inout String) {
        out.append("\"")
        var needsEscape = false
        for byte in value.utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            needsEscape = true
            break
        }
        guard needsEscape else {
            out.append(contentsOf: value)
            out.append("\"")
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case let s where s.value < 0x20:
                let hex = String(s.value, radix: 16)
                out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append("\"")
    }

    /// Appends a JSON string, or `null` for nil.
    static func appendOptionalString(_ value: String?, to out: inout String) {
        if let value { appendString(value, to: &out) } else { out.append("null") }
    }

    /// Appends an integer, or `null` for nil.
    static func appendOptionalInt(_ value: Int?, to out: inout String) {
        if let value { out.append(String(value)) } else { out.append("null") }
    }
}

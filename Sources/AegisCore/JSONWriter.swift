/// Writes JSON values as UTF-8 text: compact (one line, for JSONL logs) or
/// indented (for files people read, such as verdicts).
///
/// Members are written in the object's order, numbers that are whole are
/// written without a fraction, and non-finite numbers (which JSON cannot
/// express) become `null`.
public struct JSONWriter {
    /// Indentation per level; nil writes everything on one line.
    public var indent: Int?

    /// Creates a writer; pass an indent to pretty-print.
    public init(indent: Int? = nil) {
        self.indent = indent
    }

    /// The value as text.
    public func string(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        write(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the value's UTF-8 text to `out`.
    public func write(_ value: JSONValue, to out: inout [UInt8]) {
        write(value, level: 0, to: &out)
    }

    private func newline(_ level: Int, _ out: inout [UInt8]) {
        guard let indent else { return }
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: indent * level))
    }

    private func write(_ value: JSONValue, level: Int, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let d): Self.writeNumber(d, to: &out)
        case .string(let s): Self.writeString(s, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1, &out)
                write(element, level: level + 1, to: &out)
            }
            if !elements.isEmpty { newline(level, &out) }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (i, member) in object.members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1, &out)
                Self.writeString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(0x20) }
                write(member.value, level: level + 1, to: &out)
            }
            if !object.isEmpty { newline(level, &out) }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends a number: whole numbers without a fraction, others in the
    /// shortest form that reads back to the same `Double`.
    public static func writeNumber(_ d: Double, to out: inout [UInt8]) {
        guard d.isFinite else { out.append(contentsOf: "null".utf8); return }
        if d == d.rounded(), abs(d) < 1e15 {
            out.append(contentsOf: String(Int64(d)).utf8)
        } else {
            out.append(contentsOf: d.description.utf8)
        }
    }

    /// Appends a quoted, escaped string.
    public static func writeString(_ s: String, to out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        out.append(0x22)
        for byte in s.utf8 {
            switch byte {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }
}

/// Writes JSON values as UTF-8 text: compact (one line, for JSONL logs),
/// indented (for files people read, such as verdicts) or canonical
/// (RFC 8785, for bytes that are hashed, such as STIX identifiers).
///
/// Members are written in the object's order (canonical: sorted by the UTF-16
/// code units of their names), numbers that are whole are written without a
/// fraction, and non-finite numbers (which JSON cannot express) become `null`.
/// Every JSON string Aegis writes, by value or by hand through the append
/// helpers (``appendString(_:to:)``), is escaped by ``writeString(_:to:)``.
public struct JSONWriter: Sendable {
    /// Indentation per level; nil writes everything on one line.
    public var indent: Int?
    /// Sorts object members as RFC 8785 does (implies no indentation).
    public private(set) var sortsMembers = false

    /// Creates a writer; pass an indent to pretty-print.
    public init(indent: Int? = nil) {
        self.indent = indent
    }

    /// The canonical form of RFC 8785 for the values Aegis writes: no
    /// whitespace, members sorted by the UTF-16 code units of their names,
    /// minimal string escapes, whole numbers without a fraction. Non-integral
    /// numbers use Swift's shortest round-trip form, which matches RFC 8785
    /// except for exponents (Aegis hashes no such number).
    public static var canonical: JSONWriter {
        var writer = JSONWriter()
        writer.sortsMembers = true
        return writer
    }

    /// The value as text.
    public func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// The value as UTF-8 bytes.
    public func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, to: &out)
        return out
    }

    /// Appends the value's UTF-8 text to `out`.
    public func write(_ value: JSONValue, to out: inout [UInt8]) {
        write(value, level: 0, to: &out)
    }

    private func newline(_ level: Int, _ out: inout [UInt8]) {
        guard let indent, !sortsMembers else { return }
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
            let members = sortsMembers
                ? object.members.sorted { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) } : object.members
            for (i, member) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1, &out)
                Self.writeString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil && !sortsMembers { out.append(0x20) }
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

    /// Appends a quoted, escaped string: the escapes of RFC 8785 §3.2.2.2 (short
    /// ones where JSON has them, `\u00xx` for the other control characters,
    /// everything else as UTF-8), which are also the minimal ones of RFC 8259.
    public static func writeString(_ s: some StringProtocol, to out: inout [UInt8]) {
        let hex: StaticString = "0123456789abcdef"
        out.append(0x22)
        for byte in s.utf8 {
            switch byte {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x08: out.append(0x5C); out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(0x5C); out.append(UInt8(ascii: "f"))
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex.utf8Start[Int(byte >> 4)])
                out.append(hex.utf8Start[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }
}

// MARK: Append helpers: JSON written by hand on hot paths (log lines, error
// bodies, server-sent events), cheaper than building a value and writing it.

extension JSONWriter {
    /// Appends `value` as a quoted, escaped JSON string (``writeString(_:to:)``'s escapes).
    public static func appendString(_ value: some StringProtocol, to out: inout String) {
        var needsEscape = false
        for byte in value.utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            needsEscape = true
            break
        }
        guard needsEscape else {
            out.append("\"")
            out.append(contentsOf: value)
            out.append("\"")
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count + 8)
        writeString(value, to: &bytes)
        out.append(String(decoding: bytes, as: UTF8.self))
    }

    /// Appends a JSON string, or `null` for nil.
    public static func appendOptionalString(_ value: String?, to out: inout String) {
        if let value { appendString(value, to: &out) } else { out.append("null") }
    }

    /// Appends an integer, or `null` for nil.
    public static func appendOptionalInt(_ value: Int?, to out: inout String) {
        if let value { out.append(String(value)) } else { out.append("null") }
    }
}

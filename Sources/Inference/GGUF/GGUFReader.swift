/// A bounds-checked cursor over the bytes of a mapped GGUF file.
///
/// Every read checks that the bytes exist, so a truncated or corrupt file ends
/// in a `GGUFError`, never in a read past the mapping.
struct GGUFReader {
    let file: MappedFile
    var offset = 0

    init(file: MappedFile) {
        self.file = file
    }

    mutating func bytes(_ count: Int, for what: String) throws(GGUFError) -> UnsafeRawBufferPointer {
        guard count >= 0, offset <= file.count - count else {
            throw .truncated(path: file.path, what: what)
        }
        let buffer = UnsafeRawBufferPointer(start: file.base + offset, count: count)
        offset += count
        return buffer
    }

    mutating func scalar<T: FixedWidthInteger>(_: T.Type, for what: String) throws(GGUFError) -> T {
        let raw = try bytes(MemoryLayout<T>.size, for: what)
        return T(littleEndian: raw.loadUnaligned(as: T.self))
    }

    mutating func string(for what: String) throws(GGUFError) -> String {
        let length = try scalar(UInt64.self, for: what)
        guard length <= UInt64(file.count) else { throw .malformed(path: file.path, what: "\(what) claims \(length) bytes") }
        let raw = try bytes(Int(length), for: what)
        return String(decoding: raw, as: UTF8.self)
    }

    /// Reads one metadata value of GGUF value type `type`.
    mutating func value(ofType type: UInt32, for key: String, depth: Int = 0) throws(GGUFError) -> GGUFValue {
        switch type {
        case 0: return .uint(UInt64(try scalar(UInt8.self, for: key)))
        case 1: return .int(Int64(try scalar(Int8.self, for: key)))
        case 2: return .uint(UInt64(try scalar(UInt16.self, for: key)))
        case 3: return .int(Int64(try scalar(Int16.self, for: key)))
        case 4: return .uint(UInt64(try scalar(UInt32.self, for: key)))
        case 5: return .int(Int64(try scalar(Int32.self, for: key)))
        case 6: return .float(Double(Float(bitPattern: try scalar(UInt32.self, for: key))))
        case 7: return .bool(try scalar(UInt8.self, for: key) != 0)
        case 8: return .string(try string(for: key))
        case 9:
            guard depth < 4 else { throw .malformed(path: file.path, what: "metadata '\(key)' nests arrays too deeply") }
            let elementType = try scalar(UInt32.self, for: key)
            let count = try scalar(UInt64.self, for: key)
            // Each element takes at least one byte: a larger count is corrupt.
            guard count <= UInt64(file.count - offset) else {
                throw .truncated(path: file.path, what: "metadata array '\(key)'")
            }
            var elements: [GGUFValue] = []
            elements.reserveCapacity(Int(count))
            for _ in 0..<count {
                elements.append(try value(ofType: elementType, for: key, depth: depth + 1))
            }
            return .array(elements)
        case 10: return .uint(try scalar(UInt64.self, for: key))
        case 11: return .int(try scalar(Int64.self, for: key))
        case 12: return .float(Double(bitPattern: try scalar(UInt64.self, for: key)))
        default:
            throw .malformed(path: file.path, what: "metadata '\(key)' has unknown value type \(type)")
        }
    }
}

/// One metadata value of a GGUF file.
public enum GGUFValue: Sendable, Equatable {
    case uint(UInt64)
    case int(Int64)
    case float(Double)
    case bool(Bool)
    case string(String)
    case array([GGUFValue])

    /// The value as an integer, whatever its stored width or signedness.
    public var int: Int? {
        switch self {
        case let .uint(v): return Int(exactly: v)
        case let .int(v): return Int(exactly: v)
        default: return nil
        }
    }

    /// The value as a floating-point number (integers convert).
    public var double: Double? {
        switch self {
        case let .float(v): return v
        case let .uint(v): return Double(v)
        case let .int(v): return Double(v)
        default: return nil
        }
    }

    /// The value as a string, if it is one.
    public var string: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    /// The value as an array, if it is one.
    public var array: [GGUFValue]? {
        if case let .array(a) = self { return a }
        return nil
    }
}

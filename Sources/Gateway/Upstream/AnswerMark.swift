import AegisCore

/// Whether an answer carries the provider's watermark, and how it got it.
///
/// Every exchange-log line holds one (`"watermark": {...}`), so that no
/// unmarked answer is ever taken for a marked one: a forensic test that
/// relies on the mark can check which answers had it.
public struct AnswerMark: Sendable, Equatable {
    /// How the mark was put in.
    public enum Method: String, Sendable {
        /// Not marked.
        case none
        /// The built-in engine's sampler (`aegis serve --model`).
        case engine
        /// The upstream's own logits processor (`python/aegis_watermark`), as the operator declared.
        case upstreamProcessor = "upstream-processor"
        /// The gateway chose the best of several upstream candidates (draft selection).
        case draftSelection = "draft-selection"
    }

    /// True when the answer carries the mark.
    public var marked: Bool
    /// How.
    public var method: Method
    /// The scheme ("kgw", "gumbel", …), when marked.
    public var scheme: String?
    /// Draft selection: candidates asked per answer (or per segment).
    public var candidates: Int?
    /// Draft selection: candidates that came back and were scored (fewer when some failed).
    public var answered: Int?
    /// Draft selection: tokens per segment; nil for whole answers.
    public var segmentTokens: Int?
    /// Draft selection: tokens the model server spent on all candidates (prompt and completion).
    public var upstreamTokens: Int?
    /// Why an answer meant to be marked is not (or is marked less strongly), in words.
    public var note: String?

    /// Creates a record.
    public init(marked: Bool, method: Method, scheme: String? = nil, candidates: Int? = nil, answered: Int? = nil,
                segmentTokens: Int? = nil, note: String? = nil) {
        self.marked = marked
        self.method = method
        self.scheme = scheme
        self.candidates = candidates
        self.answered = answered
        self.segmentTokens = segmentTokens
        self.note = note
    }

    /// An answer served as the upstream wrote it.
    public static let unmarked = AnswerMark(marked: false, method: .none)

    /// The log's object.
    public var json: JSONValue {
        var object = JSONObject([(key: "marked", value: .bool(marked)), (key: "method", value: .string(method.rawValue))])
        if let scheme { object["scheme"] = .string(scheme) }
        if let candidates { object["candidates"] = .number(Double(candidates)) }
        if let answered { object["answered"] = .number(Double(answered)) }
        if let segmentTokens { object["segment_tokens"] = .number(Double(segmentTokens)) }
        if let upstreamTokens { object["upstream_tokens"] = .number(Double(upstreamTokens)) }
        if let note { object["note"] = .string(note) }
        return .object(object)
    }
}

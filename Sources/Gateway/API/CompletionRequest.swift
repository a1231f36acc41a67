import AegisCore

/// A validated OpenAI completion request: the parsed body and the fields the
/// gateway acts on (limits, policy, streaming).
///
/// Unknown fields are kept and forwarded untouched; only the fields below are
/// checked, so a client using newer parameters still goes through.
public struct CompletionRequest: Sendable {
    /// Which endpoint it came to.
    public let endpoint: Endpoint
    /// The `model` field.
    public let model: String
    /// `max_tokens` (or `max_completion_tokens`), if given.
    public let maxTokens: Int?
    /// `n`, default 1.
    public let choices: Int
    /// `stream`, default false.
    public let stream: Bool
    /// `stream_options.include_usage`, default false.
    public let includeUsage: Bool
    /// The body as received.
    public let raw: [UInt8]
    /// The parsed body (an object).
    public let body: JSONValue
    /// Where each top-level member's value lies in ``raw``, in member order.
    private let sources: [Range<Int>]

    /// Parses and checks a body; throws a 400 ``GatewayError`` naming the bad parameter.
    public init(endpoint: Endpoint, body raw: [UInt8]) throws(GatewayError) {
        let parsed = raw.withUnsafeBufferPointer { try? JSONParser.parseObjectKeepingSource($0) }
        guard let parsed else {
            if JSONValue.parse(raw) != nil { throw .badRequest("the request body must be a JSON object", code: "invalid_json") }
            throw .badRequest("the request body is not valid JSON; send a JSON object (Content-Type: application/json)",
                              code: "invalid_json")
        }
        let body = JSONValue.object(parsed.object)
        self.endpoint = endpoint
        self.body = body
        self.sources = parsed.sources
        self.raw = raw
        guard let model = body["model"] else { throw .badRequest("missing required parameter 'model'", param: "model") }
        guard let modelName = model.stringValue, !modelName.isEmpty else {
            throw .badRequest("'model' must be a non-empty string", param: "model")
        }
        self.model = modelName
        switch endpoint {
        case .chatCompletions:
            guard let messages = body["messages"] else {
                throw .badRequest("missing required parameter 'messages'", param: "messages")
            }
            guard let list = messages.arrayValue, !list.isEmpty, list.allSatisfy({ $0["role"]?.stringValue != nil }) else {
                throw .badRequest("'messages' must be a non-empty array of objects with a string 'role'", param: "messages")
            }
        case .completions:
            guard let prompt = body["prompt"] else { throw .badRequest("missing required parameter 'prompt'", param: "prompt") }
            guard prompt.stringValue != nil || prompt.arrayValue?.allSatisfy({ $0.stringValue != nil }) == true else {
                throw .badRequest("'prompt' must be a string or an array of strings", param: "prompt")
            }
        }
        let maxName = body["max_completion_tokens"].map { !$0.isNull } == true ? "max_completion_tokens" : "max_tokens"
        self.maxTokens = try Self.positiveInt(body, maxName)
        self.choices = try Self.positiveInt(body, "n") ?? 1
        guard choices <= 128 else { throw .badRequest("'n' must be at most 128", param: "n") }
        self.stream = try Self.bool(body, "stream") ?? false
        if let options = body["stream_options"], !options.isNull {
            guard case .object = options else {
                throw .badRequest("'stream_options' must be an object", param: "stream_options")
            }
            guard stream else {
                throw .badRequest("'stream_options' is only allowed when 'stream' is true", param: "stream_options")
            }
            self.includeUsage = try Self.bool(options, "include_usage") ?? false
        } else {
            self.includeUsage = false
        }
        for name in ["temperature", "top_p", "presence_penalty", "frequency_penalty"] {
            if let value = body[name], !value.isNull, value.doubleValue == nil {
                throw .badRequest("'\(name)' must be a number", param: name)
            }
        }
    }

    /// The body to send upstream: the original bytes unless something must change
    /// (usage requested on streams; max_tokens capped, logprobs or n withheld by policy).
    func upstreamBody(for decision: PolicyDecision) -> [UInt8] {
        let capTokens = decision.maxTokens.map { cap in maxTokens.map { $0 > cap } ?? true } ?? false
        let dropLogprobs = decision.withholding.contains(.logprobs)
            && (body["logprobs"].map { !$0.isNull } == true || body["top_logprobs"].map { !$0.isNull } == true)
        let oneSample = decision.withholding.contains(.samples) && choices > 1
        guard stream || capTokens || dropLogprobs || oneSample else { return raw }
        var changed: [String: JSONValue] = [:]
        var removed: Set<String> = []
        if stream {
            var options = body["stream_options"] ?? .object(JSONObject())
            if options.isNull { options = .object(JSONObject()) }
            changed["stream_options"] = options.setting("include_usage", to: .bool(true))
        }
        if capTokens, let cap = decision.maxTokens {
            removed.insert("max_completion_tokens")
            changed["max_tokens"] = .number(Double(cap))
        }
        if dropLogprobs { removed.formUnion(["logprobs", "top_logprobs"]) }
        if oneSample { changed["n"] = 1 }
        return rewritten(changing: changed, removing: removed)
    }

    /// The body with some top-level members replaced, added or removed; every
    /// other member is copied from ``raw`` as the client sent it (so its
    /// numbers keep every digit).
    private func rewritten(changing changed: [String: JSONValue], removing removed: Set<String>) -> [UInt8] {
        guard case .object(let object) = body else { return raw }
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(raw.count + 64)
        var written: Set<String> = []
        func member(_ key: String) {
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(key, to: &out)
            out.append(UInt8(ascii: ":"))
        }
        for (index, (key, _)) in object.members.enumerated() where !removed.contains(key) && !written.contains(key) {
            // A duplicated key keeps its last value, as lookups do.
            guard object.members.lastIndex(where: { $0.key == key }) == index else { continue }
            written.insert(key)
            member(key)
            if let value = changed[key] { JSONWriter().write(value, to: &out) } else { out.append(contentsOf: raw[sources[index]]) }
        }
        for key in changed.keys.sorted() where !written.contains(key) {
            member(key)
            JSONWriter().write(changed[key] ?? .null, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The raw body on one line, safe to embed in a JSONL record.
    ///
    /// JSON allows raw line breaks only as whitespace between tokens (inside
    /// strings they are escaped), so replacing them with spaces keeps it valid.
    var singleLineJSON: String {
        String(decoding: raw.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }, as: UTF8.self)
    }

    private static func positiveInt(_ object: JSONValue, _ name: String) throws(GatewayError) -> Int? {
        guard let value = object[name], !value.isNull else { return nil }
        guard let number = value.intValue, number >= 1, number <= 1_000_000 else {
            throw .badRequest("'\(name)' must be a positive integer", param: name)
        }
        return number
    }

    private static func bool(_ object: JSONValue, _ name: String) throws(GatewayError) -> Bool? {
        guard let value = object[name], !value.isNull else { return nil }
        guard let flag = value.boolValue else { throw .badRequest("'\(name)' must be true or false", param: name) }
        return flag
    }
}

import Foundation

/// Reading and writing exchanges as JSON (the exchange-log line format).
///
/// The JSON form is built from and to ``JSONValue`` so that the fast parser
/// (``JSONParser``) and any `Decoder` share one set of rules: snake_case
/// names, `null` treated as absent, unknown fields kept in `extra`.
extension Exchange {
    /// Decodes an exchange from a parsed JSON object.
    public init(json: JSONValue) throws(ExchangeDecodingError) {
        guard case .object(let object) = json else { throw ExchangeDecodingError("an exchange must be a JSON object") }
        var fields = FieldReader(object, path: "")
        id = try fields.requiredString("id")
        let timeText = try fields.requiredString("time")
        guard let time = ExchangeTime.parse(timeText) else {
            throw ExchangeDecodingError("'time' is not an ISO 8601 timestamp: \(timeText.prefix(40))")
        }
        self.time = time
        account = try fields.requiredString("account")
        keyID = try fields.string("key_id")
        client = try fields.object("client").map { v throws(ExchangeDecodingError) in try ClientInfo(json: v) }
        accountMeta = try fields.object("account_meta").map { v throws(ExchangeDecodingError) in try AccountMeta(json: v) }
        model = try fields.string("model")
        endpoint = try fields.string("endpoint")
        guard let request = fields.take("request") else { throw ExchangeDecodingError("missing required field 'request'") }
        self.request = request
        response = try fields.object("response").map { v throws(ExchangeDecodingError) in try ExchangeResponse(json: v) }
        session = try fields.string("session")
        extra = fields.rest
    }

    /// Decodes an exchange from one log line (UTF-8 JSON).
    public init(line: UnsafeBufferPointer<UInt8>) throws(ExchangeDecodingError) {
        let value: JSONValue
        do { value = try JSONParser.parse(line) } catch { throw ExchangeDecodingError(error.description) }
        try self.init(json: value)
    }

    /// Decodes an exchange from one log line.
    public init(line: String) throws(ExchangeDecodingError) {
        var line = line
        let result: Result<Exchange, ExchangeDecodingError> = line.withUTF8 { buffer in
            do throws(ExchangeDecodingError) { return .success(try Exchange(line: buffer)) } catch { return .failure(error) }
        }
        self = try result.get()
    }

    /// The exchange as a JSON object, fields in DESIGN.md's order, unknown ones last (sorted).
    public var json: JSONValue {
        var o = JSONObject()
        o.append(key: "id", value: .string(id))
        o.append(key: "time", value: .string(ExchangeTime.format(time)))
        o.append(key: "account", value: .string(account))
        if let keyID { o.append(key: "key_id", value: .string(keyID)) }
        if let client { o.append(key: "client", value: client.json) }
        if let accountMeta { o.append(key: "account_meta", value: accountMeta.json) }
        if let model { o.append(key: "model", value: .string(model)) }
        if let endpoint { o.append(key: "endpoint", value: .string(endpoint)) }
        o.append(key: "request", value: request)
        if let response { o.append(key: "response", value: response.json) }
        if let session { o.append(key: "session", value: .string(session)) }
        appendExtra(extra, to: &o)
        return .object(o)
    }

    /// The exchange as one compact JSON line, without the trailing newline (``ExchangeLineWriter``).
    public func jsonLine() -> String {
        var out = ""
        ExchangeLineWriter.append(self, to: &out)
        return out
    }

    /// Appends the exchange's compact JSON and a newline to `out` (for log writers).
    public func appendJSONLine(to out: inout [UInt8]) {
        out.append(contentsOf: jsonLine().utf8)
        out.append(0x0A)
    }

    public init(from decoder: any Decoder) throws {
        try self.init(json: JSONValue(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }
}

extension ClientInfo {
    /// Decodes client facts from a JSON object.
    public init(json: JSONObject) throws(ExchangeDecodingError) {
        var fields = FieldReader(json, path: "client.")
        ip = try fields.string("ip")
        userAgent = try fields.string("user_agent")
        // Some log sources write "AS64500"; accept it.
        switch fields.take("asn") {
        case nil, .null?: asn = nil
        case .number(let d)?: asn = Int(exactly: d)
        case .string(let s)?:
            asn = Int(s.uppercased().hasPrefix("AS") ? String(s.dropFirst(2)) : s)
        default: throw ExchangeDecodingError("'client.asn' must be a number")
        }
        country = try fields.string("country")
        extra = fields.rest
    }

    /// The client facts as a JSON object.
    public var json: JSONValue {
        var o = JSONObject()
        if let ip { o.append(key: "ip", value: .string(ip)) }
        if let userAgent { o.append(key: "user_agent", value: .string(userAgent)) }
        if let asn { o.append(key: "asn", value: .number(Double(asn))) }
        if let country { o.append(key: "country", value: .string(country)) }
        appendExtra(extra, to: &o)
        return .object(o)
    }

    public init(from decoder: any Decoder) throws {
        guard case .object(let o) = try JSONValue(from: decoder) else { throw ExchangeDecodingError("'client' must be an object") }
        try self.init(json: o)
    }

    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}

extension AccountMeta {
    /// Decodes account facts from a JSON object.
    public init(json: JSONObject) throws(ExchangeDecodingError) {
        var fields = FieldReader(json, path: "account_meta.")
        if let text = try fields.string("created") {
            guard let date = ExchangeTime.parse(text) else {
                throw ExchangeDecodingError("'account_meta.created' is not an ISO 8601 timestamp")
            }
            created = date
        } else {
            created = nil
        }
        paymentFingerprint = try fields.string("payment_fingerprint")
        emailDomain = try fields.string("email_domain")
        tier = try fields.string("tier")
        extra = fields.rest
    }

    /// The account facts as a JSON object.
    public var json: JSONValue {
        var o = JSONObject()
        if let created { o.append(key: "created", value: .string(ExchangeTime.format(created))) }
        if let paymentFingerprint { o.append(key: "payment_fingerprint", value: .string(paymentFingerprint)) }
        if let emailDomain { o.append(key: "email_domain", value: .string(emailDomain)) }
        if let tier { o.append(key: "tier", value: .string(tier)) }
        appendExtra(extra, to: &o)
        return .object(o)
    }

    public init(from decoder: any Decoder) throws {
        guard case .object(let o) = try JSONValue(from: decoder) else { throw ExchangeDecodingError("'account_meta' must be an object") }
        try self.init(json: o)
    }

    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}

extension ExchangeResponse {
    /// Decodes a response from a JSON object.
    public init(json: JSONObject) throws(ExchangeDecodingError) {
        var fields = FieldReader(json, path: "response.")
        status = try fields.int("status")
        switch fields.take("choices") {
        case nil, .null?: choices = []
        case .array(let elements)?:
            var parsed: [Choice] = []
            parsed.reserveCapacity(elements.count)
            for element in elements {
                guard case .object(let o) = element else { throw ExchangeDecodingError("'response.choices' must hold objects") }
                parsed.append(try Choice(json: o))
            }
            choices = parsed
        default: throw ExchangeDecodingError("'response.choices' must be an array")
        }
        usage = try fields.object("usage").map { v throws(ExchangeDecodingError) in try Usage(json: v) }
        extra = fields.rest
    }

    /// The response as a JSON object.
    public var json: JSONValue {
        var o = JSONObject()
        if let status { o.append(key: "status", value: .number(Double(status))) }
        o.append(key: "choices", value: .array(choices.map(\.json)))
        if let usage { o.append(key: "usage", value: usage.json) }
        appendExtra(extra, to: &o)
        return .object(o)
    }

    public init(from decoder: any Decoder) throws {
        guard case .object(let o) = try JSONValue(from: decoder) else { throw ExchangeDecodingError("'response' must be an object") }
        try self.init(json: o)
    }

    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}

extension ExchangeResponse.Choice {
    /// Decodes a choice from a JSON object. Chat-style `message.content` is
    /// accepted as the text when `text` is absent.
    public init(json: JSONObject) throws(ExchangeDecodingError) {
        var fields = FieldReader(json, path: "response.choices[].")
        text = try fields.string("text")
        finishReason = try fields.string("finish_reason")
        extra = fields.rest
        if text == nil, case .object(let message)? = extra["message"], case .string(let content)? = message["content"] {
            text = content
        }
    }

    /// The choice as a JSON object.
    public var json: JSONValue {
        var o = JSONObject()
        if let text, !(extra["message"]?["content"]?.stringValue == text) { o.append(key: "text", value: .string(text)) }
        if let finishReason { o.append(key: "finish_reason", value: .string(finishReason)) }
        appendExtra(extra, to: &o)
        return .object(o)
    }

    public init(from decoder: any Decoder) throws {
        guard case .object(let o) = try JSONValue(from: decoder) else { throw ExchangeDecodingError("a choice must be an object") }
        try self.init(json: o)
    }

    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}

extension ExchangeResponse.Usage {
    /// Decodes token counts from a JSON object.
    public init(json: JSONObject) throws(ExchangeDecodingError) {
        var fields = FieldReader(json, path: "response.usage.")
        promptTokens = try fields.int("prompt_tokens")
        completionTokens = try fields.int("completion_tokens")
        extra = fields.rest
    }

    /// The token counts as a JSON object.
    public var json: JSONValue {
        var o = JSONObject()
        if let promptTokens { o.append(key: "prompt_tokens", value: .number(Double(promptTokens))) }
        if let completionTokens { o.append(key: "completion_tokens", value: .number(Double(completionTokens))) }
        appendExtra(extra, to: &o)
        return .object(o)
    }

    public init(from decoder: any Decoder) throws {
        guard case .object(let o) = try JSONValue(from: decoder) else { throw ExchangeDecodingError("'usage' must be an object") }
        try self.init(json: o)
    }

    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}

private func appendExtra(_ extra: [String: JSONValue], to object: inout JSONObject) {
    guard !extra.isEmpty else { return }
    for key in extra.keys.sorted() { object.append(key: key, value: extra[key] ?? .null) }
}

/// Takes known fields out of a JSON object one by one; what is left is `extra`.
private struct FieldReader {
    private var members: [(key: String, value: JSONValue)]
    private let path: String

    init(_ object: JSONObject, path: String) {
        members = object.members
        self.path = path
    }

    mutating func take(_ key: String) -> JSONValue? {
        guard let i = members.firstIndex(where: { $0.key == key }) else { return nil }
        let value = members[i].value
        members.remove(at: i)
        return value
    }

    mutating func string(_ key: String) throws(ExchangeDecodingError) -> String? {
        switch take(key) {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw ExchangeDecodingError("'\(path)\(key)' must be a string")
        }
    }

    mutating func requiredString(_ key: String) throws(ExchangeDecodingError) -> String {
        guard let s = try string(key) else { throw ExchangeDecodingError("missing required field '\(path)\(key)'") }
        return s
    }

    mutating func int(_ key: String) throws(ExchangeDecodingError) -> Int? {
        switch take(key) {
        case nil, .null?: return nil
        case .number(let d)?:
            guard let i = Int(exactly: d) else { throw ExchangeDecodingError("'\(path)\(key)' must be a whole number") }
            return i
        default: throw ExchangeDecodingError("'\(path)\(key)' must be a number")
        }
    }

    mutating func object(_ key: String) throws(ExchangeDecodingError) -> JSONObject? {
        switch take(key) {
        case nil, .null?: return nil
        case .object(let o)?: return o
        default: throw ExchangeDecodingError("'\(path)\(key)' must be an object")
        }
    }

    var rest: [String: JSONValue] {
        guard !members.isEmpty else { return [:] }
        var d: [String: JSONValue] = [:]
        for (k, v) in members { d[k] = v }
        return d
    }
}

/// An exchange-log line that is JSON but not an exchange: which field and why.
public struct ExchangeDecodingError: AegisError, Equatable {
    /// The one-line message.
    public let description: String

    /// Creates an error with a one-line message.
    public init(_ description: String) {
        self.description = description
    }
}

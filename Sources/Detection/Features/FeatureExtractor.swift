import AegisCore
import Crypto

/// Computes ``ExchangeFeatures`` from an ``Exchange``. Immutable and `Sendable`:
/// share one across threads.
public struct FeatureExtractor: Sendable {
    private let hasher: KeyedHash
    private let analyzer: TextAnalyzer

    /// Creates an extractor whose hashes are keyed by `hasher`.
    public init(hasher: KeyedHash = .unkeyed) {
        self.hasher = hasher
        analyzer = TextAnalyzer(hasher: hasher)
    }

    /// The request fields whose values make up the sampling fingerprint.
    static let samplingKeys = ["temperature", "top_p", "max_tokens", "max_completion_tokens", "n", "presence_penalty",
                               "frequency_penalty", "logprobs", "top_logprobs", "seed"]

    /// Domains shared by millions of unrelated people: sharing one says nothing.
    public static let freeMailDomains: Set<String> = [
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com", "icloud.com",
        "me.com", "proton.me", "protonmail.com", "qq.com", "163.com", "126.com", "mail.ru", "yandex.ru",
        "gmx.de", "gmx.net", "web.de", "aol.com", "naver.com",
    ]

    /// The features of one exchange.
    public func features(of e: Exchange) -> ExchangeFeatures {
        var f = ExchangeFeatures(account: e.account, time: e.time.timeIntervalSince1970)
        f.model = e.model
        let (text, multiTurn) = Self.promptText(e.request)
        f.multiTurn = multiTurn
        f.text = analyzer.analyze(text)

        let request = e.request
        let n = request["n"]?.intValue ?? 1
        let bestOf = request["best_of"]?.intValue ?? 1
        f.multiSample = n > 1 || bestOf > 1
        if let lp = request["logprobs"] {
            f.logprobs = lp.boolValue == true || (lp.intValue ?? 0) > 0
        }
        if (request["top_logprobs"]?.intValue ?? 0) > 0 { f.logprobs = true }

        var fp: UInt64 = 0x5A4D_504C
        for key in Self.samplingKeys {
            let v = request[key]
            let h: UInt64
            switch v {
            case .number(let d)?: h = d.bitPattern
            case .bool(let b)?: h = b ? 1 : 2
            case nil, .null?: h = 3
            default: h = key == "seed" ? 4 : 5
            }
            // A seed's value varies per call; only its presence is a habit.
            fp = KeyedHash.fold(fp ^ (key == "seed" && v?.isNull == false ? 7 : h), 0x9E37_79B9_7F4A_7C15)
        }
        f.samplingFingerprint = hasher.hash(fp)

        if let r = e.response {
            f.answered = !r.choices.isEmpty
            f.hitMaxTokens = r.choices.contains { $0.finishReason == "length" }
            if let c = r.usage?.completionTokens {
                f.completionTokens = Int32(clamping: c)
            } else {
                f.completionTokens = Int32(clamping: r.choices.reduce(0) { $0 + ($1.text?.utf8.count ?? 0) } / 4)
            }
            if let p = r.usage?.promptTokens { f.promptTokens = Int32(clamping: p) }
        }
        if f.promptTokens == 0 { f.promptTokens = Int32(clamping: max(1, text.utf8.count / 4)) }
        // Several samples or log-probabilities of a one-word answer are how
        // classifiers and evaluations score options; harvesting needs them over
        // answers long enough to learn from.
        if f.answered && f.completionTokens < 16 * Int32(max(1, n)) {
            f.multiSample = false
            f.logprobs = false
        }

        if let c = e.client {
            if let ip = c.ip {
                f.ip = hasher.hash(ip, tag: 1)
                f.subnet = hasher.hash(Self.subnet(of: ip), tag: 2)
            }
            if let ua = c.userAgent {
                f.userAgent = hasher.hash(ua, tag: 3)
                f.asnAgent = hasher.hash(f.userAgent ^ UInt64(bitPattern: Int64(c.asn ?? -1)) &* 0x9E37_79B9_7F4A_7C15)
            }
        }
        addShape(of: e, to: &f)
        if let m = e.accountMeta {
            if let p = m.paymentFingerprint { f.payment = hasher.hash(p, tag: 5) }
            if let d = m.emailDomain?.lowercased(), !Self.freeMailDomains.contains(d) {
                f.emailDomain = hasher.hash(d, tag: 6)
            }
            f.accountCreated = m.created?.timeIntervalSince1970
        }
        return f
    }

    /// Streams, tools, requested length, input problems and the work key.
    private func addShape(of e: Exchange, to f: inout ExchangeFeatures) {
        let shape = RequestShape(e.request)
        if !shape.system.isEmpty { f.systemPrompt = systemKey(shape.system) }
        f.stream = streamKey(shape)
        f.streamLabel = Self.streamLabel(shape)
        if shape.toolSchema != 0 { f.toolSchema = hasher.hash(shape.toolSchema) | 1 }
        f.toolTrajectory = shape.toolCalls > 0 || shape.toolResults > 0
        if shape.missingPrompt { f.problems.insert(.missingPrompt) }
        if shape.unansweredToolCalls > 0 { f.problems.insert(.unansweredToolCalls) }
        if !e.extra.isEmpty { f.problems.insert(.unknownFields) }
        if let m = shape.maxTokens {
            if !m.isFinite || m < 0 || m.rounded() != m || m > 1_048_576 { f.problems.insert(.absurdMaxTokens) }
            f.maxTokens = m.isFinite ? Int32(min(1_048_576, max(0, m))) : 1_048_576
        }
        // What is asked, not how: topic, a request for reasoning, the answer
        // length class asked for (powers of two), the sampling habit, tool use.
        var w: UInt64 = 0x776F_726B
        w = KeyedHash.fold(w ^ UInt64(f.text.topic.rawValue), 0x9E37_79B9_7F4A_7C15)
        w = KeyedHash.fold(w ^ (f.text.asksForReasoning ? 1 : 2), 0x9E37_79B9_7F4A_7C15)
        w = KeyedHash.fold(w ^ UInt64(f.maxTokens > 0 ? 32 - UInt32(f.maxTokens).leadingZeroBitCount : 0), 0x9E37_79B9_7F4A_7C15)
        w = KeyedHash.fold(w ^ f.samplingFingerprint, 0x9E37_79B9_7F4A_7C15)
        w = KeyedHash.fold(w ^ (f.toolSchema != 0 ? 3 : 4), 0x9E37_79B9_7F4A_7C15)
        f.workKey = hasher.hash(w)
    }

    private func systemKey(_ system: String) -> UInt64 {
        hasher.hash(Self.maskedDigitsHash(system) ^ 0x7379_7374_656D) & ~3 | 1
    }

    /// The stream key: the system prompt's (low bits 01), else the end user's (10), else 0.
    private func streamKey(_ shape: RequestShape) -> UInt64 {
        if !shape.system.isEmpty { return systemKey(shape.system) }
        if !shape.endUser.isEmpty { return hasher.hash(shape.endUser, tag: 8) & ~3 | 2 }
        return 0
    }

    /// The stream a request body belongs to, named as in verdicts (`system:<sha256 prefix>`,
    /// `user:<id>` or `none`), so the gateway can act on one stream of an account.
    public func streamName(of request: JSONValue) -> String {
        let label = Self.streamLabel(RequestShape(request))
        return label.isEmpty ? "none" : label
    }

    /// `system:` + 16 hex digits of the system prompt's SHA-256 (an analyst can
    /// check it against a prompt), else `user:` + the end-user id, else empty.
    static func streamLabel(_ shape: RequestShape) -> String {
        if !shape.system.isEmpty {
            let digest = SHA256.hash(data: Array(shape.system.utf8))
            var hex = "system:"
            for byte in digest.prefix(8) {
                hex += String(byte >> 4, radix: 16) + String(byte & 15, radix: 16)
            }
            return hex
        }
        if !shape.endUser.isEmpty { return "user:" + shape.endUser.prefix(64) }
        return ""
    }

    /// A hash of text with digits masked, so "Today is 2026-11-20" keys the same every day.
    static func maskedDigitsHash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for c in text.utf8 { h = (h ^ UInt64(c >= 0x30 && c <= 0x39 ? 0x30 : c)) &* 0x100_0000_01B3 }
        return h
    }

    /// The text worth analysing: the system prompt (templates and instructions
    /// often live there) and the last user turn; and whether earlier turns exist.
    public static func promptText(_ request: JSONValue) -> (String, Bool) {
        if let messages = request["messages"]?.arrayValue {
            var system = ""
            var lastUser = ""
            var users = 0
            var assistants = 0
            for m in messages {
                let role = m["role"]?.stringValue ?? "user"
                let content = contentText(m["content"])
                switch role {
                case "system", "developer": system = content
                case "assistant": assistants += 1
                default:
                    users += 1
                    lastUser = content
                }
            }
            let text = system.isEmpty ? lastUser : system + "\n" + lastUser
            return (text, users > 1 || assistants > 0)
        }
        switch request["prompt"] {
        case .string(let s)?: return (s, false)
        case .array(let a)?: return (a.first?.stringValue ?? "", false)
        default: return (request["input"]?.stringValue ?? "", false)
        }
    }

    private static func contentText(_ v: JSONValue?) -> String {
        switch v {
        case .string(let s)?: return s
        case .array(let parts)?:
            return parts.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        default: return ""
        }
    }

    /// The /24 of an IPv4 address or the /48 of an IPv6 address, as text.
    static func subnet(of ip: String) -> String {
        if ip.utf8.contains(UInt8(ascii: ":")) {
            var groups: [Substring] = []
            for g in ip.split(separator: ":", omittingEmptySubsequences: false) {
                if g.isEmpty || groups.count == 3 { break }
                groups.append(g)
            }
            return groups.joined(separator: ":") + "::/48"
        }
        guard let dot = ip.lastIndex(of: ".") else { return ip }
        return String(ip[..<dot]) + ".0/24"
    }
}

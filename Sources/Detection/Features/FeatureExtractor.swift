import AegisCore

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
        if let m = e.accountMeta {
            if let p = m.paymentFingerprint { f.payment = hasher.hash(p, tag: 5) }
            if let d = m.emailDomain?.lowercased(), !Self.freeMailDomains.contains(d) {
                f.emailDomain = hasher.hash(d, tag: 6)
            }
            f.accountCreated = m.created?.timeIntervalSince1970
        }
        return f
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

import AegisCore

/// One thing a campaign is recognised by, in the form it is shared: network
/// values in clear, everything that could identify a person as a keyed digest.
public enum IndicatorValue: Sendable, Hashable, Comparable {
    /// An IPv4 or IPv6 address.
    case ip(String)
    /// An IPv4 /24 network, e.g. `203.0.113.0/24`.
    case cidr(String)
    /// An autonomous system number.
    case asn(Int)
    /// A keyed digest of `kind` (payment, email, email-domain, prompt-template) under key `keyID`.
    case keyed(kind: String, keyID: String, digest: String)

    /// The kinds that identify an actor on their own; an ASN match is only a hint.
    public var isStrong: Bool {
        if case .asn = self { return false }
        return true
    }

    /// A short label for reasons and names, e.g. `ip 203.0.113.9` or `payment a1b2c3d4…`.
    public var label: String {
        switch self {
        case .ip(let v): "ip \(v)"
        case .cidr(let v): "network \(v)"
        case .asn(let n): "AS\(n)"
        case .keyed(let kind, let keyID, let digest): "keyed \(kind) \(digest.prefix(8))… (key \(keyID))"
        }
    }

    /// The STIX pattern in the encoding that uses the Aegis extension observable.
    public var pattern: String {
        switch self {
        case .ip(let v): v.contains(":") ? "[ipv6-addr:value = '\(v)']" : "[ipv4-addr:value = '\(v)']"
        case .cidr(let v): "[ipv4-addr:value ISSUBSET '\(v)']"
        case .asn(let n): "[autonomous-system:number = \(n)]"
        case .keyed(let kind, let keyID, let digest):
            "[\(KeyedFingerprintExtension.type):kind = '\(kind)' AND \(KeyedFingerprintExtension.type):key_id = '\(keyID)'"
                + " AND \(KeyedFingerprintExtension.type):digest = '\(digest)']"
        }
    }

    /// The same indicator in core STIX only, for tools that drop custom
    /// observables: the digest as a keyed hash of an artifact (the normalised
    /// value), the hash name saying which kind and key. Nil for network values,
    /// which are core STIX already.
    public var corePattern: String? {
        guard case .keyed(let kind, let keyID, let digest) = self else { return nil }
        return "[artifact:hashes.'\(Self.coreHashName(kind: kind, keyID: keyID))' = '\(digest)']"
    }

    /// The hash name of the core encoding.
    static func coreHashName(kind: String, keyID: String) -> String {
        "x-aegis-hmac-sha256-\(kind)-\(keyID)"
    }

    /// Reads a pattern Aegis wrote (either encoding); nil for any other pattern.
    public init?(pattern: String) {
        let text = pattern.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("["), text.hasSuffix("]"), !text.dropFirst().contains("[") else { return nil }
        let body = String(text.dropFirst().dropLast())
        var comparisons: [(path: String, op: String, value: String)] = []
        for clause in body.components(separatedBy: " AND ") {
            let parts = clause.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 2).map(String.init)
            guard parts.count == 3 else { return nil }
            var value = parts[2]
            if value.hasPrefix("'") && value.hasSuffix("'") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            comparisons.append((parts[0], parts[1], value))
        }
        func value(_ path: String) -> String? { comparisons.first { $0.path == path && $0.op == "=" }?.value }
        if comparisons.count == 1 {
            let c = comparisons[0]
            switch (c.path, c.op) {
            case ("ipv4-addr:value", "="), ("ipv6-addr:value", "="): self = .ip(c.value)
            case ("ipv4-addr:value", "ISSUBSET"): self = .cidr(c.value)
            case ("autonomous-system:number", "="):
                guard let n = Int(c.value) else { return nil }
                self = .asn(n)
            default:
                let prefix = "artifact:hashes.'x-aegis-hmac-sha256-"
                guard c.path.hasPrefix(prefix), c.path.hasSuffix("'"), c.op == "=" else { return nil }
                let name = c.path.dropFirst(prefix.count).dropLast()
                // kind-keyID, where kind is one of a closed set (some contain '-').
                for kind in ["prompt-template", "email-domain", "payment", "email"] where name.hasPrefix(kind + "-") {
                    self = .keyed(kind: kind, keyID: String(name.dropFirst(kind.count + 1)), digest: c.value)
                    return
                }
                return nil
            }
            return
        }
        let t = KeyedFingerprintExtension.type
        guard let kind = value("\(t):kind"), let keyID = value("\(t):key_id"), let digest = value("\(t):digest") else {
            return nil
        }
        self = .keyed(kind: kind, keyID: keyID, digest: digest)
    }
}

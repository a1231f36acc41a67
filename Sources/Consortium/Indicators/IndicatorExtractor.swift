import AegisCore
import Detection

/// The indicator values one exchange shows, computed the same way when a
/// provider publishes and when a peer matches, so equal traffic gives equal values.
public struct IndicatorExtractor: Sendable {
    /// The keys digests are made under; the first is used to publish.
    public let keys: [ConsortiumKey]
    private let analyzers: [TextAnalyzer]

    /// Creates an extractor for the given consortium keys.
    public init(keys: [ConsortiumKey]) {
        self.keys = keys
        analyzers = keys.map(TemplateFingerprint.analyzer(for:))
    }

    /// What one exchange shows.
    public struct Values: Sendable {
        /// Network values and keyed digests (under every key).
        public var values: [IndicatorValue] = []
        /// The prompt's template fingerprint under each key (by key id), when it has one.
        public var templates: [(keyID: String, fingerprint: TemplateFingerprint)] = []
    }

    /// The values of `exchange`.
    public func values(of exchange: Exchange) -> Values {
        var out = Values()
        if let client = exchange.client {
            if let ip = client.ip, !ip.isEmpty {
                out.values.append(.ip(ip))
                if let network = Self.network(of: ip) { out.values.append(.cidr(network)) }
            }
            if let asn = client.asn { out.values.append(.asn(asn)) }
        }
        let meta = exchange.accountMeta
        let domain = meta?.emailDomain?.lowercased()
        let email = meta?.extra["email"]?.stringValue
        for (index, key) in keys.enumerated() {
            if let payment = meta?.paymentFingerprint, !payment.isEmpty {
                out.values.append(.keyed(kind: "payment", keyID: key.id, digest: key.digest("payment", text: payment)))
            }
            if let domain, !domain.isEmpty, !FeatureExtractor.freeMailDomains.contains(domain) {
                out.values.append(.keyed(kind: "email-domain", keyID: key.id, digest: key.digest("email-domain", text: domain)))
            }
            if let email, !email.isEmpty {
                out.values.append(.keyed(kind: "email", keyID: key.id, digest: key.digest("email", text: email)))
            }
            if let fingerprint = TemplateFingerprint(request: exchange.request, key: key, analyzer: analyzers[index]) {
                out.templates.append((key.id, fingerprint))
                out.values.append(.keyed(kind: "prompt-template", keyID: key.id, digest: fingerprint.digest))
            }
        }
        return out
    }

    /// The /24 of a dotted IPv4 address; nil for anything else.
    public static func network(of ip: String) -> String? {
        let parts = ip.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) else { return nil }
        return "\(parts[0]).\(parts[1]).\(parts[2]).0/24"
    }
}

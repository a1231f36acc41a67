import AegisCore
import Detection

/// The keyed fingerprint of a prompt template: what two providers can compare
/// without either revealing a prompt.
///
/// The prompt goes through Detection's ``TextAnalyzer`` with the consortium's
/// sketch key: the template keys (first and last six words, digits masked)
/// give the exact ``digest``; the MinHash of character shingles gives four LSH
/// ``bandDigests`` that also match near-variants. Each is then an HMAC under
/// the consortium key, so the numbers mean nothing to an outsider.
public struct TemplateFingerprint: Sendable, Hashable {
    /// The keyed digest of the template's two ends.
    public let digest: String
    /// Keyed digests of the four MinHash bands (empty bands left out).
    public let bandDigests: [String]

    /// Creates a fingerprint from its parts (e.g. read from a peer's observable).
    public init(digest: String, bandDigests: [String]) {
        self.digest = digest
        self.bandDigests = bandDigests
    }

    /// The fingerprint of one request's prompt, or nil when the prompt is too
    /// short to have a template (at most twelve words).
    public init?(request: JSONValue, key: ConsortiumKey, analyzer: TextAnalyzer) {
        let (text, _) = FeatureExtractor.promptText(request)
        let features = analyzer.analyze(text)
        guard features.prefixKey != 0, features.suffixKey != 0 else { return nil }
        digest = key.digest("template", Self.bytes(features.prefixKey) + Self.bytes(features.suffixKey))
        let bands = features.shingles.bandKeys
        var digests: [String] = []
        for b in 0..<4 where bands[b] != 0 {
            digests.append(key.digest("template-band", [UInt8(b)] + Self.bytes(bands[b])))
        }
        bandDigests = digests
    }

    /// The analyzer every member must use with `key`.
    public static func analyzer(for key: ConsortiumKey) -> TextAnalyzer {
        TextAnalyzer(hasher: key.templateHasher)
    }

    /// Whether two fingerprints are of the same template: equal ends, or at
    /// least two equal LSH bands (about J⁴ each, so near-copies only).
    public func matches(_ other: TemplateFingerprint) -> Bool {
        if digest == other.digest { return true }
        let shared = Set(bandDigests).intersection(other.bandDigests).count
        return shared >= 2
    }

    private static func bytes(_ v: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) }
    }
}

import AegisCore
import Foundation

/// The indicators peers shared (a STIX bundle written by `aegis exchange pull`),
/// in the form local traffic is matched against.
public struct PeerIndicators: Sendable {
    /// One usable indicator.
    public struct Entry: Sendable {
        /// The indicator's STIX id.
        public var id: String
        /// Its name.
        public var name: String
        /// Its value.
        public var value: IndicatorValue
        /// Its confidence, 0-100 (50 when the producer gave none).
        public var confidence: Int
    }

    /// The usable indicators: current version, not revoked, not expired, in a pattern Aegis reads.
    public private(set) var entries: [Entry] = []
    /// Indicators skipped because they were revoked or expired.
    public private(set) var skipped = 0
    /// Indicators in patterns Aegis does not read (other producers' indicators).
    public private(set) var unreadable = 0
    private var byValue: [IndicatorValue: Int] = [:]
    /// Peer template fingerprints with LSH bands: key id, fingerprint, entry index.
    private var templates: [(keyID: String, fingerprint: TemplateFingerprint, entry: Int)] = []

    /// Reads the indicators of a bundle (or of a TAXII envelope's objects).
    public init(bundle: JSONValue, now: Date = Date()) throws(ConsortiumError) {
        guard let objects = bundle["objects"]?.arrayValue else {
            throw ConsortiumError("the indicators file is not a STIX bundle (no \"objects\"); write it with `aegis exchange pull`")
        }
        let nowMicros = STIXTimestamp.microseconds(now)
        // The latest version of each indicator decides (a later one may revoke it).
        var latest: [String: (modified: Int64, object: JSONValue)] = [:]
        var bands: [String: [String]] = [:] // digest → band digests
        for object in objects {
            guard let type = object["type"]?.stringValue, let id = object["id"]?.stringValue else { continue }
            if type == KeyedFingerprintExtension.type, let digest = object["digest"]?.stringValue,
               let list = object["band_digests"]?.arrayValue {
                bands[digest] = list.compactMap(\.stringValue)
            }
            guard type == "indicator" else { continue }
            let modified = (object["modified"]?.stringValue).flatMap(STIXTimestamp.microseconds) ?? 0
            if let existing = latest[id], existing.modified >= modified { continue }
            latest[id] = (modified, object)
        }
        for id in latest.keys.sorted() {
            guard let object = latest[id]?.object else { continue }
            if object["revoked"]?.boolValue == true {
                skipped += 1
                continue
            }
            if let until = (object["valid_until"]?.stringValue).flatMap(STIXTimestamp.microseconds), until <= nowMicros {
                skipped += 1
                continue
            }
            guard object["pattern_type"]?.stringValue == "stix", let pattern = object["pattern"]?.stringValue,
                  let value = IndicatorValue(pattern: pattern)
            else {
                unreadable += 1
                continue
            }
            let entry = Entry(id: id, name: object["name"]?.stringValue ?? value.label, value: value,
                              confidence: object["confidence"]?.intValue ?? 50)
            if byValue[value] == nil { byValue[value] = entries.count }
            if case .keyed("prompt-template", let keyID, let digest) = value, let list = bands[digest], !list.isEmpty {
                templates.append((keyID, TemplateFingerprint(digest: digest, bandDigests: list), entries.count))
            }
            entries.append(entry)
        }
    }

    /// Loads a bundle file.
    public init(path: String, now: Date = Date()) throws(ConsortiumError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConsortiumError("cannot read the indicators file \(path); fetch it with `aegis exchange pull --out \(path)`")
        }
        let value: JSONValue
        do { value = try JSONParser.parse(Array(data)) } catch {
            throw ConsortiumError("the indicators file \(path) is not JSON (\(error)); fetch it again with `aegis exchange pull`")
        }
        try self.init(bundle: value, now: now)
    }

    /// The entries (by index) that the values of one exchange match.
    public func matches(_ values: IndicatorExtractor.Values) -> [Int] {
        var found: [Int] = []
        for value in values.values {
            if let index = byValue[value] { found.append(index) }
        }
        if !templates.isEmpty {
            for (keyID, fingerprint) in values.templates {
                for peer in templates where peer.keyID == keyID && !found.contains(peer.entry) && peer.fingerprint.matches(fingerprint) {
                    found.append(peer.entry)
                }
            }
        }
        return found
    }
}

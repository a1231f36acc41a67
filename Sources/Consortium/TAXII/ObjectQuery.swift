/// The filters and paging of a TAXII objects, manifest or versions request
/// (TAXII 2.1 §3.4-3.5): `added_after`, `limit`, `next` and `match[...]`.
public struct ObjectQuery: Sendable, Equatable {
    /// Which versions of each object match.
    public enum Version: Sendable, Equatable, Hashable {
        /// Every version.
        case all
        /// The oldest version of each object.
        case first
        /// The newest version of each object (the default).
        case last
        /// The version with this `modified` (microseconds since 1970).
        case at(Int64)
    }

    /// Only objects added strictly after this (microseconds since 1970).
    public var addedAfter: Int64?
    /// Most objects per page.
    public var limit: Int
    /// Resume after this insertion number (from the opaque `next` cursor).
    public var after: Int64?
    /// `match[id]`.
    public var ids: [String] = []
    /// `match[type]`.
    public var types: [String] = []
    /// `match[version]`; the default is `last`.
    public var versions: [Version] = [.last]
    /// `match[spec_version]`; empty for any.
    public var specVersions: [String] = []

    /// A query with the server's page size.
    public init(limit: Int) {
        self.limit = limit
    }

    /// Parses the query string of a request; `defaultLimit` and `maximumLimit` bound the page.
    public init(query: [String: String], defaultLimit: Int, maximumLimit: Int) throws(TAXIIError) {
        limit = defaultLimit
        if let text = query["limit"] {
            guard let n = Int(text), n > 0 else { throw .badRequest("limit must be a positive whole number (got '\(text)')") }
            limit = min(n, maximumLimit)
        }
        if let text = query["added_after"] {
            guard let t = STIXTimestamp.microseconds(text) else {
                throw .badRequest("added_after must be a timestamp such as 2026-11-29T10:00:00.000Z (got '\(text)')")
            }
            addedAfter = t
        }
        if let text = query["next"] {
            guard let cursor = Cursor(text) else { throw .badRequest("next is not a cursor this server gave; start again without it") }
            after = cursor.seq
        }
        ids = Self.list(query["match[id]"])
        types = Self.list(query["match[type]"])
        specVersions = Self.list(query["match[spec_version]"])
        if let text = query["match[version]"] {
            var versions: [Version] = []
            for item in Self.list(text) {
                switch item {
                case "all": versions.append(.all)
                case "first": versions.append(.first)
                case "last": versions.append(.last)
                default:
                    guard let t = STIXTimestamp.microseconds(item) else {
                        throw .badRequest("match[version] takes all, first, last or timestamps (got '\(item)')")
                    }
                    versions.append(.at(t))
                }
            }
            self.versions = versions.isEmpty ? [.last] : versions
        }
    }

    private static func list(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// The opaque paging cursor: the insertion number of the last object sent.
/// Insertion order is date_added order, so objects sharing one date_added
/// still page without loss or repetition.
struct Cursor {
    let seq: Int64

    init(seq: Int64) { self.seq = seq }

    init?(_ text: String) {
        guard text.hasPrefix("c"), let n = Int64(text.dropFirst(), radix: 36), n >= 0 else { return nil }
        seq = n
    }

    var text: String { "c" + String(seq, radix: 36) }
}

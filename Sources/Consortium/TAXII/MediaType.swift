import Foundation

/// The media types of TAXII 2.1 and STIX 2.1, and the content negotiation the server does.
public enum MediaType {
    /// What every TAXII response is.
    public static let taxii = "application/taxii+json;version=2.1"
    /// What STIX objects in a collection are.
    public static let stix = "application/stix+json;version=2.1"

    /// Whether an Accept header admits TAXII 2.1 JSON: absent, a wildcard, or
    /// `application/taxii+json` with version 2.1 or no version.
    public static func accepts(_ header: String?) -> Bool {
        guard let header, !header.isEmpty else { return true }
        for item in header.split(separator: ",") {
            let (type, version) = parse(item)
            if type == "*/*" || type == "application/*" { return true }
            if type == "application/taxii+json" && (version == nil || version == "2.1") { return true }
        }
        return false
    }

    /// Whether a Content-Type header is TAXII 2.1 JSON (version 2.1 or none).
    public static func isTAXII(_ header: String?) -> Bool {
        guard let header else { return false }
        let (type, version) = parse(header[...])
        return type == "application/taxii+json" && (version == nil || version == "2.1")
    }

    private static func parse(_ item: Substring) -> (type: String, version: String?) {
        let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var version: String?
        for p in parts.dropFirst() where p.hasPrefix("version=") {
            version = String(p.dropFirst("version=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return (parts.first ?? "", version)
    }
}

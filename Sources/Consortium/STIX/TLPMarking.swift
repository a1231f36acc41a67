import AegisCore

/// The Traffic Light Protocol 2.0 levels as STIX 2.1 marking definitions.
///
/// The ids, names and the property extension are the fixed ones the STIX
/// common-objects repository assigns, so every tool recognises them.
public enum TLPMarking: String, Sendable, CaseIterable {
    /// TLP:CLEAR: no limit on disclosure.
    case clear
    /// TLP:GREEN: the recipient's community.
    case green
    /// TLP:AMBER: the recipient's organisation and its clients.
    case amber
    /// TLP:AMBER+STRICT: the recipient's organisation only (the default).
    case amberStrict = "amber+strict"
    /// TLP:RED: the named recipients only.
    case red

    /// The extension definition that carries the TLP 2.0 level.
    public static let extensionID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

    /// Parses `clear`, `green`, `amber`, `amber+strict` or `red` (any case, `TLP:` prefix allowed).
    public init(parsing text: String) throws(ConsortiumError) {
        var t = text.lowercased()
        if t.hasPrefix("tlp:") { t.removeFirst(4) }
        guard let level = TLPMarking(rawValue: t) else {
            throw ConsortiumError("unknown TLP level '\(text)'; use clear, green, amber, amber+strict or red")
        }
        self = level
    }

    /// The marking definition's fixed id.
    public var id: String {
        switch self {
        case .clear: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
        case .green: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
        case .amber: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
        case .amberStrict: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
        case .red: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
        }
    }

    /// `TLP:AMBER+STRICT` and so on.
    public var name: String { "TLP:" + rawValue.uppercased() }

    /// The marking-definition object.
    public var object: JSONValue {
        [
            "type": "marking-definition",
            "spec_version": "2.1",
            "id": .string(id),
            "created": "2022-10-01T00:00:00.000Z",
            "name": .string(name),
            "extensions": .object(JSONObject([(Self.extensionID, [
                "extension_type": "property-extension",
                "tlp_2_0": .string(rawValue),
            ] as JSONValue)])),
        ]
    }
}

import AegisCore

/// The MITRE ATLAS technique a distillation campaign carries out: model
/// extraction through the inference API (AML.T0024.002, "Extract AI Model",
/// a sub-technique of AML.T0024, "Exfiltration via AI Inference API").
public enum ATLASTechnique {
    /// The ATLAS id.
    public static let externalID = "AML.T0024.002"
    /// The technique's name in ATLAS.
    public static let name = "Extract AI Model"

    /// The attack-pattern object. Its id depends only on the ATLAS id, so
    /// every Aegis provider refers to the same object.
    public static var object: JSONValue {
        [
            "type": "attack-pattern",
            "spec_version": "2.1",
            "id": .string(STIXIdentifier.object("attack-pattern", ["mitre-atlas": .string(externalID)])),
            "created": "2026-01-01T00:00:00.000Z",
            "modified": "2026-01-01T00:00:00.000Z",
            "name": .string(name),
            "description": "Harvesting a served model's answers through its inference API at scale to train a copy (distillation).",
            "external_references": [[
                "source_name": "mitre-atlas",
                "external_id": .string(externalID),
                "url": "https://atlas.mitre.org/techniques/AML.T0024.002",
            ]],
        ]
    }

    /// The object's id.
    public static var id: String { object["id"]?.stringValue ?? "" }
}

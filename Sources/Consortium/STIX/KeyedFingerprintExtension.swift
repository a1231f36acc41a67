import AegisCore

/// The custom observable `x-aegis-keyed-fingerprint`, defined by a STIX 2.1
/// extension-definition (`extension_types: ["new-sco"]`).
///
/// One object is one keyed digest: `kind` says of what (`payment`, `email`,
/// `email-domain`, `prompt-template`), `key_id` under which consortium key,
/// `digest` the 128-bit HMAC in hex; templates add `band_digests` (keyed LSH
/// bands) and `min_accounts` (the k it was published under).
public enum KeyedFingerprintExtension {
    /// The observable type.
    public static let type = "x-aegis-keyed-fingerprint"

    /// The identity that authors the extension definition: Aegis itself, not a provider.
    public static var authorIdentity: JSONValue {
        [
            "type": "identity",
            "spec_version": "2.1",
            "id": .string(STIXIdentifier.object("identity", ["name": "Aegis consortium exchange"])),
            "created": "2026-01-01T00:00:00.000Z",
            "modified": "2026-01-01T00:00:00.000Z",
            "name": "Aegis consortium exchange",
            "identity_class": "system",
        ]
    }

    /// The extension definition's id (deterministic, the same at every provider).
    public static var id: String {
        STIXIdentifier.object("extension-definition", ["name": .string(type), "version": "1.0.0"])
    }

    /// The extension-definition object.
    public static var definition: JSONValue {
        [
            "type": "extension-definition",
            "spec_version": "2.1",
            "id": .string(id),
            "created_by_ref": authorIdentity["id"] ?? .null,
            "created": "2026-01-01T00:00:00.000Z",
            "modified": "2026-01-01T00:00:00.000Z",
            "name": .string(type),
            "description": """
                A keyed digest shared between members of one consortium: HMAC-SHA256 (first 128 bits, hex) under \
                the sub-key of `kind` derived by HKDF-SHA256 from the consortium key named by `key_id`.
                """,
            "schema": """
                Properties: kind (string: payment, email, email-domain or prompt-template), key_id (string), \
                digest (32 hex digits), band_digests (list of 32-hex-digit strings, prompt-template only), \
                min_accounts (integer, prompt-template only). Id-contributing properties: kind, key_id, digest.
                """,
            "version": "1.0.0",
            "extension_types": ["new-sco"],
        ]
    }

    /// The observable for one digest.
    public static func observable(kind: String, keyID: String, digest: String, bands: [String] = [],
                                  minAccounts: Int? = nil) -> JSONValue {
        var object = JSONObject([
            ("type", .string(type)),
            ("spec_version", "2.1"),
            ("id", .string(STIXIdentifier.observable(type, [
                "kind": .string(kind), "key_id": .string(keyID), "digest": .string(digest),
            ]))),
            ("kind", .string(kind)),
            ("key_id", .string(keyID)),
            ("digest", .string(digest)),
        ])
        if !bands.isEmpty { object.append(key: "band_digests", value: .array(bands.map { .string($0) })) }
        if let minAccounts { object.append(key: "min_accounts", value: .number(Double(minAccounts))) }
        object.append(key: "extensions", value: .object(JSONObject([(id, ["extension_type": "new-sco"] as JSONValue)])))
        return .object(object)
    }
}

import AegisCore
import Crypto

/// STIX identifiers (`type--UUID`), deterministic where the object allows it.
///
/// A name-based UUID (RFC 9562 version 5: SHA-1 over namespace and name) of the
/// object's canonical JSON means that two providers who build the same object
/// give it the same id, so a TAXII collection holds it once.
public enum STIXIdentifier {
    /// The namespace STIX 2.1 assigns for the ids of cyber-observable objects.
    public static let observableNamespace: [UInt8] = [
        0x00, 0xab, 0xed, 0xb4, 0xaa, 0x42, 0x46, 0x6c, 0x9c, 0x01, 0xfe, 0xd2, 0x33, 0x15, 0xa9, 0xb7,
    ]

    /// Aegis's namespace for the deterministic ids of domain and relationship
    /// objects: the version-5 UUID of the name "aegis.consortium" in the
    /// observable namespace, so it is reproducible rather than arbitrary.
    public static let aegisNamespace: [UInt8] = uuid5Bytes(namespace: observableNamespace,
                                                           name: Array("aegis.consortium".utf8))

    /// The version-5 UUID of `name` in `namespace`, as its 16 bytes.
    public static func uuid5Bytes(namespace: [UInt8], name: [UInt8]) -> [UInt8] {
        var hasher = Insecure.SHA1()
        hasher.update(data: namespace)
        hasher.update(data: name)
        var bytes = Array(hasher.finalize().prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return bytes
    }

    /// The version-5 UUID of `name` in `namespace`, in its usual text form.
    public static func uuid5(namespace: [UInt8], name: [UInt8]) -> String {
        format(uuid5Bytes(namespace: namespace, name: name))
    }

    /// A random (version-4) UUID in text form, for objects that must be unique.
    public static func uuid4() -> String {
        var bytes = SystemRandom.bytes(16)
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return format(bytes)
    }

    /// The id of an observable of `type` whose id-contributing properties are `properties`
    /// (STIX 2.1 §2.9: UUIDv5 of their canonical JSON in the observable namespace).
    public static func observable(_ type: String, _ properties: JSONValue) -> String {
        type + "--" + uuid5(namespace: observableNamespace, name: JSONWriter.canonical.bytes(properties))
    }

    /// The id of a domain or relationship object of `type` defined by `identity`
    /// (whatever makes two such objects the same one), in Aegis's namespace.
    public static func object(_ type: String, _ identity: JSONValue) -> String {
        var name = Array(type.utf8)
        name.append(0x3A)
        name += JSONWriter.canonical.bytes(identity)
        return type + "--" + uuid5(namespace: aegisNamespace, name: name)
    }

    /// True when `id` is `type--` followed by a well-formed UUID.
    public static func isValid(_ id: String) -> Bool {
        guard let range = id.range(of: "--") else { return false }
        let type = id[..<range.lowerBound], uuid = id[range.upperBound...]
        guard !type.isEmpty, uuid.utf8.count == 36 else { return false }
        for (i, c) in uuid.utf8.enumerated() {
            let isHex = (0x30...0x39).contains(c) || (0x61...0x66).contains(c) || (0x41...0x46).contains(c)
            if [8, 13, 18, 23].contains(i) ? c != UInt8(ascii: "-") : !isHex { return false }
        }
        return true
    }

    private static func format(_ b: [UInt8]) -> String {
        let hex = Hex.encode(b)
        let c = Array(hex)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-"
            + String(c[20..<32])
    }
}

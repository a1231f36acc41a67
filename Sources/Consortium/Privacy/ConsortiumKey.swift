import AegisCore
import Crypto
import Detection
import Foundation

/// The secret the members of one consortium share to hash what they publish.
///
/// Payment fingerprints, e-mail values and template fingerprints leave a
/// provider only as HMAC-SHA256 digests under a sub-key of this key, so a
/// party without the key cannot test guesses against them (docs/exchange.md,
/// threat model). The key id travels with every digest: after a rotation,
/// members keep the old key for matching until its indicators expire.
public struct ConsortiumKey: Sendable, Equatable {
    /// The key's public name, e.g. `2026-11`; published with every digest.
    public let id: String
    private let secret: [UInt8]
    /// The sub-keys of the purposes Aegis uses, derived once (HKDF per digest
    /// would dominate publishing and matching).
    private let subkeys: [String: [UInt8]]

    /// Every purpose a digest is made for.
    static let purposes = ["payment", "email", "email-domain", "template", "template-band", "template-minhash"]

    /// Creates a key from its id and 32 secret bytes.
    public init(id: String, secret: [UInt8]) throws(ConsortiumError) {
        guard !id.isEmpty, id.utf8.count <= 64, id.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw ConsortiumError("a consortium key id must be 1-64 letters, digits, '-', '_' or '.' (got '\(id)')")
        }
        guard secret.count >= 32 else {
            throw ConsortiumError("a consortium key must have at least 32 bytes (64 hex digits); make one with `aegis keys new`")
        }
        self.id = id
        self.secret = secret
        var subkeys: [String: [UInt8]] = [:]
        for purpose in Self.purposes { subkeys[purpose] = Self.derive(secret, purpose) }
        self.subkeys = subkeys
    }

    /// Parses `ID:HEX`, the form of the AEGIS_CONSORTIUM_KEY variable.
    public init(text: String) throws(ConsortiumError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let colon = trimmed.lastIndex(of: ":"), let bytes = Hex.decode(trimmed[trimmed.index(after: colon)...]) else {
            throw ConsortiumError("a consortium key is written ID:HEX, e.g. 2026-11:<64 hex digits from `aegis keys new`>")
        }
        try self.init(id: String(trimmed[..<colon]), secret: bytes)
    }

    /// Loads keys from a file holding one `ID:HEX` per line (the first is the current one).
    public static func load(path: String) throws(ConsortiumError) -> [ConsortiumKey] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConsortiumError("cannot read the consortium key file \(path); write one line ID:HEX (hex from `aegis keys new`)")
        }
        var keys: [ConsortiumKey] = []
        for line in text.split(whereSeparator: \.isNewline) where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            keys.append(try ConsortiumKey(text: String(line)))
        }
        guard !keys.isEmpty else { throw ConsortiumError("the consortium key file \(path) is empty; write one line ID:HEX") }
        return keys
    }

    /// The sub-key of one use (`payment`, `email`, `template`…), so digests of
    /// different kinds never coincide and one kind's key reveals nothing of another.
    func subkey(_ purpose: String) -> SymmetricKey {
        SymmetricKey(data: subkeys[purpose] ?? Self.derive(secret, purpose))
    }

    private static func derive(_ secret: [UInt8], _ purpose: String) -> [UInt8] {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: secret), salt: Array("aegis consortium".utf8),
                               info: Array(purpose.utf8), outputByteCount: 32).withUnsafeBytes { Array($0) }
    }

    /// The keyed digest of `value` for `purpose`: 128 bits of HMAC-SHA256, as hex.
    public func digest(_ purpose: String, _ value: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: value, using: subkey(purpose))
        return Hex.encode(Array(code).prefix(16))
    }

    /// The keyed digest of a text value after trimming and lower-casing.
    public func digest(_ purpose: String, text: String) -> String {
        digest(purpose, Array(text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().utf8))
    }

    /// The sketch hash every member uses for template MinHash, so equal
    /// templates give equal band keys at every provider (and at no outsider).
    public var templateHasher: KeyedHash {
        let bytes = subkeys["template-minhash"] ?? Self.derive(secret, "template-minhash")
        var k0: UInt64 = 0, k1: UInt64 = 0
        for i in 0..<8 {
            k0 |= UInt64(bytes[i]) << (8 * UInt64(i))
            k1 |= UInt64(bytes[8 + i]) << (8 * UInt64(i))
        }
        return KeyedHash(k0: k0, k1: k1)
    }
}

import AegisCore
import Crypto
import Foundation

/// Turns API-key secrets into keyed hashes (HMAC-SHA256 under a server secret).
///
/// A stolen database alone does not let anyone test guesses offline: the
/// server secret lives in a separate file. Secrets carry 256 random bits, so
/// a fast keyed hash is enough (no password stretching needed).
public struct KeyHasher: Sendable {
    private let secret: [UInt8]

    /// Creates a hasher from a 32-byte server secret.
    public init(secret: [UInt8]) {
        self.secret = secret
    }

    /// The keyed hash of a bearer secret.
    public func hash(_ bearer: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(bearer.utf8), using: SymmetricKey(data: secret)))
    }

    /// Compares two byte strings in time that depends only on their lengths.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    /// A new bearer secret: "sk-aegis-" and 256 random bits as hex.
    public static func newSecret() -> String {
        "sk-aegis-" + Hex.encode(SystemRandom.bytes(32))
    }

    /// Loads the server secret from `path`, creating it (mode 0600) when absent.
    public static func loadOrCreateSecret(at path: String) throws -> [UInt8] {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            guard let data = manager.contents(atPath: path),
                  let text = String(data: data, encoding: .utf8),
                  let bytes = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32
            else { throw StoreError.secretFile(path: path, problem: "is not 64 hex digits") }
            return bytes
        }
        let bytes = SystemRandom.bytes(32)
        let created = manager.createFile(atPath: path, contents: Data((Hex.encode(bytes) + "\n").utf8),
                                         attributes: [.posixPermissions: 0o600])
        guard created else { throw StoreError.secretFile(path: path, problem: "cannot be created") }
        return bytes
    }
}

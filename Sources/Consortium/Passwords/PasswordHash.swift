import AegisCore
import Crypto
import Foundation
import _CryptoExtras

/// A salted, slow password hash in one self-describing string:
/// `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>`.
///
/// Only this string is stored; the password itself never is. The iteration
/// count travels with the hash, so it can be raised later without breaking
/// stored users (they are re-hashed when their password is next set).
///
/// PBKDF2-HMAC-SHA256 (RFC 8018) is swift-crypto's (`KDF.Insecure.PBKDF2`,
/// BoringSSL's assembly SHA-256 on Linux): as fast as the hand-written fast
/// path it replaced in release builds, and unaffected by debug builds, where
/// Swift code runs unoptimised (docs/exchange.md has the figures).
public struct PasswordHash: Sendable, Equatable {
    /// Rounds for new hashes: OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
    public static let defaultIterations = 600_000

    /// PBKDF2 rounds.
    public let iterations: Int
    /// The random salt (16 bytes for new hashes).
    public let salt: [UInt8]
    /// The derived key (32 bytes).
    public let hash: [UInt8]

    /// Hashes `password` with a fresh random salt.
    public init(password: String, iterations: Int = PasswordHash.defaultIterations) throws(ConsortiumError) {
        precondition(iterations > 0, "PBKDF2 needs at least one round")
        self.iterations = iterations
        salt = SystemRandom.bytes(16)
        guard let hash = Self.derive(password, salt: salt, iterations: iterations, length: 32) else {
            throw ConsortiumError("the password could not be hashed (the crypto library failed, most likely out of memory); try again")
        }
        self.hash = hash
    }

    /// Parses a stored hash string.
    public init(encoded: String) throws(ConsortiumError) {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), rounds > 0,
              let salt = Data(base64Encoded: String(parts[2])), let hash = Data(base64Encoded: String(parts[3])),
              !salt.isEmpty, hash.count == 32
        else {
            throw ConsortiumError("a stored password hash is damaged; set the user's password again with `aegis exchange users add`")
        }
        iterations = rounds
        self.salt = Array(salt)
        self.hash = Array(hash)
    }

    /// The string to store.
    public var encoded: String {
        "pbkdf2-sha256$\(iterations)$\(Data(salt).base64EncodedString())$\(Data(hash).base64EncodedString())"
    }

    /// Whether `password` is the one hashed, compared in constant time.
    public func verify(_ password: String) -> Bool {
        guard let candidate = Self.derive(password, salt: salt, iterations: iterations, length: hash.count) else {
            return false
        }
        var difference: UInt8 = 0
        for i in 0..<hash.count { difference |= candidate[i] ^ hash[i] }
        return difference == 0
    }

    /// PBKDF2-HMAC-SHA256 of `password`; nil only when the library fails.
    private static func derive(_ password: String, salt: [UInt8], iterations: Int, length: Int) -> [UInt8]? {
        // `unsafeUncheckedRounds`: the checked variant refuses fewer than 210,000
        // rounds, and stored hashes (and tests) may carry fewer.
        let key = try? KDF.Insecure.PBKDF2.deriveKey(from: Array(password.utf8), salt: salt, using: .sha256,
                                                     outputByteCount: length, unsafeUncheckedRounds: iterations)
        return key?.withUnsafeBytes { Array($0) }
    }
}

import AegisCore
import Consortium
import Crypto
import Foundation
import Testing
import _CryptoExtras

@Suite struct PasswordTests {
    private func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

    /// swift-crypto's PBKDF2 (what ``PasswordHash`` uses) against RFC 6070's HMAC-SHA1 vectors.
    @Test func pbkdf2MatchesRFC6070() throws {
        func pbkdf2(_ password: String, _ salt: String, _ rounds: Int, _ length: Int) throws -> String {
            hex(try KDF.Insecure.PBKDF2.deriveKey(from: Array(password.utf8), salt: Array(salt.utf8), using: .insecureSHA1,
                                                  outputByteCount: length, unsafeUncheckedRounds: rounds).withUnsafeBytes { Array($0) })
        }
        #expect(try pbkdf2("password", "salt", 1, 20) == "0c60c80f961f0e71f3a9b524af6012062fe037a6")
        #expect(try pbkdf2("password", "salt", 2, 20) == "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957")
        #expect(try pbkdf2("password", "salt", 4096, 20) == "4b007901b765489abead49d926f721d065a429c1")
        #expect(try pbkdf2("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 25)
            == "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038")
    }

    /// A stored hash made from RFC 7914's PBKDF2-HMAC-SHA256 vectors (their first 32 bytes,
    /// the length ``PasswordHash`` stores) verifies its password and no other.
    @Test func passwordHashMatchesRFC7914() throws {
        func stored(_ rounds: Int, _ salt: String, _ hash: String) -> String {
            "pbkdf2-sha256$\(rounds)$\(Data(salt.utf8).base64EncodedString())$\(Data(Hex.decode(hash) ?? []).base64EncodedString())"
        }
        let one = try PasswordHash(encoded: stored(1, "salt", "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"))
        #expect(one.verify("passwd"))
        #expect(!one.verify("passwe"))
        let many = try PasswordHash(encoded: stored(80000, "NaCl", "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"))
        #expect(many.verify("Password"))
        #expect(!many.verify("password"))
    }

    @Test func passwordHashesAreSaltedAndVerify() throws {
        let a = try PasswordHash(password: "correct horse", iterations: 1000)
        let b = try PasswordHash(password: "correct horse", iterations: 1000)
        #expect(a.salt != b.salt)
        #expect(a.encoded != b.encoded)
        #expect(a.verify("correct horse"))
        #expect(!a.verify("correct horsE"))
        let parsed = try PasswordHash(encoded: a.encoded)
        #expect(parsed == a)
        #expect(parsed.verify("correct horse"))
        #expect(PasswordHash.defaultIterations >= 600_000)
        #expect(throws: ConsortiumError.self) { try PasswordHash(encoded: "md5$abc") }
    }
}

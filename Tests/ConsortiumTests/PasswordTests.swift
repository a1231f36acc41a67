import AegisCore
import Consortium
import Crypto
import Testing

@Suite struct PasswordTests {
    private func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

    @Test func pbkdf2MatchesRFC6070() {
        let p = Array("password".utf8), s = Array("salt".utf8)
        #expect(hex(PBKDF2.deriveKey(Insecure.SHA1.self, password: p, salt: s, iterations: 1, length: 20))
            == "0c60c80f961f0e71f3a9b524af6012062fe037a6")
        #expect(hex(PBKDF2.deriveKey(Insecure.SHA1.self, password: p, salt: s, iterations: 2, length: 20))
            == "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957")
        #expect(hex(PBKDF2.deriveKey(Insecure.SHA1.self, password: p, salt: s, iterations: 4096, length: 20))
            == "4b007901b765489abead49d926f721d065a429c1")
        #expect(hex(PBKDF2.deriveKey(Insecure.SHA1.self, password: Array("passwordPASSWORDpassword".utf8),
                                     salt: Array("saltSALTsaltSALTsaltSALTsaltSALTsalt".utf8), iterations: 4096, length: 25))
            == "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038")
    }

    @Test func pbkdf2SHA256MatchesRFC7914() {
        #expect(hex(PBKDF2.deriveKey(SHA256.self, password: Array("passwd".utf8), salt: Array("salt".utf8),
                                     iterations: 1, length: 64))
            == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
        #expect(hex(PBKDF2.deriveKey(SHA256.self, password: Array("Password".utf8), salt: Array("NaCl".utf8),
                                     iterations: 80000, length: 64))
            == "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d")
    }

    @Test func theSHA256FastPathEqualsTheGenericConstruction() {
        for (password, salt, rounds, length) in [("p", "s", 1, 32), ("a much longer password than sixty-four bytes, so it is hashed first", "salt", 3, 77),
                                                 ("", "NaCl", 1000, 20), ("pw", "", 7, 64)] {
            #expect(PBKDF2.deriveKey(SHA256.self, password: Array(password.utf8), salt: Array(salt.utf8), iterations: rounds, length: length)
                == PBKDF2.generic(SHA256.self, password: Array(password.utf8), salt: Array(salt.utf8), iterations: rounds, length: length))
        }
    }

    @Test func passwordHashesAreSaltedAndVerify() throws {
        let a = PasswordHash(password: "correct horse", iterations: 1000)
        let b = PasswordHash(password: "correct horse", iterations: 1000)
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

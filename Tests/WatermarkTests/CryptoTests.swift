import Crypto
import Testing
@testable import Watermark

/// The watermark's key schedule (swift-crypto's SHA-256, HMAC and HKDF) and its
/// hand-written per-token PRF (SipHash) against their published test vectors.
@Suite struct CryptoTests {
    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String($0, radix: 16).leftPadded(2) }.joined() }
    private func bytes(_ range: ClosedRange<UInt8>) -> [UInt8] { Array(range) }

    private func sha256(_ message: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: message)) }

    @Test func sha256MatchesFIPSExamples() {
        #expect(hex(sha256([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(sha256(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex(sha256([UInt8](repeating: 0x61, count: 1_000_000)))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func hmacMatchesRFC4231() {
        #expect(hex(HMACSHA256.authenticationCode(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(hex(HMACSHA256.authenticationCode(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // Case 6: a key longer than the block is hashed first.
        #expect(hex(HMACSHA256.authenticationCode(key: [UInt8](repeating: 0xaa, count: 131),
                                                  message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func hkdfMatchesRFC5869() {
        #expect(hex(Watermark.HKDF.deriveKey(inputKeyMaterial: [UInt8](repeating: 0x0b, count: 22), salt: bytes(0x00...0x0c),
                                   info: bytes(0xf0...0xf9), length: 42))
                == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
        #expect(hex(Watermark.HKDF.deriveKey(inputKeyMaterial: bytes(0x00...0x4f), salt: bytes(0x60...0xaf),
                                   info: bytes(0xb0...0xff), length: 82))
                == "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87")
        #expect(hex(Watermark.HKDF.deriveKey(inputKeyMaterial: [UInt8](repeating: 0x0b, count: 22), salt: [], info: [], length: 42))
                == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")
    }

    /// The 64 vectors of the SipHash-2-4 reference implementation: key 00…0f, message 00…(n−1).
    static let sipHashVectors: [UInt64] = [
        0x726fdb47dd0e0e31, 0x74f839c593dc67fd, 0x0d6c8009d9a94f5a, 0x85676696d7fb7e2d, 0xcf2794e0277187b7, 0x18765564cd99a68d,
        0xcbc9466e58fee3ce, 0xab0200f58b01d137, 0x93f5f5799a932462, 0x9e0082df0ba9e4b0, 0x7a5dbbc594ddb9f3, 0xf4b32f46226bada7,
        0x751e8fbc860ee5fb, 0x14ea5627c0843d90, 0xf723ca908e7af2ee, 0xa129ca6149be45e5, 0x3f2acc7f57c29bdb, 0x699ae9f52cbe4794,
        0x4bc1b3f0968dd39c, 0xbb6dc91da77961bd, 0xbed65cf21aa2ee98, 0xd0f2cbb02e3b67c7, 0x93536795e3a33e88, 0xa80c038ccd5ccec8,
        0xb8ad50c6f649af94, 0xbce192de8a85b8ea, 0x17d835b85bbb15f3, 0x2f2e6163076bcfad, 0xde4daaaca71dc9a5, 0xa6a2506687956571,
        0xad87a3535c49ef28, 0x32d892fad841c342, 0x7127512f72f27cce, 0xa7f32346f95978e3, 0x12e0b01abb051238, 0x15e034d40fa197ae,
        0x314dffbe0815a3b4, 0x027990f029623981, 0xcadcd4e59ef40c4d, 0x9abfd8766a33735c, 0x0e3ea96b5304a7d0, 0xad0c42d6fc585992,
        0x187306c89bc215a9, 0xd4a60abcf3792b95, 0xf935451de4f21df2, 0xa9538f0419755787, 0xdb9acddff56ca510, 0xd06c98cd5c0975eb,
        0xe612a3cb9ecba951, 0xc766e62cfcadaf96, 0xee64435a9752fe72, 0xa192d576b245165a, 0x0a8787bf8ecb74b2, 0x81b3e73d20b49b6f,
        0x7fa8220ba3b2ecea, 0x245731c13ca42499, 0xb78dbfaf3a8d83bd, 0xea1ad565322a1a0b, 0x60e61c23a3795013, 0x6606d7e446282b93,
        0x6ca4ecb15c5f91e1, 0x9f626da15c9625f3, 0xe51b38608ef25f57, 0x958a324ceb064572,
    ]

    @Test func sipHashMatchesReferenceVectors() {
        let key = SipHash(keyBytes: Array(0...15))
        for (length, expected) in Self.sipHashVectors.enumerated() {
            #expect(key.hash(Array(0..<UInt8(length))) == expected, "message length \(length)")
        }
    }

    @Test func sipHashFastPathsEqualTheByteForm() {
        let key = SipHash(keyBytes: Array(0...15))
        let bytes16 = Array(UInt8(0)...UInt8(15))
        let word = { (offset: Int) in (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes16[offset + $1]) << UInt64(8 * $1) } }
        #expect(key.hash(word(0), word(8)) == Self.sipHashVectors[16])
        #expect(key.hash(word(0), thirteenByteTail: word(8)) == Self.sipHashVectors[13])
        #expect(key.hash(fourBytes: 0x0302_0100) == Self.sipHashVectors[4])
        [word(0), word(8)].withUnsafeBufferPointer { #expect(key.hash(words: $0) == Self.sipHashVectors[16]) }
        for count in 0...5 {
            let tokens: [Int32] = (0..<count).map { Int32(bitPattern: 0x0302_0100 &+ UInt32($0) &* 0x0404_0404) }
            let asBytes = tokens.flatMap { t in (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: t) >> UInt32(8 * $0)) } }
            tokens.withUnsafeBufferPointer { #expect(key.hash(tokens: $0) == key.hash(asBytes)) }
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

import Testing
@testable import AegisCore

@Suite struct HexTests {
    @Test func roundTrips() {
        let bytes: [UInt8] = [0x00, 0x01, 0xab, 0xff, 0x10]
        #expect(Hex.encode(bytes) == "0001abff10")
        #expect(Hex.decode("0001ABff10") == bytes)
    }

    @Test func rejectsMalformedText() {
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("") == [])
    }

    @Test func randomBytesDiffer() {
        #expect(SystemRandom.bytes(32) != SystemRandom.bytes(32))
        #expect(SystemRandom.bytes(32).count == 32)
    }
}

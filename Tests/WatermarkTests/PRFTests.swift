import AegisCore
import Testing
@testable import Watermark

@Suite struct PRFTests {
    private func outputs(_ prf: WatermarkPRF) -> [UInt64] {
        let window: [TokenID] = [5, 17, 300, 48_000]
        return window.withUnsafeBufferPointer { w in
            let seed = prf.seed(window: w)
            return (0..<64).map { prf.value(seed: seed, token: TokenID($0)) } + [seed, prf.anchor(9), prf.minimumAnchor(window: w)]
        }
    }

    @Test func sameKeySameOutputs() {
        #expect(outputs(WatermarkPRF(key: TestKeys.first, scheme: .kgw)) == outputs(WatermarkPRF(key: TestKeys.first, scheme: .kgw)))
    }

    @Test func anyKeyBitChangesEverything() throws {
        let base = outputs(WatermarkPRF(key: TestKeys.first, scheme: .kgw))
        for bit in [0, 7, 100, 255] {
            var bytes = TestKeys.first.bytes
            bytes[bit / 8] ^= UInt8(1 << (bit % 8))
            let flipped = outputs(WatermarkPRF(key: try WatermarkKey(bytes: bytes), scheme: .kgw))
            let equal = zip(base, flipped).filter { $0 == $1 }.count
            #expect(equal == 0, "bit \(bit): \(equal) outputs unchanged")
        }
    }

    @Test func schemesGetIndependentKeys() {
        let kgw = outputs(WatermarkPRF(key: TestKeys.first, scheme: .kgw))
        let gumbel = outputs(WatermarkPRF(key: TestKeys.first, scheme: .gumbel))
        #expect(zip(kgw, gumbel).allSatisfy { $0 != $1 })
    }

    @Test func greenFractionIsGamma() {
        let prf = WatermarkPRF(key: TestKeys.first, scheme: .kgw)
        let threshold = greenThresholdFor(gamma: 0.25)
        let greens = (0..<100_000).filter { prf.value(seed: 42, token: TokenID($0)) < threshold }.count
        // Binomial(100000, 0.25): sd ≈ 137; 5 sd.
        #expect(abs(greens - 25_000) < 700)
    }

    @Test func contextChangesTheSeed() {
        let prf = WatermarkPRF(key: TestKeys.first, scheme: .kgw)
        let a: [TokenID] = [1, 2, 3, 4], b: [TokenID] = [1, 2, 3, 5]
        let seeds = [a, b].map { $0.withUnsafeBufferPointer { prf.seed(window: $0) } }
        #expect(seeds[0] != seeds[1])
    }
}

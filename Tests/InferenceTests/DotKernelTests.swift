import Testing
@testable import Inference

/// The fast integer dot products against dequantise-then-float on synthetic blocks.
@Suite struct DotKernelTests {
    /// Deterministic pseudo-random bytes and floats.
    struct Stream {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
        mutating func float() -> Float { Float(next() >> 40) / Float(1 << 24) * 2 - 1 }
    }

    /// `blocks` blocks of `type` with random quants and small positive f16 scales.
    static func synthetic(_ type: GGMLType, blocks: Int, stream: inout Stream) -> [UInt8] {
        var bytes = (0..<(blocks * type.bytesPerBlock)).map { _ in stream.byte() }
        func setHalf(_ offset: Int, _ value: Float) {
            let bits = Float16(value).bitPattern
            bytes[offset] = UInt8(bits & 0xFF)
            bytes[offset + 1] = UInt8(bits >> 8)
        }
        for b in 0..<blocks {
            let base = b * type.bytesPerBlock
            switch type {
            case .q8_0, .q4_0: setHalf(base, 0.01 + 0.02 * abs(stream.float()))
            case .q4_1, .q4_K: setHalf(base, 0.01 + 0.02 * abs(stream.float())); setHalf(base + 2, 0.05 * stream.float())
            case .q6_K: setHalf(base + 208, 0.001 + 0.002 * abs(stream.float()))
            case .f16: setHalf(base, stream.float())
            case .f32:
                withUnsafeBytes(of: stream.float()) { for i in 0..<4 { bytes[base + i] = $0[i] } }
            default: break
            }
        }
        if type == .q8_0 {  // ggml never stores -128
            for b in 0..<blocks { for i in 2..<34 where bytes[b * 34 + i] == 0x80 { bytes[b * 34 + i] = 0x81 } }
        }
        return bytes
    }

    @Test(arguments: [GGMLType.q4_0, .q4_1, .q8_0, .q4_K, .q6_K, .f16, .f32])
    func dotProductMatchesDequantisedReference(type: GGMLType) {
        var stream = Stream(state: UInt64(type.rawValue))
        let columns = 512
        let weights = Self.synthetic(type, blocks: columns / type.blockSize, stream: &stream)
        let x = (0..<columns).map { _ in stream.float() }
        var dequantised = [Float](repeating: 0, count: columns)
        weights.withUnsafeBytes { w in
            dequantised.withUnsafeMutableBufferPointer {
                Dequantization.dequantize(type, row: w.baseAddress!, count: columns, into: $0.baseAddress!)
            }
        }
        let exact = zip(dequantised, x).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        let magnitude = zip(dequantised, x).reduce(Float(0)) { $0 + abs($1.0 * $1.1) }

        let activations = QuantizedActivations(columns: columns, capacity: 1)
        let fast: Float = x.withUnsafeBufferPointer { xs in
            activations.quantize(xs.baseAddress!, rows: 1)
            return weights.withUnsafeBytes { w in
                let row = w.baseAddress!
                switch type {
                case .q4_0: return DotKernels.q4_0(row, activations.row(0))
                case .q4_1: return DotKernels.q4_1(row, activations.row(0))
                case .q8_0: return DotKernels.q8_0(row, activations.row(0))
                case .q4_K: return DotKernels.q4_K(row, activations.row(0))
                case .q6_K: return DotKernels.q6_K(row, activations.row(0))
                case .f16: return DotKernels.f16(row, xs.baseAddress!, columns)
                default: return DotKernels.f32(row, xs.baseAddress!, columns)
                }
            }
        }
        // 8-bit activations cost about 0.4% of the summed magnitudes at most.
        #expect(abs(fast - exact) <= 0.01 * magnitude, "\(type.name): fast \(fast), reference \(exact)")
    }
}

/// Scalar dequantisation of every supported tensor type, following ggml's
/// block layouts. It is the reference the fast dot products are tested
/// against, and it serves the embedding lookup (one row per token).
public enum Dequantization {
    /// Writes the `count` values of a row of `type` that starts at `source`
    /// into `destination`. `count` must be a multiple of the type's block size.
    public static func dequantize(_ type: GGMLType, row source: UnsafeRawPointer,
                                  count: Int, into destination: UnsafeMutablePointer<Float>) {
        let blocks = count / type.blockSize
        for b in 0..<blocks {
            let block = source + b * type.bytesPerBlock
            let out = destination + b * type.blockSize
            switch type {
            case .f32: out[0] = block.loadUnaligned(as: Float.self)
            case .f16: out[0] = half(block, 0)
            case .q8_0: q8_0(block, out)
            case .q4_0: q4_0(block, out)
            case .q4_1: q4_1(block, out)
            case .q4_K: q4_K(block, out)
            case .q6_K: q6_K(block, out)
            default: for i in 0..<type.blockSize { out[i] = .nan }
            }
        }
    }

    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(p.loadUnaligned(fromByteOffset: offset, as: Float16.self))
    }

    @inline(__always)
    static func byte(_ p: UnsafeRawPointer, _ offset: Int) -> UInt8 {
        p.load(fromByteOffset: offset, as: UInt8.self)
    }

    // d: f16, 32 × int8.
    static func q8_0(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(b, 0)
        for i in 0..<32 { y[i] = d * Float(Int8(bitPattern: byte(b, 2 + i))) }
    }

    // d: f16, 16 bytes of nibbles: low nibbles are values 0–15, high 16–31; value = (q − 8)·d.
    static func q4_0(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(b, 0)
        for i in 0..<16 {
            let q = byte(b, 2 + i)
            y[i] = d * Float(Int(q & 0x0F) - 8)
            y[i + 16] = d * Float(Int(q >> 4) - 8)
        }
    }

    // d, m: f16, then nibbles as in Q4_0; value = q·d + m.
    static func q4_1(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(b, 0), m = half(b, 2)
        for i in 0..<16 {
            let q = byte(b, 4 + i)
            y[i] = d * Float(q & 0x0F) + m
            y[i + 16] = d * Float(q >> 4) + m
        }
    }

    /// The 6-bit scale and min of sub-block `j` (0..<8) of a Q4_K super-block,
    /// packed in 12 bytes at `scales`.
    @inline(__always)
    static func q4KScaleMin(_ scales: UnsafeRawPointer, _ j: Int) -> (scale: UInt8, min: UInt8) {
        if j < 4 {
            return (byte(scales, j) & 63, byte(scales, j + 4) & 63)
        }
        let scale = (byte(scales, j + 4) & 0x0F) | ((byte(scales, j - 4) >> 6) << 4)
        let min = (byte(scales, j + 4) >> 4) | ((byte(scales, j) >> 6) << 4)
        return (scale, min)
    }

    // 256 values: d, dmin: f16; 12 bytes of 6-bit scales/mins for 8 sub-blocks of
    // 32; 128 bytes of nibbles, 32 bytes per 64 values (low nibbles first).
    static func q4_K(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(b, 0), dmin = half(b, 2)
        let scales = b + 4, qs = b + 16
        for chunk in 0..<4 {
            let (s1, m1) = q4KScaleMin(scales, 2 * chunk)
            let (s2, m2) = q4KScaleMin(scales, 2 * chunk + 1)
            for l in 0..<32 {
                let q = byte(qs, 32 * chunk + l)
                y[64 * chunk + l] = d * Float(s1) * Float(q & 0x0F) - dmin * Float(m1)
                y[64 * chunk + 32 + l] = d * Float(s2) * Float(q >> 4) - dmin * Float(m2)
            }
        }
    }

    // 256 values: ql[128] low 4 bits, qh[64] high 2 bits, 16 int8 scales (one
    // per 16 values), d: f16; value = d·scale·(q − 32).
    static func q6_K(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(b, 208)
        for half in 0..<2 {
            let ql = b + 64 * half, qh = b + 128 + 32 * half, sc = b + 192 + 8 * half
            let out = y + 128 * half
            for l in 0..<32 {
                let s = l / 16
                let h = byte(qh, l)
                let q1 = Int(byte(ql, l) & 0x0F | (h & 3) << 4) - 32
                let q2 = Int(byte(ql, l + 32) & 0x0F | ((h >> 2) & 3) << 4) - 32
                let q3 = Int(byte(ql, l) >> 4 | ((h >> 4) & 3) << 4) - 32
                let q4 = Int(byte(ql, l + 32) >> 4 | ((h >> 6) & 3) << 4) - 32
                out[l] = d * Float(Int8(bitPattern: byte(sc, s))) * Float(q1)
                out[l + 32] = d * Float(Int8(bitPattern: byte(sc, s + 2))) * Float(q2)
                out[l + 64] = d * Float(Int8(bitPattern: byte(sc, s + 4))) * Float(q3)
                out[l + 96] = d * Float(Int8(bitPattern: byte(sc, s + 6))) * Float(q4)
            }
        }
    }
}

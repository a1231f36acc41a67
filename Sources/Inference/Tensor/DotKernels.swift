/// Dot products of one weight row with one quantised activation row.
///
/// Integer kernels in the manner of llama.cpp: weights are unpacked into 16-bit
/// lanes in the same even/odd order as ``QuantizedActivations``, multiplied in
/// 16 bits (no product or pair sum can overflow), widened to 32-bit pair sums
/// with shifts, and scaled in float once per block of 32. With AVX2 each block
/// is about twenty vector instructions and nothing is reduced horizontally
/// until the end of the row.
enum DotKernels {
    /// Sums adjacent 16-bit lanes into 32-bit lanes (sign-extending each half).
    @inline(__always)
    static func pairSums(_ p: SIMD16<Int16>) -> SIMD8<Float> {
        let wide = unsafeBitCast(p, to: SIMD8<Int32>.self)
        return SIMD8<Float>(((wide &<< 16) &>> 16) &+ (wide &>> 16))
    }

    @inline(__always)
    static func signed(_ v: SIMD16<UInt16>) -> SIMD16<Int16> {
        unsafeBitCast(v, to: SIMD16<Int16>.self)
    }

    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(p.loadUnaligned(fromByteOffset: offset, as: Float16.self))
    }

    /// Even lanes (values 0,2,…,30) and odd lanes (1,3,…,31) of 16 bytes of
    /// nibbles laid out as in Q4_0/Q4_1 (low nibbles 0–15, high nibbles 16–31).
    @inline(__always)
    static func nibbles(_ p: UnsafeRawPointer) -> (even: SIMD16<Int16>, odd: SIMD16<Int16>) {
        let q = p.loadUnaligned(as: SIMD8<UInt16>.self)
        let even = SIMD16<UInt16>(lowHalf: q & 0x000F, highHalf: (q &>> 4) & 0x000F)
        let odd = SIMD16<UInt16>(lowHalf: (q &>> 8) & 0x000F, highHalf: q &>> 12)
        return (signed(even), signed(odd))
    }

    static func q4_1(_ row: UnsafeRawPointer, _ a: ActivationRow) -> Float {
        var acc = SIMD8<Float>()
        var offsets: Float = 0
        for b in 0..<a.blocks {
            let block = row + b * 20
            let (even, odd) = nibbles(block + 4)
            let p = even &* a.even(b) &+ odd &* a.odd(b)
            acc.addProduct(pairSums(p), SIMD8(repeating: half(block, 0) * a.scales[b]))
            offsets += half(block, 2) * a.sums[b]
        }
        return acc.sum() + offsets
    }

    static func q4_0(_ row: UnsafeRawPointer, _ a: ActivationRow) -> Float {
        var acc = SIMD8<Float>()
        var offsets: Float = 0
        for b in 0..<a.blocks {
            let block = row + b * 18
            let d = half(block, 0)
            let (even, odd) = nibbles(block + 2)
            let p = even &* a.even(b) &+ odd &* a.odd(b)
            acc.addProduct(pairSums(p), SIMD8(repeating: d * a.scales[b]))
            offsets -= 8 * d * a.sums[b]
        }
        return acc.sum() + offsets
    }

    static func q8_0(_ row: UnsafeRawPointer, _ a: ActivationRow) -> Float {
        var acc = SIMD8<Float>()
        for b in 0..<a.blocks {
            let block = row + b * 34
            let w = block.loadUnaligned(fromByteOffset: 2, as: SIMD16<Int16>.self)
            // |w| ≤ 128 and |a| ≤ 127, so an even+odd pair sum stays below 2^15.
            let p = ((w &<< 8) &>> 8) &* a.even(b) &+ (w &>> 8) &* a.odd(b)
            acc.addProduct(pairSums(p), SIMD8(repeating: half(block, 0) * a.scales[b]))
        }
        return acc.sum()
    }

    static func q4_K(_ row: UnsafeRawPointer, _ a: ActivationRow) -> Float {
        var acc = SIMD8<Float>()
        var offsets: Float = 0
        for s in 0..<(a.blocks / 8) {
            let block = row + s * 144
            let d = half(block, 0), dmin = half(block, 2)
            for chunk in 0..<4 {
                let q = block.loadUnaligned(fromByteOffset: 16 + 32 * chunk, as: SIMD16<UInt16>.self)
                for sub in 0..<2 {
                    let j = 2 * chunk + sub, b = 8 * s + j
                    let shifted = sub == 0 ? q : q &>> 4
                    let even = signed(shifted & 0x000F), odd = signed((shifted &>> 8) & 0x000F)
                    let (scale, min) = Dequantization.q4KScaleMin(block + 4, j)
                    let p = even &* a.even(b) &+ odd &* a.odd(b)
                    acc.addProduct(pairSums(p), SIMD8(repeating: d * Float(scale) * a.scales[b]))
                    offsets -= dmin * Float(min) * a.sums[b]
                }
            }
        }
        return acc.sum() + offsets
    }

    static func q6_K(_ row: UnsafeRawPointer, _ a: ActivationRow) -> Float {
        var acc = SIMD8<Float>()
        for s in 0..<(a.blocks / 8) {
            let block = row + s * 210
            let d = half(block, 208)
            for part in 0..<2 {
                let low0 = block.loadUnaligned(fromByteOffset: 64 * part, as: SIMD16<UInt16>.self)
                let low1 = block.loadUnaligned(fromByteOffset: 64 * part + 32, as: SIMD16<UInt16>.self)
                let high = block.loadUnaligned(fromByteOffset: 128 + 32 * part, as: SIMD16<UInt16>.self)
                let scales = block + 192 + 8 * part
                for quarter in 0..<4 {
                    // Quarter q takes nibble (q / 2) of ql[(q % 2) * 32 ...] and bits 2q…2q+1 of qh.
                    let low = quarter % 2 == 0 ? low0 : low1
                    let nibble = quarter < 2 ? low : low &>> 4
                    let bits = high &>> UInt16(2 * quarter)
                    let even = (nibble & 0x000F) | ((bits & 0x0003) &<< 4)
                    let odd = ((nibble &>> 8) & 0x000F) | (((bits &>> 8) & 0x0003) &<< 4)
                    let b = 8 * s + 4 * part + quarter
                    let p = (signed(even) &- 32) &* a.even(b) &+ (signed(odd) &- 32) &* a.odd(b)
                    let s0 = Float(scales.load(fromByteOffset: 2 * quarter, as: Int8.self))
                    let s1 = Float(scales.load(fromByteOffset: 2 * quarter + 1, as: Int8.self))
                    let scale = SIMD8<Float>(lowHalf: SIMD4(repeating: s0), highHalf: SIMD4(repeating: s1))
                    acc.addProduct(pairSums(p), scale * (d * a.scales[b]))
                }
            }
        }
        return acc.sum()
    }

    static func f32(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var acc = SIMD16<Float>()
        var i = 0
        while i + 16 <= count {
            acc.addProduct(row.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self),
                           UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self))
            i += 16
        }
        var sum = acc.sum()
        while i < count { sum += row.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) * x[i]; i += 1 }
        return sum
    }

    static func f16(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            var w = SIMD8<Float>()
            for lane in 0..<8 { w[lane] = half(row, 2 * (i + lane)) }
            acc.addProduct(w, UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self))
            i += 8
        }
        var sum = acc.sum()
        while i < count { sum += half(row, 2 * i) * x[i]; i += 1 }
        return sum
    }
}

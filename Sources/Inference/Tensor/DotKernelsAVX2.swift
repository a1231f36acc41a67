#if arch(x86_64) && os(Linux)
import _Builtin_intrinsics.intel

/// AVX2 versions of the hot dot products, on Swift's SIMD vector types
/// (`__m256i` is `SIMD4<Int64>`) with the instructions LLVM does not find on
/// its own: `vpmaddubsw` multiplies unsigned by signed bytes and adds pairs,
/// `vpmaddwd` adds pairs again, so a block of 32 products costs two
/// instructions, as in llama.cpp. Package.swift builds Inference for Haswell
/// on Linux, which these kernels require.
enum AVX2Kernels {
    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(p.loadUnaligned(fromByteOffset: offset, as: Float16.self))
    }

    /// The sum of 8 lanes in llama.cpp's order (hsum_float_8): the halves,
    /// then pairs. Float addition is not associative, and with 8-bit
    /// activations downstream a last-bit difference can change a rounding.
    @inline(__always)
    static func sum(_ v: __m256) -> Float {
        let quarter = v.lowHalf + v.highHalf
        return (quarter[0] + quarter[2]) + (quarter[1] + quarter[3])
    }

    /// 16 bytes of nibbles as 32 unsigned bytes: low nibbles first, then high.
    @inline(__always)
    static func nibbles(_ p: UnsafeRawPointer) -> __m256i {
        let q = p.loadUnaligned(as: __m128i.self)
        return _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(q, 4), q), _mm256_set1_epi8(0x0F))
    }

    /// Σ unsigned(x) · signed(y) over 32 bytes, as 8 float lanes.
    @inline(__always)
    static func products(_ x: __m256i, _ y: __m256i) -> __m256 {
        _mm256_cvtepi32_ps(_mm256_madd_epi16(_mm256_maddubs_epi16(x, y), _mm256_set1_epi16(1)))
    }

    /// Σ signed(x) · signed(y): moves x's sign onto y so the first operand is unsigned.
    @inline(__always)
    static func signedProducts(_ x: __m256i, _ y: __m256i) -> __m256 {
        products(_mm256_sign_epi8(x, x), _mm256_sign_epi8(y, x))
    }

    @inline(__always)
    static func activations(_ a: ActivationRow, _ b: Int) -> __m256i {
        a.quants.loadUnaligned(fromByteOffset: b * 32, as: __m256i.self)
    }

    /// Four activation rows against one weight row, unpacking each weight block
    /// once (prompt processing). Per row, the arithmetic and its order are
    /// those of the single-row kernels, so batched and token-by-token results
    /// are identical.
    @inline(__always)
    static func fourRows(_ row: UnsafeRawPointer, _ a: (ActivationRow, ActivationRow, ActivationRow, ActivationRow),
                         blockBytes: Int, signedWeights: Bool,
                         unpack: (UnsafeRawPointer) -> (weights: __m256i, scale: Float, offset: Float)) -> SIMD4<Float> {
        var acc0 = _mm256_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0
        var offsets = SIMD4<Float>()
        for b in 0..<a.0.blocks {
            let (w, d, m) = unpack(row + b * blockBytes)
            @inline(__always) func product(_ r: ActivationRow) -> __m256 {
                signedWeights ? signedProducts(w, activations(r, b)) : products(w, activations(r, b))
            }
            acc0 = _mm256_fmadd_ps(_mm256_set1_ps(d * a.0.scales[b]), product(a.0), acc0)
            acc1 = _mm256_fmadd_ps(_mm256_set1_ps(d * a.1.scales[b]), product(a.1), acc1)
            acc2 = _mm256_fmadd_ps(_mm256_set1_ps(d * a.2.scales[b]), product(a.2), acc2)
            acc3 = _mm256_fmadd_ps(_mm256_set1_ps(d * a.3.scales[b]), product(a.3), acc3)
            if m != 0 { offsets += m * SIMD4(a.0.sums[b], a.1.sums[b], a.2.sums[b], a.3.sums[b]) }
        }
        return SIMD4(sum(acc0), sum(acc1), sum(acc2), sum(acc3)) + offsets
    }

    static func q4_1x4(_ row: UnsafeRawPointer, _ a: (ActivationRow, ActivationRow, ActivationRow, ActivationRow)) -> SIMD4<Float> {
        fourRows(row, a, blockBytes: 20, signedWeights: false) { (nibbles($0 + 4), half($0, 0), half($0, 2)) }
    }

    static func q4_0x4(_ row: UnsafeRawPointer, _ a: (ActivationRow, ActivationRow, ActivationRow, ActivationRow)) -> SIMD4<Float> {
        fourRows(row, a, blockBytes: 18, signedWeights: true) {
            (_mm256_sub_epi8(nibbles($0 + 2), _mm256_set1_epi8(8)), half($0, 0), 0)
        }
    }

    static func q8_0x4(_ row: UnsafeRawPointer, _ a: (ActivationRow, ActivationRow, ActivationRow, ActivationRow)) -> SIMD4<Float> {
        fourRows(row, a, blockBytes: 34, signedWeights: true) {
            ($0.loadUnaligned(fromByteOffset: 2, as: __m256i.self), half($0, 0), 0)
        }
    }

    static func q4_1(_ row: UnsafeRawPointer, _ a: ActivationRow) -> Float {
        var acc = _mm256_setzero_ps()
        var offsets: Float = 0
        for b in 0..<a.blocks {
            let block = row + b * 20
            let p = products(nibbles(block + 4), activations(a, b))
            acc = _mm256_fmadd_ps(_mm256_set1_ps(half(block, 0) * a.scales[b]), p, acc)
            offsets += half(block, 2) * a.sums[b]
        }
        return sum(acc) + offsets
    }

    static func q4_0(_ row: UnsafeRawPointer, _ a: ActivationRow) -> Float {
        var acc = _mm256_setzero_ps()
        for b in 0..<a.blocks {
            let block = row + b * 18
            let weights = _mm256_sub_epi8(nibbles(block + 2), _mm256_set1_epi8(8))
            let p = signedProducts(weights, activations(a, b))
            acc = _mm256_fmadd_ps(_mm256_set1_ps(half(block, 0) * a.scales[b]), p, acc)
        }
        return sum(acc)
    }

    static func q8_0(_ row: UnsafeRawPointer, _ a: ActivationRow) -> Float {
        var acc = _mm256_setzero_ps()
        for b in 0..<a.blocks {
            let block = row + b * 34
            let weights = block.loadUnaligned(fromByteOffset: 2, as: __m256i.self)
            let p = signedProducts(weights, activations(a, b))
            acc = _mm256_fmadd_ps(_mm256_set1_ps(half(block, 0) * a.scales[b]), p, acc)
        }
        return sum(acc)
    }
}
#endif

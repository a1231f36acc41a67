/// Activation rows quantised to 8 bits in blocks of 32, ready for the integer
/// dot products of ``DotKernels``.
///
/// As in llama.cpp (Q8_0/Q8_1), each block keeps a scale `d = max|x| / 127`
/// and `d · Σq` (for the min/offset terms of Q4_0, Q4_1 and Q4_K), and the 32
/// values as signed bytes in order.
public final class QuantizedActivations: @unchecked Sendable {
    /// Values per row (a multiple of 32).
    public let columns: Int
    /// Rows the buffers can hold.
    public let capacity: Int
    /// Blocks of 32 per row.
    public var blocksPerRow: Int { columns / 32 }

    let quants: UnsafeMutablePointer<Int8>
    let scales: UnsafeMutablePointer<Float>
    let sums: UnsafeMutablePointer<Float>
    /// The float rows last quantised (for F32/F16 weights, which use them directly).
    private(set) var floats: UnsafePointer<Float>?

    /// Allocates room for `capacity` rows of `columns` values.
    public init(columns: Int, capacity: Int) {
        precondition(columns % 32 == 0, "activation rows must be a multiple of 32 long")
        self.columns = columns
        self.capacity = capacity
        quants = .allocate(capacity: capacity * columns)
        scales = .allocate(capacity: capacity * columns / 32)
        sums = .allocate(capacity: capacity * columns / 32)
    }

    deinit {
        quants.deallocate()
        scales.deallocate()
        sums.deallocate()
    }

    /// Quantises `rows` rows of `columns` floats (row-major) from `source`.
    /// The source must stay valid until the products that use it are done.
    public func quantize(_ source: UnsafePointer<Float>, rows: Int) {
        precondition(rows <= capacity)
        floats = source
        for block in 0..<(rows * blocksPerRow) {
            let x = UnsafeRawPointer(source + block * 32)
            let v0 = x.loadUnaligned(as: SIMD16<Float>.self)
            let v1 = x.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            let amax = max(v0.replacing(with: -v0, where: v0 .< 0).max(),
                           v1.replacing(with: -v1, where: v1 .< 0).max())
            // Exactly as llama.cpp's AVX2 quantize_row_q8_0/q8_1: multiply by
            // 127/max, round half to even, keep d and d·Σq as FP16. SmolLM2's
            // logits move by tenths of a nat with these details, so matching
            // them is what makes the outputs agree with llama.cpp's.
            let inverse: Float = amax != 0 ? 127 / amax : 0
            let q0 = (v0 * inverse).rounded(.toNearestOrEven)
            let q1 = (v1 * inverse).rounded(.toNearestOrEven)
            let out = quants + block * 32
            for i in 0..<16 {
                out[i] = Int8(q0[i])
                out[16 + i] = Int8(q1[i])
            }
            let sum = q0.sum() + q1.sum()
            let d = amax / 127
            scales[block] = Float(Float16(d))
            sums[block] = Float(Float16(d * sum))
        }
    }

    /// The quantised view of one row.
    @inline(__always)
    func row(_ index: Int) -> ActivationRow {
        let offset = index * blocksPerRow
        return ActivationRow(quants: UnsafeRawPointer(quants + offset * 32), scales: scales + offset,
                             sums: sums + offset, floats: floats.map { $0 + index * columns },
                             blocks: blocksPerRow)
    }
}

/// One quantised activation row: `blocks` blocks of 32 values.
struct ActivationRow {
    /// 32 signed bytes per block.
    let quants: UnsafeRawPointer
    let scales: UnsafePointer<Float>
    let sums: UnsafePointer<Float>
    let floats: UnsafePointer<Float>?
    let blocks: Int

    /// Values 0, 2, …, 30 of a block, sign-extended to 16 bits.
    @inline(__always) func even(_ block: Int) -> SIMD16<Int16> {
        let pairs = quants.loadUnaligned(fromByteOffset: block * 32, as: SIMD16<Int16>.self)
        return (pairs &<< 8) &>> 8
    }

    /// Values 1, 3, …, 31 of a block, sign-extended to 16 bits.
    @inline(__always) func odd(_ block: Int) -> SIMD16<Int16> {
        quants.loadUnaligned(fromByteOffset: block * 32, as: SIMD16<Int16>.self) &>> 8
    }
}

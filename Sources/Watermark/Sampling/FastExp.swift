/// e^x for x ≤ 0 (the only case a softmax needs after subtracting the maximum).
/// Range reduction x = n·ln2 + r, |r| ≤ ln2/2, then a degree-6 Taylor polynomial:
/// relative error below 2e-7, i.e. float precision. Only multiplies, adds, selects
/// and bit casts, so a plain loop over it is vectorised by LLVM (Swift's own SIMD
/// types lower masks and roundings lane by lane, which is slower than scalar expf).
@inline(__always)
func fastExp(_ x: Float) -> Float {
    let clamped = x < -87 ? -87 : x
    // Adding 1.5·2²³ rounds to the nearest integer and leaves it in the low mantissa bits.
    let shifted = clamped * 1.442_695_04 + 12_582_912
    let n = shifted - 12_582_912
    // ln 2 split in two parts so that n·ln2 is subtracted without rounding error.
    let r = clamped - n * 0.693_145_75 - n * 1.428_606_8e-6
    var p: Float = 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let exponent = (Int32(bitPattern: shifted.bitPattern) &- 0x4b40_0000 &+ 127) &<< 23
    let result = p * Float(bitPattern: UInt32(bitPattern: exponent))
    return x < -87 ? 0 : result
}

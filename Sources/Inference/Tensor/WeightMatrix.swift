/// A weight matrix of a GGUF file, used in place from the mapping.
///
/// Row `r` holds the weights of output `r` over all `columns` inputs, which is
/// how ggml stores `W` for `y = W·x`.
public struct WeightMatrix: @unchecked Sendable {
    /// The element encoding.
    public let type: GGMLType
    /// Outputs.
    public let rows: Int
    /// Inputs.
    public let columns: Int
    /// Bytes per row.
    public let rowBytes: Int
    let data: UnsafeRawPointer

    /// Wraps a 2-D tensor (`shape == [columns, rows]`) of a supported type.
    public init(_ tensor: GGUFTensor) throws(GGUFError) {
        guard let type = tensor.type, type.isSupported else {
            throw .unsupportedTensorType(name: tensor.name, type: tensor.type?.name ?? "ggml type \(tensor.rawType)")
        }
        guard tensor.shape.count <= 2, type == .f32 || type == .f16 || tensor.columns % 32 == 0 else {
            throw .malformed(path: tensor.name, what: "tensor '\(tensor.name)' has shape \(tensor.shape), not a matrix Aegis can multiply")
        }
        self.type = type
        rows = tensor.rows
        columns = tensor.columns
        rowBytes = tensor.columns / type.blockSize * type.bytesPerBlock
        data = tensor.data
    }

    /// The raw bytes of row `r`.
    @inline(__always)
    func row(_ r: Int) -> UnsafeRawPointer { data + r * rowBytes }

    /// Dequantises row `r` into `destination` (`columns` floats).
    public func dequantizeRow(_ r: Int, into destination: UnsafeMutablePointer<Float>) {
        Dequantization.dequantize(type, row: row(r), count: columns, into: destination)
    }

    /// `output[t][r] = Σ_c W[r][c] · x[t][c]` for the `batch` quantised rows of
    /// `input`, rows `rowRange` only; `output` rows are `outputStride` apart.
    func multiply(_ input: QuantizedActivations, batch: Int, rows rowRange: Range<Int>,
                  into output: UnsafeMutablePointer<Float>, outputStride: Int) {
        switch type {
        #if arch(x86_64) && os(Linux)
        case .q4_1: loop(input, batch, rowRange, output, outputStride, AVX2Kernels.q4_1, AVX2Kernels.q4_1x4)
        case .q8_0: loop(input, batch, rowRange, output, outputStride, AVX2Kernels.q8_0, AVX2Kernels.q8_0x4)
        case .q4_0: loop(input, batch, rowRange, output, outputStride, AVX2Kernels.q4_0, AVX2Kernels.q4_0x4)
        #else
        case .q4_1: loop(input, batch, rowRange, output, outputStride, DotKernels.q4_1)
        case .q8_0: loop(input, batch, rowRange, output, outputStride, DotKernels.q8_0)
        case .q4_0: loop(input, batch, rowRange, output, outputStride, DotKernels.q4_0)
        #endif
        case .q4_K: loop(input, batch, rowRange, output, outputStride, DotKernels.q4_K)
        case .q6_K: loop(input, batch, rowRange, output, outputStride, DotKernels.q6_K)
        case .f32, .f16:
            let floats = input.rowFloats
            for r in rowRange {
                for t in 0..<batch {
                    let x = floats + t * columns
                    output[t * outputStride + r] = type == .f32
                        ? DotKernels.f32(row(r), x, columns) : DotKernels.f16(row(r), x, columns)
                }
            }
        default:
            break  // Unsupported types are refused in `init`.
        }
    }

    typealias Rows4 = (ActivationRow, ActivationRow, ActivationRow, ActivationRow)

    /// Like the single-kernel loop, four tokens at a time through `kernel4`.
    @inline(__always)
    private func loop(_ input: QuantizedActivations, _ batch: Int, _ rowRange: Range<Int>,
                      _ output: UnsafeMutablePointer<Float>, _ stride: Int,
                      _ kernel: (UnsafeRawPointer, ActivationRow) -> Float,
                      _ kernel4: (UnsafeRawPointer, Rows4) -> SIMD4<Float>) {
        for r in rowRange {
            let weights = row(r)
            var t = 0
            while t + 4 <= batch {
                let dots = kernel4(weights, (input.row(t), input.row(t + 1), input.row(t + 2), input.row(t + 3)))
                for i in 0..<4 { output[(t + i) * stride + r] = dots[i] }
                t += 4
            }
            while t < batch {
                output[t * stride + r] = kernel(weights, input.row(t))
                t += 1
            }
        }
    }

    @inline(__always)
    private func loop(_ input: QuantizedActivations, _ batch: Int, _ rowRange: Range<Int>,
                      _ output: UnsafeMutablePointer<Float>, _ stride: Int,
                      _ kernel: (UnsafeRawPointer, ActivationRow) -> Float) {
        // Rows outer, tokens inner: a weight row is read from memory once and
        // then stays in L1 for every token of the batch.
        for r in rowRange {
            let weights = row(r)
            for t in 0..<batch {
                output[t * stride + r] = kernel(weights, input.row(t))
            }
        }
    }
}

extension QuantizedActivations {
    var rowFloats: UnsafePointer<Float> {
        guard let floats else { preconditionFailure("quantize() must run before a product") }
        return floats
    }
}

extension ThreadPool {
    /// `output[t] = W · x[t]` for the `batch` rows quantised in `input`, split
    /// over the pool's threads by output rows.
    func multiply(_ weights: WeightMatrix, _ input: QuantizedActivations, batch: Int,
                  into output: UnsafeMutablePointer<Float>) {
        withProducts(1, { $0.initializeElement(at: 0, to: (weights, output)) }) {
            multiply($0, input, batch: batch)
        }
    }

    /// Two products of the same input in one dispatch (gate and up).
    func multiply(_ a: WeightMatrix, _ b: WeightMatrix, _ input: QuantizedActivations, batch: Int,
                  into outputA: UnsafeMutablePointer<Float>, _ outputB: UnsafeMutablePointer<Float>) {
        withProducts(2, {
            $0.initializeElement(at: 0, to: (a, outputA))
            $0.initializeElement(at: 1, to: (b, outputB))
        }) { multiply($0, input, batch: batch) }
    }

    /// Three products of the same input in one dispatch (query, key, value).
    func multiply(_ a: WeightMatrix, _ b: WeightMatrix, _ c: WeightMatrix, _ input: QuantizedActivations,
                  batch: Int, into outputA: UnsafeMutablePointer<Float>,
                  _ outputB: UnsafeMutablePointer<Float>, _ outputC: UnsafeMutablePointer<Float>) {
        withProducts(3, {
            $0.initializeElement(at: 0, to: (a, outputA))
            $0.initializeElement(at: 1, to: (b, outputB))
            $0.initializeElement(at: 2, to: (c, outputC))
        }) { multiply($0, input, batch: batch) }
    }

    typealias Product = (weights: WeightMatrix, output: UnsafeMutablePointer<Float>)

    /// The products in a stack buffer: no heap allocation per token.
    private func withProducts(_ count: Int, _ fill: (UnsafeMutableBufferPointer<Product>) -> Void,
                              body: (UnsafeMutableBufferPointer<Product>) -> Void) {
        withUnsafeTemporaryAllocation(of: Product.self, capacity: count) { buffer in
            fill(buffer)
            body(buffer)
        }
    }

    /// Products of several matrices with one input, their rows concatenated
    /// and split evenly over the threads: one dispatch instead of one per
    /// matrix, which matters when a decode step is a few hundred microseconds.
    private func multiply(_ products: UnsafeMutableBufferPointer<Product>,
                          _ input: QuantizedActivations, batch: Int) {
        var total = 0
        for (weights, _) in products {
            precondition(weights.columns == input.columns, "matrix product with mismatched shapes")
            total += weights.rows
        }
        parallelFor(total, granularity: 16) { range in
            var first = 0
            for (weights, output) in products {
                let lower = max(range.lowerBound - first, 0), upper = min(range.upperBound - first, weights.rows)
                if lower < upper {
                    weights.multiply(input, batch: batch, rows: lower..<upper, into: output, outputStride: weights.rows)
                }
                first += weights.rows
            }
        }
    }
}

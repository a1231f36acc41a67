#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AegisCore

/// The forward pass of a Llama-family transformer over a batch of tokens.
///
/// Read top-down: embed, then per block RMSNorm → Q/K/V → RoPE → cache →
/// attention → output projection (+ residual) → RMSNorm → SwiGLU MLP
/// (+ residual); finally RMSNorm and the output head. Every matrix product
/// runs on the whole batch as matrix × matrix, so a weight row is read from
/// memory once per pass however many rows there are. Only the cache writes
/// and attention look at where each row goes: a prompt chunk is one sequence
/// at consecutive positions, a batched decoding step is one row per sequence.
struct Transformer {
    let model: LanguageModel
    let state: TransformerState
    let pool: ThreadPool

    /// Which positions of the batch need logits.
    enum LogitsRequest { case last, all }

    /// Runs `tokens` of sequence 0 at positions from `start` and writes logits
    /// into `state.logits`: one row for `.last`, one per token for `.all`.
    /// Returns the number of logit rows written.
    @discardableResult
    func forward(_ tokens: UnsafeBufferPointer<TokenID>, start: Int, logits request: LogitsRequest) -> Int {
        for t in tokens.indices { state.placements[t] = RowPlacement(sequence: 0, position: start + t) }
        let placements = UnsafeBufferPointer(start: state.placements, count: tokens.count)
        return forward(tokens, placements: placements, logits: request)
    }

    /// Runs `tokens` (at most `state.batchCapacity`), row `t` extending the
    /// cache of `placements[t].sequence` at `placements[t].position`; every
    /// earlier position of that sequence must already be in its cache.
    /// Writes logits as the other `forward`; `.all` gives one row per token.
    @discardableResult
    func forward(_ tokens: UnsafeBufferPointer<TokenID>, placements: UnsafeBufferPointer<RowPlacement>,
                 logits request: LogitsRequest) -> Int {
        let c = model.configuration, s = state
        let n = tokens.count, dim = c.embeddingLength
        let kvDim = c.keyValueLength, ffn = c.feedForwardLength

        for (t, token) in tokens.enumerated() {
            model.tokenEmbedding.dequantizeRow(Int(token), into: s.x + t * dim)
        }
        prepareRope(placements)

        for (l, layer) in model.layers.enumerated() {
            // Attention.
            rmsNorm(s.x, layer.attentionNorm, into: s.normed, rows: n, width: dim)
            s.embeddingActivations.quantize(s.normed, rows: n)
            pool.multiply(layer.query, layer.key, layer.value, s.embeddingActivations, batch: n,
                          into: s.query, s.key, s.value)
            if let bias = layer.queryBias { addBias(bias, to: s.query, rows: n) }
            if let bias = layer.keyBias { addBias(bias, to: s.key, rows: n) }
            if let bias = layer.valueBias { addBias(bias, to: s.value, rows: n) }
            applyRope(s.query, heads: c.headCount, rows: n)
            applyRope(s.key, heads: c.keyValueHeadCount, rows: n)
            // llama.cpp keeps keys and values in FP16 and rounds queries to FP16
            // for Q·K; SmolLM2's outputs shift visibly without the same rounding.
            for (t, place) in placements.enumerated() {
                let layerCache = s.cacheOffset(sequence: place.sequence, layer: l)
                roundToHalf(s.key + t * kvDim, into: s.keyCache + layerCache + place.position * kvDim, count: kvDim)
                // Values are stored transposed ([dimension][position]), as llama.cpp
                // does, so the weighted sum reads each dimension contiguously.
                for j in 0..<kvDim {
                    s.valueCache[layerCache + j * s.contextLength + place.position] = Float(Float16(s.value[t * kvDim + j]))
                }
            }
            roundToHalf(s.query, into: s.query, count: n * c.headCount * c.headDimension)
            attend(layer: l, placements)
            s.attentionActivations.quantize(s.attention, rows: n)
            pool.multiply(layer.attentionOutput, s.attentionActivations, batch: n, into: s.projected)
            add(s.projected, to: s.x, count: n * dim)

            // SwiGLU MLP.
            rmsNorm(s.x, layer.feedForwardNorm, into: s.normed, rows: n, width: dim)
            s.embeddingActivations.quantize(s.normed, rows: n)
            pool.multiply(layer.gate, layer.up, s.embeddingActivations, batch: n, into: s.gate, s.up)
            for i in 0..<(n * ffn) {
                let g = s.gate[i]
                s.gate[i] = g / (1 + expf(-g)) * s.up[i]
            }
            s.feedForwardActivations.quantize(s.gate, rows: n)
            pool.multiply(layer.down, s.feedForwardActivations, batch: n, into: s.projected)
            add(s.projected, to: s.x, count: n * dim)
        }

        // Output head, on the last row only unless every position is wanted.
        let first = request == .all ? 0 : n - 1
        let rows = n - first
        rmsNorm(s.x + first * dim, model.outputNorm, into: s.normed, rows: rows, width: dim)
        s.embeddingActivations.quantize(s.normed, rows: rows)
        pool.multiply(model.output, s.embeddingActivations, batch: rows, into: s.logits)
        return rows
    }

    // MARK: - Steps

    /// `out = x / sqrt(mean(x²) + ε) · weight`, row by row; the sum of
    /// squares in double and the rest in float, as llama.cpp.
    private func rmsNorm(_ x: UnsafeMutablePointer<Float>, _ weight: [Float],
                         into out: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        let epsilon = model.configuration.normEpsilon
        weight.withUnsafeBufferPointer { w in
            for r in 0..<rows {
                let row = x + r * width, target = out + r * width
                var sum: Double = 0
                for i in 0..<width { sum += Double(row[i] * row[i]) }
                let mean = Float(sum / Double(width))
                let scale = 1 / (mean + epsilon).squareRoot()
                for i in 0..<width { target[i] = row[i] * scale * w[i] }
            }
        }
    }

    private func addBias(_ bias: [Float], to x: UnsafeMutablePointer<Float>, rows: Int) {
        for r in 0..<rows {
            for i in bias.indices { x[r * bias.count + i] += bias[i] }
        }
    }

    /// The sum of 8 lanes in llama.cpp's order: halves, then pairs.
    @inline(__always)
    private func laneSum(_ v: SIMD8<Float>) -> Float {
        let quarter = v.lowHalf + v.highHalf
        return (quarter[0] + quarter[2]) + (quarter[1] + quarter[3])
    }

    private func roundToHalf(_ source: UnsafeMutablePointer<Float>, into target: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { target[i] = Float(Float16(source[i])) }
    }

    private func add(_ source: UnsafeMutablePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { target[i] += source[i] }
    }

    /// cos and sin of every rotary angle for the batch's positions.
    /// Angles in float, each pair's frequency the previous one's times
    /// base^(-2/d), as llama.cpp computes them (its values, to the last bit).
    private func prepareRope(_ placements: UnsafeBufferPointer<RowPlacement>) {
        let s = state, pairs = s.inverseFrequencies.count
        let c = model.configuration
        let step = powf(c.ropeBase, -2 / Float(c.ropeDimensions))
        for (t, place) in placements.enumerated() {
            var theta = Float(place.position)
            for i in 0..<pairs {
                s.ropeCos[t * pairs + i] = cosf(theta)
                s.ropeSin[t * pairs + i] = sinf(theta)
                theta *= step
            }
        }
    }

    /// Rotates each head's dimension pairs by its position's angles.
    private func applyRope(_ x: UnsafeMutablePointer<Float>, heads: Int, rows: Int) {
        let c = model.configuration, s = state, pairs = s.inverseFrequencies.count
        let headDim = c.headDimension
        // Interleaved rotates (2i, 2i+1); NeoX rotates (i, i + rotated/2).
        let stride = c.ropeStyle == .interleaved ? 2 : 1
        let partner = c.ropeStyle == .interleaved ? 1 : pairs
        for t in 0..<rows {
            for h in 0..<heads {
                let head = x + (t * heads + h) * headDim
                for i in 0..<pairs {
                    let cosine = s.ropeCos[t * pairs + i], sine = s.ropeSin[t * pairs + i]
                    let a = head[i * stride], b = head[i * stride + partner]
                    head[i * stride] = a * cosine - b * sine
                    head[i * stride + partner] = a * sine + b * cosine
                }
            }
        }
    }

    /// Causal grouped-query attention of each row's queries over its own
    /// sequence's cache, up to and including the row's position.
    private func attend(layer: Int, _ placements: UnsafeBufferPointer<RowPlacement>) {
        let rows = placements.count
        let c = model.configuration, s = state
        let headDim = c.headDimension, kvDim = c.keyValueLength
        let group = c.headCount / c.keyValueHeadCount
        let scale = 1 / Float(headDim).squareRoot()
        pool.parallelFor(rows * c.headCount) { range, worker in
            let scores = s.scores + worker * s.contextLength
            for task in range {
                let t = task / c.headCount, h = task % c.headCount
                let kvOffset = (h / group) * headDim
                let q = UnsafeRawPointer(s.query + (t * c.headCount + h) * headDim)
                let layerCache = s.cacheOffset(sequence: placements[t].sequence, layer: layer)
                let length = placements[t].position + 1
                // As llama.cpp without flash attention (its tiled F16 matrix
                // products): Q·K in eight lanes over the head's dimensions,
                // softmax summed in groups of eight positions, and the value
                // sum in eight lanes by position; F16 keys, values, queries
                // and weights.
                var maximum = -Float.infinity
                for p in 0..<length {
                    let k = UnsafeRawPointer(s.keyCache + layerCache + p * kvDim + kvOffset)
                    var dot = SIMD8<Float>()
                    for i in stride(from: 0, to: headDim, by: 8) {
                        dot.addProduct(q.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self),
                                       k.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self))
                    }
                    let score = laneSum(dot) * scale
                    scores[p] = score
                    maximum = max(maximum, score)
                }
                var total: Double = 0
                var group = SIMD8<Float>()
                for p in 0..<length {
                    let e = expf(scores[p] - maximum)
                    scores[p] = e
                    group[p % 8] = e
                    if p % 8 == 7 || p == length - 1 {
                        total += Double(laneSum(group))
                        group = SIMD8()
                    }
                }
                let inverse = Float(1 / total)
                for p in 0..<length { scores[p] = Float(Float16(scores[p] * inverse)) }
                let out = s.attention + (t * c.headCount + h) * headDim
                let values = s.valueCache + layerCache + kvOffset * s.contextLength
                for i in 0..<headDim {
                    let row = UnsafeRawPointer(values + i * s.contextLength)
                    var lanes = SIMD8<Float>()
                    var p = 0
                    while p + 8 <= length {
                        lanes.addProduct(row.loadUnaligned(fromByteOffset: 4 * p, as: SIMD8<Float>.self),
                                         UnsafeRawPointer(scores + p).loadUnaligned(as: SIMD8<Float>.self))
                        p += 8
                    }
                    var v = SIMD8<Float>(), w = SIMD8<Float>()
                    for lane in 0..<(length - p) {
                        v[lane] = row.load(fromByteOffset: 4 * (p + lane), as: Float.self)
                        w[lane] = scores[p + lane]
                    }
                    lanes.addProduct(v, w)
                    out[i] = laneSum(lanes)
                }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One step's sampling distribution after temperature, top-k and top-p, in one of
/// two forms that never need a sort of the whole vocabulary:
/// - *dense* (no truncation): a weight per token id and the sums of blocks of 64
///   weights, so a draw costs V/64 + 64 additions;
/// - *sparse* (top-k, or a top-p nucleus): the kept tokens by decreasing logit with
///   their weights. Top-k comes from a heap selection; the top-p nucleus from a
///   histogram of the weights, sorting only the tokens of its boundary.
/// Weights are e^((logit − max)/T), unnormalised; `total` is their sum.
struct StepDistribution {
    let buffers: SamplerScratch.Buffers
    private(set) var isDense = true
    private(set) var count = 0
    private(set) var total = 0.0
    private(set) var vocabularySize = 0

    static let blockSize = 64
    static let histogramBins = 2048

    init(buffers: SamplerScratch.Buffers) { self.buffers = buffers }

    /// Builds the distribution of `logits` whose maximum is `maximum`; without truncation,
    /// tokens more than `supportNats` below the best get weight 0.
    mutating func build(logits: UnsafeBufferPointer<Float>, maximum: Float, temperature: Float, topK: Int, topP: Float,
                        supportNats: Float = WatermarkSampler.supportCutoff) {
        vocabularySize = logits.count
        let inverseTemperature = 1 / temperature
        if topK > 0 && topK < logits.count {
            count = LogitScan.selectTop(topK, of: logits, into: buffers.keys)
            isDense = false
            total = 0
            for j in 0..<count {
                let weight = exp(Double((CandidateKey.logit(buffers.keys[j]) - maximum) * inverseTemperature))
                buffers.sparseWeights[j] = weight
                total += weight
            }
            if topP < 1 { cutNucleus(target: Double(max(topP, 0)) * total) }
            return
        }
        fillDenseWeights(logits, maximum: maximum, inverseTemperature: inverseTemperature, supportNats: supportNats)
        if topP < 1 { buildNucleus(logits, maximum: maximum, inverseTemperature: inverseTemperature, topP: topP) }
    }

    /// The token id at `index` in the kept set (dense: the token id itself).
    @inline(__always) func token(at index: Int) -> Int { isDense ? index : CandidateKey.index(buffers.keys[index]) }
    /// The weight of the kept entry at `index`.
    @inline(__always) func weight(at index: Int) -> Double {
        isDense ? Double(buffers.denseWeights[index]) : buffers.sparseWeights[index]
    }
    /// Number of entries to iterate over (dense: the whole vocabulary, zero weights included).
    var entries: Int { isDense ? vocabularySize : count }

    /// Draws a token id in proportion to the weights.
    func draw(using rng: inout some RandomNumberGenerator) -> Int {
        var target = Double.random(in: 0..<1, using: &rng) * total
        if !isDense {
            for j in 0..<count {
                target -= buffers.sparseWeights[j]
                if target < 0 { return CandidateKey.index(buffers.keys[j]) }
            }
            return CandidateKey.index(buffers.keys[max(count - 1, 0)])
        }
        let blocks = (vocabularySize + Self.blockSize - 1) / Self.blockSize
        var block = 0
        while block < blocks - 1 && target >= buffers.blockSums[block] {
            target -= buffers.blockSums[block]
            block += 1
        }
        let start = block * Self.blockSize, end = min(start + Self.blockSize, vocabularySize)
        var last = start
        for i in start..<end where buffers.denseWeights[i] > 0 {
            last = i
            target -= Double(buffers.denseWeights[i])
            if target < 0 { return i }
        }
        return last
    }

    private mutating func fillDenseWeights(_ logits: UnsafeBufferPointer<Float>, maximum: Float, inverseTemperature: Float,
                                           supportNats: Float) {
        let weights = buffers.denseWeights
        let floor = -supportNats
        total = 0
        var block = 0
        var start = 0
        while start < logits.count {
            let end = min(start + Self.blockSize, logits.count)
            // No reduction in this loop, so LLVM vectorises it.
            for i in start..<end {
                let x = (logits[i] - maximum) * inverseTemperature
                let w = fastExp(x)
                weights[i] = x < floor ? 0 : w
            }
            let sum = Self.sum(UnsafeBufferPointer(rebasing: weights[start..<end]))
            buffers.blockSums[block] = Double(sum)
            total += Double(sum)
            block += 1
            start = end
        }
    }

    /// A sum in eight lanes (SIMD additions are lowered well; a scalar float sum cannot be reordered).
    @inline(__always)
    private static func sum(_ values: UnsafeBufferPointer<Float>) -> Float {
        let raw = UnsafeRawPointer(values.baseAddress!)
        var lanes = SIMD8<Float>()
        var i = 0
        while i + 8 <= values.count {
            lanes += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        var total = lanes.sum()
        while i < values.count { total += values[i]; i += 1 }
        return total
    }

    /// Top-p on the dense weights: a histogram over the support (bins of cutoff/2048 nats)
    /// locates the boundary bin; only tokens at or above it are collected and sorted.
    private mutating func buildNucleus(_ logits: UnsafeBufferPointer<Float>, maximum: Float, inverseTemperature: Float, topP: Float) {
        let histogram = buffers.histogram
        for b in 0..<Self.histogramBins { histogram[b] = 0 }
        let binsPerNat = Float(Self.histogramBins) / WatermarkSampler.supportCutoff
        let weights = buffers.denseWeights
        for i in 0..<vocabularySize where weights[i] > 0 {
            let bin = min(Int((maximum - logits[i]) * inverseTemperature * binsPerNat), Self.histogramBins - 1)
            histogram[bin] += Double(weights[i])
        }
        // The nucleus's mass is measured against the whole distribution's, not the collected part's.
        let target = Double(max(topP, 0)) * total
        var cumulative = 0.0
        var boundary = Self.histogramBins - 1
        for b in 0..<Self.histogramBins {
            cumulative += histogram[b]
            if cumulative >= target { boundary = b; break }
        }
        // Every token in bins 0...boundary; its logit is at least this floor.
        let floor = maximum - Float(boundary + 1) / binsPerNat / inverseTemperature
        count = LogitScan.collect(logits, atLeast: floor, into: buffers.keys)
        CandidateKey.sort(buffers.keys, count: count)
        isDense = false
        total = 0
        for j in 0..<count {
            let weight = Double(weights[CandidateKey.index(buffers.keys[j])])
            buffers.sparseWeights[j] = weight
            total += weight
        }
        cutNucleus(target: target)
    }

    /// Keeps the shortest prefix of the sorted sparse entries whose mass reaches `target`.
    private mutating func cutNucleus(target: Double) {
        var cumulative = 0.0
        for j in 0..<count {
            cumulative += buffers.sparseWeights[j]
            if cumulative >= target {
                count = j + 1
                break
            }
        }
        total = cumulative
    }
}

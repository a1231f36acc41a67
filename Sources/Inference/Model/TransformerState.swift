#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where one row of a forward pass goes: the sequence whose cache it extends
/// and its position in that sequence.
struct RowPlacement {
    var sequence: Int
    var position: Int
}

/// The mutable memory of running sequences: one key/value cache per sequence
/// and the scratch buffers of a forward pass, all allocated once.
///
/// The caches are allocated for the whole context but only the pages of the
/// positions actually used become resident, so a short chat costs little
/// memory even with an 8k context.
final class TransformerState {
    let batchCapacity: Int
    let contextLength: Int
    /// Independent sequences, each with its own cache.
    let sequenceCapacity: Int
    private let blockCount: Int
    private let keyValueLength: Int

    // Per batch row: residual stream, normed input, attention and MLP buffers.
    let x: UnsafeMutablePointer<Float>
    let normed: UnsafeMutablePointer<Float>
    let query: UnsafeMutablePointer<Float>
    let key: UnsafeMutablePointer<Float>
    let value: UnsafeMutablePointer<Float>
    let attention: UnsafeMutablePointer<Float>
    let projected: UnsafeMutablePointer<Float>
    let gate: UnsafeMutablePointer<Float>
    let up: UnsafeMutablePointer<Float>
    /// Logits of up to `batchCapacity` positions.
    let logits: UnsafeMutablePointer<Float>

    let embeddingActivations: QuantizedActivations
    let attentionActivations: QuantizedActivations
    let feedForwardActivations: QuantizedActivations

    /// Keys: [sequence][layer][position][keyValueLength];
    /// values: [sequence][layer][keyValueLength][position].
    let keyCache: UnsafeMutablePointer<Float>
    let valueCache: UnsafeMutablePointer<Float>
    /// Attention scores, one row of `contextLength` per thread.
    let scores: UnsafeMutablePointer<Float>
    /// RoPE cos/sin per batch row, `ropeDimensions / 2` pairs each.
    let ropeCos: UnsafeMutablePointer<Float>
    let ropeSin: UnsafeMutablePointer<Float>
    /// RoPE inverse frequencies, `ropeDimensions / 2`.
    let inverseFrequencies: [Double]
    /// Placements of the batch rows, for callers that fill them per pass.
    let placements: UnsafeMutablePointer<RowPlacement>

    private var allocations: [UnsafeMutablePointer<Float>] = []

    init(configuration c: ModelConfiguration, contextLength: Int, batchCapacity: Int, threads: Int,
         sequenceCapacity: Int = 1) {
        self.batchCapacity = batchCapacity
        self.contextLength = contextLength
        self.sequenceCapacity = sequenceCapacity
        blockCount = c.blockCount
        keyValueLength = c.keyValueLength
        let qDim = c.headCount * c.headDimension
        var allocations: [UnsafeMutablePointer<Float>] = []
        func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
            allocations.append(p)
            return p
        }
        x = buffer(batchCapacity * c.embeddingLength)
        normed = buffer(batchCapacity * c.embeddingLength)
        query = buffer(batchCapacity * qDim)
        key = buffer(batchCapacity * c.keyValueLength)
        value = buffer(batchCapacity * c.keyValueLength)
        attention = buffer(batchCapacity * qDim)
        projected = buffer(batchCapacity * c.embeddingLength)
        gate = buffer(batchCapacity * c.feedForwardLength)
        up = buffer(batchCapacity * c.feedForwardLength)
        logits = buffer(batchCapacity * c.vocabularySize)
        keyCache = buffer(sequenceCapacity * c.blockCount * contextLength * c.keyValueLength)
        valueCache = buffer(sequenceCapacity * c.blockCount * contextLength * c.keyValueLength)
        scores = buffer(threads * contextLength)
        ropeCos = buffer(batchCapacity * c.ropeDimensions / 2)
        ropeSin = buffer(batchCapacity * c.ropeDimensions / 2)
        self.allocations = allocations
        placements = .allocate(capacity: batchCapacity)
        embeddingActivations = QuantizedActivations(columns: c.embeddingLength, capacity: batchCapacity)
        attentionActivations = QuantizedActivations(columns: qDim, capacity: batchCapacity)
        feedForwardActivations = QuantizedActivations(columns: c.feedForwardLength, capacity: batchCapacity)
        let pairs = c.ropeDimensions / 2
        inverseFrequencies = (0..<pairs).map { i in
            1 / pow(Double(c.ropeBase), Double(2 * i) / Double(c.ropeDimensions))
        }
    }

    /// Where layer `layer` of sequence `sequence` starts in both caches.
    @inline(__always)
    func cacheOffset(sequence: Int, layer: Int) -> Int {
        (sequence * blockCount + layer) * contextLength * keyValueLength
    }

    deinit {
        for p in allocations { p.deallocate() }
        placements.deallocate()
    }
}

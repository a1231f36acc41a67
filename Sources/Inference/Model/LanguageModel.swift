import AegisCore

/// A Llama-family model loaded from a GGUF file: configuration and weights.
///
/// Immutable and shareable between threads and sessions; matrices point into
/// the file's memory mapping, only the small norm and bias vectors are copied.
public final class LanguageModel: Sendable {
    /// The GGUF file (kept open: the weights live in its mapping).
    public let gguf: GGUFFile
    /// Hyper-parameters.
    public let configuration: ModelConfiguration
    let tokenEmbedding: WeightMatrix
    let outputNorm: [Float]
    let output: WeightMatrix
    let layers: [Layer]

    /// The weights of one transformer block.
    struct Layer: Sendable {
        let attentionNorm: [Float]
        let query: WeightMatrix, key: WeightMatrix, value: WeightMatrix, attentionOutput: WeightMatrix
        let queryBias: [Float]?, keyBias: [Float]?, valueBias: [Float]?
        let feedForwardNorm: [Float]
        let gate: WeightMatrix, up: WeightMatrix, down: WeightMatrix
    }

    /// Opens the model file at `path`.
    public convenience init(path: String) throws(GGUFError) {
        try self.init(gguf: GGUFFile(path: path))
    }

    /// Builds the model from an opened GGUF file, checking every tensor's type and shape.
    public init(gguf: GGUFFile) throws(GGUFError) {
        let config = try ModelConfiguration(gguf: gguf)
        let dim = config.embeddingLength, kv = config.keyValueLength, ffn = config.feedForwardLength
        let qDim = config.headCount * config.headDimension

        func matrix(_ name: String, _ columns: Int, _ rows: Int) throws(GGUFError) -> WeightMatrix {
            let m = try WeightMatrix(gguf.tensor(name))
            guard m.columns == columns, m.rows == rows else {
                throw .malformed(path: gguf.file.path, what: "tensor '\(name)' is \(m.columns)×\(m.rows), expected \(columns)×\(rows)")
            }
            return m
        }
        func vector(_ name: String, _ count: Int) throws(GGUFError) -> [Float] {
            let t = try gguf.tensor(name)
            guard let type = t.type, type == .f32 || type == .f16, t.shape == [count] else {
                throw .malformed(path: gguf.file.path, what: "tensor '\(name)' should be an F32 vector of \(count)")
            }
            var out = [Float](repeating: 0, count: count)
            out.withUnsafeMutableBufferPointer { Dequantization.dequantize(type, row: t.data, count: count, into: $0.baseAddress!) }
            return out
        }

        var layers: [Layer] = []
        for i in 0..<config.blockCount {
            let p = "blk.\(i)."
            let bias = config.hasAttentionBias
            layers.append(Layer(
                attentionNorm: try vector(p + "attn_norm.weight", dim),
                query: try matrix(p + "attn_q.weight", dim, qDim),
                key: try matrix(p + "attn_k.weight", dim, kv),
                value: try matrix(p + "attn_v.weight", dim, kv),
                attentionOutput: try matrix(p + "attn_output.weight", qDim, dim),
                queryBias: bias ? try vector(p + "attn_q.bias", qDim) : nil,
                keyBias: bias ? try vector(p + "attn_k.bias", kv) : nil,
                valueBias: bias ? try vector(p + "attn_v.bias", kv) : nil,
                feedForwardNorm: try vector(p + "ffn_norm.weight", dim),
                gate: try matrix(p + "ffn_gate.weight", dim, ffn),
                up: try matrix(p + "ffn_up.weight", dim, ffn),
                down: try matrix(p + "ffn_down.weight", ffn, dim)))
        }
        tokenEmbedding = try matrix("token_embd.weight", dim, config.vocabularySize)
        // A model without `output.weight` ties its output head to the embeddings.
        output = gguf.tensors["output.weight"] == nil
            ? tokenEmbedding : try matrix("output.weight", dim, config.vocabularySize)
        outputNorm = try vector("output_norm.weight", dim)
        self.layers = layers
        self.configuration = config
        self.gguf = gguf
    }

    /// The end-of-sequence token, if the file names one.
    public var endOfSequenceToken: TokenID? {
        gguf.metadata["tokenizer.ggml.eos_token_id"]?.int.map { TokenID($0) }
    }
}

/// The hyper-parameters of a Llama-family model, read from GGUF metadata.
public struct ModelConfiguration: Sendable, Equatable {
    /// The two ways of pairing dimensions for rotary position embeddings.
    public enum RopeStyle: Sendable, Equatable {
        /// Adjacent pairs (2i, 2i+1): GGUF `llama` (the converter permutes Q and K for it).
        case interleaved
        /// Halves (i, i + d/2): GPT-NeoX style, used by `qwen2`.
        case neox
    }

    /// `general.architecture`: "llama" or "qwen2".
    public let architecture: String
    /// Width of the residual stream.
    public let embeddingLength: Int
    /// Transformer blocks.
    public let blockCount: Int
    /// Hidden width of the SwiGLU MLP.
    public let feedForwardLength: Int
    /// Query heads.
    public let headCount: Int
    /// Key/value heads (grouped-query attention when fewer than `headCount`).
    public let keyValueHeadCount: Int
    /// Width of one head.
    public let headDimension: Int
    /// Dimensions rotated by RoPE (the whole head unless the file says otherwise).
    public let ropeDimensions: Int
    /// RoPE frequency base.
    public let ropeBase: Float
    /// How RoPE pairs dimensions.
    public let ropeStyle: RopeStyle
    /// RMSNorm epsilon.
    public let normEpsilon: Float
    /// The context length the model was trained for.
    public let contextLength: Int
    /// Vocabulary size (rows of the embedding table).
    public let vocabularySize: Int
    /// Whether Q, K and V have bias vectors (qwen2).
    public let hasAttentionBias: Bool

    /// Width of the key and value vectors of one position.
    public var keyValueLength: Int { keyValueHeadCount * headDimension }

    /// Reads the configuration of a `llama` or `qwen2` file.
    public init(gguf: GGUFFile) throws(GGUFError) {
        let arch = try gguf.string("general.architecture")
        switch arch {
        case "llama": ropeStyle = .interleaved; hasAttentionBias = false
        case "qwen2": ropeStyle = .neox; hasAttentionBias = true
        default: throw .unsupportedArchitecture(arch)
        }
        architecture = arch
        embeddingLength = try gguf.int("\(arch).embedding_length")
        blockCount = try gguf.int("\(arch).block_count")
        feedForwardLength = try gguf.int("\(arch).feed_forward_length")
        headCount = try gguf.int("\(arch).attention.head_count")
        keyValueHeadCount = gguf.metadata["\(arch).attention.head_count_kv"]?.int ?? headCount
        guard headCount > 0, keyValueHeadCount > 0, headCount % keyValueHeadCount == 0,
              embeddingLength % headCount == 0, blockCount > 0
        else { throw .malformed(path: gguf.file.path, what: "inconsistent attention heads (\(headCount) heads, \(keyValueHeadCount) key/value heads, width \(embeddingLength))") }
        headDimension = gguf.metadata["\(arch).attention.key_length"]?.int ?? embeddingLength / headCount
        ropeDimensions = gguf.metadata["\(arch).rope.dimension_count"]?.int ?? headDimension
        ropeBase = Float(gguf.metadata["\(arch).rope.freq_base"]?.double ?? 10_000)
        normEpsilon = Float(try gguf.double("\(arch).attention.layer_norm_rms_epsilon"))
        contextLength = try gguf.int("\(arch).context_length")
        // The kernels work on blocks of 32 values and heads in vectors of 16.
        guard embeddingLength % 32 == 0, feedForwardLength % 32 == 0, (headCount * headDimension) % 32 == 0,
              headDimension % 16 == 0, ropeDimensions <= headDimension, ropeDimensions % 2 == 0, contextLength > 0
        else {
            throw .malformed(path: gguf.file.path, what: "widths Aegis cannot run (embedding \(embeddingLength), feed-forward \(feedForwardLength), head \(headDimension))")
        }
        vocabularySize = try gguf.tensor("token_embd.weight").rows
    }
}

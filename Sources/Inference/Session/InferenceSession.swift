import AegisCore

/// One sequence being evaluated by a model: its key/value cache, the tokens
/// in it, and the threads that compute.
///
/// Use one session per conversation, from one thread at a time. Evaluating
/// tokens appends them to the cache; ``reset()`` empties it. Nothing is
/// allocated per token.
public final class InferenceSession {
    /// The model this session runs.
    public let model: LanguageModel
    /// Positions the cache holds.
    public let contextLength: Int
    /// Tokens evaluated so far (the cache's contents).
    public private(set) var tokens: [TokenID] = []

    let state: TransformerState
    let pool: ThreadPool
    private var transformer: Transformer { Transformer(model: model, state: state, pool: pool) }
    private var lastLogitsRow = 0

    /// Creates a session.
    /// - Parameters:
    ///   - contextLength: positions to hold; default and maximum the model's own.
    ///   - threadCount: compute threads; default, every processor.
    ///   - batchSize: prompt tokens per matrix × matrix pass.
    public init(model: LanguageModel, contextLength: Int? = nil, threadCount: Int? = nil,
                batchSize: Int = 64) {
        let config = model.configuration
        self.model = model
        self.contextLength = max(1, min(contextLength ?? config.contextLength, config.contextLength))
        let threads = max(1, threadCount ?? ThreadPool.processorCount)
        pool = ThreadPool(threadCount: threads)
        state = TransformerState(configuration: config, contextLength: self.contextLength,
                                 batchCapacity: max(1, batchSize), threads: threads)
    }

    /// Forgets every token; the next evaluation starts at position 0.
    public func reset() {
        tokens.removeAll(keepingCapacity: true)
    }

    /// Threads used for computing.
    public var threadCount: Int { pool.threadCount }

    /// Appends `newTokens` to the sequence and computes the logits that
    /// predict the token after the last one (see ``logits``).
    public func evaluate(_ newTokens: [TokenID]) throws(InferenceError) {
        try evaluate(newTokens, logitsForEachPosition: nil)
    }

    /// Appends `newTokens`; when `body` is given, calls it with each new
    /// position's index (in `newTokens`) and logits, in order.
    public func evaluate(_ newTokens: [TokenID],
                         logitsForEachPosition body: ((Int, UnsafeBufferPointer<Float>) -> Void)?) throws(InferenceError) {
        guard !newTokens.isEmpty else { throw .emptyInput }
        let vocabulary = model.configuration.vocabularySize
        for token in newTokens where token < 0 || Int(token) >= vocabulary {
            throw .tokenOutOfRange(token, vocabularySize: vocabulary)
        }
        guard tokens.count + newTokens.count <= contextLength else {
            throw .contextOverflow(needed: tokens.count + newTokens.count, available: contextLength)
        }
        let step = transformer
        newTokens.withUnsafeBufferPointer { all in
            var offset = 0
            while offset < all.count {
                let count = min(state.batchCapacity, all.count - offset)
                let chunk = UnsafeBufferPointer(rebasing: all[offset..<(offset + count)])
                let rows = step.forward(chunk, start: tokens.count + offset, logits: body == nil ? .last : .all)
                if let body {
                    for r in 0..<rows {
                        body(offset + r, UnsafeBufferPointer(start: state.logits + r * vocabulary, count: vocabulary))
                    }
                }
                lastLogitsRow = rows - 1
                offset += count
            }
        }
        tokens.append(contentsOf: newTokens)
    }

    /// The logits predicting the next token, valid until the next evaluation.
    public var logits: UnsafeMutableBufferPointer<Float> {
        let vocabulary = model.configuration.vocabularySize
        return UnsafeMutableBufferPointer(start: state.logits + lastLogitsRow * vocabulary, count: vocabulary)
    }
}

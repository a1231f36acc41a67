import AegisCore

/// Several independent sequences generated together.
///
/// Decoding one sequence reads every weight of the model for each token, so
/// it is bound by memory bandwidth. A batch session gives each sequence its
/// own key/value cache and position and, at every step, runs the next token
/// of every unfinished sequence through one forward pass: the matrix
/// products stream the weights once for all of them, while attention reads
/// each sequence's own cache. Every sequence's arithmetic is the same as in
/// a single ``InferenceSession``, so a batched completion is identical to the
/// one `generate` gives with the same prompt and sampler.
///
/// Use one batch session from one thread at a time; nothing is allocated per
/// token once a call has started.
public final class BatchSession {
    /// The model this session runs.
    public let model: LanguageModel
    /// Positions each sequence's cache holds.
    public let contextLength: Int
    /// The most sequences one call may generate.
    public let sequenceCapacity: Int

    let state: TransformerState
    let pool: ThreadPool
    /// Prompt tokens per forward pass (as ``InferenceSession``'s `batchSize`).
    private let promptChunk: Int
    /// One vocabulary row for drawing when the raw logits must be kept.
    private var scratch: [Float]

    /// Creates a session for up to `sequenceCount` sequences.
    /// - Parameters:
    ///   - contextLength: positions per sequence; default and maximum the
    ///     model's own. Each sequence reserves (but only touches what it
    ///     uses of) two caches of this length, so give what the longest
    ///     prompt and completion need.
    ///   - threadCount: compute threads; default, every processor.
    ///   - promptBatchSize: prompt tokens per matrix × matrix pass.
    public init(model: LanguageModel, sequenceCount: Int, contextLength: Int? = nil,
                threadCount: Int? = nil, promptBatchSize: Int = 64) {
        let config = model.configuration
        self.model = model
        self.contextLength = max(1, min(contextLength ?? config.contextLength, config.contextLength))
        sequenceCapacity = max(1, sequenceCount)
        promptChunk = max(1, promptBatchSize)
        let threads = max(1, threadCount ?? ThreadPool.processorCount)
        pool = ThreadPool(threadCount: threads)
        state = TransformerState(configuration: config, contextLength: self.contextLength,
                                 batchCapacity: max(promptChunk, sequenceCapacity), threads: threads,
                                 sequenceCapacity: sequenceCapacity)
        scratch = [Float](repeating: 0, count: config.vocabularySize)
    }

    /// Threads used for computing.
    public var threadCount: Int { pool.threadCount }

    /// Generates a completion for each prompt, sequence `i` drawing with
    /// `samplers[i]`: up to `maxTokens` tokens, stopping at any of
    /// `stopTokens`, exactly as ``InferenceSession/generate(prompt:maxTokens:sampler:stopTokens:onToken:)``
    /// does for each on its own.
    /// - Parameters:
    ///   - logProbabilities: also return each drawn token's log-probability
    ///     under the model (costs a log-sum-exp over the vocabulary per token).
    ///   - onToken: sees `(sequence, token)` as each is drawn; returning false
    ///     stops that sequence (`.cancelled`), the others go on.
    /// - Returns: one completion per prompt, in order. All share one clock:
    ///   the batch's throughput is the total of their tokens over the largest
    ///   `generationSeconds`.
    public func generate(prompts: [[TokenID]], maxTokens: Int, samplers: [Sampler],
                         stopTokens: Set<TokenID> = [], logProbabilities: Bool = false,
                         onToken: ((Int, TokenID) -> Bool)? = nil) throws(InferenceError) -> [Completion] {
        try validate(prompts, samplers)
        let vocabulary = model.configuration.vocabularySize
        var samplers = samplers
        var contexts = prompts.map { prompt in
            var context = prompt
            context.reserveCapacity(prompt.count + max(maxTokens, 0))
            return context
        }
        var generated = prompts.map { _ in [TokenID]() }
        var logProbs = prompts.map { _ in [Float]() }
        for i in prompts.indices {
            generated[i].reserveCapacity(max(maxTokens, 0))
            if logProbabilities { logProbs[i].reserveCapacity(max(maxTokens, 0)) }
        }
        var reasons = [Completion.StopReason](repeating: .length, count: prompts.count)
        var promptSeconds = [Double](repeating: 0, count: prompts.count)
        var ended = [Double](repeating: 0, count: prompts.count)
        // The sequences still running, in row order, and the tokens of a step's rows.
        var active: [Int] = []
        active.reserveCapacity(prompts.count)
        var rowTokens = [TokenID](repeating: 0, count: prompts.count)

        /// Draws sequence `i`'s next token from logits row `row`; false when it ends.
        func draw(_ i: Int, row: Int) -> Bool {
            let logits = UnsafeMutableBufferPointer(start: state.logits + row * vocabulary, count: vocabulary)
            let token: TokenID
            if logProbabilities {
                let normaliser = LogSoftmax.logSumExp(UnsafeBufferPointer(logits))
                token = scratch.withUnsafeMutableBufferPointer { copy in
                    _ = copy.initialize(fromContentsOf: logits)
                    return contexts[i].withUnsafeBufferPointer { samplers[i].sample(logits: copy, context: $0) }
                }
                if !stopTokens.contains(token) { logProbs[i].append(logits[Int(token)] - normaliser) }
            } else {
                token = contexts[i].withUnsafeBufferPointer { samplers[i].sample(logits: logits, context: $0) }
            }
            if stopTokens.contains(token) { reasons[i] = .stopToken; return false }
            generated[i].append(token)
            contexts[i].append(token)
            if let onToken, !onToken(i, token) { reasons[i] = .cancelled; return false }
            if generated[i].count >= maxTokens { reasons[i] = .length; return false }
            // As `generate`: full once every position holds an evaluated token.
            if contexts[i].count > contextLength { reasons[i] = .contextFull; return false }
            return true
        }

        // Prompts one sequence at a time (each already a matrix × matrix pass),
        // each followed by its first draw.
        for i in prompts.indices {
            let start = monotonicSeconds()
            evaluatePrompt(prompts[i], sequence: i)
            if maxTokens > 0, draw(i, row: 0) { active.append(i) }
            promptSeconds[i] = monotonicSeconds() - start
        }

        // Then one forward pass per step over every running sequence.
        let decodeStart = monotonicSeconds()
        for i in prompts.indices where !active.contains(i) { ended[i] = decodeStart }
        let transformer = Transformer(model: model, state: state, pool: pool)
        while !active.isEmpty {
            // Row r feeds sequence active[r]'s last drawn token at its position.
            for (row, i) in active.enumerated() {
                rowTokens[row] = contexts[i][contexts[i].count - 1]
                state.placements[row] = RowPlacement(sequence: i, position: contexts[i].count - 1)
            }
            _ = rowTokens.withUnsafeBufferPointer { tokens in
                transformer.forward(UnsafeBufferPointer(rebasing: tokens[..<active.count]),
                                    placements: UnsafeBufferPointer(start: state.placements, count: active.count),
                                    logits: .all)
            }
            var row = 0
            active.removeAll { i in
                defer { row += 1 }
                if draw(i, row: row) { return false }
                ended[i] = monotonicSeconds()
                return true
            }
        }

        return prompts.indices.map { i in
            var completion = Completion(tokens: generated[i], stopReason: reasons[i], promptTokens: prompts[i].count,
                                        promptSeconds: promptSeconds[i], generationSeconds: ended[i] - decodeStart)
            if logProbabilities { completion.logProbabilities = logProbs[i] }
            return completion
        }
    }

    /// Checks what `generate` will need before any work is done.
    private func validate(_ prompts: [[TokenID]], _ samplers: [Sampler]) throws(InferenceError) {
        guard prompts.count <= sequenceCapacity else {
            throw .batchTooLarge(sequences: prompts.count, capacity: sequenceCapacity)
        }
        guard prompts.count == samplers.count else {
            throw .samplerCountMismatch(prompts: prompts.count, samplers: samplers.count)
        }
        let vocabulary = model.configuration.vocabularySize
        for prompt in prompts {
            guard !prompt.isEmpty else { throw .emptyInput }
            for token in prompt where token < 0 || Int(token) >= vocabulary {
                throw .tokenOutOfRange(token, vocabularySize: vocabulary)
            }
            guard prompt.count <= contextLength else {
                throw .contextOverflow(needed: prompt.count, available: contextLength)
            }
        }
    }

    /// Fills sequence `sequence`'s cache with `prompt` from position 0; the
    /// logits predicting the next token end up in row 0.
    private func evaluatePrompt(_ prompt: [TokenID], sequence: Int) {
        let transformer = Transformer(model: model, state: state, pool: pool)
        prompt.withUnsafeBufferPointer { all in
            var offset = 0
            while offset < all.count {
                let count = min(promptChunk, all.count - offset)
                for t in 0..<count { state.placements[t] = RowPlacement(sequence: sequence, position: offset + t) }
                transformer.forward(UnsafeBufferPointer(rebasing: all[offset..<(offset + count)]),
                                    placements: UnsafeBufferPointer(start: state.placements, count: count),
                                    logits: .last)
                offset += count
            }
        }
    }
}

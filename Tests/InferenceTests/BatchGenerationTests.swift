import AegisCore
import Testing
@testable import Inference

/// Batched decoding gives each sequence exactly what single-sequence decoding
/// gives it: the matrix kernels compute every batch row with the same
/// arithmetic in the same order, so tokens and logits are equal, not just close.
@Suite(.serialized) struct BatchGenerationTests {
    static let model: LanguageModel? = TestModel.isInstalled ? try? LanguageModel(path: TestModel.path) : nil
    // Chat-formatted user messages of different lengths (token ids only).
    static let prompts: [[TokenID]] = [
        [1, 4093, 198, 19161, 253, 421, 30614, 563, 260, 3426, 30, 2, 198, 1, 520, 9531, 198],
        [1, 4093, 198, 2683, 314, 260, 3575, 282, 4649, 47, 2, 198, 1, 520, 9531, 198],
        [1, 4093, 198, 34666, 3893, 28, 1848, 2, 198, 1, 520, 9531, 198],
    ]
    static let steps = 12

    /// Single-sequence decoding of `tokens` after `prompt`: each token's
    /// log-probability and whether it was the most likely one.
    func singleSequence(_ session: InferenceSession, prompt: [TokenID],
                        tokens: [TokenID]) throws -> (logProbabilities: [Float], greedy: [Bool]) {
        session.reset()
        try session.evaluate(prompt)
        var logProbabilities: [Float] = [], greedy: [Bool] = []
        for token in tokens {
            let logits = UnsafeBufferPointer(session.logits)
            logProbabilities.append(logits[Int(token)] - LogSoftmax.logSumExp(logits))
            greedy.append(logits.indices.allSatisfy { logits[$0] <= logits[Int(token)] })
            try session.evaluate([token])
        }
        return (logProbabilities, greedy)
    }

    @Test func greedyBatchEqualsSingleSequences() throws {
        let model = try #require(Self.model, "run scripts/fetch-model first")
        let batch = BatchSession(model: model, sequenceCount: 4, contextLength: 64)
        let samplers = Self.prompts.map { _ in Sampler(configuration: .greedy) }
        let batched = try batch.generate(prompts: Self.prompts, maxTokens: Self.steps, samplers: samplers,
                                         logProbabilities: true)
        let session = InferenceSession(model: model, contextLength: 64)
        for (prompt, completion) in zip(Self.prompts, batched) {
            let single = try session.generate(prompt: prompt, maxTokens: Self.steps,
                                              sampler: Sampler(configuration: .greedy))
            #expect(completion.tokens == single.tokens)
            #expect(completion.stopReason == .length)
            let reference = try singleSequence(session, prompt: prompt, tokens: completion.tokens)
            let batchedLogProbabilities = try #require(completion.logProbabilities)
            #expect(reference.greedy.allSatisfy { $0 })
            for (ours, theirs) in zip(batchedLogProbabilities, reference.logProbabilities) {
                #expect(abs(ours - theirs) <= 1e-4, "batched \(ours) vs single \(theirs)")
            }
        }
    }

    @Test func sequencesThatEndEarlyLeaveTheOthersUnchanged() throws {
        let model = try #require(Self.model, "run scripts/fetch-model first")
        let batch = BatchSession(model: model, sequenceCount: 3, contextLength: 64)
        let configuration = SamplerConfiguration(temperature: 1, topP: 1, minP: 0, seed: 7)
        let samplers = Self.prompts.indices.map { i in
            var c = configuration
            c.seed = UInt64(i)
            return Sampler(configuration: c)
        }
        // Sequence 1 stops after its first token; the rows of the others shift up.
        let batched = try batch.generate(prompts: Self.prompts, maxTokens: Self.steps, samplers: samplers) { sequence, _ in
            sequence != 1
        }
        let session = InferenceSession(model: model, contextLength: 64)
        for i in Self.prompts.indices {
            let single = try session.generate(prompt: Self.prompts[i], maxTokens: i == 1 ? 1 : Self.steps,
                                              sampler: samplers[i])
            #expect(batched[i].tokens == single.tokens, "sequence \(i)")
        }
        #expect(batched[1].stopReason == .cancelled)
        #expect(batched[1].tokens.count == 1)
    }

    @Test func refusesBatchesThatDoNotFit() throws {
        let model = try #require(Self.model, "run scripts/fetch-model first")
        let batch = BatchSession(model: model, sequenceCount: 2, contextLength: 16)
        let greedy = Sampler(configuration: .greedy)
        #expect(throws: InferenceError.batchTooLarge(sequences: 3, capacity: 2)) {
            try batch.generate(prompts: Self.prompts, maxTokens: 1, samplers: [greedy, greedy, greedy])
        }
        #expect(throws: InferenceError.samplerCountMismatch(prompts: 2, samplers: 1)) {
            try batch.generate(prompts: [[1], [2]], maxTokens: 1, samplers: [greedy])
        }
        #expect(throws: InferenceError.contextOverflow(needed: 17, available: 16)) {
            try batch.generate(prompts: [Self.prompts[0]], maxTokens: 1, samplers: [greedy])
        }
    }
}

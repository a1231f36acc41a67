import AegisCore
import Foundation
import Testing
@testable import Watermark

/// `vllm-gumbel` against vLLM's own watermark code, run on CPU.
///
/// Fixtures/vllm-gumbel-vectors.json was written by `scripts/vllm-gumbel-vectors.py`, which
/// imports vLLM's watermark module (pure Python over torch) and records its inputs and
/// outputs. It was made on 2026-12-08 with:
///
///     python3 -m venv /tmp/vllm-vectors-venv
///     /tmp/vllm-vectors-venv/bin/pip install "torch==2.13.0+cpu"     # from PyPI
///     # /tmp/vllm-src: vLLM's files (never committed to Aegis), as the search tool stores them:
///     #   vllm/v1/watermarking/prfs/philox.py  blob commit 373305d65c78b7c368d46cd483a9fa92da71c8a6
///     #   vllm/v1/watermarking/prfs/base.py    blob commit 773dc86d8bf12bc18ab1ba06b1208f4d90a8ba02
///     #   vllm/v1/watermarking/prfs/__init__.py blob commit 76a80bf0201401fa60bc53e5226219cc5f1fe4ab
///     #   vllm/v1/watermarking/detector.py     blob commit a6d669adc4b8b8c0a4398e0491bcb6db73cafc7a
///     #   vllm/v1/watermarking/watermarker.py  blob commit 01c268bcd2def3eec9548e33c94184eb6b905867
///     #   vllm/v1/watermarking/gumbel.py       blob commit 01c268bcd2def3eec9548e33c94184eb6b905867
///     #     (its GumbelWatermarker and GumbelWatermarkDetector; the dual-key classes left out)
///     #   plus two stubs: vllm/config/watermarking.py (WatermarkPRFName and derive_watermark_key,
///     #   as in blob 01c268bc, without pydantic) and vllm/v1/worker/gpu/sample/gumbel.py (the
///     #   Triton random sampler, never reached on CPU)
///     /tmp/vllm-vectors-venv/bin/python scripts/vllm-gumbel-vectors.py \
///         --vllm-src /tmp/vllm-src --out Tests/WatermarkTests/Fixtures/vllm-gumbel-vectors.json
///
/// On CPU vLLM's sampler takes its torch path (`PhiloxPRF.uniform`, then argmax of
/// logits + −log(−log u)); on CUDA it takes a Triton kernel that its own tests hold equal to
/// the CPU path (`test_fused_watermarker_matches_cpu`). The CUDA kernel was not run here.
@Suite struct VLLMGumbelVectorTests {
    static let vectors: Vectors? = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/vllm-gumbel-vectors.json")
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(Vectors.self, from: data)
    }()

    struct Vectors: Decodable {
        struct UniformCase: Decodable { var word: UInt32; var uniform: Double }
        struct PRFCase: Decodable {
            var key: String; var context_width: Int; var context: [Int64]; var tokens: [Int64]
            var words: [UInt32]; var uniforms: [Double]
        }
        struct SamplingCase: Decodable {
            var key: String; var context_width: Int; var context: [Int64]
            var logits: [String]; var words: [UInt32]; var noise: [String]; var chosen: Int
        }
        struct DetectionCase: Decodable {
            var name: String; var key: String; var context_width: Int; var deduplicate_contexts: Bool
            var tokens: [TokenID]; var scored_contexts: [[Int64]]; var scored_targets: [TokenID]
            var token_scores: [Double]; var score: Double; var p_value: Double; var num_scored_tokens: Int
        }
        var uniform_map: [UniformCase]
        var prf: [PRFCase]
        var sampling: [SamplingCase]
        var detection: [DetectionCase]
    }

    func load() throws -> Vectors { try #require(Self.vectors, "Fixtures/vllm-gumbel-vectors.json is missing or unreadable") }

    /// The window vLLM's context holds, without its −1 padding (the PRF pads it back).
    func window(_ context: [Int64]) -> [TokenID] { context.drop { $0 == -1 }.map { TokenID(truncatingIfNeeded: $0) } }

    @Test func philoxMatchesTheRandom123KnownAnswers() {
        #expect(Philox4x32.block(SIMD4(0, 0, 0, 0), key: (0, 0)) == SIMD4(0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8))
        #expect(Philox4x32.block(SIMD4(.max, .max, .max, .max), key: (.max, .max))
                == SIMD4(0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd))
        #expect(Philox4x32.block(SIMD4(0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344), key: (0xa409_3822, 0x299f_31d0))
                == SIMD4(0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1))
    }

    @Test func wordToUniformIsVLLMs() throws {
        for item in try load().uniform_map {
            #expect(VLLMPhiloxPRF.uniform(item.word) == Float(item.uniform), "word \(item.word)")
        }
    }

    @Test func wordsAndUniformsAreVLLMsBitForBit() throws {
        let cases = try load().prf
        #expect(cases.count >= 100)
        for item in cases {
            let prf = VLLMPhiloxPRF(key: try #require(UInt64(item.key)))
            let state = window(item.context).withUnsafeBufferPointer { prf.contextState(window: $0, width: item.context_width) }
            for (j, token) in item.tokens.enumerated() {
                let word = prf.word(token: TokenID(truncatingIfNeeded: token), state: state)
                #expect(word == item.words[j], "key \(item.key) h \(item.context_width) context \(item.context) token \(token)")
                #expect(VLLMPhiloxPRF.uniform(word) == Float(item.uniforms[j]))
            }
        }
    }

    /// The chosen token equals vLLM's on every case, on both of the sampler's paths (dense:
    /// no truncation; sparse: top-k keeping exactly the finite logits). The float32 noise
    /// agrees to within one ulp of max(1, |noise|): Swift's logf and torch's vectorised log
    /// may round the inner −log u differently, which moves a noise near 0 by many of its own ulps
    /// but never by more than float resolution at the scale of the logits it is added to.
    @Test func samplerChoosesVLLMsToken() throws {
        var worst: Float = 0
        for item in try load().sampling {
            let key = try #require(UInt64(item.key))
            var configuration = WatermarkConfiguration(scheme: .vllmGumbel, key: WatermarkKey(vllmKey: key),
                                                       contextWidth: item.context_width)
            configuration.deduplicateContextsMaxHistory = 0
            let sampler = WatermarkSampler(configuration: configuration)
            let logits = try item.logits.map { try #require(Float($0)) }
            let prf = VLLMPhiloxPRF(key: key)
            let context = window(item.context)
            let state = context.withUnsafeBufferPointer { prf.contextState(window: $0, width: item.context_width) }
            for token in logits.indices {
                let word = prf.word(token: TokenID(token), state: state)
                #expect(word == item.words[token])
                let expected = try #require(Float(item.noise[token]))
                let noise = VLLMPhiloxPRF.gumbelNoise(word)
                worst = max(worst, abs(noise - expected) / max(1, abs(expected)).ulp)
            }
            let finite = logits.filter(\.isFinite).count
            for topK in [0, finite] {
                var scratch = logits
                var rng = SeededGenerator(seed: 1)
                let chosen = scratch.withUnsafeMutableBufferPointer { l in
                    context.withUnsafeBufferPointer { c in
                        sampler.sample(logits: l, context: c, temperature: 1, topK: topK, topP: 1, using: &rng)
                    }
                }
                #expect(Int(chosen) == item.chosen, "key \(item.key) h \(item.context_width) top-k \(topK)")
            }
        }
        #expect(worst <= 1, "Gumbel noise differs from torch's by \(worst) ulps of max(1, |noise|)")
    }

    /// Every token vLLM's detector scores gets the same score from Aegis's PRF, with and
    /// without vLLM's context deduplication.
    @Test func perTokenScoresAreVLLMs() throws {
        for item in try load().detection {
            let prf = VLLMPhiloxPRF(key: try #require(UInt64(item.key)))
            for (j, context) in item.scored_contexts.enumerated() {
                let state = window(context).withUnsafeBufferPointer { prf.contextState(window: $0, width: item.context_width) }
                let score = VLLMPhiloxPRF.score(prf.word(token: item.scored_targets[j], state: state))
                // −log1p(−u) in double: glibc's and torch's log1p may differ in the last bit.
                #expect(abs(score - item.token_scores[j]) <= 2 * item.token_scores[j].ulp, "\(item.name) position \(j)")
            }
        }
    }

    /// With `.context` deduplication Aegis's detector reproduces vLLM's whole verdict: the
    /// same tokens scored, the same statistic (to summation rounding) and the same p-value
    /// (to 1e-9 relative: the same Gamma(n, 1) tail by another formula).
    @Test func contextDeduplicationReproducesVLLMsVerdict() throws {
        for item in try load().detection where item.deduplicate_contexts {
            var configuration = WatermarkConfiguration(scheme: .vllmGumbel, key: WatermarkKey(vllmKey: try #require(UInt64(item.key))),
                                                       contextWidth: item.context_width)
            configuration.deduplication = .context
            let detector = WatermarkDetector(configuration: configuration)
            let tuples = try detector.scoredTuples(tokens: item.tokens, promptTokens: [])
            #expect(tuples.tokens == item.scored_targets, "\(item.name)")
            let verdict = try detector.detect(tokens: item.tokens)
            #expect(verdict.scoredTokens == item.num_scored_tokens, "\(item.name)")
            let statistic = verdict.score * Double(verdict.scoredTokens)
            #expect(abs(statistic - item.score) <= 1e-9 * max(1, item.score), "\(item.name): \(statistic) vs \(item.score)")
            #expect(abs(verdict.pValue - item.p_value) <= 1e-9 * item.p_value + 1e-300, "\(item.name): \(verdict.pValue) vs \(item.p_value)")
        }
    }

    /// Aegis's default rule (each (context, token) input once) scores what vLLM scores and,
    /// where a context recurs with a new token, that token too.
    @Test func prfInputDeduplicationScoresASupersetOfVLLMs() throws {
        for item in try load().detection where item.deduplicate_contexts {
            let configuration = WatermarkConfiguration(scheme: .vllmGumbel, key: WatermarkKey(vllmKey: try #require(UInt64(item.key))),
                                                       contextWidth: item.context_width)
            let verdict = try WatermarkDetector(configuration: configuration).detect(tokens: item.tokens)
            let padded = [Int64](repeating: -1, count: item.context_width) + item.tokens.map(Int64.init)
            let distinctInputs = Set(item.tokens.indices.map { i in "\(Array(padded[i..<(i + item.context_width)]))|\(item.tokens[i])" }).count
            #expect(verdict.scoredTokens == distinctInputs, "\(item.name)")
            #expect(verdict.scoredTokens >= item.num_scored_tokens)
        }
    }

    @Test func vllmsOwnUnitTestCountsHold() throws {
        var configuration = WatermarkConfiguration(scheme: .vllmGumbel, key: WatermarkKey(vllmKey: 42), contextWidth: 1)
        configuration.deduplication = .context
        let detector = WatermarkDetector(configuration: configuration)
        #expect(try detector.detect(tokens: [1, 1, 1, 1, 1]).scoredTokens == 2)
        #expect(try detector.detect(tokens: [1, 2, 1, 3]).scoredTokens == 3)
    }
}

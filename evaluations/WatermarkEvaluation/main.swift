// Watermark evaluation (not a unit test): calibration of the p-values under the
// null on human text, and detection power on watermarked text.
//
//   swift run -c release WatermarkEvaluation null  [--segments 5000] [--corpus PATH] [--model PATH]
//   swift run -c release WatermarkEvaluation power [--sequences 200]
//   swift run -c release WatermarkEvaluation smollm2 [--sequences 24] [--temperature 1]
//   swift run -c release WatermarkEvaluation keys [--segments 3000] [--keys 20]   (PerKeyValidity.swift)
//   swift run -c release WatermarkEvaluation served [--prompts 50] [--temperatures 1.0,0.7]   (ServedPower.swift)
//
// null: segments of 200 tokens of public-domain books (../shared/data/corpus,
// SmolLM2 tokenizer), tested with a fixed key; per scheme, the fraction of
// p-values below 1e-2 and 1e-3 with its binomial standard error, and the minimum.
// power: text sampled with the watermark from the synthetic next-token model
// (Zipf, mean entropy ≈ 2.1 nats/token, see SyntheticLanguageModel), detected at
// 50/100/200 tokens and after 10%/30% random token substitutions.
// smollm2: the same on SmolLM2-135M-Instruct's own answers to the Vicuna questions
// (../shared/data/prompts), generated with the watermark by the built-in engine.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AegisCore
import Foundation
import Inference
@_spi(Evaluation) import Watermark

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: String) -> String {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}
let mode = arguments.count > 1 && !arguments[1].hasPrefix("--") ? arguments[1] : "all"
let key: WatermarkKey
do {
    key = try WatermarkKey(hex: option("--key", "9f1c2b7a5e3d4c6b8a0f1e2d3c4b5a69788796a5b4c3d2e1f001122334455667"))
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}

func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
func scientific(_ value: Double) -> String { String(format: "%.2e", value) }

/// The schemes evaluated, each with its documented defaults.
let schemes: [(name: String, configuration: WatermarkConfiguration)] = [
    ("KGW SelfHash h=4 (default)", WatermarkConfiguration(scheme: .kgw, key: key)),
    ("KGW LeftHash h=1", WatermarkConfiguration(scheme: .kgw, key: key, contextWidth: 1, seeding: .leftHash)),
    ("Gumbel h=4", WatermarkConfiguration(scheme: .gumbel, key: key)),
    ("SynthID m=30 h=4", WatermarkConfiguration(scheme: .synthid, key: key)),
]

// MARK: Null calibration on human text

func nullCalibration() throws {
    // ../shared/data from the project root; ../../shared/data from a git worktree one level deeper.
    let corpusPath = option("--corpus", ["../shared/data", "../../shared/data"].map { $0 + "/corpus/gutenberg_en_20mb.txt" }
        .first { FileManager.default.fileExists(atPath: $0) } ?? "../shared/data/corpus/gutenberg_en_20mb.txt")
    guard let corpus = FileManager.default.contents(atPath: corpusPath) else {
        throw InvalidInput("the human-text corpus is missing at \(corpusPath) (expected ../shared/data/corpus/gutenberg_en_20mb.txt); pass --corpus PATH")
    }
    let tokenizer = try Tokenizer(gguf: try GGUFFile(path: option("--model", "models/SmolLM2-135M-Instruct.Q4_1.gguf")))
    let wanted = Int(option("--segments", "5000")) ?? 5000
    let length = 200
    // Segments start at evenly spaced offsets over the whole corpus (all 69 books), at a word boundary.
    var segments: [[TokenID]] = []
    let stride = corpus.count / (wanted + 1)
    for index in 0..<wanted {
        var start = (index + 1) * stride
        while start < corpus.count && corpus[start] != UInt8(ascii: " ") { start += 1 }
        let end = min(corpus.count, start + 2_000)
        let text = String(decoding: corpus[start..<end], as: UTF8.self)
        let tokens = tokenizer.encode(text, parseSpecialTokens: false)
        if tokens.count >= length + 1 { segments.append(Array(tokens[1...length])) }
    }
    for freshKeys in [true, false] {
        print("## Null calibration, \(freshKeys ? "a fresh key for every segment" : "one fixed key for all segments"): \(segments.count) segments of \(length) tokens of human text\n")
        print("Corpus \(corpusPath), SmolLM2 tokenizer. Expected: 1e-2 and 1e-3; ± is one binomial standard error.\n")
        print("| scheme | mean scored tokens | mean score | fraction p < 1e-2 | fraction p < 1e-3 | minimum p | mean p |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        var rows = schemes
        rows.append(("KGW SelfHash + 8-bit payload", WatermarkConfiguration(scheme: .kgw, key: key, payloadBits: 8)))
        for (name, configuration) in rows {
            var keys = SeededGenerator(seed: UInt64(option("--key-seed", "42")) ?? 42)
            var pValues: [Double] = []
            var scored = 0
            var score = 0.0
            let fixedDetector = WatermarkDetector(configuration: configuration)
            for segment in segments {
                var detector = fixedDetector
                if freshKeys {
                    var fresh = configuration
                    fresh.key = try WatermarkKey(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &keys) })
                    detector = WatermarkDetector(configuration: fresh)
                }
                let verdict = try detector.detect(tokens: segment)
                pValues.append(verdict.pValue)
                scored += verdict.scoredTokens
                score += verdict.score
            }
            let n = Double(pValues.count)
            func fraction(_ alpha: Double) -> String {
                let observed = Double(pValues.filter { $0 < alpha }.count) / n
                return "\(fixed(observed, 4)) ± \(fixed((alpha * (1 - alpha) / n).squareRoot(), 4))"
            }
            print("| \(name) | \(fixed(Double(scored) / n, 1)) | \(fixed(score / n, 4)) | \(fraction(1e-2)) | \(fraction(1e-3)) | \(scientific(pValues.min() ?? 1)) | \(fixed(pValues.reduce(0, +) / n, 3)) |")
        }
        print("")
    }
}

// MARK: Detection power on watermarked text

func power() throws {
    let sequences = Int(option("--sequences", "200")) ?? 200
    let model = SyntheticLanguageModel(vocabularySize: 49_152, seed: 2026)
    print("## Detection power: \(sequences) watermarked sequences per scheme, synthetic model (V = 49,152), T = 1, no top-k/top-p\n")
    // The entropy the watermark has to work with, measured along unwatermarked text.
    var rng = SeededGenerator(seed: 1)
    let plain = model.generate(count: 300, prompt: [1, 2, 3, 4, 5], sampler: .unwatermarked(configuration: schemes[0].configuration), using: &rng)
    var context: [TokenID] = [1, 2, 3, 4, 5]
    var entropy = 0.0
    for token in plain { entropy += model.entropy(after: context); context.append(token) }
    print("Mean next-token entropy along plain text: \(fixed(entropy / Double(plain.count), 2)) nats.\n")
    print("Cells: fraction detected at p < 1e-3 (TPR at a 1e-3 false-positive rate) / median p-value.\n")
    print("| scheme | 50 tokens | 100 tokens | 200 tokens | 200, 10% substituted | 200, 30% substituted |")
    print("|---|---:|---:|---:|---:|---:|")
    for (name, configuration) in schemes {
        let sampler = WatermarkSampler(configuration: configuration)
        let detector = WatermarkDetector(configuration: configuration)
        var columns = [[Double]](repeating: [], count: 5)
        for sequence in 0..<sequences {
            var rng = SeededGenerator(seed: UInt64(10_000 + sequence))
            let prompt = (0..<5).map { _ in TokenID(Int.random(in: 0..<model.vocabularySize, using: &rng)) }
            let text = model.generate(count: 200, prompt: prompt, sampler: sampler, using: &rng)
            func substituted(_ rate: Double) -> [TokenID] {
                var copy = text
                for i in copy.indices where Double.random(in: 0..<1, using: &rng) < rate {
                    copy[i] = TokenID(Int.random(in: 0..<model.vocabularySize, using: &rng))
                }
                return copy
            }
            let variants = [Array(text.prefix(50)), Array(text.prefix(100)), text, substituted(0.1), substituted(0.3)]
            for (column, tokens) in variants.enumerated() {
                columns[column].append(try detector.detect(tokens: tokens).pValue)
            }
        }
        let cells = columns.map { values -> String in
            let detected = Double(values.filter { $0 < 1e-3 }.count) / Double(values.count)
            let median = values.sorted()[values.count / 2]
            return "\(fixed(detected, 3)) / \(scientific(median))"
        }
        print("| \(name) | " + cells.joined(separator: " | ") + " |")
    }
    print("")
}

// MARK: Detection power on SmolLM2's own generations

/// A file under ../shared/data, from the project root or from a worktree one level deeper.
func sharedData(_ relative: String) -> String {
    ["../shared/data/", "../../shared/data/"].map { $0 + relative }.first { FileManager.default.fileExists(atPath: $0) }
        ?? "../shared/data/" + relative
}

/// Next-token entropy in nats of `logits` at `temperature`.
func entropy(of logits: UnsafeBufferPointer<Float>, temperature: Float) -> Double {
    let maximum = Double(logits.max() ?? 0)
    var total = 0.0, weighted = 0.0
    for logit in logits where logit.isFinite {
        let x = (Double(logit) - maximum) / Double(temperature)
        let w = exp(x)
        total += w
        weighted += w * x
    }
    return log(total) - weighted / total
}

func smolLM2Power() throws {
    let sequences = Int(option("--sequences", "24")) ?? 24
    let temperature = Float(option("--temperature", "1")) ?? 1
    let length = 200
    let modelPath = option("--model", "models/SmolLM2-135M-Instruct.Q4_1.gguf")
    let gguf = try GGUFFile(path: modelPath)
    let model = try LanguageModel(gguf: gguf)
    let tokenizer = try Tokenizer(gguf: gguf)
    let template = try ChatTemplate(gguf: gguf)
    let session = InferenceSession(model: model, contextLength: 512)
    let questionsPath = sharedData("prompts/vicuna_bench_question.jsonl")
    guard let questionData = FileManager.default.contents(atPath: questionsPath) else {
        throw InvalidInput("the prompts are missing at \(questionsPath) (expected ../shared/data/prompts/vicuna_bench_question.jsonl)")
    }
    struct Question: Decodable { var turns: [String] }
    let questions = String(decoding: questionData, as: UTF8.self).split(separator: "\n")
        .compactMap { try? JSONDecoder().decode(Question.self, from: Data($0.utf8)).turns.first }
    let stops = tokenizer.stopTokens
    print("## Detection power on SmolLM2-135M-Instruct generations: \(sequences) answers of \(length) tokens per scheme\n")
    print("Vicuna questions (\(questionsPath)), chat template, T = \(temperature), no top-k/top-p; end-of-turn tokens are masked so every answer has \(length) tokens; detection sees the answer's tokens only (no prompt).\n")
    print("| scheme | mean entropy (nats) | 50 tokens | 100 tokens | 200 tokens | 200 as text | 200, 10% substituted | 200, 30% substituted |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    var generated = 0
    let start = Date()
    for (name, configuration) in schemes {
        let sampler = WatermarkSampler(configuration: configuration)
        let detector = WatermarkDetector(configuration: configuration)
        var columns = [[Double]](repeating: [], count: 6)
        var entropySum = 0.0
        for sequence in 0..<sequences {
            var rng = SeededGenerator(seed: UInt64(20_000 + sequence))
            let question = questions[sequence % max(questions.count, 1)]
            var prompt = tokenizer.encode(template.render([.user(question)]))
            if tokenizer.addsBOSToken, let bos = tokenizer.bosToken { prompt.insert(bos, at: 0) }
            session.reset()
            try session.evaluate(prompt)
            var context = prompt
            var answer: [TokenID] = []
            while answer.count < length {
                let logits = session.logits
                for stop in stops where Int(stop) < logits.count { logits[Int(stop)] = -.infinity }
                entropySum += entropy(of: UnsafeBufferPointer(logits), temperature: temperature)
                let token = context.withUnsafeBufferPointer {
                    sampler.sample(logits: logits, context: $0, temperature: temperature, topK: 0, topP: 1, using: &rng)
                }
                answer.append(token)
                context.append(token)
                if answer.count < length { try session.evaluate([token]) }
            }
            generated += answer.count
            func substituted(_ rate: Double) -> [TokenID] {
                var copy = answer
                for i in copy.indices where Double.random(in: 0..<1, using: &rng) < rate {
                    copy[i] = TokenID(Int.random(in: 0..<tokenizer.vocabularySize, using: &rng))
                }
                return copy
            }
            // "As text": decoded and tokenised again, as `aegis detect` sees it.
            let retokenised = tokenizer.encode(tokenizer.decode(answer), parseSpecialTokens: false)
            let variants = [Array(answer.prefix(50)), Array(answer.prefix(100)), answer, retokenised,
                            substituted(0.1), substituted(0.3)]
            for (column, tokens) in variants.enumerated() {
                columns[column].append(try detector.detect(tokens: tokens).pValue)
            }
            if sequence == 0 && name == schemes[0].name {
                FileHandle.standardError.write(Data("sample answer: \(tokenizer.decode(answer.prefix(60)))…\n".utf8))
            }
        }
        let cells = columns.map { values -> String in
            let detected = Double(values.filter { $0 < 1e-3 }.count) / Double(values.count)
            let median = values.sorted()[values.count / 2]
            return "\(fixed(detected, 3)) / \(scientific(median))"
        }
        print("| \(name) | \(fixed(entropySum / Double(sequences * length), 2)) | " + cells.joined(separator: " | ") + " |")
    }
    let seconds = Date().timeIntervalSince(start)
    print("\n(\(generated) tokens generated in \(Int(seconds)) s)\n")
}

do {
    if mode == "null" || mode == "all" { try nullCalibration() }
    if mode == "power" || mode == "all" { try power() }
    if mode == "smollm2" || mode == "all" { try smolLM2Power() }
    if mode == "keys" { try perKeyValidity() }
    if mode == "served" { try servedPower() }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}

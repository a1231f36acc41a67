// Watermark evaluation on real SmolLM2 generations (not a unit test).
//
//   swift build -c release --product WatermarkGenerationEvaluation
//   .build/release/WatermarkGenerationEvaluation [--prompts 200] [--tokens 200]
//       [--temperatures 1.0,0.7] [--schemes none,kgw,gumbel,synthid] [--threads 2]
//       [--first-prompt 0] [--data ../shared/data] [--model models/…gguf]
//
// For each temperature and scheme, every prompt (the first N instructions of
// AlpacaEval, ../shared/data/prompts) is put in SmolLM2's chat template and
// answered with exactly `--tokens` new tokens (the stop tokens are masked so
// every answer has the same length), by pure multinomial sampling (top-p 1,
// min-p 0) with the watermark making the draw. Then:
//   - detection rate: share of answers with p < 1e-3 (the detector knows the
//     prompt, as a provider testing its own log does), and after 10% and 30% of
//     the answer's tokens are replaced by uniformly random vocabulary tokens;
//   - perplexity cost: exp(mean −log p) of the answer under the unwatermarked
//     model at temperature 1 (teacher forcing), against unwatermarked sampling;
//   - speed: median decode tokens/s per answer, against unwatermarked sampling
//     through the same code path (`WatermarkSampler.unwatermarked`).
// The key is fixed, so a run is reproducible.
import AegisCore
import Foundation
import Inference
@_spi(Evaluation) import Watermark

struct Options {
    var prompts = 200
    var firstPrompt = 0
    var tokens = 200
    var temperatures: [Float] = [1.0, 0.7]
    var schemes = ["none", "kgw", "gumbel", "synthid"]
    var threads = 2
    var data = "../shared/data"
    var model = "models/SmolLM2-135M-Instruct.Q4_1.gguf"

    init(arguments: [String]) throws {
        var rest = arguments.dropFirst()
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw InvalidInput("\(flag) needs a value") }
            switch flag {
            case "--prompts": prompts = Int(value) ?? prompts
            case "--first-prompt": firstPrompt = Int(value) ?? firstPrompt
            case "--tokens": tokens = Int(value) ?? tokens
            case "--temperatures": temperatures = value.split(separator: ",").compactMap { Float($0) }
            case "--schemes": schemes = value.split(separator: ",").map(String.init)
            case "--threads": threads = Int(value) ?? threads
            case "--data": data = value
            case "--model": model = value
            default: throw InvalidInput("unknown option \(flag); see the header of evaluations/WatermarkGenerationEvaluation/main.swift")
            }
        }
    }
}

/// Masks the stop tokens, then lets the inner chooser draw: every answer gets the same length.
struct FixedLengthChooser: TokenChooser {
    let inner: WatermarkSampler
    let stopTokens: [TokenID]

    func sample(logits: UnsafeMutableBufferPointer<Float>, context: UnsafeBufferPointer<TokenID>,
                temperature: Float, topK: Int, topP: Float,
                using rng: inout some RandomNumberGenerator) -> TokenID {
        for token in stopTokens { logits[Int(token)] = -.infinity }
        return inner.sample(logits: logits, context: context, temperature: temperature,
                            topK: topK, topP: topP, using: &rng)
    }
}

func loadPrompts(_ options: Options) throws -> [String] {
    let path = options.data + "/prompts/alpaca_eval_gpt4_1106_preview_outputs.json"
    guard let data = FileManager.default.contents(atPath: path) else {
        throw InvalidInput("cannot read \(path): this evaluation needs ../shared/data (AlpacaEval prompts); pass --data DIR")
    }
    guard let records = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
        throw InvalidInput("\(path) is not a JSON array of records")
    }
    let all = records.compactMap { $0["instruction"] as? String }
    let end = min(all.count, options.firstPrompt + options.prompts)
    return Array(all[options.firstPrompt..<end])
}

func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Replaces `fraction` of the tokens, at distinct random positions, with random vocabulary tokens.
func substitute(_ tokens: [TokenID], fraction: Double, vocabulary: Int, rng: inout SeededGenerator) -> [TokenID] {
    var out = tokens
    let count = Int((Double(tokens.count) * fraction).rounded())
    for position in tokens.indices.shuffled(using: &rng).prefix(count) {
        out[position] = TokenID(Int.random(in: 3..<vocabulary, using: &rng))
    }
    return out
}

struct Row {
    var detected = [0, 0, 0]  // p < 1e-3 at 0%, 10%, 30% substitution
    var medianP: [Double] = []
    var logProbabilitySum = 0.0
    var scored = 0
    var speeds: [Double] = []
    var answers = 0
}

func run() throws {
    let options = try Options(arguments: CommandLine.arguments)
    let prompts = try loadPrompts(options)
    let model = try LanguageModel(path: options.model)
    let tokenizer = try Tokenizer(gguf: model.gguf)
    let template = try ChatTemplate(gguf: model.gguf)
    let session = try InferenceSession(model: model, threadCount: options.threads)
    let key = try WatermarkKey(hex: String(repeating: "5a", count: 32))
    let stops = Array(tokenizer.stopTokens) + [tokenizer.endOfTurnToken].compactMap { $0 }
    let prefixes = prompts.map { tokenizer.encode(template.render([.user($0)])) }
    FileHandle.standardError.write(Data("\(prompts.count) prompts, \(options.tokens) tokens each\n".utf8))

    print("| temperature | scheme | answers | detected p<1e-3 | after 10% subst. | after 30% subst. | median p | perplexity | decode tok/s (median) |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for temperature in options.temperatures {
        for schemeName in options.schemes {
            let scheme = schemeName == "none" ? WatermarkScheme.kgw : (WatermarkScheme(rawValue: schemeName) ?? .kgw)
            let configuration = WatermarkConfiguration(scheme: scheme, key: key)
            let sampler = schemeName == "none" ? WatermarkSampler.unwatermarked(configuration: configuration)
                                                 : WatermarkSampler(configuration: configuration)
            let detector = WatermarkDetector(configuration: configuration)
            var row = Row()
            var rng = SeededGenerator(seed: 2026)
            var pValues: [Double] = []
            for (index, prefix) in prefixes.enumerated() {
                let samplerConfiguration = SamplerConfiguration(
                    temperature: temperature, topK: 0, topP: 1, minP: 0, seed: UInt64(index))
                let completion = try session.generate(
                    prompt: prefix, maxTokens: options.tokens,
                    sampler: Sampler(configuration: samplerConfiguration,
                                     chooser: FixedLengthChooser(inner: sampler, stopTokens: stops)))
                row.answers += 1
                row.speeds.append(completion.tokensPerSecond)
                if schemeName != "none" {
                    for (slot, fraction) in [0.0, 0.1, 0.3].enumerated() {
                        let tokens = fraction == 0 ? completion.tokens
                            : substitute(completion.tokens, fraction: fraction, vocabulary: tokenizer.vocabularySize, rng: &rng)
                        let verdict = try detector.detect(tokens: tokens, promptTokens: prefix)
                        if slot == 0 { pValues.append(verdict.pValue) }
                        if verdict.pValue < 1e-3 { row.detected[slot] += 1 }
                    }
                }
                // Perplexity under the unwatermarked model at temperature 1.
                let predictions = try session.teacherForce(prefix + completion.tokens, topK: 1)
                for position in (prefix.count - 1)..<(predictions.count - 1) {
                    if let next = predictions[position].next {
                        row.logProbabilitySum += Double(next.logProbability)
                        row.scored += 1
                    }
                }
                if index % 20 == 19 {
                    FileHandle.standardError.write(Data("  T=\(temperature) \(schemeName): \(index + 1)/\(prefixes.count)\n".utf8))
                }
            }
            let share = { (count: Int) in String(format: "%.1f%%", 100 * Double(count) / Double(max(row.answers, 1))) }
            let detected = schemeName == "none" ? ["–", "–", "–"] : row.detected.map(share)
            let medianP = schemeName == "none" ? "–" : String(format: "%.1e", median(pValues))
            let perplexity = exp(-row.logProbabilitySum / Double(max(row.scored, 1)))
            print("| \(temperature) | \(schemeName) | \(row.answers) | \(detected[0]) | \(detected[1]) | \(detected[2]) | \(medianP) | \(String(format: "%.2f", perplexity)) | \(String(format: "%.1f", median(row.speeds))) |")
        }
    }
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("WatermarkGenerationEvaluation: \(error)\n".utf8))
    exit(1)
}

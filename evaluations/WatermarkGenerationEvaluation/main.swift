// Watermark evaluation on real SmolLM2 generations (not a unit test).
//
//   swift build -c release --product WatermarkGenerationEvaluation
//   .build/release/WatermarkGenerationEvaluation [--prompts 200] [--tokens 200]
//       [--temperatures 1.0,0.7] [--schemes none,kgw,gumbel,synthid] [--threads 2]
//       [--batch 16] [--first-prompt 0] [--raw answers.jsonl]
//       [--speed-prompts 4] [--speed-repeats 3] [--data ../shared/data] [--model models/…gguf]
//
// For each temperature, every prompt (the first N instructions of AlpacaEval,
// ../shared/data/prompts) is put in SmolLM2's chat template and answered under
// each scheme with exactly `--tokens` new tokens (the stop tokens are masked so
// every answer has the same length), by pure multinomial sampling (top-p 1,
// min-p 0) with the watermark making the draw. Answers are generated `--batch`
// prompts at a time through `BatchSession` (each sequence with its own sampler
// and watermark chooser); within a batch of prompts the schemes run one after
// another in an order rotated per batch, so machine load drifts evenly. Then:
//   - detection rate: share of answers with p < 1e-3 (the detector knows the
//     prompt, as a provider testing its own log does), and after 10% and 30% of
//     the answer's tokens are replaced by uniformly random vocabulary tokens;
//   - perplexity cost: exp(mean −log p) of the answer under the unwatermarked
//     model at temperature 1: the log-probability of each drawn token under
//     the model's own logits at that step, before any sampler change (the
//     quantity teacher forcing would recompute), against unwatermarked sampling;
//   - batched speed: decode tokens/s of each batch of prompts, against
//     unwatermarked sampling through the same code path
//     (`WatermarkSampler.unwatermarked`), median over batches of the ratio;
//   - single-sequence speed (`--speed-prompts`, 0 to skip): what one user's
//     request sees, `InferenceSession.generate` with a watermarked sampler
//     against the plain sampler (no chooser), alternating, `--speed-repeats`
//     rounds, at T = 1 without truncation and at the CLI's defaults.
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
    var batch = 16
    var raw: String?
    var speedPrompts = 4
    var speedRepeats = 3
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
            case "--batch": batch = max(1, Int(value) ?? batch)
            case "--raw": raw = value
            case "--speed-prompts": speedPrompts = Int(value) ?? speedPrompts
            case "--speed-repeats": speedRepeats = Int(value) ?? speedRepeats
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
    var pValues: [Double] = []
    var logProbabilitySum = 0.0
    var scored = 0
    var batchSpeeds: [Double] = []      // decode tokens/s of each batch of prompts
    var ratiosToNone: [Double] = []     // the same, over the unwatermarked batch's
    var answers = 0
}

func log(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

func sampler(scheme name: String, key: WatermarkKey) -> (WatermarkSampler, WatermarkConfiguration) {
    let scheme = name == "none" ? WatermarkScheme.kgw : (WatermarkScheme(rawValue: name) ?? .kgw)
    let configuration = WatermarkConfiguration(scheme: scheme, key: key)
    let chooser = name == "none" ? WatermarkSampler.unwatermarked(configuration: configuration)
                                 : WatermarkSampler(configuration: configuration)
    return (chooser, configuration)
}

/// Generates, detects and scores every prompt under every scheme, and prints one table row per scheme.
func evaluateDetection(_ options: Options, model: LanguageModel, tokenizer: Tokenizer,
                       prefixes: [[TokenID]], key: WatermarkKey) throws {
    let stops = Array(tokenizer.stopTokens) + [tokenizer.endOfTurnToken].compactMap { $0 }
    let longest = prefixes.map(\.count).max() ?? 0
    let batch = BatchSession(model: model, sequenceCount: options.batch,
                             contextLength: longest + options.tokens + 1, threadCount: options.threads)
    var rawFile: FileHandle?
    if let path = options.raw {
        FileManager.default.createFile(atPath: path, contents: nil)
        rawFile = FileHandle(forWritingAtPath: path)
    }

    print("| temperature | scheme | answers | detected p<1e-3 | after 10% subst. | after 30% subst. | median p | perplexity | batched decode tok/s (median) | ÷ none (median) |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for temperature in options.temperatures {
        var rows = [String: Row]()
        for first in stride(from: 0, to: prefixes.count, by: options.batch) {
            let indices = Array(first..<min(first + options.batch, prefixes.count))
            let prompts = indices.map { prefixes[$0] }
            let rotation = (first / options.batch) % options.schemes.count
            let order = Array(options.schemes[rotation...] + options.schemes[..<rotation])
            var speeds = [String: Double]()
            for name in order {
                let (_, configuration) = sampler(scheme: name, key: key)
                // Each sequence draws with its own sampler and chooser, seeded by its prompt.
                let samplers = indices.map { index in
                    Sampler(configuration: SamplerConfiguration(temperature: temperature, topK: 0, topP: 1, minP: 0,
                                                                seed: UInt64(index)),
                            chooser: FixedLengthChooser(inner: sampler(scheme: name, key: key).0, stopTokens: stops))
                }
                let completions = try batch.generate(prompts: prompts, maxTokens: options.tokens,
                                                     samplers: samplers, logProbabilities: true)
                let decodeSeconds = completions.map(\.generationSeconds).max() ?? 0
                let generated = completions.reduce(0) { $0 + $1.tokens.count }
                speeds[name] = Double(generated) / max(decodeSeconds, 1e-9)

                let detector = WatermarkDetector(configuration: configuration)
                var row = rows[name] ?? Row()
                for (index, completion) in zip(indices, completions) {
                    var rng = SeededGenerator(seed: 2026 &+ UInt64(index))
                    var pValues = [Double]()
                    if name != "none" {
                        for (slot, fraction) in [0.0, 0.1, 0.3].enumerated() {
                            let tokens = fraction == 0 ? completion.tokens
                                : substitute(completion.tokens, fraction: fraction, vocabulary: tokenizer.vocabularySize, rng: &rng)
                            let verdict = try detector.detect(tokens: tokens, promptTokens: prefixes[index])
                            pValues.append(verdict.pValue)
                            if verdict.pValue < 1e-3 { row.detected[slot] += 1 }
                        }
                        row.pValues.append(pValues[0])
                    }
                    let logProbabilities = completion.logProbabilities ?? []
                    let sum = logProbabilities.reduce(0.0) { $0 + Double($1) }
                    row.logProbabilitySum += sum
                    row.scored += logProbabilities.count
                    row.answers += 1
                    if let rawFile {
                        let p = pValues.map { String(format: "%.3e", $0) }.joined(separator: ",")
                        rawFile.write(Data("{\"temperature\":\(temperature),\"scheme\":\"\(name)\",\"prompt\":\(index),\"tokens\":\(completion.tokens.count),\"log_probability_sum\":\(sum),\"p_values\":[\(p)]}\n".utf8))
                    }
                }
                row.batchSpeeds.append(speeds[name] ?? 0)
                rows[name] = row
            }
            if let none = speeds["none"] {
                for (name, speed) in speeds where name != "none" { rows[name]?.ratiosToNone.append(speed / none) }
            }
            let summary = order.map { "\($0) \(String(format: "%.1f", speeds[$0] ?? 0))" }.joined(separator: ", ")
            log("  T=\(temperature) prompts \(first + indices.count)/\(prefixes.count): tok/s \(summary)")
        }
        for name in options.schemes {
            guard let row = rows[name] else { continue }
            let share = { (count: Int) in String(format: "%.1f%%", 100 * Double(count) / Double(max(row.answers, 1))) }
            let detected = name == "none" ? ["–", "–", "–"] : row.detected.map(share)
            let medianP = name == "none" ? "–" : String(format: "%.1e", median(row.pValues))
            let perplexity = exp(-row.logProbabilitySum / Double(max(row.scored, 1)))
            let ratio = name == "none" ? "1" : String(format: "%.3f", median(row.ratiosToNone))
            print("| \(temperature) | \(name) | \(row.answers) | \(detected[0]) | \(detected[1]) | \(detected[2]) | \(medianP) | \(String(format: "%.2f", perplexity)) | \(String(format: "%.1f", median(row.batchSpeeds))) | \(ratio) |")
        }
    }
    try rawFile?.close()
}

/// One user's request: `generate` with each scheme against the plain sampler, alternating.
func evaluateSingleSequenceSpeed(_ options: Options, model: LanguageModel,
                                 prefixes: [[TokenID]], key: WatermarkKey) throws {
    guard options.speedPrompts > 0 else { return }
    let prompts = Array(prefixes.prefix(options.speedPrompts))
    let longest = prompts.map(\.count).max() ?? 0
    let session = InferenceSession(model: model, contextLength: longest + options.tokens + 1,
                                   threadCount: options.threads)
    let schemes = ["plain"] + options.schemes.filter { $0 != "none" }
    let settings: [(String, SamplerConfiguration)] = [
        ("T=1, top-p 1, min-p 0", SamplerConfiguration(temperature: 1, topK: 0, topP: 1, minP: 0)),
        ("CLI defaults (T=0.8, top-p 0.95, min-p 0.05)", SamplerConfiguration()),
    ]
    print("")
    print("| sampling | scheme | runs | decode tok/s (median) | ÷ plain (median of paired runs) |")
    print("|---|---|---:|---:|---:|")
    for (label, base) in settings {
        var speeds = [String: [Double]](), ratios = [String: [Double]]()
        for round in 0..<options.speedRepeats {
            for (index, prompt) in prompts.enumerated() {
                var configuration = base
                configuration.seed = UInt64(index)
                let rotation = (round + index) % schemes.count
                var paired = [String: Double]()
                for name in schemes[rotation...] + schemes[..<rotation] {
                    let chooser: (any TokenChooser)? = name == "plain" ? nil : sampler(scheme: name, key: key).0
                    // No stop tokens: every run decodes exactly `--tokens` tokens.
                    let completion = try session.generate(prompt: prompt, maxTokens: options.tokens,
                                                          sampler: Sampler(configuration: configuration, chooser: chooser))
                    paired[name] = completion.tokensPerSecond
                    speeds[name, default: []].append(completion.tokensPerSecond)
                }
                if let plain = paired["plain"] {
                    for (name, speed) in paired where name != "plain" { ratios[name, default: []].append(speed / plain) }
                }
            }
            log("  speed (\(label)) round \(round + 1)/\(options.speedRepeats)")
        }
        for name in schemes {
            let ratio = name == "plain" ? "1" : String(format: "%.3f", median(ratios[name] ?? []))
            print("| \(label) | \(name) | \(speeds[name]?.count ?? 0) | \(String(format: "%.1f", median(speeds[name] ?? []))) | \(ratio) |")
        }
    }
}

func run() throws {
    let options = try Options(arguments: CommandLine.arguments)
    let prompts = try loadPrompts(options)
    let model = try LanguageModel(path: options.model)
    let tokenizer = try Tokenizer(gguf: model.gguf)
    let template = try ChatTemplate(gguf: model.gguf)
    let key = try WatermarkKey(hex: String(repeating: "5a", count: 32))
    let prefixes = prompts.map { tokenizer.encode(template.render([.user($0)])) }
    log("\(prompts.count) prompts, \(options.tokens) tokens each, batches of \(options.batch), \(options.threads) threads")
    if !options.temperatures.isEmpty, !options.schemes.isEmpty {
        try evaluateDetection(options, model: model, tokenizer: tokenizer, prefixes: prefixes, key: key)
    }
    try evaluateSingleSequenceSpeed(options, model: model, prefixes: prefixes, key: key)
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("WatermarkGenerationEvaluation: \(error)\n".utf8))
    exit(1)
}

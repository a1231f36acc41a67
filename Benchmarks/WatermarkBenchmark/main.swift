// Watermark benchmark: detection throughput per scheme, and the watermarked
// sampler's cost per token against the plain sampler (same support / top-k /
// top-p / draw pipeline without the watermark) and against a naive full-vocabulary
// softmax, at vocabulary sizes 49,152 (SmolLM2) and 151,936 (Qwen2.5).
// Run: swift run -c release WatermarkBenchmark [--quick]
// Prints Markdown tables (medians of repeated runs, thread CPU time) for docs/watermark.md.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AegisCore
@_spi(Evaluation) import Watermark

let quick = CommandLine.arguments.contains("--quick")
let repetitions = quick ? 3 : 9
let samplerOnly = CommandLine.arguments.contains("--sampler-only")
let vocabularies = CommandLine.arguments.contains("--small-only") ? [49_152] : [49_152, 151_936]
let key = try WatermarkKey(hex: String(repeating: "5a", count: 32))

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// This thread's CPU time in seconds: on a shared machine, wall time would mostly
/// measure the other processes' share of the cores.
func threadCPUTime() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// Median CPU seconds of `body` over the repetitions, after one warm-up run.
func measure(_ body: () -> Void) -> Double {
    body()
    return median((0..<repetitions).map { _ in
        let start = threadCPUTime()
        body()
        return threadCPUTime() - start
    })
}

func format(_ value: Double, _ digits: Int = 1) -> String {
    let scale = pow(10, Double(digits))
    return String((value * scale).rounded() / scale)
}

var sink = 0  // keeps results alive so the optimiser cannot drop the work

// MARK: Sampler cost per token

/// A textbook sampler: softmax over the whole vocabulary, then the draw.
func naiveSample(_ logits: UnsafeBufferPointer<Float>, temperature: Float, using rng: inout SeededGenerator) -> Int {
    let maximum = logits.max() ?? 0
    var total: Float = 0
    for logit in logits { total += expf((logit - maximum) / temperature) }
    var target = Float.random(in: 0..<1, using: &rng) * total
    for (index, logit) in logits.enumerated() {
        target -= expf((logit - maximum) / temperature)
        if target < 0 { return index }
    }
    return logits.count - 1
}

print("## Sampler cost per token (µs of CPU time, median of \(repetitions) runs; synthetic Zipf logits, T = 1)\n")
print("| vocabulary | top-p | naive full softmax | plain | KGW (SelfHash) | KGW (LeftHash) | Gumbel | vLLM Gumbel | SynthID (m=30, k=40) | KGW / plain | Gumbel / plain | vLLM Gumbel / plain | SynthID / plain |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for vocabulary in vocabularies {
    let model = SyntheticLanguageModel(vocabularySize: vocabulary, seed: 11)
    let steps = quick ? 32 : 128
    // Pre-computed logits and contexts, so only the sampler is timed.
    var rng = SeededGenerator(seed: 5)
    let contexts: [[TokenID]] = (0..<steps).map { _ in (0..<8).map { _ in TokenID(Int.random(in: 0..<vocabulary, using: &rng)) } }
    let pristine: [[Float]] = contexts.map { context in
        var logits = [Float](repeating: 0, count: vocabulary)
        context.withUnsafeBufferPointer { c in logits.withUnsafeMutableBufferPointer { model.logits(after: c, into: $0) } }
        return logits
    }
    var work = pristine
    for topP: Float in [1, 0.95] {
        func perToken(_ sampler: WatermarkSampler) -> Double {
            var rng = SeededGenerator(seed: 9)
            let seconds = measure {
                for step in 0..<steps {
                    let token = contexts[step].withUnsafeBufferPointer { c in
                        work[step].withUnsafeMutableBufferPointer {
                            sampler.sample(logits: $0, context: c, temperature: 1, topK: 0, topP: topP, using: &rng)
                        }
                    }
                    sink &+= Int(token)
                }
            }
            return seconds / Double(steps) * 1e6
        }
        var naive = Double.nan
        if topP == 1 {
            var rng = SeededGenerator(seed: 9)
            naive = measure {
                for step in 0..<steps {
                    sink &+= pristine[step].withUnsafeBufferPointer { naiveSample($0, temperature: 1, using: &rng) }
                }
            } / Double(steps) * 1e6
        }
        var base = WatermarkConfiguration(scheme: .kgw, key: key)
        base.seeding = .selfHash  // the column's label (the default is LeftHash since issue 19)
        let plain = perToken(.unwatermarked(configuration: base))
        let selfHash = perToken(WatermarkSampler(configuration: base))
        var left = base
        left.seeding = .leftHash
        let leftHash = perToken(WatermarkSampler(configuration: left))
        let gumbel = perToken(WatermarkSampler(configuration: WatermarkConfiguration(scheme: .gumbel, key: key)))
        let synthid = perToken(WatermarkSampler(configuration: WatermarkConfiguration(scheme: .synthid, key: key)))
        var vllmConfiguration = WatermarkConfiguration(scheme: .vllmGumbel, key: WatermarkKey(vllmKey: 42))
        vllmConfiguration.deduplicateContextsMaxHistory = 0  // the 8-token contexts never repeat; time the mark alone
        let vllmGumbel = perToken(WatermarkSampler(configuration: vllmConfiguration))
        let columns = [naive.isNaN ? "–" : format(naive), format(plain), format(selfHash), format(leftHash), format(gumbel), format(vllmGumbel),
                       format(synthid), format(selfHash / plain, 2), format(gumbel / plain, 2), format(vllmGumbel / plain, 2),
                       format(synthid / plain, 2)]
        print("| \(vocabulary) | \(topP) | " + columns.joined(separator: " | ") + " |")
    }
}

// MARK: Sampler cost under serving truncation (min-p), issue 19

print("\n## Sampler cost per token under serving truncation (µs of CPU time, median of \(repetitions) runs; synthetic Zipf logits, T = 1)\n")
print("KGW default (LeftHash h=4, δ=3): \"bias first\" truncates after δ (the default), \"truncate first\" before it (the old order).\n")
print("| vocabulary | top-p | min-p | plain | KGW bias first | KGW truncate first | bias first / plain | truncate first / plain |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for vocabulary in vocabularies {
    let model = SyntheticLanguageModel(vocabularySize: vocabulary, seed: 11)
    let steps = quick ? 32 : 128
    var rng = SeededGenerator(seed: 5)
    let contexts: [[TokenID]] = (0..<steps).map { _ in (0..<8).map { _ in TokenID(Int.random(in: 0..<vocabulary, using: &rng)) } }
    let pristine: [[Float]] = contexts.map { context in
        var logits = [Float](repeating: 0, count: vocabulary)
        context.withUnsafeBufferPointer { c in logits.withUnsafeMutableBufferPointer { model.logits(after: c, into: $0) } }
        return logits
    }
    for (topP, minP) in [(Float(0.95), Float(0.05)), (Float(0.95), Float(0))] {
        func perToken(_ sampler: WatermarkSampler) -> Double {
            var rng = SeededGenerator(seed: 9)
            var work = pristine
            let seconds = measure {
                for step in 0..<steps {
                    work[step] = pristine[step]  // min-p masks in place
                    let token = contexts[step].withUnsafeBufferPointer { c in
                        work[step].withUnsafeMutableBufferPointer {
                            sampler.sample(logits: $0, context: c, temperature: 1, topK: 0, topP: topP, minP: minP, using: &rng)
                        }
                    }
                    sink &+= Int(token)
                }
            }
            return seconds / Double(steps) * 1e6
        }
        let base = WatermarkConfiguration(scheme: .kgw, key: key)
        var truncateFirst = base
        truncateFirst.truncatesBiasedDistribution = false
        let plain = perToken(.unwatermarked(configuration: base))
        let biasFirst = perToken(WatermarkSampler(configuration: base))
        let old = perToken(WatermarkSampler(configuration: truncateFirst))
        print("| \(vocabulary) | \(topP) | \(minP) | \(format(plain)) | \(format(biasFirst)) | \(format(old)) | \(format(biasFirst / plain, 2)) | \(format(old / plain, 2)) |")
    }
}

// MARK: Detection throughput

if samplerOnly { exit(0) }
print("\n## Detection throughput (million tokens per CPU second, median of \(repetitions) runs; 64 texts of 1,000 tokens)\n")
print("| scheme | no payload | 8-bit payload |")
print("|---|---:|---:|")
let texts: [[TokenID]] = (0..<(quick ? 16 : 64)).map { text in
    var rng = SeededGenerator(seed: UInt64(100 + text))
    return (0..<1000).map { _ in TokenID(Int.random(in: 0..<49_152, using: &rng)) }
}
let tokenCount = Double(texts.count * 1000)
for (label, configuration) in [
    ("KGW (SelfHash)", WatermarkConfiguration(scheme: .kgw, key: key)),
    ("KGW (LeftHash)", WatermarkConfiguration(scheme: .kgw, key: key, seeding: .leftHash)),
    ("Gumbel", WatermarkConfiguration(scheme: .gumbel, key: key)),
    ("SynthID (m=30)", WatermarkConfiguration(scheme: .synthid, key: key)),
    ("vLLM Gumbel (no payload)", WatermarkConfiguration(scheme: .vllmGumbel, key: WatermarkKey(vllmKey: 42))),
] {
    let detector = WatermarkDetector(configuration: configuration)
    var withPayload = configuration
    withPayload.payloadBits = 8
    let payloadDetector = WatermarkDetector(configuration: withPayload)
    let plain = measure { for text in texts { sink &+= (try? detector.detect(tokens: text))?.scoredTokens ?? 0 } }
    let payloadTexts = texts.prefix(quick ? 2 : 4)
    let payload = measure { for text in payloadTexts { sink &+= (try? payloadDetector.detect(tokens: text))?.scoredTokens ?? 0 } }
    print("| \(label) | \(format(tokenCount / plain / 1e6, 2)) | \(format(Double(payloadTexts.count * 1000) / payload / 1e6, 3)) |")
}
print("\n(checksum \(sink & 0xff))")

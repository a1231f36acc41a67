#if canImport(Glibc)
import Glibc
#endif
import AegisCore
import Inference

/// Prompt-processing and decode throughput of the built-in engine.
///
/// Usage: InferenceBenchmark [--model PATH] [--threads N] [--prompt-tokens N]
///        [--decode-tokens N] [--repeats N]
/// Prints one JSON object with the median tokens/s of each phase and the peak
/// resident memory. scripts/bench-inference runs it next to llama.cpp.
struct Options {
    var model = "models/SmolLM2-135M-Instruct.Q4_1.gguf"
    var threads = 2
    var promptTokens = 256
    var decodeTokens = 128
    var repeats = 5

    init(_ arguments: [String]) {
        var i = 1
        while i + 1 < arguments.count {
            let value = arguments[i + 1]
            switch arguments[i] {
            case "--model": model = value
            case "--threads": threads = Int(value) ?? threads
            case "--prompt-tokens": promptTokens = Int(value) ?? promptTokens
            case "--decode-tokens": decodeTokens = Int(value) ?? decodeTokens
            case "--repeats": repeats = Int(value) ?? repeats
            default: break
            }
            i += 2
        }
    }
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2]
        : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

let options = Options(CommandLine.arguments)
do {
    let model = try LanguageModel(path: options.model)
    let session = InferenceSession(model: model, contextLength: options.promptTokens + options.decodeTokens + 8,
                                   threadCount: options.threads)
    let vocabulary = model.configuration.vocabularySize
    // A fixed pseudo-random prompt: throughput does not depend on the text.
    var state: UInt64 = 42
    let prompt: [TokenID] = (0..<options.promptTokens).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return TokenID(truncatingIfNeeded: (state >> 33) % UInt64(vocabulary - 100) + 100)
    }
    var promptRates: [Double] = [], decodeRates: [Double] = []
    for _ in 0..<(options.repeats + 1) {  // the first run warms caches and pages
        session.reset()
        let start = now()
        try session.evaluate(prompt)
        let promptTime = now() - start
        var token = TokenID(0)
        let decodeStart = now()
        for _ in 0..<options.decodeTokens {
            let logits = session.logits
            var best = 0
            for i in logits.indices where logits[i] > logits[best] { best = i }
            token = TokenID(best)
            try session.evaluate([token])
        }
        let decodeTime = now() - decodeStart
        promptRates.append(Double(options.promptTokens) / promptTime)
        decodeRates.append(Double(options.decodeTokens) / decodeTime)
    }
    promptRates.removeFirst(); decodeRates.removeFirst()
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    print("""
    {"engine": "aegis", "threads": \(options.threads), "prompt_tokens": \(options.promptTokens), \
    "decode_tokens": \(options.decodeTokens), "repeats": \(options.repeats), \
    "prompt_tokens_per_second": \(median(promptRates)), "decode_tokens_per_second": \(median(decodeRates)), \
    "max_rss_bytes": \(usage.ru_maxrss * 1024)}
    """)
} catch {
    print("error: \(error)")
    exit(1)
}

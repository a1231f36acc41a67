// Per-key validity: the null distribution of the p-values under ONE key, as a provider
// deploys it (issue 19). For each configuration and each of K fresh keys, every human-text
// segment is tested on its own (the figure `aegis detect` prints for one answer) and the
// counts at p < 0.01 and p < 0.1 are compared across keys with the binomial s.d.; then all
// segments are tested as one corpus (`WatermarkDetector.detect(corpus:)`, deduplicated over
// the corpus) and the K pooled p-values are tested for uniformity (Kolmogorov–Smirnov).
//
//   WatermarkEvaluation keys [--segments 3000] [--keys 20] [--key-seed 1] [--configs all|NAME,…]
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AegisCore
import Foundation
import Inference
@_spi(Evaluation) import Watermark

/// Segments of `length` tokens of human text: the books corpus cut at evenly spaced word
/// boundaries, each ~2,000 bytes decoded as text and tokenised as `aegis detect` does
/// (first token dropped: it may be a split word).
@MainActor
func humanSegments(count wanted: Int, length: Int) throws -> (segments: [[TokenID]], corpusPath: String) {
    let corpusPath = option("--corpus", sharedData("corpus/gutenberg_en_20mb.txt"))
    guard let corpus = FileManager.default.contents(atPath: corpusPath) else {
        throw InvalidInput("the human-text corpus is missing at \(corpusPath) (expected ../shared/data/corpus/gutenberg_en_20mb.txt); pass --corpus PATH")
    }
    let tokenizer = try Tokenizer(gguf: try GGUFFile(path: option("--model", "models/SmolLM2-135M-Instruct.Q4_1.gguf")))
    var segments: [[TokenID]] = []
    let stride = corpus.count / (wanted + 1)
    for index in 0..<wanted {
        var start = (index + 1) * stride
        while start < corpus.count && corpus[start] != UInt8(ascii: " ") { start += 1 }
        let end = min(corpus.count, start + 2_000)
        let tokens = tokenizer.encode(String(decoding: corpus[start..<end], as: UTF8.self), parseSpecialTokens: false)
        if tokens.count >= length + 1 { segments.append(Array(tokens[1...length])) }
    }
    return (segments, corpusPath)
}

/// One-sample Kolmogorov–Smirnov test of `values` against U(0, 1): the statistic D and its
/// p-value from the asymptotic Kolmogorov distribution with Stephens' small-sample
/// correction λ = (√n + 0.12 + 0.11/√n)·D (accurate to ~1% for n ≥ 5).
func kolmogorovSmirnovUniform(_ values: [Double]) -> (d: Double, pValue: Double) {
    let sorted = values.sorted()
    let n = Double(sorted.count)
    guard n > 0 else { return (0, 1) }
    var d = 0.0
    for (i, x) in sorted.enumerated() {
        d = max(d, Double(i + 1) / n - x, x - Double(i) / n)
    }
    let lambda = (n.squareRoot() + 0.12 + 0.11 / n.squareRoot()) * d
    var p = 0.0
    for k in 1...100 {
        let term = 2 * (k % 2 == 1 ? 1.0 : -1.0) * exp(-2 * Double(k * k) * lambda * lambda)
        p += term
        if abs(term) < 1e-12 { break }
    }
    return (d, min(1, max(0, p)))
}

/// Design effect of pooling: each segment contributes its distinct identities once; with
/// c_i the number of segments that contain identity i and N = Σ c_i, Σ c_i² / N is the
/// factor by which the variance of a corpus-wide sum of per-identity scores exceeds that
/// of N independent ones. Measured on what the PRF sees (PRF inputs) and on what the text
/// shows ((window, token) n-grams): if the first is much larger, distinct n-grams share seeds.
func designEffects(segments: [[TokenID]], detector: WatermarkDetector, contextWidth h: Int) -> (prf: Double, ngram: Double) {
    var prfCounts: [PRFInput: Int] = [:]
    var ngramCounts: [[TokenID]: Int] = [:]
    for segment in segments {
        var prfSeen = Set<PRFInput>(), ngramSeen = Set<[TokenID]>()
        for (position, input) in detector.prfInputs(tokens: segment) {
            if prfSeen.insert(input).inserted { prfCounts[input, default: 0] += 1 }
            let ngram = Array(segment[(position - h)...position])
            if ngramSeen.insert(ngram).inserted { ngramCounts[ngram, default: 0] += 1 }
        }
    }
    func effect(_ counts: Dictionary<some Hashable, Int>.Values) -> Double {
        let n = Double(counts.reduce(0, +)), squares = counts.reduce(0.0) { $0 + Double($1) * Double($1) }
        return n > 0 ? squares / n : 0
    }
    return (effect(prfCounts.values), effect(ngramCounts.values))
}

/// The configurations whose per-key validity is measured (every scheme and seeding offered).
func perKeyConfigurations(key: WatermarkKey) -> [(name: String, configuration: WatermarkConfiguration)] {
    let defaults = WatermarkConfiguration(scheme: .kgw, key: key)
    return [
        ("KGW \(defaults.seeding == .selfHash ? "SelfHash" : "LeftHash") h=\(defaults.contextWidth) (default)", defaults),
        ("KGW SelfHash h=4 (old default)", WatermarkConfiguration(scheme: .kgw, key: key, contextWidth: 4, seeding: .selfHash)),
        ("KGW LeftHash h=4", WatermarkConfiguration(scheme: .kgw, key: key, contextWidth: 4, seeding: .leftHash)),
        ("KGW LeftHash h=3", WatermarkConfiguration(scheme: .kgw, key: key, contextWidth: 3, seeding: .leftHash)),
        ("KGW LeftHash h=2", WatermarkConfiguration(scheme: .kgw, key: key, contextWidth: 2, seeding: .leftHash)),
        ("KGW LeftHash h=1", WatermarkConfiguration(scheme: .kgw, key: key, contextWidth: 1, seeding: .leftHash)),
        ("Gumbel h=4", WatermarkConfiguration(scheme: .gumbel, key: key)),
        ("SynthID m=30 h=4", WatermarkConfiguration(scheme: .synthid, key: key)),
    ]
}

@MainActor
func perKeyValidity() throws {
    let keyCount = Int(option("--keys", "20")) ?? 20
    let (segments, corpusPath) = try humanSegments(count: Int(option("--segments", "3000")) ?? 3000, length: 200)
    let n = Double(segments.count)
    let wanted = option("--configs", "all")
    var rows = perKeyConfigurations(key: key)
    if wanted != "all" {
        let names = wanted.split(separator: ",").map { $0.lowercased() }
        rows = rows.filter { row in names.contains { row.name.lowercased().contains($0) } }
    }
    print("## Per-key validity: \(keyCount) keys × \(segments.count) segments of 200 tokens of human text\n")
    print("Corpus \(corpusPath) (text → SmolLM2 tokenizer). Per key, each segment is tested alone; the count of segments at p < 0.01 (nominal \(fixed(0.01 * n, 1)), binomial s.d. \(fixed((n * 0.01 * 0.99).squareRoot(), 2))) and at p < 0.1 (nominal \(fixed(0.1 * n, 1)), s.d. \(fixed((n * 0.1 * 0.9).squareRoot(), 2))) is compared across keys: ratio = s.d. across keys ÷ binomial s.d. (target ≤ 1.3). Pooled: all segments as one corpus, deduplicated over the corpus (`detect(corpus:)`), one p-value per key, tested for uniformity over the \(keyCount) keys (one-sample Kolmogorov–Smirnov, Stephens' approximation; target p ≥ 0.01). Design effect Σc²/N of the scored identities over segments (PRF inputs / n-grams): 1 when no two segments share a scored identity.\n")
    print("| configuration | mean scored | counts p<0.01 (min … max) | s.d. ratio p<0.01 | s.d. ratio p<0.1 | pooled p (min) | pooled KS D / p | design effect PRF / n-gram |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for (name, base) in rows {
        var keys = SeededGenerator(seed: UInt64(option("--key-seed", "1")) ?? 1)
        var at01: [Double] = [], at10: [Double] = [], pooled: [Double] = []
        var scored = 0
        var effects = (prf: 0.0, ngram: 0.0)
        for k in 0..<keyCount {
            var configuration = base
            configuration.key = try WatermarkKey(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &keys) })
            let detector = WatermarkDetector(configuration: configuration)
            var c01 = 0, c10 = 0
            for segment in segments {
                let verdict = try detector.detect(tokens: segment)
                if verdict.pValue < 0.01 { c01 += 1 }
                if verdict.pValue < 0.1 { c10 += 1 }
                if k == 0 { scored += verdict.scoredTokens }
            }
            at01.append(Double(c01))
            at10.append(Double(c10))
            pooled.append(try detector.detect(corpus: segments).pValue)
            if k == 0 { effects = designEffects(segments: segments, detector: detector, contextWidth: configuration.contextWidth) }
        }
        func sd(_ xs: [Double]) -> Double {
            let mean = xs.reduce(0, +) / Double(xs.count)
            return (xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(xs.count - 1, 1))).squareRoot()
        }
        let ratio01 = sd(at01) / (n * 0.01 * 0.99).squareRoot()
        let ratio10 = sd(at10) / (n * 0.1 * 0.9).squareRoot()
        let ks = kolmogorovSmirnovUniform(pooled)
        print("| \(name) | \(fixed(Double(scored) / n, 1)) | \(Int(at01.min() ?? 0)) … \(Int(at01.max() ?? 0)) | \(fixed(ratio01, 2)) | \(fixed(ratio10, 2)) | \(scientific(pooled.min() ?? 1)) | \(fixed(ks.d, 3)) / \(fixed(ks.pValue, 3)) | \(fixed(effects.prf, 1)) / \(fixed(effects.ngram, 1)) |")
        FileHandle.standardError.write(Data("\(name): counts p<0.01 \(at01.map { Int($0) }), p<0.1 \(at10.map { Int($0) }), pooled \(pooled.map(scientific))\n".utf8))
    }
    print("")
}

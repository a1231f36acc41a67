// Tokenizer throughput on real text, and an id dump for differential checks.
//
//   swift run -c release TokenizerBenchmark [--model M.gguf] [--corpus F.txt]
//       [--megabytes N] [--runs R] [--dump-ids OUT] [--pre smollm|gpt2|llama3|qwen2|default]
//
// Encodes the first N MB of the corpus (default 4 MB of
// ../shared/data/corpus/gutenberg_en_20mb.txt) as one text, R times, and
// prints the median bytes/s and tokens/s (thread CPU time). With --dump-ids it also encodes the
// text paragraph by paragraph (split after blank lines) and writes one line of
// JSON object {text, ids} per paragraph, for Benchmarks/TokenizerBenchmark/differential.py.
import Foundation
import Inference

struct Options {
    var model = "models/SmolLM2-135M-Instruct.Q4_1.gguf"
    var corpus = "../shared/data/corpus/gutenberg_en_20mb.txt"
    var megabytes = 4.0
    var runs = 3
    var dumpIDs: String?
    var preTokenizer: PreTokenizer?

    init(_ arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { throw Failure("\(flag) needs a value") }
            switch flag {
            case "--model": model = value
            case "--corpus": corpus = value
            case "--megabytes": megabytes = try Self.number(value, flag)
            case "--runs": runs = Int(try Self.number(value, flag))
            case "--dump-ids": dumpIDs = value
            case "--pre":
                guard let named = PreTokenizer(rawValue: value) else { throw Failure("unknown --pre \(value)") }
                preTokenizer = named
            default: throw Failure("unknown option \(flag); see the comment at the top of main.swift")
            }
        }
    }

    static func number(_ text: String, _ flag: String) throws -> Double {
        guard let value = Double(text), value > 0 else { throw Failure("\(flag) needs a positive number, got \(text)") }
        return value
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Seconds of this thread's CPU time `body` takes: steadier than wall-clock
/// time on a machine shared with other jobs, and equal to it on an idle one
/// (encoding is single-threaded).
func seconds(_ body: () -> Void) -> Double {
    func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
    let start = now()
    body()
    return now() - start
}

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    guard let data = FileManager.default.contents(atPath: options.corpus) else {
        throw Failure("corpus \(options.corpus) not found; it is in ../shared/data/corpus (see its README)")
    }
    let limit = min(data.count, Int(options.megabytes * 1_000_000))
    let text = String(decoding: data.prefix(limit), as: UTF8.self)
    let byteCount = text.utf8.count

    var tokenizer: Tokenizer?
    let loadSeconds = seconds {
        tokenizer = try? Tokenizer(gguf: GGUFFile(path: options.model), overridingPreTokenizer: options.preTokenizer)
    }
    guard let tokenizer else { throw Failure("cannot read a tokenizer from \(options.model); run scripts/fetch-model") }

    var times: [Double] = []
    var tokenCount = 0
    for _ in 0..<options.runs {
        times.append(seconds { tokenCount = tokenizer.encode(text).count })
    }
    let median = times.sorted()[times.count / 2]
    print(String(format: "tokenizer load: %.3f s", loadSeconds))
    print(String(format: "encode %.2f MB -> %d tokens: median %.3f s over %d runs = %.2f MB/s, %.0f tokens/s",
                 Double(byteCount) / 1e6, tokenCount, median, options.runs,
                 Double(byteCount) / 1e6 / median, Double(tokenCount) / median))

    var decoded = ""
    let ids = tokenizer.encode(text)
    let decodeSeconds = seconds { decoded = tokenizer.decode(ids) }
    print(String(format: "decode: %.3f s = %.0f tokens/s; round trip %@", decodeSeconds,
                 Double(ids.count) / decodeSeconds, decoded == text ? "exact" : "DIFFERS"))

    if let path = options.dumpIDs {
        struct Paragraph: Encodable { var text: String; var ids: [Int32] }
        let paragraphs = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { $0 + "\n\n" }
        var encoded: [[Int32]] = []
        let paragraphSeconds = seconds { encoded = paragraphs.map { tokenizer.encode($0) } }
        let paragraphTokens = encoded.reduce(0) { $0 + $1.count }
        print(String(format: "encode paragraph by paragraph (%d calls): %.3f s = %.0f tokens/s",
                     paragraphs.count, paragraphSeconds, Double(paragraphTokens) / paragraphSeconds))
        let encoder = JSONEncoder()
        var output = Data()
        for (paragraph, ids) in zip(paragraphs, encoded) {
            output.append(try encoder.encode(Paragraph(text: paragraph, ids: ids)))
            output.append(0x0A)
        }
        try output.write(to: URL(fileURLWithPath: path))
        print("wrote \(paragraphs.count) paragraphs with their ids to \(path)")
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}

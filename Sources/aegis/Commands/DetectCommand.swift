import AegisCore
import ArgumentParser
import Foundation
import Inference
import Watermark

/// `aegis detect`: tests text for the watermark of a key and prints exact p-values as JSON.
struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Test text for the watermark; print its p-value (JSON).",
        discussion: """
        Reads the text on stdin (or one {"id","text"} object per line with --input) and prints \
        {"p_value","score","scored_tokens","total_tokens","test","assumes"} (plus "payload" and \
        "payload_p_value" with --payload-bits): "test" names the exact test behind the p-value and \
        "assumes" what it assumes about the key and the text. Options must match those used to generate the text; defaults are \
        explained in docs/watermark.md.
        """
    )

    @Option(help: "The GGUF model whose tokenizer splits the text.")
    var model = "models/SmolLM2-135M-Instruct.Q4_1.gguf"

    @Option(help: "Watermark scheme: kgw, gumbel, synthid, or vllm-gumbel (vLLM's own --watermark-config gumbel mark).")
    var scheme: String

    @Option(help: "The 256-bit watermark key as 64 hex digits (from `aegis keys new`); for vllm-gumbel vLLM's integer key (or give --watermark-config).")
    var key: String?

    @OptionGroup(title: "Scheme options")
    var schemeOptions: SchemeOptions

    @Option(name: .customLong("payload-bits"), help: "Decode a payload of this many bits (1–32; decoding costs 2^b PRF passes).")
    var payloadBits: Int?

    @Option(help: """
        Test only this payload (repeat for several; needs --payload-bits): e.g. the tags of the \
        accounts under suspicion. The p-value is corrected for their number instead of 2^b.
        """)
    var payload: [UInt32] = []

    @Option(help: """
        Test only the payload `aegis serve` embeds for this account (repeat for several; combines \
        with --payload). Without --payload-bits, the width `aegis serve` uses by default (8).
        """)
    var account: [String] = []

    @Option(name: .customLong("prompt-file"), help: "The prompt the text answered: its windows are not scored.")
    var promptFile: String?

    @Option(help: "A JSONL file of {\"id\", \"text\"} lines; prints one result per line.")
    var input: String?

    @Option(help: "Also test every window of this many tokens and report the best (Bonferroni-corrected).")
    var window: Int?

    func run() throws {
        let configuration = try watermarkConfiguration()
        let payload = self.payload + account.map { AccountPayload.payload(account: $0, bits: configuration.payloadBits) }
        let tokenizer = try Tokenizer(gguf: try GGUFFile(path: model))
        let detector = WatermarkDetector(configuration: configuration)
        var promptTokens: [TokenID] = []
        if let promptFile {
            promptTokens = tokenizer.encode(try Self.readFile(promptFile), parseSpecialTokens: false)
        }
        let test = { (text: String) throws -> DetectionResult in
            guard !text.allSatisfy(\.isWhitespace) else { throw WatermarkError.emptyText }
            let tokens = tokenizer.encode(text, parseSpecialTokens: false)
            let verdict = payload.isEmpty
                ? try detector.detect(tokens: tokens, promptTokens: promptTokens)
                : try detector.detect(tokens: tokens, promptTokens: promptTokens, payloadCandidates: payload)
            var result = DetectionResult(verdict: verdict)
            result.test = detector.testDescription + (window == nil ? "" : "; window: the best window's p-value × the number of windows (Bonferroni)")
            result.assumes = detector.nullAssumption
            if let window {
                let windowed = try detector.detectWindowed(tokens: tokens, promptTokens: promptTokens, windowLength: window)
                result.windowed = windowed
            }
            return result
        }
        guard let input else {
            let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            try Self.printJSON(try test(text))
            return
        }
        var failures = 0
        for (number, line) in try Self.readFile(input).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            guard let item = try? JSONDecoder().decode(InputLine.self, from: Data(line.utf8)), let text = item.text else {
                FileHandle.standardError.write(Data("line \(number + 1) of \(input): not a JSON object with a \"text\" string; skipped\n".utf8))
                failures += 1
                continue
            }
            do {
                var result = try test(text)
                result.id = item.id
                try Self.printJSON(result)
            } catch {
                failures += 1
                try Self.printJSON(DetectionResult(id: item.id, error: String(describing: error)))
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    private func watermarkConfiguration() throws -> WatermarkConfiguration {
        let scheme = try WatermarkScheme(parsing: self.scheme)
        var configuration = WatermarkConfiguration(scheme: scheme, key: WatermarkKey(vllmKey: 0))
        try schemeOptions.apply(to: &configuration)
        if let key {
            configuration.key = try WatermarkKey(parsing: key, scheme: scheme)
        } else if !(scheme == .vllmGumbel && schemeOptions.watermarkConfig != nil) {
            throw InvalidInput(scheme == .vllmGumbel ? "give vLLM's key: --key N or --watermark-config '{\"key\": N, …}'"
                                                     : "give the watermark key: --key with the 64 hex digits `aegis keys new` printed")
        }
        if !account.isEmpty, payloadBits == nil { configuration.payloadBits = AccountPayload.defaultBits }
        if let payloadBits {
            guard payloadBits >= 1 else { throw InvalidInput("--payload-bits must be between 1 and 32 (got \(payloadBits))") }
            configuration.payloadBits = payloadBits
        }
        if let window, window < 1 { throw InvalidInput("--window must be at least 1 token (got \(window))") }
        if !payload.isEmpty {
            guard let payloadBits else { throw InvalidInput("--payload needs --payload-bits (the width the text was generated with)") }
            if let wide = payload.first(where: { payloadBits < 32 && $0 >> UInt32(payloadBits) != 0 }) {
                throw InvalidInput("--payload \(wide) does not fit in --payload-bits \(payloadBits)")
            }
            if window != nil { throw InvalidInput("--payload and --window cannot be combined; test the whole text with --payload") }
        }
        if !account.isEmpty, window != nil {
            throw InvalidInput("--account and --window cannot be combined; test the whole text with --account")
        }
        try configuration.validate()
        return configuration
    }

    private static func readFile(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InvalidInput("cannot read \(path); check the path")
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func printJSON(_ result: DetectionResult) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(result), as: UTF8.self))
    }
}

/// One line of `--input`.
private struct InputLine: Decodable {
    var id: JSONValue?
    var text: String?
}

/// One printed result: the verdict's fields, with "id" (with --input), the best window
/// (with --window), or "error" for an input line that could not be tested.
private struct DetectionResult: Encodable {
    var id: JSONValue?
    var verdict: WatermarkVerdict?
    var windowed: WindowedVerdict?
    var error: String?
    /// The test behind "p_value", and what it assumes about the key and the text.
    var test: String?
    var assumes: String?

    init(verdict: WatermarkVerdict) { self.verdict = verdict }
    init(id: JSONValue?, error: String) { self.id = id; self.error = error }

    private enum Keys: String, CodingKey {
        case id, error, window, test, assumes
    }

    func encode(to encoder: any Encoder) throws {
        try verdict?.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        if let id { try container.encode(id, forKey: .id) }
        if let error { try container.encode(error, forKey: .error) }
        if let windowed { try container.encode(windowed, forKey: .window) }
        if let test { try container.encode(test, forKey: .test) }
        if let assumes { try container.encode(assumes, forKey: .assumes) }
    }
}

import AegisCore
import ArgumentParser
import Foundation
import Inference
import Watermark

/// `aegis generate`: writes a completion with the built-in engine, optionally watermarked.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate text with the built-in engine, optionally watermarked.",
        discussion: """
        Prints the completion (streamed on a terminal), or with --json one object \
        {"text","token_ids","prompt_tokens","completion_tokens","tokens_per_second"}. \
        The same --seed gives the same output. With --watermark, the scheme options \
        must match those later given to `aegis detect`.
        """
    )

    @Option(help: "The GGUF model to run.")
    var model = "models/SmolLM2-135M-Instruct.Q4_1.gguf"

    @Option(help: "Raw prompt text (special tokens such as <|im_start|> are recognised).")
    var prompt: String?

    @Option(help: "One user message, wrapped in the model's chat template.")
    var chat: String?

    @Option(name: .customLong("max-tokens"), help: "Most tokens to generate.")
    var maxTokens = 200

    @Option(help: "Sampling temperature; 0 is greedy.")
    var temperature: Float = 0.8

    @Option(name: .customLong("top-p"), help: "Nucleus sampling mass (1 = off).")
    var topP: Float = 0.95

    @Option(name: .customLong("top-k"), help: "Keep the k most likely tokens (0 = off).")
    var topK = 0

    @Option(name: .customLong("min-p"), help: "Drop tokens below this fraction of the best one's probability (0 = off).")
    var minP: Float = 0.05

    @Option(name: .customLong("repeat-penalty"), help: "Repetition penalty over the last 64 tokens (1 = off).")
    var repeatPenalty: Float = 1.0

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Compute threads (default: all processors).")
    var threads: Int?

    @Option(help: "Watermark scheme: kgw, gumbel, synthid or vllm-gumbel.")
    var watermark: String?

    @Option(help: "The 256-bit watermark key as 64 hex digits (from `aegis keys new`); for vllm-gumbel vLLM's integer key (or give --watermark-config).")
    var key: String?

    @OptionGroup(title: "Scheme options")
    var schemeOptions: SchemeOptions

    @Option(name: .customLong("payload-bits"), help: "Bits of payload to embed (0–32).")
    var payloadBits: Int?

    @Option(help: "The payload to embed (its low --payload-bits bits).")
    var payload: UInt32?

    @Flag(help: "Print one JSON object instead of the text.")
    var json = false

    func validate() throws {
        guard (prompt == nil) != (chat == nil) else { throw ValidationError("give exactly one of --prompt or --chat") }
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be at least 1 (got \(maxTokens))") }
        guard temperature >= 0, temperature.isFinite else { throw ValidationError("--temperature must be ≥ 0 (got \(temperature))") }
        guard topP > 0, topP <= 1 else { throw ValidationError("--top-p must lie in (0, 1] (got \(topP))") }
        guard (0...1).contains(minP) else { throw ValidationError("--min-p must lie in [0, 1] (got \(minP))") }
        guard topK >= 0 else { throw ValidationError("--top-k must be ≥ 0 (got \(topK))") }
        guard repeatPenalty > 0 else { throw ValidationError("--repeat-penalty must be > 0 (got \(repeatPenalty))") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
        if watermark != nil, key == nil, schemeOptions.watermarkConfig == nil {
            throw ValidationError("--watermark needs --key (make one with `aegis keys new`; for vllm-gumbel vLLM's integer key or --watermark-config)")
        }
        if watermark == nil, key != nil { throw ValidationError("--key is only used with --watermark kgw|gumbel|synthid|vllm-gumbel") }
    }

    func run() throws {
        let generator = try TextGenerator(path: model, threads: threads)
        let input: TextGenerator.Prompt = chat.map { .chat([.user($0)]) } ?? .text(prompt ?? "", parseSpecialTokens: true)
        let promptTokens = try generator.tokens(for: input)
        let sampling = SamplerConfiguration(temperature: temperature, topK: topK, topP: topP, minP: minP,
                                            repetitionPenalty: repeatPenalty, seed: seed)
        let streaming = !json && isatty(STDOUT_FILENO) == 1
        let printPiece: ((String) -> Bool)? = streaming ? { piece in
            FileHandle.standardOutput.write(Data(piece.utf8))
            return true
        } : nil
        let output = try generator.generate(promptTokens, maxTokens: maxTokens, sampling: sampling,
                                            chooser: try watermarkSampler(), onText: printPiece)
        let completion = output.completion
        let completionText = output.text
        if json {
            let result = GenerateOutput(text: completionText, token_ids: completion.tokens,
                                        prompt_tokens: completion.promptTokens,
                                        completion_tokens: completion.tokens.count,
                                        tokens_per_second: (completion.tokensPerSecond * 10).rounded() / 10)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else if streaming {
            print(output.unstreamedTail)
        } else {
            print(completionText)
        }
    }

    private func watermarkSampler() throws -> WatermarkSampler? {
        guard let watermark else { return nil }
        let scheme = try WatermarkScheme(parsing: watermark)
        var configuration = WatermarkConfiguration(scheme: scheme, key: WatermarkKey(vllmKey: 0))
        try schemeOptions.apply(to: &configuration)
        if let key {
            configuration.key = try WatermarkKey(parsing: key, scheme: scheme)
        } else if !(scheme == .vllmGumbel && schemeOptions.watermarkConfig != nil) {
            throw InvalidInput("--watermark \(scheme) needs --key")
        }
        if let payloadBits { configuration.payloadBits = payloadBits }
        if let payload { configuration.payload = payload }
        try configuration.validate()
        return WatermarkSampler(configuration: configuration)
    }
}

/// The --json output of `aegis generate` (field names are the CLI contract).
private struct GenerateOutput: Encodable {
    var text: String
    var token_ids: [TokenID]
    var prompt_tokens: Int
    var completion_tokens: Int
    var tokens_per_second: Double
}

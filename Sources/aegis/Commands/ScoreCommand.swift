import AegisCore
import ArgumentParser
import Foundation
import Inference

/// `aegis score`: teacher forcing over a text file, one JSON line per position.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Print each token's log-probability and the model's top-k, as JSON lines.",
        discussion: """
        The text is tokenized without special-token parsing; every token after the first \
        gets one line {"position","token","text","logprob","top":[{"token","text","logprob"}]} \
        (natural-log probabilities under the full-vocabulary softmax).
        """
    )

    @Option(help: "The GGUF model to run.")
    var model = "models/SmolLM2-135M-Instruct.Q4_1.gguf"

    @Option(name: .customLong("text-file"), help: "The text to score.")
    var textFile: String

    @Option(name: .customLong("top-k"), help: "Most likely tokens listed per position.")
    var topK = 5

    @Option(help: "Compute threads (default: all processors).")
    var threads: Int?

    func validate() throws {
        guard (0...100).contains(topK) else { throw ValidationError("--top-k must be between 0 and 100 (got \(topK))") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: textFile) else {
            throw InvalidInput("cannot read \(textFile); check the path")
        }
        let gguf = try GGUFFile(path: model)
        let languageModel = try LanguageModel(gguf: gguf)
        let tokenizer = try Tokenizer(gguf: gguf)
        let tokens = tokenizer.encode(String(decoding: data, as: UTF8.self), parseSpecialTokens: false)
        guard tokens.count >= 2 else { throw InvalidInput("\(textFile) has fewer than two tokens; there is nothing to score") }
        let limit = languageModel.configuration.contextLength
        guard tokens.count <= limit else { throw InferenceError.contextOverflow(needed: tokens.count, available: limit) }
        let session = InferenceSession(model: languageModel, contextLength: tokens.count, threadCount: threads)
        let predictions = try session.teacherForce(tokens, topK: topK)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for (index, prediction) in predictions.enumerated() {
            guard let next = prediction.next else { continue }
            let line = ScoreLine(
                position: index + 1, token: next.token, text: tokenizer.decode([next.token]),
                logprob: Double(next.logProbability),
                top: prediction.top.map { .init(token: $0.token, text: tokenizer.decode([$0.token]),
                                                logprob: Double($0.logProbability)) })
            print(String(decoding: try encoder.encode(line), as: UTF8.self))
        }
    }
}

/// One position of `aegis score` output.
private struct ScoreLine: Encodable {
    struct Candidate: Encodable {
        var token: TokenID
        var text: String
        var logprob: Double
    }
    var position: Int
    var token: TokenID
    var text: String
    var logprob: Double
    var top: [Candidate]
}

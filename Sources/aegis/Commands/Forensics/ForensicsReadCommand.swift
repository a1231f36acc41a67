import AegisCore
import ArgumentParser
import Forensics
import Foundation
import Inference
import Watermark

/// `aegis forensics read`: reading mode on an open (GGUF) suspect.
struct ForensicsReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Teacher-force text through a suspect GGUF and test its own predictions for our watermark.",
        discussion: """
        --text holds one {"text"} (or {"answer"}, as in a probe cache) object per line, e.g. our own \
        watermarked answers. The suspect's top-1 prediction after every window is scored; the text's \
        own tuples are excluded, so reading watermarked text does not incriminate an innocent model.
        """
    )

    @Option(help: "The suspect model (a GGUF with the watermarked model's vocabulary).")
    var suspect: String

    @Option(help: "JSONL file of texts to read.")
    var text: String

    @Option(name: .customLong("max-texts"), help: "Read at most this many texts.")
    var maxTexts: Int?

    @OptionGroup var options: ForensicsOptions

    func run() throws {
        let report = try Self.read(suspect: suspect, textFile: text, maxTexts: maxTexts, options: options, requireAccounts: false)
        try options.print(report)
    }

    static func read(suspect path: String, textFile: String, maxTexts: Int?, options: ForensicsOptions,
                     requireAccounts: Bool) throws -> ForensicReport {
        let configuration = try options.configuration(key: try options.key())
        let directory = try options.directory(requireAccounts: requireAccounts)
        let reference = try GGUFFile(path: options.model)
        let tokenizer = try Tokenizer(gguf: reference)
        var suspect = try SuspectModel(path: path, reference: reference, threads: options.threads)
        var lines = try ForensicsTextFile.read(textFile, fields: ["text", "answer"])
        if let maxTexts { lines = Array(lines.prefix(max(0, maxTexts))) }
        let texts = lines.map { tokenizer.encode($0.text, parseSpecialTokens: false) }
        let prompts = lines.compactMap { $0.prompt.map { tokenizer.encode($0, parseSpecialTokens: false) } }
        let bar = ProgressBar(label: "read", total: texts.count)
        let corpus = try ReadingMode.read(texts: texts, prompts: prompts, suspect: &suspect,
                                          scorer: TupleScorer(configuration: configuration)) { bar.update($0) }
        bar.finish()
        return try ForensicAnalysis(directory: directory, alpha: options.alpha,
                                    threads: options.threads ?? ProcessInfo.processInfo.activeProcessorCount)
            .report(corpus, mode: "reading")
    }
}

import AegisCore
import ArgumentParser
import Forensics
import Foundation

/// `aegis forensics attribute`: which accounts' payloads the suspect carries.
struct ForensicsAttributeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attribute",
        abstract: "Test every account's payload in a suspect and name the significant accounts (Holm).",
        discussion: """
        Give the suspect's answers (--answers, a probe cache) or an open suspect (--suspect S.gguf \
        --text F.jsonl), and the accounts (--accounts FILE or --accounts-log LOG). Each payload is \
        tested once; accounts are named where the Holm-adjusted p-value is ≤ --alpha; none otherwise.
        """
    )

    @Option(help: "A probe's answers cache (closed model).")
    var answers: String?

    @Option(help: "The suspect model (open model, reading mode).")
    var suspect: String?

    @Option(help: "With --suspect: JSONL file of texts to read.")
    var text: String?

    @Option(name: .customLong("exclude-prompt-windows"), help: "With --answers: do not score tuples that occur in the prompts (true or false).")
    var excludePromptWindows = true

    @OptionGroup var options: ForensicsOptions

    func run() throws {
        let report: ForensicReport
        switch (answers, suspect, text) {
        case let (answers?, nil, nil):
            report = try ForensicsProbeCommand.test(answersFile: answers, options: options,
                                                    excludePromptWindows: excludePromptWindows, requireAccounts: true)
        case let (nil, suspect?, text?):
            report = try ForensicsReadCommand.read(suspect: suspect, textFile: text, maxTexts: nil, options: options,
                                                   requireAccounts: true)
        default:
            throw InvalidInput("give either --answers CACHE.jsonl, or --suspect S.gguf with --text F.jsonl")
        }
        try options.print(report)
    }
}

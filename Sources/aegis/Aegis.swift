import ArgumentParser

/// The `aegis` command-line tool: a thin layer over the library modules.
///
/// Each subcommand lives in its own file under `Commands/` and only parses
/// arguments, calls a module and prints the result; errors that reach here are
/// `AegisError`s whose one-line message is printed before a non-zero exit.
@main
struct Aegis: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aegis",
        abstract: "Detect, enforce, watermark and prove against model distillation.",
        discussion: """
        Start with `aegis keys new` to make a watermark key, then `aegis generate` \
        to write watermarked text and `aegis detect` to test text for the mark.
        """,
        subcommands: [
            KeysCommand.self,
            GenerateCommand.self,
            DetectCommand.self,
            ScoreCommand.self,
            ScanCommand.self,
            SimulateCommand.self,
            ServeCommand.self,
            AccountsCommand.self,
            EventsCommand.self,
            ExchangeCommand.self,
            ForensicsCommand.self,
        ]
    )
}

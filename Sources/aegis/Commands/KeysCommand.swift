import ArgumentParser
import Watermark

/// `aegis keys …`: secrets for the watermark (and, with the gateway, API keys).
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create watermark keys.",
        subcommands: [New.self]
    )

    /// `aegis keys new`: prints a fresh 256-bit key as 64 hex digits.
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a fresh 256-bit watermark key as 64 hex digits.",
            discussion: "Keep the key secret: anyone holding it can detect and forge the watermark."
        )

        func run() {
            print(WatermarkKey.random().hex)
        }
    }
}

import ArgumentParser

/// `aegis forensics …`: prove that a suspect model learned from our watermarked answers.
struct ForensicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forensics",
        abstract: "Test a suspect model for our watermark and name the accounts that leaked it.",
        discussion: """
        `probe` asks a closed model (any OpenAI-compatible endpoint) and tests its answers; \
        `read` teacher-forces text through an open model (a GGUF) and tests its own predictions; \
        `attribute` runs either test per account payload. Every p-value is exact for the key \
        and names its test; see docs/forensics.md.
        """,
        subcommands: [ForensicsProbeCommand.self, ForensicsReadCommand.self, ForensicsAttributeCommand.self]
    )
}

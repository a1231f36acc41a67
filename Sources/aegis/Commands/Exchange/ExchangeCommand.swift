import ArgumentParser

/// `aegis exchange …`: the consortium exchange over TAXII 2.1 (docs/exchange.md).
struct ExchangeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchange",
        abstract: "Share distillation-campaign indicators with peer providers over TAXII 2.1.",
        discussion: """
        Run a server with `aegis exchange serve`, manage its users and collections with \
        `aegis exchange users add` and `aegis exchange collections create|list`, publish flagged \
        campaigns with `aegis exchange publish`, fetch peers' indicators with `aegis exchange pull`, \
        use them with `aegis scan --indicators`, and report matches back with `aegis exchange sight`. \
        Client commands take the password from AEGIS_EXCHANGE_PASSWORD and the consortium key from \
        --consortium-key FILE or AEGIS_CONSORTIUM_KEY (ID:HEX).
        """,
        subcommands: [ExchangeServeCommand.self, ExchangeUsersCommand.self, ExchangeCollectionsCommand.self,
                      ExchangePublishCommand.self, ExchangePullCommand.self, ExchangeSightCommand.self,
                      ExchangeRevokeCommand.self]
    )
}

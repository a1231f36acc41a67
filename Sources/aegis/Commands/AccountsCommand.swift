import AegisCore
import ArgumentParser
import Foundation
import Store

/// `aegis accounts …`: the static policy (blocks and per-account overrides).
struct AccountsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts",
        abstract: "Block, unblock, limit and inspect accounts (the gateway's static policy, the detector's decisions).",
        discussion: "A running gateway picks changes up within a second.",
        subcommands: [Block.self, Unblock.self, Limit.self, Meta.self, List.self, Show.self]
    )

    struct Block: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Block an account: its requests get 403 with the reason.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Account name.") var name: String
        @Option(help: "Why; shown to the account's clients and kept for audit.") var reason: String

        func run() async throws {
            try await store.open().setBlocked(name, reason: reason)
            print("blocked \(name): \(reason)")
        }
    }

    struct Unblock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Unblock an account.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Account name.") var name: String

        func run() async throws {
            try await store.open().setBlocked(name, reason: nil)
            print("unblocked \(name)")
        }
    }

    struct Limit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set per-account overrides (all keys together); omitted ones are cleared.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Account name.") var name: String
        @Option(help: "Requests per minute for the whole account.") var rpm: Int?
        @Option(help: "Tokens per minute for the whole account.") var tpm: Int?
        @Option(help: "Requests in flight at once for the whole account.") var concurrency: Int?
        @Option(name: .customLong("max-tokens"), help: "Cap on max_tokens; larger requests are degraded to it.")
        var maxTokens: Int?

        func run() async throws {
            let overrides = AccountOverrides(
                limits: .init(requestsPerMinute: rpm, tokensPerMinute: tpm, concurrency: concurrency), maxTokens: maxTokens)
            try await store.open().setOverrides(name, overrides)
            print("limits set for \(name)")
        }
    }

    struct Meta: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set what sign-up and billing know of an account; omitted ones are cleared.",
            discussion: """
            The gateway writes these into every exchange's account_meta, and the detector links \
            accounts that share a payment fingerprint or an e-mail domain (a shared card is the \
            strongest tie between the accounts of one campaign). Feed them from the sign-up \
            pipeline; give the payment processor's fingerprint, never a card number.
            """)
        @OptionGroup var store: StoreOptions
        @Argument(help: "Account name.") var name: String
        @Option(name: .customLong("payment-fingerprint"), help: "Opaque fingerprint of the payment instrument.")
        var paymentFingerprint: String?
        @Option(name: .customLong("email-domain"), help: "Domain of the account's e-mail address, e.g. example.com.")
        var emailDomain: String?
        @Option(help: "The account's plan, e.g. free or pro.") var tier: String?

        func run() async throws {
            if let emailDomain, emailDomain.contains("@") {
                throw InvalidInput("--email-domain takes the domain only (example.com), not an address")
            }
            let metadata = AccountMetadata(paymentFingerprint: paymentFingerprint, emailDomain: emailDomain?.lowercased(),
                                           tier: tier)
            try await store.open().setMetadata(name, metadata)
            print("metadata set for \(name)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts as JSON lines.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = .sortedKeys
            for account in try await store.open().accounts() {
                print(String(decoding: try encoder.encode(account), as: UTF8.self))
            }
        }
    }
}

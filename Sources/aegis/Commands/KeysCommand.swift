import AegisCore
import ArgumentParser
import Foundation
import Store
import Watermark

/// `aegis keys …`: watermark keys and the gateway's API keys.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create watermark keys and manage the gateway's API keys.",
        subcommands: [New.self, Create.self, Revoke.self, List.self]
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

    /// `aegis keys create`: a new API key for an account.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API key for an account and print its secret once.",
            discussion: """
            Only a keyed hash of the secret is stored: print it now and hand it over; it cannot be shown again. \
            Output: the secret on the first line, then the key id.
            """
        )
        @OptionGroup var store: StoreOptions
        @Option(help: "Account the key belongs to (created when new).") var account: String
        @Option(help: "Requests per minute allowed on this key.") var rpm: Int?
        @Option(help: "Tokens per minute allowed on this key (max_tokens × n reserved, settled with usage).") var tpm: Int?
        @Option(help: "Requests in flight at once on this key (streams included).") var concurrency: Int?

        func validate() throws {
            for (name, value) in [("rpm", rpm), ("tpm", tpm), ("concurrency", concurrency)] {
                if let value, value < 0 { throw ValidationError("--\(name) must be 0 or more (got \(value))") }
            }
        }

        func run() async throws {
            let created = try await store.open().createKey(
                account: account, limits: .init(requestsPerMinute: rpm, tokensPerMinute: tpm, concurrency: concurrency))
            print(created.secret)
            print("key id: \(created.key.id)  account: \(created.key.account)")
        }
    }

    /// `aegis keys revoke`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API key by id (takes effect within a second).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The key id (see `aegis keys list`).") var id: String

        func run() async throws {
            try await store.open().revokeKey(id: id)
            print("revoked \(id)")
        }
    }

    /// `aegis keys list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List API keys (ids, accounts, limits, state; never secrets).")
        @OptionGroup var store: StoreOptions
        @Flag(help: "One JSON object per line instead of a table.") var json = false

        func run() async throws {
            let keys = try await store.open().keys()
            let formatter = ISO8601DateFormatter()
            if json {
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = .sortedKeys
                for key in keys { print(String(decoding: try encoder.encode(key), as: UTF8.self)) }
                return
            }
            print("id                    account               rpm     tpm       conc  created               state")
            for key in keys {
                func field(_ value: Int?) -> String { value.map(String.init) ?? "-" }
                let state = key.revoked.map { "revoked " + formatter.string(from: $0) } ?? "live"
                print([key.id.padding(toLength: 21, withPad: " ", startingAt: 0),
                       key.account.padding(toLength: 21, withPad: " ", startingAt: 0),
                       field(key.limits.requestsPerMinute).padding(toLength: 7, withPad: " ", startingAt: 0),
                       field(key.limits.tokensPerMinute).padding(toLength: 9, withPad: " ", startingAt: 0),
                       field(key.limits.concurrency).padding(toLength: 5, withPad: " ", startingAt: 0),
                       formatter.string(from: key.created), state].joined(separator: " "))
            }
        }
    }
}

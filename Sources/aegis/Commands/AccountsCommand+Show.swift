import AegisCore
import ArgumentParser
import Foundation
import Store

extension AccountsCommand {
    /// `aegis accounts show NAME`: everything the gateway knows and decided about one account.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one account: its policy, keys, and the decisions taken on it with their reasons.",
            discussion: """
            Decisions come from two sources: "detector" records each change of the live detector's \
            standing on the account (with the score, campaign and top signals; "dry run" when \
            `aegis serve --detection dry-run` only recorded it), and "policy" records each change in \
            how the account's requests were served (the exchange log has the decision of every request).
            """)
        @OptionGroup var store: StoreOptions
        @Argument(help: "Account name.") var name: String
        @Option(help: "Show at most this many of the latest decisions (0: all).") var last = 20
        @Flag(help: "Print one JSON object instead of text.") var json = false

        func run() async throws {
            let store = try store.open()
            guard let account = try await store.account(name) else {
                throw InvalidInput("no account named '\(name)' in this database; list them with `aegis accounts list`")
            }
            let keys = try await store.keys().filter { $0.account == name }
            let all = try await store.decisions(account: name)
            let decisions = last > 0 ? Array(all.suffix(last)) : all
            if json {
                try printJSON(account: account, keys: keys, decisions: decisions, total: all.count)
            } else {
                printText(account: account, keys: keys, decisions: decisions, history: all)
            }
        }

        private func printText(account: Account, keys: [APIKey], decisions: [PolicyDecisionRecord],
                               history: [PolicyDecisionRecord]) {
            print("account \(account.name), created \(ExchangeTime.format(account.created))")
            print("  status: " + (account.blockedReason.map { "blocked by the operator: \($0)" } ?? "not blocked by the operator"))
            let limits = account.overrides.limits
            if !limits.isUnlimited || account.overrides.maxTokens != nil {
                let parts = [limits.requestsPerMinute.map { "\($0) rpm" }, limits.tokensPerMinute.map { "\($0) tpm" },
                             limits.concurrency.map { "\($0) concurrent" }, account.overrides.maxTokens.map { "max_tokens \($0)" }]
                print("  operator limits: " + parts.compactMap { $0 }.joined(separator: ", "))
            }
            let metadata = account.metadata
            if !metadata.isEmpty {
                let parts = [metadata.paymentFingerprint.map { "payment \($0)" }, metadata.emailDomain.map { "e-mail @\($0)" },
                             metadata.tier.map { "tier \($0)" }]
                print("  sign-up: " + parts.compactMap { $0 }.joined(separator: ", "))
            }
            let live = keys.filter { $0.revoked == nil }.count
            print("  keys: \(keys.count) (\(live) live): " + keys.map { $0.revoked == nil ? $0.id : "\($0.id) (revoked)" }.joined(separator: ", "))
            if let standing = history.last(where: { $0.source == "detector" }) {
                let mode = standing.dryRun ? " (dry run: recorded, not applied)" : ""
                print("  detector: \(standing.action)\(mode) since \(ExchangeTime.format(standing.time))")
                print("    \(standing.reason)")
            } else {
                print("  detector: no decision recorded (never above a threshold, or detection off)")
            }
            print("  decisions (\(decisions.count) of \(history.count), oldest first):")
            for record in decisions {
                let mode = record.dryRun ? " [dry run]" : ""
                let exchange = record.exchangeID.map { " (\($0))" } ?? ""
                print("    \(ExchangeTime.format(record.time))  \(record.source)  \(record.action)\(mode)\(exchange): \(record.reason)")
            }
        }

        private func printJSON(account: Account, keys: [APIKey], decisions: [PolicyDecisionRecord], total: Int) throws {
            struct Report: Encodable {
                var account: Account
                var keys: [APIKey]
                var decisions: [PolicyDecisionRecord]
                var decisionsTotal: Int
            }
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            let report = Report(account: account, keys: keys, decisions: decisions, decisionsTotal: total)
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
    }
}

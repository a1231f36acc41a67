import AegisCore
import ArgumentParser
import Consortium
import Foundation

/// `aegis exchange users …`.
struct ExchangeUsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Manage the exchange server's users.", subcommands: [Add.self])

    /// `aegis exchange users add`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user (or replace its password and rights); the password is read from standard input.",
            discussion: "Only a salted PBKDF2-HMAC-SHA256 hash (600,000 rounds) of the password is stored.")

        @Option(help: "The exchange database.") var db: String
        @Option(help: "The user name.") var name: String
        @Option(help: "Collection ids the user may read, comma-separated.") var read: String = ""
        @Option(help: "Collection ids the user may add to, comma-separated.") var write: String = ""

        func run() throws {
            guard !name.isEmpty, !name.contains(":") else { throw InvalidInput("--name must be non-empty and contain no ':'") }
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw InvalidInput("write the password on standard input, e.g. `echo \"$PASSWORD\" | aegis exchange users add …`")
            }
            let database = try ConsortiumDatabase(path: db)
            func list(_ text: String) -> [String] { text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            try database.setUser(name: name, passwordHash: PasswordHash(password: line).encoded,
                                 read: list(read), write: list(write))
            print("user \(name): read \(list(read).count), write \(list(write).count) collections")
        }
    }
}

import AegisCore
import ArgumentParser
import Consortium

/// `aegis exchange collections …`.
struct ExchangeCollectionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collections", abstract: "Manage the exchange server's collections.", subcommands: [Create.self, List.self])

    /// `aegis exchange collections create`.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a collection and print its id.")
        @Option(help: "The exchange database.") var db: String
        @Option(help: "The collection's title.") var title: String
        @Option(help: "A description.") var description: String?

        func run() throws {
            guard !title.isEmpty else { throw InvalidInput("--title must not be empty") }
            print(try ConsortiumDatabase(path: db).createCollection(title: title, description: description))
        }
    }

    /// `aegis exchange collections list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List collections: id, a tab, title.")
        @Option(help: "The exchange database.") var db: String

        func run() throws {
            for c in try ConsortiumDatabase(path: db).collections() { print("\(c.id)\t\(c.title)") }
        }
    }
}

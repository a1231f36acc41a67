import ArgumentParser
import Store

/// `--db` and `--secret-file`, shared by every command that opens the store.
struct StoreOptions: ParsableArguments {
    @Option(help: "SQLite database file (created when missing).")
    var db: String = "aegis.db"

    @Option(name: .customLong("secret-file"),
            help: "File with the secret under which API keys are hashed (default: the --db path plus .secret; created 0600 when missing).")
    var secretFile: String?

    func open() throws -> SQLiteStore {
        try SQLiteStore(path: db, secretPath: secretFile)
    }
}

import GRDB

/// The exchange server's own SQLite schema, as GRDB migrations applied in order.
///
/// The exchange keeps its own database file (`aegis exchange serve --db`)
/// rather than tables in the gateway's store: a provider usually runs the
/// exchange on another host than its gateway, and peers' objects have nothing
/// to do with its users' traffic (docs/exchange.md).
enum ConsortiumSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("consortium-v1") { db in
            try db.execute(sql: """
                CREATE TABLE collections (
                    id TEXT PRIMARY KEY NOT NULL,
                    title TEXT NOT NULL,
                    description TEXT,
                    created INTEGER NOT NULL
                );
                CREATE TABLE users (
                    name TEXT PRIMARY KEY NOT NULL,
                    password_hash TEXT NOT NULL
                );
                CREATE TABLE permissions (
                    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                    collection TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
                    can_read INTEGER NOT NULL,
                    can_write INTEGER NOT NULL,
                    PRIMARY KEY (user, collection)
                );
                CREATE TABLE objects (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    collection TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
                    id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    version TEXT NOT NULL,
                    version_us INTEGER NOT NULL,
                    spec_version TEXT NOT NULL,
                    date_added INTEGER NOT NULL,
                    json TEXT NOT NULL,
                    UNIQUE (collection, id, version_us)
                );
                -- UNIQUE (collection, id, version_us) is also the index of versions and match[id].
                CREATE INDEX objects_added ON objects(collection, date_added);
                -- Pages walk a collection in insertion order from a cursor.
                CREATE INDEX objects_paging ON objects(collection, seq);
                CREATE TABLE statuses (
                    id TEXT PRIMARY KEY NOT NULL,
                    user TEXT NOT NULL,
                    created INTEGER NOT NULL,
                    json TEXT NOT NULL
                );
                """)
        }
        return migrator
    }
}

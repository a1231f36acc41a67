import GRDB

/// The SQLite schema, as GRDB migrations (applied in order, once each).
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE accounts (
                    name TEXT PRIMARY KEY NOT NULL,
                    created REAL NOT NULL,
                    blocked_reason TEXT,
                    rpm INTEGER, tpm INTEGER, concurrency INTEGER,
                    max_tokens INTEGER
                );
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY NOT NULL,
                    account TEXT NOT NULL REFERENCES accounts(name),
                    hash BLOB NOT NULL UNIQUE,
                    created REAL NOT NULL,
                    revoked REAL,
                    rpm INTEGER, tpm INTEGER, concurrency INTEGER
                );
                CREATE TABLE exchanges (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    time REAL NOT NULL,
                    account TEXT,
                    key_id TEXT,
                    endpoint TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    line TEXT NOT NULL
                );
                CREATE INDEX exchanges_time ON exchanges(time);
                CREATE INDEX exchanges_account ON exchanges(account, time);
                CREATE TABLE policy_decisions (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    time REAL NOT NULL,
                    account TEXT NOT NULL,
                    action TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    exchange_id TEXT
                );
                """)
        }
        // Who took a decision (the operator's static policy or the live
        // detector), and whether it was only recorded (dry run), so that
        // `aegis accounts show` can tell an enforced block from a would-be one.
        migrator.registerMigration("v2-decision-source") { db in
            try db.execute(sql: """
                ALTER TABLE policy_decisions ADD COLUMN source TEXT NOT NULL DEFAULT 'policy';
                ALTER TABLE policy_decisions ADD COLUMN dry_run INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX policy_decisions_account ON policy_decisions(account, seq);
                """)
        }
        // Sign-up and billing facts the detector links accounts by (`aegis accounts meta`).
        migrator.registerMigration("v3-account-metadata") { db in
            try db.execute(sql: """
                ALTER TABLE accounts ADD COLUMN payment_fingerprint TEXT;
                ALTER TABLE accounts ADD COLUMN email_domain TEXT;
                ALTER TABLE accounts ADD COLUMN tier TEXT;
                """)
        }
        return migrator
    }
}

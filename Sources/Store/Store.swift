import Foundation

/// Everything the gateway persists, behind one protocol.
///
/// SQLite (``SQLiteStore``) is the embedded default; a PostgreSQL backend
/// implements the same protocol for several gateway nodes sharing one database.
/// Methods are `async` so a networked backend fits without changing callers.
/// Implementations must be safe to call from many tasks at once.
public protocol Store: Sendable {
    // MARK: Accounts

    /// Returns the account with this name, creating it when it does not exist yet.
    func ensureAccount(_ name: String) async throws -> Account
    /// Returns the account with this name, or nil.
    func account(_ name: String) async throws -> Account?
    /// Every account, ordered by name.
    func accounts() async throws -> [Account]
    /// Blocks the account with a reason shown to its clients, or unblocks it when `reason` is nil.
    func setBlocked(_ name: String, reason: String?) async throws
    /// Replaces the account's policy overrides (tighter limits, a max_tokens cap).
    func setOverrides(_ name: String, _ overrides: AccountOverrides) async throws
    /// Replaces the account's sign-up and billing metadata.
    func setMetadata(_ name: String, _ metadata: AccountMetadata) async throws

    // MARK: API keys

    /// Creates a key for the account (creating the account if needed) and returns
    /// its secret; only a keyed hash of the secret is kept.
    func createKey(account: String, limits: RateLimits) async throws -> CreatedKey
    /// Revokes a key by id; requests with it fail from then on.
    func revokeKey(id: String) async throws
    /// Every key, revoked ones included, ordered by creation.
    func keys() async throws -> [APIKey]
    /// The live (not revoked) key whose secret this is, or nil.
    func authenticate(secret: String) async throws -> APIKey?

    // MARK: Exchange log and policy decisions

    /// Appends a batch of exchanges in one durable transaction.
    func append(_ exchanges: [LoggedExchange]) async throws
    /// Calls `body` with each logged exchange at or after `since`, oldest first.
    func forEachExchange(since: Date?, _ body: @Sendable (LoggedExchange) throws -> Void) async throws
    /// Number of exchanges logged.
    func exchangeCount() async throws -> Int
    /// Records a policy decision that was not a plain allow.
    func record(_ decision: PolicyDecisionRecord) async throws
    /// Policy decisions recorded for an account (all accounts when nil), oldest first.
    func decisions(account: String?) async throws -> [PolicyDecisionRecord]
}

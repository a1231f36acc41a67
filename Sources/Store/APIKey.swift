import Foundation

/// An API key as stored: never the secret, only its id, owner, limits and state.
public struct APIKey: Sendable, Equatable, Codable {
    /// Public identifier ("key_…"), safe to log.
    public var id: String
    /// The account the key belongs to.
    public var account: String
    /// The key's own limits.
    public var limits: RateLimits
    /// When the key was created.
    public var created: Date
    /// When the key was revoked, or nil while it is live.
    public var revoked: Date?

    /// Creates a key record.
    public init(id: String, account: String, limits: RateLimits, created: Date, revoked: Date? = nil) {
        self.id = id
        self.account = account
        self.limits = limits
        self.created = created
        self.revoked = revoked
    }
}

/// A freshly created key: the record plus the secret, which is shown once and never stored.
public struct CreatedKey: Sendable {
    /// The stored record.
    public var key: APIKey
    /// The bearer secret ("sk-aegis-…"); print it once, then forget it.
    public var secret: String
}

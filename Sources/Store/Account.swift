import AegisCore
import Foundation

/// A customer account: the unit that keys belong to and that policy acts on.
public struct Account: Sendable, Equatable, Codable {
    /// The account's name, unique (e.g. "acct_42").
    public var name: String
    /// When the account was first seen.
    public var created: Date
    /// Why the account is blocked, or nil when it is not.
    public var blockedReason: String?
    /// Policy overrides for this account.
    public var overrides: AccountOverrides
    /// What the provider's sign-up and billing systems know of the account.
    public var metadata: AccountMetadata

    /// Creates an account value.
    public init(name: String, created: Date, blockedReason: String? = nil, overrides: AccountOverrides = .init(),
                metadata: AccountMetadata = .init()) {
        self.name = name
        self.created = created
        self.blockedReason = blockedReason
        self.overrides = overrides
        self.metadata = metadata
    }

    /// Checks that a name is usable as an account name: 1-128 printable characters.
    public static func validate(name: String) throws {
        guard !name.isEmpty, name.count <= 128,
              name.unicodeScalars.allSatisfy({ !CharacterSet.controlCharacters.contains($0) && $0 != " " })
        else {
            throw InvalidInput("account name must be 1-128 printable characters without spaces (got \"\(name.prefix(40))\")")
        }
    }
}

/// Per-account policy set by an operator: limits tighter than the keys', a cap on max_tokens.
public struct AccountOverrides: Sendable, Equatable, Codable {
    /// Limits applied to the whole account (all its keys together).
    public var limits: RateLimits
    /// Largest max_tokens the account may ask for; requests above are degraded to it.
    public var maxTokens: Int?

    /// Creates overrides; empty ones change nothing.
    public init(limits: RateLimits = .init(), maxTokens: Int? = nil) {
        self.limits = limits
        self.maxTokens = maxTokens
    }
}

/// An account's sign-up and billing facts, as the provider's own systems give
/// them (`aegis accounts meta`). The gateway copies them into each exchange's
/// `account_meta`, where the detector links accounts that share a payment
/// instrument or an e-mail domain: the strongest ties between the accounts of
/// one campaign. They are stored as given; give a fingerprint, never a card number.
public struct AccountMetadata: Sendable, Equatable, Codable {
    /// An opaque fingerprint of the payment instrument (e.g. the processor's card fingerprint).
    public var paymentFingerprint: String?
    /// The domain of the account's e-mail address.
    public var emailDomain: String?
    /// The account's plan ("free", "pro", …).
    public var tier: String?

    /// Creates metadata; empty by default.
    public init(paymentFingerprint: String? = nil, emailDomain: String? = nil, tier: String? = nil) {
        self.paymentFingerprint = paymentFingerprint
        self.emailDomain = emailDomain
        self.tier = tier
    }

    /// True when nothing is known.
    public var isEmpty: Bool { paymentFingerprint == nil && emailDomain == nil && tier == nil }
}

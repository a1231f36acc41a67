import Foundation

/// One API request and its response, as the gateway logs it: one line of the
/// exchange log (see docs/detection.md and DESIGN.md, "Exchange log").
///
/// Only ``id``, ``time``, ``account`` and ``request`` are required. Fields this
/// version does not know are kept in ``extra`` and written back unchanged, so
/// a log passed through Aegis loses nothing.
public struct Exchange: Sendable, Codable, Equatable {
    /// Unique id of the exchange, e.g. `ex_01J…`.
    public var id: String
    /// When the request arrived.
    public var time: Date
    /// The account that sent it.
    public var account: String
    /// The API key used (its id, never the secret). JSON `key_id`.
    public var keyID: String?
    /// Network facts about the caller.
    public var client: ClientInfo?
    /// Facts about the account at the time of the request. JSON `account_meta`.
    public var accountMeta: AccountMeta?
    /// The model asked for.
    public var model: String?
    /// The API route, e.g. `chat.completions`.
    public var endpoint: String?
    /// The request body as received (messages or prompt, sampling parameters…).
    public var request: JSONValue
    /// What was answered, when there was an answer.
    public var response: ExchangeResponse?
    /// A conversation id, when the client sent one.
    public var session: String?
    /// Top-level fields this version does not know, kept verbatim.
    public var extra: [String: JSONValue]

    /// Creates an exchange; only the four required fields have no default.
    public init(
        id: String, time: Date, account: String, keyID: String? = nil, client: ClientInfo? = nil,
        accountMeta: AccountMeta? = nil, model: String? = nil, endpoint: String? = nil,
        request: JSONValue, response: ExchangeResponse? = nil, session: String? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.time = time
        self.account = account
        self.keyID = keyID
        self.client = client
        self.accountMeta = accountMeta
        self.model = model
        self.endpoint = endpoint
        self.request = request
        self.response = response
        self.session = session
        self.extra = extra
    }
}

/// Network facts about the caller of one exchange.
public struct ClientInfo: Sendable, Codable, Equatable {
    /// IPv4 or IPv6 address as text.
    public var ip: String?
    /// The HTTP `User-Agent`. JSON `user_agent`.
    public var userAgent: String?
    /// Autonomous system number of the address.
    public var asn: Int?
    /// ISO 3166 country code of the address.
    public var country: String?
    /// Fields this version does not know, kept verbatim.
    public var extra: [String: JSONValue]

    /// Creates client facts; every field is optional.
    public init(ip: String? = nil, userAgent: String? = nil, asn: Int? = nil, country: String? = nil,
                extra: [String: JSONValue] = [:]) {
        self.ip = ip
        self.userAgent = userAgent
        self.asn = asn
        self.country = country
        self.extra = extra
    }
}

/// Facts about the account that sent an exchange (JSON `account_meta`).
public struct AccountMeta: Sendable, Codable, Equatable {
    /// When the account was created.
    public var created: Date?
    /// A keyed fingerprint of the payment method. JSON `payment_fingerprint`.
    public var paymentFingerprint: String?
    /// The domain of the account's e-mail address. JSON `email_domain`.
    public var emailDomain: String?
    /// The account's plan, e.g. `free`.
    public var tier: String?
    /// Fields this version does not know, kept verbatim.
    public var extra: [String: JSONValue]

    /// Creates account facts; every field is optional.
    public init(created: Date? = nil, paymentFingerprint: String? = nil, emailDomain: String? = nil,
                tier: String? = nil, extra: [String: JSONValue] = [:]) {
        self.created = created
        self.paymentFingerprint = paymentFingerprint
        self.emailDomain = emailDomain
        self.tier = tier
        self.extra = extra
    }
}

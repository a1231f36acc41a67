import Foundation

/// One exchange-log entry as stored: a few indexed fields and the full JSONL line.
///
/// The line follows the exchange-log contract of DESIGN.md; the store does not
/// interpret it, so fields added to the format never need a schema change.
public struct LoggedExchange: Sendable, Equatable {
    /// Exchange id ("ex_…"), unique.
    public var id: String
    /// When the request arrived.
    public var time: Date
    /// Account that made it, if it authenticated.
    public var account: String?
    /// Key id used, if it authenticated.
    public var keyID: String?
    /// "chat.completions", "completions", …
    public var endpoint: String
    /// HTTP status of the response.
    public var status: Int
    /// The exchange as one JSON object, without a trailing newline.
    public var line: String

    /// Creates an entry.
    public init(id: String, time: Date, account: String?, keyID: String?, endpoint: String, status: Int, line: String) {
        self.id = id
        self.time = time
        self.account = account
        self.keyID = keyID
        self.endpoint = endpoint
        self.status = status
        self.line = line
    }
}

/// A policy decision kept for audit: a request served under a policy other
/// than a plain allow, or the live detector changing an account's standing.
public struct PolicyDecisionRecord: Sendable, Equatable, Codable {
    /// When it was taken.
    public var time: Date
    /// The account it concerned.
    public var account: String
    /// "allow" (only when the detector clears an account), "throttle", "degrade" or "block".
    public var action: String
    /// Why, in words.
    public var reason: String
    /// The exchange it applied to, when known.
    public var exchangeID: String?
    /// Who took it: "policy" (the decider asked on a request) or "detector"
    /// (the live detector changing its mind about the account).
    public var source: String
    /// True when the decision was only recorded, not applied (detection in dry-run mode).
    public var dryRun: Bool

    /// Creates a record.
    public init(time: Date, account: String, action: String, reason: String, exchangeID: String? = nil,
                source: String = "policy", dryRun: Bool = false) {
        self.time = time
        self.account = account
        self.action = action
        self.reason = reason
        self.exchangeID = exchangeID
        self.source = source
        self.dryRun = dryRun
    }
}

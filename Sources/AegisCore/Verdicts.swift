import Foundation

/// What `aegis scan` concludes: every account seen, and the campaigns found
/// (DESIGN.md, "Verdicts"). Accounts are listed flagged or not.
public struct Verdicts: Sendable, Codable, Equatable {
    /// One verdict per account seen, highest score first.
    public var accounts: [AccountVerdict]
    /// The campaigns found, highest score first.
    public var campaigns: [Campaign]
    /// How the flag threshold was chosen (a stated false-positive rate on benign
    /// traffic, or a fixed score); nil when not stated. Written as `calibration`.
    public var calibration: VerdictCalibration?

    /// Creates verdicts.
    public init(accounts: [AccountVerdict] = [], campaigns: [Campaign] = [], calibration: VerdictCalibration? = nil) {
        self.accounts = accounts
        self.campaigns = campaigns
        self.calibration = calibration
    }

    /// The verdict for one account, if it was seen.
    public func account(_ name: String) -> AccountVerdict? {
        accounts.first { $0.account == name }
    }
}

/// The verdict on one account.
public struct AccountVerdict: Sendable, Codable, Equatable {
    /// The account's id.
    public var account: String
    /// Whether the account should be acted on.
    public var flagged: Bool
    /// Suspicion in [0, 1]: the larger of its own score and its campaign's.
    public var score: Double
    /// The campaign it belongs to; `null` in JSON (not omitted) when none.
    public var campaign: String?
    /// The strongest reasons, strongest first.
    public var reasons: [Reason]
    /// The share of benign reference accounts scoring at least as high (an
    /// empirical p-value against the benign population); nil without calibration.
    public var pValue: Double?
    /// The account's streams (system prompt, end user) scored on their own, when it has several.
    public var streams: [StreamVerdict] = []

    /// Creates a verdict.
    public init(account: String, flagged: Bool, score: Double, campaign: String? = nil, reasons: [Reason] = [],
                pValue: Double? = nil, streams: [StreamVerdict] = []) {
        self.pValue = pValue
        self.streams = streams
        self.account = account
        self.flagged = flagged
        self.score = score
        self.campaign = campaign
        self.reasons = reasons
    }

    /// One signal's contribution to a verdict.
    public struct Reason: Sendable, Codable, Equatable {
        /// The signal's name, e.g. `template_reuse` (see docs/detection.md).
        public var signal: String
        /// The signal's strength in [0, 1].
        public var value: Double
        /// What was measured, in words a person can check.
        public var detail: String

        /// Creates a reason.
        public init(signal: String, value: Double, detail: String) {
            self.signal = signal
            self.value = value
            self.detail = detail
        }
    }

    private enum CodingKeys: String, CodingKey {
        case account, flagged, score, campaign, reasons, streams
        case pValue = "p_value"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        account = try c.decode(String.self, forKey: .account)
        flagged = try c.decode(Bool.self, forKey: .flagged)
        score = try c.decode(Double.self, forKey: .score)
        campaign = try c.decodeIfPresent(String.self, forKey: .campaign)
        reasons = try c.decodeIfPresent([Reason].self, forKey: .reasons) ?? []
        pValue = try c.decodeIfPresent(Double.self, forKey: .pValue)
        streams = try c.decodeIfPresent([StreamVerdict].self, forKey: .streams) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(account, forKey: .account)
        try c.encode(flagged, forKey: .flagged)
        try c.encode(score, forKey: .score)
        try c.encode(campaign, forKey: .campaign) // explicit null: the contract lists the key always
        try c.encode(reasons, forKey: .reasons)
        try c.encodeIfPresent(pValue, forKey: .pValue)
        if !streams.isEmpty { try c.encode(streams, forKey: .streams) }
    }
}

/// One stream within an account (the requests sharing a system prompt, or an
/// end-user id), scored on its own.
public struct StreamVerdict: Sendable, Codable, Equatable {
    /// `system:<first 16 hex digits of the system prompt's SHA-256>`, `user:<the request's user field>` or `none`.
    public var stream: String
    /// Requests in the stream (within the detector's window).
    public var requests: Int
    /// The stream's own score in [0, 1].
    public var score: Double
    /// Whether the stream alone reaches the flag threshold.
    public var flagged: Bool

    /// Creates a stream verdict.
    public init(stream: String, requests: Int, score: Double, flagged: Bool) {
        self.stream = stream
        self.requests = requests
        self.score = score
        self.flagged = flagged
    }
}

/// How the flag threshold of a verdicts file was chosen.
public struct VerdictCalibration: Sendable, Codable, Equatable {
    /// The false-positive rate aimed at on benign traffic; nil for a fixed threshold.
    public var targetFPR: Double?
    /// The score from which accounts and campaigns are flagged.
    public var threshold: Double
    /// Benign reference accounts the threshold was chosen on (0 for a fixed threshold).
    public var benignAccounts: Int
    /// Where the benign reference came from, in words.
    public var source: String

    /// Creates a calibration statement.
    public init(targetFPR: Double?, threshold: Double, benignAccounts: Int, source: String) {
        self.targetFPR = targetFPR
        self.threshold = threshold
        self.benignAccounts = benignAccounts
        self.source = source
    }

    private enum CodingKeys: String, CodingKey {
        case threshold, source
        case targetFPR = "target_fpr", benignAccounts = "benign_accounts"
    }
}

/// A group of accounts acting together.
public struct Campaign: Sendable, Codable, Equatable {
    /// Stable id within one verdicts file, e.g. `cmp_3`.
    public var id: String
    /// Member accounts, sorted.
    public var accounts: [String]
    /// Suspicion in [0, 1].
    public var score: Double
    /// Requests sent by all members together.
    public var requests: Int
    /// First request of any member.
    public var firstSeen: Date
    /// Last request of any member.
    public var lastSeen: Date
    /// Names of the signals that tie the members together or make them suspect.
    public var signals: [String]

    /// Creates a campaign.
    public init(id: String, accounts: [String], score: Double, requests: Int, firstSeen: Date, lastSeen: Date, signals: [String]) {
        self.id = id
        self.accounts = accounts
        self.score = score
        self.requests = requests
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.signals = signals
    }

    private enum CodingKeys: String, CodingKey {
        case id, accounts, score, requests, signals
        case firstSeen = "first_seen", lastSeen = "last_seen"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        accounts = try c.decode([String].self, forKey: .accounts)
        score = try c.decode(Double.self, forKey: .score)
        requests = try c.decode(Int.self, forKey: .requests)
        signals = try c.decodeIfPresent([String].self, forKey: .signals) ?? []
        let first = try c.decode(String.self, forKey: .firstSeen)
        let last = try c.decode(String.self, forKey: .lastSeen)
        guard let f = ExchangeTime.parse(first), let l = ExchangeTime.parse(last) else {
            throw DecodingError.dataCorruptedError(forKey: .firstSeen, in: c, debugDescription: "not an ISO 8601 timestamp")
        }
        firstSeen = f
        lastSeen = l
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(accounts, forKey: .accounts)
        try c.encode(score, forKey: .score)
        try c.encode(requests, forKey: .requests)
        try c.encode(ExchangeTime.format(firstSeen), forKey: .firstSeen)
        try c.encode(ExchangeTime.format(lastSeen), forKey: .lastSeen)
        try c.encode(signals, forKey: .signals)
    }
}

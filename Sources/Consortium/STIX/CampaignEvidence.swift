import AegisCore

/// What one pass over the exchange log learns about the flagged campaigns:
/// per campaign and indicator value, how many requests and accounts showed it
/// and when; and which values accounts outside every campaign also used, so
/// that nothing an innocent account shares is published.
public struct CampaignEvidence: Sendable {
    /// Counts for one value within one campaign.
    public struct Tally: Sendable {
        /// Requests that showed the value.
        public var requests = 0
        /// Distinct accounts that showed it.
        public var accounts: Set<String> = []
        /// First and last request (seconds since 1970).
        public var first = Double.infinity, last = -Double.infinity
        /// LSH band digests (templates only).
        public var bands: [String] = []
    }

    /// Campaign id → the accounts in it that are flagged.
    public let members: [String: Set<String>]
    private let campaignOf: [String: String]
    private let flagged: Set<String>
    /// Campaign id → value → tally.
    public private(set) var tallies: [String: [IndicatorValue: Tally]] = [:]
    /// Campaign id → requests by its members.
    public private(set) var requests: [String: Int] = [:]
    /// Values (IPs and keyed digests) that unflagged accounts used.
    public private(set) var usedByOthers: Set<IndicatorValue> = []
    /// Requests from unflagged accounts per /24.
    public private(set) var otherRequestsByNetwork: [String: Int] = [:]
    private let extractor: IndicatorExtractor

    /// Prepares to collect evidence on the flagged campaigns of `verdicts`.
    public init(verdicts: Verdicts, extractor: IndicatorExtractor) {
        let flagged = Set(verdicts.accounts.filter(\.flagged).map(\.account))
        self.flagged = flagged
        var members: [String: Set<String>] = [:]
        var campaignOf: [String: String] = [:]
        for campaign in verdicts.campaigns {
            let flaggedMembers = Set(campaign.accounts.filter { flagged.contains($0) })
            guard !flaggedMembers.isEmpty else { continue }
            members[campaign.id] = flaggedMembers
            for account in flaggedMembers { campaignOf[account] = campaign.id }
        }
        self.members = members
        self.campaignOf = campaignOf
        self.extractor = extractor
    }

    /// Takes in one exchange of the log.
    public mutating func observe(_ exchange: Exchange) {
        let campaign = campaignOf[exchange.account]
        if campaign == nil && flagged.contains(exchange.account) { return }
        let values = extractor.values(of: exchange)
        let time = exchange.time.timeIntervalSince1970
        guard let campaign else {
            for value in values.values {
                switch value {
                case .cidr(let network): otherRequestsByNetwork[network, default: 0] += 1
                case .asn: break
                default: usedByOthers.insert(value)
                }
            }
            return
        }
        requests[campaign, default: 0] += 1
        var byValue = tallies[campaign] ?? [:]
        tallies[campaign] = nil // keep the dictionary uniquely referenced while it is mutated
        for value in values.values {
            var tally = byValue[value] ?? Tally()
            tally.requests += 1
            tally.accounts.insert(exchange.account)
            tally.first = min(tally.first, time)
            tally.last = max(tally.last, time)
            if tally.bands.isEmpty, case .keyed("prompt-template", let keyID, let digest) = value,
               let template = values.templates.first(where: { $0.keyID == keyID && $0.fingerprint.digest == digest }) {
                tally.bands = template.fingerprint.bandDigests
            }
            byValue[value] = tally
        }
        tallies[campaign] = byValue
    }
}

import AegisCore
import Foundation

/// Which local accounts matched which peer indicators, gathered over one
/// pass of the log in time order; turned into verdict reasons and sightings.
public struct IndicatorHits: Sendable {
    /// One account's matches of one indicator.
    public struct AccountHit: Sendable {
        /// Matching requests.
        public var count = 0
        /// The account's request number (1 = its first) at which it first matched.
        public var firstRequest = 0
    }

    /// One indicator's matches over all accounts.
    public struct IndicatorTotal: Sendable {
        /// Matching requests.
        public var count = 0
        /// First and last matching request (seconds since 1970).
        public var first = Double.infinity, last = -Double.infinity
    }

    /// The indicators matched against.
    public let indicators: PeerIndicators
    /// Account → entry index → hit.
    public private(set) var accounts: [String: [Int: AccountHit]] = [:]
    /// Requests seen per account.
    public private(set) var requests: [String: Int] = [:]
    /// Entry index → totals.
    public private(set) var totals: [Int: IndicatorTotal] = [:]
    /// A template match counts as strong only when at least this share of the
    /// account's requests used the template: legitimate evaluation harnesses
    /// and apps share prompt formats with campaigns now and then, a campaign
    /// account sends little else.
    public var minimumTemplateShare = 0.5

    /// Starts with no matches.
    public init(indicators: PeerIndicators) {
        self.indicators = indicators
    }

    /// Records one exchange (in log order) and the entries it matched.
    public mutating func record(account: String, time: Double, matches: [Int]) {
        let n = (requests[account] ?? 0) + 1
        requests[account] = n
        guard !matches.isEmpty else { return }
        var hits = accounts[account] ?? [:]
        for index in matches {
            var hit = hits[index] ?? AccountHit(count: 0, firstRequest: n)
            hit.count += 1
            hits[index] = hit
            var total = totals[index] ?? IndicatorTotal()
            total.count += 1
            total.first = min(total.first, time)
            total.last = max(total.last, time)
            totals[index] = total
        }
        accounts[account] = hits
    }

    /// Adds a reason per matched indicator to the verdicts; a strong match
    /// (an IP, network, payment or e-mail digest, or a template behind most of
    /// the account's requests) also flags the account; an ASN or an occasional
    /// template is a hint only.
    public func apply(to verdicts: inout Verdicts) {
        for i in verdicts.accounts.indices {
            let name = verdicts.accounts[i].account
            guard let hits = accounts[name] else { continue }
            var strongReasons: [AccountVerdict.Reason] = [], weak: [AccountVerdict.Reason] = []
            for (index, hit) in hits.sorted(by: { ($0.value.firstRequest, $0.key) < ($1.value.firstRequest, $1.key) }) {
                let entry = indicators.entries[index]
                let value = Double(entry.confidence) / 100
                let total = requests[name] ?? 0
                let detail = "matches peer indicator \(entry.id) (\(entry.value.label), confidence \(entry.confidence)) "
                    + "from request \(hit.firstRequest) of \(total); \(hit.count) matching requests"
                var strong = entry.value.isStrong
                if case .keyed("prompt-template", _, _) = entry.value {
                    strong = Double(hit.count) >= minimumTemplateShare * Double(max(1, total))
                }
                if strong {
                    strongReasons.append(.init(signal: "peer_indicator", value: value, detail: detail))
                } else {
                    weak.append(.init(signal: "peer_indicator_hint", value: value, detail: detail))
                }
            }
            if let best = strongReasons.map(\.value).max() {
                verdicts.accounts[i].flagged = true
                verdicts.accounts[i].score = max(verdicts.accounts[i].score, best)
            }
            verdicts.accounts[i].reasons = strongReasons + verdicts.accounts[i].reasons + weak
        }
        verdicts.accounts.sort { ($0.score, $1.account) > ($1.score, $0.account) }
    }
}

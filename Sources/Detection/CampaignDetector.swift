import AegisCore
import Foundation

/// Finds distillation campaigns in a stream of exchanges.
///
/// Feed it exchanges in (roughly) time order with ``observe(_:)-(Exchange)``;
/// ask ``verdicts()`` at any time. Memory grows with the number of accounts
/// (a few hundred bytes each plus at most 48 shared keys), never with the
/// number of exchanges: prompts are reduced to keyed sketches on arrival.
///
/// Batch (`aegis scan`) and live (the gateway) use it the same way. Live, the
/// gateway calls `observe` off the request path, calls ``refresh()`` every few
/// seconds to re-cluster, and on each request reads ``cachedDecision(for:)``
/// (one dictionary lookup) or ``decision(for:)`` (that account's score now,
/// with its campaign as of the last refresh).
public struct CampaignDetector: Sendable {
    /// Thresholds, weights and keys.
    public let configuration: DetectorConfiguration
    /// Computes features; share it to extract features on other threads.
    public let extractor: FeatureExtractor
    /// Exchanges observed so far.
    public private(set) var exchangesObserved = 0
    /// Exchanges with each input problem (``InputProblems/named`` order): counted, read past.
    public private(set) var inputProblems = [Int](repeating: 0, count: InputProblems.named.count)

    private var accountIndex: [String: Int32] = [:]
    private var accounts: [AccountState] = []
    private var keys = KeyIndex()
    private var modelFirstSeen: [String: Double] = [:]
    private var releases: [(model: String, time: Double)] = []
    private var logStart: Double?
    private var habitual: [UInt64] = []
    private var weights: [Signal: Double]
    /// Campaign membership as of the last ``refresh()``.
    private var cachedCampaigns: [Int32: CampaignAssessment] = [:]
    /// Every verdict as of the last ``refresh()``.
    private var cachedVerdicts: [String: AccountVerdict] = [:]

    /// Creates an empty detector.
    public init(configuration: DetectorConfiguration = DetectorConfiguration()) {
        self.configuration = configuration
        extractor = FeatureExtractor(hasher: configuration.hasher)
        weights = configuration.allWeights
        releases = configuration.modelReleases.map { ($0.key, $0.value.timeIntervalSince1970) }
    }

    /// Accounts seen so far.
    public var accountCount: Int { accounts.count }

    /// Observes one exchange.
    public mutating func observe(_ exchange: Exchange) {
        observe(extractor.features(of: exchange))
    }

    /// Observes one exchange's features (computed by ``extractor``, possibly on another thread).
    public mutating func observe(_ f: ExchangeFeatures) {
        exchangesObserved += 1
        if !f.problems.isEmpty {
            for (k, named) in InputProblems.named.enumerated() where f.problems.contains(named.0) { inputProblems[k] += 1 }
        }
        let t = f.time
        if logStart == nil { logStart = t }
        let index: Int32
        if let i = accountIndex[f.account] {
            index = i
        } else {
            index = Int32(accounts.count)
            accountIndex[f.account] = index
            accounts.append(AccountState(name: f.account, time: t))
        }
        let i = Int(index)

        if let model = f.model, modelFirstSeen[model] == nil {
            modelFirstSeen[model] = t
            if let start = logStart, t - start >= configuration.releaseInferenceDelay,
               !releases.contains(where: { $0.model == model }) {
                releases.append((model, t))
            }
        }
        for r in releases where t >= r.time && t - r.time < 86_400 && accounts[i].firstSeen < r.time - 3600 {
            accounts[i].counters.releaseWindow &+= 1
            if f.model == r.model { accounts[i].counters.newModel &+= 1 }
        }

        habitual.removeAll(keepingCapacity: true)
        accounts[i].observe(f, window: configuration.window, habitual: &habitual)
        for key in habitual { register(key, .templateCluster, i) }
        register(f.ip, .sharedIP, i)
        register(f.subnet, .sharedSubnet, i)
        register(f.asnAgent, .sharedClient, i)
        register(f.payment, .sharedPayment, i)
        register(f.emailDomain, .sharedEmailDomain, i)
        register(f.samplingFingerprint, .sharedSampling, i)
        register(f.systemPrompt, .sharedSystemPrompt, i)
        register(f.toolSchema, .sharedToolSchema, i)
        // What is asked (not how), once it is the account's habit.
        if accounts[i].work.add(f.workKey) == 2 { register(f.workKey, .sharedWork, i) }
        if let created = f.accountCreated {
            // Sign-ups in the same 10 minutes.
            register(configuration.hasher.hash(UInt64(bitPattern: Int64(created / 600)) &+ 0x5157), .signupBurst, i)
        }
    }

    private mutating func register(_ key: UInt64, _ kind: Signal, _ i: Int) {
        guard key != 0 else { return }
        // The kind lives in the top six bits, so equal hashes of different kinds never meet.
        let kindIndex = UInt64(AccountGraph.kindIndex(kind))
        let tagged = (key & ~(UInt64(63) << 58)) | kindIndex << 58
        if accounts[i].register(tagged) { keys.insert(tagged, kind: kind, account: Int32(i)) }
    }

    // MARK: - Scores

    func summary(of a: AccountState) -> ActivitySummary {
        var s = ActivitySummary(counters: a.settledCounters, distinctPrompts: a.distinct.estimate, firstSeen: a.firstSeen,
                                lastSeen: a.lastSeen, creationLead: a.created.map { a.firstSeen - $0 })
        s.toolEnvironments = a.toolSchemas.estimate
        return s
    }

    func summary(of stream: StreamState, in a: AccountState) -> ActivitySummary {
        var s = ActivitySummary(counters: stream.settledCounters, distinctPrompts: stream.distinct.estimate,
                                firstSeen: stream.firstSeen, lastSeen: stream.lastSeen,
                                creationLead: a.created.map { a.firstSeen - $0 })
        s.toolEnvironments = a.toolSchemas.estimate
        return s
    }

    /// Streams with fewer requests are not scored: their signals have too little evidence.
    static let streamMinimumRequests: UInt32 = 20

    /// The account's streams scored on their own (empty for an account with one stream).
    func streamScores(_ a: AccountState) -> [(id: String, requests: Int, score: Score)] {
        a.streams.streams.compactMap { st in
            guard st.counters.requests >= Self.streamMinimumRequests else { return nil }
            return (st.name, Int(st.counters.requests), score(summary(of: st, in: a)))
        }
    }

    func score(_ s: ActivitySummary, extra: [SignalReading] = []) -> Score {
        Score(readings: AutomationSignals.evaluate(s) + HarvestSignals.evaluate(s) + extra, weights: weights)
    }

    /// The score of one account on its own traffic (no campaign), or nil if never seen.
    public func accountScore(_ account: String) -> Score? {
        accountIndex[account].map { score(summary(of: accounts[Int($0)])) }
    }

    /// The current decision for one account, from memory: its own score now
    /// (a few microseconds: the signals of one account's counters), combined
    /// with its campaign as of the last ``refresh()``. Nil for an account never seen.
    public func decision(for account: String) -> AccountVerdict? {
        guard let i = accountIndex[account] else { return nil }
        return verdict(i, own: score(summary(of: accounts[Int(i)])), campaign: cachedCampaigns[i])
    }

    /// The verdict on one account as of the last ``refresh()``: a single
    /// dictionary lookup, for the request path. Nil for an account not seen by then.
    public func cachedDecision(for account: String) -> AccountVerdict? {
        cachedVerdicts[account]
    }

    /// Re-clusters the accounts, caches campaign membership for
    /// ``decision(for:)`` and every verdict for ``cachedDecision(for:)``, and
    /// returns the verdicts.
    public mutating func refresh() -> Verdicts {
        let campaigns = assessCampaigns()
        cachedCampaigns = [:]
        for c in campaigns where c.flagged {
            for m in c.members { cachedCampaigns[m] = c }
        }
        let result = verdicts(campaigns)
        cachedVerdicts = Dictionary(uniqueKeysWithValues: result.accounts.map { ($0.account, $0) })
        return result
    }

    /// The verdicts on everything observed: every account, and the campaigns found.
    public func verdicts() -> Verdicts {
        verdicts(assessCampaigns())
    }

    private func verdicts(_ assessed: [CampaignAssessment]) -> Verdicts {
        var membership: [Int32: CampaignAssessment] = [:]
        var campaigns: [Campaign] = []
        // Every cluster lends its score to its members, flagged or not, so an
        // account's score does not depend on the threshold (calibration needs that);
        // only flagged clusters are reported as campaigns.
        for c in assessed {
            for m in c.members { membership[m] = c }
            guard c.flagged else { continue }
            campaigns.append(Campaign(
                id: c.id, accounts: c.members.map { accounts[Int($0)].name }.sorted(), score: c.score.value,
                requests: c.requests, firstSeen: Date(timeIntervalSince1970: c.firstSeen),
                lastSeen: Date(timeIntervalSince1970: c.lastSeen), signals: c.signals))
        }
        var verdicts: [AccountVerdict] = []
        verdicts.reserveCapacity(accounts.count)
        for i in accounts.indices {
            let index = Int32(i)
            verdicts.append(verdict(index, own: score(summary(of: accounts[i])), campaign: membership[index]))
        }
        verdicts.sort { $0.score != $1.score ? $0.score > $1.score : $0.account < $1.account }
        campaigns.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        return Verdicts(accounts: verdicts, campaigns: campaigns)
    }

    private func verdict(_ i: Int32, own: Score, campaign: CampaignAssessment?) -> AccountVerdict {
        let n = configuration.reasonsPerVerdict
        var reasons: [AccountVerdict.Reason] = []
        var value = own.value
        let streams = streamScores(accounts[Int(i)])
        var streamVerdicts: [StreamVerdict] = []
        if !streams.isEmpty && accounts[Int(i)].streams.streams.count >= 2 {
            for st in streams {
                streamVerdicts.append(StreamVerdict(stream: st.id, requests: st.requests, score: st.score.value,
                                                    flagged: st.score.value >= configuration.flagThreshold))
            }
            streamVerdicts.sort { $0.score > $1.score }
            // A stream that scores above the whole account is the finding: say which, and why.
            if let top = streams.max(by: { $0.score.value < $1.score.value }), top.score.value > max(value, campaign?.score.value ?? 0) {
                value = top.score.value
                for r in top.score.topReasons((n + 1) / 2) {
                    reasons.append(.init(signal: r.signal.rawValue, value: r.value,
                                         detail: "stream \(top.id) (\(top.requests) requests): \(r.detail)"))
                }
            }
        }
        if let campaign {
            value = max(value, campaign.score.value)
            let unit = campaign.flagged ? "campaign \(campaign.id)" : "linked group of \(campaign.members.count) accounts"
            for r in campaign.score.topReasons((n + 1) / 2) {
                reasons.append(.init(signal: r.signal.rawValue, value: r.value, detail: "\(unit): \(r.detail)"))
            }
        }
        for r in own.topReasons(n) where reasons.count < n && !reasons.contains(where: { $0.signal == r.signal.rawValue }) {
            reasons.append(.init(signal: r.signal.rawValue, value: r.value, detail: r.detail))
        }
        return AccountVerdict(account: accounts[Int(i)].name, flagged: value >= configuration.flagThreshold,
                              score: value, campaign: campaign?.flagged == true ? campaign?.id : nil, reasons: reasons,
                              streams: streamVerdicts)
    }

    // MARK: - Campaigns

    /// Every cluster of linked accounts, flagged or not, with its pooled score
    /// and the kinds of key that link it (for analysis and tests).
    func clusters() -> [(accounts: [String], score: Double, signals: [String])] {
        assessCampaigns().map { c in (c.members.map { accounts[Int($0)].name }.sorted(), c.score.value, c.signals) }
    }

    private func assessCampaigns() -> [CampaignAssessment] {
        var graph = AccountGraph(index: keys, accountKeys: accounts.map(\.registeredKeys), weights: weights)
        addCorrelatedActivity(to: &graph)
        addSharedWindows(to: &graph)
        var out: [CampaignAssessment] = []
        for cluster in graph.clusters(threshold: configuration.joinThreshold) {
            out.append(assess(cluster.members, kinds: cluster.kinds))
        }
        return out
    }

    /// Accounts active in the same minutes: LSH over each account's MinHash of
    /// active minutes, confirmed by the estimated Jaccard similarity.
    private func addCorrelatedActivity(to graph: inout AccountGraph) {
        var bands: [UInt64: [Int32]] = [:]
        for (i, a) in accounts.enumerated() {
            let minutes = a.settledCounters.minuteLoads
            var active = 0
            for k in 0..<64 { active += Int(minutes[k]) }
            guard active >= 8 else { continue }
            let keys = a.activeMinutes.bandKeys
            for b in 0..<4 where keys[b] != 0 { bands[keys[b] &+ UInt64(b), default: []].append(Int32(i)) }
        }
        let weight = weights[.correlatedActivity] ?? Signal.correlatedActivity.defaultWeight
        let bit = AccountGraph.kindBit(.correlatedActivity)
        for members in bands.values where members.count >= 2 {
            let first = members[0]
            for j in 1..<members.count {
                let a = members[j - 1], b = members[j]
                for (x, y) in [(a, b), (first, b)] where x != y {
                    let sim = accounts[Int(x)].activeMinutes.similarity(to: accounts[Int(y)].activeMinutes)
                    if sim >= 0.5 { graph.addEdge(x, y, weight * sim, bit) }
                }
            }
        }
    }

    /// Accounts working in the same hours over days, with no infrastructure in
    /// common: LSH over each account's MinHash of active hour slots (hours since
    /// 1970, so a shared daily window repeats), confirmed by the estimated Jaccard
    /// similarity. Weak alone (people in one time zone share hours); it adds to
    /// what is asked, the sampling habit or the environment.
    private func addSharedWindows(to graph: inout AccountGraph) {
        var bands: [UInt64: [Int32]] = [:]
        for (i, a) in accounts.enumerated() where a.activeHourCount >= 10 {
            let keys = a.activeHours.bandKeys
            for b in 0..<4 where keys[b] != 0 { bands[keys[b] &+ UInt64(b) &* 0x51_7CC1, default: []].append(Int32(i)) }
        }
        let weight = weights[.sharedWindow] ?? Signal.sharedWindow.defaultWeight
        let bit = AccountGraph.kindBit(.sharedWindow)
        for members in bands.values where members.count >= 2 {
            let first = members[0]
            for j in 1..<members.count {
                let a = members[j - 1], b = members[j]
                for (x, y) in [(a, b), (first, b)] where x != y {
                    let sim = accounts[Int(x)].activeHours.similarity(to: accounts[Int(y)].activeHours)
                    if sim >= 0.6 { graph.addEdge(x, y, weight * sim, bit) }
                }
            }
        }
    }

    private func assess(_ members: [Int32], kinds: UInt64) -> CampaignAssessment {
        var counters = ActivityCounters()
        var distinct = DistinctCounter()
        var toolEnvironmentSum = 0.0
        var first = Double.infinity, last = -Double.infinity
        var lead: Double?
        var requests = 0
        for m in members {
            let a = accounts[Int(m)]
            counters += a.settledCounters
            distinct.merge(a.distinct)
            toolEnvironmentSum += a.toolSchemas.estimate
            first = min(first, a.firstSeen)
            last = max(last, a.lastSeen)
            requests += a.lifetimeRequests
            if let c = a.created { lead = min(lead ?? .infinity, a.firstSeen - c) }
        }
        var summary = ActivitySummary(counters: counters, distinctPrompts: distinct.estimate, firstSeen: first,
                                      lastSeen: last, creationLead: lead, accounts: members.count)
        // Environments per member, not their union: a campaign's accounts each draw
        // from the pool, while unrelated developers' own tool sets would add up.
        summary.toolEnvironments = toolEnvironmentSum / Double(members.count)
        var extra: [SignalReading] = [
            SignalReading(.clusterSize, 1 - exp(-Double(members.count - 1) / 10), "\(members.count) accounts linked"),
        ]
        let linkKinds = AccountGraph.kinds(in: kinds)
        for kind in linkKinds {
            extra.append(SignalReading(kind, 1, "accounts linked by \(kind.rawValue.replacingOccurrences(of: "_", with: " "))"))
        }
        let s = score(summary, extra: extra)
        let strongest = s.readings.filter { $0.value > 0 && $0.signal.group == .harvest }.prefix(3).map(\.signal)
        let anchor = accounts[Int(members[0])].name
        let id = "cmp_" + String(configuration.hasher.hash(anchor) >> 32, radix: 16)
        return CampaignAssessment(
            id: id, members: members, score: s, requests: requests, firstSeen: first, lastSeen: last,
            signals: linkKinds.map(\.rawValue) + strongest.map(\.rawValue),
            flagged: s.value >= configuration.flagThreshold)
    }
}

/// A cluster of accounts and its pooled score.
struct CampaignAssessment: Sendable {
    let id: String
    let members: [Int32]
    let score: Score
    let requests: Int
    let firstSeen: Double
    let lastSeen: Double
    let signals: [String]
    let flagged: Bool
}


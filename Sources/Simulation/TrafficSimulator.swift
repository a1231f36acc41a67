import AegisCore
import Foundation

/// Options of one simulation run.
public struct SimulationOptions: Sendable {
    /// The traffic mix.
    public var scenario: SimulationScenario = .mixed
    /// Same seed, same log.
    public var seed: UInt64 = 1
    /// Exchanges to write (approximately: populations round to whole accounts).
    public var exchanges = 100_000
    /// Where the shared prompt and task sets live; nil or missing uses built-in text.
    public var dataDirectory: String? = "../shared/data"
    /// Start of the simulated span.
    public var start = Date(timeIntervalSince1970: 1_795_132_800) // 2026-11-20T00:00:00Z
    /// Length of the simulated span in days.
    public var days = 3.0
    /// When set, each campaign's infrastructure (networks, hosting ASN, cards,
    /// e-mail domains, client) is drawn from this seed and the campaign's
    /// number instead of the log's seed: logs with different seeds then hold
    /// the same actors, as two providers would see them. Nil keeps logs as before.
    public var actorSeed: UInt64?

    /// The defaults.
    public init() {}
}

/// Writes labelled synthetic exchange logs: legitimate populations (people
/// with sessions and daily cycles, app back-ends with one template, evaluation
/// sweeps, tutoring apps) and distillation campaigns in the styles of the
/// public 2026 reports. Labels go to their own file, never into the log.
///
/// It is a development tool: the detector's signals are argued from how the
/// behaviours differ, not fitted to this generator (docs/detection.md).
public struct TrafficSimulator {
    /// The model every account uses at the start.
    public static let baseModel = "aegis-base-1"
    /// The model released half-way through.
    public static let newModel = "aegis-large-2"

    let options: SimulationOptions
    var r: SeededGenerator
    let prompts: PromptSource
    var actors: [SimulatedActor] = []
    var campaignStyles: [String: CampaignStyle] = [:]
    let from: Double, to: Double, release: Double

    /// Prepares a run (loads prompt text).
    public init(options: SimulationOptions) {
        self.options = options
        r = SeededGenerator(seed: options.seed)
        prompts = PromptSource(dataDirectory: options.dataDirectory, random: &r)
        from = options.start.timeIntervalSince1970
        to = from + options.days * 86_400
        release = from + options.days * 86_400 / 2
    }

    /// Generates the traffic, calling `write` for each exchange in time order; returns the labels.
    public mutating func run(write: (Exchange) throws -> Void) rethrows -> SimulationLabels {
        var events: [SimulatedEvent] = []
        events.reserveCapacity(options.exchanges + options.exchanges / 10)
        var campaignCount = 0
        for (population, share) in options.scenario.mix {
            let budget = Double(options.exchanges) * share
            var perAccount = population.requestsPerAccount
            var accounts = Int((budget / Double(perAccount)).rounded())
            if accounts < 1 { accounts = 1; perAccount = max(5, Int(budget)) }
            if case .appBackend = population { accounts = max(2, min(accounts, 6)); perAccount = Int(budget) / accounts }
            if case .tutoring = population { accounts = max(2, min(accounts, 4)); perAccount = Int(budget) / accounts }
            var campaign: String?
            if case .campaign(let style) = population {
                campaignCount += 1
                let id = "camp_\(campaignCount)"
                campaign = id
                campaignStyles[id] = style
                accounts = max(accounts, 8)
                perAccount = max(8, Int(budget) / accounts)
            }
            makeActors(population, count: accounts, campaign: campaign)
            let first = actors.count - accounts
            for i in first..<actors.count {
                schedule(Int32(i), count: max(1, Int(Double(perAccount) * (0.6 + 0.8 * r.unit()))), into: &events)
            }
        }
        events.sort { $0.time < $1.time }
        var serial = 0
        for event in events where event.time >= from && event.time < to {
            serial += 1
            try write(exchange(event, serial: serial))
        }
        return labels(exchanges: serial)
    }

    // MARK: - Accounts

    private mutating func makeActors(_ population: Population, count: Int, campaign: String?) {
        let residentialASNs = [3320, 7922, 3215, 2856, 12322, 701, 4766, 9808, 45090, 3269]
        let peopleAgents = ["Mozilla/5.0 (Macintosh) chat-web/3.2", "Mozilla/5.0 (Windows NT 10.0) chat-web/3.2",
                            "openai-python/1.55.0", "aegis-mobile/2.4 (iOS)", "aegis-mobile/2.4 (Android)"]
        let freeMail = ["gmail.com", "outlook.com", "yahoo.com", "proton.me", "qq.com"]
        let countries = ["US", "DE", "FR", "BR", "IN", "JP", "GB", "ES", "CN", "NG"]
        let start = from
        func residentialIP(_ r: inout SeededGenerator) -> String {
            "\(r.int(11...223)).\(r.int(0...255)).\(r.int(0...255)).\(r.int(1...254))"
        }
        func base(_ r: inout SeededGenerator) -> SimulatedActor {
            SimulatedActor(
                name: "acct_" + r.token(10), population: population, campaign: campaign, ips: [residentialIP(&r)],
                asn: r.pick(residentialASNs), country: r.pick(countries), userAgents: [r.pick(peopleAgents)],
                payment: "pf_" + r.token(), emailDomain: r.pick(freeMail), tier: r.chance(0.3) ? "plus" : "free",
                created: start - Double(r.int(30...700)) * 86_400, timeZone: r.int(-8...9), template: 0,
                logprobStyle: false, activeFrom: start)
        }

        switch population {
        case .individual:
            var i = 0
            while i < count {
                // One in ten works in an office with colleagues: shared IP, company domain and card.
                let group = r.chance(0.1) ? r.int(2...5) : 1
                let officeIP = residentialIP(&r), domain = "corp-\(r.token(6)).com", card = "pf_" + r.token()
                for _ in 0..<min(group, count - i) {
                    var a = base(&r)
                    if group > 1 { a.ips = [officeIP]; a.emailDomain = domain; a.payment = card; a.tier = "team" }
                    actors.append(a)
                    i += 1
                }
            }
        case .appBackend, .tutoring:
            for k in 0..<count {
                var a = base(&r)
                a.ips = (0..<r.int(1...3)).map { _ in "3.\(r.int(0...255)).\(r.int(0...255)).\(r.int(1...254))" }
                a.asn = population == .appBackend ? 16509 : 15169
                a.userAgents = [population == .appBackend ? "python-requests/2.31.0" : "node-fetch/3.3.2"]
                a.emailDomain = "app-\(r.token(6)).io"
                a.tier = "enterprise"
                a.template = k % PromptTemplates.apps.count
                actors.append(a)
            }
        case .evalTeam:
            var i = 0
            while i < count {
                let ip = "34.\(r.int(0...255)).\(r.int(0...255)).\(r.int(1...254))"
                let domain = "lab-\(r.token(6)).org", card = "pf_" + r.token()
                let logprobs = r.chance(0.35)
                for _ in 0..<min(2, count - i) {
                    var a = base(&r)
                    a.ips = [ip]; a.asn = 396982; a.userAgents = ["lm-eval-harness/0.4.2"]
                    a.emailDomain = domain; a.payment = card; a.tier = "team"
                    a.template = r.int(0...2); a.logprobStyle = logprobs
                    actors.append(a)
                    i += 1
                }
            }
        case .campaign(let style):
            makeCampaign(style, population: population, count: count, campaign: campaign ?? "camp", base: base,
                         residentialIP: residentialIP, peopleAgents: peopleAgents)
        }
    }

    private mutating func makeCampaign(_ style: CampaignStyle, population: Population, count: Int, campaign: String,
                                       base: (inout SeededGenerator) -> SimulatedActor,
                                       residentialIP: (inout SeededGenerator) -> String, peopleAgents: [String]) {
        func infrastructure(_ r: inout SeededGenerator) -> (Int, [String], [String], [String], [String], String) {
            let hostingASN = r.pick([14061, 24940, 16276, 20473])
            let subnets = (0..<4).map { _ in "\(r.int(45...195)).\(r.int(0...255)).\(r.int(0...255))" }
            let proxies = (0..<8).map { k in "\(subnets[k % 2]).\(r.int(1...254))" }
            let cards = (0..<max(2, count / 15)).map { _ in "pf_" + r.token() }
            let domains = (0..<3).map { _ in "mx\(r.token(5)).top" }
            let agent = r.pick(["python-httpx/0.27.0", "aiohttp/3.9.5", "Go-http-client/2.0"])
            return (hostingASN, subnets, proxies, cards, domains, agent)
        }
        let shared = options.actorSeed.map { seed in
            var g = SeededGenerator(seed: seed &+ campaign.utf8.reduce(UInt64(0)) { $0 &* 31 &+ UInt64($1) })
            return infrastructure(&g)
        }
        let (hostingASN, subnets, proxies, cards, domains, agent) = shared ?? infrastructure(&r)
        var burstTime = from - (0.5 + 1.5 * r.unit()) * 86_400
        for k in 0..<count {
            var a = base(&r)
            if k % 8 == 0 { burstTime += r.unit() * 6 * 3600 }
            switch style {
            case .hydra:
                a.ips = proxies
                a.asn = 9009
                a.userAgents = peopleAgents
                a.created = from - Double(r.int(5...60)) * 86_400
                a.activeFrom = from + r.unit() * 0.2 * (to - from)
            case .stealth, .evasive:
                a.ips = (0..<4).map { _ in residentialIP(&r) }
                a.created = burstTime + r.unit() * 300
                a.activeFrom = from + r.unit() * 0.3 * (to - from)
            default:
                a.ips = [subnets[k % subnets.count] + ".\(r.int(1...254))"]
                a.asn = hostingASN
                a.userAgents = [agent]
                a.payment = cards[k % cards.count]
                a.emailDomain = domains[k % domains.count]
                a.created = burstTime + r.unit() * 300
                a.activeFrom = from + r.unit() * 0.3 * (to - from)
            }
            a.tier = "free"
            actors.append(a)
        }
    }

    private mutating func schedule(_ i: Int32, count: Int, into events: inout [SimulatedEvent]) {
        let a = actors[Int(i)]
        let start = a.activeFrom
        switch a.population {
        case .individual:
            TrafficSchedules.sessions(&r, count: count, actor: i, population: .individual, tz: a.timeZone,
                                      from: start, to: to, meanTurns: 2.5, into: &events)
        case .appBackend:
            TrafficSchedules.poisson(&r, count: count, actor: i, population: .appBackend, tz: a.timeZone,
                                     from: start, to: to, into: &events)
        case .tutoring:
            TrafficSchedules.sessions(&r, count: count, actor: i, population: .tutoring, tz: a.timeZone,
                                      from: start, to: to, meanTurns: 1.4, into: &events)
        case .evalTeam:
            TrafficSchedules.sweeps(&r, count: count, actor: i, from: start, to: to, into: &events)
        case .campaign(let style):
            let cover = Int(Double(count) * style.coverShare)
            if cover > 0 {
                TrafficSchedules.sessions(&r, count: cover, actor: i, population: .individual, tz: a.timeZone,
                                          from: start, to: to, meanTurns: 2, stepSign: -1,
                                          varyZone: style == .hydra, into: &events)
            }
            if style == .stealth {
                TrafficSchedules.poisson(&r, count: count - cover, actor: i, population: .individual, tz: a.timeZone,
                                         from: start, to: to, into: &events)
            } else {
                TrafficSchedules.pacedBursts(&r, count: count - cover, actor: i, from: start, to: to,
                                             limitPerMinute: 20, into: &events)
            }
        }
    }
}

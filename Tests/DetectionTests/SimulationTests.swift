import AegisCore
import Testing
@testable import Detection
@testable import Simulation

@Suite struct SimulationTests {
    func simulate(_ scenario: SimulationScenario, exchanges: Int, seed: UInt64 = 7) -> ([Exchange], SimulationLabels) {
        var options = SimulationOptions()
        options.scenario = scenario
        options.exchanges = exchanges
        options.seed = seed
        options.dataDirectory = nil // the built-in text: tests never need ../shared
        var simulator = TrafficSimulator(options: options)
        var log: [Exchange] = []
        let labels = simulator.run { log.append($0) }
        return (log, labels)
    }

    @Test func sameSeedSameLogAndLabelsStayOutOfIt() throws {
        let (a, la) = simulate(.mixed, exchanges: 3000)
        let (b, _) = simulate(.mixed, exchanges: 3000)
        #expect(a == b)
        #expect(a.count > 2500 && a.count == la.exchanges)
        #expect(zip(a, a.dropFirst()).allSatisfy { $0.time <= $1.time })
        let line = try #require(a.first?.jsonLine())
        #expect(!line.contains("camp_") && !line.contains("population"))
        #expect(Set(a.map(\.account)) == Set(la.accounts.keys))
    }

    @Test func smallMixedScenarioFindsTheCampaignsAndSparesLegitimateTraffic() {
        let (log, labels) = simulate(.mixed, exchanges: 12_000)
        var detector = CampaignDetector()
        for e in log { detector.observe(e) }
        let verdicts = detector.verdicts()
        #expect(verdicts.accounts.count == labels.accounts.count)

        var truePositives = 0, campaignAccounts = 0
        var falsePositives: [String: Int] = [:]
        for v in verdicts.accounts {
            guard let label = labels.accounts[v.account] else { continue }
            if label.campaign != nil {
                campaignAccounts += 1
                if v.flagged { truePositives += 1 }
            } else if v.flagged {
                falsePositives[label.population, default: 0] += 1
            }
        }
        #expect(Double(truePositives) >= 0.8 * Double(campaignAccounts))
        #expect(falsePositives.isEmpty, "legitimate accounts flagged: \(falsePositives)")
        #expect(verdicts.campaigns.count >= 3)
        // Each reported campaign is mostly one labelled campaign.
        for c in verdicts.campaigns {
            var counts: [String: Int] = [:]
            for a in c.accounts { counts[labels.accounts[a]?.campaign ?? "none", default: 0] += 1 }
            #expect(Double(counts.values.max() ?? 0) >= 0.9 * Double(c.accounts.count))
        }
    }
}

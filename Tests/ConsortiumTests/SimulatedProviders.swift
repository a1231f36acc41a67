import AegisCore
import Consortium
import Detection
import Simulation
import Foundation

/// Two providers' simulated logs holding the same campaign actors (the
/// simulator's actor seed), scanned by Detection: the fixture of the privacy
/// and matching tests. Built once per process.
enum SimulatedProviders {
    struct Provider {
        var exchanges: [Exchange]
        var verdicts: Verdicts
        var campaignAccounts: Set<String>
    }

    // A fixed, valid key: the initializer cannot fail on it.
    static let key = (try? ConsortiumKey(id: "test-key", secret: Array(repeating: 7, count: 32)))!

    static let a = provider(seed: 5)
    static let b = provider(seed: 6)

    static func provider(seed: UInt64) -> Provider {
        var options = SimulationOptions()
        options.seed = seed
        options.exchanges = 12_000
        options.dataDirectory = nil
        options.actorSeed = 77
        var simulator = TrafficSimulator(options: options)
        var exchanges: [Exchange] = []
        let labels = simulator.run { exchanges.append($0) }
        var detector = CampaignDetector(configuration: DetectorConfiguration())
        for e in exchanges { detector.observe(detector.extractor.features(of: e)) }
        let campaign = Set(labels.accounts.filter { $0.value.campaign != nil }.map(\.key))
        return Provider(exchanges: exchanges, verdicts: detector.verdicts(), campaignAccounts: campaign)
    }

    /// Provider A's published bundle.
    static let bundle: JSONValue = {
        var evidence = CampaignEvidence(verdicts: a.verdicts, extractor: IndicatorExtractor(keys: [key]))
        for e in a.exchanges { evidence.observe(e) }
        var options = PublishOptions()
        options.producer = "Provider A"
        options.now = Date(timeIntervalSince1970: 1_795_132_800 + 5 * 86_400)
        return CampaignBundleBuilder(verdicts: a.verdicts, key: key, options: options).bundle(evidence)
    }()
}

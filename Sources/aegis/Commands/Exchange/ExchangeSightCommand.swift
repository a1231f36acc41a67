import AegisCore
import ArgumentParser
import Consortium
import Foundation

/// `aegis exchange sight`: peer indicators seen in local traffic → sightings posted back.
struct ExchangeSightCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sight",
        abstract: "Match peer indicators against an exchange log and post a sighting (with counts) for each one seen.")

    @Option(help: "The indicators bundle from `aegis exchange pull`.") var indicators: String
    @Option(help: "The exchange log to match (JSONL).") var events: String
    @OptionGroup var client: TAXIIClientOptions
    @OptionGroup var key: ConsortiumKeyOptions
    @Option(help: "The producer's name (its STIX identity).") var producer = "Aegis provider"
    @Option(help: "TLP level of the sightings.") var tlp = "amber+strict"
    @Option(help: "Also write the sightings bundle to this file.") var out: String?

    func run() async throws {
        let peer = try PeerIndicators(path: indicators)
        let extractor = IndicatorExtractor(keys: try key.keys())
        let hits = try IndicatorScan.run(path: events, indicators: peer, extractor: extractor)
        let marking = try TLPMarking(parsing: tlp)
        let identity = CampaignBundleBuilder.identity(producer: producer)
        let sightings = IndicatorScan.sightings(hits, identity: identity, tlp: marking, now: Date())
        let objects = sightings.isEmpty ? [] : [marking.object, identity] + sightings
        if let out {
            try writeJSON(["type": "bundle", "id": .string("bundle--" + STIXIdentifier.uuid4()), "objects": .array(objects)], to: out)
        }
        guard !sightings.isEmpty else {
            print("no peer indicator matched \(events); nothing posted")
            return
        }
        let collection = client.collection
        let result = try await client.withClient { try await $0.add(objects, collection: collection) }
        print("posted \(sightings.count) sightings: \(result.successes) accepted, \(result.failures) refused")
    }
}

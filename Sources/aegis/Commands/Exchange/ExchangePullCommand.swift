import AegisCore
import ArgumentParser
import Consortium
import Foundation

/// `aegis exchange pull`: a collection's objects → a STIX bundle file.
struct ExchangePullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Fetch a collection's objects (all pages) into a STIX 2.1 bundle for `aegis scan --indicators`.")

    @OptionGroup var client: TAXIIClientOptions
    @Option(help: "Only objects added after this time, e.g. 2026-11-29T00:00:00Z.") var since: String?
    @Option(help: "The bundle to write.") var out: String

    func run() async throws {
        if let since, STIXTimestamp.microseconds(since) == nil {
            throw InvalidInput("--since must be a UTC timestamp such as 2026-11-29T00:00:00Z (got \(since))")
        }
        let collection = client.collection
        let objects = try await client.withClient { try await $0.objects(collection: collection, addedAfter: since) }
        let ids = objects.compactMap { $0["id"]?.stringValue }.sorted().joined(separator: ",")
        let bundle: JSONValue = [
            "type": "bundle",
            "id": .string("bundle--" + STIXIdentifier.uuid5(namespace: STIXIdentifier.aegisNamespace, name: Array(ids.utf8))),
            "objects": .array(objects),
        ]
        try writeJSON(bundle, to: out)
        let indicators = objects.filter { $0["type"]?.stringValue == "indicator" }.count
        print("pulled \(objects.count) objects (\(indicators) indicators) into \(out)")
    }
}

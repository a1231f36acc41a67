import AegisCore
import ArgumentParser
import Consortium
import Foundation

/// `aegis exchange revoke`: posts revoked versions of objects already shared.
struct ExchangeRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke shared objects (e.g. an indicator published in error): post their next version with revoked: true.",
        discussion: "Peers that pull afterwards stop matching a revoked indicator (`aegis scan --indicators` skips it).")

    @OptionGroup var client: TAXIIClientOptions
    @Option(name: .customLong("id"), help: "The STIX id of an object to revoke (repeat for several).")
    var ids: [String] = []

    func run() async throws {
        guard !ids.isEmpty else { throw InvalidInput("name the objects to revoke with --id TYPE--UUID") }
        for id in ids where !STIXIdentifier.isValid(id) {
            throw InvalidInput("--id must be a STIX id such as indicator--<UUID> (got \(id))")
        }
        let collection = client.collection, ids = self.ids
        let revoked: Int = try await client.withClient { taxii in
            var objects: [JSONValue] = []
            for id in ids {
                guard let current = try await taxii.object(id, collection: collection) else {
                    throw ConsortiumError("collection \(collection) has no object \(id); check the id with `aegis exchange pull`")
                }
                if current["revoked"]?.boolValue == true { continue }
                objects.append(CampaignBundleBuilder.revoked(current, at: Date()))
            }
            guard !objects.isEmpty else { return 0 }
            let result = try await taxii.add(objects, collection: collection)
            if result.failures > 0 {
                throw ConsortiumError("the server refused \(result.failures) revocations: \(result.messages.joined(separator: "; "))")
            }
            return objects.count
        }
        print("revoked \(revoked) objects (\(ids.count - revoked) already revoked)")
    }
}

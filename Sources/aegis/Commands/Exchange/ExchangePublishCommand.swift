import AegisCore
import ArgumentParser
import Consortium
import Foundation

/// `aegis exchange publish`: flagged campaigns → STIX bundle → TAXII collection.
struct ExchangePublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Turn the flagged campaigns of a verdicts file into a STIX 2.1 bundle and post it to a collection.",
        discussion: """
        The bundle holds campaigns, indicators (IPs, /24 networks, ASNs, keyed payment/e-mail/template \
        digests), observed-data and sightings with counts, the ATLAS attack-pattern, relationships, the \
        producer's identity and the TLP marking. No account id, prompt or e-mail address leaves: see \
        docs/exchange.md. --out also writes the bundle; without --server it is only written.
        """
    )

    @Option(help: "Verdicts written by `aegis scan`.") var verdicts: String
    @Option(help: "The exchange log the verdicts came from (JSONL).") var events: String
    @Option(help: "The TAXII server (base, discovery or API root URL).") var server: String?
    @Option(help: "The collection id to post to.") var collection: String?
    @Option(help: "The user to authenticate as; the password comes from AEGIS_EXCHANGE_PASSWORD.") var user: String?
    @Option(help: "Also write the bundle to this file.") var out: String?
    @OptionGroup var key: ConsortiumKeyOptions
    @Option(help: "The producer's name (its STIX identity).") var producer = "Aegis provider"
    @Option(help: "TLP level: clear, green, amber, amber+strict, red.") var tlp = "amber+strict"
    @Option(name: .customLong("valid-days"), help: "Days the indicators stay valid.") var validDays = 30
    @Option(name: .customLong("min-accounts"), help: "Publish a template only when at least this many campaign accounts sent it.")
    var minAccounts = 3
    @Option(help: "Keyed fingerprints as: extension, core or both.") var encoding = "both"
    @Option(help: "Threads that parse the log.") var threads = 2

    func run() async throws {
        guard validDays > 0, minAccounts > 0 else { throw InvalidInput("--valid-days and --min-accounts must be positive") }
        guard let encoding = PublishOptions.Encoding(rawValue: encoding) else {
            throw InvalidInput("--encoding must be extension, core or both (got \(self.encoding))")
        }
        guard server != nil || out != nil else { throw InvalidInput("say where the bundle goes: --server URL --collection ID, or --out FILE") }
        if server != nil && (collection == nil || user == nil) {
            throw InvalidInput("posting needs --collection ID and --user NAME with --server")
        }
        let keys = try key.requiredKeys()
        var options = PublishOptions()
        options.producer = producer
        options.tlp = try TLPMarking(parsing: tlp)
        options.validDays = validDays
        options.minTemplateAccounts = minAccounts
        options.encoding = encoding
        let verdicts = try readVerdicts(self.verdicts)
        var evidence = CampaignEvidence(verdicts: verdicts, extractor: IndicatorExtractor(keys: keys))
        var malformed = 0
        try ExchangeLogReader(path: events, parallelism: max(1, threads)).forEachBatch(transform: { $0 }) { batch in
            malformed += batch.malformed.count
            for exchange in batch.elements { evidence.observe(exchange) }
        }
        let bundle = CampaignBundleBuilder(verdicts: verdicts, key: keys[0], options: options).bundle(evidence)
        let objects = bundle["objects"]?.arrayValue ?? []
        let counts = Dictionary(grouping: objects, by: { $0["type"]?.stringValue ?? "?" }).mapValues(\.count)
        let summary = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        if let out { try writeJSON(bundle, to: out) }
        var line = "bundle of \(objects.count) objects (\(summary))"
        if malformed > 0 { line += "; \(malformed) malformed log lines skipped" }
        if let server, let collection, let user {
            let client = TAXIIClientOptions(server: server, collection: collection, user: user)
            let result = try await client.withClient { try await $0.add(objects, collection: collection) }
            line += "; posted: \(result.successes) accepted, \(result.failures) refused"
            for message in result.messages.prefix(5) { line += "\n  refused \(message)" }
        }
        print(line)
    }
}

extension TAXIIClientOptions {
    init(server: String, collection: String, user: String) {
        self.init()
        self.server = server
        self.collection = collection
        self.user = user
    }
}

import AegisCore
import ArgumentParser
import AsyncHTTPClient
import Consortium
import Foundation

/// The options every TAXII client command shares.
struct TAXIIClientOptions: ParsableArguments {
    @Option(help: "The TAXII server: its base URL, discovery URL (…/taxii2/) or an API root URL.")
    var server: String

    @Option(help: "The collection id (see `aegis exchange collections list`).")
    var collection: String

    @Option(help: "The user to authenticate as; the password comes from AEGIS_EXCHANGE_PASSWORD.")
    var user: String

    /// Runs `body` with a connected client, shutting the HTTP client down after.
    func withClient<T: Sendable>(_ body: (TAXIIClient) async throws -> T) async throws -> T {
        guard let password = ProcessInfo.processInfo.environment["AEGIS_EXCHANGE_PASSWORD"], !password.isEmpty else {
            throw ConsortiumError("set AEGIS_EXCHANGE_PASSWORD to the password of --user \(user)")
        }
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let client = try TAXIIClient(server: server, user: user, password: password, http: http)
            let result = try await body(client)
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }
}

/// Where the consortium key comes from.
struct ConsortiumKeyOptions: ParsableArguments {
    @Option(name: .customLong("consortium-key"),
            help: "File with the consortium key as lines ID:HEX, current key first (default: env AEGIS_CONSORTIUM_KEY).")
    var keyFile: String?

    /// The keys, current first; empty when none is configured.
    func keys() throws -> [ConsortiumKey] {
        if let keyFile { return try ConsortiumKey.load(path: keyFile) }
        guard let text = ProcessInfo.processInfo.environment["AEGIS_CONSORTIUM_KEY"], !text.isEmpty else { return [] }
        return try text.split(separator: ",").map { try ConsortiumKey(text: String($0)) }
    }

    /// The keys, or an error saying how to give one.
    func requiredKeys() throws -> [ConsortiumKey] {
        let keys = try keys()
        guard !keys.isEmpty else {
            throw ConsortiumError("give the consortium key: --consortium-key FILE or AEGIS_CONSORTIUM_KEY=ID:HEX (hex from `aegis keys new`)")
        }
        return keys
    }
}

/// Writes JSON to a file, pretty-printed.
func writeJSON(_ value: JSONValue, to path: String) throws {
    let file = try OutputFile(path: path)
    try file.write(Array((JSONWriter(indent: 2).string(value) + "\n").utf8))
    try file.close()
}

/// Reads a verdicts file.
func readVerdicts(_ path: String) throws -> Verdicts {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw InvalidInput("cannot read the verdicts file \(path); write it with `aegis scan --out \(path)`")
    }
    do { return try JSONDecoder().decode(Verdicts.self, from: data) } catch {
        throw InvalidInput("\(path) is not a verdicts file (\(error)); write it with `aegis scan --out`")
    }
}

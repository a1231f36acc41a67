import AegisCore
import ArgumentParser
import Consortium
import Foundation
import Logging

/// `aegis exchange serve`: the TAXII 2.1 server.
struct ExchangeServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a TAXII 2.1 server (discovery at /taxii2/, API root /aegis/) over an exchange database.",
        discussion: """
        Users authenticate with HTTP Basic (make them with `aegis exchange users add`). With --tls-cert and \
        --tls-key the server speaks HTTPS only. SIGTERM or SIGINT stops accepting connections and lets \
        requests in flight finish.
        """
    )

    @Option(help: "The exchange database (SQLite; created when missing).") var db: String
    @Option(help: "Port to listen on; 0 picks a free one (printed at start).") var port = 9443
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain for HTTPS.") var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "PEM private key for HTTPS.") var tlsKey: String?
    @Option(name: .customLong("max-body-bytes"), help: "Largest request body; 413 above.") var maxBodyBytes = 16 << 20
    @Option(name: .customLong("page-size"), help: "Objects per page when a client sets no limit.") var pageSize = 1000

    func run() async throws {
        guard port >= 0, port < 65536, maxBodyBytes > 0, pageSize > 0 else {
            throw InvalidInput("--port must be 0-65535 and --max-body-bytes and --page-size positive")
        }
        var settings = TAXIIConfiguration()
        settings.host = host
        settings.port = port
        settings.tlsCertificate = tlsCert
        settings.tlsKey = tlsKey
        settings.maxBodyBytes = maxBodyBytes
        settings.defaultPageSize = pageSize
        settings.maximumPageSize = max(pageSize, settings.maximumPageSize)
        let database = try ConsortiumDatabase(path: db)
        var logger = Logger(label: "aegis.exchange")
        logger.logLevel = .warning
        let scheme = tlsCert == nil ? "http" : "https"
        let host = self.host
        let server = try TAXIIServer(configuration: settings, database: database, logger: logger) { port in
            FileHandle.standardOutput.write(Data("aegis exchange serve: listening on \(scheme)://\(host):\(port)/taxii2/\n".utf8))
        }
        try await server.application.runService()
        print("aegis exchange serve: stopped")
    }
}

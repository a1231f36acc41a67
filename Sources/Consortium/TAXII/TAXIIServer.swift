import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore

/// `aegis exchange serve`: a TAXII 2.1 server over one exchange database.
///
/// Built like the gateway: a Hummingbird application with its own responder;
/// run it with `runService()`, and SIGTERM or SIGINT stops accepting
/// connections and lets requests in flight finish.
public struct TAXIIServer: Sendable {
    /// The request handling, for tests that call it directly.
    public let responder: TAXIIResponder
    /// The HTTP application (a `Service`).
    public let application: Application<TAXIIResponder>

    /// Builds the server; `onServerRunning` gets the bound port once listening.
    public init(configuration: TAXIIConfiguration, database: ConsortiumDatabase,
                logger: Logger = Logger(label: "aegis.exchange"),
                onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws(ConsortiumError) {
        responder = TAXIIResponder(configuration: configuration, database: database, logger: logger)
        var server: HTTPServerBuilder = .http1()
        if let certificate = configuration.tlsCertificate, let key = configuration.tlsKey {
            do {
                let chain = try NIOSSLCertificate.fromPEMFile(certificate)
                let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
                let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                                   privateKey: .privateKey(privateKey))
                server = try .tls(.http1(), tlsConfiguration: tls)
            } catch {
                throw ConsortiumError("cannot use the TLS certificate \(certificate) and key \(key) (\(error)); give PEM files")
            }
        } else if (configuration.tlsCertificate == nil) != (configuration.tlsKey == nil) {
            throw ConsortiumError("TLS needs both --tls-cert and --tls-key (PEM files)")
        }
        application = Application(
            responder: responder,
            server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), backlog: 1024),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}

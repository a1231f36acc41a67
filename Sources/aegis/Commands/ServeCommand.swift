import AegisCore
import ArgumentParser
import AsyncHTTPClient
import Foundation
import Gateway
import Logging
import NIOCore
import NIOPosix
import Store
import Watermark

/// `aegis serve`: the OpenAI-compatible gateway.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve an OpenAI-compatible API that enforces keys, limits and policy and logs every exchange.",
        discussion: """
        Routes: POST /v1/chat/completions, POST /v1/completions, GET /v1/models, GET /healthz, GET /metrics. \
        Clients authenticate with `Authorization: Bearer <secret>` (create keys with `aegis keys create`). \
        Every request and response is logged to the database in batches (export with `aegis events export`). \
        SIGTERM or SIGINT stops accepting connections, lets in-flight requests and streams finish, commits \
        the log, then exits.

        Every setting can also come from a JSON config file (--config): an object whose keys are the long \
        option names without dashes' prefix, e.g. {"upstream": "http://127.0.0.1:8081/v1", "port": 8080, \
        "account-rpm": 600, "served-model": ["smollm2"]}. Flags given on the command line win over the file.
        """
    )

    /// The defaults `--help` shows: the gateway's own.
    static let defaults = GatewayConfiguration()

    @Option(help: "JSON config file with any of the settings below (flags win over it).") var config: String?
    @Option(help: "SQLite database file (created when missing). [default: aegis.db]") var db: String?
    @Option(name: .customLong("secret-file"), help: "Key-hash secret file. [default: the --db path plus .secret]")
    var secretFile: String?
    @Option(help: "OpenAI-compatible base URL of the model server, e.g. http://127.0.0.1:8081/v1.") var upstream: String?
    @Option(name: .customLong("upstream-key"), help: "Bearer key the upstream expects (or env AEGIS_UPSTREAM_KEY).")
    var upstreamKey: String?
    @Option(help: "Serve the built-in engine with this GGUF model instead of --upstream.")
    var model: String?
    @Option(name: .customLong("model-id"), help: "Model id clients ask for with --model. [default: the file name without .gguf]")
    var modelID: String?
    @Option(help: "With --model: watermark scheme kgw, gumbel, synthid, or none. [default: kgw]")
    var watermark: String?
    @Option(name: .customLong("watermark-key"),
            help: "With --model: the server's watermark key, 64 hex digits (`aegis keys new`), or env AEGIS_WATERMARK_KEY.")
    var watermarkKey: String?
    @Option(name: .customLong("payload-bits"),
            help: "With --model: bits of the account-derived payload embedded in every answer (0-32); more bits need longer answers to decode. [default: \(AccountPayload.defaultBits)]")
    var payloadBits: Int?
    @Option(help: "With --model: generation threads. [default: all cores]") var threads: Int?
    @Option(help: "Address to listen on. [default: \(Self.defaults.host)]") var host: String?
    @Option(help: "Port to listen on; 0 picks a free one (printed at start). [default: \(Self.defaults.port)]") var port: Int?
    @Option(name: .customLong("served-model"), help: "A model id to serve (repeat); default: the upstream's GET /models list.")
    var servedModels: [String] = []
    @Option(name: .customLong("max-body-bytes"), help: "Largest request body; 413 above. [default: \(Self.defaults.maxBodyBytes)]")
    var maxBodyBytes: Int?
    @Option(name: .customLong("body-timeout"), help: "Seconds to receive a whole request body; 408 after. [default: \(Self.defaults.bodyTimeout.helpText)]")
    var bodyTimeout: Double?
    @Option(name: .customLong("upstream-timeout"),
            help: "Seconds to wait for a non-streamed answer, or for silence inside a stream; 504 after. [default: \(Self.defaults.upstreamTimeout.helpText)]")
    var upstreamTimeout: Double?
    @Option(name: .customLong("upstream-connections"), help: "Connections kept to the upstream. [default: \(Self.defaults.upstreamConnections)]")
    var upstreamConnections: Int?
    @Option(name: .customLong("default-max-tokens"),
            help: "Tokens reserved against tokens-per-minute when a request has no max_tokens. [default: \(Self.defaults.defaultMaxTokens)]")
    var defaultMaxTokens: Int?
    @Option(name: .customLong("account-rpm"), help: "Requests per minute for every account (all its keys together).")
    var accountRPM: Int?
    @Option(name: .customLong("account-tpm"), help: "Tokens per minute for every account.") var accountTPM: Int?
    @Option(name: .customLong("account-concurrency"), help: "Requests in flight at once for every account.")
    var accountConcurrency: Int?
    @Option(name: .customLong("log-interval-ms"), help: "Longest an exchange waits in memory before its batch commit. [default: \(Self.defaults.logIntervalMilliseconds)]")
    var logIntervalMS: Int?
    @Option(name: .customLong("cache-seconds"),
            help: "How long keys and account policy are cached; revocations and blocks apply within it. [default: \(Self.defaults.cacheSeconds.helpText)]")
    var cacheSeconds: Double?
    @Option(name: .customLong("idle-timeout"), help: "Seconds an idle client connection stays open. [default: \(Self.defaults.idleTimeout.helpText)]")
    var idleTimeout: Double?
    @Flag(name: .customLong("trust-forwarded-for"),
          help: "Take the client address from X-Forwarded-For (its last entry); only behind a proxy that sets it.")
    var trustForwardedFor = false
    @OptionGroup(title: "Live detection") var detection: DetectionOptions

    func run() async throws {
        // Run Swift tasks on NIO's event loops: requests then stay on the thread
        // that reads their socket instead of hopping to the global pool and back.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let file = try config.map { try ConfigFile(path: $0) } ?? ConfigFile()
        // Defaults from the struct, then the file, then the flags.
        var settings: GatewayConfiguration = try file.decode()
        if let host { settings.host = host }
        if let port { settings.port = port }
        if let maxBodyBytes { settings.maxBodyBytes = maxBodyBytes }
        if let bodyTimeout { settings.bodyTimeout = bodyTimeout }
        if let defaultMaxTokens { settings.defaultMaxTokens = defaultMaxTokens }
        if let accountRPM { settings.accountLimits.requestsPerMinute = accountRPM }
        if let accountTPM { settings.accountLimits.tokensPerMinute = accountTPM }
        if let accountConcurrency { settings.accountLimits.concurrency = accountConcurrency }
        if !servedModels.isEmpty { settings.servedModels = servedModels }
        if let logIntervalMS { settings.logIntervalMilliseconds = logIntervalMS }
        if let cacheSeconds { settings.cacheSeconds = cacheSeconds }
        if let idleTimeout { settings.idleTimeout = idleTimeout }
        if trustForwardedFor { settings.trustForwardedFor = true }
        if let upstreamTimeout { settings.upstreamTimeout = upstreamTimeout }
        if let upstreamConnections { settings.upstreamConnections = upstreamConnections }
        let detectionSettings = try detection.settings(file: file)
        let timeout = settings.upstreamTimeout
        let connections = settings.upstreamConnections
        guard settings.maxBodyBytes > 0, settings.bodyTimeout > 0, timeout > 0, connections > 0 else {
            throw InvalidInput("--max-body-bytes, --body-timeout, --upstream-timeout and --upstream-connections must be positive")
        }

        let modelPath = model ?? file.string("model")
        let upstreamURL = upstream ?? file.string("upstream")
        guard (modelPath == nil) != (upstreamURL == nil) else {
            throw InvalidInput("say where completions come from: exactly one of --upstream http://HOST:PORT/v1 or --model M.gguf")
        }
        if let upstreamURL, !(upstreamURL.hasPrefix("http://") || upstreamURL.hasPrefix("https://")) {
            throw InvalidInput("--upstream must be an http:// or https:// base URL such as http://127.0.0.1:8081/v1 (got \(upstreamURL))")
        }

        let store = try SQLiteStore(path: db ?? file.string("db") ?? "aegis.db",
                                    secretPath: secretFile ?? file.string("secret-file"))
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.timeout = .init(connect: .seconds(5), read: .milliseconds(Int64(timeout * 1000)))
        clientConfiguration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        clientConfiguration.decompression = .disabled
        let client = HTTPClient(eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton),
                                configuration: clientConfiguration)
        let key = upstreamKey ?? file.string("upstream-key") ?? ProcessInfo.processInfo.environment["AEGIS_UPSTREAM_KEY"]
        let upstream: any Upstream
        if let modelPath {
            upstream = try engine(path: modelPath, file: file, defaultMaxTokens: settings.defaultMaxTokens)
        } else {
            upstream = HTTPUpstream(baseURL: upstreamURL ?? "", client: client, apiKey: key,
                                    timeout: .milliseconds(Int64(timeout * 1000)))
        }
        let source = modelPath ?? upstreamURL ?? ""
        var logger = Logger(label: "aegis.serve")
        logger.logLevel = .warning
        let host = settings.host
        let banner = detectionSettings.summary
        let gateway = Gateway(configuration: settings, store: store, upstream: upstream, detection: detectionSettings,
                              logger: logger) { port in
            // Unbuffered, so a script waiting for this line sees it at once.
            FileHandle.standardOutput.write(Data(
                "aegis serve: listening on http://\(host):\(port) (serving \(source); \(banner))\n".utf8))
        }
        do {
            try await gateway.application.runService()
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        print("aegis serve: stopped; \(try await store.exchangeCount()) exchanges in the log")
    }
}

extension ServeCommand {
    /// The built-in engine, watermarked unless --watermark none.
    func engine(path: String, file: ConfigFile, defaultMaxTokens: Int) throws -> EngineUpstream {
        let scheme = watermark ?? file.string("watermark") ?? "kgw"
        var configuration: WatermarkConfiguration?
        if scheme != "none" {
            guard let hex = watermarkKey ?? file.string("watermark-key")
                ?? ProcessInfo.processInfo.environment["AEGIS_WATERMARK_KEY"]
            else {
                throw InvalidInput("--model serves watermarked text: give --watermark-key (make one with `aegis keys new`) or --watermark none")
            }
            var watermarkConfiguration = WatermarkConfiguration(scheme: try WatermarkScheme(parsing: scheme),
                                                                key: try WatermarkKey(hex: hex))
            watermarkConfiguration.payloadBits = payloadBits ?? file.int("payload-bits") ?? AccountPayload.defaultBits
            try watermarkConfiguration.validate()
            configuration = watermarkConfiguration
        }
        let name = modelID ?? file.string("model-id")
            ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try EngineUpstream(path: path, modelID: name, watermark: configuration,
                                  threads: threads ?? file.int("threads"), defaultMaxTokens: defaultMaxTokens)
    }
}

/// The optional JSON config file: an object keyed by long option names.
struct ConfigFile {
    private var values: [String: Any] = [:]
    private var data = Data("{}".utf8)
    private var path = ""

    init() {}

    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InvalidInput("cannot read the config file \(path); check the path")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw InvalidInput("the config file \(path) is not a JSON object; write it as {\"upstream\": \"http://…/v1\", \"port\": 8080}")
        }
        values = object
        self.data = data
        self.path = path
    }

    /// The settings a module decodes from the file (its defaults where the file is silent).
    func decode<Settings: Decodable>(_ type: Settings.Type = Settings.self) throws -> Settings {
        do {
            return try JSONDecoder().decode(Settings.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            let problem = context.debugDescription.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ". "))
            throw InvalidInput("the config file \(path): '\(key)' \(problem); fix that value")
        } catch {
            throw InvalidInput("the config file \(path) could not be read: \(error)")
        }
    }

    func string(_ key: String) -> String? { values[key] as? String }
    func int(_ key: String) -> Int? { (values[key] as? NSNumber)?.intValue }
    func double(_ key: String) -> Double? { (values[key] as? NSNumber)?.doubleValue }
    func bool(_ key: String) -> Bool? { values[key] as? Bool }
    func strings(_ key: String) -> [String] {
        if let list = values[key] as? [String] { return list }
        return string(key).map { [$0] } ?? []
    }
}

extension Double {
    /// The number as `--help` shows a default: no fraction when it is whole.
    var helpText: String { self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self) }
}

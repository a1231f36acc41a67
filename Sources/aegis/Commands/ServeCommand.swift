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

    /// The defaults `--help` shows: the gateway's own and the command's.
    static let defaults = GatewayConfiguration()
    static let commandDefaults = ServeSettings()

    @Option(help: "JSON config file with any of the settings below (flags win over it).") var config: String?
    @Option(help: "SQLite database file (created when missing). [default: \(Self.commandDefaults.db)]") var db: String?
    @Option(name: .customLong("secret-file"), help: "Key-hash secret file. [default: the --db path plus .secret]")
    var secretFile: String?
    @Option(help: "OpenAI-compatible base URL of the model server, e.g. http://127.0.0.1:8081/v1.") var upstream: String?
    @Option(name: .customLong("upstream-key"), help: "Bearer key the upstream expects (or env AEGIS_UPSTREAM_KEY).")
    var upstreamKey: String?
    @Option(help: "Serve the built-in engine with this GGUF model instead of --upstream.")
    var model: String?
    @Option(name: .customLong("model-id"), help: "Model id clients ask for with --model. [default: the file name without .gguf]")
    var modelID: String?
    @Option(help: "Watermark scheme kgw, gumbel, synthid, or none: of the built-in engine (--model), or of draft selection (--upstream with --select-candidates). [default with --model: \(ServeSettings.defaultWatermark)]")
    var watermark: String?
    @Option(name: .customLong("watermark-key"),
            help: "The server's watermark key, 64 hex digits (`aegis keys new`), or env AEGIS_WATERMARK_KEY.")
    var watermarkKey: String?
    @Option(name: .customLong("payload-bits"),
            help: "Bits of the account-derived payload embedded in every answer (0-32); more bits need longer answers to decode. [default: \(Self.commandDefaults.payloadBits)]")
    var payloadBits: Int?
    @Option(name: .customLong("select-candidates"),
            help: "With --upstream: draft selection. Ask the model server for K candidates per answer (or per segment) and return the one most strongly marked for the account; the upstream spends K times the tokens, all counted in the account's tokens per minute.")
    var selectCandidates: Int?
    @Option(name: .customLong("select-segment"),
            help: "Draft selection per segment of this many tokens instead of per whole answer (much stronger mark; needs the upstream's /completions endpoint and, for chat, the chat template in --tokenizer's GGUF).")
    var selectSegment: Int?
    @Option(name: .customLong("select-sampling"),
            help: "How draft selection gets K samples: auto (n = K, then separate requests if the server refuses), n, or seeds (K requests with distinct seeds). [default: \(Self.commandDefaults.selectSampling)]")
    var selectSampling: String?
    @Option(help: "With --select-candidates: the served model's GGUF, whose tokenizer (and chat template) the mark is scored with; `aegis detect --model` takes the same file.")
    var tokenizer: String?
    @Option(name: .customLong("upstream-watermark"),
            help: "With --upstream: the model server marks its own answers with python/aegis_watermark using this scheme; each request then carries the account's payload (never the key) and the log records the answers as marked by it.")
    var upstreamWatermark: String?
    @Option(name: .customLong("payload-via"),
            help: "With --upstream-watermark: header (X-Aegis-Payload) or vllm (the header and the body field vllm_xargs.aegis_payload, which vLLM hands to logits processors). [default: \(Self.commandDefaults.payloadVia)]")
    var payloadVia: String?
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
        let command = try commandSettings(file: file)
        let timeout = settings.upstreamTimeout
        let connections = settings.upstreamConnections
        guard settings.maxBodyBytes > 0, settings.bodyTimeout > 0, timeout > 0, connections > 0 else {
            throw InvalidInput("--max-body-bytes, --body-timeout, --upstream-timeout and --upstream-connections must be positive")
        }

        let modelPath = command.model
        let upstreamURL = command.upstream
        guard (modelPath == nil) != (upstreamURL == nil) else {
            throw InvalidInput("say where completions come from: exactly one of --upstream http://HOST:PORT/v1 or --model M.gguf")
        }
        if let upstreamURL, !(upstreamURL.hasPrefix("http://") || upstreamURL.hasPrefix("https://")) {
            throw InvalidInput("--upstream must be an http:// or https:// base URL such as http://127.0.0.1:8081/v1 (got \(upstreamURL))")
        }

        let store = try SQLiteStore(path: command.db, secretPath: command.secretFile)
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.timeout = .init(connect: .seconds(5), read: .milliseconds(Int64(timeout * 1000)))
        clientConfiguration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        clientConfiguration.decompression = .disabled
        let client = HTTPClient(eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton),
                                configuration: clientConfiguration)
        let key = command.upstreamKey ?? ProcessInfo.processInfo.environment["AEGIS_UPSTREAM_KEY"]
        let upstream: any Upstream
        do {
            if let modelPath {
                upstream = try Self.engine(path: modelPath, settings: command, defaultMaxTokens: settings.defaultMaxTokens)
            } else {
                upstream = try Self.httpUpstream(url: upstreamURL ?? "", client: client, apiKey: key, timeout: timeout,
                                                 settings: command, defaultMaxTokens: settings.defaultMaxTokens)
            }
        } catch {
            // The client must be shut down before it is released, also when the settings are refused.
            try? await client.shutdown()
            throw error
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
    /// The command's own settings: the defaults, then the config file, then the flags.
    func commandSettings(file: ConfigFile) throws -> ServeSettings {
        var settings: ServeSettings = try file.decode()
        if let db { settings.db = db }
        if let secretFile { settings.secretFile = secretFile }
        if let upstream { settings.upstream = upstream }
        if let upstreamKey { settings.upstreamKey = upstreamKey }
        if let model { settings.model = model }
        if let modelID { settings.modelID = modelID }
        if let watermark { settings.watermark = watermark }
        if let watermarkKey { settings.watermarkKey = watermarkKey }
        if let payloadBits { settings.payloadBits = payloadBits }
        if let threads { settings.threads = threads }
        if let selectCandidates { settings.selectCandidates = selectCandidates }
        if let selectSegment { settings.selectSegment = selectSegment }
        if let selectSampling { settings.selectSampling = selectSampling }
        if let tokenizer { settings.tokenizer = tokenizer }
        if let upstreamWatermark { settings.upstreamWatermark = upstreamWatermark }
        if let payloadVia { settings.payloadVia = payloadVia }
        return settings
    }

    /// The server's watermark (scheme, key, payload width), or nil for `none`.
    static func watermarkConfiguration(scheme: String, settings: ServeSettings, needKeyFor: String)
        throws -> WatermarkConfiguration? {
        guard scheme != "none" else { return nil }
        guard let hex = settings.watermarkKey ?? ProcessInfo.processInfo.environment["AEGIS_WATERMARK_KEY"] else {
            let unmarked = needKeyFor == "--model" ? " or --watermark none" : ""
            throw InvalidInput("\(needKeyFor) serves watermarked text: give --watermark-key (make one with `aegis keys new`)\(unmarked)")
        }
        var configuration = WatermarkConfiguration(scheme: try WatermarkScheme(parsing: scheme), key: try WatermarkKey(hex: hex))
        configuration.payloadBits = settings.payloadBits
        try configuration.validate()
        return configuration
    }

    /// The model server, as it is or behind draft selection; with --upstream-watermark, told each account's payload.
    static func httpUpstream(url: String, client: HTTPClient, apiKey: String?, timeout: Double, settings: ServeSettings,
                             defaultMaxTokens: Int) throws -> any Upstream {
        var forwarding: PayloadForwarding?
        if let scheme = settings.upstreamWatermark {
            _ = try WatermarkScheme(parsing: scheme)
            guard ["header", "vllm"].contains(settings.payloadVia) else {
                throw InvalidInput("--payload-via must be header or vllm (got \(settings.payloadVia))")
            }
            forwarding = PayloadForwarding(bits: settings.payloadBits, inBody: settings.payloadVia == "vllm", scheme: scheme)
        }
        let base = HTTPUpstream(baseURL: url, client: client, apiKey: apiKey, timeout: .milliseconds(Int64(timeout * 1000)),
                                payloadForwarding: forwarding)
        guard let candidates = settings.selectCandidates else {
            if settings.watermark != nil && settings.watermark != "none" && forwarding == nil {
                throw InvalidInput("--watermark with --upstream needs --select-candidates K (draft selection at the gateway) or --upstream-watermark SCHEME (the model server marks its answers itself)")
            }
            return base
        }
        guard forwarding == nil else {
            throw InvalidInput("--select-candidates and --upstream-watermark exclude each other: the answers are marked either by the gateway's selection or by the model server")
        }
        guard let sampling = DraftSelection.Sampling(rawValue: settings.selectSampling) else {
            throw InvalidInput("--select-sampling must be auto, n or seeds (got \(settings.selectSampling))")
        }
        let selection = DraftSelection(candidates: candidates, segmentTokens: settings.selectSegment, sampling: sampling)
        do { try selection.validate() } catch { throw InvalidInput(error.message) }
        guard let configuration = try watermarkConfiguration(scheme: settings.watermark ?? ServeSettings.defaultWatermark,
                                                             settings: settings, needKeyFor: "--select-candidates")
        else { throw InvalidInput("--select-candidates selects by the watermark: give --watermark kgw, gumbel or synthid, not none") }
        guard let tokenizer = settings.tokenizer else {
            throw InvalidInput("--select-candidates scores candidates with the served model's tokenizer: give --tokenizer M.gguf (the file `aegis detect --model` will take)")
        }
        let scorer = try CandidateScorer(gguf: tokenizer, configuration: configuration)
        return SelectionUpstream(base: base, selection: selection, scorer: scorer, defaultMaxTokens: defaultMaxTokens)
    }

    /// The built-in engine, watermarked unless --watermark none.
    static func engine(path: String, settings: ServeSettings, defaultMaxTokens: Int) throws -> EngineUpstream {
        let configuration = try watermarkConfiguration(scheme: settings.watermark ?? ServeSettings.defaultWatermark,
                                                       settings: settings, needKeyFor: "--model")
        let name = settings.modelID ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try EngineUpstream(path: path, modelID: name, watermark: configuration,
                                  threads: settings.threads, defaultMaxTokens: defaultMaxTokens)
    }
}

extension Double {
    /// The number as `--help` shows a default: no fraction when it is whole.
    var helpText: String { self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self) }
}

import Store

/// The config-file form of ``GatewayConfiguration``: a JSON object keyed by
/// `aegis serve`'s long option names; absent keys keep the defaults.
extension GatewayConfiguration: Decodable {
    /// The config-file names.
    enum FileKey: String, CodingKey {
        case host, port
        case maxBodyBytes = "max-body-bytes", bodyTimeout = "body-timeout", defaultMaxTokens = "default-max-tokens"
        case accountRPM = "account-rpm", accountTPM = "account-tpm", accountConcurrency = "account-concurrency"
        case servedModel = "served-model", logIntervalMS = "log-interval-ms", cacheSeconds = "cache-seconds"
        case idleTimeout = "idle-timeout", trustForwardedFor = "trust-forwarded-for"
        case upstreamTimeout = "upstream-timeout", upstreamConnections = "upstream-connections"
    }

    /// The defaults, with what the file sets.
    public init(from decoder: any Decoder) throws {
        self.init()
        let file = try decoder.container(keyedBy: FileKey.self)
        host = try file.decodeIfPresent(String.self, forKey: .host) ?? host
        port = try file.decodeIfPresent(Int.self, forKey: .port) ?? port
        maxBodyBytes = try file.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? maxBodyBytes
        bodyTimeout = try file.decodeIfPresent(Double.self, forKey: .bodyTimeout) ?? bodyTimeout
        defaultMaxTokens = try file.decodeIfPresent(Int.self, forKey: .defaultMaxTokens) ?? defaultMaxTokens
        accountLimits = RateLimits(
            requestsPerMinute: try file.decodeIfPresent(Int.self, forKey: .accountRPM) ?? accountLimits.requestsPerMinute,
            tokensPerMinute: try file.decodeIfPresent(Int.self, forKey: .accountTPM) ?? accountLimits.tokensPerMinute,
            concurrency: try file.decodeIfPresent(Int.self, forKey: .accountConcurrency) ?? accountLimits.concurrency)
        // One model id or a list of them.
        if let one = try? file.decodeIfPresent(String.self, forKey: .servedModel) {
            servedModels = [one]
        } else if let list = try file.decodeIfPresent([String].self, forKey: .servedModel), !list.isEmpty {
            servedModels = list
        }
        logIntervalMilliseconds = try file.decodeIfPresent(Int.self, forKey: .logIntervalMS) ?? logIntervalMilliseconds
        cacheSeconds = try file.decodeIfPresent(Double.self, forKey: .cacheSeconds) ?? cacheSeconds
        idleTimeout = try file.decodeIfPresent(Double.self, forKey: .idleTimeout) ?? idleTimeout
        trustForwardedFor = try file.decodeIfPresent(Bool.self, forKey: .trustForwardedFor) ?? trustForwardedFor
        upstreamTimeout = try file.decodeIfPresent(Double.self, forKey: .upstreamTimeout) ?? upstreamTimeout
        upstreamConnections = try file.decodeIfPresent(Int.self, forKey: .upstreamConnections) ?? upstreamConnections
    }

    /// ``logInterval`` in milliseconds (the unit of the flag and the file).
    public var logIntervalMilliseconds: Int {
        get { Int(logInterval.components.seconds * 1000 + logInterval.components.attoseconds / 1_000_000_000_000_000) }
        set { logInterval = .milliseconds(newValue) }
    }
}

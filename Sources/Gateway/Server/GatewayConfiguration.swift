import Store

/// Settings of a running gateway. The defaults live here: `aegis serve`'s config
/// file decodes onto them (``init(from:)``), its flags override them, and its
/// `--help` prints them.
public struct GatewayConfiguration: Sendable {
    /// Address to listen on.
    public var host = "127.0.0.1"
    /// Port to listen on (0: any free port).
    public var port = 8080
    /// Largest request body accepted, in bytes (413 above).
    public var maxBodyBytes = 4 << 20
    /// Longest wait for a whole request body, in seconds (408 after).
    public var bodyTimeout: Double = 10
    /// Tokens reserved against tokens-per-minute when a request gives no max_tokens.
    public var defaultMaxTokens = 1024
    /// Limits applied to every account (all its keys together); policy may tighten them.
    public var accountLimits = RateLimits()
    /// Model ids to serve; nil asks the upstream (GET /models) once.
    public var servedModels: [String]?
    /// How long exchanges may wait in memory before a batch commit.
    public var logInterval: Duration = .milliseconds(20)
    /// How long an authenticated key, or an account's policy, is cached, in seconds.
    public var cacheSeconds: Double = 1
    /// Seconds an idle client connection stays open.
    public var idleTimeout: Double = 75
    /// Seconds to wait for a non-streamed answer, or for silence inside a stream (504 after).
    public var upstreamTimeout: Double = 120
    /// Connections kept to an upstream URL.
    public var upstreamConnections = 256
    /// Take the client's address from X-Forwarded-For (its last entry): only
    /// behind a proxy that sets it, or any client could pick its own address.
    public var trustForwardedFor = false

    /// The defaults.
    public init() {}
}

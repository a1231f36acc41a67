import Hummingbird
import Logging
import NIOCore
import Store

/// `aegis serve`: an OpenAI-compatible enforcement point in front of a model.
///
/// Wires the parts together into a Hummingbird application whose service group
/// also runs the exchange-log writer; run it with `runService()` and SIGTERM
/// drains in-flight requests (streams included) before the log's last commit.
public struct Gateway: Sendable {
    /// The request path, for tests that call it directly.
    public let core: GatewayCore
    /// The HTTP application (a `Service`).
    public let application: Application<RouterResponder<GatewayContext>>
    /// The live campaign detector, when detection is on.
    public let detector: LiveDetector?

    /// Builds a gateway.
    /// - Parameters:
    ///   - policy: the operator's decider asked before forwarding; default: the static one over `store`.
    ///   - detection: live campaign detection over the gateway's own traffic; its
    ///     decisions combine with `policy`'s (the stricter wins). Nil or mode `off`: none.
    ///   - limiter: the rate limiter; tests pass one with a frozen clock.
    ///   - onServerRunning: called with the bound port once listening.
    public init(configuration: GatewayConfiguration, store: any Store, upstream: any Upstream,
                policy: (any PolicyDecider)? = nil, detection: LiveDetectionSettings? = nil, limiter: RateLimiter = RateLimiter(),
                logger: Logger = Logger(label: "aegis.gateway"),
                onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) {
        let metrics = GatewayMetrics()
        let log = ExchangeLogWriter(store: store, interval: configuration.logInterval, logger: logger,
                                    onDepthChange: { metrics.logQueueDepth($0) })
        let accounts = AccountCache(store: store, refresh: configuration.cacheSeconds)
        let operatorPolicy = policy ?? StaticPolicyDecider(accounts: accounts)
        if let detection, detection.mode != .off {
            detector = LiveDetector(settings: detection, store: store, operatorPolicy: operatorPolicy, logger: logger)
        } else {
            detector = nil
        }
        core = GatewayCore(configuration: configuration, store: store, upstream: upstream,
                           policy: detector ?? operatorPolicy, observer: detector, accounts: accounts,
                           limiter: limiter, log: log, metrics: metrics, logger: logger)
        let bodyTimeout = TimeAmount.milliseconds(Int64(configuration.bodyTimeout * 1000))
        let idle = configuration.idleTimeout > 0 ? TimeAmount.milliseconds(Int64(configuration.idleTimeout * 1000)) : nil
        application = Application(
            router: GatewayRouter.router(for: core),
            server: .http1(configuration: .init(
                additionalChannelHandlers: [BodyDeadlineHandler(timeout: bodyTimeout)], idleTimeout: idle)),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), backlog: 4096),
            // Services stop in reverse order: the detector first, the log last.
            services: [log] + (detector.map { [$0] } ?? []),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}

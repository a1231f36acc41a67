import CoreMetrics
import Prometheus
import Synchronization

/// The gateway's metrics, recorded through swift-metrics into a Prometheus
/// registry that GET /metrics renders.
///
/// Each gateway owns its registry (no global bootstrap), so several gateways
/// in one process (tests) keep separate figures.
public final class GatewayMetrics: Sendable {
    /// The registry GET /metrics emits.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let queueDepth: CoreMetrics.Gauge
    private let counters = Mutex<[String: CoreMetrics.Counter]>([:])
    private let latency: [String: CoreMetrics.Timer]
    private let firstToken: CoreMetrics.Timer

    /// Creates the metrics with a fresh registry.
    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let buckets: [Duration] = [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
                                   .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                   .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
                                   .seconds(5), .seconds(10), .seconds(30), .seconds(60)]
        factory.defaultDurationHistogramBuckets = buckets
        self.factory = factory
        queueDepth = CoreMetrics.Gauge(label: "aegis_log_queue_depth", factory: factory)
        latency = Dictionary(uniqueKeysWithValues: ["chat.completions", "completions", "models", "other"].map {
            ($0, CoreMetrics.Timer(label: "aegis_request_duration_seconds", dimensions: [("endpoint", $0)], factory: factory))
        })
        firstToken = CoreMetrics.Timer(label: "aegis_time_to_first_token_seconds", factory: factory)
    }

    /// Counts a finished request and records its latency.
    func request(endpoint: String, status: Int, seconds: Double) {
        counter("aegis_requests_total", [("endpoint", endpoint), ("status", String(status))]).increment()
        (latency[endpoint] ?? latency["other"]!).recordNanoseconds(Int64(seconds * 1e9))
    }

    /// Records time to the first streamed content.
    func timeToFirstToken(seconds: Double) {
        firstToken.recordNanoseconds(Int64(seconds * 1e9))
    }

    /// Counts a refusal by a limit ("requests", "tokens", "concurrency") or policy ("blocked").
    func rejection(_ limit: String) {
        counter("aegis_limit_rejections_total", [("limit", limit)]).increment()
    }

    /// Sets the exchange-log queue depth.
    func logQueueDepth(_ depth: Int) {
        queueDepth.record(depth)
    }

    /// The Prometheus text exposition.
    func render() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Counter {
        let key = label + dimensions.map { "|\($0.1)" }.joined()
        return counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = CoreMetrics.Counter(label: label, dimensions: dimensions, factory: factory)
            counters[key] = counter
            return counter
        }
    }
}

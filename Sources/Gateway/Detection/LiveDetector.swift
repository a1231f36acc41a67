import AegisCore
import Detection
import Foundation
import Logging
import ServiceLifecycle
import Store
import Synchronization

/// Campaign detection on the gateway's own traffic, acting through policy.
///
/// The request path touches it twice, both times in memory: ``decide(_:)``
/// reads the account's standing (one dictionary lookup under a lock) and
/// ``observe(_:)`` appends the finished exchange to an inbox. Everything slow
/// runs in ``run()``, a service beside the HTTP server, on a thread of its own: it feeds the inbox to
/// a ``CampaignDetector`` every ``LiveDetectionSettings/drainInterval``,
/// re-scores the accounts that sent something, re-clusters campaigns every
/// ``LiveDetectionSettings/refreshInterval``, and publishes the new standings.
/// Each change of an account's standing is recorded in the store with its
/// reasons (`aegis accounts show NAME`); in dry-run mode the standings are
/// recorded but never applied.
public final class LiveDetector: Service, PolicyDecider, ExchangeObserver {
    private let settings: LiveDetectionSettings
    private let store: any Store
    private let operatorPolicy: any PolicyDecider
    private let logger: Logger
    private let inbox = Mutex(Inbox())
    private let standings = Mutex<[String: AccountStanding]>([:])
    private let progress = Mutex(Progress())
    private let pendingRecords = Mutex<[PolicyDecisionRecord]>([])
    /// Names the stream of a request, keyed as the detector keys it.
    private let streamNamer: FeatureExtractor

    /// Creates a detector acting on `store`'s accounts.
    /// - Parameter operatorPolicy: the operator's decisions (blocks, overrides), combined
    ///   with the detector's: the stricter wins.
    public init(settings: LiveDetectionSettings, store: any Store, operatorPolicy: any PolicyDecider,
                logger: Logger = Logger(label: "aegis.detection")) {
        self.settings = settings
        streamNamer = FeatureExtractor(hasher: settings.detector.hasher)
        self.store = store
        self.operatorPolicy = operatorPolicy
        self.logger = logger
    }

    // MARK: Request path

    public func decide(_ context: PolicyContext) async -> PolicyDecision {
        let base = await operatorPolicy.decide(context)
        guard settings.mode == .enforce, let standing = standings.withLock({ $0[context.account] }) else { return base }
        if let scoped = standing.scopedStreams {
            // Only the flagged stream of the account is acted on: name this request's stream.
            guard scoped.contains(streamNamer.streamName(of: context.request.body)) else { return base }
        }
        return base.combined(with: standing.decision)
    }

    public func observe(_ exchange: Exchange) {
        // Unauthenticated requests belong to no account.
        guard !exchange.account.isEmpty else { return }
        inbox.withLock { $0.append(exchange, limit: settings.maxBacklog) }
    }

    // MARK: Reading the state

    /// The detector's current verdict on an account, or nil if it has not scored it.
    public func verdict(for account: String) -> AccountVerdict? {
        standings.withLock { $0[account]?.verdict }
    }

    /// Counters for tests, metrics and the operator.
    public var statistics: Statistics {
        let dropped = inbox.withLock { $0.dropped }
        return progress.withLock { Statistics(observed: $0.observed, malformed: $0.malformed, dropped: dropped,
                                              refreshes: $0.refreshes, flagged: $0.flagged) }
    }

    /// What the detector has done so far.
    public struct Statistics: Sendable, Equatable {
        /// Exchanges fed to the detector (replayed ones included).
        public var observed: Int
        /// Log lines it could not read (should stay 0: the gateway writes them).
        public var malformed: Int
        /// Exchanges dropped because the detector fell more than ``LiveDetectionSettings/maxBacklog`` behind.
        public var dropped: Int
        /// Completed re-clusterings.
        public var refreshes: Int
        /// Accounts whose standing is not a plain allow.
        public var flagged: Int
    }

    // MARK: The detection loop

    /// Runs detection until a graceful shutdown. The detector itself runs on a
    /// thread of its own: `aegis serve` runs Swift tasks on the event loops
    /// that serve requests, and a batch of parsing and scoring there would
    /// hold requests up. Audit records are written from here, in order.
    public func run() async throws {
        let replayed = await replayRecentLog()
        let stop = StopFlag()
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await self.runDetectionThread(detector: replayed, stop: stop) }
                    group.addTask { await self.writeRecords(until: stop) }
                }
            } onCancel: {
                stop.set()
            }
        } onGracefulShutdown: {
            stop.set()
        }
    }

    private func runDetectionThread(detector: CampaignDetector, stop: StopFlag) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let thread = Thread { [self] in
                detectionLoop(detector: detector, stop: stop)
                done.resume()
            }
            thread.name = "aegis-detection"
            thread.start()
        }
    }

    private func detectionLoop(detector: CampaignDetector, stop: StopFlag) {
        var detector = detector
        if detector.exchangesObserved > 0 {
            publish(detector.refresh().accounts)
            progress.withLock { $0.refreshes += 1 }
        }
        let pause = Self.seconds(settings.drainInterval)
        var lastRefresh = ContinuousClock.now
        while !stop.isSet {
            Thread.sleep(forTimeInterval: pause)
            let touched = drain(into: &detector)
            if ContinuousClock.now - lastRefresh >= settings.refreshInterval {
                lastRefresh = .now
                publish(detector.refresh().accounts)
                progress.withLock { $0.refreshes += 1 }
            } else if !touched.isEmpty {
                publish(touched.compactMap { detector.decision(for: $0) })
            }
        }
    }

    /// Writes the audit records the detection thread queues, until `stop`, then the rest.
    private func writeRecords(until stop: StopFlag) async {
        while true {
            let stopping = stop.isSet
            for record in pendingRecords.withLock({ records in defer { records = [] }; return records }) {
                do { try await store.record(record) } catch {
                    logger.error("live detection: recording the decision on \(record.account) failed: \(error)")
                }
            }
            if stopping { return }
            try? await Task.sleep(for: settings.drainInterval)
        }
    }

    /// A detector that has seen the recent exchange log, so a restart does not
    /// forget. The log is streamed into it: memory grows with accounts, not lines.
    private func replayRecentLog() async -> CampaignDetector {
        let detector = Mutex(CampaignDetector(configuration: settings.detector))
        guard settings.replaySeconds > 0 else { return detector.withLock { $0 } }
        let since = Date().addingTimeInterval(-settings.replaySeconds)
        do {
            try await store.forEachExchange(since: since) { [self] logged in
                guard let account = logged.account, !account.isEmpty else { return }
                detector.withLock { feed(line: logged.line, to: &$0) }
            }
        } catch {
            logger.error("live detection: replaying the exchange log failed (\(error)); starting from what was read")
        }
        return detector.withLock { $0 }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// Moves the inbox into the detector; returns the accounts that sent something.
    private func drain(into detector: inout CampaignDetector) -> Set<String> {
        let exchanges = inbox.withLock { $0.take() }
        var touched = Set<String>()
        for exchange in exchanges {
            detector.observe(exchange)
            touched.insert(exchange.account)
        }
        progress.withLock { $0.observed += exchanges.count }
        return touched
    }

    /// Feeds one line of the stored log (the replay at start), counting a line
    /// that does not parse instead of stopping.
    private func feed(line: String, to detector: inout CampaignDetector) {
        var line = line
        guard let exchange = line.withUTF8({ try? Exchange(line: $0) }) else {
            progress.withLock { $0.malformed += 1 }
            return
        }
        detector.observe(exchange)
        progress.withLock { $0.observed += 1 }
    }

    /// Installs new verdicts; queues a record for every account whose action changed.
    private func publish(_ verdicts: [AccountVerdict]) {
        var changes: [PolicyDecisionRecord] = []
        let flagged = standings.withLock { standings in
            for verdict in verdicts {
                let standing = AccountStanding(verdict: verdict, settings: settings)
                let previous = standings[verdict.account]?.action ?? .allow
                standings[verdict.account] = standing
                if standing.action != previous {
                    changes.append(PolicyDecisionRecord(
                        time: Date(), account: verdict.account, action: standing.action.rawValue,
                        reason: standing.explanation, source: "detector", dryRun: settings.mode == .dryRun))
                }
            }
            return standings.values.count { $0.action != .allow }
        }
        progress.withLock { $0.flagged = flagged }
        if !changes.isEmpty { pendingRecords.withLock { $0 += changes } }
    }
}

/// Exchanges waiting for the detector, bounded so a stalled detector cannot
/// exhaust memory. When full, new exchanges are counted and dropped (O(1) on
/// the request path); the exchange log itself still has them.
private struct Inbox {
    private var exchanges: [Exchange] = []
    private(set) var dropped = 0

    mutating func append(_ exchange: Exchange, limit: Int) {
        guard exchanges.count < limit else {
            dropped += 1
            return
        }
        exchanges.append(exchange)
    }

    mutating func take() -> [Exchange] {
        defer { exchanges = [] }
        return exchanges
    }
}

private struct Progress {
    var observed = 0
    var malformed = 0
    var refreshes = 0
    var flagged = 0
}

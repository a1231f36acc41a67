import Logging
import ServiceLifecycle
import Store
import Synchronization

/// Writes exchanges to the store off the request path, in batches.
///
/// Requests only append to an in-memory queue (one lock, no I/O); this
/// service commits the queue every `interval` in one transaction. On a
/// graceful shutdown it runs after the HTTP server has drained its in-flight
/// requests (services stop in reverse order), then commits what is left, so
/// no answered request is lost. A failed commit keeps the batch and retries.
public final class ExchangeLogWriter: Service, Sendable {
    private let store: any Store
    private let interval: Duration
    private let queue = Mutex<[LoggedExchange]>([])
    private let logger: Logger
    private let onDepthChange: @Sendable (Int) -> Void

    /// Creates a writer.
    /// - Parameters:
    ///   - interval: how long entries may wait before a commit.
    ///   - onDepthChange: called with the queue depth after each change (metrics).
    public init(store: any Store, interval: Duration = .milliseconds(20), logger: Logger = Logger(label: "aegis.log"),
                onDepthChange: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.store = store
        self.interval = interval
        self.logger = logger
        self.onDepthChange = onDepthChange
    }

    /// Queues one exchange; never blocks on I/O.
    public func enqueue(_ exchange: LoggedExchange) {
        let depth = queue.withLock { queue in
            queue.append(exchange)
            return queue.count
        }
        onDepthChange(depth)
    }

    /// Entries waiting to be committed.
    public var depth: Int { queue.withLock { $0.count } }

    public func run() async throws {
        let stopping = StopFlag()
        await withGracefulShutdownHandler {
            while !stopping.value.load(ordering: .relaxed) && !Task.isCancelled {
                try? await Task.sleep(for: interval)
                await flush()
            }
        } onGracefulShutdown: {
            stopping.value.store(true, ordering: .relaxed)
        }
        // Whatever arrived until now (the server has drained by the time we stop).
        await flush(retrying: true)
    }

    /// Commits everything queued so far.
    public func flush(retrying: Bool = false) async {
        while true {
            let batch = queue.withLock { queue in
                let batch = queue
                queue.removeAll(keepingCapacity: true)
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                try await store.append(batch)
                onDepthChange(depth)
                if !retrying { return }
            } catch {
                logger.error("exchange log commit failed, will retry: \(error)")
                queue.withLock { $0.insert(contentsOf: batch, at: 0) }
                try? await Task.sleep(for: .milliseconds(200))
                if !retrying { return }
            }
        }
    }
}

/// A flag shared with the shutdown handler.
/// A flag a shutdown handler sets and a loop polls.
final class StopFlag: Sendable {
    let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}

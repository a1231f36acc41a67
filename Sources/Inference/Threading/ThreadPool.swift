#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A small persistent pool of threads that runs one data-parallel job at a time.
///
/// A decode step dispatches a few hundred jobs (one per matrix product), so a
/// dispatch must cost well under a microsecond and allocate nothing. Workers
/// spin for a short while on a generation counter before parking on a
/// condition variable; the caller takes part as worker 0 and then spins until
/// every worker has finished.
public final class ThreadPool: @unchecked Sendable {
    /// Threads that take part in a job, the caller included.
    public let threadCount: Int

    private let generation = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    // pthread objects must not move, so they live in their own allocations.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wakeUp = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var threads: [pthread_t] = []
    // Set by `run` before a generation is published and cleared after every
    // worker reported back, so workers only read it while it is valid.
    private var job: ((Int) -> Void)?

    /// Spin iterations (with a pause hint) before a worker yields and then parks.
    private static let spinLimit = 4_000

    /// Starts `threadCount - 1` worker threads (the caller is the last one).
    public init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wakeUp, nil)
        for index in 1..<self.threadCount {
            let context = Unmanaged.passRetained(WorkerContext(pool: self, index: index))
            var thread = pthread_t()
            let created = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                context.pool.workerLoop(index: context.index)
                return nil
            }, context.toOpaque())
            if created == 0 { threads.append(thread) } else { context.release() }
        }
    }

    /// The number of processors online, the default thread count.
    public static var processorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    deinit {
        stopping.store(true, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(wakeUp)
        pthread_mutex_unlock(mutex)
        for thread in threads { pthread_join(thread, nil) }
        pthread_cond_destroy(wakeUp)
        pthread_mutex_destroy(mutex)
        wakeUp.deallocate()
        mutex.deallocate()
    }

    /// Runs `body(worker)` once on each of `threadCount` threads (worker in
    /// `0..<threadCount`) and returns when all have finished.
    public func run(_ body: (Int) -> Void) {
        let workers = threads.count
        if workers == 0 { body(0); return }
        withoutActuallyEscaping(body) { body in
            job = body
            finished.store(0, ordering: .relaxed)
            generation.add(1, ordering: .releasing)
            pthread_mutex_lock(mutex)
            pthread_cond_broadcast(wakeUp)
            pthread_mutex_unlock(mutex)
            body(0)
            // On a machine shared with other work a worker may be descheduled:
            // spin briefly, then yield the core to it instead of burning it.
            var spins = 0
            while finished.load(ordering: .acquiring) < workers {
                spins += 1
                if spins < 2_000 { spinPause() } else { sched_yield() }
            }
            job = nil
        }
    }

    /// Splits `0..<count` into one contiguous chunk per thread, each a multiple
    /// of `granularity` long, and runs `body(range)` on each non-empty chunk.
    public func parallelFor(_ count: Int, granularity: Int = 1, _ body: (Range<Int>) -> Void) {
        parallelFor(count, granularity: granularity) { range, _ in body(range) }
    }

    /// Like ``parallelFor(_:granularity:_:)``, also passing the worker index
    /// (for per-thread scratch space).
    public func parallelFor(_ count: Int, granularity: Int = 1, _ body: (Range<Int>, Int) -> Void) {
        let units = (count + granularity - 1) / granularity
        let threads = min(threadCount, units)
        if threads <= 1 { if count > 0 { body(0..<count, 0) }; return }
        run { worker in
            guard worker < threads else { return }
            let start = min(count, units * worker / threads * granularity)
            let end = min(count, units * (worker + 1) / threads * granularity)
            if start < end { body(start..<end, worker) }
        }
    }

    private func workerLoop(index: Int) {
        // Generation 0 is the one before any job, even if this thread starts
        // late and the first job has already been published.
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins < Self.spinLimit { spinPause(); continue }
                if spins < Self.spinLimit + 64 { sched_yield(); continue }
                pthread_mutex_lock(mutex)
                while generation.load(ordering: .acquiring) == seen {
                    pthread_cond_wait(wakeUp, mutex)
                }
                pthread_mutex_unlock(mutex)
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .acquiring) { return }
            job?(index)
            finished.add(1, ordering: .releasing)
        }
    }

    // Unowned so that the pool can be released; `deinit` joins every worker
    // before the memory goes away.
    private final class WorkerContext {
        unowned(unsafe) let pool: ThreadPool
        let index: Int
        init(pool: ThreadPool, index: Int) { self.pool = pool; self.index = index }
    }
}

@inline(__always)
private func spinPause() {
    // Swift cannot emit `pause` (clang declares _mm_pause as an external
    // builtin), so the loop spins on the atomic load alone.
}

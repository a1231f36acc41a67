#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The working memory of one sampling step, reused across steps so that the
/// sampler allocates nothing per token once it has seen the vocabulary size.
///
/// A `WatermarkSampler` owns one; its copies share it. A mutex guards it, and a
/// step that finds it busy (two threads sampling with the same sampler) works in
/// a private temporary scratch instead of waiting, so sharing a sampler is safe
/// but one sampler per generation stream is what keeps the hot path allocation-free.
final class SamplerScratch: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var storage = Buffers(capacity: 0)

    init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        storage.deallocate()
    }

    /// Runs `body` with buffers of at least `capacity` candidates.
    func withBuffers<R>(capacity: Int, _ body: (Buffers) -> R) -> R {
        guard pthread_mutex_trylock(mutex) == 0 else {
            let temporary = Buffers(capacity: capacity)
            defer { temporary.deallocate() }
            return body(temporary)
        }
        defer { pthread_mutex_unlock(mutex) }
        if storage.capacity < capacity {
            storage.deallocate()
            storage = Buffers(capacity: capacity)
        }
        return body(storage)
    }

    /// Raw arrays sized for the vocabulary; `keys` holds sortable (logit, token) pairs.
    struct Buffers {
        let capacity: Int
        let keys: UnsafeMutableBufferPointer<UInt64>
        let sparseWeights: UnsafeMutableBufferPointer<Double>
        let denseWeights: UnsafeMutableBufferPointer<Float>
        let blockSums: UnsafeMutableBufferPointer<Double>
        let histogram: UnsafeMutableBufferPointer<Double>
        let values: UnsafeMutableBufferPointer<UInt64>

        init(capacity: Int) {
            let capacity = max(capacity, 1)
            self.capacity = capacity
            keys = .allocate(capacity: capacity)
            sparseWeights = .allocate(capacity: capacity)
            denseWeights = .allocate(capacity: capacity)
            blockSums = .allocate(capacity: capacity / StepDistribution.blockSize + 1)
            histogram = .allocate(capacity: StepDistribution.histogramBins)
            values = .allocate(capacity: capacity)
        }

        func deallocate() {
            keys.deallocate()
            sparseWeights.deallocate()
            denseWeights.deallocate()
            blockSums.deallocate()
            histogram.deallocate()
            values.deallocate()
        }
    }
}

/// The passes over the full vocabulary: the maximum, the support above a floor, and
/// the top-k. Written as plain scalar loops on purpose: the branches are almost never
/// taken, and LLVM handles these better than Swift's generic SIMD masks.
enum LogitScan {
    static func maximum(_ logits: UnsafeBufferPointer<Float>) -> Float {
        var m0 = -Float.infinity, m1 = m0, m2 = m0, m3 = m0
        var i = 0
        while i + 4 <= logits.count {
            m0 = logits[i] > m0 ? logits[i] : m0
            m1 = logits[i + 1] > m1 ? logits[i + 1] : m1
            m2 = logits[i + 2] > m2 ? logits[i + 2] : m2
            m3 = logits[i + 3] > m3 ? logits[i + 3] : m3
            i += 4
        }
        while i < logits.count { m0 = logits[i] > m0 ? logits[i] : m0; i += 1 }
        return max(max(m0, m1), max(m2, m3))
    }

    /// Writes a `CandidateKey` for every logit ≥ `floor` and returns how many; stops
    /// (returning `limit + 1`) as soon as there are more than `limit`.
    static func collect(_ logits: UnsafeBufferPointer<Float>, atLeast floor: Float,
                        into keys: UnsafeMutableBufferPointer<UInt64>, limit: Int = .max) -> Int {
        var count = 0
        for i in 0..<logits.count where logits[i] >= floor {
            guard count < limit else { return limit + 1 }
            keys[count] = CandidateKey.make(logit: logits[i], index: i)
            count += 1
        }
        return count
    }

    static func firstIndex(of value: Float, in logits: UnsafeBufferPointer<Float>) -> Int {
        logits.firstIndex { $0 == value } ?? 0
    }

    /// The `k` largest logits as `CandidateKey`s sorted by decreasing logit, via a
    /// max-heap of keys (the worst kept candidate on top): O(V + k log k · log V) on average.
    static func selectTop(_ k: Int, of logits: UnsafeBufferPointer<Float>, into keys: UnsafeMutableBufferPointer<UInt64>) -> Int {
        let k = min(k, logits.count)
        guard k > 0 else { return 0 }
        for i in 0..<k {
            keys[i] = CandidateKey.make(logit: logits[i], index: i)
            siftUp(keys, i)
        }
        var worst = CandidateKey.logit(keys[0])
        for i in k..<logits.count where logits[i] > worst {
            keys[0] = CandidateKey.make(logit: logits[i], index: i)
            siftDown(keys, count: k)
            worst = CandidateKey.logit(keys[0])
        }
        CandidateKey.sort(keys, count: k)
        return k
    }

    private static func siftUp(_ heap: UnsafeMutableBufferPointer<UInt64>, _ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[parent] < heap[child] else { return }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private static func siftDown(_ heap: UnsafeMutableBufferPointer<UInt64>, count: Int) {
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var largest = parent
            if left < count && heap[left] > heap[largest] { largest = left }
            if right < count && heap[right] > heap[largest] { largest = right }
            if largest == parent { return }
            heap.swapAt(parent, largest)
            parent = largest
        }
    }
}

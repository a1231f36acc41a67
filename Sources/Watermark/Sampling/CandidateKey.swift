/// A candidate token packed into one integer whose ascending order is the
/// descending order of its logit: the high 32 bits are the logit's bits mapped
/// to an order-preserving unsigned integer and inverted, the low 32 the token id.
/// Sorting plain `UInt64`s in place is what lets top-k and top-p run without allocating.
enum CandidateKey {
    @inline(__always)
    static func make(logit: Float, index: Int) -> UInt64 {
        let bits = logit.bitPattern
        let ordered = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        return UInt64(~ordered) << 32 | UInt64(UInt32(truncatingIfNeeded: index))
    }

    @inline(__always)
    static func index(_ key: UInt64) -> Int { Int(UInt32(truncatingIfNeeded: key)) }

    @inline(__always)
    static func logit(_ key: UInt64) -> Float {
        let ordered = ~UInt32(truncatingIfNeeded: key >> 32)
        return Float(bitPattern: ordered & 0x8000_0000 != 0 ? ordered & 0x7fff_ffff : ~ordered)
    }

    /// Sorts ascending in place (quicksort, median of three, insertion sort below 24), no allocation.
    static func sort(_ keys: UnsafeMutableBufferPointer<UInt64>, count: Int) {
        var low = 0
        var high = count - 1
        // Recurse into the smaller half, loop on the larger: stack depth O(log n).
        while high - low > 24 {
            let middle = low + (high - low) / 2
            if keys[middle] < keys[low] { keys.swapAt(middle, low) }
            if keys[high] < keys[low] { keys.swapAt(high, low) }
            if keys[high] < keys[middle] { keys.swapAt(high, middle) }
            let pivot = keys[middle]
            var i = low
            var j = high
            while i <= j {
                while keys[i] < pivot { i += 1 }
                while keys[j] > pivot { j -= 1 }
                if i <= j { keys.swapAt(i, j); i += 1; j -= 1 }
            }
            if j - low < high - i {
                sortRange(keys, low, j)
                low = i
            } else {
                sortRange(keys, i, high)
                high = j
            }
        }
        insertionSort(keys, low, high)
    }

    private static func sortRange(_ keys: UnsafeMutableBufferPointer<UInt64>, _ low: Int, _ high: Int) {
        guard high > low else { return }
        sort(UnsafeMutableBufferPointer(rebasing: keys[low...high]), count: high - low + 1)
    }

    private static func insertionSort(_ keys: UnsafeMutableBufferPointer<UInt64>, _ low: Int, _ high: Int) {
        guard high > low else { return }
        for i in (low + 1)...high {
            let key = keys[i]
            var j = i - 1
            while j >= low && keys[j] > key {
                keys[j + 1] = keys[j]
                j -= 1
            }
            keys[j + 1] = key
        }
    }
}

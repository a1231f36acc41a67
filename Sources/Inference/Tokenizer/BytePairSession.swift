/// The working state of one `encode` call: scratch buffers and a cache of
/// words already encoded, so running text costs mostly cache hits.
struct BytePairSession {
    let model: BytePairModel
    private var cache = ByteStringTable()
    private var symbols: [Int32] = []
    private var ranks: [Int32] = []
    private var joined: [Int32] = []
    private var heap: [UInt64] = []
    private var next: [Int32] = []
    private var previous: [Int32] = []

    /// Words longer than this (in bytes) merge with a heap instead of rescanning.
    var scanLimit = 64
    /// The cache is emptied when it holds more than this many bytes.
    static let cacheByteLimit = 64 << 20

    init(model: BytePairModel) {
        self.model = model
    }

    /// Appends the tokens of one pre-tokenized word.
    mutating func encode(_ word: UnsafeBufferPointer<UInt8>, into output: inout [Int32]) {
        if word.count == 1 {
            append(model.byteSymbols[Int(word[0])], to: &output)
            return
        }
        if let words = model.wholeWords, let found = words.find(word, hash: ByteStringTable.hash(word)) {
            output.append(words.value(at: found.lowerBound))
            return
        }
        let hash = ByteStringTable.hash(word)
        if let found = cache.find(word, hash: hash) {
            for index in found { output.append(cache.value(at: index)) }
            return
        }
        if let found = model.knownWords.find(word, hash: hash) {
            for index in found { output.append(model.knownWords.value(at: index)) }
            return
        }
        let start = output.count
        merge(word)
        for symbol in symbols { append(symbol, to: &output) }
        if cache.storedBytes > Self.cacheByteLimit { cache.removeAll() }
        cache.insert(word, hash: hash, ids: output[start...])
    }

    /// Writes a symbol out: itself if it is a token, else the tokens of its bytes.
    @inline(__always)
    private func append(_ symbol: Int32, to output: inout [Int32]) {
        if Int(symbol) < model.vocabularySize {
            output.append(symbol)
            return
        }
        for byte in model.virtualPieces[Int(symbol) - model.vocabularySize] {
            let token = model.byteTokens[Int(byte)]
            if token >= 0 { output.append(token) }
        }
    }

    /// The tokens of `word` by BPE alone, with no cache.
    mutating func tokens(of word: UnsafeBufferPointer<UInt8>) -> [Int32] {
        var output: [Int32] = []
        merge(word)
        for symbol in symbols { append(symbol, to: &output) }
        return output
    }

    /// Runs BPE over `word`, leaving the final symbols in `symbols`.
    mutating func merge(_ word: UnsafeBufferPointer<UInt8>) {
        symbols.removeAll(keepingCapacity: true)
        for byte in word { symbols.append(model.byteSymbols[Int(byte)]) }
        if symbols.count > scanLimit {
            mergeWithHeap()
        } else {
            mergeByScanning()
        }
    }

    /// Short words: keep each adjacent pair's rank, take the best, update its two neighbours.
    private mutating func mergeByScanning() {
        ranks.removeAll(keepingCapacity: true)
        joined.removeAll(keepingCapacity: true)
        for index in 0..<max(symbols.count - 1, 0) {
            let (rank, merged) = model.merges.lookup(symbols[index], symbols[index + 1])
            ranks.append(rank)
            joined.append(merged)
        }
        while !ranks.isEmpty {
            var best = 0
            for index in 1..<ranks.count where ranks[index] < ranks[best] { best = index }
            if ranks[best] == MergeTable.noMerge { return }
            symbols[best] = joined[best]
            symbols.remove(at: best + 1)
            ranks.remove(at: best)
            joined.remove(at: best)
            if best > 0 {
                (ranks[best - 1], joined[best - 1]) = model.merges.lookup(symbols[best - 1], symbols[best])
            }
            if best < ranks.count {
                (ranks[best], joined[best]) = model.merges.lookup(symbols[best], symbols[best + 1])
            }
        }
    }

    /// Long words: a linked list of symbols and a min-heap of (rank, left position);
    /// entries made stale by earlier merges are skipped when popped.
    private mutating func mergeWithHeap() {
        let count = symbols.count
        next = (0..<count).map { Int32($0 + 1 < count ? $0 + 1 : -1) }
        previous = (0..<count).map { Int32($0 - 1) }
        heap.removeAll(keepingCapacity: true)
        for left in 0..<(count - 1) { pushPair(left: left, right: left + 1) }
        while let top = popHeap() {
            let rank = Int32(truncatingIfNeeded: top >> 32)
            let left = Int(truncatingIfNeeded: top & 0xFFFF_FFFF)
            let right = Int(next[left])
            guard symbols[left] >= 0, right >= 0 else { continue }
            let (current, merged) = model.merges.lookup(symbols[left], symbols[right])
            guard current == rank else { continue }
            symbols[left] = merged
            symbols[right] = -1
            next[left] = next[right]
            if next[right] >= 0 { previous[Int(next[right])] = Int32(left) }
            if previous[left] >= 0 { pushPair(left: Int(previous[left]), right: left) }
            if next[left] >= 0 { pushPair(left: left, right: Int(next[left])) }
        }
        var kept = 0
        var index = 0
        while index >= 0 {
            symbols[kept] = symbols[index]
            kept += 1
            index = Int(next[index])
        }
        symbols.removeLast(count - kept)
    }

    private mutating func pushPair(left: Int, right: Int) {
        let rank = model.merges.lookup(symbols[left], symbols[right]).rank
        guard rank != MergeTable.noMerge else { return }
        heap.append(UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(left))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func popHeap() -> UInt64? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return last }
        let top = heap[0]
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, heap[left] < heap[smallest] { smallest = left }
            if right < heap.count, heap[right] < heap[smallest] { smallest = right }
            if smallest == parent { return top }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

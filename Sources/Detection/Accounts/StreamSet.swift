/// One stream within an account: the requests that share a system prompt, or
/// (without one) a `user` field. A reseller's account carries many; a
/// distillation customer behind it is one of them, and is scored on its own.
struct StreamState: Sendable {
    /// ``ExchangeFeatures/stream``: 0 for requests with neither system prompt nor user.
    let key: UInt64
    /// Printable name (``ExchangeFeatures/streamLabel`` of its first request).
    let name: String
    var counters = ActivityCounters()
    var distinct = DistinctCounter()
    var firstSeen: Double
    var lastSeen: Double
    var currentMinute: Int64 = .min
    var currentMinuteLoad: UInt16 = 0

    init(key: UInt64, name: String, counters: ActivityCounters = ActivityCounters(),
         distinct: DistinctCounter = DistinctCounter(), firstSeen: Double, lastSeen: Double) {
        self.key = key
        self.name = name.isEmpty ? "none" : name
        self.counters = counters
        self.distinct = distinct
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }

    mutating func observe(_ f: ExchangeFeatures, window: UInt32) {
        if counters.requests >= window { counters.halve() }
        let gap = f.time - lastSeen
        if counters.requests > 0, gap >= 0, gap < 600 {
            let g = log(max(gap, 0.05))
            counters.gaps &+= 1
            counters.logGapSum += g
            counters.logGapSquares += g * g
        }
        lastSeen = max(lastSeen, f.time)
        firstSeen = min(firstSeen, f.time)
        counters.count(f)
        distinct.add(f.text.contentHash)
        let minute = Int64((f.time / 60).rounded(.down))
        if minute != currentMinute {
            settle()
            currentMinute = minute
        }
        if currentMinuteLoad < .max { currentMinuteLoad += 1 }
    }

    private mutating func settle() {
        guard currentMinuteLoad > 0 else { return }
        let bin = Int(min(currentMinuteLoad, 64)) - 1
        if counters.minuteLoads[bin] < .max { counters.minuteLoads[bin] += 1 }
        currentMinuteLoad = 0
    }

    /// The counters including the minute still open.
    var settledCounters: ActivityCounters {
        var copy = self
        copy.settle()
        return copy.counters
    }
}

/// The streams of one account, in bounded memory.
///
/// Nothing is kept while an account uses one stream (its account state says
/// it all). When a second stream appears, the first is seeded from the
/// account's counters so far and both are tracked; at most ``capacity`` are
/// kept. A new stream replaces the least recently seen small one (at most
/// ``evictable`` requests, or 1/64 of the account's), so a steady stream,
/// once seen, stays, and a reseller's thousand one-off end users churn
/// through the spare slots.
struct StreamSet: Sendable {
    static let capacity = 16
    static let evictable: UInt32 = 3

    /// The first stream key seen; nil before the first request.
    private(set) var firstKey: UInt64 = 0
    private(set) var firstName = ""
    private var seenAny = false
    private(set) var streams: [StreamState] = []
    /// Requests of streams that found no slot.
    private(set) var overflow = 0

    /// True when `key` is the account's second stream and the first must be seeded.
    func needsSeed(for key: UInt64) -> Bool {
        seenAny && streams.isEmpty && key != firstKey
    }

    mutating func seed(_ first: StreamState) {
        streams = [first]
    }

    mutating func observe(_ f: ExchangeFeatures, window: UInt32, accountRequests: Int) {
        if !seenAny {
            seenAny = true
            firstKey = f.stream
            firstName = f.streamLabel
            return
        }
        guard !streams.isEmpty else { return }
        if let i = streams.firstIndex(where: { $0.key == f.stream }) {
            streams[i].observe(f, window: window)
            return
        }
        var slot = streams.count
        if streams.count >= Self.capacity {
            // Small streams (≤ 3 requests, or under 1/64 of the account's) may be
            // replaced, the least recently seen first; a steady stream grows past
            // the limit and stays.
            let limit = max(Self.evictable, UInt32(clamping: accountRequests / 64))
            var victim = -1
            for i in streams.indices where streams[i].counters.requests <= limit {
                if victim < 0 || streams[i].lastSeen < streams[victim].lastSeen { victim = i }
            }
            guard victim >= 0 else {
                overflow += 1
                return
            }
            slot = victim
        }
        var stream = StreamState(key: f.stream, name: f.streamLabel, firstSeen: f.time, lastSeen: f.time)
        stream.observe(f, window: window)
        if slot == streams.count { streams.append(stream) } else { streams[slot] = stream }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
